/**
 * Same kind name, another API group (lib/policy/rules/kind-groups.ts). For every rule that applies to named kinds and
 * every API group the project knows for such a kind, a decision is written down, and the rule's behaviour proves it on
 * the rule's own failing fixtures:
 * - `own`: a failing fixture object of that group and kind fails the rule;
 * - `same`: a failing fixture object of the rule's own group, moved to that group, fails at the same paths;
 * - `skip`: moved to that group, it gets no finding of the rule.
 * A group that appears later for such a kind (a new CRD extract, pod carrier, vendored schema or admission kind) fails
 * this test until someone decides.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ADMISSION_KINDS } from '../../lib/admission/kinds';
import { OBJECT_RULES } from '../../lib/admission/object-rules';
import { CRD_SHAPES } from '../../lib/kube/crd-shapes-data';
import { REMOVED_APIS, SERVED_KINDS } from '../../lib/kube/known-kinds';
import { KNOWN_POD_CARRIERS } from '../../lib/kube/manifest';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { groupOf, KIND_GROUP_DECISIONS, KindGroupDecision, OTHER_KNOWN_KINDS } from '../../lib/policy/rules/kind-groups';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { daysFromNow } from '../util/synth';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'rules');
const today = new Date().toISOString().slice(0, 10);

/** kind -> group -> an apiVersion of that group serving it, from every table of kinds the project holds. */
function knownKinds(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const add = (apiVersion: string, kind: string) => {
    const g = groupOf({ apiVersion });
    if (!out.has(kind)) out.set(kind, new Map());
    if (!out.get(kind)!.has(g)) out.get(kind)!.set(g, apiVersion);
  };
  for (const [gv, s] of Object.entries(SERVED_KINDS)) for (const e of s.split(' ')) add(gv, e.slice(0, e.lastIndexOf(':')));
  for (const [gv, k] of REMOVED_APIS) add(gv, k);
  for (const [key, e] of Object.entries(CRD_SHAPES)) add(`${key.slice(0, key.lastIndexOf('/'))}/${Object.keys(e.versions)[0]}`, key.slice(key.lastIndexOf('/') + 1));
  for (const c of KNOWN_POD_CARRIERS.filter(x => x.includes('/'))) add(`${c.slice(0, c.lastIndexOf('/'))}/v1`, c.slice(c.lastIndexOf('/') + 1));
  for (const k of ADMISSION_KINDS) add(k.group === '' ? 'v1' : `${k.group}/v1`, k.kind);
  for (const r of OBJECT_RULES) if (r.kinds !== 'namespaced') for (const k of r.kinds) add(k.group === '' ? 'v1' : `${k.group}/v1`, k.kind);
  for (const f of fs.readdirSync(path.join(ROOT, 'schemas', 'crds')).filter(x => x.endsWith('.yaml'))) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, 'schemas', 'crds', f), 'utf-8'))) {
      const crd = doc.toJSON();
      if (crd?.kind === 'CustomResourceDefinition') add(`${crd.spec.group}/${crd.spec.versions[0].name}`, crd.spec.names.kind);
    }
  }
  for (const [apiVersion, kind] of OTHER_KNOWN_KINDS) add(apiVersion, kind);
  return out;
}
const KNOWN = knownKinds();

