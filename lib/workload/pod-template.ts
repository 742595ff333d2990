/**
 * The hardened pod template shared by every hardened workload kind: security context, probes, resources, volumes and
 * writable paths, env, token handling, topology spread, runtime class and placement. Validation raises a
 * HardeningError naming the construct path, the field, the value, the rule id and the fix.
 *
 * Internal building block (not part of the jsii API): workloads call {@link buildPodTemplate}.
 */
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { DNS1123, DNS1123_SUBDOMAIN, ENV_NAME, isLabelKey, isLabelValue, isRecord, parseQuantity } from '../kube/k8s-syntax';
import { assertRule, fail } from '../policy/construct-check';
import { systemDirOf } from '../policy/mount-paths';
import { ResolvedProfile, WorkloadResources } from '../policy/profile';
import { RBAC_GRANT_RULE_IDS } from '../policy/rules/tenancy';
import { HealthCheck } from './health-check';
import {
  AntiAffinityStrength, ApiAccessRule, HardenedWorkloadProps, ImagePullPolicy, NodeAffinityTerm, NodeLabelOperator, PodToleration, ProjectedSource,
  ReplicaAntiAffinity, WorkloadNodeAffinity,
} from './workload-props';

const k8s = kplus.k8s;

/** Default UID and GID: the `nonroot` user of distroless and Chainguard images. */
export const DEFAULT_UID = 65532;
/** Where the projected API token goes (the standard ServiceAccount path). */
export const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The same directory where /var/run is a link to /run (most images): a token there is the standard token too. */
export const TOKEN_MOUNT_RUN = '/run/secrets/kubernetes.io/serviceaccount';
/** True when a mount at `p` holds the standard token path (under either spelling). */
export function holdsTokenPath(p: unknown): boolean {
  return typeof p === 'string' && [TOKEN_MOUNT, TOKEN_MOUNT_RUN].some(t => p === t || t.startsWith(`${p}/`));
}
const ALLOWED_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const PULL_POLICIES = Object.values(ImagePullPolicy) as string[];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Extra volume and mount a workload kind adds (StatefulSet claims, DaemonSet host paths). */
export interface ExtraMount {
  /** Volume JSON (absent for a volumeClaimTemplate, which the StatefulSet controller adds). */
  readonly volume?: any;
  /** Mount JSON. */
  readonly mount: any;
  /** Field named in errors. */
  readonly field: string;
}

/** What a workload kind decides about its pods. */
export interface PodTemplateContext {
  /** Workload name (image rule candidate, RBAC candidate). */
  readonly name: string;
  /** Namespace, if known. */
  readonly namespace?: string;
  /** The container port, if the workload listens. */
  readonly port?: number;
  /** Labels selecting the pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Labels of the pod template. */
  readonly labels: { [key: string]: string };
  /** Long-running pods get TCP readiness/liveness probes on the port by default; batch pods get none. */
  readonly batch: boolean;
  /** Spread pods over zones and nodes. */
  readonly topologySpread: boolean;
  /** Pod restartPolicy (batch: Never). */
  readonly restartPolicy?: string;
  /** Host port of the container port (DaemonSet opt-in). */
  readonly hostPort?: number;
  /** Capabilities added besides NET_BIND_SERVICE (DaemonSet opt-in, already validated). */
  readonly addCapabilities?: string[];
  /** Mounts a kind adds (validated for path clashes here). */
  readonly extraMounts?: ExtraMount[];
  /** The resolved HardeningProfile. */
  readonly profile: ResolvedProfile;
}

/** The validated pod template. */
export interface PodTemplate {
  /** `spec.template` JSON for the given ServiceAccount. */
  render(serviceAccountName: string): any;
  /** Validated API access rules (for the Role). */
  readonly apiAccess: ApiAccessRule[];
}

/** Validate a TCP port through the catalogue's container-ports-valid rule; `privilegedOk` allows ports below 1024. */
export function checkPort(scope: IConstruct, port: number, field: string, privilegedOk: boolean): number {
  const candidate = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'candidate' }, spec: {
    securityContext: { runAsNonRoot: true },
    containers: [{ name: 'main', image: 'x', ports: [{ containerPort: port }], securityContext: { capabilities: privilegedOk ? { add: ['NET_BIND_SERVICE'] } : {} } }],
  } };
  assertRule(scope, 'container-ports-valid', candidate, field, port);
  return port;
}

/** `value` as an array (empty when unset), or a HardeningError: JS and other jsii languages can pass anything. */
export function list<T>(scope: IConstruct, value: T[] | undefined, field: string, ruleId: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(scope, ruleId, field, value, 'must be a list.', 'pass an array (or omit the prop for the default).');
  return value;
}

/** A namespace for workloads: a DNS-1123 label, never `kube-*`. */
export function checkNamespace(scope: IConstruct, ns: unknown, field: string): void {
  if (typeof ns !== 'string' || !DNS1123.test(ns)) {
    fail(scope, 'metadata-valid', field, ns, 'is not a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters).',
      'use a namespace name such as "shop".');
  }
  if (ns.startsWith('kube-')) {
    fail(scope, 'namespace-psa-enforce', field, ns,
      'is a Kubernetes system namespace ("kube-" is reserved): workloads do not belong next to cluster components, where restricted Pod Security is usually not enforced.',
      'deploy into an application namespace (e.g. one created with IsolatedNamespace).');
  }
}

/** A positive Kubernetes quantity, or a HardeningError under `ruleId`. */
export function checkQuantity(scope: IConstruct, q: unknown, field: string, ruleId: string): number {
  const value = parseQuantity(q);
  if (value === undefined || value <= 0) {
    fail(scope, ruleId, field, q, 'is not a positive Kubernetes quantity.', 'use e.g. "250m" for CPU or "256Mi" for memory.');
  }
  return value;
}

/** An integer in [min, max], or a HardeningError under `ruleId`. */
export function checkInt(scope: IConstruct, value: unknown, field: string, ruleId: string, min: number, max: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(scope, ruleId, field, value, `must be an integer between ${min} and ${max}.`, fix);
  }
  return value;
}

/** An absolute, normalized directory other than "/". */
export function isMountPath(p: unknown): p is string {
  return typeof p === 'string' && p.startsWith('/') && p !== '/' && !p.split('/').some(s => s === '..' || s === '.') && !p.endsWith('/') && !p.includes('//');
}

/**
 * Validate the pod props of a hardened workload and build its pod template: {@link validatePodProps}, then
 * {@link renderPodTemplate} for the ServiceAccount the workload names.
 */
export function buildPodTemplate(scope: IConstruct, props: HardenedWorkloadProps, ctx: PodTemplateContext): PodTemplate {
  const pod = validatePodProps(scope, props, ctx);
  return {
    apiAccess: pod.apiAccess,
    render: (serviceAccountName: string) => renderPodTemplate(pod, ctx, serviceAccountName),
  };
}

/** An init container or native sidecar, validated. */
export interface ValidatedContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: any[];
  readonly resources: WorkloadResources;
  /** A native sidecar (restartPolicy Always), or a plain init container. */
  readonly sidecar: boolean;
}

/**
 * The pod props, validated, with their defaults filled in: what the pod template renders. The volumes and mounts are
 * part of it (their paths and names are checked for clashes as they are collected).
 */
