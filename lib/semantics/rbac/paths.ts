/**
 * The documented RBAC privilege-escalation paths (Kubernetes docs "RBAC good practices", CIS Kubernetes Benchmark
 * 5.1.x), each as requests the rule set must allow. A path is taken when every one of its `allOf` groups has at least
 * one request the rules allow.
 */
import { grantOf, granted, Grant, PolicyRule, RbacScope, reachableIn } from './evaluator';

/** One request shape: any of these verbs on any of these group/resource[/subresource]. */
export interface PathRequest {
  readonly verbs: readonly string[];
  readonly apiGroup: string;
  /** `resource` or `resource/subresource`. */
  readonly resource: string;
  /**
   * Names that make the request dangerous. Absent: any name (a rule narrowed by resourceNames still takes the path,
   * for the named objects).
   * @default - any name
   */
  readonly names?: readonly string[];
}

/** An escalation path. */
export interface EscalationPath {
  /** Stable id, e.g. `pods/exec`; findings name it. */
  readonly id: string;
  /** Catalogue rule reporting it. */
  readonly ruleId: string;
  /** What taking the path gives, for messages. */
  readonly gives: string;
  /** Every group must be allowed (any request within a group). */
  readonly allOf: readonly (readonly PathRequest[])[];
  /**
   * The path is open only in this namespace (and cluster-wide): a Role elsewhere does not take it.
   * @default - any namespace
   */
  readonly onlyIn?: string;
}

const req = (verbs: string[], apiGroup: string, resources: string[], names?: string[]): PathRequest[] =>
  resources.map(resource => (names ? { verbs, apiGroup, resource, names } : { verbs, apiGroup, resource }));

const WRITE = ['create', 'update', 'patch'];
const ADMISSION_WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Pod-creating workload resources, in every group that serves (or served) them. */
export const POD_CREATORS: readonly PathRequest[] = [
  ...req(WRITE, '', ['pods', 'replicationcontrollers']),
  ...req(WRITE, 'apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']),
  ...req(WRITE, 'extensions', ['deployments', 'replicasets', 'daemonsets']),
  ...req(WRITE, 'batch', ['jobs', 'cronjobs']),
];

