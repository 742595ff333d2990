import { adoptInputCrds } from '../kube/crd-shapes';
import { expandLists } from '../kube/expand';
import { guardedRule, isCatalogueRule } from './custom-rules';
import { emptyOwn, hasOwn, nullProto } from './own';
import { Finding, IRule, ObjectRef, Outcome, PolicySettings, RuleContext, RuleViolation, Severity, WaiverRecord } from './types';
import { AUDIT_MODE_LOOSENING, parseExceptions, parseWaivers, pathCovered } from './waiver-record';

/**
 * The rules and settings one object is judged with, when they differ from the run's (the synth guard judges every
 * chart of an App in one pass; objects under different HardeningProfiles get their own group).
 */
export interface EvaluationGroup {
  readonly rules: IRule[];
  readonly knownRules?: IRule[];
  readonly settings: PolicySettings;
}

/** One object to evaluate, with where it came from. */
export interface EvaluatedObject {
  readonly object: any;
  readonly ref: ObjectRef;
  /** Rules and settings for this object. Default: the run's. */
  readonly group?: EvaluationGroup;
}

export interface EvaluateOptions {
  readonly rules: IRule[];
  /** Every rule a waiver may name. Default: `rules`. */
  readonly knownRules?: IRule[];
  readonly settings: PolicySettings;
  /** Today, YYYY-MM-DD (UTC). */
  readonly today: string;
  /** Include pass and not-applicable outcomes (one entry per rule and object). Default false. */
  readonly includePassing?: boolean;
  /**
   * The caller hands the objects over and never uses them again (the CLI, the guard): an object without null-valued
   * fields is frozen in place instead of copied, which halves the memory of a large check. Default false.
   */
  readonly adopt?: boolean;
}

/** True unless the rule opts out of waivers (rules about waivers and tokens). */
export function isWaivable(rule: IRule): boolean {
  return rule.waivable !== false;
}

export function objectRefOf(obj: any, extra: Partial<ObjectRef> = {}): ObjectRef {
  return {
    apiVersion: String(obj?.apiVersion ?? ''),
    kind: String(obj?.kind ?? ''),
    name: String(obj?.metadata?.name ?? obj?.metadata?.generateName ?? ''),
    ...(obj?.metadata?.namespace ? { namespace: String(obj.metadata.namespace) } : {}),
    ...extra,
  };
}

export function ruleApplies(rule: IRule, obj: any): boolean {
  return rule.appliesTo.includes('*') || rule.appliesTo.includes(String(obj?.kind));
}

/**
 * Evaluate rules against objects. Returns every non-pass finding (fail and unevaluable; waived
 * failures carry their waiver), plus pass / not-applicable entries when `includePassing`.
 */
export function evaluate(evaluated: EvaluatedObject[], options: EvaluateOptions): Finding[] {
  const findings: Finding[] = [];
  for (const f of evaluateEach(evaluated, options)) findings.push(...f);
  return findings;
}

/**
 * `evaluate`, one object at a time: yields the findings of each object (after list expansion, in order) as it is
 * judged, so a caller can report and drop them (the CLI streams millions of findings this way). Cross-object rules
 * still see every object: the whole set is prepared before the first object is judged.
 */
