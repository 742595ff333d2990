/**
 * Property tests of the audit Policy evaluator against a naive reference: random policies over small alphabets, and
 * brute force over an independent universe of requests that holds every value the policies can name plus unnamed
 * ones in every attribute. The evaluator's answers (reachable first matches, and the three audit properties) must be
 * EQUAL to brute force: the representative requests lose nothing (sufficiency) and invent nothing (each example
 * reaches the outcome it is reported for).
 */
import * as fc from 'fast-check';
import {
  AuditPolicyDoc, bodyLeaks, BROAD_GROUPS, catchAllGaps, evaluatePolicy, outcomes, parseAuditPolicy, representativeRequests,
  RequestAttributes, unloggedWrites, WRITE_EXEMPTIONS, WRITE_VERBS,
} from '../../../lib/semantics/audit';

// ---- naive reference, written from checker.go independently of lib/semantics/audit ----
type Req = RequestAttributes;
function naiveMatch(r: any, q: Req): boolean {
  const has = (xs: string[] | undefined, v: string) => !xs || xs.length === 0 || xs.includes(v);
  if (!has(r.users, q.user) || !has(r.verbs, q.verb)) return false;
  if (r.userGroups?.length && !q.groups.some(g => r.userGroups.includes(g))) return false;
  if (r.namespaces?.length || r.resources?.length) {
    if (q.kind !== 'resource' || !has(r.namespaces, q.namespace)) return false;
    if (!r.resources?.length) return true;
    return r.resources.some((g: any) => {
      if ((g.group ?? '') !== q.apiGroup && g.group !== '*') return false;
      if (!g.resources?.length) return true;
      if (g.resourceNames?.length && !g.resourceNames.includes(q.name)) return false;
      return g.resources.some((s: string) => {
        if (s === '*') return true;
        const [x, y] = s.includes('/') ? [s.slice(0, s.indexOf('/')), s.slice(s.indexOf('/') + 1)] : [s, undefined];
        if (y === undefined) return q.subresource === '' && x === q.resource;
        if (y === '*') return x === q.resource;
        if (x === '*') return q.subresource !== '' && y === q.subresource;
        return x === q.resource && y === q.subresource;
      });
    });
  }
  if (r.nonResourceURLs?.length) {
    return q.kind === 'nonResource' && r.nonResourceURLs.some((s: string) => s === '*' || s === q.path || (s.endsWith('*') && q.path.startsWith(s.slice(0, -1))));
  }
  return true;
}
const naiveFirst = (rules: any[], q: Req) => rules.findIndex(r => naiveMatch(r, q));
const naiveLevel = (rules: any[], i: number) => (i < 0 ? 'None' : rules[i].level);
const naiveLogged = (doc: any, i: number) => {
  const omit = [...(doc.omitStages ?? []), ...(i >= 0 ? rules(doc)[i].omitStages ?? [] : [])];
  return naiveLevel(rules(doc), i) !== 'None' && !omit.includes('ResponseComplete') && !omit.includes('Panic');
};
const rules = (doc: any) => doc.rules as any[];

function subsets<T>(xs: T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.concat(acc.map(s => [...s, x])), [[]]);
}
const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy', ''];

interface Universe {
  users: string[]; groups: string[]; verbs: string[]; namespaces: string[]; apiGroups: string[]; resources: string[];
  subresources: string[]; names: string[]; methods: string[]; paths: string[];
}
function* universe(u: Universe, only?: { verbs?: string[]; targets?: [string, string, string][]; resourceOnly?: boolean }): Generator<Req> {
  const targets = only?.targets ?? u.apiGroups.flatMap(g => u.resources.flatMap(r => u.subresources.map(s => [g, r, s] as [string, string, string])));
  const verbs = only?.verbs ?? RESOURCE_VERBS;
  for (const user of u.users) for (const groups of subsets(u.groups)) {
    for (const verb of verbs) for (const namespace of u.namespaces) for (const [apiGroup, resource, subresource] of targets) for (const name of u.names) {
      yield { kind: 'resource', user, groups, verb, namespace, apiGroup, resource, subresource, name };
    }
    if (only?.resourceOnly || only?.targets || only?.verbs) continue;
    for (const verb of u.methods) for (const path of u.paths) yield { kind: 'nonResource', user, groups, verb, path };
  }
}

