/**
 * Class 1 of issue #30: RBAC is judged by what a grant lets its holder do. `create secrets` in a namespace mints a
 * token for any ServiceAccount there (an error), through raw Roles, ClusterRoles, aggregation, wildcards, built-in
 * roles and HardenedDeployment `apiAccess` with its escape hatches.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, JsonPatch } from 'cdk8s';
import { HardenedChart, HardenedDeployment } from '../../lib';
import { MINIMAL } from '../workload/helpers';
import { expectBlockedEverywhere, expectNotFlagged } from './layers';

const role = (rules: string, kind = 'Role', ns = 'shop') => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: minter${kind === 'Role' ? `, namespace: ${ns}` : ''} }
rules:
${rules}
`;

describe('create on secrets is token minting, an error in every layer', () => {
  test.each([
    ['create secrets', role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }')],
    ['create, then get the minted name', role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }\n  - { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["minted"] }')],
    ['verbs *', role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["*"] }')],
    ['resources *', role('  - { apiGroups: [""], resources: ["*"], verbs: ["create"] }')],
    ['apiGroups *', role('  - { apiGroups: ["*"], resources: ["secrets"], verbs: ["create"] }')],
    ['a ClusterRole', role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }', 'ClusterRole')],
  ])('%s', async (_, yaml) => {
    await expectBlockedEverywhere(yaml, 'rbac-secret-create', { waive: ['Role/minter', 'ClusterRole/minter'] });
  });

  test('a ClusterRole aggregated into edit by its label alone', async () => {
    await expectBlockedEverywhere(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: secret-writer
  labels: { rbac.authorization.k8s.io/aggregate-to-edit: "true" }
rules:
  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }
`, 'rbac-secret-create', { waive: ['ClusterRole/secret-writer'] });
  });

  test('an empty aggregating ClusterRole that selects a secret creator', async () => {
    await expectBlockedEverywhere(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: innocent }
aggregationRule:
  clusterRoleSelectors: [{ matchLabels: { team: shop } }]
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: leaf, labels: { team: shop } }
rules:
  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }
`, 'rbac-secret-create', { waive: ['ClusterRole/innocent', 'ClusterRole/leaf'] });
  });

  test('a RoleBinding of the built-in edit role (which creates secrets)', async () => {
    await expectBlockedEverywhere(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployer-edit, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
subjects: [{ kind: ServiceAccount, name: deployer, namespace: shop }]
`, 'rbac-secret-create');
  });

  test('create with resourceNames allows no create at all (a create request has no name)', async () => {
    await expectNotFlagged(role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"], resourceNames: ["only-this"] }'), 'rbac-secret-create');
  });

  test('get on one named secret alone, and create of configmaps, mint nothing', async () => {
    await expectNotFlagged(role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["db"] }\n  - { apiGroups: [""], resources: ["configmaps"], verbs: ["create"] }'), 'rbac-secret-create');
  });

  test('the message says how the same grants hand the token over', async () => {
    const { evaluate, objectRefOf } = await import('../../lib/policy/engine');
    const { Catalogue } = await import('../../lib');
    const { DEFAULT_PROFILE } = await import('../../lib/policy/profile');
    const docs = (await import('./layers')).docsOf(role('  - { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }\n  - { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["minted"] }\n  - { apiGroups: ["apps"], resources: ["deployments"], verbs: ["create"] }'));
    const f = evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get('rbac-secret-create')], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' });
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('get on Secrets ["minted"] reads it when the minted Secret takes one of those names');
    expect(f[0].message).toContain('creating deployments.apps mounts it');
  });
});

describe('apiAccess: refused at construct time, and its escape hatches are refused at synthesis', () => {
  const build = () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'attack-token-')) });
    const chart = new HardenedChart(app, 'c', { namespace: 'shop' });
    const d = new HardenedDeployment(chart, 'api', { ...MINIMAL, apiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
    const roleObj = chart.node.findAll().find(c => ApiObject.isApiObject(c) && (c as ApiObject).kind === 'Role') as ApiObject;
    return { app, d, roleObj };
  };
  const synthMessage = (app: App) => {
    try { app.synth(); return ''; } catch (e) { return (e as Error).message; }
  };

  test('construct time', () => {
    const chart = new HardenedChart(new App(), 'c', { namespace: 'shop' });
    expect(() => new HardenedDeployment(chart, 'api', { ...MINIMAL, apiAccess: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }] }))
      .toThrow(/props\.apiAccess\[0\]=.* violates rbac-secret-create/s);
  });

  test('a JSON patch appending a rule to the generated Role', () => {
    const { app, roleObj } = build();
    roleObj.addJsonPatch(JsonPatch.add('/rules/-', { apiGroups: [''], resources: ['secrets'], verbs: ['create'] }));
    expect(synthMessage(app)).toMatch(/Role shop\/api-api-access .* at rules\[1\]: rbac-secret-create/);
  });

  test('a JSON patch rewriting the generated Role\'s rule', () => {
    const { app, roleObj } = build();
    roleObj.addJsonPatch(JsonPatch.replace('/rules/0/resources', ['secrets']), JsonPatch.replace('/rules/0/verbs', ['create']));
    expect(synthMessage(app)).toContain(': rbac-secret-create ');
  });

  test('mutation after construction (the rendered rules array)', () => {
    const { app, roleObj } = build();
    const rules = (roleObj as any).props.rules as any[];
    rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['create'] });
    expect(synthMessage(app)).toContain(': rbac-secret-create ');
  });
});
