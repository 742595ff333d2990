import { Catalogue } from '../policy/catalogue';
import { catalogueRuleAtSeverity } from '../policy/custom-rules';
import { isWaivable } from '../policy/engine';
import { IRule, Severity } from '../policy/types';
import { MIN_WAIVER_REASON } from '../policy/waiver-record';
import { InputError } from './input';

/** A rule left out of a run, with the reason (config `exclude`, `--exclude rule=reason`, plugin `exclude`). */
export interface RuleExclusion {
  /** Rule id. */
  readonly rule: string;
  /** Why the rule does not apply to these manifests; at least 20 characters (as a waiver's reason). */
  readonly reason: string;
}

/** Severities, lowest first. */
export const SEVERITY_ORDER: readonly Severity[] = [Severity.INFO, Severity.WARNING, Severity.ERROR];

export function severityRank(s: Severity | string): number {
  return SEVERITY_ORDER.indexOf(s as Severity);
}

export function parseSeverity(v: unknown, where: string): Severity {
  if (v === Severity.ERROR || v === Severity.WARNING || v === Severity.INFO) return v;
  throw new InputError(where, undefined, `${JSON.stringify(v)} is not a severity (error | warning | info)`);
}

/** What a rule selection may do, and why the rest is refused (see docs/guides/cli.md, "Rules and severities"). */
export interface RuleSelection {
  /** Only these rules (plus the rules that cannot be waived). @default - every rule of the level */
  readonly include?: readonly string[];
  readonly exclude?: readonly RuleExclusion[];
  /** Rule id -> severity. */
  readonly severityOverrides?: { readonly [rule: string]: string };
  /** Where the selection came from, for error messages (config file, flag). */
  readonly source?: string;
}

function known(id: string, where: string): IRule {
  const rule = Catalogue.find(id);
  if (!rule) {
    const near = Catalogue.all().map(r => r.id).filter(r => r.includes(id) || id.includes(r));
    throw new InputError(where, undefined, `unknown rule "${id}"${near.length ? ` (did you mean ${near.slice(0, 5).join(', ')}?)` : ''}; \`cdk8s-hardened rules\` lists them`);
  }
  return rule;
}

/**
 * Apply include / exclude / severity overrides to the rules of a run.
 *
 * - The rules that cannot be waived (waiver integrity, unresolved tokens) can be neither excluded nor overridden:
 *   an exception must never be able to switch off the checks of exceptions.
 * - Every exclusion needs a reason of at least 20 characters.
 * - A severity may be raised (info -> warning -> error) and moved between the non-blocking severities (warning <->
 *   info); an `error` rule can never be lowered: an accepted risk is an exclusion with a reason or a waiver with an
 *   owner and an expiry, not a silent downgrade.
 */
export function selectRules(base: IRule[], sel: RuleSelection): IRule[] {
  const where = sel.source ?? 'rules';
  let rules = base;
  if (sel.include && sel.include.length > 0) {
    const ids = new Set(sel.include.map(id => known(id, `${where}: include`).id));
    rules = rules.filter(r => ids.has(r.id) || !isWaivable(r));
  }
  if (sel.exclude && sel.exclude.length > 0) {
    const out = new Set<string>();
    for (const e of sel.exclude) {
      const rule = known(e.rule, `${where}: exclude`);
      if (!isWaivable(rule)) {
        throw new InputError(`${where}: exclude`, undefined, `rule "${rule.id}" cannot be excluded: it checks waivers and unresolved values, which no exception may switch off`);
      }
      if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_WAIVER_REASON) {
        throw new InputError(`${where}: exclude`, undefined, `excluding "${rule.id}" needs a reason of at least ${MIN_WAIVER_REASON} characters (got ${JSON.stringify(e.reason ?? '')})`);
      }
      out.add(rule.id);
    }
    rules = rules.filter(r => !out.has(r.id));
  }
  const overrides = sel.severityOverrides ?? {};
  const ids = Object.keys(overrides);
  if (ids.length > 0) {
    const to = new Map<string, Severity>();
    for (const id of ids) {
      const rule = known(id, `${where}: severityOverrides`);
      const sev = parseSeverity(overrides[id], `${where}: severityOverrides.${id}`);
      if (!isWaivable(rule)) {
        throw new InputError(`${where}: severityOverrides`, undefined, `the severity of "${rule.id}" cannot be changed: it checks waivers and unresolved values`);
      }
      if (rule.severity === Severity.ERROR && sev !== Severity.ERROR) {
        throw new InputError(`${where}: severityOverrides`, undefined,
          `"${rule.id}" is an error and cannot be lowered to ${sev}; exclude it with a reason (exclude: [{ rule: ${rule.id}, reason: ... }]) or waive the findings you accept`);
      }
      to.set(rule.id, sev);
    }
    rules = rules.map(r => {
      const sev = to.get(r.id);
      if (sev === undefined || sev === r.severity) return r;
      // The rule itself (check, appliesTo, ...) through the prototype; only the severity differs.
      return catalogueRuleAtSeverity(r, sev);
    });
  }
  return rules;
}

/** `rule=reason` (flag form of an exclusion). */
export function parseExclusionFlag(v: string): RuleExclusion {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new InputError('--exclude', undefined, `"${v}" must be RULE=REASON, e.g. --exclude "namespace-required=vendor chart installs into the release namespace"`);
  return { rule: v.slice(0, eq).trim(), reason: v.slice(eq + 1).trim() };
}

/** `rule=severity` (flag form of a severity override). */
export function parseOverrideFlag(v: string): [string, string] {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new InputError('--severity-overrides', undefined, `"${v}" must be RULE=SEVERITY, e.g. --severity-overrides service-type-loadbalancer=error`);
  return [v.slice(0, eq).trim(), v.slice(eq + 1).trim()];
}
