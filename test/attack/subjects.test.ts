/**
 * Class 8 of issue #30: RBAC subjects that denote ServiceAccounts (or everyone) under another spelling are normalized
 * before the RBAC rules judge a binding.
 */
import { bindingSubjects, normalizeSubject } from '../../lib/semantics/rbac';
import { expectBlockedEverywhere, expectNotFlagged } from './layers';

const binding = (kind: string, ns: string | undefined, subjects: string, role = 'kind: Role, name: reader') => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: b${ns ? `, namespace: ${ns}` : ''} }
roleRef: { apiGroup: rbac.authorization.k8s.io, ${kind === 'ClusterRoleBinding' ? 'kind: ClusterRole, name: view' : role} }
subjects:
${subjects}
`;

describe('normalizeSubject', () => {
  test.each([
    [{ kind: 'User', name: 'system:serviceaccount:shop:default' }, 'serviceaccount', 'shop', 'default'],
    [{ kind: 'User', name: 'system:serviceaccount:kube-system:replicaset-controller' }, 'serviceaccount', 'kube-system', 'replicaset-controller'],
    [{ kind: 'ServiceAccount', name: 'api' }, 'serviceaccount', 'shop', 'api'],
    [{ kind: 'ServiceAccount', name: 'api', namespace: 'other' }, 'serviceaccount', 'other', 'api'],
    [{ kind: 'Group', name: 'system:serviceaccounts:shop' }, 'serviceaccounts', 'shop', 'system:serviceaccounts:shop'],
    [{ kind: 'Group', name: 'system:serviceaccounts' }, 'serviceaccounts', undefined, 'system:serviceaccounts'],
    [{ kind: 'Group', name: 'system:authenticated' }, 'everyone', undefined, 'system:authenticated'],
    [{ kind: 'Group', name: 'system:unauthenticated' }, 'everyone', undefined, 'system:unauthenticated'],
    [{ kind: 'User', name: 'system:anonymous' }, 'everyone', undefined, 'system:anonymous'],
    [{ kind: 'Group', name: 'system:masters' }, 'masters', undefined, 'system:masters'],
    // Not the same principal: the authorizer compares names exactly.
    [{ kind: 'User', name: 'system:serviceaccount:shop' }, 'user', undefined, 'system:serviceaccount:shop'],
    [{ kind: 'User', name: 'System:serviceaccount:shop:default' }, 'user', undefined, 'System:serviceaccount:shop:default'],
    [{ kind: 'Group', name: 'system:serviceaccount:shop' }, 'group', undefined, 'system:serviceaccount:shop'],
    [{ kind: 'User', name: 'system:authenticated' }, 'user', undefined, 'system:authenticated'],
  ])('%j', (s, principal, namespace, name) => {
    const n = normalizeSubject(s, 0, 'shop');
    expect(n.principal).toBe(principal);
    expect(n.namespace).toBe(namespace);
    expect(n.name).toBe(name);
  });

  test('a RoleBinding without a namespace is in default; subjects keep their index', () => {
    const subs = bindingSubjects({ kind: 'RoleBinding', metadata: { name: 'x' }, subjects: [{ kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 'a' }] });
    expect(subs.map(s => [s.index, s.principal, s.namespace])).toEqual([[0, 'group', undefined], [1, 'serviceaccount', 'default']]);
  });
});

describe('every layer refuses a binding to a ServiceAccount or to everyone under another spelling', () => {
  test.each([
    ['default SA as its user name', binding('RoleBinding', 'shop', '  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:serviceaccount:shop:default" }')],
    ['default SA of another namespace as its user name, cluster-wide', binding('ClusterRoleBinding', undefined, '  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:serviceaccount:payments:default" }')],
    ['every SA of a namespace', binding('RoleBinding', 'shop', '  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:shop" }')],
    ['every SA of the cluster', binding('ClusterRoleBinding', undefined, '  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts" }')],
    ['system:authenticated', binding('RoleBinding', 'shop', '  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated" }')],
    ['system:unauthenticated', binding('RoleBinding', 'shop', '  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:unauthenticated" }')],
    ['system:anonymous', binding('RoleBinding', 'shop', '  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:anonymous" }')],
    ['a harmless subject first, the broad one second', binding('RoleBinding', 'shop', '  - { kind: ServiceAccount, name: api }\n  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:shop" }')],
  ])('%s', async (_, yaml) => {
    await expectBlockedEverywhere(yaml, 'rbac-binding-privileged', { waive: ['RoleBinding/b', 'ClusterRoleBinding/b'] });
  });

  test('a dedicated ServiceAccount under its user name passes (and the harness notices a layer that lets it through)', async () => {
    const dedicated = binding('RoleBinding', 'shop', '  - { apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:serviceaccount:shop:api" }');
    await expectNotFlagged(dedicated, 'rbac-binding-privileged');
    await expect(expectBlockedEverywhere(dedicated, 'rbac-binding-privileged')).rejects.toThrow(/app\.synth\(\) did not block on rbac-binding-privileged/);
  });
});
