import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Catalogue } from '../../lib/policy/catalogue';
import { withoutNulls } from '../../lib/policy/engine';
import { PssLevel } from '../../lib/policy/types';
import { expectValidObjects } from '../util/schema';
import { cli, REPO } from './helpers';

/**
 * Pass/fail corpus for every Pod Security Standards control at both levels and every version the catalogue
 * implements (v1.28 … v1.36, latest). Each fixture is a single Pod judged alone (as Pod Security admission does);
 * its header says the expected exit code of `check --level baseline` and `--level restricted` and, when it fails,
 * the rule that must fire:
 *
 *   # expect: baseline=N restricted=N [rule=id] [version=v1.NN|latest]
 *
 * A line without a version holds at every version: it is checked without --pss-version (the default: follows the default
 * --kube-version, so v1.36) and with
 * `--pss-version latest`. Lines with a version are checked with that --pss-version; a fixture whose verdict changes
 * at a version carries one line on each side of the change.
 */
const CORPUS = path.join(REPO, 'test', 'fixtures', 'pss-corpus');

interface Case {
  readonly file: string;
  readonly folder: string;
  /** --pss-version, or undefined for the default. */
  readonly version?: string;
  readonly baseline: number;
  readonly restricted: number;
  readonly rule?: string;
}

const EXPECT = /^# expect: baseline=([01]) restricted=([01])(?: rule=([a-z0-9-]+))?(?: version=(v1\.\d+|latest))?$/gm;

const cases: Case[] = ['baseline', 'restricted'].flatMap(folder =>
  fs.readdirSync(path.join(CORPUS, folder)).filter(f => f.endsWith('.yaml')).sort().flatMap(f => {
    const rel = path.join('test', 'fixtures', 'pss-corpus', folder, f);
    const text = fs.readFileSync(path.join(REPO, rel), 'utf8');
    const lines = [...text.matchAll(EXPECT)];
    if (lines.length === 0) throw new Error(`${rel}: missing "# expect: baseline=N restricted=N [rule=id] [version=v]" header`);
    const versioned = new Set(lines.map(m => m[4]).filter(Boolean));
    return lines.flatMap(m => {
      const c = { file: rel, folder, baseline: Number(m[1]), restricted: Number(m[2]), rule: m[3] };
      if (m[4]) return [{ ...c, version: m[4] }];
      return [c, ...(versioned.has('latest') ? [] : [{ ...c, version: 'latest' }])];
    });
  }));

/** The PSS v1.28 … v1.36 controls, by rule id, as the catalogue names them. */
const BASELINE_CONTROLS = ['host-process', 'host-namespaces', 'privileged-container', 'capabilities-baseline', 'host-path-volumes',
  'host-ports', 'apparmor-profile', 'selinux-options', 'proc-mount', 'seccomp-baseline', 'sysctls-unsafe', 'probe-host'];
const RESTRICTED_CONTROLS = ['volume-types', 'allow-privilege-escalation', 'run-as-non-root', 'run-as-user-root', 'seccomp-restricted',
  'capabilities-restricted', 'proc-mount-restricted'];

/**
 * The fields Kubernetes added after 1.28 that the corpus uses, checked here against their 1.33 definitions
 * (cdk8s-plus-33 imports: AppArmorProfile {type, localhostProfile}, ImageVolumeSource {reference, pullPolicy}) and
 * removed before the strict 1.28 schema check.
 */
function withoutLaterFields(pod: any): any {
  const copy = JSON.parse(JSON.stringify(pod));
  const contexts = [copy.spec?.securityContext, ...['containers', 'initContainers', 'ephemeralContainers']
    .flatMap(f => (copy.spec?.[f] ?? []).map((c: any) => c.securityContext))].filter(Boolean);
  for (const sc of contexts) {
    if (sc.appArmorProfile === undefined) continue;
    expect(Object.keys(sc.appArmorProfile).every(k => ['type', 'localhostProfile'].includes(k))).toBe(true);
    expect(['RuntimeDefault', 'Localhost', 'Unconfined']).toContain(sc.appArmorProfile.type);
    delete sc.appArmorProfile;
  }
  for (const v of copy.spec?.volumes ?? []) {
    if (v.image === undefined) continue;
    expect(Object.keys(v.image).every(k => ['reference', 'pullPolicy'].includes(k)) && typeof v.image.reference === 'string').toBe(true);
    v.emptyDir = {};
    delete v.image;
  }
  return copy;
}

describe('PSS corpus is complete and well-formed', () => {
  test('every control has a failing and a passing fixture', () => {
    for (const id of [...BASELINE_CONTROLS, ...RESTRICTED_CONTROLS]) {
      const folder = BASELINE_CONTROLS.includes(id) ? 'baseline' : 'restricted';
      expect({ id, fail: cases.some(c => c.rule === id && c.file.includes(`/${id}-`)) }).toEqual({ id, fail: true });
      expect({ id, pass: cases.some(c => c.folder === folder && c.file.includes(`/${id}-pass`) && c.baseline === 0) }).toEqual({ id, pass: true });
    }
  });

  test('baseline failures fail both levels; restricted-only failures pass baseline', () => {
    for (const c of cases) {
      if (c.baseline === 1) expect({ file: c.file, restricted: c.restricted }).toEqual({ file: c.file, restricted: 1 });
      if (c.rule && RESTRICTED_CONTROLS.includes(c.rule)) expect({ file: c.file, baseline: c.baseline }).toEqual({ file: c.file, baseline: 0 });
    }
  });

  test('every fixture is a single Pod valid against the Kubernetes 1.28 schema plus the later fields it uses', () => {
    // read as kubectl does: YAML 1.1 booleans, explicit nulls are unset
    const files = [...new Set(cases.map(c => c.file))];
    const objects = files.map(f => withoutNulls(parse(fs.readFileSync(path.join(REPO, f), 'utf8'), { version: '1.1' })));
    expect(objects.every(o => o.kind === 'Pod')).toBe(true);
    expectValidObjects(objects.map(withoutLaterFields));
  });

  test('the catalogue implements exactly these controls at these levels', () => {
    const ids = (level: PssLevel) => Catalogue.all().filter(r => r.pssLevel === level).map(r => r.id).sort();
    expect(ids(PssLevel.BASELINE)).toEqual([...BASELINE_CONTROLS].sort());
    expect(ids(PssLevel.RESTRICTED)).toEqual([...RESTRICTED_CONTROLS].sort());
  });
});

describe.each(cases.map(c => ({ ...c, at: c.version ?? 'default' })))('$file at $at', c => {
  test.each([['baseline', c.baseline], ['restricted', c.restricted]] as const)('check --level %s exits %d', async (level, expected) => {
    const r = await cli(['check', c.file, '--level', level, '--format', 'json', ...(c.version ? ['--pss-version', c.version] : [])]);
    const report = JSON.parse(r.out);
    const blocking = report.findings.filter((f: any) => f.blocking).map((f: any) => `${f.ruleId} at ${f.path}: ${f.message}`);
    expect({ exit: r.code, blocking: expected === 0 ? blocking : [] }).toEqual({ exit: expected, blocking: [] });
    if (expected === 1 && c.rule) {
      expect(report.findings.filter((f: any) => f.blocking).map((f: any) => f.ruleId)).toContain(c.rule);
    }
  });
});
