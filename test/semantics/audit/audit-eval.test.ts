/**
 * Unit tests of the audit Policy evaluator (lib/semantics/audit): decoding and validation as kube-apiserver reads a
 * policy file, first-match rule evaluation (the cases of k8s.io/apiserver pkg/audit/policy/checker.go), and the
 * property helpers with the rule index and an example request they report.
 */
import {
  AuditPolicyDoc, bodyLeaks, catchAllGaps, evaluatePolicy, outcomes, parseAuditPolicy, RequestAttributes, unloggedWrites,
} from '../../../lib/semantics/audit';

function policy(rules: any[], extra: any = {}): AuditPolicyDoc {
  const p = parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules, ...extra });
  if (!p.policy) throw new Error(JSON.stringify(p.errors));
  return p.policy;
}

const res = (over: Partial<Extract<RequestAttributes, { kind: 'resource' }>> = {}): RequestAttributes => ({
  kind: 'resource', user: 'alice', groups: ['system:authenticated'], verb: 'get', namespace: 'shop', apiGroup: '', resource: 'pods', subresource: '', name: '', ...over,
});
const url = (path: string, over: any = {}): RequestAttributes => ({ kind: 'nonResource', user: 'alice', groups: [], verb: 'get', path, ...over });
const levelOf = (rules: any[], req: RequestAttributes, extra: any = {}) => evaluatePolicy(policy(rules, extra), req).level;

describe('parseAuditPolicy: what kube-apiserver refuses or ignores', () => {
  test.each([
    ['audit.k8s.io/v1beta1 is no longer served', { apiVersion: 'audit.k8s.io/v1beta1', rules: [{ level: 'Metadata' }] }, /only audit\.k8s\.io\/v1/],
    ['no rules', { rules: [] }, /no rules/],
    ['rules missing', {}, /no rules/],
    ['unknown level', { rules: [{ level: 'Everything' }] }, /supported values/],
    ['missing level', { rules: [{ users: ['a'] }] }, /level is required/],
    ['a string where a list is expected', { rules: [{ level: 'None', users: 'alice' }] }, /must be a list/],
    ['a boolean in a list (YAML 1.1 `yes`)', { rules: [{ level: 'None', verbs: [true] }] }, /must be a string/],
    ['group with a version', { rules: [{ level: 'None', resources: [{ group: 'rbac.authorization.k8s.io/v1' }] }] }, /DNS subdomain/],
    ['resourceNames without resources', { rules: [{ level: 'None', resources: [{ group: '', resourceNames: ['x'] }] }] }, /requires at least one resource/],
    ['URL wildcard in the middle', { rules: [{ level: 'None', nonResourceURLs: ['/a*/b'] }] }, /final character/],
    ['URL without a leading slash', { rules: [{ level: 'None', nonResourceURLs: ['healthz'] }] }, /begin with a '\/'/],
    ['URLs together with resources', { rules: [{ level: 'None', nonResourceURLs: ['/x'], namespaces: ['a'] }] }, /both regular resources and non-resource URLs/],
    ['unknown stage', { omitStages: ['Received'], rules: [{ level: 'None' }] }, /allowed stages/],
    ['omitManagedFields not a boolean', { rules: [{ level: 'None', omitManagedFields: 'yes' }] }, /boolean/],
  ])('%s', (_, doc, message) => {
    const p = parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...doc });
    expect(p.policy).toBeUndefined();
    expect(p.errors.map(e => e.message).join('\n')).toMatch(message);
  });

  test('unknown fields are dropped as the lenient decoder does (names are case-sensitive): the rule gets broader', () => {
    const p = parseAuditPolicy({
      apiVersion: 'audit.k8s.io/v1', kind: 'Policy',
      rules: [{ level: 'None', namespace: ['kube-system'], Users: ['bob'], resources: [{ group: '', resource: ['pods'] }] }, { level: 'Metadata' }],
    });
    expect(p.errors).toEqual([]);
    expect(p.ignored.map(i => i.path)).toEqual(['rules[0].namespace', 'rules[0].Users', 'rules[0].resources[0].resource']);
    expect(p.ignored[0].message).toMatch(/did you mean "namespaces"/);
    // As decoded: None for every core-group request of anybody, anywhere.
    expect(evaluatePolicy(p.policy!, res({ user: 'alice', namespace: 'shop', resource: 'secrets', verb: 'delete' })).level).toBe('None');
  });

  test('a null list element is the empty string, as Go decodes it: `users: [null]` matches only the user ""', () => {
    const p = policy([{ level: 'None', users: [null] }, { level: 'Metadata' }]);
    expect(p.rules[0].users).toEqual(['']);
    expect(evaluatePolicy(p, res()).level).toBe('Metadata');
  });

  test('null lists are empty lists (Go nil), group absent is the core group, policy defaults', () => {
    const p = policy([{ level: 'Metadata', users: null, resources: [{ resources: ['pods'] }] }]);
    expect(p.rules[0].users).toEqual([]);
    expect(p.rules[0].resources[0].group).toBe('');
    expect(p.omitStages).toEqual([]);
    expect(p.omitManagedFields).toBe(false);
  });
});