export function* evaluateEach(evaluated: EvaluatedObject[], options: EvaluateOptions): Generator<Finding[]> {
  // Every item of anything kubectl reads as a list is judged as an object of its own (expand.ts).
  // The API server treats an explicit `null` field as unset: rules see objects without null-valued fields. The copies
  // are frozen, so no rule (a custom rule included) can change what the rules after it see.
  // Rules read own properties only: every object they see has no prototype, so a polluted Object.prototype cannot supply
  // a field the bytes do not hold (own.ts). Adopted objects lose their prototype in place; the others are copied.
  // Built field by field (a spread makes objects that every later read of `item.object` pays for).
  const items: EvaluatedObject[] = expandLists(evaluated).map(i => ({
    object: options.adopt ? adopt(i.object) : withoutNulls(i.object, true), ref: i.ref, group: i.group,
  }));
  const objects = items.map(i => i.object);
  adoptInputCrds(objects); // custom resources whose CRD is in the input are read by its schema (crd-shapes.ts)
  const defaultGroup: EvaluationGroup = { rules: options.rules, knownRules: options.knownRules, settings: options.settings };
  // Custom rules run guarded (custom-rules.ts): their identity frozen, an isolated context, their results copied.
  const guardedGroups = new Map<EvaluationGroup, EvaluationGroup>();
  const guardedOf = (g: EvaluationGroup): EvaluationGroup => {
    let s = guardedGroups.get(g);
    if (!s) {
      s = { rules: g.rules.map(guardedRule), ...(g.knownRules ? { knownRules: g.knownRules.map(guardedRule) } : {}), settings: g.settings };
      guardedGroups.set(g, s);
    }
    return s;
  };
  const contexts = new Map<EvaluationGroup, RuleContext>();
  const contextOf = (g: EvaluationGroup): RuleContext => {
    let c = contexts.get(g);
    if (!c) {
      c = { settings: Object.freeze(nullProto(g.settings)), objects, rules: g.rules, knownRules: g.knownRules, today: options.today };
      contexts.set(g, c);
    }
    return c;
  };
  // The rules of a group that apply to a kind, computed once per group and kind.
  const byKind = new Map<EvaluationGroup, Map<string, IRule[]>>();
  const rulesFor = (g: EvaluationGroup, obj: any): IRule[] => {
    let m = byKind.get(g);
    if (!m) byKind.set(g, m = new Map());
    const kind = String(obj?.kind);
    let list = m.get(kind);
    if (!list) m.set(kind, list = g.rules.filter(r => ruleApplies(r, obj)));
    return list;
  };
  const judge = (item: typeof items[number], only: (r: IRule) => boolean): Finding[] => {
    const findings: Finding[] = [];
    const group = guardedOf(item.group ?? defaultGroup);
    const context = contextOf(group);
    // Read on the object's first violation (most objects have none to waive).
    let waivers: WaiverRecord[] | undefined;
    let auditExceptions: ReturnType<typeof parseExceptions>['exceptions'] | undefined;
    const applicable = options.includePassing ? group.rules : rulesFor(group, item.object);
    for (const rule of applicable) {
      if (!only(rule)) continue;
      if (options.includePassing && !ruleApplies(rule, item.object)) {
        findings.push(entry(rule, item.ref, Outcome.NOT_APPLICABLE, { path: '', message: 'not applicable' }));
        continue;
      }
      let violations: RuleViolation[];
      try {
        violations = rule.check(item.object, context);
      } catch (e) {
        violations = [{ path: '', message: `rule could not evaluate this object: ${(e as Error)?.message ?? String(e)}`, unevaluable: true }];
      }
      if (violations.length === 0) {
        if (options.includePassing) findings.push(entry(rule, item.ref, Outcome.PASS, { path: '', message: 'pass' }));
        continue;
      }
      if (waivers === undefined) {
        waivers = parseWaivers(item.object).waivers;
        const exceptions = parseExceptions(item.object).exceptions; // most objects have none: no filter then
        auditExceptions = exceptions.length === 0 ? exceptions
          : exceptions.filter(e => e.loosens.includes(AUDIT_MODE_LOOSENING) && e.expires >= options.today);
      }
      for (const v of violations) {
        const outcome = v.unevaluable ? Outcome.UNEVALUABLE : Outcome.FAIL;
        let waiver: WaiverRecord | undefined = outcome === Outcome.FAIL && isWaivable(rule)
          ? waivers!.find(w => w.ruleId === rule.id && pathCovered(v.path, w.path) && w.expires >= options.today)
          : undefined;
        if (!waiver && outcome === Outcome.FAIL && isWaivable(rule) && auditExceptions!.length > 0) {
          // An audit-mode profile exception covers every waivable finding of the objects it governs, on its record.
          const e = auditExceptions![0];
          waiver = { ruleId: rule.id, reason: `profile exception of ${e.scope} (${e.loosens.join(', ')}): ${e.reason}`, owner: e.owner, expires: e.expires };
        }
        findings.push(entry(rule, item.ref, outcome, v, waiver));
      }
    }
    return findings;
  };
  // Once per distinct group (the CLI judges millions of objects under one group).
  const groups = new Set<EvaluationGroup>([defaultGroup]);
  for (const i of items) if (i.group) groups.add(i.group);
  const hasCustom = [...groups].some(g => g.rules.some(r => !isCatalogueRule(r)));
  if (!hasCustom) {
    for (const item of items) yield judge(item, () => true);
    return;
  }
  // Custom rules can only add findings: the catalogue's findings of every object are fixed before any custom rule runs.
  const catalogueFindings = items.map(item => judge(item, isCatalogueRule));
  for (let i = 0; i < items.length; i++) {
    yield [...catalogueFindings[i], ...judge(items[i], r => !isCatalogueRule(r))];
    catalogueFindings[i] = [];
  }
}

