/**
 * `app.synthYaml()` of a guarded App writes with the guard's fast writer (as `app.synth()` does) and judges the
 * documents it wrote, instead of re-reading the text: the same bytes as cdk8s's Yaml.stringify, the same verdicts.
 */
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { HardenedChart } from '../../../lib';

const DIGEST = '@sha256:' + 'a'.repeat(64);
const pod = (name: string, privileged = false) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' },
  spec: {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'c', image: 'registry.example.com/app' + DIGEST,
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, privileged },
    }],
  },
});

function build(guarded: boolean, extra?: (c: Chart) => void): App {
  const app = new App();
  const chart = guarded ? new HardenedChart(app, 'shop') : new Chart(app, 'shop');
  new ApiObject(chart, 'a', pod('a'));
  new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { 'x.yaml': Yaml.stringify({ a: 1 }), 'yes': 'on', 'n': '0o17' } });
  extra?.(chart);
  return app;
}

describe('guarded app.synthYaml()', () => {
  test('returns the bytes cdk8s writes without the guard', () => {
    process.env.CDK8S_HARDENED_QUIET = '1';
    expect(build(true).synthYaml()).toBe(build(false).synthYaml());
  });

  test('blocks a privileged Pod, also next to a Yaml.stringify call made while the charts serialize', () => {
    const app = build(true, c => {
      const o = new ApiObject(c, 'bad', pod('bad', true));
      // A construct that calls Yaml.stringify during synthesis (nested in synthYaml's own).
      const toJson = o.toJson.bind(o);
      o.toJson = () => ({ ...toJson(), metadata: { ...toJson().metadata, annotations: { note: Yaml.stringify({ k: 'v' }) } } });
    });
    expect(() => app.synthYaml()).toThrow(/privileged-container/);
  });

  test('documents the fast writer cannot write are judged from the text', () => {
    const app = build(true, c => {
      new ApiObject(c, 'odd', { ...pod('odd', true), metadata: { name: 'odd', namespace: 'shop', annotations: { a: 'line1\nline2 \t' } } });
    });
    expect(() => app.synthYaml()).toThrow(/Pod shop\/odd .*privileged-container/);
  });
});