function settingsFor(ruleId: string): PolicySettings {
  const f = path.join(FIXTURES, ruleId, 'settings.json');
  const base: PolicySettings = {
    allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion, maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
  return fs.existsSync(f) ? { ...base, ...JSON.parse(fs.readFileSync(f, 'utf-8')) } : base;
}

/** The documents of each fixture file of a rule. */
function fixtureFiles(ruleId: string, prefix: 'fail' | 'pass'): { file: string; docs: any[] }[] {
  const dir = path.join(FIXTURES, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(f => f.startsWith(prefix) && /\.ya?ml$/.test(f)).map(f => ({
    file: f,
    docs: YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8').replace(/\$\{DAYS_FROM_NOW:(-?\d+)\}/g, (_, n) => daysFromNow(Number(n))))
      .map(d => d.toJSON()).filter(Boolean),
  }));
}

/** The findings of rule `ruleId` (fail or unevaluable) on document `index` of `docs`, as sorted paths. */
function findingsOn(ruleId: string, docs: any[], index: number): string[] {
  const rule = Catalogue.get(ruleId);
  return evaluate(docs.map((o, i) => ({ object: o, ref: { ...objectRefOf(o), documentIndex: i } })), {
    rules: [rule], settings: settingsFor(ruleId), today,
  }).filter(f => f.ruleId === ruleId && f.object.documentIndex === index && !f.object.listItem && !f.waiver
    && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE)).map(f => f.path).sort();
}

/** [ruleId, kind, groups] for every named kind of every rule that has more than one known (or fixture) group. */
function cases(known: Map<string, Map<string, string>> = KNOWN): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  for (const rule of Catalogue.all()) {
    for (const kind of rule.appliesTo) {
      if (kind === '*') continue;
      const groups = new Set(known.get(kind)?.keys() ?? []);
      for (const { docs } of [...fixtureFiles(rule.id, 'fail'), ...fixtureFiles(rule.id, 'pass')]) {
        for (const d of docs) if (d?.kind === kind) groups.add(groupOf(d));
      }
      if (groups.size > 1) out.push([rule.id, kind, [...groups].sort()]);
    }
  }
  return out;
}
const CASES = cases();

test('the audit covers the known collisions (Service, Route, Ingress, NetworkPolicy, StatefulSet, Policy, Gateway)', () => {
  const kinds = new Set(CASES.map(c => c[1]));
  for (const k of ['Service', 'Route', 'Ingress', 'NetworkPolicy', 'StatefulSet', 'DaemonSet', 'Policy', 'Gateway']) expect(kinds).toContain(k);
  expect(KNOWN.get('Service')!.has('serving.knative.dev')).toBe(true);
  expect(KNOWN.get('Route')!.has('route.openshift.io')).toBe(true);
});

test('a same-named kind of a new group fails the audit until someone decides', () => {
  const undecided = (known: Map<string, Map<string, string>>) => cases(known)
    .flatMap(([id, kind, groups]) => groups.filter(g => KIND_GROUP_DECISIONS[id]?.[kind]?.[g] === undefined).map(g => `${id} ${kind} ${g}`));
  expect(undecided(KNOWN)).toEqual([]);
  const more = new Map([...KNOWN].map(([k, v]) => [k, new Map(v)]));
  more.get('Service')!.set('example.com', 'example.com/v1');
  more.set('HorizontalPodAutoscaler', new Map([...more.get('HorizontalPodAutoscaler')!, ['keda.example', 'keda.example/v1']]));
  expect(undecided(more)).toEqual(expect.arrayContaining([
    'service-exposure Service example.com', 'service-external-name Service example.com', 'hpa-target-valid HorizontalPodAutoscaler keda.example',
  ]));
});

test('every decision names a rule, kind and group that exist (no stale entries)', () => {
  const live = new Set(CASES.flatMap(([id, kind, groups]) => groups.map(g => `${id} ${kind} ${g}`)));
  const stale: string[] = [];
  for (const [id, byKind] of Object.entries(KIND_GROUP_DECISIONS)) {
    for (const [kind, byGroup] of Object.entries(byKind)) for (const g of Object.keys(byGroup)) if (!live.has(`${id} ${kind} ${g}`)) stale.push(`${id} ${kind} "${g}"`);
  }
  expect(stale).toEqual([]);
});