/** Signers whose certificates the API server or the kubelets trust (kubernetes.io/* built-in signers). */
export const BUILT_IN_SIGNERS = [
  'kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving',
  'kubernetes.io/legacy-unknown', 'kubernetes.io/*',
];

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  { id: 'escalate', ruleId: 'rbac-escalation', gives: 'create or update roles with permissions the subject does not hold', allOf: [req(['escalate'], 'rbac.authorization.k8s.io', ['roles', 'clusterroles'])] },
  { id: 'bind', ruleId: 'rbac-escalation', gives: 'bind any role, cluster-admin included, to anyone', allOf: [req(['bind'], 'rbac.authorization.k8s.io', ['roles', 'clusterroles'])] },
  {
    id: 'impersonate',
    ruleId: 'rbac-escalation',
    gives: 'act as other users, groups or service accounts',
    allOf: [[...req(['impersonate'], '', ['users', 'groups', 'serviceaccounts']), ...req(['impersonate'], 'authentication.k8s.io', ['uids'])]],
  },
  { id: 'pods/exec', ruleId: 'rbac-escalation', gives: 'run commands in running pods, with their ServiceAccount tokens and mounted Secrets', allOf: [req(['create', 'get'], '', ['pods/exec'])] },
  { id: 'pods/attach', ruleId: 'rbac-escalation', gives: 'attach to the processes of running pods', allOf: [req(['create', 'get'], '', ['pods/attach'])] },
  { id: 'pods/portforward', ruleId: 'rbac-escalation', gives: 'open connections to pods around NetworkPolicies', allOf: [req(['create', 'get'], '', ['pods/portforward'])] },
  { id: 'pods/ephemeralcontainers', ruleId: 'rbac-escalation', gives: 'add containers (any image, any command) to running pods', allOf: [req(['update', 'patch'], '', ['pods/ephemeralcontainers'])] },
  { id: 'nodes/proxy', ruleId: 'rbac-escalation', gives: 'reach the kubelet API (exec into any pod of the node, read its logs)', allOf: [req(['get', 'create', 'update', 'patch', 'delete'], '', ['nodes/proxy'])] },
  { id: 'serviceaccounts/token', ruleId: 'rbac-escalation', gives: 'mint tokens of ServiceAccounts and act with their permissions', allOf: [req(['create'], '', ['serviceaccounts/token'])] },
  { id: 'workload-create', ruleId: 'rbac-pod-create', gives: 'run pods with any ServiceAccount and any Secret of the namespace', allOf: [POD_CREATORS] },
  { id: 'secrets/create', ruleId: 'rbac-secret-create', gives: 'have the token controller mint a long-lived token Secret for any ServiceAccount (type kubernetes.io/service-account-token)', allOf: [req(['create'], '', ['secrets'])] },
  { id: 'persistentvolumes/create', ruleId: 'rbac-persistent-volume-create', gives: 'create hostPath PersistentVolumes that give pods the node filesystem', allOf: [req(['create'], '', ['persistentvolumes'])] },
  {
    id: 'certificatesigningrequests/approval',
    ruleId: 'rbac-csr-approval',
    gives: 'approve certificate requests for built-in signers (client certificates for any user or group, system:masters included)',
    allOf: [req(['update', 'patch'], 'certificates.k8s.io', ['certificatesigningrequests/approval']), req(['approve'], 'certificates.k8s.io', ['signers'], BUILT_IN_SIGNERS)],
  },
  {
    id: 'certificatesigningrequests/status',
    ruleId: 'rbac-csr-approval',
    gives: 'issue certificates as a built-in signer',
    allOf: [req(['update', 'patch'], 'certificates.k8s.io', ['certificatesigningrequests/status']), req(['sign'], 'certificates.k8s.io', ['signers'], BUILT_IN_SIGNERS)],
  },
  {
    id: 'admission-configuration',
    ruleId: 'rbac-admission-config-write',
    gives: 'change or remove admission webhooks and policies (disable enforcement, or intercept every object sent to the API server)',
    allOf: [req(ADMISSION_WRITE, 'admissionregistration.k8s.io', [
      'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies',
      'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
    ])],
  },
  { id: 'namespaces/update', ruleId: 'rbac-namespace-write', gives: 'relabel namespaces, e.g. lower their pod-security.kubernetes.io/enforce level', allOf: [req(['update', 'patch'], '', ['namespaces'])] },
  {
    id: 'apiservices/write',
    ruleId: 'rbac-escalation',
    gives: 'register an aggregated API server for an API group, which then receives (and answers) every request for it, with the callers\' credentials forwarded',
    allOf: [req(ADMISSION_WRITE, 'apiregistration.k8s.io', ['apiservices'])],
  },
  {
    id: 'customresourcedefinitions/write',
    ruleId: 'rbac-escalation',
    gives: 'change any CustomResourceDefinition: add a conversion webhook that receives (and may rewrite) every object of the type, loosen the schema of policy or security resources, or delete a type with all its objects',
    allOf: [req(ADMISSION_WRITE, 'apiextensions.k8s.io', ['customresourcedefinitions'])],
  },
  {
    id: 'services/proxy',
    ruleId: 'rbac-escalation',
    gives: 'send requests to any Service\'s or pod\'s endpoints through the API server, around NetworkPolicies and from the API server\'s address',
    allOf: [[...req(['get', 'create', 'update', 'patch', 'delete'], '', ['services/proxy']), ...req(['get', 'create', 'update', 'patch', 'delete'], '', ['pods/proxy'])]],
  },
  {
    id: 'nodes/write',
    ruleId: 'rbac-escalation',
    gives: 'relabel, taint or cordon nodes (steer other workloads onto a node of its choice, or off every node)',
    allOf: [[...req(['update', 'patch'], '', ['nodes']), ...req(['update', 'patch'], '', ['nodes/status'])]],
  },
  {
    id: 'runtimeclasses/write',
    ruleId: 'rbac-escalation',
    gives: 'define RuntimeClasses: a class named like the cluster\'s sandbox (e.g. "gvisor", "kata") with an unsandboxed handler runs every pod that asks for the sandbox without it',
    allOf: [req(['create', 'update', 'patch', 'delete'], 'node.k8s.io', ['runtimeclasses'])],
  },
  {
    id: 'kube-system/leases',
    ruleId: 'rbac-escalation',
    gives: 'take the leader-election leases of kube-controller-manager and kube-scheduler in kube-system, stopping the controllers (token, garbage collection, scheduling) while it holds them',
    allOf: [req(['create', 'update', 'patch', 'delete'], 'coordination.k8s.io', ['leases'], ['kube-controller-manager', 'kube-scheduler', 'cloud-controller-manager'])],
    onlyIn: 'kube-system',
  },
  {
    id: 'endpoints/write',
    ruleId: 'rbac-endpoints-write',
    gives: 'point Services at arbitrary addresses, so ingress controllers and other Services\' clients send traffic there (CVE-2021-25740)',
    allOf: [[...req(WRITE, '', ['endpoints']), ...req(WRITE, 'discovery.k8s.io', ['endpointslices'])]],
  },
];

