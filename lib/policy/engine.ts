import { expandLists } from './expand';
import { parseWaivers, pathCovered } from './waiver-record';
import { Finding, IRule, ObjectRef, Outcome, PolicySettings, RuleContext, RuleViolation, Severity } from './types';

/** One object to evaluate, with where it came from. */
export interface EvaluatedObject {
  readonly object: any;
  readonly ref: ObjectRef;
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
  // Every item of anything kubectl reads as a list is judged as an object of its own (expand.ts).
  // The API server treats an explicit `null` field as unset: rules see objects without null-valued fields.
  const items = expandLists(evaluated).map(i => ({ ...i, object: withoutNulls(i.object) }));
  const context: RuleContext = {
    settings: options.settings,
    objects: items.map(i => i.object),
    rules: options.rules,
    knownRules: options.knownRules,
    today: options.today,
  };
  const findings: Finding[] = [];
  for (const item of items) {
    const { waivers } = parseWaivers(item.object);
    for (const rule of options.rules) {
      if (!ruleApplies(rule, item.object)) {
        if (options.includePassing) findings.push(entry(rule, item.ref, Outcome.NOT_APPLICABLE, { path: '', message: 'not applicable' }));
        continue;
      }
      let violations: RuleViolation[];
      try {
        violations = rule.check(item.object, context);
      } catch (e) {
        violations = [{ path: '', message: `rule could not evaluate this object: ${(e as Error).message}`, unevaluable: true }];
      }
      if (violations.length === 0) {
        if (options.includePassing) findings.push(entry(rule, item.ref, Outcome.PASS, { path: '', message: 'pass' }));
        continue;
      }
      for (const v of violations) {
        const outcome = v.unevaluable ? Outcome.UNEVALUABLE : Outcome.FAIL;
        const waiver = outcome === Outcome.FAIL && isWaivable(rule)
          ? waivers.find(w => w.ruleId === rule.id && pathCovered(v.path, w.path) && w.expires >= options.today)
          : undefined;
        findings.push(entry(rule, item.ref, outcome, v, waiver));
      }
    }
  }
  return findings;
}

function entry(rule: IRule, ref: ObjectRef, outcome: Outcome, v: RuleViolation, waiver?: Finding['waiver']): Finding {
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    stride: rule.stride,
    outcome,
    object: ref,
    path: v.path,
    message: v.message,
    remediation: rule.remediation,
    ...(waiver ? { waiver } : {}),
  };
}

/** Findings that block: failing or unevaluable error-severity findings without a waiver. */
export function blocking(findings: Finding[]): Finding[] {
  return findings.filter(f => f.severity === Severity.ERROR && !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
}

/** One line per finding: object, path, rule id, message, fix. */
export function formatFinding(f: Finding): string {
  const o = f.object;
  const where = [
    `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
    o.constructPath ? `(construct ${o.constructPath})` : '',
    o.file ? `(${o.file}${o.documentIndex !== undefined ? ` doc ${o.documentIndex}` : ''})` : '',
    o.listItem ? `(list ${o.listItem})` : o.listItem === '' ? '(list)' : '',
  ].filter(Boolean).join(' ');
  const outcome = f.outcome === Outcome.UNEVALUABLE ? ' [unevaluable]' : '';
  return `${where} at ${f.path || '<object>'}: ${f.ruleId}${outcome} — ${f.message} Fix: ${f.remediation}`;
}

/** A copy of `value` without null-valued object fields (array elements keep their positions, so JSON paths hold). */
export function withoutNulls(value: any): any {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: { [k: string]: any } = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null) out[k] = withoutNulls(v);
  }
  return out;
}
