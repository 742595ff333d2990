/**
 * The RBAC catalogue rules on effective grants: which object a finding lands on, its path, and the escalation path it
 * names. (Pass/fail behaviour of every rule is in test/fixtures/rules/rbac-*, run by the catalogue meta-test.)
 */
import { Catalogue, Outcome } from '../../../lib';
import { evaluate, objectRefOf } from '../../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../../lib/policy/profile';

const AGG = 'rbac.authorization.k8s.io/aggregate-to-';
const rbacRules = Catalogue.all().filter(r => r.id.startsWith('rbac-'));
const findings = (objects: any[]) => evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), {
  rules: rbacRules, settings: DEFAULT_PROFILE as any, today: '2026-01-01',
}).filter(f => f.outcome === Outcome.FAIL).map(f => ({ rule: f.ruleId, on: `${f.object.kind}/${f.object.name}`, path: f.path, message: f.message }));
const binding = (kind: string, roleKind: string, role: string, ns = 'shop') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: ns } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team' }],
});
const clusterRole = (name: string, extra: any) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) }, ...extra.body });

test('a RoleBinding of edit is judged by edit\'s effective grants, on roleRef.name, in its namespace', () => {
  const f = findings([binding('RoleBinding', 'ClusterRole', 'edit')]);
  expect(new Set(f.map(x => x.on))).toEqual(new Set(['RoleBinding/b']));
  expect(f.every(x => x.path === 'roleRef.name')).toBe(true);
  const paths = f.map(x => `${x.rule}:${/path ([^,]+),/.exec(x.message)?.[1] ?? 'secrets'}`).sort();
  expect(paths).toEqual([
    'rbac-escalation:impersonate', 'rbac-escalation:pods/attach', 'rbac-escalation:pods/exec', 'rbac-escalation:pods/portforward',
    'rbac-escalation:serviceaccounts/token', 'rbac-escalation:services/proxy', 'rbac-pod-create:workload-create', 'rbac-secret-create:secrets/create', 'rbac-secrets-access:secrets',
  ]);
  expect(f.find(x => x.rule === 'rbac-secrets-access')!.message).toMatch(/built-in ClusterRole "edit" bound in namespace "shop" grants .*get secrets without resourceNames in namespace "shop" \(built-in ClusterRole "system:aggregate-to-edit" rules\[0\]/);
});

test('a RoleBinding of view passes, until a ClusterRole of the same input aggregates Secrets into view', () => {
  expect(findings([binding('RoleBinding', 'ClusterRole', 'view')])).toEqual([]);
  const peek = clusterRole('peek', { labels: { [`${AGG}view`]: 'true' }, body: { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] } });
  const f = findings([binding('RoleBinding', 'ClusterRole', 'view'), peek]).sort((a, b) => a.on.localeCompare(b.on));
  expect(f.map(x => [x.rule, x.on, x.path])).toEqual([
    ['rbac-secrets-access', 'ClusterRole/peek', 'rules[0].verbs'],
    ['rbac-secrets-access', 'RoleBinding/b', 'roleRef.name'],
  ]);
  expect(f[0].message).toMatch(/aggregates into "admin", "edit", "view", so every binding of those grants it too/);
  expect(f[1].message).toMatch(/\(ClusterRole "peek" rules\[0\]\)/);
});

test('a binding of a role defined in the input is not judged again; the role is', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'edit', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }] };
  expect(findings([role, binding('RoleBinding', 'Role', 'edit')]).map(x => [x.rule, x.on, x.path])).toEqual([['rbac-pod-create', 'Role/edit', 'rules[0]']]);
});

test('an aggregated ClusterRole: findings on aggregationRule.clusterRoleSelectors, naming the roles it pulls in', () => {
  const f = findings([clusterRole('copy-of-admin', { body: { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGG}admin`]: 'true' } }] } } })]);
  expect(f.length).toBeGreaterThan(5);
  expect(f.every(x => x.path === 'aggregationRule.clusterRoleSelectors')).toBe(true);
  expect(f.map(x => x.message).join('\n')).toMatch(/built-in ClusterRole "system:aggregate-to-edit"/);
});

test('a ClusterRoleBinding of cluster-admin: every path, cluster-wide', () => {
  const f = findings([binding('ClusterRoleBinding', 'ClusterRole', 'cluster-admin')]);
  expect(new Set(f.map(x => x.rule))).toEqual(new Set(rbacRules.map(r => r.id).filter(id => id !== 'rbac-wildcard')));
  expect(f.filter(x => x.rule !== 'rbac-binding-privileged').every(x => / cluster-wide/.test(x.message))).toBe(true);
});

test('rbac-secret-create names the namespace\'s ServiceAccounts', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }] };
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'shop' } };
  expect(findings([role, sa])[0].message).toMatch(/ServiceAccounts of namespace "shop" whose tokens it can mint: \["default","deployer"\]\.$/);
});

test('resourceNames narrow the finding to the named objects', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'], resourceNames: ['debug-0'] }] };
  expect(findings([role])[0].message).toMatch(/grants create pods\/exec \(only \["debug-0"\]\) in namespace "shop"/);
});
