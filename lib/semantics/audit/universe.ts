/**
 * Exact property questions over ALL requests, answered by enumerating a finite set of representative requests.
 *
 * Why a finite set is enough (see SOURCES.md for the matching facts): every rule predicate is a conjunction, one
 * factor per request attribute, and each factor only tests the attribute against values written in the policy:
 *   user          `user == u` for the users named                         -> each named user + one fresh user
 *   groups        `g ∈ groups` for the groups named                       -> every subset of the named groups
 *                 (no group and each single group suffice for first-match questions: see groupDim)
 *   verb          `verb == v`                                              -> resource requests: the 10 verbs
 *                 RequestInfo can produce (complete); non-resource: named verbs + HTTP methods + one fresh method
 *   namespace     `ns == n`                                                -> named namespaces + '' + one fresh
 *   group         `apiGroup == g` (`*` is constant true)                   -> named groups + '' + one fresh
 *   resource      `resource == x`, `resource/sub == x/y`, `x/*`, `*\/y`    -> named resources + one fresh
 *   subresource   `sub == y`                                               -> named subresources + '' + one fresh
 *   name          `name ∈ resourceNames`                                   -> named names + '' + one fresh
 *   path          `path == s` or `path startsWith p`                       -> each exact s, and p+z for every
 *                 prefix p (and '/') with z chosen so that no longer policy prefix or exact path starts with p+z
 * Two requests that agree on every atomic test above get the same answer from every rule, hence the same first match
 * and the same decision. A fresh value stands for every value the policy does not name. For paths: a path x that is
 * not an exact spec is classified by the chain of policy prefixes it starts with; with p* the longest, p*+z starts with
 * exactly the same prefixes. Values containing `*` or `/` in a resource or subresource position name no real resource
 * (resource names are DNS labels) and are not used as representatives: such a spec (e.g. `*\/*`) matches nothing.
 * No relation between users and groups is assumed (a request may carry any set of groups).
 *
 * `outcomes` first keeps one value per distinct per-rule answer in each attribute (and, per API group, only the
 * resources, subresources and names of that group's entries: the others behave as the fresh value), then walks the
 * attributes one at a time — fewest values first — keeping the set of rules still able to match (a bit set), merging
 * values that leave the same set (they are interchangeable for every later attribute) and memoising on (attribute,
 * set): the full product of representatives is covered without materialising it. `representativeRequests`
 * materialises the unreduced product (the reference in the property tests).
 */
import { evaluatePolicy, groupResourcesMatch, pathMatches, RequestAttributes } from './evaluate';
import { AuditPolicyDoc, PolicyRule } from './policy';

/** Every verb RequestInfo assigns to a resource request (requestinfo.go: methods, /watch/ and /proxy/ prefixes, '' for other methods). */
export const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy', ''];
/** Usual HTTP methods, lower-cased as RequestInfo does for non-resource requests (any method is possible: one fresh one stands for the rest). */
export const HTTP_VERBS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

/** A resource target whose namespace and object name stay free. */
export interface ResourceTarget {
  readonly group: string;
  readonly resource: string;
  /** '' for the resource itself. */
  readonly subresource: string;
}

/** Which requests a question is about. Unset fields: every request. */
export interface RequestDomain {
  /** @default both */
  readonly kinds?: ('resource' | 'nonResource')[];
  /** Only these verbs (exact strings). */
  readonly verbs?: string[];
  /** Only resource requests on these targets (any namespace and object name). */
  readonly targets?: ResourceTarget[];
  /**
   * Only requests outside everything the policy names: a user it does not name, holding none of its groups except the
   * `broadGroups`; an API group, resource, namespace, object name and path it does not name; any verb.
   */
  readonly unnamed?: boolean;
  /** With `unnamed`: groups any ordinary user may hold (e.g. system:authenticated); subsets of them are included. */
  readonly broadGroups?: string[];
  /** Requests matched by any of these rules are left out (exemptions). */
  readonly exclude?: PolicyRule[];
}

interface Vocabulary {
  users: string[]; groups: string[]; verbs: string[]; namespaces: string[];
  apiGroups: string[]; resources: string[]; subresources: string[]; names: string[];
  exactPaths: string[]; prefixes: string[];
}

const uniq = (xs: string[]) => [...new Set(xs)];
const realSegment = (s: string) => s !== '' && !s.includes('*') && !s.includes('/');

