import { DISCOVERY_ROLES, isKubeadmClusterInfoSubject } from '../../../semantics/rbac/bootstrap-bindings';
import { bindingSubjects } from '../../../semantics/rbac/subjects';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { rbacForm } from './openshift-rbac';
import { OPENSHIFT_BINDINGS_NOTE, RBAC_GOOD_PRACTICES } from './rbac-util';

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
    'credentials), `system:serviceaccounts` (every workload of the cluster) or `system:serviceaccounts:<ns>` (every workload of a ' +
    'namespace, its default ServiceAccount included), names `system:masters` (which bypasses ' +
    'RBAC altogether), or binds a namespace\'s `default` ServiceAccount (every pod that names no ServiceAccount inherits ' +
    'it) — also when written as the User `system:serviceaccount:<ns>:default`, the name the API server authenticates it ' +
    'under. Bindings of the four built-in discovery ClusterRoles (system:discovery, system:basic-user, ' +
    'system:public-info-viewer, system:service-account-issuer-discovery) are the API server\'s own and are not judged ' +
    'for their subjects; any other role, even one named `system:...`, is. kubeadm\'s RoleBinding ' +
    '`kubeadm:bootstrap-signer-clusterinfo` in kube-public (Role of the same name, User `system:anonymous`: `kubeadm join` ' +
    'reads the cluster-info ConfigMap before it has credentials) is recognised exactly and its anonymous subject passes ' +
    '(lib/semantics/rbac/bootstrap-bindings.ts lists these bootstrap bindings with their source). What a binding of a built-in role such as ' +
    '`admin` or `edit` grants is judged by the other RBAC rules through that role\'s effective rules. ' + OPENSHIFT_BINDINGS_NOTE,
  remediation: 'Bind a dedicated role that lists exactly the needed verbs and resources to named groups or to a ' +
    'dedicated ServiceAccount; keep cluster-admin for break-glass access outside manifests.',
  references: [
    'CIS Kubernetes Benchmark 5.1.1: Ensure that the cluster-admin role is only used where required',
    'CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used',
    'CIS Kubernetes Benchmark 5.1.7: Avoid use of system:masters group',
    `${RBAC_GOOD_PRACTICES} (avoid binding system:authenticated / system:unauthenticated)`,
  ],
  peers: ['kube-linter:cluster-admin-role-binding', 'polaris:clusterrolebindingClusterAdmin', 'polaris:rolebindingClusterAdminClusterRole',
    'polaris:rolebindingClusterAdminRole', 'kubesec:BindingsToSystemAnonymous', 'gatekeeper:general/disallowanonymous'],
  threats: ['E2-permission-escalation'],
  check(written) {
    // OpenShift's authorization.openshift.io bindings are judged in their RBAC form (userNames, groupNames: openshift-rbac.ts)
    const { obj, pathOf } = rbacForm(written);
    const out: RuleViolation[] = [];
    const roleRef = obj?.roleRef ?? {};
    if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') {
      out.push({ path: 'roleRef.name', message: `${obj.kind} grants cluster-admin${obj.kind === 'RoleBinding' ? ` in namespace "${obj.metadata?.namespace ?? 'default'}"` : ' cluster-wide'}.` });
    }
    const builtIn = roleRef.kind === 'ClusterRole' && DISCOVERY_ROLES.includes(roleRef.name);
    const subjects: unknown[] = Array.isArray(obj?.subjects) ? obj.subjects : [];
    // Subjects are normalized first: a ServiceAccount under its user name, the groups of ServiceAccounts (rbac/subjects.ts).
    for (const s of bindingSubjects(obj)) {
      const broad = s.principal === 'everyone' || s.principal === 'serviceaccounts' || s.principal === 'masters';
      if (!builtIn && broad && !(s.principal === 'everyone' && isKubeadmClusterInfoSubject(obj, subjects[s.index]))) {
        out.push({ path: `subjects[${s.index}].name`, message: `binds ${roleRef.kind ?? 'a role'} "${roleRef.name}" to ${s.written} (${s.who}).` });
      } else if (s.principal === 'serviceaccount' && s.name === 'default') {
        out.push({ path: `subjects[${s.index}].name`, message: `binds ${roleRef.kind ?? 'a role'} "${roleRef.name}" to the default ServiceAccount of namespace "${s.namespace}"${s.written.startsWith('User ') ? ` (written as ${s.written})` : ''}.` });
      }
    }
    return out.map(v => ({ ...v, path: pathOf(v.path) }));
  },
};
