/**
 * The built-in ("bootstrap") ClusterRoles the API server creates and reconciles at start-up, as data.
 *
 * Source: kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml (the
 * golden file the bootstrap policy is tested against), every ClusterRole of that file: the user-facing roles
 * (cluster-admin, admin, edit, view and the system:aggregate-to-* roles whose rules aggregate into them) and the
 * system:* roles a binding may name. The controller roles (system:controller:*, controller-roles.yaml) are not
 * included: a binding of one of them is not judged by its grants (see README, section tenancy).
 *
 * Copied from the stored copy of that file at commit 025f2834a128798cef30018a5e6a6ae82b5ad885; the v1.28.x tag could
 * not be checked out offline. The file only changes when a Kubernetes release changes the bootstrap policy; compare
 * it with the tag of the targeted release before relying on a role whose grants differ between releases.
 *
 * `rules: []` with an aggregationRule means the rules are filled in by the clusterrole-aggregation controller.
 */
export interface BootstrapClusterRole {
  readonly name: string;
  readonly labels: { readonly [key: string]: string };
  readonly aggregationRule?: { readonly clusterRoleSelectors: ReadonlyArray<{ readonly matchLabels: { readonly [key: string]: string } }> };
  readonly rules: ReadonlyArray<BootstrapRule>;
}

/** A PolicyRule of a bootstrap role. */
export interface BootstrapRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

const BOOT = 'kubernetes.io/bootstrapping';
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';
const labels = (...aggregateTo: string[]): { [key: string]: string } =>
  Object.fromEntries([[BOOT, 'rbac-defaults'], ...aggregateTo.map(t => [`${AGG}${t}`, 'true'])]);
const r = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): BootstrapRule =>
  (resourceNames ? { apiGroups, resources, verbs, resourceNames } : { apiGroups, resources, verbs });
const url = (nonResourceURLs: string[], verbs: string[]): BootstrapRule => ({ nonResourceURLs, verbs });
const aggregate = (target: string) => ({ clusterRoleSelectors: [{ matchLabels: { [`${AGG}${target}`]: 'true' } }] });

const RW = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

