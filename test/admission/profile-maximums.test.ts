/*
 * profile-maximums at admission (lib/admission/pod-rules-maximums.ts): the generated CEL, on @bufbuild/cel with the
 * Kubernetes functions of cel-k8s.ts, gives the TypeScript rule's verdict on the rule's fixtures and on generated
 * quantities (decimal, binary suffixes, exponents, milli, values at the maximum, out of range), on UPDATEs with
 * oldObject; the documented fail-closed inputs are denied; messages name the container and field; costs stay within
 * the API server's budgets; the parts not judged are listed.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { admissionKindOf, enforceableRuleIds, generatePolicies, generateRules, notEnforcedTable } from '../../lib/admission/generate';
import { MAX_QUANTITY_CHARS } from '../../lib/admission/pod-rules-maximums';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { compile, compileRule, CompiledRule } from './cel-k8s';
import { estimateCost, PER_CALL_LIMIT, RUNTIME_BUDGET } from './cost';

const TODAY = '2026-06-15';
const BASE: PolicySettings = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules', 'profile-maximums');
const rule = Catalogue.get('profile-maximums');

const celRule = (settings: PolicySettings): CompiledRule =>
  generateRules({ settings, apiVersion: 'v1', generatedOn: TODAY, ruleIds: ['profile-maximums'] }).map(compileRule)[0];

function tsDenied(settings: PolicySettings, obj: any): boolean {
  return evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [rule], settings, today: TODAY })
    .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
}

/** Documented fail-closed inputs: a string quantity over 40 characters or with an exponent of more than 3 digits. */
function failClosed(q: unknown): boolean {
  return typeof q === 'string' && (q.length > MAX_QUANTITY_CHARS || /[eE][-+]?[0-9]{4,}$/.test(q));
}

const pod = (resources: any, kind = 'Pod', replicas?: unknown): any => {
  const spec = { containers: [{ name: 'app', image: 'registry.example.com/app:1', resources }] };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { name: 'p', namespace: 'shop' }, spec };
  return {
    apiVersion: 'apps/v1', kind, metadata: { name: 'w', namespace: 'shop' },
    spec: { ...(replicas === undefined ? {} : { replicas }), selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec } },
  };
};

const ctx = (settings: object): any => ({ settings: { ...BASE, ...settings }, objects: [], rules: [], today: '2026-01-01' });

describe('profile-maximums: the TypeScript verdicts the policy reproduces', () => {
  test('doubles: a value above the maximum by less than a double resolves passes; 2 equals 2000m; 1e400 is a finding', () => {
    const s = { maxContainerCpu: '4' };
    const p = (cpu: unknown) => pod({ limits: { cpu } });
    expect(rule.check(p('4.00000000000000001'), ctx(s))).toEqual([]);
    expect(rule.check(p('4.0000001'), ctx(s))).toHaveLength(1);
    expect(rule.check(p('2000m'), ctx({ maxContainerCpu: '2' }))).toEqual([]);
    expect(rule.check(p('1e400'), ctx(s))).toEqual([
      expect.objectContaining({ path: 'spec.containers[0].resources.limits.cpu', message: expect.stringContaining('"1e400"') }),
    ]);
    // the same on the policy
    const cel = celRule({ ...BASE, ...s });
    expect(cel.admits(p('4.00000000000000001'), 'shop')).toBe(true);
    expect(cel.admits(p('4.0000001'), 'shop')).toBe(false);
    expect(celRule({ ...BASE, maxContainerCpu: '2' }).admits(p('2000m'), 'shop')).toBe(true);
    expect(cel.admits(p('1e400'), 'shop')).toBe(false);
  });
});

