/**
 * OpenShift's legacy authorization.openshift.io bindings (lib/policy/rules/tenancy/openshift-rbac.ts): judged in the
 * RBAC form openshift-apiserver stores, each finding at the field it was written in; blocked in every layer.
 */
import { Catalogue, Outcome } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { rbacForm } from '../../lib/policy/rules/tenancy/openshift-rbac';
import { expectBlockedEverywhere, expectNotFlagged } from '../attack/layers';

const paths = (ruleId: string, obj: any) => evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today: '2026-06-01' })
  .filter(f => f.outcome === Outcome.FAIL).map(f => f.path);
const binding = (fields: any, kind = 'ClusterRoleBinding') => ({ apiVersion: 'authorization.openshift.io/v1', kind, metadata: { name: 'b', namespace: kind === 'RoleBinding' ? 'shop' : undefined }, ...fields });

test('userNames and groupNames bind: everyone there is refused at that field', () => {
  expect(paths('rbac-binding-privileged', binding({ groupNames: ['devs', 'system:unauthenticated'], roleRef: { name: 'view' } }))).toEqual(['groupNames[1]']);
  expect(paths('rbac-binding-privileged', binding({ userNames: ['system:anonymous'], roleRef: { name: 'view' } }))).toEqual(['userNames[0]']);
  expect(paths('rbac-binding-privileged', binding({ userNames: ['system:serviceaccount:shop:default'], roleRef: { name: 'view' } }, 'RoleBinding'))).toEqual(['userNames[0]']);
});

test('SystemGroup and SystemUser subjects are groups and users; subjects are judged even next to userNames (stricter)', () => {
  expect(paths('rbac-binding-privileged', binding({ subjects: [{ kind: 'SystemGroup', name: 'system:authenticated' }], roleRef: { name: 'view' } }))).toEqual(['subjects[0].name']);
  expect(paths('rbac-binding-privileged', binding({ userNames: ['alice'], subjects: [{ kind: 'SystemUser', name: 'system:anonymous' }], roleRef: { name: 'view' } }))).toEqual(['subjects[0].name']);
});

test('a roleRef without kind is a ClusterRole (cluster-admin refused) unless it names a namespace', () => {
  expect(paths('rbac-binding-privileged', binding({ userNames: ['alice'], roleRef: { name: 'cluster-admin' } }))).toEqual(['roleRef.name']);
  expect(paths('rbac-binding-privileged', binding({ userNames: ['alice'], roleRef: { name: 'cluster-admin', namespace: 'shop' } }, 'RoleBinding'))).toEqual([]);
  expect(rbacForm(binding({ roleRef: { name: 'x', namespace: 'shop' } }, 'RoleBinding')).obj.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' });
});

test('a binding of the built-in edit role grants what edit grants (roleRef without kind), found at roleRef.name', () => {
  const b = binding({ userNames: ['alice'], roleRef: { name: 'edit' } }, 'RoleBinding');
  expect(paths('rbac-secrets-access', b)).toEqual(['roleRef.name']);
  expect(paths('rbac-pod-create', b)).toEqual(['roleRef.name']);
});

test('RBAC objects and OpenShift roles are left as they are', () => {
  const rb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, subjects: [], roleRef: { kind: 'Role', name: 'x' } };
  expect(rbacForm(rb).obj).toBe(rb);
  const role = { apiVersion: 'authorization.openshift.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [] };
  expect(rbacForm(role).obj).toBe(role);
});

test('every layer blocks an OpenShift binding of system:authenticated, and a waiver lets it through', async () => {
  const yaml = `
apiVersion: authorization.openshift.io/v1
kind: ClusterRoleBinding
metadata: { name: everyone-views }
groupNames: [system:authenticated]
roleRef: { name: view }
`;
  await expectBlockedEverywhere(yaml, 'rbac-binding-privileged', { waive: ['ClusterRoleBinding/everyone-views'] });
  await expectNotFlagged(yaml.replace('system:authenticated', 'developers'), 'rbac-binding-privileged');
});