export interface ValidatedPod {
  readonly uid: number;
  readonly gid: number;
  readonly resources: WorkloadResources;
  readonly grace: number;
  readonly image: string;
  readonly volumes: any[];
  /** Mounts of the main container. */
  readonly mounts: any[];
  /** The writable emptyDir mounts (also given to init containers and sidecars). */
  readonly writableMounts: any[];
  readonly apiAccess: ApiAccessRule[];
  readonly env: any[];
  readonly command?: string[];
  readonly args?: string[];
  readonly readiness?: any;
  readonly liveness?: any;
  readonly startup?: any;
  readonly runtimeClassName?: string;
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: any[];
  readonly affinity?: any;
  readonly pullSecrets: Array<{ name: string }>;
  readonly pullPolicy: string;
  readonly podAnnotations?: { [key: string]: string };
  readonly priorityClassName?: string;
  /** Sidecars first, then init containers (the order of `initContainers`). */
  readonly initContainers: ValidatedContainer[];
  /** Capabilities added to the main container. */
  readonly capabilities: string[];
}

/**
 * Validate the pod props of a hardened workload. Checks run in a fixed order (ids, resources, grace period, image,
 * mounts, API access, env, command, probes, placement, pull settings, annotations, priority, extra containers) so the
 * first invalid prop is reported; throws a HardeningError for it.
 */
export function validatePodProps(scope: IConstruct, props: HardenedWorkloadProps, ctx: PodTemplateContext): ValidatedPod {
  const profile = ctx.profile;
  const uid = checkId(scope, props.runAsUser, 'props.runAsUser');
  const gid = checkId(scope, props.runAsGroup, 'props.runAsGroup');
  const resources = checkResources(scope, props.resources ?? profile.defaultResources);
  const grace = props.terminationGracePeriodSeconds ?? 30;
  if (!Number.isInteger(grace) || grace < 0 || grace > 3600) {
    fail(scope, 'pod-spec-valid', 'props.terminationGracePeriodSeconds', grace, 'must be an integer between 0 and 3600.', 'use e.g. 30.');
  }
  // The image: the catalogue's image rules, evaluated at construct time with the profile's settings.
  const image = checkImage(scope, ctx, props.image, 'props.image');
  const { volumes, mounts, writableMounts, apiAccess } = checkVolumes(scope, props, ctx);
  const env = checkEnv(scope, props.env);
  const command = strings(scope, props.command, 'props.command');
  const args = strings(scope, props.args, 'props.args');
  const { readiness, liveness, startup } = checkProbes(scope, props, ctx);
  const runtimeClassName = props.runtimeClassName ?? profile.defaultRuntimeClassName;
  if (runtimeClassName !== undefined && (typeof runtimeClassName !== 'string' || !DNS1123_SUBDOMAIN.test(runtimeClassName))) {
    fail(scope, 'pod-spec-valid', props.runtimeClassName !== undefined ? 'props.runtimeClassName' : 'HardeningProfile.defaultRuntimeClassName', runtimeClassName,
      'is not a RuntimeClass name (a DNS-1123 subdomain: lower-case alphanumerics, "-" and ".").', 'use the name of a RuntimeClass of the cluster, e.g. "gvisor" or "kata".');
  }
  const nodeSelector = checkNodeSelector(scope, props.nodeSelector);
  const tolerations = checkTolerations(scope, props.tolerations);
  const affinity = checkAffinity(scope, props.nodeAffinity, props.antiAffinity, ctx.selectorLabels);
  const pullSecrets = checkPullSecrets(scope, props.imagePullSecrets);
  const pullPolicy = props.imagePullPolicy ?? ImagePullPolicy.ALWAYS;
  if (!PULL_POLICIES.includes(pullPolicy)) {
    fail(scope, 'pod-spec-valid', 'props.imagePullPolicy', pullPolicy, `is not one of ${PULL_POLICIES.join(', ')} (Never would run whatever image a node holds).`,
      'omit it for ImagePullPolicy.ALWAYS.');
  }
  const podAnnotations = checkAnnotations(scope, props.podAnnotations);
  const priorityClassName = checkPriorityClass(scope, props.priorityClassName);
  const initContainers = checkExtraContainers(scope, props, ctx, resources);
  const capabilities = [...(props.bindPrivilegedPort ? ['NET_BIND_SERVICE'] : []), ...(ctx.addCapabilities ?? [])];
  return {
    uid, gid, resources, grace, image, volumes, mounts, writableMounts, apiAccess, env, command, args, readiness, liveness, startup, runtimeClassName,
    nodeSelector, tolerations, affinity, pullSecrets, pullPolicy, podAnnotations, priorityClassName, initContainers, capabilities,
  };
}

/** `spec.template` of a validated pod for the given ServiceAccount. Judges nothing: every check ran in validatePodProps. */
export function renderPodTemplate(pod: ValidatedPod, ctx: PodTemplateContext, serviceAccountName: string): any {
  const initContainers = pod.initContainers.map(c => renderExtraContainer(pod, c));
  const topologySpreadConstraints = ctx.topologySpread
    ? ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: ctx.selectorLabels },
    }))
    : undefined;
  return {
    metadata: { labels: ctx.labels, ...(pod.podAnnotations ? { annotations: pod.podAnnotations } : {}) },
    spec: {
      serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: pod.grace,
      ...(ctx.restartPolicy ? { restartPolicy: ctx.restartPolicy } : {}),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: pod.uid,
        runAsGroup: pod.gid,
        fsGroup: pod.gid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [renderMainContainer(pod, ctx)],
      volumes: pod.volumes,
      ...(topologySpreadConstraints ? { topologySpreadConstraints } : {}),
      ...(pod.runtimeClassName ? { runtimeClassName: pod.runtimeClassName } : {}),
      ...(pod.nodeSelector ? { nodeSelector: pod.nodeSelector } : {}),
      ...(pod.tolerations ? { tolerations: pod.tolerations } : {}),
      ...(pod.affinity ? { affinity: pod.affinity } : {}),
      ...(pod.pullSecrets.length > 0 ? { imagePullSecrets: pod.pullSecrets } : {}),
      ...(pod.priorityClassName ? { priorityClassName: pod.priorityClassName } : {}),
    },
  };
}

/** The main container: the workload's image, port, probes and mounts under the restricted security context. */
function renderMainContainer(pod: ValidatedPod, ctx: PodTemplateContext): any {
  return {
    name: 'main',
    image: pod.image,
    imagePullPolicy: pod.pullPolicy,
    ...(pod.command ? { command: pod.command } : {}),
    ...(pod.args ? { args: pod.args } : {}),
    ...(ctx.port !== undefined ? { ports: [{ name: 'app', containerPort: ctx.port, protocol: 'TCP', ...(ctx.hostPort !== undefined ? { hostPort: ctx.hostPort } : {}) }] } : {}),
    ...(pod.env.length > 0 ? { env: pod.env } : {}),
    resources: renderResources(pod.resources),
    ...(pod.readiness ? { readinessProbe: pod.readiness } : {}),
    ...(pod.liveness ? { livenessProbe: pod.liveness } : {}),
    ...(pod.startup ? { startupProbe: pod.startup } : {}),
    securityContext: containerSecurityContext(pod.uid, pod.gid, pod.capabilities),
    volumeMounts: pod.mounts,
  };
}