/** Every ClusterRole of the bootstrap policy's cluster-roles.yaml, in file order. */
export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  { name: 'admin', labels: labels(), aggregationRule: aggregate('admin'), rules: [] },
  {
    name: 'cluster-admin',
    labels: labels(),
    rules: [r(['*'], ['*'], ['*']), url(['*'], ['*'])],
  },
  { name: 'edit', labels: labels('admin'), aggregationRule: aggregate('edit'), rules: [] },
  {
    name: 'system:aggregate-to-admin',
    labels: labels('admin'),
    rules: [
      r(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
      r(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: labels('edit'),
    rules: [
      r([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
      r([''], ['serviceaccounts'], ['impersonate']),
      r([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], RW),
      r([''], ['pods/eviction'], ['create']),
      r([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], RW),
      r([''], ['serviceaccounts/token'], ['create']),
      r(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], RW),
      r(['autoscaling'], ['horizontalpodautoscalers'], RW),
      r(['batch'], ['cronjobs', 'jobs'], RW),
      r(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], RW),
      r(['policy'], ['poddisruptionbudgets'], RW),
      r(['networking.k8s.io'], ['ingresses', 'networkpolicies'], RW),
      r(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: labels('view'),
    rules: [
      r([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
      r([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
      r([''], ['namespaces'], READ),
      r(['discovery.k8s.io'], ['endpointslices'], READ),
      r(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
      r(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
      r(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
      r(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], READ),
      r(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
      r(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
    ],
  },
  {
    name: 'system:auth-delegator',
    labels: labels(),
    rules: [r(['authentication.k8s.io'], ['tokenreviews'], ['create']), r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])],
  },
  {
    name: 'system:basic-user',
    labels: labels(),
    rules: [
      r(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      r(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ],
  },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', labels: labels(), rules: [r(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create'])] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', labels: labels(), rules: [r(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create'])] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-approver', labels: labels(), rules: [r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client'])] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', labels: labels(), rules: [r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client-kubelet'])] },
  { name: 'system:certificates.k8s.io:kubelet-serving-approver', labels: labels(), rules: [r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kubelet-serving'])] },
  { name: 'system:certificates.k8s.io:legacy-unknown-approver', labels: labels(), rules: [r(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/legacy-unknown'])] },
  {
    name: 'system:discovery',
    labels: labels(),
    rules: [url(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])],
  },
  {
    name: 'system:heapster',
    labels: labels(),
    rules: [r([''], ['events', 'namespaces', 'nodes', 'pods'], READ), r(['extensions'], ['deployments'], READ)],
  },
  { name: 'system:kube-aggregator', labels: labels(), rules: [r([''], ['endpoints', 'services'], READ)] },
  {
    name: 'system:kube-controller-manager',
    labels: labels(),
    rules: [
      r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      r(['coordination.k8s.io'], ['leases'], ['create']),
      r(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-controller-manager']),
      r([''], ['secrets', 'serviceaccounts'], ['create']),
      r([''], ['secrets'], ['delete']),
      r([''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']),
      r([''], ['secrets', 'serviceaccounts'], ['update']),
      r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      r(['*'], ['*'], ['list', 'watch']),
      r([''], ['serviceaccounts/token'], ['create']),
    ],
  },
  { name: 'system:kube-dns', labels: labels(), rules: [r([''], ['endpoints', 'services'], ['list', 'watch'])] },
  {
    name: 'system:kube-scheduler',
    labels: labels(),
    rules: [
      r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      r(['coordination.k8s.io'], ['leases'], ['create']),
      r(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-scheduler']),
      r([''], ['nodes'], READ),
      r([''], ['pods'], ['delete', 'get', 'list', 'watch']),
      r([''], ['bindings', 'pods/binding'], ['create']),
      r([''], ['pods/status'], ['patch', 'update']),
      r([''], ['replicationcontrollers', 'services'], READ),
      r(['apps', 'extensions'], ['replicasets'], READ),
      r(['apps'], ['statefulsets'], READ),
      r(['policy'], ['poddisruptionbudgets'], READ),
      r([''], ['persistentvolumeclaims', 'persistentvolumes'], READ),
      r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      r(['storage.k8s.io'], ['csinodes'], READ),
      r([''], ['namespaces'], READ),
      r(['storage.k8s.io'], ['csidrivers'], READ),
      r(['storage.k8s.io'], ['csistoragecapacities'], READ),
    ],
  },
  {
    name: 'system:kubelet-api-admin',
    labels: labels(),
    rules: [r([''], ['nodes'], READ), r([''], ['nodes'], ['proxy']), r([''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*'])],
  },
  {
    name: 'system:monitoring',
    labels: labels(),
    rules: [url(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get'])],
  },
  {
    name: 'system:node',
    labels: labels(),
    rules: [
      r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      r(['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
      r([''], ['services'], READ),
      r([''], ['nodes'], ['create', 'get', 'list', 'watch']),
      r([''], ['nodes/status'], ['patch', 'update']),
      r([''], ['nodes'], ['patch', 'update']),
      r([''], ['events'], ['create', 'patch', 'update']),
      r([''], ['pods'], READ),
      r([''], ['pods'], ['create', 'delete']),
      r([''], ['pods/status'], ['patch', 'update']),
      r([''], ['pods/eviction'], ['create']),
      r([''], ['configmaps', 'secrets'], READ),
      r([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
      r([''], ['endpoints'], ['get']),
      r(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
      r(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
      r(['storage.k8s.io'], ['volumeattachments'], ['get']),
      r([''], ['serviceaccounts/token'], ['create']),
      r([''], ['persistentvolumeclaims/status'], ['get', 'patch', 'update']),
      r(['storage.k8s.io'], ['csidrivers'], READ),
      r(['storage.k8s.io'], ['csinodes'], ['create', 'delete', 'get', 'patch', 'update']),
      r(['node.k8s.io'], ['runtimeclasses'], READ),
    ],
  },
  { name: 'system:node-bootstrapper', labels: labels(), rules: [r(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])] },
  {
    name: 'system:node-problem-detector',
    labels: labels(),
    rules: [r([''], ['nodes'], ['get']), r([''], ['nodes/status'], ['patch']), r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update'])],
  },
  {
    name: 'system:node-proxier',
    labels: labels(),
    rules: [
      r([''], ['endpoints', 'services'], ['list', 'watch']),
      r([''], ['nodes'], READ),
      r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      r(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ],
  },
  {
    name: 'system:persistent-volume-provisioner',
    labels: labels(),
    rules: [
      r([''], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
      r([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      r(['storage.k8s.io'], ['storageclasses'], READ),
      r([''], ['events'], ['watch']),
      r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    ],
  },
  { name: 'system:public-info-viewer', labels: labels(), rules: [url(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])] },
  { name: 'system:service-account-issuer-discovery', labels: labels(), rules: [url(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get'])] },
  {
    name: 'system:volume-scheduler',
    labels: labels(),
    rules: [
      r([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
      r(['storage.k8s.io'], ['storageclasses'], READ),
      r([''], ['persistentvolumeclaims'], ['get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  { name: 'view', labels: labels('edit'), aggregationRule: aggregate('view'), rules: [] },
];
