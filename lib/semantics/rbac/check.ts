/**
 * Shared by the RBAC catalogue rules: the effective rules an RBAC object stands for, and findings for the escalation
 * paths of one rule.
 *
 * - Role: its rules, in its namespace.
 * - ClusterRole: its effective rules after aggregation (an aggregated ClusterRole is judged by what it selects, not by
 *   the rules written in it), cluster-wide.
 * - RoleBinding / ClusterRoleBinding of a built-in ClusterRole (admin, edit, view, cluster-admin, system:*) that the
 *   evaluated objects do not define: the built-in role's effective rules (bootstrap policy plus every ClusterRole of
 *   the objects that aggregates into it), in the binding's namespace or cluster-wide. Bindings of roles defined in the
 *   objects are not judged again: the role itself is.
 */
import { ObjectMemo } from '../../kube/cache';
import { RbacScope } from './evaluator';
import { describeRequest, escalationPaths, PathHit } from './paths';
import { RbacIndex, roleRules, SourcedRule } from './roles';

/** The rules an RBAC object stands for, where findings go, and how to name it. */
export interface RbacSubject {
  readonly rules: readonly SourcedRule[];
  readonly scope: RbacScope;
  /** Namespace the rules apply in (namespace scope). */
  readonly namespace?: string;
  /** Describes the object for messages, e.g. `built-in ClusterRole "edit" bound in namespace "shop"`. */
  readonly what: string;
  /** Path of the finding when it is not a rule of the object itself (bindings, aggregated roles). */
  readonly anchor?: string;
  /** Built-in aggregated roles this ClusterRole's rules flow into (e.g. ["admin", "edit"]). */
  readonly aggregatesInto: readonly string[];
}

const BINDING_KINDS = new Set(['RoleBinding', 'ClusterRoleBinding']);

const SUBJECTS = new ObjectMemo<readonly any[], WeakMap<object, RbacSubject | null>>();
const HITS = new ObjectMemo<readonly SourcedRule[], Map<string, PathHit[]>>();

/**
 * The effective rules an object stands for, or undefined when it is not judged by its grants. Computed once per object
 * and evaluated set (every RBAC rule of the catalogue asks for it).
 */
export function rbacSubjectOf(obj: any, objects: readonly any[]): RbacSubject | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  let perSet = SUBJECTS.get(objects);
  if (!perSet) {
    perSet = new WeakMap();
    SUBJECTS.set(objects, perSet);
  }
  const cached = perSet.get(obj);
  if (cached !== undefined) return cached ?? undefined;
  const subject = computeSubject(obj, objects);
  perSet.set(obj, subject ?? null);
  return subject;
}

/** Every escalation path a subject's rules take (shared by subjects with the same rules and scope, e.g. bindings of edit). */
export function subjectHits(subject: RbacSubject): PathHit[] {
  let perScope = HITS.get(subject.rules);
  if (!perScope) {
    perScope = new Map();
    HITS.set(subject.rules, perScope);
  }
  // Some paths are open only in one namespace (e.g. kube-system leases): a namespaced subject's hits depend on it.
  const key = subject.scope === 'namespace' ? `namespace/${subject.namespace ?? 'default'}` : 'cluster';
  let hits = perScope.get(key);
  if (!hits) {
    hits = escalationPaths(subject.rules.map(s => s.rule), subject.scope, undefined, subject.namespace);
    perScope.set(key, hits);
  }
  return hits;
}

