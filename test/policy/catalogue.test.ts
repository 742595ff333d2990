/**
 * Catalogue meta-test: every rule is complete, has a failing and a passing fixture that behave as
 * claimed, is enforced on escape hatches (raw ApiObject in a guarded chart) and can be waived; and
 * docs/rules.md is in sync.
 *
 * Fixtures: test/fixtures/rules/<rule-id>/pass*.yaml and fail*.yaml (multi-document YAML allowed for
 * cross-object rules; the documents are evaluated together). An optional settings.json next to them
 * overrides policy settings (e.g. allowedRegistries) for that rule's fixtures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { Catalogue, Guard, HardenedChart, HardeningProfile, Outcome, PolicySettings, Severity, Stride, Waiver } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { rulesMarkdown } from '../../scripts/rules-doc';
import { daysFromNow, synth, synthError } from '../util/synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const rules = Catalogue.all();
const today = new Date().toISOString().slice(0, 10);

function loadDocs(file: string): any[] {
  // `${DAYS_FROM_NOW:n}` in a fixture becomes the date n days from today (for waiver expiry fixtures).
  const text = fs.readFileSync(file, 'utf-8').replace(/\$\{DAYS_FROM_NOW:(-?\d+)\}/g, (_, n) => daysFromNow(Number(n)));
  return YAML.parseAllDocuments(text).map(d => d.toJSON()).filter(Boolean);
}

function settingsFor(ruleId: string): PolicySettings {
  const f = path.join(FIXTURES, ruleId, 'settings.json');
  const base: PolicySettings = {
    allowedRegistries: DEFAULT_PROFILE.allowedRegistries,
    requireDigest: DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion,
    maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
  return fs.existsSync(f) ? { ...base, ...JSON.parse(fs.readFileSync(f, 'utf-8')) } : base;
}

function fixtures(ruleId: string, kind: 'pass' | 'fail'): string[] {
  const dir = path.join(FIXTURES, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(f => f.startsWith(kind) && /\.ya?ml$/.test(f)).map(f => path.join(dir, f));
}

function outcomesOf(ruleId: string, docs: any[]) {
  const rule = Catalogue.get(ruleId);
  // Meta rules look up other rules through the context, so they see the whole catalogue.
  return evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), {
    rules: rule.waivable === false ? rules : [rule], settings: settingsFor(ruleId), today,
  }).filter(f => f.ruleId === ruleId);
}

test('rule ids are unique and kebab-case', () => {
  const ids = rules.map(r => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
});

describe.each(rules.map(r => [r.id, r]))('rule %s', (id, rule) => {
  test('is complete', () => {
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.description.length).toBeGreaterThan(40);
    expect(rule.remediation.length).toBeGreaterThan(20);
    expect(rule.references.length).toBeGreaterThan(0);
    expect(rule.stride.length).toBeGreaterThan(0);
    for (const s of rule.stride) expect(Object.values(Stride)).toContain(s);
    expect(Object.values(Severity)).toContain(rule.severity);
    expect(rule.appliesTo.length).toBeGreaterThan(0);
  });

  test('has failing fixtures that fail', () => {
    const files = fixtures(id, 'fail');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const fails = outcomesOf(id, loadDocs(f)).filter(x => x.outcome === Outcome.FAIL);
      if (fails.length === 0) throw new Error(`${path.relative(FIXTURES, f)}: expected ${id} to fail`);
      for (const x of fails) expect(x.path).not.toBe('');
    }
  });

  test('has passing fixtures that pass', () => {
    const files = fixtures(id, 'pass');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bad = outcomesOf(id, loadDocs(f)).filter(x => x.outcome !== Outcome.PASS && x.outcome !== Outcome.NOT_APPLICABLE);
      if (bad.length > 0) throw new Error(`${path.relative(FIXTURES, f)}: expected ${id} to pass, got ${JSON.stringify(bad.map(b => b.message))}`);
    }
  });

  // Escape hatch: the failing fixture as raw ApiObjects in a guarded chart fails synth naming the rule,
  // and (for waivable rules) a waiver per violating object lets that rule's findings through.
  // Rules about waivers and tokens cannot be waived; their behaviour is covered by guard.test.ts.
  const waivable = rule.waivable !== false;
  if (waivable && rule.severity !== Severity.ERROR) test('is reported by the synth guard on raw ApiObjects without blocking, and can be waived', () => {
    const docs = loadDocs(fixtures(id, 'fail')[0]);
    const failing = new Set(outcomesOf(id, docs).filter(x => x.outcome === Outcome.FAIL).map(x => x.object.name));
    for (const waive of [false, true]) {
      const chart = new HardenedChart(new App(), 'fixture');
      docs.forEach((d, i) => {
        const obj = new ApiObject(chart, `o${i}`, d);
        if (waive && failing.has(d.metadata?.name ?? '')) {
          Waiver.apply(obj, { ruleId: id, reason: 'fixture: proves the waiver path for this rule', owner: 'test-suite', expires: daysFromNow(7) });
        }
      });
      const mine = Guard.of(chart).findings().filter(f => f.ruleId === id && f.outcome === Outcome.FAIL);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every(f => (f.waiver !== undefined) === waive)).toBe(true);
    }
  });
  if (waivable && rule.severity === Severity.ERROR) test('is enforced by the synth guard on raw ApiObjects, and can be waived', () => {
    const file = fixtures(id, 'fail')[0];
    const docs = loadDocs(file);
    const build = (waive: boolean) => {
      const app = new App();
      const s = settingsFor(id);
      new HardeningProfile(app, 'profile', { allowedRegistries: s.allowedRegistries, requireDigest: s.requireDigest, podSecurityVersion: s.podSecurityVersion });
      const chart = new HardenedChart(app, 'fixture');
      const failing = new Set(outcomesOf(id, docs).filter(x => x.outcome === Outcome.FAIL).map(x => `${x.object.kind}/${x.object.namespace ?? ''}/${x.object.name}`));
      docs.forEach((d, i) => {
        const obj = new ApiObject(chart, `o${i}`, d);
        if (waive && failing.has(`${d.kind}/${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`)) {
          Waiver.apply(obj, { ruleId: id, reason: 'fixture: proves the waiver path for this rule', owner: 'test-suite', expires: daysFromNow(7) });
        }
      });
      return chart;
    };
    expect(synthError(build(false))).toContain(id);
    const findingsOfRule = () => {
      try { synth(build(true)); return ''; } catch (e) { return (e as Error).message; }
    };
    const msg = findingsOfRule();
    // Other rules may still fail on the fixture; this rule must not be among the blockers.
    expect(msg.split('\n').filter(l => l.includes(`: ${id} `) || l.includes(`: ${id} [`))).toEqual([]);
  });
});

test('docs/rules.md is in sync with the catalogue (run `npm run docs`)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf-8');
  expect(doc).toBe(rulesMarkdown());
});