describe('profile-maximums at admission: differential against the TypeScript rule', () => {
  const settings: PolicySettings = { ...BASE, ...JSON.parse(fs.readFileSync(path.join(FIXTURES, 'settings.json'), 'utf-8')) };

  test('fixtures: the same verdict on every object admission matches (List items one by one)', () => {
    const cel = celRule(settings);
    let judged = 0;
    let denied = 0;
    for (const f of fs.readdirSync(FIXTURES).filter(x => x.endsWith('.yaml'))) {
      for (const d of YAML.parseAllDocuments(fs.readFileSync(path.join(FIXTURES, f), 'utf-8'))) {
        const doc = d.toJSON();
        for (const obj of doc?.kind === 'List' ? doc.items : [doc]) {
          if (!admissionKindOf(obj)) continue;
          judged++;
          const ts = tsDenied(settings, obj);
          expect({ f, kind: obj.kind, admitted: cel.admits(obj, 'shop') }).toEqual({ f, kind: obj.kind, admitted: !ts });
          if (ts) denied++;
          if (f.startsWith('pass')) expect(ts).toBe(false);
        }
      }
    }
    expect(judged).toBeGreaterThanOrEqual(4);
    expect(denied).toBeGreaterThanOrEqual(3);
  });

  const MAXIMA = ['2', '500m', '4Gi', '1.5', '0', '1e3', '3E2', '64Mi', '1000000000000000000000', '0.1'];
  const EDGES = ['2', '2000m', '2.0000000000000001', '2.000000001', '2001m', '1999m', '0.002k', '2e0', '20e-1', '2E0', '.2e1', '2.', '.5',
    '4Gi', '4096Mi', '4294967296', '4294967297', '4.294967296e9', '4.294967297G', '4.294967296G', '0.00390625Ti', '1E', '1Ei', '1e18',
    '500m', '0.5', '.5', '5e-1', '501m', '0.1', '100m', '1e-1', '0.10000000000000001', '1e400', '1e309', '1e308', '0e999', '1e-999',
    '1e249', '1e250', '0e250', '0.0e+250', '9e+249', '1e-1000', '1e0001', '0000000000000000000000000000000000000000001', '',
    'abc', '1.2.3', '-1', '+1', '1 ', ' 1', '1Ki ', '1ki', '1KI', '1m ', '1e', '1e+', 'e5', '.', '1..', '1x', '${Token[TOKEN.1]}',
    '0', '0m', '0Ki', '1000000000000000000000', '999999999999999999999', '1e21', '1e+21', '3E2', '300', '301', '64Mi', '67108864', '67108865'];
  const SPECIAL_NUMS = [0, 1, 2, 3, 1.5, 2.0000001, 300, 4294967296, 4294967297, 1e21, -1, -1e289, 1e300];

  const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
  const quantity = fc.oneof(
    fc.constantFrom(...EDGES),
    fc.tuple(digits(1, 12), fc.option(digits(0, 12)), fc.constantFrom('', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'))
      .map(([i, f, s]) => `${i}${f === null ? '' : `.${f}`}${s}`),
    fc.tuple(fc.option(digits(0, 8)), digits(1, 8), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4))
      .map(([i, f, e, sign, x]) => `${i ?? ''}.${f}${e}${sign}${x}`),
    fc.tuple(digits(1, 45), fc.constantFrom('', 'e0', 'm', 'Ki')).map(([d, s]) => d + s),
    fc.constantFrom(...SPECIAL_NUMS),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );

  test('generated quantities and replicas under varied maximums: 100% the same verdict, except documented fail-closed inputs (denied)', () => {
    const rules = new Map<string, CompiledRule>();
    let compared = 0;
    let failClosedSeen = 0;
    fc.assert(fc.property(
      // ten settings (each compiled once): every maximum as cpu and, shifted, as memory; the replicas maximum unset or set
      fc.integer({ min: 0, max: MAXIMA.length - 1 }).map(i => [MAXIMA[i], MAXIMA[(i + 3) % MAXIMA.length], [null, 0, 1, 3, 10, 2.5][i % 6]] as const),
      fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet'),
      fc.option(fc.oneof(fc.integer({ min: -2, max: 20 }), fc.constantFrom(2.5, 1e21, -1e289))),
      fc.array(fc.tuple(fc.constantFrom('requests', 'limits'), fc.constantFrom('cpu', 'memory', 'ephemeral-storage'), quantity), { maxLength: 4 }),
      ([cpuMax, memMax, maxReplicas], kind, replicas, entries) => {
        const s: PolicySettings = { ...BASE, maxContainerCpu: cpuMax, maxContainerMemory: memMax, ...(maxReplicas === null ? {} : { maxReplicas }) };
        const key = JSON.stringify([cpuMax, memMax, maxReplicas]);
        if (!rules.has(key)) rules.set(key, celRule(s));
        const resources: any = {};
        for (const [section, res, q] of entries) (resources[section] ??= {})[res] = q;
        const obj = pod(resources, kind, replicas ?? undefined);
        const admitted = rules.get(key)!.admits(JSON.parse(JSON.stringify(obj)), 'shop');
        const ts = tsDenied(s, obj);
        if (['requests', 'limits'].some(sec => ['cpu', 'memory'].some(res => failClosed(resources[sec]?.[res])))) {
          failClosedSeen++;
          if (admitted) throw new Error(`a fail-closed input was admitted: ${JSON.stringify(resources)}`);
          return;
        }
        compared++;
        if (admitted === ts) throw new Error(`verdicts differ (TypeScript ${ts ? 'denies' : 'passes'}): ${JSON.stringify({ s, kind, replicas, resources })}`);
      }), { numRuns: 3000, seed: 25 });
    expect(compared).toBeGreaterThan(2000);
    expect(failClosedSeen).toBeGreaterThan(0);
  });

  test('every edge quantity alone, under every maximum, as cpu and memory, request and limit', () => {
    for (const max of MAXIMA) {
      const s: PolicySettings = { ...BASE, maxContainerCpu: max, maxContainerMemory: max };
      const cel = celRule(s);
      for (const q of [...EDGES, ...SPECIAL_NUMS]) {
        for (const r of [{ limits: { cpu: q } }, { requests: { memory: q } }]) {
          const obj = pod(r, 'Deployment', 1);
          const admitted = cel.admits(obj, 'shop');
          if (failClosed(q)) expect({ max, q, admitted }).toEqual({ max, q, admitted: false });
          else expect({ max, q, admitted }).toEqual({ max, q, admitted: !tsDenied(s, obj) });
        }
      }
    }
  });

  test('UPDATE with oldObject: a replicas change is judged; an unchanged excess admits a metadata-only update', () => {
    const s: PolicySettings = { ...BASE, maxReplicas: 3 };
    const cel = celRule(s);
    const old = pod({}, 'Deployment', 2);
    const over = pod({}, 'Deployment', 4);
    expect(tsDenied(s, over)).toBe(true);
    expect(cel.admitsUpdate(old, over, 'shop')).toBe(false);
    expect(cel.admitsUpdate(over, old, 'shop')).toBe(true);
    const relabelled = { ...over, metadata: { ...over.metadata, labels: { team: 'x' } } };
    expect(cel.admitsUpdate(over, relabelled, 'shop')).toBe(true);
    expect(cel.admits(pod({}, 'Deployment', 3), 'shop')).toBe(true);
    // a DaemonSet's replicas (not a replicated kind) and a Pod are not judged on replicas
    expect(cel.admits(pod({}, 'DaemonSet', 40), 'shop')).toBe(true);
  });

  test('a Deployment\'s ReplicaSet written by the deployment controller is admitted (a rollout never gets stuck); any other is judged', () => {
    const s: PolicySettings = { ...BASE, maxReplicas: 3 };
    const cel = celRule(s);
    const rs = pod({}, 'ReplicaSet', 5);
    expect(tsDenied(s, rs)).toBe(true);
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: '1', controller: true };
    const owned = (o: object) => ({ ...rs, metadata: { ...rs.metadata, ownerReferences: [o] } });
    const controller = 'system:serviceaccount:kube-system:deployment-controller';
    expect(cel.admits(rs, 'shop', controller)).toBe(false);
    expect(cel.admits(owned(owner), 'shop', controller)).toBe(true);
    expect(cel.admits(owned(owner), 'shop', 'system:kube-controller-manager')).toBe(true);
    // the same bytes from a user (a copied or invented ownerReference): judged
    expect(cel.admits(owned(owner), 'shop', 'alice')).toBe(false);
    expect(cel.admits(owned(owner), 'shop', 'system:serviceaccount:kube-system:replicaset-controller')).toBe(false);
    // not the controller reference, a string "true", another owner kind: judged even from the controller
    expect(cel.admits(owned({ ...owner, controller: false }), 'shop', controller)).toBe(false);
    expect(cel.admits(owned({ ...owner, controller: 'true' }), 'shop', controller)).toBe(false);
    expect(cel.admits(owned({ ...owner, kind: 'Rollout', apiVersion: 'argoproj.io/v1alpha1' }), 'shop', controller)).toBe(false);
    // a Deployment with an ownerReference is never exempt
    expect(cel.admits({ ...owned(owner), kind: 'Deployment' }, 'shop', controller)).toBe(false);
  });

  test('messages name the container and the field', () => {
    const cel = celRule({ ...BASE, maxContainerCpu: '2', maxReplicas: 3 });
    const m = cel.messageOf(pod({ requests: { cpu: '3' } }), 'shop');
    expect(m).toMatch(/\[profile-maximums\]/);
    expect(m).toMatch(/"app"/);
    expect(m).toMatch(/spec\.containers\[0\]\.resources\.requests\.cpu/);
    expect(cel.messageOf(pod({}, 'Deployment', 9), 'shop')).toMatch(/spec\.replicas/);
  });

  test('cost within the API server budgets', () => {
    const g = generateRules({ settings: { ...BASE, maxContainerCpu: '2', maxContainerMemory: '4Gi', maxReplicas: 3 }, apiVersion: 'v1', generatedOn: TODAY,
      ruleIds: ['profile-maximums'] })[0];
    const costs = [...g.variables.map(v => estimateCost(v.expression)),
      ...g.validations.flatMap(v => [estimateCost(v.expression), estimateCost(v.messageExpression)])];
    for (const c of costs) expect(c).toBeLessThan(PER_CALL_LIMIT);
    expect(costs.reduce((a, b) => a + b, 0)).toBeLessThan(RUNTIME_BUDGET);
  });

  test('documented fail-closed inputs: passed by the rule, denied by the policy, and named in the admission guide', () => {
    const s: PolicySettings = { ...BASE, maxContainerCpu: '2' };
    const cel = celRule(s);
    for (const q of ['1e-1000', '1e-0001', '0e1000', `${'0'.repeat(MAX_QUANTITY_CHARS)}1`]) {
      const obj = pod({ limits: { cpu: q } });
      expect({ q, ts: tsDenied(s, obj), admitted: cel.admits(obj, 'shop') }).toEqual({ q, ts: false, admitted: false });
    }
    const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'admission.md'), 'utf-8');
    expect(guide).toMatch(new RegExp(`\\*\\*\`profile-maximums\`\\*\\*[^]*longer than ${MAX_QUANTITY_CHARS} characters or with an exponent of more than 3 digits is denied`));
    expect(rule.description).toMatch(new RegExp(`longer than ${MAX_QUANTITY_CHARS} characters or with an exponent of more than 3 digits is denied`));
  });

  test('@bufbuild/cel reads an out-of-range double() as Infinity (cel-go: an evaluation error): the policy never reaches it (size and exponent checks)', () => {
    expect(compile("double('1e400')")({})).toBe(Infinity);
  });
});