/** An init container or native sidecar: the same hardening, the writable paths and nothing else mounted. */
function renderExtraContainer(pod: ValidatedPod, c: ValidatedContainer): any {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: pod.pullPolicy,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(c.env.length > 0 ? { env: c.env } : {}),
    ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
    resources: renderResources(c.resources),
    securityContext: containerSecurityContext(pod.uid, pod.gid, []),
    volumeMounts: pod.writableMounts.map(m => ({ ...m })),
  };
}

/** Volumes and mounts as they are collected: a path is mounted once. */
interface MountCollector {
  readonly scope: IConstruct;
  readonly volumes: any[];
  readonly mounts: any[];
  readonly writableMounts: any[];
  readonly seenPaths: Set<string>;
}

/**
 * The pod's volumes and the main container's mounts, in a fixed order: writable paths, Secrets, ConfigMaps, secret
 * provider classes, claims, projected volumes, the workload kind's own mounts, the API token; each path checked as it
 * is added, then the volume names.
 */
function checkVolumes(scope: IConstruct, props: HardenedWorkloadProps, ctx: PodTemplateContext): Pick<ValidatedPod, 'volumes' | 'mounts' | 'writableMounts' | 'apiAccess'> {
  const acc: MountCollector = { scope, volumes: [], mounts: [], writableMounts: [], seenPaths: new Set<string>() };
  addWritablePaths(acc, props);
  list(scope, props.secretMounts, 'props.secretMounts', 'pod-spec-valid').forEach((m, i) => {
    const secretName = mountSource(acc, m, 'secret', `props.secretMounts[${i}]`);
    acc.volumes.push({ name: `secret-${i}`, secret: { secretName, defaultMode: 0o440 } });
    acc.mounts.push({ name: `secret-${i}`, mountPath: m.path, readOnly: true });
  });
  list(scope, props.configMapMounts, 'props.configMapMounts', 'pod-spec-valid').forEach((m, i) => {
    const configMapName = mountSource(acc, m, 'configMap', `props.configMapMounts[${i}]`);
    acc.volumes.push({ name: `config-${i}`, configMap: { name: configMapName, defaultMode: 0o444 } });
    acc.mounts.push({ name: `config-${i}`, mountPath: m.path, readOnly: true });
  });
  addSecretProviderMounts(acc, props, ctx);
  addClaimMounts(acc, props);
  addProjectedMounts(acc, props);
  for (const extra of ctx.extraMounts ?? []) {
    addPath(acc, extra.mount.mountPath, extra.field);
    if (extra.volume) acc.volumes.push(extra.volume);
    acc.mounts.push(extra.mount);
  }
  const apiAccess = addApiAccess(acc, props, ctx);
  const volumeNames = new Set<string>();
  // A StatefulSet's claim templates become pod volumes named after the claim (added by the controller).
  const claimVolumes = (ctx.extraMounts ?? []).filter(x => !x.volume).map(x => ({ name: x.mount.name }));
  for (const v of [...acc.volumes, ...claimVolumes]) {
    if (volumeNames.has(v.name)) fail(scope, 'pod-spec-valid', 'props', v.name, 'is the name of two volumes of the pod; the API server rejects the pod.', 'rename the StatefulSet volume claim or host mount that clashes.');
    volumeNames.add(v.name);
  }
  return { volumes: acc.volumes, mounts: acc.mounts, writableMounts: acc.writableMounts, apiAccess };
}

/** A mount path: an absolute, normalized directory other than "/", mounted once. */
function addPath(acc: MountCollector, p: string, field: string): void {
  if (!isMountPath(p)) {
    fail(acc.scope, 'read-only-root-filesystem', field, p, 'must be an absolute, normalized directory other than "/" (a writable "/" would defeat the read-only root filesystem).',
      'use a dedicated directory such as /tmp or /var/cache/app.');
  }
  if (acc.seenPaths.has(p)) fail(acc.scope, 'read-only-root-filesystem', field, p, 'is mounted twice.', 'list each path once.');
  acc.seenPaths.add(p);
}

/** Writable content never goes over a system directory (binaries, libraries, configuration, the token directory). */
function writableOverSystem(scope: IConstruct, p: unknown, field: string, what: string): void {
  const dir = systemDirOf(p);
  if (dir) {
    fail(scope, 'read-only-root-filesystem', field, p, `mounts ${what} over ${dir}: it replaces the image's ${dir.includes('secrets') ? 'token directory' : 'binaries, libraries or configuration'} with content the image did not ship, defeating the read-only root filesystem.`,
      'mount writable volumes at a directory of the application, e.g. /var/lib/app or /tmp; mount configuration read-only (secretMounts, configMapMounts).');
  }
}

/** Writable paths: emptyDir mounts on a read-only root filesystem. */
function addWritablePaths(acc: MountCollector, props: HardenedWorkloadProps): void {
  const writable = props.writablePaths ?? ['/tmp'];
  list(acc.scope, writable, 'props.writablePaths', 'read-only-root-filesystem');
  const sizeLimit = props.writablePathSizeLimit ?? '256Mi';
  checkQuantity(acc.scope, sizeLimit, 'props.writablePathSizeLimit', 'read-only-root-filesystem');
  writable.forEach((p, i) => {
    addPath(acc, p, `props.writablePaths[${i}]`);
    writableOverSystem(acc.scope, p, `props.writablePaths[${i}]`, 'a writable emptyDir');
    acc.volumes.push({ name: `writable-${i}`, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } });
    acc.mounts.push({ name: `writable-${i}`, mountPath: p });
    acc.writableMounts.push({ name: `writable-${i}`, mountPath: p });
  });
}

/** The Secret or ConfigMap name of a secretMounts / configMapMounts entry, its path added. */
function mountSource(acc: MountCollector, m: any, key: 'secret' | 'configMap', field: string): string {
  const scope = acc.scope;
  // A wrongly typed mount or source is an invalid pod spec (pod-spec-valid); where it is mounted is judged by addPath.
  if (!isRecord(m)) fail(scope, 'pod-spec-valid', field, m, `must be an object { path, ${key} }.`, `pass e.g. { path: "/etc/app", ${key} }.`);
  addPath(acc, m.path as string, `${field}.path`);
  const name = (m[key] as any)?.name;
  if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name)) {
    fail(scope, 'pod-spec-valid', `${field}.${key}`, m[key], `is not a ${key === 'secret' ? 'Secret' : 'ConfigMap'} with a valid name (a DNS-1123 subdomain).`,
      key === 'secret' ? 'pass kplus.Secret.fromSecretName(this, "db", "db-credentials").' : 'pass a kplus.ConfigMap or kplus.ConfigMap.fromConfigMapName(...).');
  }
  return name;
}

