/**
 * Pod Security Standards versions: parsing, the profile and IsolatedNamespace accepting exactly the supported set,
 * rules refusing to judge by an unknown version, the version data being proven by fixtures, and what the library
 * constructs emit passing every supported version.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Catalogue, Guard, HardenedChart, HardenedDeployment, HardeningProfile, HealthCheck, IsolatedNamespace, Outcome, PolicySettings } from '../../lib';
import {
  isPinnedPssVersion, NEWEST_PSS_MINOR, OLDEST_PSS_MINOR, pssMinor, PSS_VERSION_CHANGES, PSS_VERSIONS, safeSysctls, selinuxAllowedTypes, sysctlSafeSince,
} from '../../lib/kube/pss-versions';
import { blocking, evaluate, objectRefOf } from '../../lib/policy/engine';
import { synth } from '../util/synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const settings = (podSecurityVersion: string): PolicySettings => ({ allowedRegistries: [], requireDigest: true, podSecurityVersion, maxWaiverDays: 90 });
const IMAGE = `registry.example.com/shop/api@sha256:${'a'.repeat(64)}`;

describe('version values', () => {
  test('exactly v1.28 … v1.36 and latest are supported; latest is the newest', () => {
    expect(PSS_VERSIONS).toEqual(['v1.28', 'v1.29', 'v1.30', 'v1.31', 'v1.32', 'v1.33', 'v1.34', 'v1.35', 'v1.36', 'latest']);
    expect(PSS_VERSIONS.map(pssMinor)).toEqual([28, 29, 30, 31, 32, 33, 34, 35, 36, 36]);
    expect([OLDEST_PSS_MINOR, NEWEST_PSS_MINOR]).toEqual([28, 36]);
  });

  test.each([
    'v1.27', 'v1.0', 'v1.37', 'v1.100', 'v1.028', 'v1.28 ', ' v1.28', 'V1.28', 'v1.28.0', '1.28', 'v2.28', 'Latest', 'latest ', '',
  ])('%j is not supported', v => {
    expect(pssMinor(v)).toBeUndefined();
    expect(isPinnedPssVersion(v)).toBe(false);
  });

  test.each([[undefined], [null], [28], [1.28], [['v1.28']], [{}]])('non-string %j is not a version', v => {
    expect(pssMinor(v)).toBeUndefined();
  });

  test('latest is supported but not pinned', () => {
    expect(isPinnedPssVersion('latest')).toBe(false);
    expect(isPinnedPssVersion('v1.34')).toBe(true);
    expect(isPinnedPssVersion('v1.36')).toBe(true);
  });

  test('the per-version sets only grow, and match pod-security-admission at v1.28 and v1.34', () => {
    for (let m = OLDEST_PSS_MINOR; m < NEWEST_PSS_MINOR; m++) {
      expect(safeSysctls(m + 1)).toEqual(expect.arrayContaining(safeSysctls(m)));
      expect(selinuxAllowedTypes(m + 1)).toEqual(expect.arrayContaining(selinuxAllowedTypes(m)));
    }
    // check_sysctls.go sysctlsAllowedV1Dot27 / V1Dot32, check_seLinuxOptions.go selinuxAllowedTypes1_0 / 1_31
    expect(safeSysctls(28).sort()).toEqual(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports',
      'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies']);
    expect(safeSysctls(34).length).toBe(12);
    // no sysctl change in v1.35/v1.36 (check_sysctls.go at v0.36.2); v1.37 adds two, not implemented
    expect(safeSysctls(36)).toEqual(safeSysctls(34));
    expect(safeSysctls(36)).not.toContain('net.ipv4.tcp_slow_start_after_idle');
    expect([sysctlSafeSince('net.ipv4.tcp_rmem'), sysctlSafeSince('net.ipv4.tcp_syncookies'), sysctlSafeSince('net.core.somaxconn')]).toEqual([32, 28, undefined]);
    expect(selinuxAllowedTypes(30)).not.toContain('container_engine_t');
    expect(selinuxAllowedTypes(31)).toContain('container_engine_t');
  });
});

describe('the version data is proven by fixtures', () => {
  test.each(PSS_VERSION_CHANGES.map(c => [c.version, c.ruleId, c]))('%s %s', (_v, ruleId, change) => {
    expect(pssMinor(change.version)).toBeGreaterThan(OLDEST_PSS_MINOR);
    expect(Catalogue.get(ruleId).pssLevel).toBeDefined();
    const files = fs.readdirSync(path.join(FIXTURES, ruleId));
    if (change.everyVersion) {
      // applies at every version: an unversioned fixture exercises it (the meta-test runs it at every version)
      expect(files.some(f => !/^(pass|fail)-v1\.\d+-/.test(f) && /\.ya?ml$/.test(f))).toBe(true);
    } else {
      // gated: a fixture pinned at exactly this version, which the meta-test proves on both sides of the boundary
      expect(files.some(f => f.startsWith(`pass-${change.version}-`) || f.startsWith(`fail-${change.version}-`))).toBe(true);
    }
  });
});

describe('HardeningProfile.podSecurityVersion', () => {
  test.each(PSS_VERSIONS)('accepts %s and hands it to the rules', v => {
    const app = new App();
    new HardeningProfile(app, 'profile', { podSecurityVersion: v });
    expect(HardeningProfile.settingsOf(new Chart(app, 'c')).podSecurityVersion).toBe(v);
  });

  test.each(['v1.27', 'v1.37', 'v1.028', 'latest ', '1.34'])('rejects %j naming namespace-psa-enforce and the supported set', v => {
    expect(() => new HardeningProfile(new App(), 'profile', { podSecurityVersion: v }))
      .toThrow(new RegExp(`\\[profile\\] props\\.podSecurityVersion=${JSON.stringify(v).replace(/\./g, '\\.')} violates namespace-psa-enforce.*v1\\.28 … v1\\.36 or latest`));
  });

  test('the guard judges by the profile version: a probe host passes at v1.33 and fails synth at v1.34 and latest', () => {
    const build = (v: string) => {
      const app = new App();
      new HardeningProfile(app, 'profile', { podSecurityVersion: v });
      const chart = new HardenedChart(app, 'c');
      const pod = {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
        spec: { containers: [{ name: 'app', image: IMAGE, livenessProbe: { tcpSocket: { port: 8080, host: '169.254.169.254' } } }] },
      };
      new ApiObject(chart, 'pod', pod);
      return Guard.of(chart).findings().filter(f => f.ruleId === 'probe-host');
    };
    expect(build('v1.33')).toEqual([]);
    for (const v of ['v1.34', 'latest']) expect(build(v).map(f => [f.outcome, f.path])).toEqual([[Outcome.FAIL, 'spec.containers[0].livenessProbe.tcpSocket.host']]);
  });
});

describe('the user-namespace relaxation (v1.35+) through the profile and the guard', () => {
  const build = (profile: { podSecurityVersion?: string; kubeVersion?: string }, hostUsers: unknown) => {
    const app = new App();
    new HardeningProfile(app, 'profile', profile);
    const chart = new HardenedChart(app, 'c');
    new ApiObject(chart, 'pod', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
      spec: {
        hostUsers,
        containers: [{ name: 'app', image: IMAGE, securityContext: { runAsUser: 0, procMount: 'Unmasked' } }],
      },
    });
    return Guard.of(chart).findings().filter(f => ['run-as-non-root', 'run-as-user-root', 'proc-mount', 'proc-mount-restricted'].includes(f.ruleId))
      .filter(f => f.outcome !== Outcome.PASS).map(f => f.ruleId).sort();
  };
  const strict = ['proc-mount', 'run-as-non-root', 'run-as-user-root'];
  test('the default (kubeVersion 1.36, PSS v1.36): hostUsers: false leaves only restricted\'s procMount', () => {
    expect(build({}, false)).toEqual(['proc-mount-restricted']);
    expect(build({ kubeVersion: '1.35' }, false)).toEqual(['proc-mount-restricted']);
  });
  test.each([[{ podSecurityVersion: 'v1.34' }], [{ kubeVersion: '1.34' }], [{ kubeVersion: '1.34', podSecurityVersion: 'v1.35' }],
    [{ kubeVersion: '1.30', podSecurityVersion: 'latest' }]])('%j: no relaxation', profile => {
    expect(build(profile, false)).toEqual(strict);
  });
  test.each([['false'], ['False'], [0], [null], [true], [undefined]])('hostUsers %j is not the boolean false: no relaxation', v => {
    expect(build({}, v)).toEqual(strict);
  });
});

describe('rules asked to judge by an unknown version', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: IMAGE }] } };
  test.each(['v1.37', 'v1.27', 'bogus'])('%s: every PSS rule is unevaluable and blocking, no rule judges silently', v => {
    const pssRules = Catalogue.all().filter(r => r.pssLevel && r.id !== 'privileged-container');
    const findings = evaluate([{ object: pod, ref: objectRefOf(pod) }], { rules: pssRules, settings: settings(v), today: '2026-01-01' });
    expect(findings.length).toBe(pssRules.length);
    expect(findings.every(f => f.outcome === Outcome.UNEVALUABLE && f.message.includes(JSON.stringify(v)) && f.message.includes('v1.28 … v1.36'))).toBe(true);
    expect(blocking(findings).length).toBe(pssRules.length);
  });
});

describe('what the library constructs emit', () => {
  test.each(PSS_VERSIONS)('HardenedDeployment (default and HTTP probes) and IsolatedNamespace pass every PSS rule at %s', v => {
    const app = new App();
    new HardeningProfile(app, 'profile', { podSecurityVersion: v });
    const chart = new HardenedChart(app, 'c', { namespace: 'shop' });
    new IsolatedNamespace(chart, 'shop', isPinnedPssVersion(v) ? {} : { podSecurityVersion: `v1.${NEWEST_PSS_MINOR}` });
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '128Mi' } });
    new HardenedDeployment(chart, 'web', {
      image: IMAGE, port: 8443, resources: { cpuRequest: '100m', memoryRequest: '128Mi' },
      readiness: HealthCheck.httpGet('/ready'), liveness: HealthCheck.httpGet('/healthz'),
    });
    const objects = synth(chart);
    const findings = evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), {
      rules: Catalogue.all().filter(r => r.pssLevel), settings: settings(v), today: '2026-01-01',
    });
    expect(findings).toEqual([]);
    const ns = objects.find(o => o.kind === 'Namespace');
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe(isPinnedPssVersion(v) ? v : 'v1.36');
    }
  });

  test.each(['latest', 'v1.37', 'v1.27'])('IsolatedNamespace refuses to pin %j', v => {
    expect(() => new IsolatedNamespace(new Chart(new App(), 'c'), 'shop', { podSecurityVersion: v }))
      .toThrow(/props\.podSecurityVersion=.* violates namespace-psa-enforce.*v1\.28 … v1\.36/);
  });

  test('a profile of latest needs a pinned IsolatedNamespace version', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { podSecurityVersion: 'latest' });
    expect(() => new IsolatedNamespace(new Chart(app, 'c'), 'shop')).toThrow(/props\.podSecurityVersion="latest" violates namespace-psa-enforce/);
  });
});