function vocabulary(rules: PolicyRule[]): Vocabulary {
  const v: Vocabulary = {
    users: [], groups: [], verbs: [], namespaces: [], apiGroups: [], resources: [], subresources: [], names: [], exactPaths: [], prefixes: [],
  };
  for (const r of rules) {
    v.users.push(...r.users); v.groups.push(...r.userGroups); v.verbs.push(...r.verbs); v.namespaces.push(...r.namespaces);
    for (const gr of r.resources) {
      if (gr.group !== '*') v.apiGroups.push(gr.group);
      v.names.push(...gr.resourceNames);
      for (const res of gr.resources) {
        const slash = res.indexOf('/');
        const x = slash < 0 ? res : res.slice(0, slash);
        const y = slash < 0 ? '' : res.slice(slash + 1);
        if (realSegment(x)) v.resources.push(x);
        if (realSegment(y)) v.subresources.push(y);
      }
    }
    for (const u of r.nonResourceURLs) {
      if (u === '*') continue;
      if (u.endsWith('*')) v.prefixes.push(u.replace(/\*+$/, '')); else v.exactPaths.push(u);
    }
  }
  for (const k of Object.keys(v) as (keyof Vocabulary)[]) v[k] = uniq(v[k]);
  return v;
}

function fresh(base: string, taken: string[]): string {
  let s = base;
  for (let i = 2; taken.includes(s); i++) s = `${base}${i}`;
  return s;
}

/** A path extending `p` that starts with no longer policy prefix and equals no exact path. */
function freshPath(p: string, v: Vocabulary): string {
  const ok = (x: string) => !v.exactPaths.includes(x) && !v.prefixes.some(q => q.length > p.length && x.startsWith(q));
  for (const z of ['any', 'x', 'zz', '~', '_', '-']) if (ok(p + z)) return p + z;
  for (let i = 0; ; i++) if (ok(`${p}any${i}`)) return `${p}any${i}`;
}

/** Per-dimension predicates of a rule (their conjunction is ruleMatches). */
const kindOk = (r: PolicyRule, kind: 'resource' | 'nonResource') => kind === 'resource'
  ? r.namespaces.length > 0 || r.resources.length > 0 || r.nonResourceURLs.length === 0
  : r.namespaces.length === 0 && r.resources.length === 0;

interface Dim { name: string; values: { value: any; ok: boolean[] }[] }

function dim(name: string, values: any[], rules: PolicyRule[], test: (r: PolicyRule, v: any) => boolean): Dim {
  return { name, values: values.map(value => ({ value, ok: rules.map(r => test(r, value)) })) };
}

/**
 * Group sets: no group, and each named group alone. Enough for every first-match question: adding a group only adds
 * matching rules, and the first match is the lowest matching rule, so a request with groups S whose first match is
 * rule i has a twin with no group (i matches without groups) or with the one group g ∈ S that makes i match: its
 * matching rules are a subset of the original's that still contains i, hence the same first match (and the same
 * exemption status). `representativeRequests` enumerates every subset instead, and the property tests compare.
 */
function groupDim(groups: string[], rules: PolicyRule[]): Dim {
  return dim('groups', [[], ...groups.map(g => [g])], rules, (r, set: string[]) => r.userGroups.length === 0 || r.userGroups.some(g => set.includes(g)));
}

interface KindSpace { kind: 'resource' | 'nonResource'; dims: Dim[] }