/** Secrets Store CSI volumes of SecretProviderClasses in the workload's namespace. */
function addSecretProviderMounts(acc: MountCollector, props: HardenedWorkloadProps, ctx: PodTemplateContext): void {
  const scope = acc.scope;
  list(scope, props.secretProviderMounts, 'props.secretProviderMounts', 'pod-spec-valid').forEach((m, i) => {
    const field = `props.secretProviderMounts[${i}]`;
    if (!isRecord(m)) fail(scope, 'pod-spec-valid', field, m, 'must be an object { path, secretProviderClass }.', 'pass e.g. { path: "/mnt/secrets", secretProviderClass }.');
    addPath(acc, m.path as string, `${field}.path`);
    const spc = m.secretProviderClass as any;
    if (typeof spc?.name !== 'string' || !DNS1123_SUBDOMAIN.test(spc.name)) {
      fail(scope, 'pod-spec-valid', `${field}.secretProviderClass`, spc, 'is not a SecretProviderClass with a valid name (a DNS-1123 subdomain).', 'pass an AwsSecretProviderClass or { name }.');
    }
    if (spc.namespace !== undefined && spc.namespace !== (ctx.namespace ?? 'default')) {
      fail(scope, 'pod-spec-valid', `${field}.secretProviderClass.namespace`, spc.namespace,
        `is not the workload's namespace "${ctx.namespace ?? 'default'}"; the CSI driver reads the class from the pod's namespace only.`,
        'create the SecretProviderClass in the workload\'s namespace.');
    }
    acc.volumes.push({ name: `secrets-store-${i}`, csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spc.name } } });
    acc.mounts.push({ name: `secrets-store-${i}`, mountPath: m.path as string, readOnly: true });
  });
}

/** PersistentVolumeClaim mounts: read-only unless asked, never over a system directory. */
function addClaimMounts(acc: MountCollector, props: HardenedWorkloadProps): void {
  const scope = acc.scope;
  list(scope, props.persistentVolumeClaimMounts, 'props.persistentVolumeClaimMounts', 'pod-spec-valid').forEach((m, i) => {
    const field = `props.persistentVolumeClaimMounts[${i}]`;
    if (!isRecord(m)) fail(scope, 'pod-spec-valid', field, m, 'must be an object { path, claimName, readOnly? }.', 'pass e.g. { path: "/data", claimName: "shared-data" }.');
    addPath(acc, m.path as string, `${field}.path`);
    if (typeof m.claimName !== 'string' || !DNS1123_SUBDOMAIN.test(m.claimName)) {
      fail(scope, 'pod-spec-valid', `${field}.claimName`, m.claimName, 'is not a PersistentVolumeClaim name (a DNS-1123 subdomain).', 'name a PersistentVolumeClaim of the workload\'s namespace, e.g. "shared-data".');
    }
    const readOnly = m.readOnly ?? true;
    if (typeof readOnly !== 'boolean') fail(scope, 'pod-spec-valid', `${field}.readOnly`, readOnly, 'must be a boolean.', 'omit it (read-only) or pass false for data the workload owns.');
    // A claim's content is shared (whatever else mounts it writes it): not over a system directory, even read-only.
    writableOverSystem(scope, m.path, `${field}.path`, `${readOnly ? 'the shared content of claim' : 'writable claim'} "${String(m.claimName)}"`);
    acc.volumes.push({ name: `pvc-${i}`, persistentVolumeClaim: { claimName: m.claimName, readOnly } });
    acc.mounts.push({ name: `pvc-${i}`, mountPath: m.path as string, ...(readOnly ? { readOnly: true } : {}) });
  });
}

/** Projected volumes; an audience-bound token never at the standard token path. */
function addProjectedMounts(acc: MountCollector, props: HardenedWorkloadProps): void {
  const scope = acc.scope;
  list(scope, props.projectedMounts, 'props.projectedMounts', 'pod-spec-valid').forEach((m, i) => {
    const field = `props.projectedMounts[${i}]`;
    if (!isRecord(m)) fail(scope, 'pod-spec-valid', field, m, 'must be an object { path, sources }.', 'pass e.g. { path: "/var/run/secrets/tokens", sources: [ProjectedSource.serviceAccountToken({ audience: "vault" })] }.');
    addPath(acc, m.path as string, `${field}.path`);
    const sources = list(scope, m.sources as ProjectedSource[], `${field}.sources`, 'pod-spec-valid');
    if (sources.length === 0) fail(scope, 'pod-spec-valid', `${field}.sources`, m.sources, 'is empty.', 'give at least one ProjectedSource.');
    const files = new Set<string>();
    const rendered = sources.map((src, j) => renderProjection(scope, src, `${field}.sources[${j}]`, files));
    if (rendered.some(r => r.serviceAccountToken) && holdsTokenPath(m.path)) {
      fail(scope, 'service-account-token-automount', `${field}.path`, m.path,
        `holds the standard ServiceAccount token path ${TOKEN_MOUNT} (or ${TOKEN_MOUNT_RUN}, the same directory where /var/run links to /run): in-cluster clients would present this token to the Kubernetes API.`,
        'mount audience-bound tokens elsewhere, e.g. /var/run/secrets/tokens; API access is granted through apiAccess.');
    }
    acc.volumes.push({ name: `projected-${i}`, projected: { defaultMode: 0o440, sources: rendered } });
    acc.mounts.push({ name: `projected-${i}`, mountPath: m.path as string, readOnly: true });
  });
}

