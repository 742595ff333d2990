import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IpPool, IpPoolSpecIpipMode, IpPoolSpecVxlanMode } from '../../imports/crd.projectcalico.org';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../../imports/security.istio.io';
import { DNS1123, DNS1123_SUBDOMAIN, isLabelKey, isLabelValue, parseQuantity } from '../kube/k8s-syntax';
import { isPinnedPssVersion, NEWEST_PSS_MINOR, OLDEST_PSS_MINOR } from '../kube/pss-versions';
import { assertRule, fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { HardeningProfile, ResolvedProfile } from '../policy/profile';
import { RBAC_GRANT_RULE_IDS } from '../policy/rules/tenancy';
import { renderTenantApiFairness, ResolvedApiFairness, resolveTenantApiFairness, TenantApiFairness } from './api-fairness';

const k8s = kplus.k8s;

/**
 * Sizes of the namespace's ResourceQuota. Every quota bounds what one tenant can take from the cluster (DoS).
 */
export interface NamespaceQuota {
  /**
   * Sum of CPU requests. One tenant cannot reserve the cluster's CPU.
   * @default '8'
   */
  readonly cpuRequests?: string;
  /**
   * Sum of memory requests. One tenant cannot reserve the cluster's memory.
   * @default '16Gi'
   */
  readonly memoryRequests?: string;
  /**
   * Sum of memory limits. One tenant cannot exhaust the cluster's memory.
   * @default '32Gi'
   */
  readonly memoryLimits?: string;
  /**
   * Pods. Bounds pod count so a runaway controller cannot exhaust IPs or the scheduler.
   * @default 100
   */
  readonly pods?: number;
  /**
   * Services. Bounds Services (and their iptables/IPVS rules on every node).
   * @default 20
   */
  readonly services?: number;
  /**
   * Services of type LoadBalancer. Anything above 0 exposes the tenant to the internet and fails the
   * `namespace-resource-quota` rule unless the Namespace carries a Waiver for it.
   * @default 0
   */
  readonly loadBalancers?: number;
  /**
   * Services of type NodePort (opens a port on every node). Above 0 needs a Waiver, like loadBalancers.
   * @default 0
   */
  readonly nodePorts?: number;
  /**
   * Secrets. Bounds object count so a tenant cannot exhaust etcd.
   * @default 50
   */
  readonly secrets?: number;
  /**
   * ConfigMaps. Bounds object count so a tenant cannot exhaust etcd.
   * @default 50
   */
  readonly configMaps?: number;
  /**
   * PersistentVolumeClaims. Bounds volumes (and cloud disk spend) per tenant.
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Sum of PVC storage requests. Bounds storage spend and capacity per tenant.
   * @default '100Gi'
   */
  readonly storage?: string;
}

/**
 * The namespace's LimitRange: defaults for containers that set nothing, and a per-container maximum.
 * The API server rejects a LimitRange whose default request exceeds its default limit or whose defaults exceed the
 * maximum, so defaultMemoryRequest <= defaultMemoryLimit <= maxMemory and defaultCpuRequest <= maxCpu are checked at
 * construct time (quantities compared by value: `1Gi` = `1024Mi`, `500m` = `0.5`).
 */
export interface NamespaceLimits {
  /**
   * Default CPU request. Unsized containers still reserve capacity, so the scheduler cannot overcommit the node.
   * @default '100m'
   */
  readonly defaultCpuRequest?: string;
  /**
   * Default memory request. Unsized containers still reserve memory, so the scheduler cannot overcommit the node.
   * @default '128Mi'
   */
  readonly defaultMemoryRequest?: string;
  /**
   * Default memory limit. Unsized containers are bounded, so one cannot exhaust node memory.
   * @default '256Mi'
   */
  readonly defaultMemoryLimit?: string;
  /**
   * Maximum CPU limit per container. No single container can claim a whole large node.
   * @default '4'
   */
  readonly maxCpu?: string;
  /** Maximum memory limit per container. @default '8Gi' */
  readonly maxMemory?: string;
}

/** A dedicated Calico IP pool for the namespace's pods. */
export interface NamespaceIpPool {
  /** IPv4 CIDR of the pool, e.g. `10.244.64.0/20`. */
  readonly cidr: string;
  /**
   * Block size per node. The Calico default: 64 addresses per node block, little address waste.
   * @default 26
   */
  readonly blockSize?: number;
}

/**
 * Node isolation: the namespace's pods run only on dedicated nodes. Keys and values must be valid label keys
 * (optional DNS-subdomain prefix and `/`, then a name of at most 63 characters) and label values (empty, or such a
 * name): they are joined into the `key=value,...` node-selector annotation, where a `,` or `=` would add a selector.
 *
 * The annotations only take effect when the API server runs the PodNodeSelector and PodTolerationRestriction
 * admission plugins (`--enable-admission-plugins`). Neither is enabled by default, and managed control planes
 * where you cannot set that flag (EKS, for one) do not offer them: there the annotations are silently ignored and
 * pods schedule anywhere. On such clusters set `nodeSelector` and `tolerations` on every workload (HardenedDeployment
 * has both props), and enforce the pinning with an admission policy if tenants can create pods themselves.
 */
export interface NamespaceNodeIsolation {
  /**
   * Node labels every pod of the namespace is pinned to (PodNodeSelector admission plugin, which must be enabled on
   * the API server; not available on EKS). At least one.
   */
  readonly nodeSelector: { [key: string]: string };
  /**
   * Taint key of the dedicated nodes; pods of the namespace tolerate `key=value:NoSchedule` by default
   * (PodTolerationRestriction admission plugin, which must be enabled on the API server; not available on EKS).
   * A label key.
   * @default - no default toleration (no `defaultTolerations` annotation)
   */
  readonly taintKey?: string;
  /** Value of the taint (a label value). Only with taintKey. @default - the namespace name */
  readonly taintValue?: string;
}

/**
 * Props of an IsolatedNamespace.
 */
export interface IsolatedNamespaceProps {
  /** Namespace name (DNS-1123 label). @default - the construct id, lower-cased */
  readonly name?: string;
  /**
   * Pod Security Standards version pinned in the enforce/audit/warn labels.
   * @default - the profile's podSecurityVersion (library default 'v1.36'); never 'latest', which changes under you
   */
  readonly podSecurityVersion?: string;
  /**
   * Allow pods of the namespace to talk to each other (ingress and egress within the namespace).
   * @default false — every flow is explicit (e.g. HardenedDeployment peers)
   */
  readonly allowSameNamespace?: boolean;
  /**
   * Namespaces whose pods may connect to every pod of this namespace, on every port and protocol unless
   * `allowFromNamespacesPorts` narrows it. NetworkPolicies are additive (a connection is allowed if any policy allows
   * it), so a workload's own, narrower NetworkPolicy cannot take this allowance back: list only namespaces trusted to
   * reach the whole tenant, or set `allowFromNamespacesPorts`, or leave this unset and allow the peers per workload
   * (e.g. HardenedDeployment `ingressFrom`).
   * @default - none
   */
  readonly allowFromNamespaces?: string[];
  /**
   * TCP ports on which pods of `allowFromNamespaces` may connect (each 1-65535). Only with allowFromNamespaces.
   * @default - every port and protocol of every pod of the namespace
   */
  readonly allowFromNamespacesPorts?: number[];
  /** ResourceQuota sizes. @default - see NamespaceQuota */
  readonly quota?: NamespaceQuota;
  /** LimitRange sizes. @default - see NamespaceLimits */
  readonly limits?: NamespaceLimits;
  /**
   * Groups of the tenant team, bound to the namespace's least-privilege developer Role: read workloads, pods/log,
   * services, configmaps, events; scale Deployments and StatefulSets; with `tenantCanCreatePods`, create and delete
   * Jobs and CronJobs. The Role is checked at construct time against every RBAC rule of the catalogue.
   * @default - no Role or RoleBinding
   */
  readonly tenantGroups?: string[];
  /**
   * Let the tenant team create and delete Jobs and CronJobs, i.e. run pods in the namespace.
   *
   * Whoever can create pods in a namespace can mount every Secret of that namespace and run as any of its
   * ServiceAccounts (with that ServiceAccount's token and permissions), whatever `readableSecrets` says: Kubernetes
   * RBAC does not check which Secrets a pod mounts. Keep Secrets of a different trust level in another namespace, or
   * leave it `false` when the team deploys only through a CI/GitOps identity (bound separately): the tenant Role is
   * then read-only apart from scaling existing Deployments and StatefulSets. `true` is the one escalation path the
   * tenant Role can take, and only on request: the synth guard reports it as the `rbac-pod-create` warning (CIS 5.1.4).
   * @default false — creating pods is an escalation path (CIS 5.1.4); tenants deploy through a CI/GitOps identity
   */
  readonly tenantCanCreatePods?: boolean;
  /**
   * Names of Secrets the tenant team may `get` through the API (never list/watch). This bounds API access only:
   * with `tenantCanCreatePods` the team can still mount any Secret of the namespace in a pod.
   * @default - no RBAC rule on secrets
   */
  readonly readableSecrets?: string[];
  /**
   * A dedicated Calico IP pool for the namespace (independent IP range per tenant, for firewalling by range).
   *
   * The IPPool is written through the `crd.projectcalico.org/v1` CustomResourceDefinition, Calico's internal storage
   * format. Calico recommends managing IP pools through the `projectcalico.org/v3` API (calicoctl, or kubectl with the
   * Calico API server), which validates and defaults them (e.g. rejects a pool that overlaps another); writing the v1
   * CRD bypasses that, and on operator-managed installs the pool may be better declared in the Installation resource.
   * This construct checks the CIDR and block size itself but cannot see other pools: check overlaps before applying.
   * @default - the cluster's default pools
   */
  readonly ipPool?: NamespaceIpPool;
  /**
   * Pin the namespace's pods to dedicated nodes through the PodNodeSelector / PodTolerationRestriction annotations.
   * Those admission plugins are off by default and unavailable on EKS: see NamespaceNodeIsolation.
   * @default - no node isolation
   */
  readonly nodeIsolation?: NamespaceNodeIsolation;
  /**
   * Require mutual TLS for every workload of the namespace (Istio sidecar mode): a PeerAuthentication `default` with
   * mode STRICT, the namespace labelled for sidecar injection (see `meshRevision`), and a NetworkPolicy
   * `allow-istiod-egress` letting the namespace's pods reach istiod (pods `app: istiod` in `istio-system`, TCP 15012:
   * xDS configuration and workload certificates); nothing is written into istio-system.
   *
   * Cluster requirements:
   * - Pod Security `restricted` rejects the `istio-init` init container (NET_ADMIN, NET_RAW, root), so install Istio
   *   with the Istio CNI plugin, and set a pod-level `seccompProfile: RuntimeDefault` (HardenedDeployment does) or
   *   the mesh's `global.proxy.seccompProfile`, so the injected containers pass `restricted` too;
   * - STRICT rejects plaintext, so every client must be in the mesh: a non-meshed ingress controller (e.g.
   *   ingress-nginx without a sidecar) in `allowFromNamespaces` can no longer reach the tenant; use an Istio ingress
   *   gateway or inject a sidecar into the ingress controller;
   * - istiod must run in `istio-system` with the label `app: istiod` and serve xDS and certificates on 15012 (an
   *   external CA, e.g. istio-csr, needs its own egress allowance);
   * - every pod gets a sidecar, Jobs included: enable Istio native sidecars so Jobs complete, and size the quota for
   *   the sidecars' requests and limits.
   * @default false — enable when the namespace is in an Istio mesh
   */
  readonly meshMtlsStrict?: boolean;
  /**
   * Istio revision (or revision tag) whose sidecar injector serves the namespace: the namespace is labelled
   * `istio.io/rev: <meshRevision>` instead of `istio-injection: enabled`. A label value. Only with meshMtlsStrict.
   *
   * Injection is set on the namespace, not left to each workload, because STRICT is enforced by the sidecar: a pod
   * without one accepts plaintext from anything its NetworkPolicies admit. (A pod can still opt out with the
   * `sidecar.istio.io/inject: "false"` label or annotation; reject that with an admission policy where tenants create pods.)
   * @default - `istio-injection: enabled` (the default revision)
   */
  readonly meshRevision?: string;
  /**
   * API Priority and Fairness for the tenant: a PriorityLevelConfiguration and a FlowSchema `tenant-<name>` that bound
   * what the namespace's service accounts may take of the API server (see TenantApiFairness; cluster-scoped objects).
   * @default - the TenantApiFairness defaults when the HardeningProfile sets requireApiFairness; otherwise none (the
   * tenant's service accounts share the built-in workload-low level with every other tenant)
   */
  readonly apiFairness?: TenantApiFairness;
}

const RESERVED = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Read-only and workload-management permissions of the tenant team: no secrets rule, no exec, no RBAC. Creating
 * Jobs/CronJobs creates pods, which can mount any Secret of the namespace (see `tenantCanCreatePods`).
 */
const developerRules = (createPods: boolean) => [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'serviceaccounts'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['patch', 'update'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch', ...(createPods ? ['create', 'delete'] : [])] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
];

/**
 * A tenant namespace that is isolated by construction: Pod Security Admission `restricted` (enforce, audit, warn, pinned
 * version), default-deny ingress and egress with DNS kept working, ResourceQuota and LimitRange, the default
 * ServiceAccount without a token, least-privilege tenant RBAC, and optionally a dedicated Calico IP pool, dedicated
 * nodes and Istio mTLS STRICT (with sidecar injection and egress to istiod). Everything it emits is namespaced to the
 * tenant; nothing is written into kube-system or istio-system.
 */
export class IsolatedNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Namespace object (apply waivers for namespace rules here). */
  public readonly namespace: ApiObject;
  /** The default-deny NetworkPolicy. */
  public readonly defaultDeny: ApiObject;
  /** The ResourceQuota. */
  public readonly resourceQuota: ApiObject;
  /** The LimitRange. */
  public readonly limitRange: ApiObject;
  /** The tenant Role. @default - none when no tenantGroups */
  public readonly tenantRole?: ApiObject;

  /** Validates the props and creates the namespace with its isolation objects. */
  constructor(scope: Construct, id: string, props: IsolatedNamespaceProps = {}) {
    super(scope, id);
    Guard.of(this);
    // Validate every prop first (the first bad one is reported, in a fixed order), then render.
    const plan = planIsolatedNamespace(this, id, props, HardeningProfile.resolve(this));
    this.name = plan.name;
    const rendered = renderIsolatedNamespace(this, plan);
    this.namespace = rendered.namespace;
    this.defaultDeny = rendered.defaultDeny;
    this.resourceQuota = rendered.resourceQuota;
    this.limitRange = rendered.limitRange;
    this.tenantRole = rendered.tenantRole;
  }
}

/** An IsolatedNamespace's props, validated, with their defaults filled in: what it renders. @internal */
export interface IsolatedNamespacePlan {
  readonly name: string;
  readonly podSecurityVersion: string;
  readonly annotations: { [key: string]: string };
  readonly meshLabels: { [key: string]: string };
  readonly fairness?: ResolvedApiFairness;
  readonly allowSameNamespace: boolean;
  readonly peers: string[];
  /** TCP ports the peers may reach (each once); undefined: every port. */
  readonly peerPorts?: number[];
  /** ResourceQuota `spec.hard`, quantities as strings. */
  readonly quota: { [resource: string]: string };
  readonly limits: Required<NamespaceLimits>;
  readonly tenantGroups: string[];
  /** Rules of the tenant Role (empty without tenantGroups). */
  readonly tenantRules: any[];
  readonly ipPool?: { readonly cidr: string; readonly blockSize: number; readonly nodeSelector?: string };
  readonly meshMtlsStrict: boolean;
}

/** The objects of an IsolatedNamespace that it exposes. @internal */
export interface RenderedIsolatedNamespace {
  readonly namespace: ApiObject;
  readonly defaultDeny: ApiObject;
  readonly resourceQuota: ApiObject;
  readonly limitRange: ApiObject;
  readonly tenantRole?: ApiObject;
}

/**
 * Validate an IsolatedNamespace's props in a fixed order (name, Pod Security version, prop types, node isolation, mesh,
 * API fairness, peers, quota, limits, tenant RBAC, IP pool) and fill in the defaults. Throws a HardeningError for the
 * first bad prop; creates nothing. @internal
 */
export function planIsolatedNamespace(scope: Construct, id: string, props: IsolatedNamespaceProps, profile: ResolvedProfile): IsolatedNamespacePlan {
  const name = checkTenantName(scope, id, props);
  const podSecurityVersion = props.podSecurityVersion ?? profile.podSecurityVersion;
  if (!isPinnedPssVersion(podSecurityVersion)) {
    fail(scope, 'namespace-psa-enforce', 'props.podSecurityVersion', podSecurityVersion, `must pin a version the catalogue implements (v1.${OLDEST_PSS_MINOR} … v1.${NEWEST_PSS_MINOR}; latest changes the policy under you).`, `use e.g. "v1.${NEWEST_PSS_MINOR}".`);
  }
  checkPropTypes(scope, props);
  const annotations = namespaceAnnotations(scope, props, name);
  const meshLabels = meshInjectionLabels(scope, props);
  if (props.apiFairness !== undefined && (typeof props.apiFairness !== 'object' || props.apiFairness === null || Array.isArray(props.apiFairness))) {
    fail(scope, 'tenant-api-fairness', 'props.apiFairness', props.apiFairness, 'must be an object (TenantApiFairness).', 'pass e.g. {} for the defaults, or { concurrencyShares: 10 }.');
  }
  const fairnessProps = props.apiFairness ?? (profile.requireApiFairness ? {} : undefined);
  const fairness = fairnessProps ? resolveTenantApiFairness(scope, fairnessProps, profile.kubeVersion) : undefined;
  const { peers, peerPorts } = checkPeers(scope, props);
  const quota = checkQuota(scope, props.quota ?? {});
  const limits = checkLimits(scope, props.limits ?? {});
  const { tenantGroups, tenantRules } = checkTenantRbac(scope, props, name);
  return {
    name, podSecurityVersion, annotations, meshLabels, fairness, allowSameNamespace: props.allowSameNamespace === true, peers, peerPorts, quota, limits,
    tenantGroups, tenantRules, ipPool: checkIpPool(scope, props), meshMtlsStrict: props.meshMtlsStrict === true,
  };
}

/** Create the objects of a validated plan, in a fixed order (the order of the synthesized manifests). @internal */
export function renderIsolatedNamespace(scope: Construct, plan: IsolatedNamespacePlan): RenderedIsolatedNamespace {
  const namespace = renderNamespace(scope, plan);
  if (plan.fairness) renderTenantApiFairness(scope, plan.name, plan.fairness);
  const defaultDeny = renderNetworkPolicies(scope, plan);
  const { resourceQuota, limitRange } = renderQuotaAndLimits(scope, plan);
  // The namespace's default ServiceAccount: declared so its token is never automounted.
  new k8s.KubeServiceAccount(scope, 'DefaultServiceAccount', {
    metadata: tenantMeta(plan.name, 'default'),
    automountServiceAccountToken: false,
  });
  const tenantRole = renderTenantRbac(scope, plan);
  renderIpPool(scope, plan);
  renderMesh(scope, plan);
  return { namespace, defaultDeny, resourceQuota, limitRange, tenantRole };
}

/** Metadata of a namespaced object of the tenant. */
function tenantMeta(ns: string, name: string) {
  return { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened' } };
}

/** List props from JavaScript callers: a string or a non-string item is a HardeningError, never a TypeError. */
function stringList(scope: Construct, value: string[] | undefined, field: string, ruleId: string): string[] {
  if (value !== undefined && (!Array.isArray(value) || value.some(v => typeof v !== 'string'))) {
    fail(scope, ruleId, field, value, 'must be a list of strings.', 'pass an array of names.');
  }
  return value ?? [];
}

/** The namespace name: a DNS-1123 label, not a system namespace. */
function checkTenantName(scope: Construct, id: string, props: IsolatedNamespaceProps): string {
  const name = props.name ?? id.toLowerCase();
  if (typeof name !== 'string' || !DNS1123.test(name)) {
    fail(scope, 'metadata-valid', props.name !== undefined ? 'props.name' : 'id', name,
      'is not a DNS-1123 label (lower-case alphanumerics and "-", at most 63 characters).', 'choose a tenant name such as "payments".');
  }
  if (RESERVED.includes(name)) {
    fail(scope, 'namespace-psa-enforce', props.name !== undefined ? 'props.name' : 'id', name,
      'is a system namespace (default, kube-system, kube-public, kube-node-lease), not a tenant.', 'choose a tenant name such as "payments".');
  }
  return name;
}

/**
 * Booleans and objects from JavaScript callers (issue 28): the string "false" is truthy, so a string where a boolean
 * belongs would silently grant pod creation or open the namespace; an object prop that is not an object would be read
 * as "all defaults". Each names the rule the prop serves.
 */
function checkPropTypes(scope: Construct, props: IsolatedNamespaceProps): void {
  const bools: [keyof IsolatedNamespaceProps, string][] = [
    ['allowSameNamespace', 'namespace-default-deny'], ['tenantCanCreatePods', 'rbac-pod-create'], ['meshMtlsStrict', 'istio-peer-authentication-mtls'],
  ];
  for (const [key, ruleId] of bools) {
    const v = props[key];
    if (v !== undefined && typeof v !== 'boolean') fail(scope, ruleId, `props.${key}`, v, 'must be true or false.', 'pass a boolean, not a string.');
  }
  for (const key of ['quota', 'limits'] as const) {
    const v = props[key];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      fail(scope, 'namespace-resource-quota', `props.${key}`, v, 'must be an object of quantities.', key === 'quota' ? 'pass e.g. { cpuRequests: "4", memoryRequests: "8Gi" }.' : 'pass e.g. { defaultCpuRequest: "100m" }.');
    }
  }
}

/** Namespace annotations: the Calico IP pool, and the node selector and default toleration of node isolation. */
function namespaceAnnotations(scope: Construct, props: IsolatedNamespaceProps, ns: string): { [key: string]: string } {
  const annotations: { [k: string]: string } = {};
  if (props.ipPool) annotations['cni.projectcalico.org/ipv4pools'] = JSON.stringify([`${ns}-pool`]);
  const iso = props.nodeIsolation;
  if (!iso) return annotations;
  const selector = iso.nodeSelector;
  const sel = typeof selector === 'object' && selector !== null && !Array.isArray(selector) ? Object.entries(selector) : [];
  if (sel.length === 0) fail(scope, 'namespace-psa-enforce', 'props.nodeIsolation.nodeSelector', selector, 'is empty or not a map of node labels.', 'name at least one node label, e.g. { "node-pool": "payments" }.');
  for (const [k, v] of sel) {
    if (!isLabelKey(k)) {
      fail(scope, 'metadata-valid', 'props.nodeIsolation.nodeSelector', k, 'has a key that is not a label key (optional DNS-subdomain prefix and "/", then 1-63 of [A-Za-z0-9-_.], alphanumeric at both ends).', 'use the node label key exactly, e.g. "node-pool".');
    }
    if (!isLabelValue(v)) {
      fail(scope, 'metadata-valid', `props.nodeIsolation.nodeSelector[${JSON.stringify(k)}]`, v, 'is not a label value (empty, or 1-63 of [A-Za-z0-9-_.], alphanumeric at both ends).', 'use the node label value exactly, e.g. "payments".');
    }
  }
  annotations['scheduler.alpha.kubernetes.io/node-selector'] = sel.map(([k, v]) => `${k}=${v}`).join(',');
  if (iso.taintKey !== undefined && !isLabelKey(iso.taintKey)) {
    fail(scope, 'metadata-valid', 'props.nodeIsolation.taintKey', iso.taintKey, 'is not a label key.', 'use the taint key exactly, e.g. "dedicated".');
  }
  if (iso.taintValue !== undefined && iso.taintKey === undefined) {
    fail(scope, 'namespace-psa-enforce', 'props.nodeIsolation.taintValue', iso.taintValue, 'is set without taintKey, so no toleration would be written.', 'set taintKey too, or remove taintValue.');
  }
  if (iso.taintValue !== undefined && !isLabelValue(iso.taintValue)) {
    fail(scope, 'metadata-valid', 'props.nodeIsolation.taintValue', iso.taintValue, 'is not a label value.', 'use the taint value exactly, e.g. "payments".');
  }
  if (iso.taintKey !== undefined) {
    annotations['scheduler.alpha.kubernetes.io/defaultTolerations'] = JSON.stringify([{
      key: iso.taintKey, operator: 'Equal', value: iso.taintValue ?? ns, effect: 'NoSchedule',
    }]);
  }
  return annotations;
}

/** Sidecar injection: STRICT is enforced by the sidecar, so a namespace under STRICT must inject one into every pod. */
function meshInjectionLabels(scope: Construct, props: IsolatedNamespaceProps): { [key: string]: string } {
  const meshLabels: { [k: string]: string } = {};
  if (props.meshRevision !== undefined) {
    if (!props.meshMtlsStrict) {
      fail(scope, 'metadata-valid', 'props.meshRevision', props.meshRevision, 'is set without meshMtlsStrict, so no injection label would be written.', 'set meshMtlsStrict: true too, or remove meshRevision.');
    }
    if (props.meshRevision === '' || !isLabelValue(props.meshRevision)) {
      fail(scope, 'metadata-valid', 'props.meshRevision', props.meshRevision, 'is not a non-empty label value (1-63 of [A-Za-z0-9-_.], alphanumeric at both ends).', 'use the Istio revision or revision tag exactly, e.g. "1-20-1" or "prod-stable".');
    }
  }
  if (props.meshMtlsStrict) {
    if (props.meshRevision !== undefined) meshLabels['istio.io/rev'] = props.meshRevision;
    else meshLabels['istio-injection'] = 'enabled';
  }
  return meshLabels;
}

/** Peer namespaces admitted to the tenant, and the ports they may reach (each once; undefined: every port). */
function checkPeers(scope: Construct, props: IsolatedNamespaceProps): { peers: string[]; peerPorts?: number[] } {
  const peers = stringList(scope, props.allowFromNamespaces, 'props.allowFromNamespaces', 'namespace-default-deny');
  peers.forEach((peer, i) => {
    if (!DNS1123.test(peer)) fail(scope, 'namespace-default-deny', `props.allowFromNamespaces[${i}]`, peer, 'is not a namespace name.', 'name the peer namespace exactly.');
  });
  const peerPorts = props.allowFromNamespacesPorts;
  if (peerPorts !== undefined) {
    if (!Array.isArray(peerPorts) || peerPorts.length === 0) {
      fail(scope, 'namespace-default-deny', 'props.allowFromNamespacesPorts', peerPorts, 'must be a non-empty list of port numbers (an empty list would admit every port).', 'list the TCP ports, e.g. [8080], or omit the prop to admit every port.');
    }
    if (peers.length === 0) {
      fail(scope, 'namespace-default-deny', 'props.allowFromNamespacesPorts', peerPorts, 'is set without allowFromNamespaces, so no ingress would be allowed on them.', 'set allowFromNamespaces too, or remove allowFromNamespacesPorts.');
    }
    peerPorts.forEach((port, i) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        fail(scope, 'namespace-default-deny', `props.allowFromNamespacesPorts[${i}]`, port, 'is not a port number (an integer from 1 to 65535).', 'use the container port, e.g. 8080.');
      }
    });
  }
  return { peers, peerPorts: peerPorts ? [...new Set(peerPorts)] : undefined };
}

