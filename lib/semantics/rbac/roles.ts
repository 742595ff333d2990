/**
 * Effective rules of Roles and ClusterRoles in an evaluated set of objects, with ClusterRole aggregation resolved the
 * way the clusterrole-aggregation controller does it (kubernetes/kubernetes pkg/controller/clusterroleaggregation):
 * a ClusterRole with an `aggregationRule` gets as rules the union of the rules of every other ClusterRole matched by any
 * of its `clusterRoleSelectors`, and the built-in roles of the bootstrap policy (admin, edit, view, cluster-admin,
 * system:*) take part as the API server creates them. Effective rules are every rule the role can hold at any time:
 * its written rules (live until the controller first replaces them) and those of every role reachable by selection.
 */
import { ObjectMemo } from '../../kube/cache';
import { BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-roles-v1.28';
import { normalizeRule, normalizeRules, PolicyRule } from './evaluator';

/** A rule with where it comes from. */
export interface SourcedRule {
  readonly rule: PolicyRule;
  /** `ClusterRole` or `Role`. */
  readonly kind: string;
  /** Name of the role whose `rules[index]` this is. */
  readonly role: string;
  readonly index: number;
  /** True when the rule comes from the built-in bootstrap policy rather than from the evaluated objects. */
  readonly builtIn: boolean;
}

/** A ClusterRole as the aggregation controller sees it. */
export interface ClusterRoleDef {
  readonly name: string;
  readonly labels: { readonly [key: string]: string };
  /** Selectors of the aggregationRule; undefined when the role is not aggregated. */
  readonly selectors?: readonly unknown[];
  readonly rules: readonly PolicyRule[];
  /** The name is a bootstrap role. */
  readonly builtIn: boolean;
  /** The role is (also) defined in the evaluated objects. */
  readonly inInput: boolean;
}

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

function stringLabels(v: unknown): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  }
  return out;
}

/**
 * Does a metav1.LabelSelector match these labels (metav1.LabelSelectorAsSelector semantics)? An empty selector, and a
 * `null` entry (decoded by the API server as an empty selector), match every object. An invalid selector (unknown
 * operator, In/NotIn without values, Exists/DoesNotExist with values) matches nothing: the API server rejects it.
 */