function spaces(rules: PolicyRule[], domain: RequestDomain, allSubsets: boolean): KindSpace[] {
  const reduce = !allSubsets;
  const v = vocabulary(rules);
  const unnamed = domain.unnamed === true;
  const targetValues = (domain.targets ?? []);
  v.apiGroups.push(...targetValues.map(t => t.group)); v.resources.push(...targetValues.map(t => t.resource));
  v.subresources.push(...targetValues.map(t => t.subresource).filter(s => s !== ''));
  // Fresh values first: the first value of each merged class is the one shown in examples.
  const users = unnamed ? [fresh('any-user', v.users)] : [fresh('any-user', v.users), ...v.users];
  const groupPool = unnamed ? v.groups.filter(g => (domain.broadGroups ?? []).includes(g)) : v.groups;
  const groupsDim = allSubsets
    ? dim('groups', subsets(groupPool), rules, (r, set: string[]) => r.userGroups.length === 0 || r.userGroups.some(g => set.includes(g)))
    : groupDim(groupPool, rules);
  const restrictVerbs = (xs: string[]) => domain.verbs ? xs.filter(x => domain.verbs!.includes(x)) : xs;
  const userDim = dim('user', users, rules, (r, u) => r.users.length === 0 || r.users.includes(u));
  const verbTest = (r: PolicyRule, x: string) => r.verbs.length === 0 || r.verbs.includes(x);
  const out: KindSpace[] = [];
  const kinds = domain.kinds ?? (domain.targets ? ['resource'] : ['resource', 'nonResource']);
  if (kinds.includes('resource')) {
    const nsFresh = fresh('any-namespace', v.namespaces);
    const namespaces = unnamed ? [nsFresh, ...(v.namespaces.includes('') ? [] : [''])] : uniq([nsFresh, '', ...v.namespaces]);
    const nameFresh = fresh('any-name', v.names);
    const names = unnamed ? [...(v.names.includes('') ? [] : ['']), nameFresh] : uniq(['', nameFresh, ...v.names]);
    let targets: { apiGroup: string; resource: string; subresource: string; name: string }[] = [];
    if (domain.targets) {
      targets = domain.targets.flatMap(t => names.map(name => ({ apiGroup: t.group, resource: t.resource, subresource: t.subresource, name })));
    } else {
      const gFresh = fresh('any.example.com', v.apiGroups);
      const xFresh = fresh('anyresources', v.resources);
      const yFresh = fresh('anysubresource', v.subresources);
      const apiGroups = unnamed ? [gFresh] : uniq([gFresh, '', ...v.apiGroups]);
      const resources = unnamed ? [xFresh] : [xFresh, ...v.resources];
      const subs = unnamed ? ['', yFresh] : uniq(['', yFresh, ...v.subresources]);
      if (!reduce || unnamed) {
        for (const apiGroup of apiGroups) for (const resource of resources) for (const subresource of subs) for (const name of names) {
          targets.push({ apiGroup, resource, subresource, name });
        }
      } else {
        // Same classes, fewer values: for an API group only the entries of that group (or `*`) can match, so a
        // resource, subresource or object name named only in other groups' entries behaves as the fresh value; and for
        // a resource x only the subresources of `x/y` and `*\/y` specs are tested.
        // Likewise an object name matters only to entries with a spec for that resource (or `*`).
        const entries = rules.flatMap(r => r.resources);
        for (const apiGroup of apiGroups) {
          const star = { subs: new Set<string>(), names: new Set<string>() };
          const byResource = new Map<string, { subs: Set<string>; names: Set<string> }>();
          for (const e of entries) {
            if (e.group !== apiGroup && e.group !== '*') continue;
            for (const res of e.resources) {
              const slash = res.indexOf('/');
              const x = slash < 0 ? res : res.slice(0, slash);
              const y = slash < 0 ? '' : res.slice(slash + 1);
              if (x !== '*' && !realSegment(x)) continue;
              let bucket = star;
              if (x !== '*') {
                bucket = byResource.get(x) ?? { subs: new Set<string>(), names: new Set<string>() };
                byResource.set(x, bucket);
              }
              if (realSegment(y)) bucket.subs.add(y);
              for (const n of e.resourceNames) bucket.names.add(n);
            }
          }
          for (const resource of [xFresh, ...byResource.keys()]) {
            const own = byResource.get(resource);
            const subsHere = uniq(['', yFresh, ...star.subs, ...(own?.subs ?? [])]);
            const namesHere = uniq(['', nameFresh, ...star.names, ...(own?.names ?? [])]);
            for (const subresource of subsHere) for (const name of namesHere) targets.push({ apiGroup, resource, subresource, name });
          }
        }
      }
    }
    out.push({
      kind: 'resource',
      dims: [
        dim('kind', ['resource'], rules, r => kindOk(r, 'resource')),
        dim('target', targets, rules, (r, t) => r.resources.length === 0 || r.resources.some(gr => groupResourcesMatch(gr, t.apiGroup, t.resource, t.subresource, t.name))),
        dim('namespace', namespaces, rules, (r, ns) => r.namespaces.length === 0 || r.namespaces.includes(ns)),
        dim('verb', restrictVerbs(RESOURCE_VERBS), rules, verbTest),
        userDim, groupsDim,
      ],
    });
  }
  if (kinds.includes('nonResource')) {
    const paths = unnamed ? [freshPath('/', v)] : uniq([freshPath('/', v), ...v.exactPaths, ...v.prefixes.filter(p => p.startsWith('/')).map(p => freshPath(p, v))]);
    const verbs = restrictVerbs(uniq([...v.verbs, ...HTTP_VERBS, fresh('anymethod', v.verbs)]));
    out.push({
      kind: 'nonResource',
      dims: [
        dim('kind', ['nonResource'], rules, r => kindOk(r, 'nonResource')),
        dim('path', paths, rules, (r, p) => r.nonResourceURLs.length === 0 || r.nonResourceURLs.some(s => pathMatches(p, s))),
        dim('verb', verbs, rules, verbTest),
        userDim, groupsDim,
      ],
    });
  }
  return out;
}

function subsets(xs: string[]): string[][] {
  let out: string[][] = [[]];
  for (const x of xs) out = out.concat(out.map(s => [...s, x]));
  return out;
}

