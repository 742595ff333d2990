/**
 * Bindings that Kubernetes itself (the API server's RBAC bootstrap reconciler) and kubeadm write to the "everyone"
 * subjects — `Group system:authenticated`, `Group system:unauthenticated`, `User system:anonymous` — at cluster
 * bootstrap and again on every API server start or `kubeadm upgrade`. rbac-binding-privileged (the synth-time rule and
 * its admission policy) must admit each of them: denying one breaks discovery, `kubectl version` or `kubeadm join`.
 *
 * Sources (read 2026-12; the bindings have kept these names and subjects since the versions noted):
 * - kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go `ClusterRoleBindings()` and its
 *   golden file testdata/cluster-role-bindings.yaml: system:basic-user and system:discovery (Group system:authenticated;
 *   before 1.14 also Group system:unauthenticated), system:public-info-viewer (Groups system:authenticated and
 *   system:unauthenticated, since 1.14). (system:service-account-issuer-discovery binds Group system:serviceaccounts,
 *   not an "everyone" subject.)
 * - kubernetes/kubernetes cmd/kubeadm/app/phases/bootstraptoken/clusterinfo/clusterinfo.go `CreateClusterInfoRBACRules`:
 *   RoleBinding kubeadm:bootstrap-signer-clusterinfo in kube-public, Role kubeadm:bootstrap-signer-clusterinfo (get on
 *   the ConfigMap cluster-info only), subject User system:anonymous (`user.Anonymous`), so that `kubeadm join` can read
 *   the cluster's CA before it has credentials.
 * The upstream ClusterRoleBindings bind the built-in discovery ClusterRoles (DISCOVERY_ROLES), which the rule does not
 * judge for their subjects whatever the binding's name; the kubeadm RoleBinding is recognised exactly (namespace,
 * name, Role and subject), since its Role is an ordinary Role.
 */

/** A bootstrap binding to an "everyone" subject. */
export interface BootstrapBinding {
  readonly kind: 'ClusterRoleBinding' | 'RoleBinding';
  readonly namespace?: string;
  readonly name: string;
  readonly roleRef: { readonly kind: 'ClusterRole' | 'Role'; readonly name: string };
  readonly subjects: ReadonlyArray<{ readonly kind: 'User' | 'Group'; readonly name: string }>;
  readonly source: string;
}

/** Built-in discovery ClusterRoles the API server itself binds to everyone (read-only version/discovery/OIDC info). */
export const DISCOVERY_ROLES: readonly string[] = ['system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:service-account-issuer-discovery'];

const UPSTREAM = 'kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go ClusterRoleBindings()';

export const BOOTSTRAP_EVERYONE_BINDINGS: ReadonlyArray<BootstrapBinding> = [
  {
    kind: 'ClusterRoleBinding', name: 'system:basic-user', roleRef: { kind: 'ClusterRole', name: 'system:basic-user' },
    subjects: [{ kind: 'Group', name: 'system:authenticated' }], source: UPSTREAM,
  },
  {
    kind: 'ClusterRoleBinding', name: 'system:discovery', roleRef: { kind: 'ClusterRole', name: 'system:discovery' },
    subjects: [{ kind: 'Group', name: 'system:authenticated' }], source: UPSTREAM,
  },
  {
    kind: 'ClusterRoleBinding', name: 'system:discovery', roleRef: { kind: 'ClusterRole', name: 'system:discovery' },
    subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }],
    source: `${UPSTREAM} before Kubernetes 1.14 (still present in clusters upgraded since)`,
  },
  {
    kind: 'ClusterRoleBinding', name: 'system:public-info-viewer', roleRef: { kind: 'ClusterRole', name: 'system:public-info-viewer' },
    subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }], source: UPSTREAM,
  },
  {
    kind: 'RoleBinding', namespace: 'kube-public', name: 'kubeadm:bootstrap-signer-clusterinfo',
    roleRef: { kind: 'Role', name: 'kubeadm:bootstrap-signer-clusterinfo' }, subjects: [{ kind: 'User', name: 'system:anonymous' }],
    source: 'kubernetes/kubernetes cmd/kubeadm/app/phases/bootstraptoken/clusterinfo/clusterinfo.go CreateClusterInfoRBACRules',
  },
];

/** The kubeadm cluster-info binding, recognised exactly: its anonymous subject is not a finding. */
export const KUBEADM_CLUSTER_INFO = BOOTSTRAP_EVERYONE_BINDINGS[BOOTSTRAP_EVERYONE_BINDINGS.length - 1];

/** Whether subject `s` of `binding` is the anonymous subject of kubeadm's cluster-info RoleBinding. */
export function isKubeadmClusterInfoSubject(binding: any, s: any): boolean {
  const k = KUBEADM_CLUSTER_INFO;
  return binding?.kind === k.kind && binding?.metadata?.namespace === k.namespace && binding?.metadata?.name === k.name &&
    binding?.roleRef?.kind === k.roleRef.kind && binding?.roleRef?.name === k.roleRef.name &&
    s?.kind === k.subjects[0].kind && s?.name === k.subjects[0].name;
}
