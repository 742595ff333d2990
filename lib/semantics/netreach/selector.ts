/**
 * Label-selector semantics (metav1.LabelSelector: matchLabels + matchExpressions In / NotIn / Exists / DoesNotExist)
 * and the decisions the network rules need: does a selector match every namespace / every pod, and which namespaces
 * can a namespace selector match at most.
 *
 * "Every" is decided on a *fresh* object: a namespace (or pod) created after the policy, with a name no selector
 * mentions and no labels but the ones the API server sets. Since Kubernetes 1.22 every namespace carries
 * `kubernetes.io/metadata.name: <its name>` (set by the API server, not changeable), so a fresh namespace has exactly
 * that label; a fresh pod has none. A selector that matches the fresh object matches every object except the few it
 * names (`{}`; `Exists` on `kubernetes.io/metadata.name`; `NotIn` / `DoesNotExist` forms), and anyone allowed to create
 * a namespace or pod lands in it. A selector that does not match it has a positive requirement (matchLabels, `In`,
 * `Exists` on another key) that only objects somebody labelled can meet.
 */

/** Label every namespace carries (value: its name), set by the API server since Kubernetes 1.22. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Labels of an object. */
export type Labels = { readonly [key: string]: string };

/** Selector operators (metav1.LabelSelectorOperator). */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** One requirement of a selector; matchLabels entries are `In` with one value. */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A parsed selector: all requirements must hold. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /**
   * Why parts of the selector are invalid (the API server would reject the object). Invalid requirements are dropped:
   * they do not narrow the selector, so the decisions below err towards "matches more".
   */
  readonly problems: readonly string[];
}

/** Parse a selector value; undefined for an absent (undefined or null) selector. */
export function parseSelector(sel: unknown): Selector | undefined {
  if (sel === undefined || sel === null) return undefined;
  const requirements: Requirement[] = [];
  const problems: string[] = [];
  if (typeof sel !== 'object' || Array.isArray(sel)) return { requirements, problems: ['selector is not an object.'] };
  const { matchLabels, matchExpressions } = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) problems.push('matchLabels is not a map.');
    else {
      for (const [key, value] of Object.entries(matchLabels as object)) {
        if (typeof value !== 'string') problems.push(`matchLabels "${key}" is not a string.`);
        else requirements.push({ key, operator: 'In', values: [value] });
      }
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) problems.push('matchExpressions is not a list.');
    else {
      matchExpressions.forEach((e: any, i: number) => {
        const key = e?.key;
        const operator = e?.operator;
        const values = e?.values ?? [];
        if (typeof key !== 'string' || key === '') return problems.push(`matchExpressions[${i}] has no key.`);
        if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
          return problems.push(`matchExpressions[${i}] operator ${JSON.stringify(operator ?? null)} is not In, NotIn, Exists or DoesNotExist.`);
        }
        if (!Array.isArray(values) || values.some(v => typeof v !== 'string')) return problems.push(`matchExpressions[${i}] values are not a list of strings.`);
        const needsValues = operator === 'In' || operator === 'NotIn';
        if (needsValues && values.length === 0) return problems.push(`matchExpressions[${i}] ${operator} has no values.`);
        if (!needsValues && values.length > 0) return problems.push(`matchExpressions[${i}] ${operator} must have no values.`);
        requirements.push({ key, operator: operator as Operator, values: [...values] });
        return undefined;
      });
    }
  }
  return { requirements, problems };
}

/** Whether a requirement holds for these labels (k8s.io/apimachinery labels.Requirement.Matches). */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In': return has && r.values.includes(labels[r.key]);
    case 'NotIn': return !has || !r.values.includes(labels[r.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
  }
}

/** Whether a parsed selector matches these labels (every requirement holds; `{}` matches everything). */
export function matches(sel: Selector, labels: Labels): boolean {
  return sel.requirements.every(r => requirementMatches(r, labels));
}

/** A name no requirement of the selector mentions (for the fresh object). */
function freshName(sel: Selector): string {
  const used = new Set(sel.requirements.flatMap(r => r.values));
  let name = 'fresh';
  for (let i = 0; used.has(name); i++) name = `fresh-${i}`;
  return name;
}

/**
 * Whether a namespace selector matches every namespace but the few it names: it matches a fresh namespace (labels:
 * only `kubernetes.io/metadata.name: <a name it does not mention>`).
 */
