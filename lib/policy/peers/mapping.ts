import { IRule } from '../types';

/**
 * Peer checks with no catalogue rule, each with the written reason: organisational conventions, not security; or a
 * concern the API server or another control already settles. Shown in docs/peers.md.
 */
export const OUT_OF_SCOPE: { readonly [peerId: string]: string } = {
  'kube-linter:dangling-servicemonitor': 'Monitoring wiring (Prometheus Operator ServiceMonitor selecting no Service): an observability gap, not an access control.',
  'kube-linter:dnsconfig-options': 'DNS resolver tuning (ndots) is a performance choice; it grants or exposes nothing.',
  'kube-linter:env-value-from': 'A reference to a Secret or ConfigMap absent from the evaluated set: the kubelet refuses to start the container (CreateContainerConfigError), which is never weaker, and the object is usually created elsewhere (External Secrets, another chart).',
  'kube-linter:hpa-minimum-three-replicas': 'Capacity planning. `replicas-minimum` requires HPA minReplicas >= 2 (one pod may fail or be drained without an outage); three is a sizing opinion.',
  'kube-linter:minimum-three-replicas': 'Capacity planning. `replicas-minimum` requires 2 (one replica may fail or be drained); three is a sizing opinion.',
  'kube-linter:no-extensions-v1beta': 'API lifecycle: extensions/v1beta1 workloads and Ingresses were removed in v1.16/v1.22, so the API server refuses them; no weaker object can result.',
  'kube-linter:no-node-affinity': 'Scheduling preference; node isolation for untrusted workloads is a tenancy design choice (taints, RuntimeClass), judged by `toleration-any-taint` and `pod-spec-valid`.',
  'kube-linter:no-rolling-update-strategy': 'Rollout strategy is release engineering; it changes neither privileges nor exposure.',
  'kube-linter:non-existent-service-account': 'A pod naming a ServiceAccount that does not exist is refused by the ServiceAccount admission plugin; the account is often created outside the evaluated set. `pod-default-service-account` judges which account is used.',
  'kube-linter:priority-class-name': 'Which PriorityClass a workload uses is a cluster operator\'s capacity policy; no value is safer by default (high priorities are limited with ResourceQuota scopes).',
  'kube-linter:required-annotation-email': 'Organisational: ownership annotations. Waivers carry an owner where an exception is accepted.',
  'kube-linter:required-label-owner': 'Organisational: ownership labels.',
  'kube-linter:restart-policy': 'Fault tolerance: the API server already fixes restartPolicy Always for Deployments, StatefulSets and DaemonSets.',
  'kube-linter:sorted-keys': 'Formatting: key order has no meaning to the API server.',
  'polaris:cpuLimitsMissing': 'Deliberate: CPU is compressible, so a missing CPU limit cannot take a node down (requests, required by `resources-requests`, guarantee each pod its share) while CPU limits cause throttling outages. Memory limits are required (`memory-limit`).',
  'polaris:metadataAndInstanceMismatched': 'Organisational: consistency of app.kubernetes.io labels.',
  'polaris:priorityClassNotSet': 'Same as kube-linter priority-class-name: a cluster operator\'s capacity policy.',
  'polaris:pullPolicyNotAlways': 'The risk (a pod reusing a cached private image without pull credentials) is closed at cluster level by the AlwaysPullImages admission plugin or KEP-2535 (credential-verified pulls, v1.33+); a per-pod field is set by whoever writes the pod. `image-digest` pins what runs.',
  'polaris:topologySpreadConstraint': 'Zone spreading is capacity planning; `workload-disruption-budget` accepts topology spread, anti-affinity or a PodDisruptionBudget as protection against losing all replicas at once.',
  'kubesec:LimitsCPU': 'Deliberate, as Polaris cpuLimitsMissing: CPU requests guarantee each pod its share; CPU limits cause throttling outages.',
  'kubesec:VolumeClaimAccessModeReadWriteOnce': 'Storage configuration: an access mode is not an access control (ReadWriteOnce is per node, not per pod).',
  'kubesec:VolumeClaimRequestsStorage': 'Storage sizing: the API server requires a storage request on every PersistentVolumeClaim; StatefulSet templates inherit that.',
  'gatekeeper:general/containerresourceratios': 'Overcommit ratios are capacity policy; `pod-spec-valid` refuses limits below requests and `memory-limit` bounds memory.',
  'gatekeeper:general/noupdateserviceaccount': 'An UPDATE-time admission check (it compares with the previous object): a manifest checker sees no previous object. The API server already forbids changing a running Pod\'s serviceAccountName.',
  'gatekeeper:general/requiredannotations': 'Organisational: required annotations.',
  'gatekeeper:general/requiredlabels': 'Organisational: required labels.',
  'gatekeeper:general/storageclass': 'Which StorageClasses are allowed is an organisational storage policy (cost, performance); `persistent-volume-host-path` judges volumes that expose the node.',
  'gatekeeper:general/uniqueserviceselector': 'Two Services with the same selector are legitimate (a headless Service beside a ClusterIP one for a StatefulSet); traffic to the wrong pods is judged by `service-selects-pods` and `network-policy-selects-pods`.',
  'gatekeeper:general/verifydeprecatedapi': 'API lifecycle: removed API versions are refused by the API server; no weaker object can result.',
  'kyverno:best-practices/add-networkpolicy-dns': 'A generate (mutation) policy that adds a DNS egress rule; this project emits DNS egress in its NetworkPolicies, and `namespace-default-deny` / `workload-network-policy` judge coverage.',
  'kyverno:best-practices/add-rolebinding': 'A generate policy granting a default RoleBinding: organisational access provisioning, judged by the rbac-* rules once written.',
  'kyverno:best-practices/add-safe-to-evict': 'A mutation for the cluster autoscaler (safe-to-evict annotation on pods with local storage): scheduling, not security.',
  'kyverno:best-practices/check-deprecated-apis': 'API lifecycle: removed API versions are refused by the API server.',
  'kyverno:best-practices/disallow-helm-tiller': 'Helm 2 (Tiller) is end of life since 2020; unwanted images are kept out by the allow-list `image-registry-allowed`, which is stricter than a deny-list of one image.',
  'kyverno:best-practices/require-labels': 'Organisational: required labels.',
};