// ---- random policies ----
interface Alphabet {
  users: string[]; groups: string[]; verbs: string[]; namespaces: string[]; apiGroups: string[]; resources: string[]; names: string[]; urls: string[];
}
const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
function policyArb(a: Alphabet, maxRules = 4) {
  const some = (xs: string[]) => fc.option(fc.subarray(xs, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 });
  const groupResources = fc.record({
    group: fc.constantFrom(...a.apiGroups),
    resources: fc.option(fc.subarray(a.resources, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 4 }),
    resourceNames: fc.option(fc.subarray(a.names, { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 4 }),
  }).map(g => (g.resourceNames && !g.resources ? { ...g, resourceNames: undefined } : g));
  const target = fc.oneof(
    fc.record({ resources: fc.option(fc.array(groupResources, { minLength: 1, maxLength: 2 }), { nil: undefined }), namespaces: some(a.namespaces) }),
    fc.record({ nonResourceURLs: fc.subarray(a.urls, { minLength: 1, maxLength: Math.min(2, a.urls.length) }) }),
    fc.constant({}),
  );
  const rule = fc.record({
    level: fc.constantFrom('None', 'Metadata', 'Request', 'RequestResponse'),
    users: some(a.users), userGroups: some(a.groups), verbs: some(a.verbs),
    omitStages: fc.option(fc.subarray(STAGES, { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 4 }),
    target,
  }).map(({ target: t, ...r }) => clean({ ...r, ...t }));
  return fc.record({
    rules: fc.array(rule, { minLength: 1, maxLength: maxRules }),
    omitStages: fc.option(fc.subarray(STAGES, { maxLength: 1 }), { nil: undefined, freq: 3 }),
  }).map(p => clean({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...p }));
}
function clean(o: any): any {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v.map(x => (x && typeof x === 'object' ? clean(x) : x)) : v]));
}
function parsed(doc: any): AuditPolicyDoc {
  const p = parseAuditPolicy(doc);
  if (!p.policy) throw new Error(`generator produced an invalid policy: ${JSON.stringify(p.errors)}`);
  return p.policy;
}
const sorted = (xs: Iterable<number>) => [...new Set(xs)].sort((x, y) => x - y);

// Alphabet for generic matching, and a universe with every alphabet value plus unnamed ones per attribute.
const A: Alphabet = {
  users: ['alice', 'bob'], groups: ['g1', 'system:authenticated'], verbs: ['get', 'create', 'delete', '*', 'post'],
  namespaces: ['a', ''], apiGroups: ['', 'apps', '*'],
  resources: ['pods', 'pods/status', 'pods/*', '*/status', '*', '*/*', 'secrets', 'secrets/*'], names: ['n1'],
  urls: ['/a', '/a*', '/ab*', '*', '/healthz*', '/healthz', '/*'],
};
const U: Universe = {
  users: ['alice', 'bob', 'carol'], groups: ['g1', 'system:authenticated', 'g3'], verbs: RESOURCE_VERBS, namespaces: ['a', '', 'b'],
  apiGroups: ['', 'apps', 'x.io'], resources: ['pods', 'secrets', 'widgets'], subresources: ['', 'status', 'exec'], names: ['', 'n1', 'n2'],
  methods: ['get', 'post', '*', 'delete', 'create', 'weird'], paths: ['/', '/a', '/ax', '/ab', '/abc', '/healthz', '/healthz/x', '/b', '/version'],
};