/** ResourceQuota `spec.hard` from the quota props and their defaults, quantities as strings. */
function checkQuota(scope: Construct, q: NamespaceQuota): { [resource: string]: string } {
  const count = (v: number | undefined, d: number, field: string) => {
    const n = v ?? d;
    if (!Number.isInteger(n) || n < 0) fail(scope, 'namespace-resource-quota', `props.quota.${field}`, v, 'must be a non-negative integer.', `use e.g. ${d}.`);
    return String(n);
  };
  return {
    'requests.cpu': checkQty(scope, q.cpuRequests, '8', 'props.quota.cpuRequests'),
    'requests.memory': checkQty(scope, q.memoryRequests, '16Gi', 'props.quota.memoryRequests'),
    'limits.memory': checkQty(scope, q.memoryLimits, '32Gi', 'props.quota.memoryLimits'),
    'pods': count(q.pods, 100, 'pods'),
    'services': count(q.services, 20, 'services'),
    'services.loadbalancers': count(q.loadBalancers, 0, 'loadBalancers'),
    'services.nodeports': count(q.nodePorts, 0, 'nodePorts'),
    'secrets': count(q.secrets, 50, 'secrets'),
    'configmaps': count(q.configMaps, 50, 'configMaps'),
    'persistentvolumeclaims': count(q.persistentVolumeClaims, 10, 'persistentVolumeClaims'),
    'requests.storage': checkQty(scope, q.storage, '100Gi', 'props.quota.storage'),
  };
}

