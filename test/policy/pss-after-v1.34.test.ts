/**
 * Pod Security Standards after v1.34, with the fixtures of pod-security-admission's own test data for v1.35 and v1.36
 * (test/vendor/psa-testdata). The catalogue implements v1.28 … v1.34 and judges newer clusters (kubeVersion 1.35,
 * 1.36) by v1.34: every pod PSA refuses at v1.35/v1.36 is refused, and the only pods PSA admits that the catalogue
 * refuses are the user-namespace relaxations of v1.35 (hostUsers: false relaxes runAsNonRoot, runAsUser and baseline
 * procMount), which are not implemented (see PSS_NOT_IMPLEMENTED). Never more lenient than the cluster.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { checkObjects } from '../../lib/cli/check';
import { parseSource } from '../../lib/cli/input';
import { pssVersionFor } from '../../lib/policy/kube-version';
import { PSS_NOT_IMPLEMENTED } from '../../lib/policy/rules/pod-security/versions';
import { PssLevel } from '../../lib/policy/types';

const FILES: { [f: string]: string } = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'psa-testdata', 'v1.35-v1.36.json.gz'))).toString('utf8'));
const entries = Object.entries(FILES).map(([f, text]) => {
  const [level, version, expected, name] = f.split('/');
  return { f, text, level: level as PssLevel, version, expected, name };
});
const RELAXED = ['run-as-non-root', 'run-as-user-root', 'proc-mount'];

test('the fixtures cover both levels, v1.35 and v1.36, pass and fail', () => {
  for (const level of ['baseline', 'restricted']) {
    for (const version of ['v1.35', 'v1.36']) {
      for (const expected of ['pass', 'fail']) expect(entries.filter(e => e.level === level && e.version === version && e.expected === expected).length).toBeGreaterThan(10);
    }
  }
  expect(pssVersionFor('1.35')).toBe('v1.34');
  expect(pssVersionFor('1.36')).toBe('v1.34');
  expect(PSS_NOT_IMPLEMENTED.join(' ')).toMatch(/v1.35: hostUsers: false/);
  // the user-namespace relaxation is in the data (so the test below exercises it)
  expect(entries.filter(e => e.expected === 'pass' && /hostUsers: false/.test(e.text)).map(e => e.name)).toEqual(expect.arrayContaining(['procmount1.yaml']));
});

describe.each(['v1.35', 'v1.36'])('PSA %s fixtures judged by the catalogue at kubeVersion 1.%s', version => {
  const kubeVersion = `1.${version.slice(3)}`;
  const judge = (e: typeof entries[number]) => checkObjects(parseSource(e.f, e.text, { kubeVersion }), { level: e.level, kubeVersion, requireDigest: false })
    .findings.filter(x => x.blocking).map(x => x.finding.ruleId);
  test.each(entries.filter(e => e.version === version && e.expected === 'fail').map(e => [e.f, e]))('%s: refused', (_f, e) => {
    expect(judge(e).length).toBeGreaterThan(0);
  });
  test.each(entries.filter(e => e.version === version && e.expected === 'pass').map(e => [e.f, e]))('%s: admitted, or refused only by an unimplemented user-namespace relaxation', (_f, e) => {
    const rules = judge(e);
    if (/hostUsers: false/.test(e.text)) for (const r of rules) expect(RELAXED).toContain(r);
    else expect(rules).toEqual([]);
  });
});
