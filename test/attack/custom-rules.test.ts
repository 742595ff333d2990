/**
 * Class 3 of issue #30: a profile's custom rule can only add findings. Whatever it does with what it is handed (the
 * evaluated set, the rule list, the settings, the shared indexes, its own identity) a catalogue finding stays.
 */
import { ApiObject, App } from 'cdk8s';
import { HardenedChart, HardeningProfile, IRule, Severity, Stride } from '../../lib';
import { objectsIn, podSpecsOf } from '../../lib/kube/manifest';
import { Catalogue } from '../../lib/policy/catalogue';
import { catalogueRuleAtSeverity, isCatalogueRule } from '../../lib/policy/custom-rules';

const DIGEST = 'sha256:' + 'a'.repeat(64);
const PRIVILEGED = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root', namespace: 'shop' },
  spec: { containers: [{ name: 'c', image: `registry.example.com/c@${DIGEST}`, securityContext: { privileged: true } }] },
};
const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a-first', namespace: 'shop' }, data: { a: 'b' } };

const base = { title: 'A custom rule of the platform team', stride: [Stride.TAMPERING], severity: Severity.WARNING, description: 'A custom rule that tries to switch the catalogue off.', remediation: 'Do not do that.', references: ['issue #30'] };

/** Synthesize a ConfigMap then a privileged Pod under a profile with `rule`; the error message ('' when it passes). */
function synthWith(rule: IRule, objects: any[] = [CONFIGMAP, PRIVILEGED]): string {
  const app = new App();
  new HardeningProfile(app, 'p', { customRules: [rule] });
  const chart = new HardenedChart(app, 'c');
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, JSON.parse(JSON.stringify(o))));
  try {
    app.synthYaml();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('a custom rule cannot remove or pass a catalogue finding', () => {
  const attacks: [string, IRule][] = [
    ['empties context.rules', { ...base, id: 'empty-rules', appliesTo: ['*'], check: (_o, ctx) => { try { (ctx.rules as any).length = 0; } catch { /* frozen */ } return []; } }],
    ['splices every catalogue rule out of context.rules', { ...base, id: 'splice-rules', appliesTo: ['*'], check: (_o, ctx) => { try { ctx.rules.splice(0, ctx.rules.length - 1); } catch { /* frozen */ } return []; } }],
    ['replaces the check of a rule in context.rules', {
      ...base, id: 'swap-check', appliesTo: ['*'],
      check: (_o, ctx) => {
        for (let i = 0; i < ctx.rules.length; i++) {
          try { (ctx.rules as any)[i] = { ...ctx.rules[i], check: () => [] }; } catch { /* frozen */ }
        }
        return [];
      },
    }],
    ['loosens context.settings', { ...base, id: 'loosen-settings', appliesTo: ['*'], check: (_o, ctx) => { try { (ctx.settings as any).requireDigest = false; } catch { /* frozen */ } return []; } }],
    ['pushes objects into context.objects', {
      ...base, id: 'push-objects', appliesTo: ['*'],
      check: (_o, ctx) => { try { ctx.objects.push({ kind: 'Pod', metadata: { name: 'x' } }); ctx.objects.length = 0; } catch { /* frozen */ } return []; },
    }],
    ['poisons the objectsIn index of the set', {
      ...base, id: 'poison-index', appliesTo: ['*'],
      check: (_o, ctx) => { try { objectsIn(ctx.objects, 'Pod', 'shop').length = 0; } catch { /* frozen */ } return []; },
    }],
    ['empties the memoized pod specs of the object', {
      ...base, id: 'poison-memo', appliesTo: ['*'],
      check: (o, ctx) => {
        for (const x of ctx.objects) {
          try { podSpecsOf(x).length = 0; } catch { /* frozen */ }
        }
        try { podSpecsOf(o).length = 0; } catch { /* frozen */ }
        return [];
      },
    }],
    ['mutates the object it judges', { ...base, id: 'mutate-object', appliesTo: ['*'], check: o => { try { o.spec.containers[0].securityContext.privileged = false; } catch { /* frozen */ } return []; } }],
  ];
  test.each(attacks)('%s', (_, rule) => {
    expect(synthWith(rule)).toContain(': privileged-container ');
    // The Pod before the ConfigMap too (the custom rule runs on a later object then).
    expect(synthWith(rule, [PRIVILEGED, CONFIGMAP])).toContain(': privileged-container ');
  });

  test('an id that turns into a catalogue id after the profile checked it fails synthesis', () => {
    let reads = 0;
    const rule: IRule = { ...base, appliesTo: ['Pod'], check: () => [], get id() { reads++; return reads <= 1 ? 'harmless' : 'privileged-container'; } } as any;
    const msg = synthWith(rule);
    expect(msg).toMatch(/custom rule has the id of the catalogue rule "privileged-container"/);
  });

  test('a custom rule whose waiver is judged (waiver-unused runs its check) cannot reach the catalogue\'s set either', () => {
    const rule: IRule = {
      ...base, id: 'sneaky', appliesTo: ['*'],
      check: (_o, ctx) => { try { (ctx.objects as any).length = 0; (ctx.rules as any).length = 0; } catch { /* frozen */ } return [{ path: 'metadata', message: 'always' }]; },
    };
    const waived = { ...CONFIGMAP, metadata: { ...CONFIGMAP.metadata, annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: 'sneaky', reason: 'the waiver makes waiver-unused run the rule', owner: 'team', expires: '2099-01-01' }]) } } };
    expect(synthWith(rule, [waived, PRIVILEGED])).toContain(': privileged-container ');
  });

  test('a custom rule still adds its findings (and they block at error severity)', () => {
    const rule: IRule = { ...base, id: 'team-label', severity: Severity.ERROR, appliesTo: ['ConfigMap'], check: () => [{ path: 'metadata.labels', message: 'no team label.' }] };
    const msg = synthWith(rule, [CONFIGMAP]);
    expect(msg).toContain(': team-label — no team label.');
  });

  test('a re-rated catalogue rule (what check\'s severityOverrides build) cannot lower an error, nor re-rate a custom rule', () => {
    const priv = Catalogue.find('privileged-container')!;
    expect(() => catalogueRuleAtSeverity(priv, Severity.WARNING)).toThrow(/is an error and cannot be lowered to warning/);
    expect(() => catalogueRuleAtSeverity({ ...priv }, Severity.ERROR)).toThrow(/is not a catalogue rule object/);
    // Raising stays possible, and the raised rule is still the catalogue's rule underneath (same check, same id).
    const warn = Catalogue.all().find(r => r.severity === Severity.WARNING)!;
    const raised = catalogueRuleAtSeverity(warn, Severity.ERROR);
    expect([raised.id, raised.severity, raised.check === warn.check, isCatalogueRule(raised)]).toEqual([warn.id, Severity.ERROR, true, true]);
    // Handed to a profile as a custom rule, a re-rated catalogue rule is refused like any rule with a catalogue id.
    expect(() => synthWith(catalogueRuleAtSeverity(priv, Severity.ERROR))).toThrow(/customRules="privileged-container" violates waiver-invalid: has the id of a rule that already exists/);
  });
});