/** A Kubernetes quantity prop (or its default). */
function checkQty(scope: Construct, v: string | undefined, d: string, field: string): string {
  const s = v ?? d;
  if (typeof s !== 'string' || parseQuantity(s) === undefined) fail(scope, 'namespace-resource-quota', field, v, 'is not a Kubernetes quantity.', `use e.g. "${d}".`);
  return s;
}

/** The LimitRange values from the limits props and their defaults. */
function checkLimits(scope: Construct, l: NamespaceLimits): Required<NamespaceLimits> {
  const lim = {
    defaultCpuRequest: checkQty(scope, l.defaultCpuRequest, '100m', 'props.limits.defaultCpuRequest'),
    defaultMemoryRequest: checkQty(scope, l.defaultMemoryRequest, '128Mi', 'props.limits.defaultMemoryRequest'),
    defaultMemoryLimit: checkQty(scope, l.defaultMemoryLimit, '256Mi', 'props.limits.defaultMemoryLimit'),
    maxCpu: checkQty(scope, l.maxCpu, '4', 'props.limits.maxCpu'),
    maxMemory: checkQty(scope, l.maxMemory, '8Gi', 'props.limits.maxMemory'),
  };
  // The API server rejects a LimitRange with defaultRequest > default or default/defaultRequest > max (the CPU
  // default limit it fills in is max.cpu).
  for (const [low, high] of [['defaultMemoryRequest', 'defaultMemoryLimit'], ['defaultMemoryLimit', 'maxMemory'], ['defaultCpuRequest', 'maxCpu']] as const) {
    if (parseQuantity(lim[low])! > parseQuantity(lim[high])!) {
      fail(scope, 'namespace-resource-quota', `props.limits.${low}`, lim[low], `exceeds ${high} (${lim[high]}); the API server rejects the LimitRange.`, `lower ${low} or raise ${high}.`);
    }
  }
  return lim;
}