export function matchesEveryNamespace(sel: Selector): boolean {
  return matches(sel, { [NAMESPACE_NAME_LABEL]: freshName(sel) });
}

/** Whether a pod selector matches every pod but the few it names: it matches a fresh pod (no labels). */
export function matchesEveryPod(sel: Selector): boolean {
  return matches(sel, {});
}

/** Requirements that a fresh object fails: what narrows the selector (empty when it matches every object). */
export function narrowingRequirements(sel: Selector, namespace: boolean): Requirement[] {
  const fresh: Labels = namespace ? { [NAMESPACE_NAME_LABEL]: freshName(sel) } : {};
  return sel.requirements.filter(r => !requirementMatches(r, fresh));
}

/**
 * The namespaces a namespace selector can match at most, by name, or `undefined` when unbounded (the selector does
 * not pin `kubernetes.io/metadata.name` to a list). `matchLabels: {kubernetes.io/metadata.name: kube-system}` and
 * `In [kube-system]` give {kube-system}; NotIn / DoesNotExist remove names.
 */
export function namespaceNames(sel: Selector): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const r of sel.requirements) {
    if (r.key !== NAMESPACE_NAME_LABEL) continue;
    if (r.operator === 'In') names = new Set([...r.values].filter(v => names === undefined || names.has(v)));
    if (r.operator === 'DoesNotExist') names = new Set();
  }
  if (names === undefined) return undefined;
  for (const r of sel.requirements) {
    if (r.key === NAMESPACE_NAME_LABEL && r.operator === 'NotIn') for (const v of r.values) names.delete(v);
  }
  return names;
}

/** A short text of a requirement, e.g. `kubernetes.io/metadata.name Exists` or `team NotIn [a, b]`. */
export function requirementText(r: Requirement): string {
  return `${r.key} ${r.operator}${r.values.length > 0 ? ` [${r.values.join(', ')}]` : ''}`;
}

/** Why a selector matches everything, for messages: `{}` or its requirements. */
export function selectorText(sel: Selector): string {
  return sel.requirements.length === 0 ? '{}' : `{${sel.requirements.map(requirementText).join('; ')}}`;
}

/** What a conjunction of requirements asks of one key. */
interface KeyConstraint {
  present: boolean;
  absent: boolean;
  /** Values an `In` allows (intersection of all `In` sets); undefined when no `In`. */
  allowed?: Set<string>;
  excluded: Set<string>;
}

function feasible(k: KeyConstraint): boolean {
  if (k.present && k.absent) return false;
  if (k.allowed !== undefined) return [...k.allowed].some(v => !k.excluded.has(v));
  return true;
}

/**
 * A growing conjunction of selectors that stays satisfiable: `tryAdd` adds a selector only if some object can still
 * match all of them (per key: `In` / matchLabels and `Exists` need the label, `DoesNotExist` needs it absent, `In`
 * sets intersect, `NotIn` removes values; label values are otherwise free).
 */
export class SelectorConjunction {
  private readonly keys = new Map<string, KeyConstraint>();

  /** Add the selector if the conjunction stays satisfiable; returns whether it was added. */
  public tryAdd(sel: Selector): boolean {
    const changed = new Map<string, KeyConstraint>();
    for (const r of sel.requirements) {
      const base = changed.get(r.key) ?? this.keys.get(r.key);
      const k: KeyConstraint = changed.get(r.key) ?? {
        present: base?.present ?? false, absent: base?.absent ?? false,
        allowed: base?.allowed ? new Set(base.allowed) : undefined, excluded: new Set(base?.excluded ?? []),
      };
      if (r.operator === 'In') {
        k.present = true;
        k.allowed = new Set(k.allowed === undefined ? r.values : r.values.filter(v => k.allowed!.has(v)));
      } else if (r.operator === 'Exists') k.present = true;
      else if (r.operator === 'DoesNotExist') k.absent = true;
      else for (const v of r.values) k.excluded.add(v);
      changed.set(r.key, k);
    }
    for (const k of changed.values()) if (!feasible(k)) return false;
    for (const [key, k] of changed) this.keys.set(key, k);
    return true;
  }
}

/**
 * Whether some object can carry labels that every selector matches (the selectors' requirements are jointly
 * satisfiable): e.g. two NetworkPolicies whose podSelectors can both select one pod.
 */
export function jointlySatisfiable(selectors: readonly Selector[]): boolean {
  const c = new SelectorConjunction();
  return selectors.every(s => c.tryAdd(s));
}