function toRequest(kind: 'resource' | 'nonResource', dims: Dim[], values: any[]): RequestAttributes {
  const by: any = {};
  dims.forEach((d, i) => { by[d.name] = values[i]; });
  if (kind === 'resource') {
    return {
      kind, user: by.user, groups: by.groups, verb: by.verb, namespace: by.namespace,
      apiGroup: by.target.apiGroup, resource: by.target.resource, subresource: by.target.subresource, name: by.target.name,
    };
  }
  return { kind, user: by.user, groups: by.groups, verb: by.verb, path: by.path };
}

/**
 * Every first-match outcome a request of the domain can get, each with one example request: rule index -> request,
 * -1 when no rule matches. Exact: see the module comment.
 */
export function outcomes(policy: AuditPolicyDoc, domain: RequestDomain = {}): Map<number, RequestAttributes> {
  const excluded = domain.exclude ?? [];
  const rules = [...excluded, ...policy.rules];
  const words = Math.max(1, Math.ceil(rules.length / 32));
  const result = new Map<number, RequestAttributes>();
  const maskOf = (ok: boolean[]) => {
    const m = new Uint32Array(words);
    ok.forEach((b, i) => { if (b) m[i >>> 5] |= 1 << (i & 31); });
    return m;
  };
  const keyOf = (m: Uint32Array) => m.join(',');
  const lowest = (m: Uint32Array) => {
    for (let w = 0; w < m.length; w++) if (m[w] !== 0) return w * 32 + (31 - Math.clz32(m[w] & -m[w]));
    return -1;
  };
  for (const space of spaces(rules, domain, false)) {
    if (space.dims.some(dd => dd.values.length === 0)) continue;
    // Values of one attribute with the same per-rule answers are interchangeable: keep the first of each.
    // Fewest distinct values first: fewer distinct rule sets to carry to the large attributes.
    const reduced = space.dims.map(d => {
      const seen = new Map<string, { value: any; mask: Uint32Array }>();
      for (const { value, ok } of d.values) {
        const mask = maskOf(ok);
        const k = keyOf(mask);
        if (!seen.has(k)) seen.set(k, { value, mask });
      }
      return { name: d.name, dim: d, values: [...seen.values()] };
    }).sort((x, y) => x.values.length - y.values.length);
    const dims = reduced.map(r => r.values);
    const ordered = reduced.map(r => r.dim);
    const memo = new Map<string, Map<number, any[]>>();
    const explore = (d: number, alive: Uint32Array): Map<number, any[]> => {
      if (d === dims.length) return new Map([[lowest(alive), []]]);
      const k = `${d}|${keyOf(alive)}`;
      const hit = memo.get(k);
      if (hit) return hit;
      const here = new Map<number, any[]>();
      const byAlive = new Map<string, { next: Uint32Array; value: any }>();
      for (const { value, mask } of dims[d]) {
        const next = new Uint32Array(words);
        for (let w = 0; w < words; w++) next[w] = alive[w] & mask[w];
        const nk = keyOf(next);
        if (!byAlive.has(nk)) byAlive.set(nk, { next, value });
      }
      for (const { next, value } of byAlive.values()) {
        for (const [o, suffix] of explore(d + 1, next)) if (!here.has(o)) here.set(o, [value, ...suffix]);
      }
      memo.set(k, here);
      return here;
    };
    const all = maskOf(rules.map(() => true));
    for (const [o, values] of explore(0, all)) {
      if (o >= 0 && o < excluded.length) continue;
      const idx = o < 0 ? -1 : o - excluded.length;
      if (!result.has(idx)) result.set(idx, toRequest(space.kind, ordered, values));
    }
  }
  return result;
}

/**
 * The full product of representative requests of the domain (every subset of the named groups): the reference the
 * memoised `outcomes` is tested against. Size grows as the product of the dimensions: for tests and small policies.
 * Requests matched by `domain.exclude` are left out.
 */
export function* representativeRequests(policy: AuditPolicyDoc, domain: RequestDomain = {}): Generator<RequestAttributes> {
  const excluded = domain.exclude ?? [];
  const rules = [...excluded, ...policy.rules];
  for (const space of spaces(rules, domain, true)) {
    const idx = space.dims.map(() => 0);
    if (space.dims.some(dd => dd.values.length === 0)) continue;
    while (true) {
      const req = toRequest(space.kind, space.dims, space.dims.map((d, i) => d.values[idx[i]].value));
      if (!excluded.length || evaluatePolicy({ rules: excluded, omitStages: [], omitManagedFields: false }, req).ruleIndex < 0) yield req;
      let i = space.dims.length - 1;
      while (i >= 0 && ++idx[i] === space.dims[i].values.length) { idx[i] = 0; i--; }
      if (i < 0) break;
    }
  }
}
