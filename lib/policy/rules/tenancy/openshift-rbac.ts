/**
 * OpenShift's legacy `authorization.openshift.io/v1` Role, ClusterRole, RoleBinding and ClusterRoleBinding: the
 * openshift-apiserver converts them to (and stores them as) rbac.authorization.k8s.io objects, so they grant exactly
 * what RBAC grants, but a binding is written differently (openshift/api authorization/v1/types.go):
 * - `userNames` and `groupNames` bind users and groups directly (and `subjects` is then ignored);
 * - a subject may be of kind `SystemUser` or `SystemGroup` (the `system:` principals);
 * - `roleRef` is an ObjectReference without a kind: a ClusterRole unless it names a namespace (then a Role there).
 * The RBAC rules judge such a binding in its RBAC form: every principal of `userNames`, `groupNames` and `subjects`
 * (the union, so a subject OpenShift would ignore is still judged: stricter, never looser), each finding at the field
 * it was written in. Roles keep RBAC's rule shape and are judged as they are.
 */
import { groupOf } from '../kind-groups';

export const OPENSHIFT_AUTHORIZATION_GROUP = 'authorization.openshift.io';

/** An object in the form the RBAC rules read, and the path in the written object of a finding on that form. */
export interface RbacForm {
  readonly obj: any;
  readonly pathOf: (path: string) => string;
}

const SAME: (p: string) => string = p => p;

/** The RBAC form of an object: an authorization.openshift.io binding rewritten; anything else as it is. */
export function rbacForm(obj: any): RbacForm {
  if (groupOf(obj) !== OPENSHIFT_AUTHORIZATION_GROUP || (obj?.kind !== 'RoleBinding' && obj?.kind !== 'ClusterRoleBinding')) return { obj, pathOf: SAME };
  const written: string[] = [];
  const subjects: any[] = [];
  const names = (field: 'userNames' | 'groupNames', kind: string) => {
    if (!Array.isArray(obj[field])) return;
    obj[field].forEach((name: unknown, i: number) => {
      subjects.push({ kind, apiGroup: 'rbac.authorization.k8s.io', name });
      written.push(`${field}[${i}]`);
    });
  };
  names('userNames', 'User');
  names('groupNames', 'Group');
  (Array.isArray(obj.subjects) ? obj.subjects : []).forEach((s: any, i: number) => {
    const kind = s?.kind === 'SystemUser' ? 'User' : s?.kind === 'SystemGroup' ? 'Group' : s?.kind;
    subjects.push({ ...s, kind });
    written.push(`subjects[${i}]`);
  });
  const ref = obj.roleRef ?? {};
  const roleNamespace = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : undefined;
  const form = {
    ...obj,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    subjects,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleNamespace ? 'Role' : 'ClusterRole', name: ref.name },
  };
  const pathOf = (p: string) => {
    const m = /^subjects\[(\d+)\](.*)$/.exec(p);
    if (!m || written[Number(m[1])] === undefined) return p;
    const at = written[Number(m[1])];
    // userNames[i] / groupNames[i] hold the name itself
    return at.startsWith('subjects[') ? `${at}${m[2]}` : (m[2] === '.name' || m[2] === '' ? at : `${at}${m[2]}`);
  };
  return { obj: form, pathOf };
}