/** The tenant groups and the rules of their Role; the Role takes no escalation path (the catalogue's RBAC rules). */
function checkTenantRbac(scope: Construct, props: IsolatedNamespaceProps, ns: string): { tenantGroups: string[]; tenantRules: any[] } {
  const groups = stringList(scope, props.tenantGroups, 'props.tenantGroups', 'rbac-escalation');
  const secrets = stringList(scope, props.readableSecrets, 'props.readableSecrets', 'rbac-secrets-access');
  if (secrets.length > 0 && groups.length === 0) {
    fail(scope, 'rbac-secrets-access', 'props.readableSecrets', secrets, 'grants secret access but no tenantGroups are bound.', 'add tenantGroups or remove readableSecrets.');
  }
  secrets.forEach((s, i) => {
    if (!DNS1123_SUBDOMAIN.test(s)) {
      fail(scope, 'rbac-secrets-access', `props.readableSecrets[${i}]`, s, 'is not a Secret name (wildcards are not allowed).', 'list exact Secret names.');
    }
  });
  if (groups.length === 0) return { tenantGroups: groups, tenantRules: [] };
  const createPods = props.tenantCanCreatePods === true;
  const rules = [...developerRules(createPods), ...(secrets.length > 0 ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...secrets] }] : [])];
  // The tenant Role takes no escalation path, judged through the catalogue's evaluator; pod creation only on request.
  const candidate = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: tenantMeta(ns, 'tenant-developer'), rules };
  for (const ruleId of RBAC_GRANT_RULE_IDS.filter(id => !(createPods && id === 'rbac-pod-create'))) {
    assertRule(scope, ruleId, candidate, 'props.tenantGroups', groups);
  }
  for (const g of groups) {
    if (g.trim() === '' || g.startsWith('system:')) {
      fail(scope, 'rbac-escalation', 'props.tenantGroups', g, 'binds a system group.', 'bind the tenant team\'s own group.');
    }
  }
  return { tenantGroups: groups, tenantRules: rules };
}

