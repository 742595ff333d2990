/**
 * RBAC evaluator: matching as the API server's RBAC authorizer does it, aggregation, bootstrap roles, escalation paths.
 */
import {
  BOOTSTRAP_CLUSTER_ROLES, ESCALATION_PATHS, escalationPaths, grantOf, labelSelectorMatches, normalizeRule, normalizeRules, PolicyRule,
  RbacIndex, reachableIn, ruleAllows, ruleAllowsNonResource, rulesAllow,
} from '../../../lib/semantics/rbac';

const rule = (r: Partial<Record<keyof PolicyRule, string[]>>): PolicyRule => normalizeRule(r);
const core = (resource: string, verb: string, extra: { subresource?: string; name?: string; apiGroup?: string } = {}) =>
  ({ verb, apiGroup: extra.apiGroup ?? '', resource, subresource: extra.subresource, name: extra.name });

describe('ruleAllows (evaluation_helpers.go semantics)', () => {
  test('exact verb, group and resource', () => {
    const r = rule({ apiGroups: [''], resources: ['pods'], verbs: ['get'] });
    expect(ruleAllows(r, core('pods', 'get'))).toBe(true);
    expect(ruleAllows(r, core('pods', 'list'))).toBe(false);
    expect(ruleAllows(r, core('pods', 'get', { apiGroup: 'apps' }))).toBe(false);
    expect(ruleAllows(r, core('pods', 'get', { subresource: 'log' }))).toBe(false);
  });

  test('"*" verbs, groups and resources; "*" resources include subresources', () => {
    const r = rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    expect(ruleAllows(r, core('pods', 'create', { subresource: 'exec', name: 'p' }))).toBe(true);
    expect(ruleAllows(r, core('widgets', 'frobnicate', { apiGroup: 'example.com' }))).toBe(true);
  });

  test('"*/sub" matches that subresource of any resource, never the resource itself', () => {
    const r = rule({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] });
    expect(ruleAllows(r, core('pods', 'create', { subresource: 'exec', name: 'p' }))).toBe(true);
    expect(ruleAllows(r, core('pods', 'create'))).toBe(false);
    expect(ruleAllows(r, core('pods', 'create', { subresource: 'attach', name: 'p' }))).toBe(false);
    // the length check: "*/exec" does not match a subresource that merely ends in "exec"
    expect(ruleAllows(r, core('pods', 'create', { subresource: 'xexec', name: 'p' }))).toBe(false);
  });

  test('"pods/*" and "*/*" are not patterns: they match no real request', () => {
    for (const res of ['pods/*', '*/*']) {
      const r = rule({ apiGroups: [''], resources: [res], verbs: ['*'] });
      expect(ruleAllows(r, core('pods', 'create', { subresource: 'exec', name: 'p' }))).toBe(false);
      expect(ruleAllows(r, core('pods', 'get', { name: 'p' }))).toBe(false);
    }
  });

  test('resourceNames: every name when empty, otherwise exact names; nameless requests need no resourceNames', () => {
    const named = rule({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create'], resourceNames: ['db'] });
    expect(ruleAllows(named, core('secrets', 'get', { name: 'db' }))).toBe(true);
    expect(ruleAllows(named, core('secrets', 'get', { name: 'other' }))).toBe(false);
    expect(ruleAllows(named, core('secrets', 'create'))).toBe(false);
    expect(ruleAllows(rule({ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }), core('secrets', 'create'))).toBe(true);
  });

  test('nonResourceURLs: "*", exact, and prefix ending in "*"', () => {
    const r = rule({ nonResourceURLs: ['/api/*', '/healthz*', '/version'], verbs: ['get'] });
    expect(ruleAllowsNonResource(r, 'get', '/api/v1')).toBe(true);
    expect(ruleAllowsNonResource(r, 'get', '/api')).toBe(false);
    expect(ruleAllowsNonResource(r, 'get', '/healthzfoo')).toBe(true);
    expect(ruleAllowsNonResource(r, 'get', '/version/')).toBe(false);
    expect(ruleAllowsNonResource(r, 'post', '/version')).toBe(false);
    expect(ruleAllowsNonResource(rule({ nonResourceURLs: ['*'], verbs: ['*'] }), 'delete', '/anything')).toBe(true);
  });

  test('malformed rules are read as the API server stores them: missing or non-list fields are empty', () => {
    expect(normalizeRule(null)).toEqual({ apiGroups: [], resources: [], verbs: [], resourceNames: [], nonResourceURLs: [] });
    expect(normalizeRule({ verbs: '*', resources: ['pods', 7], apiGroups: [''] }).verbs).toEqual([]);
    expect(normalizeRules('nope')).toEqual([]);
    expect(rulesAllow(normalizeRules([{ apiGroups: [''], resources: ['pods'], verbs: '*' }]), core('pods', 'get'))).toBe(false);
  });
});

describe('grantOf', () => {
  const rules = normalizeRules([
    { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['b', 'a'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create'], resourceNames: ['x'] },
  ]);
  test('named requests: the names of the rules that allow them', () => {
    const g = grantOf(rules, { verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token' }, true);
    expect(g).toEqual({ anyName: false, names: ['a', 'b'], ruleIndexes: [0] });
  });
  test('nameless requests ignore rules with resourceNames', () => {
    expect(grantOf(rules, { verb: 'create', apiGroup: '', resource: 'pods' }, false).ruleIndexes).toEqual([]);
  });
});

describe('scope', () => {
  test('cluster-scoped resources are out of reach of a namespaced grant, except the namespace itself', () => {
    expect(reachableIn('namespace', '', 'persistentvolumes')).toBe(false);
    expect(reachableIn('namespace', 'certificates.k8s.io', 'signers')).toBe(false);
    expect(reachableIn('namespace', '', 'namespaces')).toBe(true);
    expect(reachableIn('namespace', '', 'pods')).toBe(true);
    expect(reachableIn('cluster', '', 'persistentvolumes')).toBe(true);
  });
});

describe('labelSelectorMatches (metav1.LabelSelectorAsSelector)', () => {
  const labels = { team: 'shop', tier: 'web' };
  test.each([
    [{}, true],
    [null, true],
    [{ matchLabels: { team: 'shop' } }, true],
    [{ matchLabels: { team: 'other' } }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'In', values: ['shop', 'x'] }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['shop'] }] }, false],
    [{ matchExpressions: [{ key: 'absent', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Gt', values: ['1'] }] }, false],
    [{ matchLabels: { team: 'shop' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, false],
    [{ matchLabels: { team: true } }, false],
  ])('%j -> %s', (sel, expected) => {
    expect(labelSelectorMatches(sel, labels)).toBe(expected);
  });
});

describe('RbacIndex: bootstrap roles and aggregation', () => {
  test('the vendored bootstrap policy has the user-facing roles and their aggregation chain', () => {
    const names = BOOTSTRAP_CLUSTER_ROLES.map(r => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view']) {
      expect(names).toContain(n);
    }
    const idx = RbacIndex.of([]);
    expect(idx.contributorsOf('view')).toEqual(['view', 'system:aggregate-to-view']);
    expect(idx.contributorsOf('edit')).toEqual(['edit', 'system:aggregate-to-edit', 'system:aggregate-to-view', 'view']);
    expect(idx.contributorsOf('admin')).toEqual(['admin', 'edit', 'system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view', 'view']);
    expect(idx.aggregatedInto('system:aggregate-to-view')).toEqual(['admin', 'edit', 'view']);
  });

  test('built-in grants: view reads no Secrets, edit reads and creates them, admin creates RoleBindings', () => {
    const idx = RbacIndex.of([]);
    const rulesOf = (n: string) => idx.clusterRoleRules(n)!.map(s => s.rule);
    const getSecret = core('secrets', 'get', { name: 's' });
    expect(rulesAllow(rulesOf('view'), getSecret)).toBe(false);
    expect(rulesAllow(rulesOf('edit'), getSecret)).toBe(true);
    expect(rulesAllow(rulesOf('edit'), core('rolebindings', 'create', { apiGroup: 'rbac.authorization.k8s.io' }))).toBe(false);
    expect(rulesAllow(rulesOf('admin'), core('rolebindings', 'create', { apiGroup: 'rbac.authorization.k8s.io' }))).toBe(true);
    expect(rulesAllow(rulesOf('edit'), core('endpoints', 'create'))).toBe(false);
  });

  test('a user ClusterRole labelled aggregate-to-view reaches view, edit and admin', () => {
    const peek = { kind: 'ClusterRole', metadata: { name: 'peek', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] };
    const idx = RbacIndex.of([peek]);
    expect(idx.aggregatedInto('peek')).toEqual(['admin', 'edit', 'view']);
    expect(rulesAllow(idx.clusterRoleRules('view')!.map(s => s.rule), core('secrets', 'list'))).toBe(true);
  });

  test('an aggregated ClusterRole does not select itself, cycles terminate, and written rules stay in the effective set', () => {
    const a = { kind: 'ClusterRole', metadata: { name: 'a', labels: { l: 'x' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { l: 'x' } }] }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    const b = { kind: 'ClusterRole', metadata: { name: 'b', labels: { l: 'x' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { l: 'x' } }] }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] };
    const idx = RbacIndex.of([a, b]);
    expect(idx.selected('a')).toEqual(['b']);
    expect(idx.contributorsOf('a')).toEqual(['a', 'b']);
    expect(rulesAllow(idx.clusterRoleRules('a')!.map(s => s.rule), core('secrets', 'get', { name: 's' }))).toBe(true);
  });

  test('a bootstrap role redefined in the objects is merged with the built-in one unless autoupdate is "false"', () => {
    const mine = (annotations?: any) => ({ kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-view', annotations }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }] });
    const merged = RbacIndex.of([mine()]).clusterRoleRules('view')!.map(s => s.rule);
    expect(rulesAllow(merged, core('pods', 'get', { name: 'p' }))).toBe(true);
    expect(rulesAllow(merged, core('widgets', 'get', { apiGroup: 'example.com', name: 'w' }))).toBe(true);
    const replaced = RbacIndex.of([mine({ 'rbac.authorization.kubernetes.io/autoupdate': 'false' })]).clusterRoleRules('view')!.map(s => s.rule);
    expect(rulesAllow(replaced, core('pods', 'get', { name: 'p' }))).toBe(false);
  });
});

describe('escalationPaths', () => {
  const ids = (rules: any[], scope: 'cluster' | 'namespace' = 'cluster') => escalationPaths(normalizeRules(rules), scope).map(h => h.path.id);

  test('CSR approval needs both the approval subresource and approve on a built-in signer', () => {
    const approval = { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] };
    const signer = (names?: string[]) => ({ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], ...(names ? { resourceNames: names } : {}) });
    expect(ids([approval])).toEqual([]);
    expect(ids([signer()])).toEqual([]);
    expect(ids([approval, signer()])).toEqual(['certificatesigningrequests/approval']);
    expect(ids([approval, signer(['example.com/internal'])])).toEqual([]);
    expect(ids([approval, signer(['kubernetes.io/*'])])).toEqual(['certificatesigningrequests/approval']);
  });

  test('resourceNames narrow a path but do not close it', () => {
    const hits = escalationPaths(normalizeRules([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'], resourceNames: ['debug'] }]), 'namespace');
    expect(hits.map(h => [h.path.id, h.onlyNames])).toEqual([['pods/exec', ['debug']]]);
  });

  test('a namespaced grant cannot create PersistentVolumes but can update its own Namespace', () => {
    const rules = [{ apiGroups: [''], resources: ['persistentvolumes', 'namespaces'], verbs: ['create', 'patch'] }];
    expect(ids(rules, 'namespace')).toEqual(['namespaces/update']);
    expect(ids(rules, 'cluster')).toEqual(['persistentvolumes/create', 'namespaces/update']);
  });

  test('pod-creating workloads in every group that serves them', () => {
    for (const [g, r] of [['', 'pods'], ['', 'replicationcontrollers'], ['apps', 'daemonsets'], ['extensions', 'replicasets'], ['batch', 'cronjobs']]) {
      expect(ids([{ apiGroups: [g], resources: [r], verbs: ['create'] }], 'namespace')).toEqual(['workload-create']);
    }
    expect(ids([{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update', 'patch'] }], 'namespace')).toEqual([]);
  });

  test('cluster-admin takes every path', () => {
    const all = escalationPaths(RbacIndex.of([]).clusterRoleRules('cluster-admin')!.map(s => s.rule), 'cluster').map(h => h.path.id);
    expect(all).toEqual(ESCALATION_PATHS.map(p => p.id));
  });
});
