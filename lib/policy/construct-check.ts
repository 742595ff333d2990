import { IConstruct } from 'constructs';
import { Catalogue } from './catalogue';
import { HardeningError } from './errors';
import { HardeningProfile } from './profile';
import { RuleContext } from './types';
import { todayUtc } from './waiver-record';

/**
 * Construct-time enforcement through the catalogue itself: evaluate one rule on a candidate object
 * built from props, and throw a HardeningError (path, field, value, rule id, fix) on the first
 * violation. Keeps construct-time errors and synth-time findings the same rule.
 */
export function assertRule(scope: IConstruct, ruleId: string, candidate: any, field: string, value: unknown): void {
  const rule = Catalogue.get(ruleId);
  const context: RuleContext = {
    settings: HardeningProfile.settingsOf(scope),
    objects: [candidate],
    rules: Catalogue.all(),
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
    fix: fix ?? Catalogue.find(ruleId)?.remediation ?? 'see docs/rules.md',
  });
}
