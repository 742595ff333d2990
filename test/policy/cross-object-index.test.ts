/**
 * The cross-object rules index the objects of a namespace once per evaluated set (linear when every object shares one
 * namespace; timed in `npm run bench:synth -- --rules`). Here: the indexes give exactly the answers of the plain scans
 * they replace, including for malformed selectors, other value types and duplicate names.
 */
import * as fc from 'fast-check';
import { Catalogue } from '../../lib';
import { evaluate } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { anyPolicySelects, selects } from '../../lib/policy/rules/deployment/workload-network-policy';

const settings = {
  allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true,
  podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion, maxWaiverDays: 90,
};

function outcome(f: () => boolean): boolean | 'throws' {
  try {
    return f();
  } catch {
    return 'throws';
  }
}

describe('workload-network-policy selector index', () => {
  const key = fc.constantFrom('app', 'tier', 'team', '__proto__', 'constructor', '1');
  const value = fc.oneof(fc.constantFrom('a', 'b', 'web', '1', ''), fc.constantFrom(1, 0, true, false), fc.constant({}));
  const labels = fc.oneof(
    { weight: 10, arbitrary: fc.dictionary(key, value, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom('app=a', ['a'], 7, undefined) },
  );
  const expression = fc.oneof(
    { weight: 10, arbitrary: fc.record({
      key: fc.oneof(key, fc.constant(1)),
      operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'in', 'Bogus'),
      values: fc.option(fc.array(value, { maxLength: 3 }), { nil: undefined }),
    }, { requiredKeys: ['key', 'operator'] }) },
    { weight: 1, arbitrary: fc.constantFrom('app', 3, [] as any[], { key: 'app', operator: 'In', values: 'abc' }, { key: 'app', operator: 'In', values: 5 }) },
  );
  const selector = fc.oneof(
    { weight: 10, arbitrary: fc.record({
      matchLabels: fc.dictionary(key, value, { maxKeys: 3 }),
      matchExpressions: fc.array(expression, { maxLength: 3 }),
    }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.constantFrom<any>({}, 'app=a', 0, true, [], { matchLabels: 'app' }, { matchLabels: ['a'] }, { matchExpressions: {} }, { matchExpressions: 'x' }) },
  );
  const policy = fc.oneof(
    { weight: 10, arbitrary: selector.map(s => ({ kind: 'NetworkPolicy', spec: { podSelector: s } })) },
    { weight: 1, arbitrary: fc.constantFrom<any>({ kind: 'NetworkPolicy' }, { kind: 'NetworkPolicy', spec: {} }, { kind: 'NetworkPolicy', spec: 'x' }) },
  );

  test('same answer (or the same error) as scanning every policy, for any selectors and labels', () => {
    fc.assert(fc.property(fc.array(policy, { maxLength: 8 }), fc.array(labels, { minLength: 1, maxLength: 4 }), (policies, pods) => {
      // One index per list, queried by several pods, as in one evaluation.
      for (const l of pods) {
        const expected = outcome(() => policies.some(p => selects(p.spec?.podSelector ?? {}, l as any)));
        expect(outcome(() => anyPolicySelects(policies, l))).toEqual(expected);
      }
    }), { numRuns: 3000 });
  });

  test('a policy is found through any one of its labels, whatever their order and how common they are', () => {
    const policies = [
      ...Array.from({ length: 50 }, (_, i) => ({ kind: 'NetworkPolicy', spec: { podSelector: { matchLabels: { team: 'shop', app: `w${i}` } } } })),
      { kind: 'NetworkPolicy', spec: { podSelector: { matchLabels: { team: 'shop', app: 'w7', tier: 'web' } } } },
      { kind: 'NetworkPolicy', spec: { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] } } },
      { kind: 'NetworkPolicy', spec: { podSelector: { matchExpressions: [{ key: 'batch', operator: 'Exists' }] } } },
      { kind: 'NetworkPolicy', spec: { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web', 'db', 'cache'] }] } } },
    ];
    expect(anyPolicySelects(policies, { app: 'w49', team: 'shop' })).toBe(true);
    expect(anyPolicySelects(policies, { app: 'w49', team: 'other', tier: 'web' })).toBe(false);
    expect(anyPolicySelects(policies, { tier: 'cache' })).toBe(true); // In
    expect(anyPolicySelects(policies, { tier: 'web', batch: '' })).toBe(true); // Exists, empty value
    expect(anyPolicySelects(policies, { tier: 'web' })).toBe(false);
    expect(anyPolicySelects(policies, { tier: 'api' })).toBe(true); // NotIn, scanned
    expect(anyPolicySelects(policies, { app: 'w7', team: 'shop', tier: 'web' })).toBe(true);
    expect(anyPolicySelects(policies, { app: 1 as any, team: 'shop', tier: 'web' })).toBe(false); // 1 is not "1"
  });

  test('the rule reports the same findings through the index as a per-workload scan', () => {
    const deployment = (name: string, ns: string, podLabels: any) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
      spec: { template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const np = (name: string, ns: string, podSelector: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector, policyTypes: ['Ingress', 'Egress'] } });
    const objects = [
      deployment('a', 'shop', { app: 'a' }), deployment('b', 'shop', { app: 'b' }), deployment('c', 'other', { app: 'a' }),
      deployment('d', 'shop', { app: 1 }), np('p1', 'shop', { matchLabels: { app: 'a' } }), np('p2', 'shop', { matchLabels: { app: 1 } }),
    ];
    const findings = evaluate(objects.map(o => ({ object: o, ref: { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name } })),
      { rules: [Catalogue.get('workload-network-policy')], settings, today: '2026-01-01' });
    expect(findings.map(f => f.object.name).sort()).toEqual(['b', 'c']);
  });
});

