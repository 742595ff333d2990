/**
 * RBAC subjects as the authorizer matches them (kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go
 * `appliesToUser` and pkg/serviceaccount/util.go): a request's user info is compared with a subject, so the same
 * principal can be written in several ways. Every spelling is normalized here, before any RBAC rule judges a binding:
 *
 * - `ServiceAccount <ns>/<name>` matches the user `system:serviceaccount:<ns>:<name>`; a `User` subject with that name
 *   is the same ServiceAccount.
 * - The group `system:serviceaccounts:<ns>` holds every ServiceAccount of `<ns>` (its `default` one included);
 *   `system:serviceaccounts` every ServiceAccount of the cluster.
 * - `system:authenticated` every authenticated client, `system:unauthenticated` and the user `system:anonymous`
 *   every client without credentials, `system:masters` the superuser group.
 *
 * Names are compared exactly (the authorizer does; a name with a space or another case matches nobody).
 */

/** What a subject stands for, after normalization. */
export interface NormalizedSubject {
  /** Index in the binding's `subjects`. */
  readonly index: number;
  /** The subject as written: `User "system:serviceaccount:shop:default"`. */
  readonly written: string;
  /**
   * - `serviceaccount`: one ServiceAccount (`namespace`, `name`);
   * - `serviceaccounts`: every ServiceAccount of `namespace`, or of the cluster when `namespace` is undefined;
   * - `everyone`: every client (authenticated, unauthenticated or anonymous);
   * - `masters`: the superuser group;
   * - `user` / `group`: another user or group.
   */
  readonly principal: 'serviceaccount' | 'serviceaccounts' | 'everyone' | 'masters' | 'user' | 'group';
  /** Namespace of a ServiceAccount or of a namespace's ServiceAccounts. */
  readonly namespace?: string;
  /** Name of a ServiceAccount, user or group. */
  readonly name?: string;
  /** Who that is, for messages. */
  readonly who: string;
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
const SA_GROUP = /^system:serviceaccounts:([^:]+)$/;

/** Normalize one subject of a binding whose namespace is `bindingNamespace` (undefined for a ClusterRoleBinding). */
export function normalizeSubject(s: any, index: number, bindingNamespace: string | undefined): NormalizedSubject {
  const kind = typeof s?.kind === 'string' ? s.kind : String(s?.kind ?? '');
  const name = typeof s?.name === 'string' ? s.name : String(s?.name ?? '');
  const written = `${kind} ${JSON.stringify(name)}`;
  if (kind === 'ServiceAccount') {
    // A ServiceAccount subject without a namespace is in the binding's (the API server requires it on ClusterRoleBindings).
    const ns = typeof s?.namespace === 'string' && s.namespace !== '' ? s.namespace : bindingNamespace ?? 'default';
    return { index, written, principal: 'serviceaccount', namespace: ns, name, who: `ServiceAccount "${ns}/${name}"` };
  }
  if (kind === 'User') {
    const m = SA_USER.exec(name);
    if (m) return { index, written, principal: 'serviceaccount', namespace: m[1], name: m[2], who: `ServiceAccount "${m[1]}/${m[2]}" (its user name)` };
    if (name === 'system:anonymous') return { index, written, principal: 'everyone', name, who: 'every client without credentials' };
    return { index, written, principal: 'user', name, who: `user "${name}"` };
  }
  if (kind === 'Group') {
    const m = SA_GROUP.exec(name);
    if (m) return { index, written, principal: 'serviceaccounts', namespace: m[1], name, who: `every ServiceAccount of namespace "${m[1]}" (its default ServiceAccount included, so every pod that names none)` };
    if (name === 'system:serviceaccounts') return { index, written, principal: 'serviceaccounts', name, who: 'every ServiceAccount of every namespace (any pod anyone can create)' };
    if (name === 'system:authenticated') return { index, written, principal: 'everyone', name, who: 'every authenticated client' };
    if (name === 'system:unauthenticated') return { index, written, principal: 'everyone', name, who: 'every client without credentials' };
    if (name === 'system:masters') {
      return {
        index, written, principal: 'masters', name,
        who: 'the superuser group, which the API server allows everything before RBAC is consulted: the binding grants nothing and hides where cluster-admin power lies',
      };
    }
    return { index, written, principal: 'group', name, who: `group "${name}"` };
  }
  return { index, written, principal: 'user', name, who: `${kind} "${name}"` };
}

/** Every subject of a RoleBinding / ClusterRoleBinding, normalized. */
export function bindingSubjects(binding: any): NormalizedSubject[] {
  const subjects: unknown[] = Array.isArray(binding?.subjects) ? binding.subjects : [];
  const ns = binding?.kind === 'RoleBinding' ? (typeof binding?.metadata?.namespace === 'string' ? binding.metadata.namespace : 'default') : undefined;
  return subjects.map((s, i) => normalizeSubject(s, i, ns));
}

/** True when the subject includes the `default` ServiceAccount of some namespace (one SA, or a group of them). */
export function includesDefaultServiceAccount(s: NormalizedSubject): boolean {
  return (s.principal === 'serviceaccount' && s.name === 'default') || s.principal === 'serviceaccounts';
}