/** The dedicated Calico IP pool: an IPv4 CIDR and a block size; on the isolated nodes when node isolation is set. */
function checkIpPool(scope: Construct, props: IsolatedNamespaceProps): IsolatedNamespacePlan['ipPool'] {
  if (!props.ipPool) return undefined;
  const { cidr, blockSize = 26 } = props.ipPool;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some(o => Number(o) > 255) || Number(m[5]) > blockSize || Number(m[5]) < 8) {
    fail(scope, 'namespace-default-deny', 'props.ipPool.cidr', cidr, `is not an IPv4 CIDR between /8 and the block size /${blockSize}.`, 'use e.g. 10.244.64.0/20.');
  }
  if (!Number.isInteger(blockSize) || blockSize < 20 || blockSize > 32) {
    fail(scope, 'namespace-default-deny', 'props.ipPool.blockSize', blockSize, 'must be an integer between 20 and 32.', 'use 26 (the Calico default).');
  }
  const nodeSelector = props.nodeIsolation ? Object.entries(props.nodeIsolation.nodeSelector).map(([k, v]) => `${k} == "${v}"`).join(' && ') : undefined;
  return { cidr, blockSize, ...(nodeSelector !== undefined ? { nodeSelector } : {}) };
}

/** The Namespace: Pod Security `restricted` (enforce, audit, warn) at the pinned version, mesh injection, annotations. */
function renderNamespace(scope: Construct, plan: IsolatedNamespacePlan): ApiObject {
  const version = plan.podSecurityVersion;
  return clusterScoped(new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: {
      name: plan.name,
      labels: {
        'app.kubernetes.io/managed-by': 'cdk8s-hardened',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': version,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': version,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': version,
        ...plan.meshLabels,
      },
      ...(Object.keys(plan.annotations).length > 0 ? { annotations: plan.annotations } : {}),
    },
  }));
}