/** Kubernetes API access: explicit Role + short-lived projected token, never the automounted one. */
function addApiAccess(acc: MountCollector, props: HardenedWorkloadProps, ctx: PodTemplateContext): ApiAccessRule[] {
  const scope = acc.scope;
  const apiAccess = list(scope, props.apiAccess, 'props.apiAccess', 'rbac-wildcard');
  apiAccess.forEach((r, i) => checkApiRule(scope, ctx, r, `props.apiAccess[${i}]`));
  // Rules that take an escalation path only together (e.g. CSR approval) are judged as the whole Role too.
  if (apiAccess.length > 1) checkApiGrants(scope, ctx, apiAccess, 'props.apiAccess', apiAccess);
  if (apiAccess.length > 0) {
    if (acc.seenPaths.has(TOKEN_MOUNT)) fail(scope, 'service-account-token-automount', 'props', TOKEN_MOUNT, 'is already used by a mount.', 'mount elsewhere.');
    acc.volumes.push({
      name: 'kube-api-access',
      projected: {
        defaultMode: 0o440,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    acc.mounts.push({ name: 'kube-api-access', mountPath: TOKEN_MOUNT, readOnly: true });
  }
  return apiAccess;
}

/** Readiness, liveness and startup probes: long-running pods with a port get TCP probes by default. */
function checkProbes(scope: IConstruct, props: HardenedWorkloadProps, ctx: PodTemplateContext): Pick<ValidatedPod, 'readiness' | 'liveness' | 'startup'> {
  const probe = (check: HealthCheck | undefined, fallback: HealthCheck | undefined, field: string) => {
    if (check !== undefined && !(check instanceof HealthCheck)) {
      fail(scope, 'probes-configured', field, check, 'is not a HealthCheck.', 'use HealthCheck.tcp(), HealthCheck.httpGet("/healthz") or HealthCheck.command([...]).');
    }
    const chosen = check ?? fallback;
    return chosen ? chosen._render(scope, field, ctx.port as number) : undefined;
  };
  const longRunning = !ctx.batch && ctx.port !== undefined;
  const readiness = probe(props.readiness, longRunning ? HealthCheck.tcp() : undefined, 'props.readiness');
  const liveness = probe(props.liveness, longRunning ? HealthCheck.tcp(undefined, { initialDelaySeconds: 10 }) : undefined, 'props.liveness');
  const startup = probe(props.startup, undefined, 'props.startup');
  if (!ctx.batch && (!readiness || !liveness)) {
    fail(scope, 'probes-configured', !readiness ? 'props.readiness' : 'props.liveness', undefined,
      'is required: a long-running workload without a port has no default probe, and without probes a hung pod is never noticed.',
      'pass HealthCheck.command([...]) or HealthCheck.httpGet("/healthz", port), or give the workload a port.');
  }
  return { readiness, liveness, startup };
}

/** imagePullSecrets: Secret names of the namespace. */
function checkPullSecrets(scope: IConstruct, secrets: string[] | undefined): Array<{ name: string }> {
  return list(scope, secrets, 'props.imagePullSecrets', 'pod-spec-valid').map((s, i) => {
    if (typeof s !== 'string' || !DNS1123_SUBDOMAIN.test(s)) {
      fail(scope, 'pod-spec-valid', `props.imagePullSecrets[${i}]`, s, 'is not a Secret name (a DNS-1123 subdomain).', 'name a kubernetes.io/dockerconfigjson Secret of the namespace, e.g. "registry-credentials".');
    }
    return { name: s };
  });
}

/** A PriorityClass name, never a system class. */
function checkPriorityClass(scope: IConstruct, priorityClassName: string | undefined): string | undefined {
  if (priorityClassName !== undefined && priorityClassName !== null) {
    if (typeof priorityClassName !== 'string' || !DNS1123_SUBDOMAIN.test(priorityClassName)) {
      fail(scope, 'pod-spec-valid', 'props.priorityClassName', priorityClassName, 'is not a PriorityClass name (a DNS-1123 subdomain).', 'name a PriorityClass of the cluster, e.g. "business-critical".');
    }
    if (priorityClassName.startsWith('system-')) {
      fail(scope, 'pod-spec-valid', 'props.priorityClassName', priorityClassName,
        'is a system priority class: the pods could preempt cluster components (DNS, CNI, kube-proxy) and starve the cluster.',
        'create an application PriorityClass below 1000000000, or omit it.');
    }
  }
  return priorityClassName;
}

/** Sidecars, then init containers: unique names, the image rules, resources (the pod's by default), env, command. */
function checkExtraContainers(scope: IConstruct, props: HardenedWorkloadProps, ctx: PodTemplateContext, podResources: WorkloadResources): ValidatedContainer[] {
  const containerNames = new Set(['main']);
  const extraContainer = (container: unknown, field: string, sidecar: boolean): ValidatedContainer => {
    if (!isRecord(container)) fail(scope, 'pod-spec-valid', field, container, 'must be an object { name, image }.', 'pass e.g. { name: "init-config", image }.');
    const c: any = container;
    if (typeof c.name !== 'string' || !DNS1123.test(c.name) || containerNames.has(c.name)) {
      fail(scope, 'pod-spec-valid', `${field}.name`, c.name, 'is not a unique container name (a DNS-1123 label other than "main").', 'use e.g. "init-config".');
    }
    containerNames.add(c.name);
    const image = checkImage(scope, ctx, c.image, `${field}.image`);
    const resources = c.resources === undefined || c.resources === null ? podResources : checkResources(scope, c.resources, field);
    const env = checkEnv(scope, c.env, field);
    const command = strings(scope, c.command, `${field}.command`);
    const args = strings(scope, c.args, `${field}.args`);
    return { name: c.name, image, command, args, env, resources, sidecar };
  };
  const sidecars = list(scope, props.sidecars, 'props.sidecars', 'pod-spec-valid').map((c, i) => extraContainer(c, `props.sidecars[${i}]`, true));
  const inits = list(scope, props.initContainers, 'props.initContainers', 'pod-spec-valid').map((c, i) => extraContainer(c, `props.initContainers[${i}]`, false));
  return [...sidecars, ...inits];
}

/** Pod annotations: valid keys, no reserved or security-relevant prefix, at most 256 KiB in total (as the API server). */
function checkAnnotations(scope: IConstruct, annotations: unknown): { [key: string]: string } | undefined {
  if (annotations === undefined || annotations === null) return undefined;
  if (!isRecord(annotations)) fail(scope, 'metadata-valid', 'props.podAnnotations', annotations, 'must be an object of annotation key -> value.', 'pass e.g. { "prometheus.io/scrape": "true" }.');
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    if (!isLabelKey(k)) fail(scope, 'metadata-valid', 'props.podAnnotations', k, 'is not a valid annotation key ([prefix/]name, name at most 63 characters).', 'use e.g. "prometheus.io/scrape".');
    const prefix = k.includes('/') ? k.split('/')[0] : '';
    if (prefix === 'k8s.io' || prefix === 'kubernetes.io' || prefix.endsWith('.k8s.io') || prefix.endsWith('.kubernetes.io') || prefix === 'hardened.cdk8s.io') {
      fail(scope, 'metadata-valid', 'props.podAnnotations', k,
        'uses a reserved prefix: Kubernetes annotations of that namespace change security behaviour (e.g. an AppArmor or seccomp profile), and hardened.cdk8s.io/ carries waivers.',
        'use your own prefix, e.g. "example.com/owner"; accept a finding with Waiver.apply.');
    }
    if (typeof v !== 'string') fail(scope, 'metadata-valid', `props.podAnnotations.${k}`, v, 'must be a string.', 'quote the value, e.g. "true".');
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > 256 * 1024) fail(scope, 'metadata-valid', 'props.podAnnotations', `${size} bytes`, 'exceeds the 256 KiB the API server accepts for all annotations.', 'keep annotations small; put data in a ConfigMap.');
  return { ...annotations } as { [key: string]: string };
}

/** Requests and limits: memory limit defaults to the request, ephemeral storage to 1Gi, CPU unlimited unless given. */
function renderResources(resources: WorkloadResources): any {
  return {
    requests: {
      cpu: k8s.Quantity.fromString(resources.cpuRequest),
      memory: k8s.Quantity.fromString(resources.memoryRequest),
    },
    limits: {
      'memory': k8s.Quantity.fromString(resources.memoryLimit ?? resources.memoryRequest),
      'ephemeral-storage': k8s.Quantity.fromString(resources.ephemeralStorageLimit ?? '1Gi'),
      ...(resources.cpuLimit ? { cpu: k8s.Quantity.fromString(resources.cpuLimit) } : {}),
    },
  };
}

/** The restricted container security context. */
function containerSecurityContext(uid: number, gid: number, capabilities: string[]): any {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'], ...(capabilities.length > 0 ? { add: capabilities } : {}) },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The catalogue's image rules on one image reference, at construct time with the profile's settings. */
function checkImage(scope: IConstruct, ctx: PodTemplateContext, image: unknown, field: string): string {
  if (typeof image !== 'string' || image.length === 0 || /\s/.test(image)) {
    fail(scope, 'image-digest', field, image, 'is not an image reference.', 'use registry/repository@sha256:<digest>.');
  }
  const imageProbe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: ctx.name }, spec: { containers: [{ name: 'main', image }] } };
  for (const ruleId of ['image-tag-latest', 'image-digest', 'image-registry-allowed']) {
    assertRule(scope, ruleId, imageProbe, field, image);
  }
  return image;
}

function checkId(scope: IConstruct, id: number | undefined, field: string): number {
  if (id === undefined) return DEFAULT_UID;
  if (id === 0) fail(scope, 'run-as-user-root', field, id, 'would run the container as root.', `use a non-zero id (default ${DEFAULT_UID}).`);
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2147483647) {
    fail(scope, 'run-as-non-root', field, id, 'must be an integer between 1 and 2147483647.', `use the id your image's files belong to (default ${DEFAULT_UID}).`);
  }
  return id;
}

