import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EnforcementMode, Guard, HardenedChart, HardeningProfile, Severity, Stride, Waiver } from '../../../lib';
import { daysFromNow, synth, synthError } from '../../util/synth';

/** A pod that passes the whole catalogue except for `privileged: true`. */
const SECURE_CONTAINER = {
  name: 'c', image: 'registry.example.com/app@sha256:' + 'a'.repeat(64),
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
};
const POD = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: {
    automountServiceAccountToken: false,
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ ...SECURE_CONTAINER, securityContext: { ...SECURE_CONTAINER.securityContext, privileged: true } }],
  },
};

/** The record an audit-mode (onboarding) profile needs. */
const ONBOARDING = { reason: 'onboarding the legacy shop app, findings tracked in SEC-900', owner: 'team-shop', expires: daysFromNow(30) };

function rawPod(chart: Chart, id = 'pod'): ApiObject {
  return new ApiObject(chart, id, POD as any);
}

describe('Guard', () => {
  test('a plain chart without library constructs is not guarded', () => {
    const chart = new Chart(new App(), 'plain');
    rawPod(chart);
    expect(() => synth(chart)).not.toThrow();
  });

  test('HardenedChart fails synth on a raw ApiObject, naming object, path, rule and fix', () => {
    const chart = new HardenedChart(new App(), 'c');
    rawPod(chart);
    const msg = synthError(chart);
    expect(msg).toContain('Pod p (construct c/pod)');
    expect(msg).toContain('spec.containers[0].securityContext.privileged');
    expect(msg).toContain('privileged-container');
    expect(msg).toContain('Fix:');
  });

  test('Guard.of attaches to a plain chart once', () => {
    const chart = new Chart(new App(), 'c');
    expect(Guard.of(chart)).toBe(Guard.of(chart));
    rawPod(chart);
    expect(synthError(chart)).toContain('privileged-container');
  });

  test('JSON patches are evaluated after they apply', () => {
    const chart = new HardenedChart(new App(), 'c');
    const pod = new ApiObject(chart, 'pod', { ...POD, spec: { ...POD.spec, containers: [SECURE_CONTAINER] } } as any);
    expect(() => synth(chart)).not.toThrow();
    pod.addJsonPatch(JsonPatch.add('/spec/containers/0/securityContext/privileged', true));
    expect(synthError(chart)).toContain('privileged-container');
  });

  test('Include of an insecure YAML fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    const file = path.join(dir, 'pod.yaml');
    fs.writeFileSync(file, JSON.stringify(POD));
    const chart = new HardenedChart(new App(), 'c');
    new Include(chart, 'inc', { url: file });
    expect(synthError(chart)).toContain('privileged-container');
  });

  test('a valid waiver lets synth pass and is recorded as an annotation', () => {
    const chart = new HardenedChart(new App(), 'c');
    const pod = rawPod(chart);
    Waiver.apply(pod, { ruleId: 'privileged-container', reason: 'legacy CNI agent needs host devices until Q3', owner: 'team-net', expires: daysFromNow(30) });
    const out = synth(chart);
    const waivers = JSON.parse(out[0].metadata.annotations['hardened.cdk8s.io/waivers']);
    expect(waivers).toEqual([expect.objectContaining({ ruleId: 'privileged-container', owner: 'team-net' })]);
    const f = Guard.of(chart).findings().find(x => x.ruleId === 'privileged-container');
    expect(f?.waiver?.owner).toBe('team-net');
  });

  test('a waiver limited to another path does not cover the finding', () => {
    const chart = new HardenedChart(new App(), 'c');
    const pod = rawPod(chart);
    Waiver.apply(pod, { ruleId: 'privileged-container', path: 'spec.containers[1]', reason: 'only the sidecar may be privileged here', owner: 'team-net', expires: daysFromNow(30) });
    const msg = synthError(chart);
    expect(msg).toContain('privileged-container');
    expect(msg).toContain('waiver-unused');
  });

  test('an expired waiver fails', () => {
    const chart = new HardenedChart(new App(), 'c');
    Waiver.apply(rawPod(chart), { ruleId: 'privileged-container', reason: 'legacy CNI agent needs host devices until Q3', owner: 'team-net', expires: daysFromNow(-1) });
    const msg = synthError(chart);
    expect(msg).toContain('waiver-expired');
    expect(msg).toContain('privileged-container');
  });

  test('an unused waiver fails', () => {
    const chart = new HardenedChart(new App(), 'c');
    const obj = new kplus.ConfigMap(chart, 'cm', { data: { a: 'b' } });
    Waiver.apply(obj, { ruleId: 'privileged-container', reason: 'copied from another object by mistake', owner: 'me', expires: daysFromNow(10) });
    expect(synthError(chart)).toContain('waiver-unused');
  });

  test('a waiver longer than maxWaiverDays fails', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { maxWaiverDays: 30 });
    const chart = new HardenedChart(app, 'c');
    Waiver.apply(rawPod(chart), { ruleId: 'privileged-container', reason: 'legacy CNI agent needs host devices until Q3', owner: 'team-net', expires: daysFromNow(31) });
    expect(synthError(chart)).toContain('waiver-invalid');
  });

  test('malformed waivers are a construct-time HardeningError', () => {
    const chart = new HardenedChart(new App(), 'c');
    expect(() => Waiver.apply(rawPod(chart), { ruleId: 'privileged-container', reason: 'short', owner: 'x', expires: daysFromNow(3) }))
      .toThrow(/\[c\/pod\] waiver=.*violates waiver-invalid: reason must be at least 20 characters/);
    expect(() => Waiver.apply(rawPod(chart, 'p2'), { ruleId: 'privileged-container', reason: 'long enough reason for the test', owner: 'x', expires: 'next week' }))
      .toThrow(/expires "next week" must be a YYYY-MM-DD calendar date/);
    expect(() => Waiver.apply(rawPod(chart, 'p3'), { ruleId: 'privileged-container', reason: 'long enough reason for the test', owner: 'x', expires: '2026-02-30' }))
      .toThrow(/expires "2026-02-30" must be a YYYY-MM-DD calendar date/);
  });

  test('a waiver on a construct holding several objects names the objects to choose from', () => {
    const chart = new HardenedChart(new App(), 'c');
    const group = new Construct(chart, 'group');
    rawPod(group as any, 'a');
    rawPod(group as any, 'b');
    expect(() => Waiver.apply(group, { ruleId: 'privileged-container', reason: 'long enough reason for the test', owner: 'x', expires: daysFromNow(3) }))
      .toThrow(/\[c\/group\] waiver\.scope="group" violates privileged-container: is not one Kubernetes object but 2.*Pod c\/group\/a, Pod c\/group\/b/);
  });

  test('invalid profile settings are HardeningErrors naming field, value, rule and fix', () => {
    const app = new App();
    expect(() => new HardeningProfile(app, 'p1', { maxWaiverDays: 0 }))
      .toThrow(/\[p1\] props\.maxWaiverDays=0 violates waiver-expired: .* Fix: use e\.g\. 90/);
    expect(() => new HardeningProfile(new App(), 'p2', { podSecurityVersion: '1.28' }))
      .toThrow(/\[p2\] props\.podSecurityVersion="1\.28" violates namespace-psa-enforce/);
    const ok = new App();
    new HardeningProfile(ok, 'p');
    expect(() => new HardeningProfile(ok, 'q')).toThrow(/already has a HardeningProfile .* Fix:/);
  });

  test('waivers in an annotation of Included YAML are honoured', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    const file = path.join(dir, 'pod.yaml');
    const waiver = [{ ruleId: 'privileged-container', reason: 'vendor chart, tracked in SEC-123', owner: 'platform', expires: daysFromNow(5) }];
    fs.writeFileSync(file, JSON.stringify({ ...POD, metadata: { name: 'p', annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify(waiver) } } }));
    const chart = new HardenedChart(new App(), 'c');
    new Include(chart, 'inc', { url: file });
    expect(() => synth(chart)).not.toThrow();
  });

  test('unresolved tokens fail synth', () => {
    const chart = new HardenedChart(new App(), 'c');
    new kplus.ConfigMap(chart, 'cm', { data: { arn: '${Token[TOKEN.123]}' } });
    const msg = synthError(chart);
    expect(msg).toContain('unresolved-token');
    expect(msg).toContain('data.arn');
  });

  test('allowCloudFormationTokens lifts only unresolved-token (charts deployed by CloudFormation)', () => {
    const chart = new HardenedChart(new App(), 'c');
    new kplus.ConfigMap(chart, 'cm', { data: { arn: '${Token[TOKEN.123]}' } });
    rawPod(chart);
    Guard.of(chart).allowCloudFormationTokens();
    const msg = synthError(chart);
    expect(msg).not.toContain('unresolved-token');
    expect(msg).toContain('privileged-container');
  });

  test('library defaults of the profile', () => {
    expect(HardeningProfile.resolve(new Chart(new App(), 'c'))).toEqual({
      allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.36', kubeVersion: '1.36', mode: 'enforce', customRules: [], maxWaiverDays: 90,
      exceptions: [],
    });
  });

  test('custom rules of the profile are enforced with the catalogue', () => {
    const app = new App();
    new HardeningProfile(app, 'p', {
      customRules: [{
        id: 'team-label', title: 'Every object carries a team label', stride: [Stride.REPUDIATION], severity: Severity.ERROR,
        appliesTo: ['*'], description: 'Ownership must be traceable for every object we deploy.', remediation: 'Add metadata.labels.team.',
        references: ['platform handbook'],
        check: (o: any) => (o.metadata?.labels?.team ? [] : [{ path: 'metadata.labels', message: 'no team label.' }]),
      }],
    });
    const chart = new HardenedChart(app, 'c');
    new kplus.ConfigMap(chart, 'cm', { data: { a: 'b' } });
    expect(synthError(chart)).toContain('team-label');
  });

  test('audit mode reports but does not fail', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { mode: EnforcementMode.AUDIT, exception: ONBOARDING });
    const chart = new HardenedChart(app, 'c');
    rawPod(chart);
    expect(() => synth(chart)).not.toThrow();
    expect(Guard.of(chart).findings().map(f => f.ruleId)).toContain('privileged-container');
  });

  test('audit mode still fails on rules that cannot be waived: unresolved tokens and broken waivers', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { mode: EnforcementMode.AUDIT, exception: ONBOARDING });
    const chart = new HardenedChart(app, 'c');
    rawPod(chart);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { arn: '${Token[TOKEN.9]}' } });
    const msg = synthError(chart);
    expect(msg).toContain('unresolved-token');
    expect(msg).not.toContain('privileged-container');

    const chart2 = new HardenedChart(app, 'c2');
    Waiver.apply(rawPod(chart2), { ruleId: 'host-ports', reason: 'this waiver matches no finding at all', owner: 'team-x', expires: daysFromNow(10) });
    expect(synthError(chart2)).toContain('waiver-unused');
  });

  test('audit mode also keeps unwaivable custom rules blocking; waiving unresolved-token is "cannot be waived" even when lifted', () => {
    const app = new App();
    new HardeningProfile(app, 'p', {
      mode: EnforcementMode.AUDIT,
      exception: ONBOARDING,
      customRules: [{
        id: 'no-debug-configmap', title: 'No debug ConfigMaps', stride: [Stride.INFORMATION_DISCLOSURE], severity: Severity.ERROR, waivable: false,
        appliesTo: ['ConfigMap'], description: 'Debug dumps must never be shipped to any cluster.', remediation: 'Remove the debug ConfigMap.',
        references: ['platform handbook'],
        check: (o: any) => (o.metadata?.name === 'debug' ? [{ path: 'metadata.name', message: 'a debug ConfigMap.' }] : []),
      }],
    });
    const chart = new HardenedChart(app, 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'debug' }, data: { a: 'b' } });
    expect(synthError(chart)).toContain('no-debug-configmap');

    const cf = new HardenedChart(new App(), 'cf');
    Guard.of(cf).allowCloudFormationTokens();
    const cm = new ApiObject(cf, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '${Token[TOKEN.7]}' } });
    cm.metadata.addAnnotation(Waiver.ANNOTATION, JSON.stringify([{ ruleId: 'unresolved-token', reason: 'CloudFormation resolves this at deploy', owner: 'team-x', expires: daysFromNow(5) }]));
    expect(synthError(cf)).toMatch(/waiver-invalid .*waives "unresolved-token", which cannot be waived/);
  });

  test('profiles inherit per field, closest wins', () => {
    const app = new App();
    new HardeningProfile(app, 'p', { allowedRegistries: ['a.example.com'], maxWaiverDays: 30 });
    const chart = new Chart(app, 'c');
    new HardeningProfile(chart, 'p', { maxWaiverDays: 20 });
    const r = HardeningProfile.resolve(chart);
    expect(r.allowedRegistries).toEqual(['a.example.com']);
    expect(r.maxWaiverDays).toBe(20);
    expect(r.requireDigest).toBe(true);
    expect(HardeningProfile.resolve(new Chart(app, 'd')).maxWaiverDays).toBe(30);
  });
});
