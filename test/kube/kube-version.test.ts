import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { AdmissionApiVersion, AdmissionPolicies, HardenedChart, HardeningProfile } from '../../lib';
import { checkObjects, settingsFor } from '../../lib/cli/check';
import { InputError, parseSource } from '../../lib/cli/input';
import { run } from '../../lib/cli/main';
import { HardenedValidation } from '../../lib/cli/plugin';
import { DEFAULT_KUBE_VERSION, kubeMinor, parseKubeVersion, pssVersionFor, SUPPORTED_KUBE_VERSIONS } from '../../lib/kube/kube-version';
import { unservedReason } from '../../lib/kube/served-kinds';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { synth, synthError } from '../util/synth';

async function cli(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: t => { out += t; }, stderr: t => { err += t; }, readStdin: async () => Buffer.from(stdin), cwd: os.tmpdir() });
  return { code, out, err };
}

const VAP_V1 = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: p}\nspec:\n  failurePolicy: Fail\n  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]}\n  validations: [{expression: "true"}]\n';
const FLOW_V1 = 'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: FlowSchema\nmetadata: {name: f}\nspec: {priorityLevelConfiguration: {name: workload-low}, matchingPrecedence: 1000}\n';
const deny = (source: string, kubeVersion?: string): string => {
  try {
    parseSource('in.yaml', source, { kubeVersion });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).detail;
  }
  throw new Error('expected an input error');
};