/** A request of a path that the rules allow. */
export interface GrantedRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly grant: Grant;
}

/** A path the rules allow. */
export interface PathHit {
  readonly path: EscalationPath;
  /** The allowed requests, per allOf group. */
  readonly granted: readonly (readonly GrantedRequest[])[];
  /** Indexes (into the rule list) of every rule that contributes. */
  readonly ruleIndexes: readonly number[];
  /** When the path is only open for some named objects: those names. Empty when open for every object. */
  readonly onlyNames: readonly string[];
}

/** A verb acts on a named object unless it creates a new top-level object or acts on a whole collection. */
function isNamed(verb: string, resource: string): boolean {
  if (verb === 'deletecollection') return false;
  if (verb === 'create') return resource.includes('/');
  return true;
}

/** Describe a request for messages: `create pods`, `update deployments.apps`, `create pods/exec`. */
export function describeRequest(g: { verb: string; apiGroup: string; resource: string }): string {
  return `${g.verb} ${g.resource}${g.apiGroup ? `.${g.apiGroup}` : ''}`;
}

/** The requests of one path request shape that the rules allow in `scope`. */
function grantedRequests(rules: readonly PolicyRule[], r: PathRequest, scope: RbacScope): GrantedRequest[] {
  const [resource, subresource] = r.resource.split('/', 2);
  if (!reachableIn(scope, r.apiGroup, resource)) return [];
  const out: GrantedRequest[] = [];
  for (const verb of r.verbs) {
    const g = grantOf(rules, { verb, apiGroup: r.apiGroup, resource, subresource }, isNamed(verb, r.resource));
    if (r.names) {
      // Only these names matter: keep the grant when it covers any of them.
      if (!g.anyName && !g.names.some(n => r.names!.includes(n))) continue;
      out.push({ verb, apiGroup: r.apiGroup, resource: r.resource, grant: g.anyName ? g : { ...g, names: g.names.filter(n => r.names!.includes(n)) } });
    } else if (granted(g)) {
      out.push({ verb, apiGroup: r.apiGroup, resource: r.resource, grant: g });
    }
  }
  return out;
}

/** The escalation paths (optionally of one catalogue rule) that a rule set applied in `scope` allows. */
export function escalationPaths(rules: readonly PolicyRule[], scope: RbacScope, ruleId?: string, namespace?: string): PathHit[] {
  const hits: PathHit[] = [];
  // Cheap pre-filter: a request shape whose verbs and group no rule names (nor `*`) cannot be allowed.
  const verbs = new Set(rules.flatMap(r => r.verbs));
  const groups0 = new Set(rules.flatMap(r => r.apiGroups));
  const possible = (r: PathRequest) => (verbs.has('*') || r.verbs.some(v => verbs.has(v))) && (groups0.has('*') || groups0.has(r.apiGroup));
  for (const path of ESCALATION_PATHS) {
    if (ruleId !== undefined && path.ruleId !== ruleId) continue;
    if (path.onlyIn !== undefined && scope === 'namespace' && namespace !== path.onlyIn) continue;
    if (!path.allOf.every(group => group.some(possible))) continue;
    const groups = path.allOf.map(group => group.flatMap(r => (possible(r) ? grantedRequests(rules, r, scope) : [])));
    if (groups.some(g => g.length === 0)) continue;
    const all = groups.flat();
    const indexes = [...new Set(all.flatMap(g => g.grant.ruleIndexes))].sort((a, b) => a - b);
    const narrowed = all.every(g => !g.grant.anyName);
    hits.push({
      path,
      granted: groups,
      ruleIndexes: indexes,
      onlyNames: narrowed ? [...new Set(all.flatMap(g => g.grant.names))].sort() : [],
    });
  }
  return hits;
}