describe('evaluatePolicy: checker.go semantics', () => {
  test('first matching rule wins; no match is None (DefaultAuditLevel) with the policy omitStages', () => {
    const p = policy([{ level: 'RequestResponse', verbs: ['create'] }, { level: 'Metadata', verbs: ['create', 'get'] }], { omitStages: ['RequestReceived'] });
    expect(evaluatePolicy(p, res({ verb: 'create' }))).toEqual({ level: 'RequestResponse', omitStages: ['RequestReceived'], omitManagedFields: false, ruleIndex: 0 });
    expect(evaluatePolicy(p, res({ verb: 'get' })).ruleIndex).toBe(1);
    expect(evaluatePolicy(p, res({ verb: 'delete' }))).toEqual({ level: 'None', omitStages: ['RequestReceived'], omitManagedFields: false, ruleIndex: -1 });
  });

  test('omitStages: union of the policy and the rule; omitManagedFields: the rule overrides the policy', () => {
    const p = policy([{ level: 'Metadata', omitStages: ['Panic'], omitManagedFields: false }, { level: 'Request' }], { omitStages: ['RequestReceived'], omitManagedFields: true });
    expect(evaluatePolicy(p, res())).toMatchObject({ omitStages: ['RequestReceived', 'Panic'], omitManagedFields: false });
    expect(evaluatePolicy(policy([{ level: 'Request' }], { omitManagedFields: true }), res()).omitManagedFields).toBe(true);
  });

  const wildcard: [string, any[], RequestAttributes, string][] = [
    ['`x/*` matches x itself', [{ group: '', resources: ['secrets/*'] }], res({ resource: 'secrets' }), 'RequestResponse'],
    ['`x/*` matches x/y', [{ group: '', resources: ['pods/*'] }], res({ resource: 'pods', subresource: 'exec' }), 'RequestResponse'],
    ['`*/y` matches y of any resource', [{ group: '', resources: ['*/status'] }], res({ resource: 'deployments', subresource: 'status' }), 'RequestResponse'],
    ['`*/y` does not match the resource itself', [{ group: '', resources: ['*/status'] }], res({ resource: 'pods' }), 'Metadata'],
    ['`*` matches subresources', [{ group: '', resources: ['*'] }], res({ resource: 'serviceaccounts', subresource: 'token' }), 'RequestResponse'],
    ['`*/*` matches nothing', [{ group: '', resources: ['*/*'] }], res({ resource: 'pods', subresource: 'exec' }), 'Metadata'],
    ['`x` does not match x/y', [{ group: '', resources: ['pods'] }], res({ resource: 'pods', subresource: 'log' }), 'Metadata'],
    ['group `*` matches every group', [{ group: '*', resources: ['secrets'] }], res({ resource: 'secrets' }), 'RequestResponse'],
    ['group absent is the core group only', [{ resources: ['deployments'] }], res({ apiGroup: 'apps', resource: 'deployments' }), 'Metadata'],
    ['no resources: every resource of the group', [{ group: 'apps' }], res({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }), 'RequestResponse'],
    ['resourceNames limit the object', [{ group: '', resources: ['configmaps'], resourceNames: ['cm'] }], res({ resource: 'configmaps', name: 'other' }), 'Metadata'],
    ['resourceNames do not match a list (name "")', [{ group: '', resources: ['configmaps'], resourceNames: ['cm'] }], res({ resource: 'configmaps', verb: 'list' }), 'Metadata'],
    ['resourceNames match the object', [{ group: '', resources: ['configmaps'], resourceNames: ['cm'] }], res({ resource: 'configmaps', name: 'cm' }), 'RequestResponse'],
  ];
  test.each(wildcard)('resources: %s', (_, resources, req, level) => {
    expect(levelOf([{ level: 'RequestResponse', resources }, { level: 'Metadata' }], req)).toBe(level);
  });

  test.each([
    ['verbs `*` is a literal, not a wildcard', { verbs: ['*'] }, res({ verb: 'get' }), 'Metadata'],
    ['users `*` is a literal', { users: ['*'] }, res(), 'Metadata'],
    ['userGroups: any one of the request groups', { userGroups: ['system:masters'] }, res({ groups: ['system:authenticated', 'system:masters'] }), 'None'],
    ['namespaces "" is cluster-scoped (and all-namespaces lists)', { namespaces: [''] }, res({ namespace: '', resource: 'nodes' }), 'None'],
    ['namespaces: another namespace does not match', { namespaces: ['kube-system'] }, res(), 'Metadata'],
    ['namespaces never match non-resource requests', { namespaces: ['kube-system'] }, url('/metrics'), 'Metadata'],
    ['a rule with only users matches non-resource requests', { users: ['alice'] }, url('/metrics'), 'None'],
    ['nonResourceURLs never match resource requests', { nonResourceURLs: ['*'] }, res(), 'Metadata'],
    ['nonResourceURLs prefix', { nonResourceURLs: ['/healthz*'] }, url('/healthz/etcd'), 'None'],
    ['nonResourceURLs prefix matches the bare prefix', { nonResourceURLs: ['/healthz*'] }, url('/healthz'), 'None'],
    ['nonResourceURLs prefix is a string prefix', { nonResourceURLs: ['/healthz*'] }, url('/healthzzz'), 'None'],
    ['nonResourceURLs exact', { nonResourceURLs: ['/version'] }, url('/version/'), 'Metadata'],
    ['nonResourceURLs `*`', { nonResourceURLs: ['*'] }, url('/debug/pprof/'), 'None'],
  ] as [string, any, RequestAttributes, string][])('%s', (_, rule, req, level) => {
    expect(levelOf([{ level: 'None', ...rule }, { level: 'Metadata' }], req)).toBe(level);
  });
});