describe('namespace indexes of the other cross-object rules', () => {
  const run = (ruleId: string, objects: any[]) => evaluate(
    objects.map(o => ({ object: o, ref: { apiVersion: o.apiVersion, kind: o.kind, name: String(o.metadata?.name) } })),
    { rules: [Catalogue.get(ruleId)], settings, today: '2026-01-01' });
  const pod = (name: string, sa: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { serviceAccountName: sa, containers: [{ name: 'c', image: 'x' }] } });
  const sa = (name: unknown, automount: boolean) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'shop' }, automountServiceAccountToken: automount });

  test('service-account-token-automount: the first ServiceAccount of a name decides, names compare strictly', () => {
    const f = run('service-account-token-automount', [
      pod('p1', 'dup'), pod('p2', 'ok'), pod('p3', 1), pod('p4', 'missing'),
      sa('dup', true), sa('dup', false), sa('ok', false), sa('1', false),
    ]);
    expect(f.map(x => `${x.object.name}: ${x.message}`).sort()).toEqual([
      'dup: ServiceAccount "dup" does not set automountServiceAccountToken: false.',
      'p1: pod leaves automountServiceAccountToken unset and ServiceAccount "dup" does not disable it.',
      'p3: pod leaves automountServiceAccountToken unset and ServiceAccount "1" is not in the evaluated set.',
      'p4: pod leaves automountServiceAccountToken unset and ServiceAccount "missing" is not in the evaluated set.',
    ]);
  });

  test('namespace-default-deny and namespace-resource-quota: every copy of a Namespace gets the same answer', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    const dd = run('namespace-default-deny', [ns, ns, deny]);
    expect(dd.map(x => x.message)).toEqual(Array(2).fill('namespace "shop" has no default-deny NetworkPolicy for Egress.'));
    const quota = (name: string, hard: any) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'shop' }, spec: { hard } });
    const rq = run('namespace-resource-quota', [ns, quota('q1', { 'services.nodeports': 0 }), ns, quota('q2', { 'services.loadbalancers': '1' })]);
    expect(rq.map(x => x.message)).toEqual(Array(2).fill('no ResourceQuota of namespace "shop" sets services.loadbalancers to 0 (found ["1"]).'));
    // A malformed policyTypes makes every copy unevaluable, as before the index.
    const broken = { ...deny, spec: { podSelector: {}, policyTypes: 5 } };
    expect(run('namespace-default-deny', [ns, ns, broken]).map(x => x.outcome)).toEqual(['unevaluable', 'unevaluable']);
  });
});

describe('workload-network-policy judges both directions', () => {
  const settings = { allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: { app: 'p' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const np = (name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec: { podSelector: {}, ...spec } });
  const messages = (...objects: any[]) => evaluate(objects.map(o => ({ object: o, ref: { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name } })),
    { rules: [Catalogue.get('workload-network-policy')], settings, today: '2026-01-01' }).map(f => f.message);

  test('policyTypes as the API server defaults them: unset = Ingress (+ Egress with an egress section)', () => {
    expect(messages(pod, np('i', {}))).toEqual([expect.stringContaining('isolate only ingress: egress is open')]);
    expect(messages(pod, np('e', { policyTypes: ['Egress'], ingress: [{}] }))).toEqual([expect.stringContaining('isolate only egress: ingress is open')]);
    expect(messages(pod, np('both', { egress: [] }))).toEqual([]);
    expect(messages(pod, np('i', {}), np('e', { policyTypes: ['Egress'] }))).toEqual([]);
    expect(messages(pod)).toEqual([expect.stringContaining('no NetworkPolicy in namespace "shop" selects these pods')]);
  });
});

describe('label selectors: one matcher, no string tricks', () => {
  test('`values` written as a string never matches by substring (a NetworkPolicy "In: api-web" does not cover app=api)', () => {
    const settings = { allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'shop' },
      spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: 'api-web' }] }, policyTypes: ['Ingress', 'Egress'] } };
    const findings = evaluate([pod, np].map(o => ({ object: o, ref: { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name } })),
      { rules: [Catalogue.get('workload-network-policy')], settings, today: '2026-01-01' });
    expect(findings.map(f => f.message)).toEqual([expect.stringContaining('no NetworkPolicy in namespace "shop" selects these pods')]);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: 'api-web' }] }, { app: 'api' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, { app: 'api' })).toBe(true);
  });
});
