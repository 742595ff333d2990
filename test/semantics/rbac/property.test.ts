/**
 * Property tests of the RBAC evaluator against naive references:
 * - matching: every rule of a small random rule set is expanded by brute force into the concrete requests it allows
 *   over a small universe of groups, resources, subresources, verbs and names; the evaluator must agree on every request;
 * - grants: grantOf agrees with asking rulesAllow name by name;
 * - aggregation: the clusterrole-aggregation controller is simulated with random sync orders; every state any role
 *   reaches is within the evaluator's effective rules, and once settled (acyclic selections) every rule of every
 *   reachable non-aggregated role is present.
 */
import * as fc from 'fast-check';
import { grantOf, normalizeRule, RbacIndex, ResourceRequest, rulesAllow } from '../../../lib/semantics/rbac';

const GROUPS = ['', 'apps', 'x.io'];
const RESOURCES = ['pods', 'secrets', 'deployments'];
const SUBS = ['', 'exec', 'scale'];
const VERBS = ['get', 'create', 'update'];
const NAMES = ['', 'a', 'b', 'c'];

const resourcePattern = fc.oneof(
  fc.constantFrom(...RESOURCES),
  fc.tuple(fc.constantFrom(...RESOURCES), fc.constantFrom('exec', 'scale')).map(([r, s]) => `${r}/${s}`),
  fc.constantFrom('*', '*/exec', '*/scale', 'pods/*', '*/*', '*/xec', '*/xexec', 'exec'),
);
const ruleArb = fc.record({
  apiGroups: fc.uniqueArray(fc.constantFrom(...GROUPS, '*'), { maxLength: 3 }),
  resources: fc.uniqueArray(resourcePattern, { maxLength: 3 }),
  verbs: fc.uniqueArray(fc.constantFrom(...VERBS, '*'), { maxLength: 3 }),
  resourceNames: fc.uniqueArray(fc.constantFrom('a', 'b'), { maxLength: 2 }),
});

/** Brute-force expansion of one rule into the set of concrete requests it allows. */
function expand(rule: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames: string[] }): Set<string> {
  const out = new Set<string>();
  const groups = rule.apiGroups.includes('*') ? GROUPS : rule.apiGroups;
  const verbs = rule.verbs.includes('*') ? VERBS : rule.verbs;
  const names = rule.resourceNames.length === 0 ? NAMES : rule.resourceNames;
  const combined = new Set<string>();
  for (const p of rule.resources) {
    for (const r of RESOURCES) {
      for (const s of SUBS) {
        const c = s ? `${r}/${s}` : r;
        if (p === '*' || p === c || (s !== '' && p === `*/${s}`)) combined.add(c);
      }
    }
  }
  for (const g of groups) for (const c of combined) for (const v of verbs) for (const n of names) out.add(`${g}|${c}|${v}|${n}`);
  return out;
}

const universe: ResourceRequest[] = [];
for (const apiGroup of GROUPS) for (const resource of RESOURCES) for (const sub of SUBS) for (const verb of VERBS) for (const name of NAMES) {
  universe.push({ apiGroup, resource, subresource: sub || undefined, verb, name });
}
const key = (q: ResourceRequest) => `${q.apiGroup}|${q.subresource ? `${q.resource}/${q.subresource}` : q.resource}|${q.verb}|${q.name ?? ''}`;

test('rulesAllow agrees with brute-force expansion on every request of the universe', () => {
  fc.assert(fc.property(fc.array(ruleArb, { maxLength: 4 }), rawRules => {
    const allowed = new Set<string>();
    rawRules.forEach(r => expand(r).forEach(k => allowed.add(k)));
    const rules = rawRules.map(normalizeRule);
    for (const q of universe) {
      if (rulesAllow(rules, q) !== allowed.has(key(q))) throw new Error(`disagree on ${key(q)} for ${JSON.stringify(rawRules)}`);
    }
  }), { numRuns: 300 });
});