function computeSubject(obj: any, objects: readonly any[]): RbacSubject | undefined {
  const kind = obj?.kind;
  if (kind === 'Role') {
    const ns = obj.metadata?.namespace ?? 'default';
    return { rules: roleRules(obj), scope: 'namespace', namespace: ns, what: `Role "${obj.metadata?.name}"`, aggregatesInto: [] };
  }
  let index = RbacIndex.of(objects);
  if (kind === 'ClusterRole') {
    const name = String(obj.metadata?.name ?? '');
    // An object judged outside its set (e.g. a construct-time candidate) is indexed with it.
    if (index.clusterRoles.get(name)?.inInput !== true) index = RbacIndex.of([...objects, obj]);
    const def = index.clusterRoles.get(name);
    const aggregated = !!def?.selectors;
    // A bootstrap name defined in the objects is merged with the built-in role (the API server reconciles it).
    const rules = aggregated || def?.builtIn ? index.clusterRoleRules(name) ?? [] : roleRules(obj).map(r => ({ ...r, kind: 'ClusterRole' }));
    return {
      rules,
      scope: 'cluster',
      what: `ClusterRole "${name}"`,
      anchor: aggregated ? 'aggregationRule.clusterRoleSelectors' : undefined,
      aggregatesInto: index.aggregatedInto(name),
    };
  }
  if (BINDING_KINDS.has(kind)) {
    const ref = obj.roleRef ?? {};
    if (ref.kind !== 'ClusterRole' || typeof ref.name !== 'string') return undefined;
    const def = index.clusterRoles.get(ref.name);
    // Roles defined in the evaluated objects (bootstrap names included) are judged as ClusterRoles, not again here.
    if (!def?.builtIn || def.inInput) return undefined;
    const ns = kind === 'RoleBinding' ? obj.metadata?.namespace ?? 'default' : undefined;
    return {
      rules: index.clusterRoleRules(ref.name) ?? [],
      scope: ns === undefined ? 'cluster' : 'namespace',
      namespace: ns,
      what: `built-in ClusterRole "${ref.name}" ${ns === undefined ? 'bound cluster-wide' : `bound in namespace "${ns}"`}`,
      anchor: 'roleRef.name',
      aggregatesInto: [],
    };
  }
  return undefined;
}

function sourceOf(s: SourcedRule, self: string | undefined): string {
  if (self !== undefined && s.role === self && !s.builtIn) return `rules[${s.index}]`;
  return `${s.builtIn ? 'built-in ' : ''}${s.kind} "${s.role}" rules[${s.index}]`;
}

/** The rules (by index into subject.rules) that grant something, for messages: at most four, then a count. */
export function describeSources(subject: RbacSubject, indexes: readonly number[], self: string | undefined): string {
  const all = [...new Set(indexes.map(i => sourceOf(subject.rules[i], self)))];
  return all.length > 4 ? `${all.slice(0, 4).join(', ')} and ${all.length - 4} more` : all.join(', ');
}

/** A short description of what a hit grants, naming the requests and the rules that grant them. */
export function describeHit(hit: PathHit, subject: RbacSubject, selfName?: string): string {
  const reqs = hit.granted.flat();
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const g of reqs) {
    const d = describeRequest(g);
    if (seen.has(d)) continue;
    seen.add(d);
    parts.push(d);
  }
  const shown = parts.length > 6 ? [...parts.slice(0, 6), `… (${parts.length - 6} more)`] : parts;
  const from = describeSources(subject, hit.ruleIndexes, selfName);
  const names = hit.onlyNames.length > 0 ? ` (only ${JSON.stringify(hit.onlyNames)})` : '';
  const where = subject.scope === 'namespace' ? ` in namespace "${subject.namespace}"` : ' cluster-wide';
  const agg = subject.aggregatesInto.length > 0
    ? `; it aggregates into ${subject.aggregatesInto.map(n => `"${n}"`).join(', ')}, so every binding of ${subject.aggregatesInto.length > 1 ? 'those roles' : 'that role'} grants it too`
    : '';
  return `${subject.what} grants ${shown.join(', ')}${names}${where} (${from}): path ${hit.path.id}, lets its subjects ${hit.path.gives}${agg}.`;
}

/** Findings of one catalogue rule's escalation paths on an RBAC object. */
export function pathViolations(obj: any, objects: readonly any[], ruleId: string): { path: string; message: string }[] {
  const subject = rbacSubjectOf(obj, objects);
  if (!subject) return [];
  const selfName = obj.kind === 'Role' || obj.kind === 'ClusterRole' ? String(obj.metadata?.name ?? '') : undefined;
  return subjectHits(subject).filter(hit => hit.path.ruleId === ruleId).map(hit => ({
    path: pathOf(hit, subject, selfName),
    message: describeHit(hit, subject, selfName),
  }));
}

/** Where a finding goes: the first contributing rule written in the object itself, else the anchor. */
export function pathOf(hit: PathHit, subject: RbacSubject, selfName?: string): string {
  const own = selfName === undefined ? undefined : hit.ruleIndexes.map(i => subject.rules[i]).find(s => s.role === selfName && !s.builtIn);
  return own ? `rules[${own.index}]` : subject.anchor ?? 'rules';
}
