/**
 * The escape hatches of cdk8s are guarded: each fails synth naming the rule; the same with a valid waiver passes and
 * carries the waiver annotation; an expired waiver fails.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { HardenedDeployment, Waiver } from '../../lib';
import { daysFromNow, synth, synthError } from '../util/synth';

const IMAGE = 'registry.example.com/shop/api@sha256:' + 'c'.repeat(64);
const SECURE_CONTAINER = {
  name: 'main', image: IMAGE,
  resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') }, limits: { memory: k8s.Quantity.fromString('64Mi') } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
};

interface Hatch {
  /** Adds the insecure object to a guarded chart and returns the ApiObject that carries the finding. */
  readonly build: (chart: Chart) => ApiObject;
  readonly ruleId: string;
}

const hatches: { [name: string]: Hatch } = {
  'JsonPatch to privileged on a HardenedDeployment': {
    ruleId: 'privileged-container',
    build: chart => {
      const d = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '64Mi' } });
      d.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true));
      return d.deployment;
    },
  },
  'raw ApiObject with hostNetwork': {
    ruleId: 'host-namespaces',
    build: chart => {
      new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '64Mi' } });
      return new ApiObject(chart, 'agent', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent' },
        spec: { hostNetwork: true, securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, automountServiceAccountToken: false, containers: [SECURE_CONTAINER] },
      } as any);
    },
  },
  'Include of an insecure YAML': {
    ruleId: 'host-path-volumes',
    build: chart => {
      new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '64Mi' } });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hatch-'));
      const file = path.join(dir, 'vendor.yaml');
      fs.writeFileSync(file, [
        'apiVersion: v1', 'kind: Pod', 'metadata: { name: log-agent }', 'spec:',
        '  automountServiceAccountToken: false',
        '  securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }',
        `  containers: [${JSON.stringify({ ...SECURE_CONTAINER, volumeMounts: [{ name: 'logs', mountPath: '/logs', readOnly: true }] })}]`,
        '  volumes: [{ name: logs, hostPath: { path: /var/log } }]',
      ].join('\n'));
      const inc = new Include(chart, 'vendor', { url: file });
      return inc.apiObjects[0];
    },
  },
  'L1 KubeDeployment with runAsUser 0': {
    ruleId: 'run-as-user-root',
    build: chart => {
      new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '64Mi' } });
      return new k8s.KubeDeployment(chart, 'legacy', {
        metadata: { name: 'legacy' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'legacy' } },
          template: {
            metadata: { labels: { app: 'legacy' } },
            spec: { automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } }, containers: [SECURE_CONTAINER] },
          },
        },
      });
    },
  },
};

describe.each(Object.entries(hatches))('%s', (_, hatch) => {
  const chart = () => new Chart(new App(), 'app');

  test('fails synth naming the rule', () => {
    const c = chart();
    hatch.build(c);
    const msg = synthError(c);
    expect(msg).toContain(hatch.ruleId);
    expect(msg).toContain('Fix:');
  });

  test('passes with a valid waiver, which is recorded as an annotation', () => {
    const c = chart();
    const obj = hatch.build(c);
    Waiver.apply(obj, { ruleId: hatch.ruleId, reason: 'vendor component, replacement tracked in SEC-101', owner: 'team-platform', expires: daysFromNow(14) });
    const blocking = (() => { try { synth(c); return ''; } catch (e) { return (e as Error).message; } })();
    expect(blocking).not.toContain(`: ${hatch.ruleId} `);
    const out = obj.toJson();
    expect(JSON.parse(out.metadata.annotations['hardened.cdk8s.io/waivers'])[0]).toMatchObject({ ruleId: hatch.ruleId, owner: 'team-platform' });
  });

  test('fails with an expired waiver', () => {
    const c = chart();
    Waiver.apply(hatch.build(c), { ruleId: hatch.ruleId, reason: 'vendor component, replacement tracked in SEC-101', owner: 'team-platform', expires: daysFromNow(-2) });
    const msg = synthError(c);
    expect(msg).toContain('waiver-expired');
    expect(msg).toContain(hatch.ruleId);
  });
});
