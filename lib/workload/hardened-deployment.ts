import { ApiObject, Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertRule, fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { HardeningProfile, WorkloadResources } from '../policy/profile';
import { RBAC_GRANT_RULE_IDS } from '../policy/rules/tenancy';
import { PolicySettings } from '../policy/types';
import { HealthCheck } from './health-check';
import { IWorkloadPeer, NetworkPeer } from './network-peer';
import { DNS1035, DNS1123, DNS1123_SUBDOMAIN, ENV_NAME, isLabelKey, isLabelValue, isRecord, parseQuantity } from '../policy/k8s-syntax';

const k8s = kplus.k8s;

/** A read-only Secret volume. */
export interface SecretMount {
  /** Absolute mount path, e.g. `/etc/db`. */
  readonly path: string;
  /** The Secret (e.g. `kplus.Secret.fromSecretName(this, 'db', 'db-credentials')`). */
  readonly secret: kplus.ISecret;
}

/**
 * A SecretProviderClass of the Secrets Store CSI driver, by reference. Structural on purpose: an
 * `AwsSecretProviderClass` (which has `name` and `namespace`) or an object literal fits.
 */
export interface SecretProviderClassRef {
  /** metadata.name of the SecretProviderClass. */
  readonly name: string;
  /**
   * Namespace of the SecretProviderClass: the CSI driver only reads the class from the pod's own namespace.
   * @default - not checked (assumed to be the workload's namespace)
   */
  readonly namespace?: string;
}

/** Files of a Secrets Store CSI driver volume, mounted read-only: secrets fetched at pod start, never stored in etcd. */
export interface SecretProviderMount {
  /** Absolute mount path, e.g. `/mnt/secrets`. */
  readonly path: string;
  /** The SecretProviderClass that lists the secrets (e.g. an `AwsSecretProviderClass`). */
  readonly secretProviderClass: SecretProviderClassRef;
}

/** A read-only ConfigMap volume. */
export interface ConfigMapMount {
  /** Absolute mount path, e.g. `/etc/app`. */
  readonly path: string;
  /** The ConfigMap. */
  readonly configMap: kplus.IConfigMap;
}

/**
 * One least-privilege Kubernetes API permission for the workload's ServiceAccount.
 * No wildcards; no escalate/bind/impersonate; Secrets only by name.
 */
export interface ApiAccessRule {
  /** API groups, e.g. `['']` for the core group or `['apps']`. */
  readonly apiGroups: string[];
  /** Resources, e.g. `['configmaps']`. */
  readonly resources: string[];
  /** Verbs among get, list, watch, create, update, patch, delete. */
  readonly verbs: string[];
  /**
   * Restrict to these object names (required for secrets).
   * @default - every object of the resources in the namespace
   */
  readonly resourceNames?: string[];
}

/** A node taint the pods tolerate. */
export interface PodToleration {
  /** Taint key. */
  readonly key: string;
  /**
   * Without a value the toleration matches the named key only, never every taint.
   * @default - any value (operator Exists)
   */
  readonly value?: string;
  /** Taint effect: NoSchedule, PreferNoSchedule or NoExecute. @default - all effects */
  readonly effect?: string;
}

/** An egress allowance: a peer and the TCP port the workload may reach on it. */
export interface EgressRule {
  /** Who. */
  readonly peer: NetworkPeer;
  /** TCP port. */
  readonly port: number;
}

/**
 * Props of a HardenedDeployment. Insecure knobs (privileged, host namespaces, hostPath, root, added capabilities
 * other than NET_BIND_SERVICE, writable root filesystem) do not exist.
 */
export interface HardenedDeploymentProps {
  /**
   * Container image. Must be pinned by `@sha256:` digest when the profile requires it (the default), come from an
   * allowed registry when the profile lists any, and never use `:latest`.
   */
  readonly image: string;
  /** Port the container listens on (TCP). Ports below 1024 need `bindPrivilegedPort`. */
  readonly port: number;
  /**
   * Name of the Deployment, Service, ServiceAccount, NetworkPolicy and PodDisruptionBudget (a DNS-1123 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object: a DNS-1123 label, not a `kube-*` system namespace (those hold cluster components and
   * usually enforce no restricted Pod Security level).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Number of pods. At least 2: one pod is a single point of failure (denial of service).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * UID the container runs as. Explicit and documented, never magic: 65532 is the `nonroot` user of distroless and
   * Chainguard images. Set it to the UID your image's files belong to. 0 (root) is refused.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * GID of the process and of volume files (fsGroup).
   * @default 65532
   */
  readonly runAsGroup?: number;
  /**
   * CPU and memory. Without resources one pod can starve a node (denial of service). Limits may not be below requests.
   * @default - the profile's defaultResources; none is a construct-time error
   */
  readonly resources?: WorkloadResources;
  /**
   * Writable directories, as size-limited emptyDir mounts: the root filesystem is read-only so an attacker cannot
   * persist or modify binaries.
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];
  /**
   * Size limit of each writable path.
   * @default '256Mi' — bounds disk use of the node (denial of service)
   */
  readonly writablePathSizeLimit?: string;
  /**
   * Environment variables (cdk8s-plus `EnvValue`: fromValue, fromSecretValue, fromConfigMap, fromFieldRef). Names match
   * `[-._a-zA-Z][-._a-zA-Z0-9]*`.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * Secrets mounted read-only (mode 0440).
   * @default - none
   */
  readonly secretMounts?: SecretMount[];
  /**
   * ConfigMaps mounted read-only.
   * Nothing is mounted that the workload did not ask for; mounts are read-only.
   * @default - none
   */
  readonly configMapMounts?: ConfigMapMount[];
  /**
   * Secrets Store CSI driver volumes, mounted read-only: the driver fetches the secrets with the workload's own
   * ServiceAccount identity (e.g. EKS Pod Identity) when the pod starts; no Kubernetes Secret is created.
   * @default - none
   */
  readonly secretProviderMounts?: SecretProviderMount[];
  /** Command (entrypoint). @default - the image's entrypoint */
  readonly command?: string[];
  /**
   * Arguments. The image author's entrypoint arguments stay in force unless overridden on purpose.
   * @default - the image's cmd
   */
  readonly args?: string[];
  /**
   * Readiness check: traffic only reaches pods that pass.
   * @default HealthCheck.tcp() on the port
   */
  readonly readiness?: HealthCheck;
  /**
   * Liveness check: a hung pod is restarted.
   * @default HealthCheck.tcp() on the port, after 10 s
   */
  readonly liveness?: HealthCheck;
  /**
   * Add NET_BIND_SERVICE (the only addable capability) so a non-root process can listen below 1024.
   * @default false — all capabilities are dropped
   */
  readonly bindPrivilegedPort?: boolean;
  /**
   * Service port of the ClusterIP Service.
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Peers allowed to connect to the port. Nothing else may: ingress is denied by default.
   * @default - none (no ingress)
   */
  readonly ingressFrom?: NetworkPeer[];
  /**
   * Peers and ports the pods may connect to, besides cluster DNS. Nothing else: egress is denied by default.
   * @default - DNS only
   */
  readonly egressTo?: EgressRule[];
  /**
   * Kubernetes API permissions. The ServiceAccount token is never auto-mounted; with API access a short-lived
   * (1 h) projected token is mounted at the standard path and a Role + RoleBinding grant exactly these rules.
   * @default - no API access and no token in the pod
   */
  readonly apiAccess?: ApiAccessRule[];
  /**
   * Runtime class, e.g. `kata` or `gvisor`, to run the pods in a sandbox (a DNS-1123 subdomain).
   * @default - the profile's defaultRuntimeClassName, else the cluster default
   */
  readonly runtimeClassName?: string;
  /**
   * Node labels the pods require (valid label keys and values).
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the pods tolerate.
   * Pods stay off tainted (dedicated or control-plane) nodes unless a taint is named.
   * @default - none
   */
  readonly tolerations?: PodToleration[];
  /**
   * Seconds a pod gets to shut down.
   * Long enough to drain connections, short enough that a stuck pod cannot delay a security rollout.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
}

const DEFAULT_UID = 65532;
const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const ALLOWED_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * A Deployment that passes the Pod Security Standards restricted profile and the whole catalogue with nothing but an
 * image and a port, plus its dedicated ServiceAccount, ClusterIP Service, NetworkPolicy (ingress only from named peers,
 * egress only to named peers and DNS) and PodDisruptionBudget.
 */
export class HardenedDeployment extends Construct implements IWorkloadPeer {
  /** Name shared by the Deployment, Service, ServiceAccount, NetworkPolicy and PodDisruptionBudget. */
  public readonly name: string;
  /** Namespace of the objects. @default - none (the namespace of the kubectl context) */
  public readonly namespace?: string;
  /** Labels selecting the pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The container port. */
  public readonly port: number;
  /** The dedicated ServiceAccount's name. */
  public readonly serviceAccountName: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The dedicated ServiceAccount (add e.g. an IRSA role annotation with `metadata.addAnnotation`). */
  public readonly serviceAccount: ApiObject;
  /** The ClusterIP Service. */
  public readonly service: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: ApiObject;

  private readonly ingressPeers: NetworkPeer[] = [];
  private readonly egressRules: EgressRule[] = [];
  /** The profile's rule settings, resolved once for every construct-time rule check of this workload. */
  private readonly settings: PolicySettings;

  /** Validates the props (HardeningError on any unsafe value) and creates the Deployment and its companion objects. */
  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    Guard.of(this);
    const profile = HardeningProfile.resolve(this);
    this.settings = HardeningProfile.settingsOf(this);
    const chart = Chart.of(this);
    if (!isRecord(props)) fail(this, 'pod-spec-valid', 'props', props, 'must be an object with at least image and port.', 'pass { image, port, resources }.');

    this.name = props.name ?? id.toLowerCase();
    if (typeof this.name !== 'string' || !DNS1035.test(this.name)) {
      fail(this, 'metadata-valid', props.name ? 'props.name' : 'id', this.name,
        'is not a DNS-1035 label (a lower-case letter, then lower-case alphanumerics and "-", at most 63 characters); it names the pods\' selector and Service.',
        'pass props.name such as "api".');
    }
    this.namespace = props.namespace ?? chart.namespace;
    if (props.namespace !== undefined || this.namespace) this.checkNamespace(this.namespace, props.namespace !== undefined ? 'props.namespace' : 'chart.namespace');
    if (props.bindPrivilegedPort !== undefined && typeof props.bindPrivilegedPort !== 'boolean') {
      fail(this, 'capabilities-restricted', 'props.bindPrivilegedPort', props.bindPrivilegedPort, 'must be true or false.', 'omit it unless the port is below 1024.');
    }
    this.port = this.checkPort(props.port, 'props.port', props.bindPrivilegedPort === true);
    const servicePort = props.servicePort === undefined ? this.port : this.checkPort(props.servicePort, 'props.servicePort', true);
    this.selectorLabels = {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': `${this.name}-${this.node.addr.slice(0, 8)}`,
    };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/managed-by': 'cdk8s-hardened' };
    const metadata = { name: this.name, ...(this.namespace ? { namespace: this.namespace } : {}), labels };

    const replicas = props.replicas ?? 2;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 2) {
      fail(this, 'replicas-minimum', 'props.replicas', replicas, 'a workload needs at least 2 replicas to survive a node drain or a crash.', 'set replicas to 2 or more (default 2).');
    }
    const uid = this.checkId(props.runAsUser, 'props.runAsUser');
    const gid = this.checkId(props.runAsGroup, 'props.runAsGroup');
    const resources = this.checkResources(props.resources ?? profile.defaultResources);
    const grace = props.terminationGracePeriodSeconds ?? 30;
    if (!Number.isInteger(grace) || grace < 0 || grace > 3600) {
      fail(this, 'probes-configured', 'props.terminationGracePeriodSeconds', grace, 'must be an integer between 0 and 3600.', 'use e.g. 30.');
    }

    // The image: the catalogue's image rules, evaluated at construct time with the profile's settings.
    const image = props.image;
    if (typeof image !== 'string' || image.length === 0 || /\s/.test(image)) {
      fail(this, 'image-digest', 'props.image', image, 'is not an image reference.', 'use registry/repository@sha256:<digest>.');
    }
    const imageProbe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: this.name }, spec: { containers: [{ name: 'main', image }] } };
    for (const ruleId of ['image-tag-latest', 'image-digest', 'image-registry-allowed']) {
      assertRule(this, ruleId, imageProbe, 'props.image', image, this.settings);
    }

    // Writable paths: emptyDir mounts on a read-only root filesystem.
    const writable = props.writablePaths ?? ['/tmp'];
    this.list(writable, 'props.writablePaths', 'read-only-root-filesystem');
    const sizeLimit = props.writablePathSizeLimit ?? '256Mi';
    this.checkQuantity(sizeLimit, 'props.writablePathSizeLimit', 'read-only-root-filesystem');
    const volumes: any[] = [];
    const mounts: any[] = [];
    const seenPaths = new Set<string>();
    const addPath = (p: string, field: string) => {
      if (typeof p !== 'string' || !p.startsWith('/') || p === '/' || p.split('/').some(s => s === '..' || s === '.') || p.endsWith('/') || p.includes('//')) {
        fail(this, 'read-only-root-filesystem', field, p, 'must be an absolute, normalized directory other than "/" (a writable "/" would defeat the read-only root filesystem).',
          'use a dedicated directory such as /tmp or /var/cache/app.');
      }
      if (seenPaths.has(p)) fail(this, 'read-only-root-filesystem', field, p, 'is mounted twice.', 'list each path once.');
      seenPaths.add(p);
    };
    writable.forEach((p, i) => {
      addPath(p, `props.writablePaths[${i}]`);
      volumes.push({ name: `writable-${i}`, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } });
      mounts.push({ name: `writable-${i}`, mountPath: p });
    });
    const mountSource = (m: any, key: 'secret' | 'configMap', field: string): string => {
      if (!isRecord(m)) fail(this, 'read-only-root-filesystem', field, m, `must be an object { path, ${key} }.`, `pass e.g. { path: "/etc/app", ${key} }.`);
      addPath(m.path as string, `${field}.path`);
      const name = (m[key] as any)?.name;
      if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name)) {
        fail(this, 'read-only-root-filesystem', `${field}.${key}`, m[key], `is not a ${key === 'secret' ? 'Secret' : 'ConfigMap'} with a valid name (a DNS-1123 subdomain).`,
          key === 'secret' ? 'pass kplus.Secret.fromSecretName(this, "db", "db-credentials").' : 'pass a kplus.ConfigMap or kplus.ConfigMap.fromConfigMapName(...).');
      }
      return name;
    };
    this.list(props.secretMounts, 'props.secretMounts', 'read-only-root-filesystem').forEach((m, i) => {
      const secretName = mountSource(m, 'secret', `props.secretMounts[${i}]`);
      volumes.push({ name: `secret-${i}`, secret: { secretName, defaultMode: 0o440 } });
      mounts.push({ name: `secret-${i}`, mountPath: m.path, readOnly: true });
    });
    this.list(props.configMapMounts, 'props.configMapMounts', 'read-only-root-filesystem').forEach((m, i) => {
      const configMapName = mountSource(m, 'configMap', `props.configMapMounts[${i}]`);
      volumes.push({ name: `config-${i}`, configMap: { name: configMapName, defaultMode: 0o444 } });
      mounts.push({ name: `config-${i}`, mountPath: m.path, readOnly: true });
    });

    this.list(props.secretProviderMounts, 'props.secretProviderMounts', 'read-only-root-filesystem').forEach((m, i) => {
      const field = `props.secretProviderMounts[${i}]`;
      if (!isRecord(m)) fail(this, 'read-only-root-filesystem', field, m, 'must be an object { path, secretProviderClass }.', 'pass e.g. { path: "/mnt/secrets", secretProviderClass }.');
      addPath(m.path as string, `${field}.path`);
      const spc = m.secretProviderClass as any;
      if (typeof spc?.name !== 'string' || !DNS1123_SUBDOMAIN.test(spc.name)) {
        fail(this, 'read-only-root-filesystem', `${field}.secretProviderClass`, spc, 'is not a SecretProviderClass with a valid name (a DNS-1123 subdomain).', 'pass an AwsSecretProviderClass or { name }.');
      }
      if (spc.namespace !== undefined && spc.namespace !== (this.namespace ?? 'default')) {
        fail(this, 'read-only-root-filesystem', `${field}.secretProviderClass.namespace`, spc.namespace,
          `is not the workload's namespace "${this.namespace ?? 'default'}"; the CSI driver reads the class from the pod's namespace only.`,
          'create the SecretProviderClass in the workload\'s namespace.');
      }
      volumes.push({ name: `secrets-store-${i}`, csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spc.name } } });
      mounts.push({ name: `secrets-store-${i}`, mountPath: m.path as string, readOnly: true });
    });

    // Kubernetes API access: explicit Role + short-lived projected token, never the automounted one.
    const apiAccess = this.list(props.apiAccess, 'props.apiAccess', 'rbac-wildcard');
    apiAccess.forEach((r, i) => this.checkApiRule(r, `props.apiAccess[${i}]`));
    // Rules that take an escalation path only together (e.g. CSR approval) are judged as the whole Role too.
    if (apiAccess.length > 1) this.checkApiGrants(apiAccess, 'props.apiAccess', apiAccess);
    if (apiAccess.length > 0) {
      if (seenPaths.has(TOKEN_MOUNT)) fail(this, 'service-account-token-automount', 'props', TOKEN_MOUNT, 'is already used by a mount.', 'mount elsewhere.');
      volumes.push({
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
      mounts.push({ name: 'kube-api-access', mountPath: TOKEN_MOUNT, readOnly: true });
    }

    const env = this.checkEnv(props.env);
    const command = this.strings(props.command, 'props.command');
    const args = this.strings(props.args, 'props.args');
    const probe = (check: HealthCheck | undefined, fallback: HealthCheck, field: string) => {
      if (check !== undefined && !(check instanceof HealthCheck)) {
        fail(this, 'probes-configured', field, check, 'is not a HealthCheck.', 'use HealthCheck.tcp(), HealthCheck.httpGet("/healthz") or HealthCheck.command([...]).');
      }
      return (check ?? fallback)._render(this, field, this.port);
    };
    const readiness = probe(props.readiness, HealthCheck.tcp(), 'props.readiness');
    const liveness = probe(props.liveness, HealthCheck.tcp(undefined, { initialDelaySeconds: 10 }), 'props.liveness');
    const runtimeClassName = props.runtimeClassName ?? profile.defaultRuntimeClassName;
    if (runtimeClassName !== undefined && (typeof runtimeClassName !== 'string' || !DNS1123_SUBDOMAIN.test(runtimeClassName))) {
      fail(this, 'pod-spec-valid', props.runtimeClassName !== undefined ? 'props.runtimeClassName' : 'HardeningProfile.defaultRuntimeClassName', runtimeClassName,
        'is not a RuntimeClass name (a DNS-1123 subdomain: lower-case alphanumerics, "-" and ".").', 'use the name of a RuntimeClass of the cluster, e.g. "gvisor" or "kata".');
    }
    const nodeSelector = this.checkNodeSelector(props.nodeSelector);
    const tolerations = this.checkTolerations(props.tolerations);

    this.serviceAccountName = this.name;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata,
      automountServiceAccountToken: false,
    });

    const container = {
      name: 'main',
      image,
      imagePullPolicy: 'IfNotPresent',
      ...(command ? { command } : {}),
      ...(args ? { args } : {}),
      ports: [{ name: 'app', containerPort: this.port, protocol: 'TCP' }],
      ...(env.length > 0 ? { env } : {}),
      resources: {
        requests: {
          'cpu': k8s.Quantity.fromString(resources.cpuRequest),
          'memory': k8s.Quantity.fromString(resources.memoryRequest),
        },
        limits: {
          'memory': k8s.Quantity.fromString(resources.memoryLimit ?? resources.memoryRequest),
          'ephemeral-storage': k8s.Quantity.fromString(resources.ephemeralStorageLimit ?? '1Gi'),
          ...(resources.cpuLimit ? { cpu: k8s.Quantity.fromString(resources.cpuLimit) } : {}),
        },
      },
      readinessProbe: readiness,
      livenessProbe: liveness,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'], ...(props.bindPrivilegedPort ? { add: ['NET_BIND_SERVICE'] } : {}) },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: mounts,
    };

    const topologySpreadConstraints = ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: this.selectorLabels },
    }));

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: grace,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: uid,
              runAsGroup: gid,
              fsGroup: gid,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [container as any],
            volumes,
            topologySpreadConstraints,
            ...(runtimeClassName ? { runtimeClassName } : {}),
            ...(nodeSelector ? { nodeSelector } : {}),
            ...(tolerations ? { tolerations } : {}),
          },
        },
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selectorLabels,
        ports: [{ name: 'app', port: servicePort, targetPort: k8s.IntOrString.fromString('app'), protocol: 'TCP' }],
      },
    });

    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: this.selectorLabels } },
    });

    for (const p of this.list(props.ingressFrom, 'props.ingressFrom', 'network-policy-allow-all-ingress')) this.allowIngressFrom(p);
    for (const r of this.list(props.egressTo, 'props.egressTo', 'network-policy-allow-all-egress')) this.allowEgressTo(r?.peer, r?.port);

    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        podSelector: { matchLabels: this.selectorLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({ produce: () => this.renderIngress() }) as any,
        egress: Lazy.any({ produce: () => this.renderEgress() }) as any,
      },
    });

    if (apiAccess.length > 0) {
      new k8s.KubeRole(this, 'Role', {
        metadata: { ...metadata, name: `${this.name}-api-access` },
        rules: apiAccess.map(r => ({
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
          verbs: [...r.verbs],
          ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
        })),
      });
      new k8s.KubeRoleBinding(this, 'RoleBinding', {
        metadata: { ...metadata, name: `${this.name}-api-access` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${this.name}-api-access` },
        subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, ...(this.namespace ? { namespace: this.namespace } : {}) }],
      });
    }
  }

  /** Allow a peer to connect to the workload's port. */
  public allowIngressFrom(peer: NetworkPeer): void {
    this.checkPeer(peer, 'ingressFrom', 'network-policy-allow-all-ingress');
    NetworkPeer._assertIngress(this, 'ingressFrom', [...this.ingressPeers, peer], this.namespace);
    this.ingressPeers.push(peer);
  }

  /** Allow the workload to connect to a peer on a TCP port. */
  public allowEgressTo(peer: NetworkPeer, port: number): void {
    this.checkPeer(peer, 'egressTo', 'network-policy-allow-all-egress');
    peer._render(this, 'egressTo', this.namespace, false);
    this.egressRules.push({ peer, port: this.checkPort(port, 'egressTo.port', true) });
  }

  /**
   * Let this workload call another one: egress from this to the other's port and ingress on the other from this.
   */
  public connectTo(other: HardenedDeployment): void {
    this.allowEgressTo(NetworkPeer.workload(other), other.port);
    other.allowIngressFrom(NetworkPeer.workload(this));
  }

  private renderIngress(): any[] {
    return this.ingressPeers.map(p => ({
      from: [p._render(this, 'ingressFrom', this.namespace, true)],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }],
    }));
  }

  private renderEgress(): any[] {
    const dns = {
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }],
      ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
    };
    return [dns, ...this.egressRules.map(r => ({
      to: [r.peer._render(this, 'egressTo', this.namespace, false)],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(r.port) }],
    }))];
  }

  private checkPort(port: number, field: string, privilegedOk: boolean): number {
    const candidate = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'candidate' }, spec: {
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'main', image: 'x', ports: [{ containerPort: port }], securityContext: { capabilities: privilegedOk ? { add: ['NET_BIND_SERVICE'] } : {} } }],
    } };
    assertRule(this, 'container-ports-valid', candidate, field, port, this.settings);
    return port;
  }

  private checkId(id: number | undefined, field: string): number {
    if (id === undefined) return DEFAULT_UID;
    if (id === 0) fail(this, 'run-as-user-root', field, id, 'would run the container as root.', `use a non-zero id (default ${DEFAULT_UID}).`);
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2147483647) {
      fail(this, 'run-as-non-root', field, id, 'must be an integer between 1 and 2147483647.', `use the id your image's files belong to (default ${DEFAULT_UID}).`);
    }
    return id;
  }

  private checkQuantity(q: unknown, field: string, ruleId: string): number {
    const value = parseQuantity(q);
    if (value === undefined || value <= 0) {
      fail(this, ruleId, field, q, 'is not a positive Kubernetes quantity.', 'use e.g. "250m" for CPU or "256Mi" for memory.');
    }
    return value;
  }

  /** `value` as an array (empty when unset), or a HardeningError: JS and other jsii languages can pass anything. */
  private list<T>(value: T[] | undefined, field: string, ruleId: string): T[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) fail(this, ruleId, field, value, 'must be a list.', 'pass an array (or omit the prop for the default).');
    return value;
  }

  /** A copy of an optional list of strings (command, args). */
  private strings(value: string[] | undefined, field: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some(x => typeof x !== 'string')) {
      fail(this, 'pod-spec-valid', field, value, 'must be a list of strings.', 'pass e.g. ["/app", "--serve"].');
    }
    return [...value];
  }

  private checkNamespace(ns: unknown, field: string): void {
    if (typeof ns !== 'string' || !DNS1123.test(ns)) {
      fail(this, 'metadata-valid', field, ns, 'is not a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters).',
        'use a namespace name such as "shop".');
    }
    if (ns.startsWith('kube-')) {
      fail(this, 'namespace-psa-enforce', field, ns,
        'is a Kubernetes system namespace ("kube-" is reserved): workloads do not belong next to cluster components, where restricted Pod Security is usually not enforced.',
        'deploy into an application namespace (e.g. one created with IsolatedNamespace).');
    }
  }

  private checkEnv(env: { [name: string]: kplus.EnvValue } | undefined): any[] {
    if (env === undefined || env === null) return [];
    if (!isRecord(env)) fail(this, 'pod-spec-valid', 'props.env', env, 'must be an object of name -> EnvValue.', 'pass e.g. { LOG_LEVEL: kplus.EnvValue.fromValue("info") }.');
    return Object.entries(env).map(([name, v]) => {
      if (!ENV_NAME.test(name)) {
        fail(this, 'pod-spec-valid', 'props.env', name, 'is not a valid environment variable name ([-._a-zA-Z][-._a-zA-Z0-9]*).', 'rename it, e.g. "LOG_LEVEL".');
      }
      const value = (v as any)?.value;
      const valueFrom = (v as any)?.valueFrom;
      if (!isRecord(v) || (typeof value !== 'string' && !isRecord(valueFrom))) {
        fail(this, 'pod-spec-valid', `props.env.${name}`, v, 'is not an EnvValue.', 'use kplus.EnvValue.fromValue(...), fromSecretValue(...), fromConfigMap(...) or fromFieldRef(...).');
      }
      return { name, value, valueFrom };
    });
  }

  private checkNodeSelector(selector: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
    if (selector === undefined || selector === null) return undefined;
    if (!isRecord(selector)) fail(this, 'pod-spec-valid', 'props.nodeSelector', selector, 'must be an object of node label key -> value.', 'pass e.g. { pool: "secure" }.');
    for (const [k, v] of Object.entries(selector)) {
      if (!isLabelKey(k)) fail(this, 'pod-spec-valid', 'props.nodeSelector', k, 'is not a valid label key ([prefix/]name, name at most 63 characters).', 'use a node label key such as "node.kubernetes.io/pool".');
      if (!isLabelValue(v)) fail(this, 'pod-spec-valid', `props.nodeSelector.${k}`, v, 'is not a valid label value (at most 63 alphanumerics, "-", "_", ".").', 'use the node label\'s exact value.');
    }
    return { ...selector } as { [key: string]: string };
  }

  private checkTolerations(tolerations: PodToleration[] | undefined): any[] | undefined {
    if (tolerations === undefined || tolerations === null) return undefined;
    return this.list(tolerations, 'props.tolerations', 'pod-spec-valid').map((t, i) => {
      const field = `props.tolerations[${i}]`;
      if (!isRecord(t)) fail(this, 'pod-spec-valid', field, t, 'must be an object { key, value?, effect? }.', 'pass e.g. { key: "dedicated", value: "secure", effect: "NoSchedule" }.');
      if (t.key === undefined || t.key === '') {
        fail(this, 'toleration-any-taint', `${field}.key`, t.key, 'is empty: the toleration would match every taint, including the control plane\'s.', 'name the taint key, e.g. "dedicated".');
      }
      if (!isLabelKey(t.key)) fail(this, 'pod-spec-valid', `${field}.key`, t.key, 'is not a taint key (a label key).', 'name the taint key, e.g. "dedicated".');
      if (t.value !== undefined && !isLabelValue(t.value)) fail(this, 'pod-spec-valid', `${field}.value`, t.value, 'is not a valid taint value (a label value).', 'use the taint\'s exact value, or omit it to match any value.');
      if (t.effect !== undefined && !TAINT_EFFECTS.includes(t.effect as string)) {
        fail(this, 'pod-spec-valid', `${field}.effect`, t.effect, `is not one of ${TAINT_EFFECTS.join(', ')}.`, 'use the taint\'s effect, or omit it to match all effects.');
      }
      return {
        key: t.key,
        operator: t.value === undefined ? 'Exists' : 'Equal',
        ...(t.value !== undefined ? { value: t.value } : {}),
        ...(t.effect !== undefined ? { effect: t.effect } : {}),
      };
    });
  }

  private checkPeer(peer: unknown, field: string, ruleId: string): void {
    if (!(peer instanceof NetworkPeer)) {
      fail(this, ruleId, field, peer, 'is not a NetworkPeer.', 'use NetworkPeer.workload(...), .pods(...), .namespace(...) or .ipBlock(...).');
    }
  }

  private checkResources(r: WorkloadResources | undefined): WorkloadResources {
    if (!r) {
      fail(this, 'resources-requests', 'props.resources', r, 'no resources given and the HardeningProfile has no defaultResources; an unsized pod can starve its node.',
        'pass resources: { cpuRequest: "100m", memoryRequest: "128Mi" } or set defaultResources on a HardeningProfile.');
    }
    const cpuRequest = this.checkQuantity(r.cpuRequest, 'props.resources.cpuRequest', 'resources-requests');
    const memoryRequest = this.checkQuantity(r.memoryRequest, 'props.resources.memoryRequest', 'resources-requests');
    if (r.memoryLimit !== undefined && this.checkQuantity(r.memoryLimit, 'props.resources.memoryLimit', 'memory-limit') < memoryRequest) {
      fail(this, 'pod-spec-valid', 'props.resources.memoryLimit', r.memoryLimit, `is below memoryRequest ${r.memoryRequest}; the API server rejects a limit lower than the request.`,
        'set memoryLimit >= memoryRequest, or omit it (default: equal to the request).');
    }
    if (r.cpuLimit !== undefined && this.checkQuantity(r.cpuLimit, 'props.resources.cpuLimit', 'resources-requests') < cpuRequest) {
      fail(this, 'pod-spec-valid', 'props.resources.cpuLimit', r.cpuLimit, `is below cpuRequest ${r.cpuRequest}; the API server rejects a limit lower than the request.`,
        'set cpuLimit >= cpuRequest, or omit it (default: no CPU limit).');
    }
    if (r.ephemeralStorageLimit !== undefined) this.checkQuantity(r.ephemeralStorageLimit, 'props.resources.ephemeralStorageLimit', 'resources-requests');
    return r;
  }

  private checkApiRule(r: ApiAccessRule, field: string): void {
    if (!isRecord(r)) fail(this, 'rbac-wildcard', field, r, 'must be an object { apiGroups, resources, verbs }.', 'name the exact API groups, resources and verbs.');
    if (r.resourceNames !== undefined && (!Array.isArray(r.resourceNames) || r.resourceNames.some(x => typeof x !== 'string' || x === ''))) {
      fail(this, 'rbac-wildcard', `${field}.resourceNames`, r.resourceNames, 'must be a list of object names.', 'name the exact objects, e.g. ["db-credentials"].');
    }
    const lists: [string, unknown][] = [['apiGroups', r.apiGroups], ['resources', r.resources], ['verbs', r.verbs]];
    for (const [k, v] of lists) {
      if (!Array.isArray(v) || v.length === 0 || v.some(x => typeof x !== 'string')) {
        fail(this, 'rbac-wildcard', `${field}.${k}`, v, 'must be a non-empty list of strings.', 'name the exact API groups, resources and verbs.');
      }
      if ((v as string[]).some(x => x.includes('*'))) {
        fail(this, 'rbac-wildcard', `${field}.${k}`, v, 'contains a wildcard.', 'name the exact API groups, resources and verbs.');
      }
    }
    // What the rule grants, judged by the catalogue's RBAC rules through the shared evaluator (effective grants).
    this.checkApiGrants([r], field, r);
    for (const verb of r.verbs) {
      if (!ALLOWED_VERBS.includes(verb)) {
        fail(this, 'rbac-wildcard', `${field}.verbs`, verb, `is not one of ${ALLOWED_VERBS.join(', ')}.`, 'use a standard verb.');
      }
    }
  }

  /** Every RBAC grant rule (errors and warnings alike) must pass on the Role these rules would make. */
  private checkApiGrants(rules: ApiAccessRule[], field: string, value: unknown): void {
    const candidate = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${this.name}-api-access`, namespace: this.namespace ?? 'default' },
      rules: rules.map(x => ({ apiGroups: x.apiGroups, resources: x.resources, verbs: x.verbs, ...(x.resourceNames ? { resourceNames: x.resourceNames } : {}) })),
    };
    for (const ruleId of RBAC_GRANT_RULE_IDS) assertRule(this, ruleId, candidate, field, value);
  }
}
