import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { RBAC_GOOD_PRACTICES } from './rbac-util';

/** Subjects that stand for every client, every workload, or the RBAC-bypassing superuser group. */
const BROAD_SUBJECTS: { [key: string]: string } = {
  'Group:system:authenticated': 'every authenticated client',
  'Group:system:unauthenticated': 'every client without credentials',
  'User:system:anonymous': 'every client without credentials',
  'Group:system:serviceaccounts': 'every ServiceAccount of every namespace (any pod anyone can create)',
  'Group:system:masters': 'the superuser group, which the API server allows everything before RBAC is consulted: the binding ' +
    'grants nothing and hides where cluster-admin power lies',
};
/** Built-in discovery ClusterRoles the API server itself binds to everyone (read-only version/discovery/OIDC info). */
const DISCOVERY_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:service-account-issuer-discovery']);

export const rbacBindingPrivileged: IRule = {
  id: 'rbac-binding-privileged',
  title: 'No binding of cluster-admin, of everyone, or of a default ServiceAccount',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['RoleBinding', 'ClusterRoleBinding'],
  description: 'A binding is where a role\'s permissions reach people and workloads, so the least-privilege rules on ' +
    'Roles are void if a binding hands out the built-in ClusterRole `cluster-admin` (full control of the cluster, or of ' +
    'the namespace through a RoleBinding; a Role that happens to be named cluster-admin is judged by its rules), grants a ' +
    'role to `system:authenticated`, `system:unauthenticated`, `system:anonymous` (every client, even without ' +
    'credentials) or `system:serviceaccounts` (every workload of the cluster), names `system:masters` (which bypasses ' +
    'RBAC altogether), or binds a namespace\'s `default` ServiceAccount (every pod that names no ServiceAccount inherits ' +
    'it). Bindings of the four built-in discovery ClusterRoles (system:discovery, system:basic-user, ' +
    'system:public-info-viewer, system:service-account-issuer-discovery) are the API server\'s own and are not judged ' +
    'for their subjects; any other role, even one named `system:...`, is. What a binding of a built-in role such as ' +
    '`admin` or `edit` grants is judged by the other RBAC rules through that role\'s effective rules.',
  remediation: 'Bind a dedicated role that lists exactly the needed verbs and resources to named groups or to a ' +
    'dedicated ServiceAccount; keep cluster-admin for break-glass access outside manifests.',
  references: [
    'CIS Kubernetes Benchmark 5.1.1: Ensure that the cluster-admin role is only used where required',
    'CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used',
    'CIS Kubernetes Benchmark 5.1.7: Avoid use of system:masters group',
    `${RBAC_GOOD_PRACTICES} (avoid binding system:authenticated / system:unauthenticated)`,
  ],
  check(obj) {
    const out: RuleViolation[] = [];
    const roleRef = obj?.roleRef ?? {};
    if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') {
      out.push({ path: 'roleRef.name', message: `${obj.kind} grants cluster-admin${obj.kind === 'RoleBinding' ? ` in namespace "${obj.metadata?.namespace ?? 'default'}"` : ' cluster-wide'}.` });
    }
    const builtIn = roleRef.kind === 'ClusterRole' && DISCOVERY_ROLES.has(roleRef.name);
    const subjects: any[] = Array.isArray(obj?.subjects) ? obj.subjects : [];
    subjects.forEach((s, i) => {
      const who = BROAD_SUBJECTS[`${s?.kind}:${s?.name}`];
      if (!builtIn && who) {
        out.push({ path: `subjects[${i}].name`, message: `binds ${roleRef.kind ?? 'a role'} "${roleRef.name}" to ${s.kind} "${s.name}" (${who}).` });
      }
      if (s?.kind === 'ServiceAccount' && s.name === 'default') {
        out.push({ path: `subjects[${i}].name`, message: `binds ${roleRef.kind ?? 'a role'} "${roleRef.name}" to the default ServiceAccount of namespace "${s.namespace ?? obj.metadata?.namespace ?? 'default'}".` });
      }
    });
    return out;
  },
};