describe('audit-eval against brute force', () => {
  test('outcomes (memoised walk) = first matches over the full product of representative requests', () => {
    fc.assert(fc.property(policyArb(A), fc.constantFrom<any>({}, { verbs: WRITE_VERBS, kinds: ['resource'] }, { targets: [{ group: '', resource: 'secrets', subresource: '' }] }, { unnamed: true, broadGroups: BROAD_GROUPS }), (doc, domain) => {
      const p = parsed(doc);
      const fast = outcomes(p, domain);
      const brute = sorted([...representativeRequests(p, domain)].map(q => evaluatePolicy(p, q).ruleIndex));
      expect(sorted(fast.keys())).toEqual(brute);
      for (const [i, q] of fast) expect(evaluatePolicy(p, q).ruleIndex).toBe(i);
    }), { numRuns: 60 });
  });

  test('sufficiency: outcomes = naive first matches over an independent universe (named + unnamed values)', () => {
    fc.assert(fc.property(policyArb(A), doc => {
      const p = parsed(doc);
      const naive = new Set<number>();
      let disagreements = 0;
      for (const q of universe(U)) {
        const i = naiveFirst(rules(doc), q);
        naive.add(i);
        if (evaluatePolicy(p, q).ruleIndex !== i) disagreements++;
      }
      expect(disagreements).toBe(0);
      expect(sorted(outcomes(p).keys())).toEqual(sorted(naive));
    }), { numRuns: 15 });
  });

  const SECRETS: Alphabet = {
    ...A, apiGroups: ['', '*', 'authentication.k8s.io'],
    resources: ['secrets', 'secrets/*', 'configmaps', 'serviceaccounts/token', 'serviceaccounts/*', '*/token', 'tokenreviews', '*', 'pods'],
  };
  const SENSITIVE: [string, string, string][] = [['', 'secrets', ''], ['', 'configmaps', ''], ['', 'serviceaccounts', 'token'], ['authentication.k8s.io', 'tokenreviews', '']];
  test('bodyLeaks = rules that are the first match, above Metadata, of some request on a sensitive resource', () => {
    fc.assert(fc.property(policyArb(SECRETS), doc => {
      const p = parsed(doc);
      const naive = new Set<number>();
      for (const q of universe(U, { targets: SENSITIVE })) {
        const i = naiveFirst(rules(doc), q);
        if (['Request', 'RequestResponse'].includes(naiveLevel(rules(doc), i))) naive.add(i);
      }
      const got = bodyLeaks(p);
      expect(sorted(got.map(v => v.ruleIndex))).toEqual(sorted(naive));
      for (const v of got) expect(naiveFirst(rules(doc), v.example)).toBe(v.ruleIndex);
    }), { numRuns: 60 });
  });

  const WRITES: Alphabet = {
    users: ['alice', 'system:kube-scheduler'], groups: ['system:nodes', 'system:authenticated'], verbs: ['get', 'update', 'create', 'delete', 'patch', 'deletecollection'],
    namespaces: ['kube-node-lease', 'kube-system', ''], apiGroups: ['', 'coordination.k8s.io', 'events.k8s.io', '*'],
    resources: ['leases', 'events', 'endpoints', 'pods', 'pods/*', '*/status', '*'], names: ['n1'], urls: ['/a*'],
  };
  const UW: Universe = {
    users: ['alice', 'system:kube-scheduler', 'carol'], groups: ['system:nodes', 'system:authenticated', 'g3'], verbs: WRITE_VERBS,
    namespaces: ['', 'kube-node-lease', 'kube-system', 'b'], apiGroups: ['', 'coordination.k8s.io', 'events.k8s.io', 'x.io'],
    resources: ['leases', 'events', 'endpoints', 'pods', 'widgets'], subresources: ['', 'status', 'exec'], names: ['', 'n1', 'n2'], methods: [], paths: [],
  };
  const exempt = (q: Req) => WRITE_EXEMPTIONS.some(e => naiveMatch(e.rule, q));
  test('unloggedWrites = first matches of non-exempt writes that are None or omit ResponseComplete/Panic', () => {
    fc.assert(fc.property(policyArb(WRITES, 3), doc => {
      const p = parsed(doc);
      const naive = new Set<number>();
      for (const q of universe(UW, { verbs: WRITE_VERBS })) {
        if (exempt(q)) continue;
        const i = naiveFirst(rules(doc), q);
        if (!naiveLogged(doc, i)) naive.add(i);
      }
      const got = unloggedWrites(p);
      expect(sorted(got.map(v => v.ruleIndex))).toEqual(sorted(naive));
      for (const v of got) { expect(naiveFirst(rules(doc), v.example)).toBe(v.ruleIndex); expect(exempt(v.example)).toBe(false); }
    }), { numRuns: 20 });
  });

  test('catchAllGaps = unmatched requests, plus unlogged requests the policy names nowhere', () => {
    fc.assert(fc.property(policyArb(A), doc => {
      const p = parsed(doc);
      const rs = rules(doc);
      const named = {
        users: rs.flatMap(r => r.users ?? []), namespaces: rs.flatMap(r => r.namespaces ?? []),
        apiGroups: rs.flatMap(r => (r.resources ?? []).map((g: any) => g.group ?? '')).filter((g: string) => g !== '*'),
        segments: rs.flatMap(r => (r.resources ?? []).flatMap((g: any) => (g.resources ?? []).flatMap((s: string) => s.split('/')))),
        names: rs.flatMap(r => (r.resources ?? []).flatMap((g: any) => g.resourceNames ?? [])),
      };
      const unnamed = (q: Req) => !named.users.includes(q.user) && q.groups.every(g => BROAD_GROUPS.includes(g)) && (q.kind === 'nonResource'
        ? rs.every(r => (r.nonResourceURLs ?? []).every((s: string) => s === '*' || s === '/*' || !(s === q.path || (s.endsWith('*') && q.path.startsWith(s.slice(0, -1))))))
        : !named.namespaces.includes(q.namespace) && !named.apiGroups.includes(q.apiGroup) && q.apiGroup !== '' && !named.segments.includes(q.resource)
          && (q.subresource === '' || !named.segments.includes(q.subresource)) && !named.names.includes(q.name));
      const naive = new Set<number>();
      for (const q of universe(U)) {
        const i = naiveFirst(rs, q);
        if (i < 0 || (unnamed(q) && !naiveLogged(doc, i))) naive.add(i);
      }
      const got = catchAllGaps(p);
      expect(sorted(got.map(v => v.ruleIndex))).toEqual(sorted(naive));
      for (const v of got) expect(naiveFirst(rs, v.example)).toBe(v.ruleIndex);
    }), { numRuns: 25 });
  });
});
