import { IConstruct } from 'constructs';
import { memo } from '../kube/cache';
import { Catalogue } from './catalogue';
import { HardeningError } from './errors';
import { HardeningProfile } from './profile';
import { IRule, PolicySettings, RuleContext } from './types';
import { todayUtc } from './waiver-record';

/** The catalogue as a list and by id, built once: constructs evaluate rules thousands of times per app. */
const catalogue = memo.once((): { readonly all: IRule[]; readonly byId: Map<string, IRule> } => {
  const all = Catalogue.all();
  return { all, byId: new Map(all.map(r => [r.id, r])) };
});

/**
 * Construct-time enforcement through the catalogue itself: evaluate one rule on a candidate object
 * built from props, and throw a HardeningError (path, field, value, rule id, fix) on the first
 * violation. Keeps construct-time errors and synth-time findings the same rule.
 *
 * `settings` are the profile settings of `scope` (`HardeningProfile.settingsOf(scope)`); a construct that checks
 * several props resolves them once and passes them to every call. Default: resolved here.
 */
export function assertRule(scope: IConstruct, ruleId: string, candidate: any, field: string, value: unknown, settings?: PolicySettings): void {
  const { all, byId } = catalogue();
  const rule = byId.get(ruleId) ?? Catalogue.get(ruleId);
  const context: RuleContext = {
    settings: settings ?? HardeningProfile.settingsOf(scope),
    objects: [candidate],
    rules: all,
    today: todayUtc(),
  };
  const violations = rule.check(candidate, context).filter(v => !v.unevaluable);
  if (violations.length > 0) {
    throw new HardeningError({
      path: scope.node.path,
      field,
      value,
      ruleId,
      message: violations[0].message,
      fix: rule.remediation,
    });
  }
}

/** Throw a HardeningError for a prop that fails a structural check tied to a catalogue rule. */
export function fail(scope: IConstruct, ruleId: string, field: string, value: unknown, message: string, fix?: string): never {
  throw new HardeningError({
    path: scope.node.path,
    field,
    value,
    ruleId,
    message,
    fix: fix ?? catalogue().byId.get(ruleId)?.remediation ?? 'see docs/rules.md',
  });
}