/** Default deny, then explicit allowances. DNS egress targets kube-dns but is written here, never in kube-system. */
function renderNetworkPolicies(scope: Construct, plan: IsolatedNamespacePlan): ApiObject {
  const meta = (name: string) => tenantMeta(plan.name, name);
  const dnsEgress = {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
  };
  const defaultDeny = new k8s.KubeNetworkPolicy(scope, 'DefaultDeny', {
    metadata: meta('default-deny'),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  new k8s.KubeNetworkPolicy(scope, 'AllowDns', {
    metadata: meta('allow-dns-egress'),
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress] },
  });
  if (plan.allowSameNamespace) {
    new k8s.KubeNetworkPolicy(scope, 'AllowSameNamespace', {
      metadata: meta('allow-same-namespace'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
    });
  }
  if (plan.peers.length > 0) {
    const uniquePorts = plan.peerPorts;
    new k8s.KubeNetworkPolicy(scope, 'AllowFromNamespaces', {
      metadata: meta('allow-from-peer-namespaces'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: plan.peers.map(p => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p } } })),
          ...(uniquePorts ? { ports: uniquePorts.map(port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) } : {}),
        }],
      },
    });
  }
  return defaultDeny;
}

/** The ResourceQuota and the LimitRange. */
function renderQuotaAndLimits(scope: Construct, plan: IsolatedNamespacePlan): { resourceQuota: ApiObject; limitRange: ApiObject } {
  const resourceQuota = new k8s.KubeResourceQuota(scope, 'Quota', {
    metadata: tenantMeta(plan.name, 'tenant-quota'),
    spec: { hard: Object.fromEntries(Object.entries(plan.quota).map(([k, v]) => [k, k8s.Quantity.fromString(v)])) },
  });
  const lim = plan.limits;
  const limitRange = new k8s.KubeLimitRange(scope, 'Limits', {
    metadata: tenantMeta(plan.name, 'tenant-limits'),
    spec: {
      limits: [{
        type: 'Container',
        defaultRequest: { cpu: k8s.Quantity.fromString(lim.defaultCpuRequest), memory: k8s.Quantity.fromString(lim.defaultMemoryRequest) },
        default: { memory: k8s.Quantity.fromString(lim.defaultMemoryLimit) },
        max: { cpu: k8s.Quantity.fromString(lim.maxCpu), memory: k8s.Quantity.fromString(lim.maxMemory) },
      }],
    },
  });
  return { resourceQuota, limitRange };
}