test('grantOf agrees with rulesAllow asked name by name', () => {
  fc.assert(fc.property(
    fc.array(ruleArb, { maxLength: 4 }), fc.constantFrom(...GROUPS), fc.constantFrom(...RESOURCES), fc.constantFrom(...SUBS), fc.constantFrom(...VERBS),
    (rawRules, apiGroup, resource, sub, verb) => {
      const rules = rawRules.map(normalizeRule);
      const base = { apiGroup, resource, subresource: sub || undefined, verb };
      const g = grantOf(rules, base, true);
      // a name no rule lists is allowed exactly when some rule allows every name
      expect(g.anyName).toBe(rulesAllow(rules, { ...base, name: 'fresh-name' }));
      if (!g.anyName) {
        expect(g.names).toEqual(['a', 'b'].filter(n => rulesAllow(rules, { ...base, name: n })));
      }
      expect(grantOf(rules, base, false).anyName).toBe(rulesAllow(rules, { ...base, name: '' }));
    }), { numRuns: 300 });
});

// ---- aggregation

const LABELS = ['l1', 'l2', 'l3'];
const roleArb = fc.record({
  labels: fc.uniqueArray(fc.constantFrom(...LABELS), { maxLength: 2 }),
  selectors: fc.option(fc.array(fc.oneof(
    fc.constantFrom(...LABELS).map(l => ({ matchLabels: { [l]: 'true' } })),
    fc.constantFrom(...LABELS).map(l => ({ matchExpressions: [{ key: l, operator: 'Exists' }] })),
  ), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  ruleIds: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 2 }),
});

test('aggregation: every state the controller reaches is within the effective rules; settled states hold every reachable role', () => {
  fc.assert(fc.property(fc.array(roleArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (roles, syncOrder) => {
    const objects = roles.map((r, i) => ({
      kind: 'ClusterRole',
      metadata: { name: `u${i}`, labels: Object.fromEntries(r.labels.map(l => [l, 'true'])) },
      ...(r.selectors ? { aggregationRule: { clusterRoleSelectors: r.selectors } } : {}),
      rules: r.ruleIds.map(id => ({ apiGroups: ['x.io'], resources: [`r${id}`], verbs: ['get'] })),
    }));
    const idx = RbacIndex.of(objects);
    // the controller's state: rule ids per user role (bootstrap roles carry no x.io rules and are left out)
    const state = new Map(objects.map((o, i) => [o.metadata.name, new Set(roles[i].ruleIds)]));
    const effective = new Map(objects.map(o => [o.metadata.name, idx.clusterRoleRules(o.metadata.name)!.map(s => s.rule)]));
    const check = () => {
      for (const [name, ids] of state) for (const id of ids) {
        if (!rulesAllow(effective.get(name)!, { verb: 'get', apiGroup: 'x.io', resource: `r${id}`, name: 'n' })) {
          throw new Error(`${name} can hold r${id}, outside its effective rules`);
        }
      }
    };
    const sync = (name: string) => {
      const next = new Set<number>();
      for (const s of idx.selected(name)) for (const id of state.get(s) ?? []) next.add(id);
      state.set(name, next);
    };
    const aggregated = objects.filter(o => 'aggregationRule' in o).map(o => o.metadata.name);
    check();
    if (aggregated.length === 0) return;
    for (const n of syncOrder) {
      sync(aggregated[n % aggregated.length]);
      check();
    }
    // settle: sync all until nothing changes
    for (let round = 0; round < objects.length + 2; round++) aggregated.forEach(sync);
    check();
    // acyclic among aggregated roles: settled state = union of the reachable non-aggregated roles' rules
    const acyclic = aggregated.every(a => !idx.contributorsOf(a).slice(1).some(c => aggregated.includes(c) && idx.contributorsOf(c).includes(a)));
    if (acyclic) {
      for (const a of aggregated) {
        const expected = new Set<number>();
        for (const c of idx.contributorsOf(a).slice(1)) {
          const i = objects.findIndex(o => o.metadata.name === c);
          if (i >= 0 && !('aggregationRule' in objects[i])) roles[i].ruleIds.forEach(id => expected.add(id));
        }
        expect([...state.get(a)!].sort()).toEqual([...expected].sort());
      }
    }
  }), { numRuns: 300 });
});