/**
 * Where a covering rule differs from the peer check (stricter, or by a deliberate choice), shown beside the mapping.
 */
export const PEER_NOTES: { readonly [peerId: string]: string } = {
  'kubesec:RunAsUser': 'kubesec rewards runAsUser > 10000; the catalogue requires non-root (any non-zero UID) and refuses UID 0.',
  'kube-linter:dangling-service': 'Judged in namespaces where the evaluated set holds pods (elsewhere the workloads are deployed by another chart).',
  'kube-linter:dangling-networkpolicy': 'Judged in namespaces where the evaluated set holds pods (FirewallMatrix charts emit policies for workloads deployed elsewhere).',
  'kube-linter:dangling-networkpolicypeer-podselector': 'Same-namespace pod peers, judged in namespaces where the evaluated set holds pods.',
  'kube-linter:dangling-ingress': 'Judged in namespaces where the evaluated set holds Services.',
  'gatekeeper:general/uniqueingresshost': 'A host claimed by Ingresses of two namespaces fails; several Ingresses of one namespace (one owner) may share a host, as path-split applications do.',
  'kubesec:HostUsers': 'Advised (info) for pods that may run as root, where a user namespace contains a waived root; non-root pods gain little, and user namespaces need node support (Linux 6.3+), so no default can require them.',
  'kubesec:ApparmorAny': 'An unset AppArmor profile is the runtime default (confined); the catalogue refuses unconfined and overrides.',
  'gatekeeper:general/containerlimits': 'Memory limits are required; CPU limits are deliberately not (see polaris:cpuLimitsMissing).',
  'kube-linter:unset-cpu-requirements': 'CPU requests are required; CPU limits deliberately not (see polaris:cpuLimitsMissing).',
  'gatekeeper:general/replicalimits': 'Minimum: `replicas-minimum` (2); maximum: the profile\'s `maxReplicas` (`profile-maximums`).',
  'gatekeeper:pod-security-policy/fsgroup': 'The catalogue refuses group 0; the gatekeeper template accepts any configured range.',
  'gatekeeper:general/allowedrepos': 'Needs the profile\'s allowedRegistries (empty: any registry). Matched on whole path segments, so `ubuntu` never allows `ubuntu-evil` (gatekeeper allowedrepos is a plain string prefix).',
  'gatekeeper:general/disallowedrepos': 'An allow-list (allowedRegistries) instead of a deny-list.',
  'kube-linter:env-var-secret': 'kube-linter matches names containing "secret"; the catalogue matches more credential names and credential-shaped values, and excludes paths and references.',
  'polaris:rolebindingClusterAdminRole': 'A Role granting everything is judged by `rbac-wildcard`; bindings of cluster-admin by `rbac-binding-privileged`.',
  'kyverno:best-practices/add-network-policy': 'Kyverno generates a default-deny policy; the catalogue requires one (`namespace-default-deny`) and every workload to be covered.',
  'kube-linter:schema-validation': 'The catalogue validates the fields that change security or scheduling (pod specs, metadata, lists); full OpenAPI validation is the API server\'s.',
};

/**
 * The peer checks a rule covers: its own `peers` field (every catalogue rule declares one, `[]` for none; meanings
 * checked against the peers' sources pinned in docs/peers-source.md).
 */
export function peersOf(rule: IRule): string[] {
  return [...(rule.peers ?? [])];
}