/** A copy of an optional list of strings (command, args). */
function strings(scope: IConstruct, value: string[] | undefined, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some(x => typeof x !== 'string')) {
    fail(scope, 'pod-spec-valid', field, value, 'must be a list of strings.', 'pass e.g. ["/app", "--serve"].');
  }
  return [...value];
}

function checkEnv(scope: IConstruct, env: { [name: string]: kplus.EnvValue } | undefined, prefix = 'props'): any[] {
  if (env === undefined || env === null) return [];
  if (!isRecord(env)) fail(scope, 'pod-spec-valid', `${prefix}.env`, env, 'must be an object of name -> EnvValue.', 'pass e.g. { LOG_LEVEL: kplus.EnvValue.fromValue("info") }.');
  return Object.entries(env).map(([name, v]) => {
    if (!ENV_NAME.test(name)) {
      fail(scope, 'pod-spec-valid', `${prefix}.env`, name, 'is not a valid environment variable name ([-._a-zA-Z][-._a-zA-Z0-9]*).', 'rename it, e.g. "LOG_LEVEL".');
    }
    const value = (v as any)?.value;
    const valueFrom = (v as any)?.valueFrom;
    if (!isRecord(v) || (typeof value !== 'string' && !isRecord(valueFrom))) {
      fail(scope, 'pod-spec-valid', `${prefix}.env.${name}`, v, 'is not an EnvValue.', 'use kplus.EnvValue.fromValue(...), fromSecretValue(...), fromConfigMap(...) or fromFieldRef(...).');
    }
    return { name, value, valueFrom };
  });
}

function checkNodeSelector(scope: IConstruct, selector: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  if (selector === undefined || selector === null) return undefined;
  if (!isRecord(selector)) fail(scope, 'pod-spec-valid', 'props.nodeSelector', selector, 'must be an object of node label key -> value.', 'pass e.g. { pool: "secure" }.');
  for (const [k, v] of Object.entries(selector)) {
    if (!isLabelKey(k)) fail(scope, 'pod-spec-valid', 'props.nodeSelector', k, 'is not a valid label key ([prefix/]name, name at most 63 characters).', 'use a node label key such as "node.kubernetes.io/pool".');
    if (!isLabelValue(v)) fail(scope, 'pod-spec-valid', `props.nodeSelector.${k}`, v, 'is not a valid label value (at most 63 alphanumerics, "-", "_", ".").', 'use the node label\'s exact value.');
  }
  return { ...selector } as { [key: string]: string };
}

function checkTolerations(scope: IConstruct, tolerations: PodToleration[] | undefined): any[] | undefined {
  if (tolerations === undefined || tolerations === null) return undefined;
  return list(scope, tolerations, 'props.tolerations', 'pod-spec-valid').map((t, i) => {
    const field = `props.tolerations[${i}]`;
    if (!isRecord(t)) fail(scope, 'pod-spec-valid', field, t, 'must be an object { key, value?, effect? }.', 'pass e.g. { key: "dedicated", value: "secure", effect: "NoSchedule" }.');
    if (t.key === undefined || t.key === '') {
      fail(scope, 'toleration-any-taint', `${field}.key`, t.key, 'is empty: the toleration would match every taint, including the control plane\'s.', 'name the taint key, e.g. "dedicated".');
    }
    if (!isLabelKey(t.key)) fail(scope, 'pod-spec-valid', `${field}.key`, t.key, 'is not a taint key (a label key).', 'name the taint key, e.g. "dedicated".');
    if (t.value !== undefined && !isLabelValue(t.value)) fail(scope, 'pod-spec-valid', `${field}.value`, t.value, 'is not a valid taint value (a label value).', 'use the taint\'s exact value, or omit it to match any value.');
    if (t.effect !== undefined && !TAINT_EFFECTS.includes(t.effect as string)) {
      fail(scope, 'pod-spec-valid', `${field}.effect`, t.effect, `is not one of ${TAINT_EFFECTS.join(', ')}.`, 'use the taint\'s effect, or omit it to match all effects.');
    }
    return {
      key: t.key,
      operator: t.value === undefined ? 'Exists' : 'Equal',
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(t.effect !== undefined ? { effect: t.effect } : {}),
    };
  });
}

function checkResources(scope: IConstruct, r: WorkloadResources | undefined, prefix = 'props'): WorkloadResources {
  if (r !== undefined && !isRecord(r)) {
    fail(scope, 'resources-requests', `${prefix}.resources`, r, 'must be an object { cpuRequest, memoryRequest, ... }.', 'pass resources: { cpuRequest: "100m", memoryRequest: "128Mi" }.');
  }
  if (!r) {
    fail(scope, 'resources-requests', `${prefix}.resources`, r, 'no resources given and the HardeningProfile has no defaultResources; an unsized pod can starve its node.',
      'pass resources: { cpuRequest: "100m", memoryRequest: "128Mi" } or set defaultResources on a HardeningProfile.');
  }
  const cpuRequest = checkQuantity(scope, r.cpuRequest, `${prefix}.resources.cpuRequest`, 'resources-requests');
  const memoryRequest = checkQuantity(scope, r.memoryRequest, `${prefix}.resources.memoryRequest`, 'resources-requests');
  if (r.memoryLimit !== undefined && checkQuantity(scope, r.memoryLimit, `${prefix}.resources.memoryLimit`, 'memory-limit') < memoryRequest) {
    fail(scope, 'pod-spec-valid', `${prefix}.resources.memoryLimit`, r.memoryLimit, `is below memoryRequest ${r.memoryRequest}; the API server rejects a limit lower than the request.`,
      'set memoryLimit >= memoryRequest, or omit it (default: equal to the request).');
  }
  if (r.cpuLimit !== undefined && checkQuantity(scope, r.cpuLimit, `${prefix}.resources.cpuLimit`, 'resources-requests') < cpuRequest) {
    fail(scope, 'pod-spec-valid', `${prefix}.resources.cpuLimit`, r.cpuLimit, `is below cpuRequest ${r.cpuRequest}; the API server rejects a limit lower than the request.`,
      'set cpuLimit >= cpuRequest, or omit it (default: no CPU limit).');
  }
  if (r.ephemeralStorageLimit !== undefined) checkQuantity(scope, r.ephemeralStorageLimit, `${prefix}.resources.ephemeralStorageLimit`, 'resources-requests');
  return r;
}

function checkApiRule(scope: IConstruct, ctx: PodTemplateContext, r: ApiAccessRule, field: string): void {
  if (!isRecord(r)) fail(scope, 'rbac-wildcard', field, r, 'must be an object { apiGroups, resources, verbs }.', 'name the exact API groups, resources and verbs.');
  if (r.resourceNames !== undefined && (!Array.isArray(r.resourceNames) || r.resourceNames.some(x => typeof x !== 'string' || x === ''))) {
    fail(scope, 'rbac-wildcard', `${field}.resourceNames`, r.resourceNames, 'must be a list of object names.', 'name the exact objects, e.g. ["db-credentials"].');
  }
  const lists: [string, unknown][] = [['apiGroups', r.apiGroups], ['resources', r.resources], ['verbs', r.verbs]];
  for (const [k, v] of lists) {
    if (!Array.isArray(v) || v.length === 0 || v.some(x => typeof x !== 'string')) {
      fail(scope, 'rbac-wildcard', `${field}.${k}`, v, 'must be a non-empty list of strings.', 'name the exact API groups, resources and verbs.');
    }
    if ((v as string[]).some(x => x.includes('*'))) {
      fail(scope, 'rbac-wildcard', `${field}.${k}`, v, 'contains a wildcard.', 'name the exact API groups, resources and verbs.');
    }
  }
  // What the rule grants, judged by the catalogue's RBAC rules through the shared evaluator (effective grants).
  checkApiGrants(scope, ctx, [r], field, r);
  for (const verb of r.verbs) {
    if (!ALLOWED_VERBS.includes(verb)) {
      fail(scope, 'rbac-wildcard', `${field}.verbs`, verb, `is not one of ${ALLOWED_VERBS.join(', ')}.`, 'use a standard verb.');
    }
  }
}