function entry(rule: IRule, ref: ObjectRef, outcome: Outcome, v: RuleViolation, waiver?: Finding['waiver']): Finding {
  const f: { -readonly [K in keyof Finding]: Finding[K] } = {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    stride: rule.stride,
    outcome,
    object: ref,
    path: v.path,
    message: v.message,
    remediation: rule.remediation,
  };
  // Added last, only when there is one (no spread of a fresh object per finding).
  if (waiver) f.waiver = waiver;
  return f;
}

/** Findings that block: failing or unevaluable error-severity findings without a waiver. */
export function blocking(findings: Finding[]): Finding[] {
  return findings.filter(isBlocking);
}

/** True for a finding that blocks: a failing or unevaluable error without a waiver. */
export function isBlocking(f: Finding): boolean {
  // Own properties only: an inherited `waiver` (a polluted Object.prototype) waives nothing.
  return f.severity === Severity.ERROR && !hasOwn(f, 'waiver') && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE);
}

/** One line per finding: object, path, rule id, message, fix (and output file and document unless `withFile: false`). */
export function formatFinding(f: Finding, options: { withFile?: boolean } = {}): string {
  const o = f.object;
  // Built by concatenation (no intermediate arrays): the CLI formats millions of these.
  let where = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  if (o.constructPath) where += ` (construct ${o.constructPath})`;
  // The CLI prints `file:line:column:` before each finding already (withFile: false).
  if (o.file && options.withFile !== false) where += ` (${o.file}${o.documentIndex !== undefined ? ` doc ${o.documentIndex}` : ''})`;
  if (o.listItem) where += ` (list ${o.listItem})`;
  else if (o.listItem === '') where += ' (list)';
  const outcome = f.outcome === Outcome.UNEVALUABLE ? ' [unevaluable]' : '';
  return `${where} at ${f.path || '<object>'}: ${f.ruleId}${outcome} — ${f.message} Fix: ${f.remediation}`;
}

/** True if an object field anywhere in `value` is null, or a `__proto__` key is present (both need a copy). */
function hasNull(value: any): boolean {
  if (Array.isArray(value)) return value.some(hasNull);
  if (value === null || typeof value !== 'object') return false;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return true;
  for (const k in value) {
    if (k === '__proto__' || !Object.prototype.hasOwnProperty.call(value, k)) return true;
    const v = value[k];
    if (v === null || hasNull(v)) return true;
  }
  return Object.prototype.hasOwnProperty.call(value, '__proto__');
}

/**
 * Freeze `value` and everything it holds, in place. An object that is frozen already is still descended into: a
 * shallow `Object.freeze` by someone else must not leave what it holds mutable.
 */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    Object.freeze(value);
    for (const k of Object.keys(value)) deepFreeze((value as any)[k], seen);
  }
  return value;
}

/**
 * True when `value` can be judged in place: no null-valued field, no `__proto__` key, and every object plain and either
 * without a prototype or not frozen yet (so freezeOwn can take its prototype away).
 */
function adoptable(value: any): boolean {
  if (hasNull(value)) return false;
  const walk = (v: any): boolean => {
    if (Array.isArray(v)) return v.every(walk);
    if (v === null || typeof v !== 'object') return true;
    if (Object.getPrototypeOf(v) !== null && Object.isFrozen(v)) return false;
    for (const k of Object.keys(v)) if (!walk(v[k])) return false;
    return true;
  };
  return walk(value);
}

/**
 * `value` judged in place when it can be (adoptable: frozen, without prototypes, by freezeOwn), else a frozen copy
 * without nulls (withoutNulls). The common case — a tree fresh from the YAML reader: plain objects, nothing frozen, no
 * null field, no `__proto__` key — is adopted in one pass (adoptTree); anything else takes the general path, which
 * gives the same result from a partly adopted tree as from the original.
 */
