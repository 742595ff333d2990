import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Groups and users that stand for every client of the API server. */
const EVERYONE = new Set(['Group:system:authenticated', 'Group:system:unauthenticated', 'User:system:anonymous']);
/** Built-in discovery ClusterRoles the API server itself binds to everyone (read-only version/discovery/OIDC info). */
const DISCOVERY_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:service-account-issuer-discovery']);

export const rbacBindingPrivileged: IRule = {
  id: 'rbac-binding-privileged',
  title: 'No binding of cluster-admin, of everyone, or of a default ServiceAccount',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['RoleBinding', 'ClusterRoleBinding'],
  description: 'A binding is where a role\'s permissions reach people and workloads, so the least-privilege rules on ' +
    'Roles are void if a binding hands out `cluster-admin` (full control of the cluster, or of the namespace through a ' +
    'RoleBinding), grants a role to `system:authenticated`, `system:unauthenticated` or `system:anonymous` (every ' +
    'client, even without credentials), or to a namespace\'s `default` ServiceAccount (every pod that names no ' +
    'ServiceAccount inherits it). Bindings of the four built-in discovery ClusterRoles (system:discovery, ' +
    'system:basic-user, system:public-info-viewer, system:service-account-issuer-discovery) are the API server\'s own and ' +
    'are not judged for their subjects; any other role, even one named `system:...`, is.',
  remediation: 'Bind a dedicated role that lists exactly the needed verbs and resources to named groups or to a ' +
    'dedicated ServiceAccount; keep cluster-admin for break-glass access outside manifests.',
  references: [
    'CIS Kubernetes Benchmark 5.1.1: Ensure that the cluster-admin role is only used where required',
    'CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used',
    'Kubernetes docs: RBAC good practices (avoid binding system:authenticated / system:unauthenticated)',
  ],
  check(obj) {
    const out: RuleViolation[] = [];
    const roleRef = obj?.roleRef ?? {};
    if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') {
      out.push({ path: 'roleRef.name', message: `${obj.kind} grants cluster-admin.` });
    }
    const builtIn = roleRef.kind === 'ClusterRole' && DISCOVERY_ROLES.has(roleRef.name);
    const subjects: any[] = Array.isArray(obj?.subjects) ? obj.subjects : [];
    subjects.forEach((s, i) => {
      if (!builtIn && EVERYONE.has(`${s?.kind}:${s?.name}`)) {
        out.push({ path: `subjects[${i}].name`, message: `binds ${roleRef.kind ?? 'a role'} "${roleRef.name}" to ${s.kind} "${s.name}" (every client).` });
      }
      if (s?.kind === 'ServiceAccount' && s.name === 'default') {
        out.push({ path: `subjects[${i}].name`, message: `binds ${roleRef.kind ?? 'a role'} "${roleRef.name}" to the default ServiceAccount of namespace "${s.namespace ?? obj.metadata?.namespace ?? 'default'}".` });
      }
    });
    return out;
  },
};
