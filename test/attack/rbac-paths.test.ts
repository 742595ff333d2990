/**
 * Class 9 of issue #30 (RBAC): escalation paths the rules did not name — aggregated API servers and CRD writes,
 * services/proxy and pods/proxy, nodes patch, RuntimeClass writes, kube-system leader-election leases — and pods update
 * (image swap), which rbac-pod-create already takes.
 */
import { Catalogue } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { docsOf, expectBlockedEverywhere, expectNotFlagged } from './layers';

const today = new Date().toISOString().slice(0, 10);
const role = (kind: string, ns: string | undefined, rule: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: r${ns ? `, namespace: ${ns}` : ''} }
rules:
  - ${rule}
`;
const paths = (yaml: string, ruleId: string) => {
  const docs = docsOf(yaml);
  return evaluate(docs.map((o: any) => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today })
    .map(f => /path ([^,]+), lets/.exec(f.message)?.[1]);
};

describe.each([
  ['apiservices create', 'ClusterRole', undefined, '{ apiGroups: ["apiregistration.k8s.io"], resources: ["apiservices"], verbs: ["create"] }', 'apiservices/write'],
  ['apiservices via *', 'ClusterRole', undefined, '{ apiGroups: ["apiregistration.k8s.io"], resources: ["*"], verbs: ["update"] }', 'apiservices/write'],
  ['CRD patch', 'ClusterRole', undefined, '{ apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["patch"] }', 'customresourcedefinitions/write'],
  ['services/proxy get', 'Role', 'shop', '{ apiGroups: [""], resources: ["services/proxy"], verbs: ["get"] }', 'services/proxy'],
  ['pods/proxy via */proxy', 'Role', 'shop', '{ apiGroups: [""], resources: ["*/proxy"], verbs: ["create"] }', 'services/proxy'],
  ['nodes patch', 'ClusterRole', undefined, '{ apiGroups: [""], resources: ["nodes"], verbs: ["patch"] }', 'nodes/write'],
  ['nodes/status update', 'ClusterRole', undefined, '{ apiGroups: [""], resources: ["nodes/status"], verbs: ["update"] }', 'nodes/write'],
  ['runtimeclasses create', 'ClusterRole', undefined, '{ apiGroups: ["node.k8s.io"], resources: ["runtimeclasses"], verbs: ["create"] }', 'runtimeclasses/write'],
  ['kube-system leases update (Role)', 'Role', 'kube-system', '{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["update"] }', 'kube-system/leases'],
  ['leases update cluster-wide', 'ClusterRole', undefined, '{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["patch"], resourceNames: ["kube-scheduler"] }', 'kube-system/leases'],
])('%s', (_, kind, ns, rule, pathId) => {
  test(`takes path ${pathId}, refused in every layer`, async () => {
    const yaml = role(kind, ns, rule);
    expect(paths(yaml, 'rbac-escalation')).toContain(pathId);
    await expectBlockedEverywhere(yaml, 'rbac-escalation', { waive: [`${kind}/r`] });
  });
});

test('pods update (swap the image of a running pod) takes rbac-pod-create\'s workload-create path: a warning like create, a construct-time error through apiAccess', () => {
  const docs = docsOf(role('Role', 'shop', '{ apiGroups: [""], resources: ["pods"], verbs: ["update"] }'));
  const f = evaluate(docs.map((o: any) => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get('rbac-pod-create')], settings: { ...DEFAULT_PROFILE }, today });
  expect(f).toHaveLength(1);
  expect(f[0].severity).toBe('warning');
  expect(f[0].message).toMatch(/grants update pods in namespace "shop" .*path workload-create/);
});

test('leases of the application\'s own namespace, and reading nodes, take no path', async () => {
  await expectNotFlagged(role('Role', 'shop', '{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] }'), 'rbac-escalation');
  await expectNotFlagged(role('ClusterRole', undefined, '{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] }'), 'rbac-escalation');
  // A Role cannot reach cluster-scoped nodes, CRDs or RuntimeClasses at all.
  await expectNotFlagged(role('Role', 'shop', '{ apiGroups: ["", "node.k8s.io", "apiextensions.k8s.io"], resources: ["nodes", "runtimeclasses", "customresourcedefinitions"], verbs: ["patch", "create"] }'), 'rbac-escalation');
});