/** Every RBAC grant rule (errors and warnings alike) must pass on the Role these rules would make. */
function checkApiGrants(scope: IConstruct, ctx: PodTemplateContext, rules: ApiAccessRule[], field: string, value: unknown): void {
  const candidate = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: `${ctx.name}-api-access`, namespace: ctx.namespace ?? 'default' },
    rules: rules.map(x => ({ apiGroups: x.apiGroups, resources: x.resources, verbs: x.verbs, ...(x.resourceNames ? { resourceNames: x.resourceNames } : {}) })),
  };
  for (const ruleId of RBAC_GRANT_RULE_IDS) assertRule(scope, ruleId, candidate, field, value);
}

const NODE_OPERATORS = Object.values(NodeLabelOperator) as string[];
const STRENGTHS = Object.values(AntiAffinityStrength) as string[];
/** Pod fields a downward API volume file may carry (fieldRef of a volume; status fields are env-only). */
const DOWNWARD_FIELDS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations'];
const DOWNWARD_KEYED = /^metadata\.(labels|annotations)\['([^'\]]+)'\]$/;
/** ConfigMap and Secret keys (IsConfigMapKey). */
const DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
/** Audiences of the Kubernetes API server itself (its default --api-audiences / issuer forms). */
const API_SERVER_AUDIENCE = /^(https?:\/\/)?kubernetes(\.default)?(\.svc)?(\.[a-z0-9.-]+)?(:\d+)?\/?$/i;
const TOKEN_MIN_SECONDS = 600;
const TOKEN_MAX_SECONDS = 86400;

/** A file path inside a volume: relative, normalized, no `..`. */
function isVolumeFilePath(p: unknown): p is string {
  return typeof p === 'string' && p.length > 0 && p.length <= 4096 && !p.startsWith('/') && !p.split('/').some(s => s === '..' || s === '.' || s === '');
}

/** One validated projected volume source, as cdk8s k8s props. */
function renderProjection(scope: IConstruct, src: unknown, field: string, files: Set<string>): any {
  if (!(src instanceof ProjectedSource)) {
    fail(scope, 'pod-spec-valid', field, src, 'is not a ProjectedSource.',
      'use ProjectedSource.configMap(...), .secret(...), .downwardApi([...]) or .serviceAccountToken({ audience }).');
  }
  const file = (p: unknown, f: string) => {
    if (!isVolumeFilePath(p)) fail(scope, 'pod-spec-valid', f, p, 'is not a relative file path inside the volume (no leading "/", no "." or ".." segments).', 'use e.g. "token" or "config/app.yaml".');
    if (files.has(p)) fail(scope, 'pod-spec-valid', f, p, 'is written by two sources of the projected volume.', 'give each file its own path.');
    files.add(p);
    return p;
  };
  switch (src._kind) {
    case 'configMap':
    case 'secret': {
      const what = src._kind === 'secret' ? 'Secret' : 'ConfigMap';
      const name = src._source?.name;
      if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name)) {
        fail(scope, 'pod-spec-valid', `${field}.${src._kind}`, src._source, `is not a ${what} with a valid name (a DNS-1123 subdomain).`,
          src._kind === 'secret' ? 'pass kplus.Secret.fromSecretName(this, "db", "db-credentials").' : 'pass a kplus.ConfigMap or kplus.ConfigMap.fromConfigMapName(...).');
      }
      const items = src._items === undefined ? undefined : list(scope, src._items, `${field}.items`, 'pod-spec-valid').map((it: any, k: number) => {
        if (!isRecord(it) || typeof it.key !== 'string' || !DATA_KEY.test(it.key)) {
          fail(scope, 'pod-spec-valid', `${field}.items[${k}].key`, it?.key, `is not a ${what} key ([-._a-zA-Z0-9]+).`, 'name a key of the object.');
        }
        return { key: it.key, path: file(it.path, `${field}.items[${k}].path`) };
      });
      if (items !== undefined && items.length === 0) fail(scope, 'pod-spec-valid', `${field}.items`, src._items, 'is empty.', 'omit items to project every key.');
      return { [src._kind]: { name, ...(items ? { items } : {}) } };
    }
    case 'downwardAPI': {
      const fields = list(scope, src._items, `${field}.fields`, 'pod-spec-valid');
      if (fields.length === 0) fail(scope, 'pod-spec-valid', `${field}.fields`, src._items, 'is empty.', 'name at least one pod field, e.g. { path: "namespace", fieldPath: "metadata.namespace" }.');
      const items = fields.map((it: any, k: number) => {
        const fp = isRecord(it) ? it.fieldPath : undefined;
        const keyed = typeof fp === 'string' ? DOWNWARD_KEYED.exec(fp) : null;
        if (typeof fp !== 'string' || (!DOWNWARD_FIELDS.includes(fp) && !(keyed && isLabelKey(keyed[2])))) {
          fail(scope, 'pod-spec-valid', `${field}.fields[${k}].fieldPath`, fp, `is not a pod field a downward API volume carries (${DOWNWARD_FIELDS.join(', ')}, or metadata.labels['key'] / metadata.annotations['key']).`,
            'use e.g. "metadata.namespace".');
        }
        return { path: file(it.path, `${field}.fields[${k}].path`), fieldRef: { apiVersion: 'v1', fieldPath: fp } };
      });
      return { downwardApi: { items } };
    }
    case 'serviceAccountToken': {
      const o = src._source;
      if (!isRecord(o)) fail(scope, 'service-account-token-automount', field, o, 'must be token options { audience, expirationSeconds?, path? }.', 'pass e.g. { audience: "vault" }.');
      if (typeof o.audience !== 'string' || o.audience.length === 0 || o.audience.length > 1024 || /\s/.test(o.audience)) {
        fail(scope, 'service-account-token-automount', `${field}.audience`, o.audience,
          'is required (a non-empty string without spaces): a token without an audience is accepted by the Kubernetes API server and can be replayed against it.',
          'name the service that accepts the token, e.g. "vault" or "sts.amazonaws.com".');
      }
      if (API_SERVER_AUDIENCE.test(o.audience)) {
        fail(scope, 'service-account-token-automount', `${field}.audience`, o.audience,
          'is an audience of the Kubernetes API server: the token would be an API credential outside apiAccess.',
          'grant API access with apiAccess (a Role and a short-lived token at the standard path); use projected tokens for other services.');
      }
      const ttl = o.expirationSeconds ?? 3600;
      checkInt(scope, ttl, `${field}.expirationSeconds`, 'service-account-token-automount', TOKEN_MIN_SECONDS, TOKEN_MAX_SECONDS,
        `use at most ${TOKEN_MAX_SECONDS} (a leaked token is valid until it expires; default 3600); the API server refuses less than ${TOKEN_MIN_SECONDS}.`);
      return { serviceAccountToken: { audience: o.audience, expirationSeconds: ttl, path: file(o.path ?? 'token', `${field}.path`) } };
    }
    default:
      return fail(scope, 'pod-spec-valid', field, src._kind, 'is not a projected volume source.', 'use a ProjectedSource factory.');
  }
}

