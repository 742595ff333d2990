/**
 * Catalogue meta-test: every rule is complete, has a failing and a passing fixture that behave as
 * claimed, is enforced on escape hatches (raw ApiObject in a guarded chart) and can be waived; and
 * docs/rules.md is in sync.
 *
 * Fixtures: test/fixtures/rules/<rule-id>/pass*.yaml and fail*.yaml (multi-document YAML allowed for
 * cross-object rules; the documents are evaluated together). An optional settings.json next to them
 * overrides policy settings (e.g. allowedRegistries) for that rule's fixtures.
 *
 * Pod Security Standards versions: a fixture of a PSS rule without a version in its name must behave as claimed at
 * EVERY supported version (v1.28 … v1.34 and latest). `fail-v1.NN-*.yaml` must fail at v1.NN and every later version
 * and pass at every earlier one; `pass-v1.NN-*.yaml` must pass at v1.NN and later and fail at every earlier one —
 * so each per-version change is proven on both sides of its boundary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { Catalogue, Guard, HardenedChart, HardeningProfile, Outcome, PolicySettings, Severity, Stride, Waiver } from '../../lib';
import { OLDEST_PSS_MINOR, pssMinor, PSS_VERSIONS } from '../../lib/kube/pss-versions';
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

/** The version a fixture's name pins (`fail-v1.34-host.yaml` -> `v1.34`), if any. */
function fixtureVersion(file: string): string | undefined {
  return /^(?:pass|fail)-(v1\.\d+)-/.exec(path.basename(file))?.[1];
}

function settingsFor(ruleId: string, file?: string, podSecurityVersion?: string): PolicySettings {
  const f = path.join(FIXTURES, ruleId, 'settings.json');
  const base: PolicySettings = {
    allowedRegistries: DEFAULT_PROFILE.allowedRegistries,
    requireDigest: DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion,
    maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
  const s = fs.existsSync(f) ? { ...base, ...JSON.parse(fs.readFileSync(f, 'utf-8')) } : base;
  const version = podSecurityVersion ?? (file ? fixtureVersion(file) : undefined);
  return version ? { ...s, podSecurityVersion: version } : s;
}

/**
 * The versions a fixture is judged at, each with whether the fixture's claim (pass or fail) must hold there.
 * Non-PSS rules: once, with the folder's settings.
 */
function versionsFor(ruleId: string, file: string): { version?: string; holds: boolean }[] {
  const rule = Catalogue.get(ruleId);
  const pinned = fixtureVersion(file);
  if (!rule.pssLevel) {
    if (pinned) throw new Error(`${path.relative(FIXTURES, file)}: a version in the name is only for Pod Security Standards rules`);
    return [{ holds: true }];
  }
  const since = pinned !== undefined ? pssMinor(pinned) : OLDEST_PSS_MINOR;
  if (since === undefined || pinned === 'latest') throw new Error(`${path.relative(FIXTURES, file)}: ${pinned} is not a supported version`);
  if (pinned !== undefined && since === OLDEST_PSS_MINOR) throw new Error(`${path.relative(FIXTURES, file)}: v1.${OLDEST_PSS_MINOR} is every version; drop it from the name`);
  return PSS_VERSIONS.map(version => ({ version, holds: pssMinor(version)! >= since }));
}

function fixtures(ruleId: string, kind: 'pass' | 'fail'): string[] {
  const dir = path.join(FIXTURES, ruleId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(f => f.startsWith(kind) && /\.ya?ml$/.test(f)).map(f => path.join(dir, f));
}

function outcomesOf(ruleId: string, docs: any[], settings: PolicySettings = settingsFor(ruleId)) {
  const rule = Catalogue.get(ruleId);
  // Meta rules look up other rules through the context, so they see the whole catalogue.
  return evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), {
    rules: rule.waivable === false ? rules : [rule], settings, today,
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
      for (const { version, holds } of versionsFor(id, f)) {
        const outcomes = outcomesOf(id, loadDocs(f), settingsFor(id, f, version));
        const fails = outcomes.filter(x => x.outcome === Outcome.FAIL);
        const at = version ? ` at ${version}` : '';
        if (holds && fails.length === 0) throw new Error(`${path.relative(FIXTURES, f)}: expected ${id} to fail${at}`);
        if (!holds && outcomes.length > 0) throw new Error(`${path.relative(FIXTURES, f)}: expected ${id} to pass${at} (before the version in its name), got ${JSON.stringify(outcomes.map(b => b.message))}`);
        for (const x of fails) expect(x.path).not.toBe('');
      }
    }
  });

  test('has passing fixtures that pass', () => {
    const files = fixtures(id, 'pass');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      for (const { version, holds } of versionsFor(id, f)) {
        const bad = outcomesOf(id, loadDocs(f), settingsFor(id, f, version)).filter(x => x.outcome !== Outcome.PASS && x.outcome !== Outcome.NOT_APPLICABLE);
        const at = version ? ` at ${version}` : '';
        if (holds && bad.length > 0) throw new Error(`${path.relative(FIXTURES, f)}: expected ${id} to pass${at}, got ${JSON.stringify(bad.map(b => b.message))}`);
        if (!holds && !bad.some(b => b.outcome === Outcome.FAIL)) throw new Error(`${path.relative(FIXTURES, f)}: expected ${id} to fail${at} (before the version in its name)`);
      }
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
      const s = settingsFor(id, file);
      new HardeningProfile(app, 'profile', {
        allowedRegistries: s.allowedRegistries, requireDigest: s.requireDigest, podSecurityVersion: s.podSecurityVersion,
        maxReplicas: s.maxReplicas, maxContainerCpu: s.maxContainerCpu, maxContainerMemory: s.maxContainerMemory,
        requireApiFairness: s.requireApiFairness, requireImageSignatures: s.requireImageSignatures,
      });
      const chart = new HardenedChart(app, 'fixture');
      const failing = new Set(outcomesOf(id, docs, s).filter(x => x.outcome === Outcome.FAIL).map(x => `${x.object.kind}/${x.object.namespace ?? ''}/${x.object.name}`));
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