/** The tenant Role and its binding to the tenant groups (none without tenantGroups). */
function renderTenantRbac(scope: Construct, plan: IsolatedNamespacePlan): ApiObject | undefined {
  if (plan.tenantGroups.length === 0) return undefined;
  const meta = tenantMeta(plan.name, 'tenant-developer');
  const tenantRole = new k8s.KubeRole(scope, 'TenantRole', { metadata: meta, rules: plan.tenantRules });
  new k8s.KubeRoleBinding(scope, 'TenantRoleBinding', {
    metadata: tenantMeta(plan.name, 'tenant-developer'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-developer' },
    subjects: plan.tenantGroups.map(g => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g })),
  });
  return tenantRole;
}

/** The dedicated Calico IP pool (cluster-scoped). */
function renderIpPool(scope: Construct, plan: IsolatedNamespacePlan): void {
  if (!plan.ipPool) return;
  const { cidr, blockSize, nodeSelector } = plan.ipPool;
  clusterScoped(new IpPool(scope, 'IpPool', {
    metadata: { name: `${plan.name}-pool`, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened' } },
    spec: {
      cidr,
      blockSize,
      ipipMode: IpPoolSpecIpipMode.NEVER,
      vxlanMode: IpPoolSpecVxlanMode.CROSS_SUBNET,
      natOutgoing: true,
      allowedUses: ['Workload'],
      // On dedicated nodes when node isolation is set; pods select the pool through the namespace annotation.
      ...(nodeSelector !== undefined ? { nodeSelector } : {}),
    },
  }));
}

/** Istio mTLS STRICT and the egress to istiod the sidecars need. */
function renderMesh(scope: Construct, plan: IsolatedNamespacePlan): void {
  if (!plan.meshMtlsStrict) return;
  new PeerAuthentication(scope, 'MeshMtls', {
    metadata: tenantMeta(plan.name, 'default'),
    spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
  });
  // Sidecars fetch their configuration (xDS) and workload certificates (CA) from istiod on TCP 15012; without this
  // the default deny keeps them from ever becoming ready. Any istiod revision (app: istiod), since a revision tag
  // on the namespace need not match the istiod pods' istio.io/rev label. Written here, never in istio-system.
  new k8s.KubeNetworkPolicy(scope, 'AllowIstiod', {
    metadata: tenantMeta(plan.name, 'allow-istiod-egress'),
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(15012) }],
      }],
    },
  });
}

/** Cluster-scoped objects never carry metadata.namespace, even in a chart with a namespace (cdk8s-core#731). */
function clusterScoped<T extends ApiObject>(obj: T): T {
  if (Chart.of(obj).namespace) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}
