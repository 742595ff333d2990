/**
 * Pod Security Standards v1.35 and v1.36, judged against pod-security-admission's own test data for those versions
 * (test/vendor/psa-testdata): at kubeVersion 1.35/1.36 (podSecurityVersion following it) the catalogue refuses every
 * pod PSA refuses and admits every pod PSA admits, at both levels — including the user-namespace relaxations of v1.35
 * (hostUsers: false relaxes runAsNonRoot, runAsUser and baseline procMount; restricted keeps procMount).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { checkObjects } from '../../lib/cli/check';
import { parseSource } from '../../lib/cli/input';
import { pssVersionFor } from '../../lib/kube/kube-version';
import { PSS_NOT_IMPLEMENTED, PSS_VERSION_CHANGES } from '../../lib/kube/pss-versions';
import { PssLevel } from '../../lib/policy/types';

const FILES: { [f: string]: string } = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'psa-testdata', 'v1.35-v1.36.json.gz'))).toString('utf8'));
const entries = Object.entries(FILES).map(([f, text]) => {
  const [level, version, expected, name] = f.split('/');
  return { f, text, level: level as PssLevel, version, expected, name };
});

/**
 * The catalogue rules that judge each PSA check, by the fixture's file name (`<check><n>.yaml`): a refused fixture
 * must be refused by one of them, so a pod refused for the wrong reason does not count.
 */
const RULES_OF_CHECK: { [check: string]: string[] } = {
  allowprivilegeescalation: ['allow-privilege-escalation'],
  apparmorprofile: ['apparmor-profile'],
  capabilities_baseline: ['capabilities-baseline'],
  capabilities_restricted: ['capabilities-restricted'],
  hostnamespaces: ['host-namespaces'],
  hostpathvolumes: ['host-path-volumes', 'volume-types'],
  hostports: ['host-ports'],
  hostprobesandhostlifecycle: ['probe-host'],
  privileged: ['privileged-container'],
  procmount: ['proc-mount'],
  procmount_restricted: ['proc-mount-restricted', 'proc-mount'],
  restrictedvolumes: ['volume-types'],
  runasnonroot: ['run-as-non-root'],
  runasuser: ['run-as-user-root'],
  selinuxoptions: ['selinux-options'],
  seccompprofile_baseline: ['seccomp-baseline'],
  seccompprofile_restricted: ['seccomp-restricted'],
  sysctls: ['sysctls-unsafe'],
  windowshostprocess: ['host-process'],
  // the pods every other fixture is derived from (pass only)
  base: [],
  base_linux: [],
  base_windows: [],
};
const checkOf = (name: string) => name.replace(/\d*\.yaml$/, '');

test('the fixtures cover both levels, v1.35 and v1.36, pass and fail, and the user-namespace relaxation', () => {
  for (const level of ['baseline', 'restricted']) {
    for (const version of ['v1.35', 'v1.36']) {
      for (const expected of ['pass', 'fail']) expect(entries.filter(e => e.level === level && e.version === version && e.expected === expected).length).toBeGreaterThan(10);
    }
  }
  expect(pssVersionFor('1.35')).toBe('v1.35');
  expect(pssVersionFor('1.36')).toBe('v1.36');
  expect(pssVersionFor('latest')).toBe('v1.36');
  expect(PSS_NOT_IMPLEMENTED.join(' ')).not.toMatch(/v1\.35|v1\.36/);
  expect(PSS_VERSION_CHANGES.filter(c => c.version === 'v1.35').map(c => c.ruleId).sort())
    .toEqual(['proc-mount', 'proc-mount-restricted', 'run-as-non-root', 'run-as-user-root']);
  // the user-namespace relaxation is in the data, admitted at baseline and refused at restricted
  const userns = entries.filter(e => /hostUsers: false/.test(e.text));
  expect(userns.filter(e => e.expected === 'pass' && e.level === 'baseline').map(e => e.name)).toEqual(expect.arrayContaining(['procmount1.yaml']));
  expect(userns.filter(e => e.expected === 'fail' && e.level === 'restricted').map(e => e.name)).toEqual(expect.arrayContaining(['procmount_restricted1.yaml']));
  for (const e of entries) expect(Object.keys(RULES_OF_CHECK)).toContain(checkOf(e.name));
});

describe.each(['v1.35', 'v1.36'])('PSA %s fixtures judged by the catalogue', version => {
  const kubeVersion = `1.${version.slice(3)}`;
  const judge = (e: typeof entries[number], opts: { kubeVersion?: string; podSecurityVersion?: string }) =>
    checkObjects(parseSource(e.f, e.text, { kubeVersion: opts.kubeVersion ?? kubeVersion }), { level: e.level, requireDigest: false, ...opts })
      .findings.filter(x => x.blocking).map(x => x.finding.ruleId);
  const of = (expected: string) => entries.filter(e => e.version === version && e.expected === expected).map(e => [e.f, e] as const);

  test.each(of('fail'))('%s: refused, by the rule of that check', (_f, e) => {
    const rules = judge(e, { kubeVersion });
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.some(r => RULES_OF_CHECK[checkOf(e.name)].includes(r))).toBe(true);
    // and with the version set on its own, or as latest
    expect(judge(e, { kubeVersion, podSecurityVersion: version })).toEqual(rules);
    expect(judge(e, { kubeVersion: 'latest', podSecurityVersion: 'latest' })).toEqual(rules);
  });

  test.each(of('pass'))('%s: admitted', (_f, e) => {
    expect(judge(e, { kubeVersion })).toEqual([]);
    expect(judge(e, { kubeVersion, podSecurityVersion: version })).toEqual([]);
  });
});

describe('the relaxation needs both the policy version and the Kubernetes version', () => {
  const judge = (e: typeof entries[number], kubeVersion: string, podSecurityVersion: string) =>
    checkObjects(parseSource(e.f, e.text, { kubeVersion }), { level: e.level, requireDigest: false, kubeVersion, podSecurityVersion })
      .findings.filter(x => x.blocking).map(x => x.finding.ruleId);
  // admitted at v1.35 only because of hostUsers: false
  const relaxed = entries.filter(e => e.expected === 'pass' && e.version === 'v1.35' && /hostUsers: false/.test(e.text) && judge(e, '1.34', 'v1.34').length > 0);
  test('there are admitted user-namespace pods to test with', () => {
    expect(relaxed.map(e => e.f)).toEqual(['baseline/v1.35/pass/procmount1.yaml']);
  });
  test.each(relaxed.map(e => [e.f, e] as const))('%s is refused at v1.34, and at v1.35 on a 1.34 cluster', (_f, e) => {
    const strict = judge(e, '1.34', 'v1.34');
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.every(r => ['run-as-non-root', 'run-as-user-root', 'proc-mount'].includes(r))).toBe(true);
    // a 1.34 API server judges the label v1.35 by its newest checks (v1.34): no relaxation
    expect(judge(e, '1.34', 'v1.35')).toEqual(strict);
    expect(judge(e, '1.30', 'latest')).toEqual(strict);
    expect(judge(e, '1.35', 'v1.35')).toEqual([]);
  });
});