describe('property helpers', () => {
  const shield = { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] };

  test('bodyLeaks: the first rule that logs a body, with a request it does so for', () => {
    const p = policy([{ level: 'Metadata', namespaces: ['kube-system'], resources: shield.resources }, { level: 'RequestResponse', resources: [{ group: '', resources: ['*'] }] }, { level: 'Metadata' }]);
    const [v, ...rest] = bodyLeaks(p);
    expect(rest).toEqual([]);
    expect(v.ruleIndex).toBe(1);
    expect(v.example).toMatchObject({ kind: 'resource', apiGroup: '', resource: 'secrets' });
    expect((v.example as any).namespace).not.toBe('kube-system');
    expect(evaluatePolicy(p, v.example).ruleIndex).toBe(1);
    expect(v.message).toMatch(/rules\[1\] \(level RequestResponse\).*core\/secrets/);
  });

  test('bodyLeaks: a shield that names a user, a verb set or an object leaves the rest to the next rule', () => {
    for (const narrowing of [{ userGroups: ['system:authenticated'] }, { verbs: ['get', 'list', 'watch'] }, { verbs: ['*'] }, { users: ['admin'] }]) {
      const p = policy([{ ...shield, ...narrowing }, { level: 'Request' }]);
      expect(bodyLeaks(p).map(v => v.ruleIndex)).toEqual([1]);
    }
    expect(bodyLeaks(policy([shield, { level: 'RequestResponse' }]))).toEqual([]);
  });

  test('bodyLeaks: Request on tokenreviews through a group wildcard', () => {
    const p = policy([{ level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }] }, { level: 'Request', resources: [{ group: '*', resources: ['tokenreviews'] }] }]);
    const v = bodyLeaks(p);
    expect(v.map(x => x.ruleIndex)).toEqual([1]);
    expect(v[0].example).toMatchObject({ apiGroup: 'authentication.k8s.io', resource: 'tokenreviews' });
  });

  test('unloggedWrites: an earlier None rule shadowing writes, a rule omitting ResponseComplete, falling through', () => {
    const p = policy([
      { level: 'None', userGroups: ['system:authenticated'], verbs: ['get', 'patch'] },
      { level: 'Metadata', resources: [{ group: 'apps' }], omitStages: ['ResponseComplete'] },
      { level: 'Request', verbs: ['create', 'update', 'delete'] },
    ]);
    const v = unloggedWrites(p);
    expect(v.map(x => x.ruleIndex)).toEqual([-1, 0, 1]);
    for (const x of v) expect(evaluatePolicy(p, x.example).ruleIndex).toBe(x.ruleIndex);
    expect(v[0].example.verb).toMatch(/^(patch|deletecollection)$/);
    expect(v[1].example).toMatchObject({ verb: 'patch' });
    expect(v[1].example.groups).toContain('system:authenticated');
    expect(v[2].message).toMatch(/ResponseComplete event is omitted/);
  });

  test('unloggedWrites: node heartbeats and event emission are exempt, event deletion and lease creation are not', () => {
    const p = policy([
      { level: 'None', userGroups: ['system:nodes'], verbs: ['get', 'update'], namespaces: ['kube-node-lease'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
      { level: 'None', resources: [{ group: '', resources: ['events'] }] },
      { level: 'Metadata' },
    ]);
    const v = unloggedWrites(p);
    expect(v.map(x => x.ruleIndex)).toEqual([1]);
    expect(v[0].example.verb).toMatch(/^(delete|deletecollection)$/);
    const lease = policy([{ level: 'None', userGroups: ['system:nodes'], namespaces: ['kube-node-lease'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] }, { level: 'Metadata' }]);
    expect(unloggedWrites(lease)[0].example.verb).toMatch(/^(create|delete|deletecollection)$/);
  });

  test('catchAllGaps: falling through, and a None rule on unnamed requests', () => {
    expect(catchAllGaps(policy([{ level: 'Metadata', userGroups: ['system:authenticated'] }])).map(v => v.ruleIndex)).toEqual([-1]);
    expect(catchAllGaps(policy([{ level: 'Metadata', resources: [{ group: '*' }] }])).map(v => [v.ruleIndex, v.example.kind])).toEqual([[-1, 'nonResource']]);
    expect(catchAllGaps(policy([{ level: 'None', verbs: ['get', 'list', 'watch'] }, { level: 'Metadata' }])).map(v => v.ruleIndex)).toEqual([0]);
    expect(catchAllGaps(policy([{ level: 'None', nonResourceURLs: ['/*'] }, { level: 'Metadata' }])).map(v => v.ruleIndex)).toEqual([0]);
    expect(catchAllGaps(policy([{ level: 'None', userGroups: ['system:authenticated'] }, { level: 'Metadata' }])).map(v => v.ruleIndex)).toEqual([0]);
    expect(catchAllGaps(policy([{ level: 'Metadata', omitStages: ['ResponseComplete'] }])).map(v => v.ruleIndex)).toEqual([0]);
    // Named things at None are deliberate; the catch-all decides the rest.
    expect(catchAllGaps(policy([{ level: 'None', userGroups: ['system:nodes'] }, { level: 'None', nonResourceURLs: ['/healthz*'] }, { level: 'Metadata' }]))).toEqual([]);
  });

  test('outcomes: every reachable first match, each with an example that reaches it', () => {
    const p = policy([
      { level: 'None', users: ['a'], nonResourceURLs: ['/x*'] },
      { level: 'Metadata', userGroups: ['g'], resources: [{ group: '', resources: ['pods/*'] }] },
      // Never matches: resource verbs are RequestInfo's fixed set. (A non-resource request can have the method `*`, an HTTP token.)
      { level: 'Request', verbs: ['*'], resources: [{ group: '*' }] },
      { level: 'Metadata', namespaces: ['n'] },
    ]);
    const o = outcomes(p);
    expect([...o.keys()].sort()).toEqual([-1, 0, 1, 3]);
    for (const [i, req] of o) expect(evaluatePolicy(p, req).ruleIndex).toBe(i);
  });
});