describe('profile-maximums: generated only when the profile sets a maximum below 1e200', () => {
  test('no maximum: not generated, and --not-enforced says which settings generate it', () => {
    expect(enforceableRuleIds(BASE)).not.toContain('profile-maximums');
    expect(notEnforcedTable(BASE)).toMatch(/\| profile-maximums \| generated when the profile sets a maximum/);
  });

  test('a maximum set: one policy; a maximum of 1e200 or more (or not a quantity): not generated', () => {
    const policies = generatePolicies({ settings: { ...BASE, maxReplicas: 3, maxContainerCpu: '2', maxContainerMemory: '1Gi' }, apiVersion: 'v1', generatedOn: TODAY });
    expect(policies.filter((p: any) => p.metadata.labels['hardened.cdk8s.io/rule'] === 'profile-maximums').length).toBeGreaterThan(0);
    expect(enforceableRuleIds({ ...BASE, maxReplicas: 3 })).toContain('profile-maximums');
    expect(enforceableRuleIds({ ...BASE, maxContainerCpu: '1e200' })).not.toContain('profile-maximums');
    expect(enforceableRuleIds({ ...BASE, maxContainerMemory: 'lots' })).not.toContain('profile-maximums');
  });

  test('generated: the HPA, scale subresource and fail-closed parts are listed as partly generated', () => {
    const t = notEnforcedTable({ ...BASE, maxReplicas: 3 });
    expect(t).toMatch(/\| profile-maximums \| partly generated: .*HorizontalPodAutoscaler.*scale subresource.*40 characters/);
  });
});