describe.each(CASES)('%s on %s', (ruleId, kind, groups) => {
  const decisions: { [group: string]: KindGroupDecision } = KIND_GROUP_DECISIONS[ruleId]?.[kind] ?? {};

  test(`decides for every known group (${groups.map(g => g || 'core').join(', ')})`, () => {
    expect(groups.filter(g => !Object.prototype.hasOwnProperty.call(decisions, g)).map(g => `undecided: ${ruleId} ${kind} in group "${g}"`)).toEqual([]);
    for (const d of Object.values(decisions)) expect(('skip' in d ? d.skip : d.why).length).toBeGreaterThan(10);
  });

  const own = Object.entries(decisions).filter(([, d]) => 'judge' in d && d.judge === 'own').map(([g]) => g);
  const fails = fixtureFiles(ruleId, 'fail');

  // A kind the rule can fail on (a failing fixture object of that kind fails, in any group) must fail in this group too;
  // a kind it never fails on (a RoleBinding for a rule about cluster-scoped grants) needs a fixture object of the group.
  // A group without a fixture object of the kind is accepted only when another group judged with its own semantics has
  // one (the rule's fixtures prove the kind once), or when the rule never fails on that kind in its fixtures.
  const all = fails.flatMap(({ docs }) => docs.map((d, i) => ({ docs, d, i }))).filter(x => x?.d?.kind === kind);
  const failsOn = (x: { docs: any[]; i: number }) => findingsOn(ruleId, x.docs, x.i).length > 0;
  if (own.length > 0) test.each(own)('own semantics for group "%s": a failing fixture object of that group fails', group => {
    const mine = all.filter(x => groupOf(x.d) === group);
    const canFail = all.some(failsOn);
    if (mine.length === 0) {
      expect([group, own.some(g => g !== group && all.some(x => groupOf(x.d) === g)) || !canFail]).toEqual([group, true]);
      return;
    }
    if (canFail) expect(mine.some(failsOn)).toBe(true);
  });

  const moved = Object.entries(decisions).filter(([, d]) => !('judge' in d && d.judge === 'own'));
  if (moved.length > 0) test.each(moved.map(([g, d]) => [g, 'skip' in d ? 'skip' : 'same'] as const))('group "%s" (%s): proven by moving the failing fixtures of its own groups there', (group, how) => {
    const apiVersion = KNOWN.get(kind)?.get(group) ?? `${group}/v1`;
    const home = fails.flatMap(({ docs }) => docs.map((d, i) => ({ docs, d, i })))
      .filter(x => x.d?.kind === kind && own.includes(groupOf(x.d)))
      .map(x => ({ ...x, before: findingsOn(ruleId, x.docs, x.i) })).filter(x => x.before.length > 0);
    // nothing to move: then the rule fails on no fixture object of the kind at all (e.g. a Role for cluster-scoped grants)
    if (home.length === 0) expect(all.some(failsOn)).toBe(false);
    for (const x of home) {
      const docs = x.docs.map((d, i) => (i === x.i ? { ...d, apiVersion } : d));
      expect([x.d.metadata?.name, findingsOn(ruleId, docs, x.i)]).toEqual([x.d.metadata?.name, how === 'same' ? x.before : []]);
    }
  });
});

describe('evidence found by kind name: only Kubernetes NetworkPolicies isolate', () => {
  /** A default deny written with Kubernetes fields, in the given apiVersion. */
  const denyAll = (apiVersion: string) => ({
    apiVersion, kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'a', image: 'registry.example.com/a:1' }] } } },
  };
  const fails = (ruleId: string, docs: any[]) => docs.map((_, i) => findingsOn(ruleId, docs, i)).flat();

  test.each(['crd.projectcalico.org/v1', 'projectcalico.org/v3', 'example.com/v1'])('a %s NetworkPolicy shaped as a default deny is no default deny', apiVersion => {
    expect(fails('namespace-default-deny', [ns, denyAll('networking.k8s.io/v1')])).toEqual([]);
    expect(fails('namespace-default-deny', [ns, denyAll(apiVersion)])).toEqual(['metadata.name']);
    expect(fails('workload-network-policy', [deployment, denyAll('networking.k8s.io/v1')])).toEqual([]);
    expect(fails('workload-network-policy', [deployment, denyAll(apiVersion)])).toEqual(['spec.template.metadata.labels']);
  });
});