export function labelSelectorMatches(selector: unknown, labels: { readonly [key: string]: string }): boolean {
  if (selector === null || selector === undefined) return true;
  if (typeof selector !== 'object' || Array.isArray(selector)) return false;
  const s = selector as any;
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== 'object' || Array.isArray(s.matchLabels)) return false;
    for (const [k, v] of Object.entries(s.matchLabels)) {
      if (typeof v !== 'string' || labels[k] !== v) return false;
    }
  }
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions)) return false;
    for (const e of s.matchExpressions) {
      if (!e || typeof e.key !== 'string') return false;
      const values = Array.isArray(e.values) ? e.values : [];
      if (values.some((v: unknown) => typeof v !== 'string')) return false;
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      switch (e.operator) {
        case 'In':
          if (values.length === 0 || !has || !values.includes(labels[e.key])) return false;
          break;
        case 'NotIn':
          if (values.length === 0) return false;
          if (has && values.includes(labels[e.key])) return false;
          break;
        case 'Exists':
          if (values.length > 0 || !has) return false;
          break;
        case 'DoesNotExist':
          if (values.length > 0 || has) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

/** Every ClusterRole and Role of an evaluated set, bootstrap roles included. */
export class RbacIndex {
  /** Built once per evaluated set (the engine builds a fresh array per evaluation). */
  public static of(objects: readonly any[]): RbacIndex {
    let idx = CACHE.get(objects);
    if (!idx) {
      idx = new RbacIndex(objects);
      CACHE.set(objects, idx);
    }
    return idx;
  }

  public readonly clusterRoles = new Map<string, ClusterRoleDef>();
  private readonly roles = new Map<string, any>();
  private readonly leaves = new Map<string, string[]>();
  private readonly effective = new Map<string, SourcedRule[]>();
  private readonly into = new Map<string, string[]>();
  private intoBuilt = false;

  constructor(objects: readonly any[]) {
    for (const b of BOOTSTRAP_CLUSTER_ROLES) {
      this.clusterRoles.set(b.name, {
        name: b.name,
        labels: { ...b.labels },
        selectors: b.aggregationRule ? b.aggregationRule.clusterRoleSelectors.map(s => ({ matchLabels: { ...s.matchLabels } })) : undefined,
        rules: b.rules.map(normalizeRule),
        builtIn: true,
        inInput: false,
      });
    }
    for (const o of objects) {
      if (!o || typeof o !== 'object' || typeof o.metadata?.name !== 'string') continue;
      if (o.kind === 'Role') this.roles.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o);
      if (o.kind !== 'ClusterRole') continue;
      const name = o.metadata.name;
      const own: ClusterRoleDef = {
        name,
        labels: stringLabels(o.metadata.labels),
        selectors: o.aggregationRule && typeof o.aggregationRule === 'object'
          ? (Array.isArray(o.aggregationRule.clusterRoleSelectors) ? o.aggregationRule.clusterRoleSelectors : [])
          : undefined,
        rules: normalizeRules(o.rules),
        builtIn: false,
        inInput: true,
      };
      const boot = this.clusterRoles.get(name);
      if (boot?.builtIn && o.metadata.annotations?.[AUTOUPDATE] !== 'false') {
        // The API server reconciles bootstrap roles at start-up: it adds back missing rules, labels and selectors.
        this.clusterRoles.set(name, {
          name,
          labels: { ...own.labels, ...boot.labels },
          selectors: boot.selectors || own.selectors ? [...(boot.selectors ?? []), ...(own.selectors ?? [])] : undefined,
          rules: [...own.rules, ...boot.rules],
          builtIn: true,
          inInput: true,
        });
      } else {
        this.clusterRoles.set(name, { ...own, builtIn: boot?.builtIn ?? false });
      }
    }
  }

  /** A Role of the evaluated set. */
  public role(namespace: string, name: string): any | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  /** ClusterRoles an aggregated ClusterRole selects directly (itself excluded, as the controller does). */
  public selected(name: string): string[] {
    const def = this.clusterRoles.get(name);
    if (!def?.selectors) return [];
    const out: string[] = [];
    for (const other of this.clusterRoles.values()) {
      if (other.name === name) continue;
      if (def.selectors.some(s => labelSelectorMatches(s, other.labels))) out.push(other.name);
    }
    return out.sort();
  }

  /**
   * The ClusterRoles whose written rules can be in `name`'s rules at some time: itself and every ClusterRole reachable
   * through aggregation selections. The controller copies rules only along selections, and an aggregated role's written
   * rules are live until the controller replaces them (and for good in a selection cycle, or while the controller is
   * down), so this is the complete set. For a role that is not aggregated, itself.
   */
  public contributorsOf(name: string): string[] {
    const cached = this.leaves.get(name);
    if (cached) return cached;
    let out: string[];
    if (!this.clusterRoles.has(name)) out = [];
    else {
      const seen = new Set<string>([name]);
      const queue = [name];
      while (queue.length > 0) {
        for (const s of this.selected(queue.shift()!)) {
          if (seen.has(s)) continue;
          seen.add(s);
          queue.push(s);
        }
      }
      out = [name, ...[...seen].filter(n => n !== name).sort()];
    }
    this.leaves.set(name, out);
    return out;
  }

  /** Effective rules of a ClusterRole, with their sources; undefined when the name is unknown. */
  public clusterRoleRules(name: string): SourcedRule[] | undefined {
    const def = this.clusterRoles.get(name);
    if (!def) return undefined;
    const cached = this.effective.get(name);
    if (cached) return cached;
    const out: SourcedRule[] = [];
    for (const c of this.contributorsOf(name)) {
      const l = this.clusterRoles.get(c)!;
      l.rules.forEach((rule, index) => out.push({ rule, kind: 'ClusterRole', role: c, index, builtIn: !l.inInput }));
    }
    this.effective.set(name, out);
    return out;
  }

  /** The aggregated ClusterRoles (e.g. admin, edit, view) whose effective rules include this ClusterRole's rules. */
  public aggregatedInto(name: string): string[] {
    if (!this.intoBuilt) {
      // One pass over the aggregated roles builds the reverse map for every role.
      for (const def of this.clusterRoles.values()) {
        if (!def.selectors) continue;
        for (const c of this.contributorsOf(def.name)) {
          if (c === def.name) continue;
          const list = this.into.get(c) ?? [];
          list.push(def.name);
          this.into.set(c, list);
        }
      }
      for (const list of this.into.values()) list.sort();
      this.intoBuilt = true;
    }
    return [...(this.into.get(name) ?? [])];
  }
}

const CACHE = new ObjectMemo<readonly any[], RbacIndex>();

/** Effective rules of a Role object (its own rules). */
export function roleRules(role: any): SourcedRule[] {
  const name = String(role?.metadata?.name ?? '');
  return normalizeRules(role?.rules).map((rule, index) => ({ rule, kind: 'Role', role: name, index, builtIn: false }));
}