function adopt(value: any): any {
  if (OWN_FROZEN.has(value)) return value; // made by ownFrozenCopy: what the walks below would give, without them
  if (!prototypePolluted() && adoptTree(value)) return value;
  return adoptable(value) ? freezeOwn(value) : withoutNulls(value, true);
}

/** Roots of trees made by ownFrozenCopy that the engine judges as they are (no null field, no `__proto__` key). */
const OWN_FROZEN = new WeakSet<object>();
let copyHasNullOrProtoKey = false;

function frozenCopy(value: any): any {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenItem));
  if (value === null || typeof value !== 'object') return value;
  const out = emptyOwn(); // see own.ts emptyOwn: fast to read once filled
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === null || k === '__proto__') copyHasNullOrProtoKey = true;
    // On an object without a prototype, `out.__proto__ = v` creates an own property (there is no inherited setter).
    out[k] = frozenCopy(v);
  }
  return Object.freeze(out);
}

function frozenItem(value: any): any {
  return frozenCopy(value);
}

/**
 * own.ts `nullProto(value)` (a deep copy whose objects have no prototype, null values and `__proto__` keys kept as
 * data), frozen, in one pass. When it holds no null-valued field and no `__proto__` key it is exactly what the
 * engine's adoption would make of it, and the engine judges it without walking it again (the CLI copies every object
 * it reads this way).
 */
export function ownFrozenCopy(value: any): any {
  copyHasNullOrProtoKey = false;
  const copy = frozenCopy(value);
  if (!copyHasNullOrProtoKey && copy !== null && typeof copy === 'object') OWN_FROZEN.add(copy);
  return copy;
}

/**
 * `value` as it is, for a caller that guarantees what ownFrozenCopy would have made of it: every map without a prototype
 * and without a `__proto__` key, no null-valued field, everything frozen (the block scanner's `own` reading,
 * LoadedObject.ownFrozen). The engine then judges it without walking or copying it.
 */
export function adoptOwnFrozen(value: any): any {
  if (value !== null && typeof value === 'object') OWN_FROZEN.add(value);
  return value;
}

/** True when Object.prototype has an enumerable property (`for...in` over a plain object would list it). */
function prototypePolluted(): boolean {
  return Object.keys(Object.prototype).length > 0;
}

/**
 * One pass of adoptable + freezeOwn for a plain tree: takes prototypes away and freezes, depth first, and answers
 * false (leaving the rest to the general path) at the first object that is frozen already, has another prototype, a
 * null field or an own `__proto__` key. Callers check prototypePolluted first (`for...in` then lists own keys only).
 */
function adoptTree(v: any): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Object.isFrozen(v)) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!adoptTree(v[i])) return false;
    Object.freeze(v);
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return false;
  for (const k in v) {
    const x = v[k];
    if (x === null || !adoptTree(x)) return false;
  }
  if (proto !== null) Object.setPrototypeOf(v, null);
  Object.freeze(v);
  return true;
}

/**
 * Take the prototype of every plain object in `value` away and freeze everything, in place (objects that are already
 * frozen keep theirs; callers check `adoptable` first when that matters). Returns `value`.
 */
export function freezeOwn<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    if (!Array.isArray(value) && !Object.isFrozen(value) && Object.getPrototypeOf(value) === Object.prototype) Object.setPrototypeOf(value, null);
    Object.freeze(value);
    for (const k of Object.keys(value)) freezeOwn((value as any)[k], seen);
  }
  return value;
}

/** A copy of `value` without null-valued object fields (array elements keep their positions, so JSON paths hold). */
export function withoutNulls(value: any, freeze = false): any {
  if (Array.isArray(value)) {
    const arr = value.map(v => withoutNulls(v, freeze));
    return freeze ? Object.freeze(arr) : arr;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: { [k: string]: any } = emptyOwn(); // not Object.create(null): see emptyOwn
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    // A `__proto__` key read from YAML/JSON is data, never the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: withoutNulls(v, freeze), enumerable: true, writable: true, configurable: true });
    else out[k] = withoutNulls(v, freeze);
  }
  return freeze ? Object.freeze(out) : out;
}