describe('kube-version: values', () => {
  test('1.28 … 1.36, v-prefixed and latest are accepted; latest and the default are the newest', () => {
    expect(SUPPORTED_KUBE_VERSIONS).toEqual(['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
    expect(DEFAULT_KUBE_VERSION).toBe('1.36');
    expect(kubeMinor('latest')).toBe(36);
    expect(kubeMinor('v1.30')).toBe(30);
    expect(parseKubeVersion(undefined, 'x')).toBe('1.36');
    expect(parseKubeVersion('v1.29', 'x')).toBe('1.29');
  });
  test.each(['1.27', '1.37', '1.36.1', ' 1.36', '1.036', '2.0', 'Latest', '', '136'])('%j is refused, naming where and the accepted values', v => {
    expect(kubeMinor(v)).toBeUndefined();
    expect(() => parseKubeVersion(v, '--kube-version')).toThrow(/--kube-version: .* is not a supported Kubernetes version; use 1\.28 … 1\.36 or latest/);
  });
  test('the Pod Security Standards version follows it (every supported version is implemented)', () => {
    expect(pssVersionFor('1.28')).toBe('v1.28');
    expect(pssVersionFor('1.31')).toBe('v1.31');
    expect(pssVersionFor('1.34')).toBe('v1.34');
    expect(pssVersionFor('1.35')).toBe('v1.35');
    expect(pssVersionFor('1.36')).toBe('v1.36');
    expect(pssVersionFor('latest')).toBe('v1.36');
    expect(pssVersionFor(undefined)).toBe('v1.36');
    expect(settingsFor({ kubeVersion: '1.30' }).podSecurityVersion).toBe('v1.30');
    expect(settingsFor({ kubeVersion: '1.30', podSecurityVersion: 'v1.28' }).podSecurityVersion).toBe('v1.28');
  });
});

describe('kube-version: served kinds and removed APIs', () => {
  test('ValidatingAdmissionPolicy v1 is served from 1.30; v1beta1 until 1.33', () => {
    expect(parseSource('in.yaml', VAP_V1)).toHaveLength(1);
    expect(parseSource('in.yaml', VAP_V1, { kubeVersion: '1.30' })).toHaveLength(1);
    expect(deny(VAP_V1, '1.29')).toMatch(/admissionregistration.k8s.io\/v1 ValidatingAdmissionPolicy is served from Kubernetes 1.30 on, not by Kubernetes 1.29; .*use admissionregistration.k8s.io\/v1beta1/);
    const beta = VAP_V1.replace('admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1');
    expect(parseSource('in.yaml', beta, { kubeVersion: '1.33' })).toHaveLength(1);
    expect(deny(beta, '1.34')).toMatch(/v1beta1 ValidatingAdmissionPolicy was removed in Kubernetes 1.34 \(last served by 1.33\); use admissionregistration.k8s.io\/v1/);
  });
  test('flowcontrol v1 (GA in 1.29) is accepted from 1.29; the betas are removed with their replacement', () => {
    expect(parseSource('in.yaml', FLOW_V1)).toHaveLength(1);
    expect(parseSource('in.yaml', FLOW_V1, { kubeVersion: '1.29' })).toHaveLength(1);
    expect(deny(FLOW_V1, '1.28')).toMatch(/served from Kubernetes 1.29 on.*flowcontrol.apiserver.k8s.io\/v1beta3/);
    expect(deny(FLOW_V1.replace('/v1\n', '/v1beta2\n'))).toMatch(/v1beta2 FlowSchema was removed in Kubernetes 1.29 .*use flowcontrol.apiserver.k8s.io\/v1\b/);
    expect(deny(FLOW_V1.replace('/v1\n', '/v1beta3\n'))).toMatch(/v1beta3 FlowSchema was removed in Kubernetes 1.32 .*use flowcontrol.apiserver.k8s.io\/v1\b/);
  });
  test('APIs removed before 1.28 are named with the release that removed them and the replacement (Pluto data)', () => {
    expect(unservedReason('policy/v1beta1', 'PodSecurityPolicy', '1.28')).toMatch(/removed in Kubernetes 1.25 \(deprecated in 1.21\); it has no replacement/);
    expect(unservedReason('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.36')).toMatch(/removed in Kubernetes 1.26 .*use autoscaling\/v2/);
    expect(unservedReason('extensions/v1beta1', 'Deployment', '1.36')).toMatch(/removed in Kubernetes 1.16 .*use apps\/v1/);
    expect(unservedReason('extensions/v1beta1', 'Ingress', '1.36')).toMatch(/removed in Kubernetes 1.22 .*use networking.k8s.io\/v1/);
    expect(unservedReason('batch/v1beta1', 'CronJob', '1.28')).toMatch(/removed in Kubernetes 1.25 .*use batch\/v1/);
  });
  test('a typo of a kind lists what the version serves; custom resources and config files are not judged here', () => {
    expect(deny('apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: a}\n')).toMatch(/unknown kind "Deploymnt" for apiVersion "apps\/v1" \(Kubernetes 1.36 serves: .*Deployment/);
    expect(unservedReason('monitoring.coreos.com/v1', 'Prometheus', '1.28')).toBeUndefined();
    expect(unservedReason('audit.k8s.io/v1', 'Policy', '1.36')).toBeUndefined();
  });
});

describe('kube-version: CLI', () => {
  test('check --kube-version: the admission policies the CLI writes by default are accepted (issue #24)', async () => {
    const vap = await cli(['admission-policies']);
    expect(vap.code).toBe(0);
    expect(vap.out).toMatch(/apiVersion: admissionregistration.k8s.io\/v1\n/);
    expect((await cli(['check', '-'], vap.out)).code).toBe(0);
    const old = await cli(['check', '--kube-version', '1.28', '-'], vap.out);
    expect(old.code).toBe(2);
    expect(old.err).toMatch(/served from Kubernetes 1.30 on, not by Kubernetes 1.28/);
  });
  test('admission-policies --kube-version picks the served API version and the PSS version; an unserved --api-version is refused', async () => {
    const r = await cli(['admission-policies', '--kube-version', '1.29']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/apiVersion: admissionregistration.k8s.io\/v1beta1\n/);
    expect(r.out).not.toMatch(/admissionregistration.k8s.io\/v1\n/);
    expect(r.out).toMatch(/pod-security-version: v1.29/);
    expect((await cli(['check', '--kube-version', '1.29', '-'], r.out)).code).toBe(0);
    const bad = await cli(['admission-policies', '--kube-version', '1.36', '--api-version', 'v1beta1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--api-version: .*v1beta1 ValidatingAdmissionPolicy was removed in Kubernetes 1.34/);
  });
  test('an unsupported --kube-version is a usage error (exit 2), on every command', async () => {
    for (const cmd of [['check', '-'], ['report', '-'], ['admission-policies']]) {
      const r = await cli([cmd[0], '--kube-version', '1.27', ...cmd.slice(1)], FLOW_V1);
      expect([cmd[0], r.code]).toEqual([cmd[0], 2]);
      expect(r.err).toMatch(/--kube-version: "1.27" is not a supported Kubernetes version/);
    }
  });
  test('report --kube-version reads what that version serves', async () => {
    expect((await cli(['report', '-'], FLOW_V1)).code).toBe(0);
    const r = await cli(['report', '--kube-version', '1.28', '-'], FLOW_V1);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/served from Kubernetes 1.29 on/);
  });
  test('--help states the versions and the default', async () => {
    const r = await cli(['check', '--help']);
    expect(r.out.replace(/\s+/g, ' ')).toMatch(/--kube-version <version> Kubernetes version the manifests are for: 1.28 … 1.36 or latest \(= 1.36, the default\)/);
  });
  test('the PSS version follows --kube-version: probe-host (v1.34) is judged by default, not at 1.33', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers:\n  - name: c\n    image: r/i@sha256:' + 'a'.repeat(64) +
      '\n    livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n';
    const ids = (kubeVersion?: string) => checkObjects(parseSource('p.yaml', pod, { kubeVersion }), { kubeVersion }).findings.map(f => f.finding.ruleId);
    expect(ids()).toContain('probe-host');
    expect(ids('1.33')).not.toContain('probe-host');
  });
});

describe('kube-version: plugin', () => {
  test('properties.kubeVersion is validated', () => {
    expect(() => new HardenedValidation({ kubeVersion: '1.40' })).toThrow(/properties.kubeVersion="1.40" must be 1.28 … 1.36 or latest/);
    expect(() => new HardenedValidation({ kubeVersion: '1.30' })).not.toThrow();
  });
  test('v1 admission policies are kept by default and refused (with the version) at 1.29', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kv-plugin-'));
    const file = path.join(dir, 'vap.yaml');
    fs.writeFileSync(file, VAP_V1);
    const runIt = async (kubeVersion?: string) => {
      const violations: any[] = [];
      let status = '';
      await new HardenedValidation({ kubeVersion }).validate({
        manifests: [file], report: { addViolation: v => { violations.push(v); }, submit: s => { status = s; } }, logger: { log: () => undefined },
      });
      return { violations, status };
    };
    expect((await runIt()).status).toBe('success');
    expect(fs.existsSync(file)).toBe(true);
    const old = await runIt('1.29');
    expect(old.status).toBe('failure');
    expect(old.violations[0].recommendation).toMatch(/served from Kubernetes 1.30 on, not by Kubernetes 1.29/);
    expect(old.violations[0].fix).toMatch(/properties.kubeVersion/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('kube-version: HardeningProfile and the guard', () => {
  test('library default: kubeVersion 1.36, PSS v1.36 (in the settings rules see)', () => {
    expect(DEFAULT_PROFILE.kubeVersion).toBe('1.36');
    expect(DEFAULT_PROFILE.podSecurityVersion).toBe('v1.36');
    const chart = new HardenedChart(new App(), 'c');
    expect(HardeningProfile.settingsOf(chart)).toMatchObject({ kubeVersion: '1.36', podSecurityVersion: 'v1.36' });
  });
  test('the PSS version follows the profile kubeVersion unless set on its own (inherited per field)', () => {
    const app = new App();
    const a = new HardenedChart(app, 'a');
    new HardeningProfile(a, 'p', { kubeVersion: 'v1.30' });
    expect(HardeningProfile.settingsOf(a)).toMatchObject({ kubeVersion: '1.30', podSecurityVersion: 'v1.30' });
    const b = new HardenedChart(app, 'b');
    new HardeningProfile(b, 'p', { kubeVersion: '1.33', podSecurityVersion: 'v1.31' });
    expect(HardeningProfile.settingsOf(b)).toMatchObject({ kubeVersion: '1.33', podSecurityVersion: 'v1.31' });
  });
  test('a nested profile whose kubeVersion lowers the PSS version loosens, so it needs an exception', () => {
    const app = new App();
    new HardeningProfile(app, 'p', { kubeVersion: '1.34' });
    const c = new HardenedChart(app, 'c');
    expect(() => new HardeningProfile(c, 'p', { kubeVersion: '1.29' })).toThrow(/loosens the enclosing profile \(podSecurityVersion=v1.29\)/);
  });
  test('an unsupported kubeVersion is a construct-time error naming path, field, value and fix', () => {
    const chart = new HardenedChart(new App(), 'c');
    expect(() => new HardeningProfile(chart, 'p', { kubeVersion: '1.27' })).toThrow(/c\/p.*props\.kubeVersion.*1\.27.*not a supported Kubernetes version/s);
  });
  test('the guard refuses what the profile version does not serve, naming the construct and the fix; the same app passes at 1.30+', () => {
    const app = new App();
    const chart = new HardenedChart(app, 'adm');
    new HardeningProfile(chart, 'p', { kubeVersion: '1.29' });
    new AdmissionPolicies(chart, 'policies', { apiVersion: AdmissionApiVersion.V1 });
    const msg = synthError(chart);
    expect(msg).toMatch(/\[adm\/policies\/[^\]]+\] apiVersion "admissionregistration.k8s.io\/v1", kind "ValidatingAdmissionPolicy".*served from Kubernetes 1.30 on, not by Kubernetes 1.29.*Fix: .*kubeVersion/);
    const ok = new HardenedChart(new App(), 'adm');
    new HardeningProfile(ok, 'p', { kubeVersion: '1.30' });
    new AdmissionPolicies(ok, 'policies', { apiVersion: AdmissionApiVersion.V1 });
    expect(synth(ok).length).toBeGreaterThan(0);
  });
  test('the guard refuses a removed API written through the escape hatch at the default version', () => {
    const chart = new HardenedChart(new App(), 'c');
    new ApiObject(chart, 'fs', { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'f' }, spec: {} });
    expect(synthError(chart)).toMatch(/\[c\/fs\].*v1beta3 FlowSchema was removed in Kubernetes 1.32.*use flowcontrol.apiserver.k8s.io\/v1/);
  });
});

describe('kube-version: docs/guides/kubernetes-versions.md states the supported versions and the default', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'kubernetes-versions.md'), 'utf8');
  test('versions and default', () => {
    expect(doc).toContain(SUPPORTED_KUBE_VERSIONS.map(v => `\`${v}\``).join(', ') + ', or `latest`');
    expect(doc).toContain(`**Default: \`${DEFAULT_KUBE_VERSION}\`**`);
    expect(doc).toContain(`With the default (${DEFAULT_KUBE_VERSION}) the PSS version is\n  \`${pssVersionFor(DEFAULT_KUBE_VERSION)}\``);
    expect(doc).toContain(`The catalogue implements the PSS versions \`v1.28\` … \`${pssVersionFor('latest')}\``);
  });
  test('the removed-API examples are the messages the library prints', () => {
    expect(doc.replace(/\s*\n\s*/g, ' ')).toContain(unservedReason('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.36')!.replace(/ \(served by Kubernetes 1.36\)$/, ''));
    expect(doc.replace(/\s*\n\s*/g, ' ')).toContain(unservedReason('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', '1.29')!.replace(/ \(served by Kubernetes 1.29\)$/, ''));
  });
});
