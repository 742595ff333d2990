/**
 * Custom rules (a HardeningProfile's `customRules`) can only add findings. They are code a platform team ships, and
 * the engine runs them in the same pass as the catalogue, so everything they are handed is isolated from what the
 * catalogue's rules use:
 *
 * - the catalogue's findings of every object are computed before any custom rule runs (engine.ts);
 * - a custom rule sees its own frozen copy of the evaluated set, rules and settings, never the arrays the catalogue
 *   rules and their caches are keyed by (pushing a NetworkPolicy into `context.objects`, emptying `context.rules` or
 *   poisoning an `objectsIn` index of the set changes nothing the catalogue sees);
 * - its identity (id, severity, kinds) is read once, when it is first evaluated; an id of the catalogue fails
 *   synthesis, so a finding under a catalogue id always comes from the catalogue rule;
 * - what it returns is copied into fresh violation records.
 *
 * What stays out of reach of any library: code that monkey-patches modules or globals of the process. `check` and
 * the validation plugin run only the catalogue, and the admission policies run in the cluster; both stay independent
 * backstops.
 */
import { memo, ObjectMemo } from '../kube/cache';
import { Catalogue } from './catalogue';
import { IRule, RuleContext, RuleViolation } from './types';

/**
 * The catalogue's own rule objects and ids, read from the catalogue itself (imported above, never filled in by
 * another module): whoever loads this module — profile validation, the engine — knows every built-in rule, whatever
 * else was or was not imported before it. Computed on first use; the catalogue is frozen, so it lives for the process.
 */
const builtIns = memo.once(() => {
  const rules = Catalogue.all();
  return { rules: new Set<IRule>(rules), ids: new Set<string>(rules.map(r => r.id)) };
});

/** Catalogue rules re-rated by `catalogueRuleAtSeverity` (each created on request, told apart by identity). */
const RE_RATED = new WeakSet<IRule>();

/**
 * Whether `id` is the id of a catalogue rule. A custom rule may not take one (HardeningProfile refuses it, and the
 * engine refuses a custom rule that reports one when it is evaluated).
 */
export function isBuiltInRuleId(id: unknown): boolean {
  return typeof id === 'string' && builtIns().ids.has(id);
}

/**
 * A catalogue rule judged at another severity (`check`'s severityOverrides): the same rule object underneath (its
 * check, kinds and id through the prototype), registered as a catalogue rule, so it is never taken for a custom rule
 * that reuses a catalogue id. Only a catalogue rule can be re-rated.
 */
export function catalogueRuleAtSeverity(rule: IRule, severity: string): IRule {
  if (!isCatalogueRule(rule)) throw new Error(`cdk8s-hardened: "${rule.id}" is not a catalogue rule object; only the catalogue's rules can be re-rated`);
  // An error is never lowered (the CLI's selection refuses it too): a re-rated copy must not be a way to silence one.
  if (rule.severity === 'error' && severity !== 'error') throw new Error(`cdk8s-hardened: "${rule.id}" is an error and cannot be lowered to ${severity}`);
  const derived = Object.freeze(Object.create(rule, { severity: { value: severity, enumerable: true } })) as IRule;
  RE_RATED.add(derived);
  return derived;
}

/** True for a rule object of the catalogue (by identity, not by id). */
export function isCatalogueRule(rule: IRule): boolean {
  return builtIns().rules.has(rule) || RE_RATED.has(rule);
}

const GUARDED = new ObjectMemo<IRule, IRule>();
const ISOLATED = new ObjectMemo<RuleContext, RuleContext>();

/** The context a custom rule sees: frozen copies, never the catalogue's own arrays. */
function isolatedContext(ctx: RuleContext): RuleContext {
  let c = ISOLATED.get(ctx);
  if (!c) {
    c = Object.freeze({
      settings: Object.freeze({ ...ctx.settings, allowedRegistries: Object.freeze([...ctx.settings.allowedRegistries]) as string[] }),
      objects: Object.freeze([...ctx.objects]) as any[],
      rules: Object.freeze([...ctx.rules]) as IRule[],
      ...(ctx.knownRules ? { knownRules: Object.freeze([...ctx.knownRules]) as IRule[] } : {}),
      today: ctx.today,
    });
    ISOLATED.set(ctx, c);
  }
  return c;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(x => String(x)) : []);

/**
 * A custom rule as the engine runs it: its identity read once and frozen, its check handed an isolated context, its
 * result copied. A catalogue rule is returned as is.
 */
export function guardedRule(rule: IRule): IRule {
  if (isCatalogueRule(rule)) return rule;
  const cached = GUARDED.get(rule);
  if (cached) return cached;
  const id = String(rule.id);
  if (isBuiltInRuleId(id)) {
    throw new Error(`cdk8s-hardened: a custom rule has the id of the catalogue rule "${id}" (read when it was evaluated); ` +
      'a custom rule adds to the catalogue and can never replace or disable one. Fix: give it an id of its own.');
  }
  const check = rule.check;
  const guarded: IRule = Object.freeze({
    id,
    title: String(rule.title),
    stride: Object.freeze([...(rule.stride ?? [])]) as any,
    severity: rule.severity,
    appliesTo: Object.freeze(strings(rule.appliesTo)) as string[],
    description: String(rule.description),
    remediation: String(rule.remediation),
    references: Object.freeze(strings(rule.references)) as string[],
    ...(rule.pssLevel !== undefined ? { pssLevel: rule.pssLevel } : {}),
    ...(rule.waivable !== undefined ? { waivable: rule.waivable === true } : {}),
    check(obj: any, ctx: RuleContext): RuleViolation[] {
      const result = check.call(rule, obj, isolatedContext(ctx));
      if (!Array.isArray(result)) throw new Error(`custom rule ${id} returned ${typeof result}, not a list of violations`);
      return result.map(v => ({
        path: String(v?.path ?? ''),
        message: String(v?.message ?? ''),
        ...(v?.unevaluable === true ? { unevaluable: true } : {}),
      }));
    },
  });
  GUARDED.set(rule, guarded);
  return guarded;
}