/** Node label requirements of one term, validated as the API server does (ValidateNodeSelectorRequirement). */
function nodeTerm(scope: IConstruct, term: NodeAffinityTerm, field: string): any {
  if (!isRecord(term)) fail(scope, 'pod-spec-valid', field, term, 'must be an object { matchExpressions }.', 'pass e.g. { matchExpressions: [{ key: "pool", operator: NodeLabelOperator.IN, values: ["secure"] }] }.');
  const exprs = list(scope, term.matchExpressions, `${field}.matchExpressions`, 'pod-spec-valid');
  if (exprs.length === 0) fail(scope, 'pod-spec-valid', `${field}.matchExpressions`, term.matchExpressions, 'is empty: an empty term matches no node.', 'give at least one requirement.');
  return {
    matchExpressions: exprs.map((e, k) => {
      const f = `${field}.matchExpressions[${k}]`;
      if (!isRecord(e)) fail(scope, 'pod-spec-valid', f, e, 'must be an object { key, operator, values? }.', 'pass e.g. { key: "pool", operator: NodeLabelOperator.IN, values: ["secure"] }.');
      if (!isLabelKey(e.key)) fail(scope, 'pod-spec-valid', `${f}.key`, e.key, 'is not a valid label key ([prefix/]name, name at most 63 characters).', 'use a node label key such as "topology.kubernetes.io/zone".');
      if (!NODE_OPERATORS.includes(e.operator as string)) fail(scope, 'pod-spec-valid', `${f}.operator`, e.operator, `is not one of ${NODE_OPERATORS.join(', ')}.`, 'use a NodeLabelOperator.');
      const values = e.values === undefined || e.values === null ? [] : list(scope, e.values as string[], `${f}.values`, 'pod-spec-valid');
      const op = e.operator as string;
      if ((op === 'In' || op === 'NotIn') && values.length === 0) fail(scope, 'pod-spec-valid', `${f}.values`, e.values, `must be non-empty for ${op}.`, 'list the label values.');
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) fail(scope, 'pod-spec-valid', `${f}.values`, e.values, `must be empty for ${op}.`, 'omit values.');
      if ((op === 'Gt' || op === 'Lt') && (values.length !== 1 || !/^-?[0-9]{1,18}$/.test(String(values[0])))) {
        fail(scope, 'pod-spec-valid', `${f}.values`, e.values, `must be exactly one integer for ${op}.`, 'pass e.g. ["4"].');
      }
      // (the API server reads Gt/Lt values as integers; In/NotIn values that are not label values could match no node)
      if (op === 'In' || op === 'NotIn') values.forEach((v, n) => { if (!isLabelValue(v)) fail(scope, 'pod-spec-valid', `${f}.values[${n}]`, v, 'is not a valid label value (at most 63 alphanumerics, "-", "_", ".").', 'use the node label\'s exact value.'); });
      return { key: e.key, operator: op, ...(values.length > 0 ? { values: [...values] } : {}) };
    }),
  };
}

/** `spec.affinity` from the node affinity and replica anti-affinity props. */
function checkAffinity(
  scope: IConstruct, node: WorkloadNodeAffinity | undefined, anti: ReplicaAntiAffinity[] | undefined, selectorLabels: { [key: string]: string },
): any {
  const out: any = {};
  if (node !== undefined && node !== null) {
    if (!isRecord(node)) fail(scope, 'pod-spec-valid', 'props.nodeAffinity', node, 'must be an object { required?, preferred? }.', 'pass e.g. { required: [{ matchExpressions: [...] }] }.');
    const required = node.required === undefined ? undefined : list(scope, node.required as NodeAffinityTerm[], 'props.nodeAffinity.required', 'pod-spec-valid');
    if (required !== undefined && required.length === 0) fail(scope, 'pod-spec-valid', 'props.nodeAffinity.required', node.required, 'is empty: no node would match.', 'give at least one term, or omit it.');
    const preferred = list(scope, node.preferred as any[], 'props.nodeAffinity.preferred', 'pod-spec-valid').map((t: any, i: number) => {
      const f = `props.nodeAffinity.preferred[${i}]`;
      checkInt(scope, isRecord(t) ? t.weight : t, `${f}.weight`, 'pod-spec-valid', 1, 100, 'use a weight between 1 and 100.');
      return { weight: t.weight, preference: nodeTerm(scope, t, f) };
    });
    const nodeAffinity = {
      ...(required ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: required.map((t, i) => nodeTerm(scope, t, `props.nodeAffinity.required[${i}]`)) } } : {}),
      ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
    };
    if (Object.keys(nodeAffinity).length > 0) out.nodeAffinity = nodeAffinity;
  }
  const terms = list(scope, anti, 'props.antiAffinity', 'pod-spec-valid');
  const required: any[] = [];
  const preferred: any[] = [];
  const keys = new Set<string>();
  terms.forEach((a, i) => {
    const f = `props.antiAffinity[${i}]`;
    if (!isRecord(a)) fail(scope, 'pod-spec-valid', f, a, 'must be an object { topologyKey?, strength?, weight? }.', 'pass e.g. { topologyKey: "kubernetes.io/hostname" }.');
    const topologyKey = a.topologyKey ?? 'kubernetes.io/hostname';
    if (!isLabelKey(topologyKey)) fail(scope, 'pod-spec-valid', `${f}.topologyKey`, topologyKey, 'is not a valid node label key.', 'use "kubernetes.io/hostname" or "topology.kubernetes.io/zone".');
    if (keys.has(topologyKey as string)) fail(scope, 'pod-spec-valid', `${f}.topologyKey`, topologyKey, 'is listed twice.', 'list each topology key once.');
    keys.add(topologyKey as string);
    const strength = a.strength ?? AntiAffinityStrength.PREFERRED;
    if (!STRENGTHS.includes(strength as string)) fail(scope, 'pod-spec-valid', `${f}.strength`, strength, `is not one of ${STRENGTHS.join(', ')}.`, 'use AntiAffinityStrength.PREFERRED or REQUIRED.');
    const term = { labelSelector: { matchLabels: { ...selectorLabels } }, topologyKey };
    if (strength === AntiAffinityStrength.REQUIRED) {
      if (a.weight !== undefined) fail(scope, 'pod-spec-valid', `${f}.weight`, a.weight, 'applies to a PREFERRED anti-affinity only.', 'omit weight, or use AntiAffinityStrength.PREFERRED.');
      required.push(term);
    } else {
      const weight = a.weight ?? 100;
      checkInt(scope, weight, `${f}.weight`, 'pod-spec-valid', 1, 100, 'use a weight between 1 and 100 (default 100).');
      preferred.push({ weight, podAffinityTerm: term });
    }
  });
  if (required.length > 0 || preferred.length > 0) {
    out.podAntiAffinity = {
      ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
      ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
