/**
 * Class 4 of issue #30: mesh opt-outs by annotation are judged by their effect, with the documented list per mesh
 * (lib/semantics/mesh/bypass.ts), and port-level PeerAuthentication DISABLE/PERMISSIVE is refused.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Catalogue, HardenedChart, HardenedDeployment, IsolatedNamespace } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { MINIMAL } from '../workload/helpers';
import { docsOf, expectBlockedEverywhere, expectNotFlagged } from './layers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const today = new Date().toISOString().slice(0, 10);
const findingsOf = (ruleId: string, docs: any[]) =>
  evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today });

describe.each([
  ['istio-sidecar-injection-disabled', 'istio-sidecar-injection-disabled/fail-port-annotations.yaml', 'istio-sidecar-injection-disabled/pass-port-annotations.yaml'],
  ['linkerd-proxy-bypass', 'linkerd-proxy-bypass/fail.yaml', 'linkerd-proxy-bypass/pass.yaml'],
])('%s', (ruleId, failFile, passFile) => {
  test('every workload of the failing fixture fails, naming its annotation or label', () => {
    const docs = docsOf(fs.readFileSync(path.join(FIXTURES, failFile), 'utf-8'));
    const f = findingsOf(ruleId, docs);
    for (const d of docs.filter(x => x.kind === 'Deployment')) {
      const mine = f.filter(x => x.object.name === d.metadata.name);
      expect({ name: d.metadata.name, count: mine.length }).toEqual({ name: d.metadata.name, count: 1 });
      const keys = [...Object.keys(d.spec.template.metadata.annotations ?? {}), ...Object.keys(d.spec.template.metadata.labels)].filter(k => k !== 'app');
      expect(keys.some(k => mine[0].path === `spec.template.metadata.annotations["${k}"]` || mine[0].path === `spec.template.metadata.labels["${k}"]`)).toBe(true);
    }
  });

  test('no workload of the passing fixture fails', () => {
    expect(findingsOf(ruleId, docsOf(fs.readFileSync(path.join(FIXTURES, passFile), 'utf-8')))).toEqual([]);
  });
});

const STRICT = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: pay }
spec: { mtls: { mode: STRICT } }
`;
const pod = (annotations: string, labels = '') => `
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: pay
  annotations: { ${annotations} }
  labels: { app: p${labels ? `, ${labels}` : ''} }
spec:
  containers: [{ name: c, image: "registry.example.com/c@sha256:${'a'.repeat(64)}" }]
`;

describe('every layer refuses a port past the sidecar in a STRICT namespace', () => {
  test.each([
    ['excludeInboundPorts', '"traffic.sidecar.istio.io/excludeInboundPorts": "8080"'],
    ['includeInboundPorts ""', '"traffic.sidecar.istio.io/includeInboundPorts": ""'],
    ['interceptionMode NONE', '"sidecar.istio.io/interceptionMode": "NONE"'],
    ['ProxyConfig interceptionMode NONE (JSON)', '"proxy.istio.io/config": "{\\"interceptionMode\\": \\"NONE\\"}"'],
    ['inject=false', '"sidecar.istio.io/inject": "false"'],
  ])('%s', async (_, annotation) => {
    await expectBlockedEverywhere(`${STRICT}---${pod(annotation)}`, 'istio-sidecar-injection-disabled', { waive: ['Pod/p'] });
  });

  test('port-level PeerAuthentication DISABLE and PERMISSIVE', async () => {
    for (const mode of ['DISABLE', 'PERMISSIVE']) {
      await expectBlockedEverywhere(`
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: { name: api-port, namespace: pay }
spec:
  selector: { matchLabels: { app: api } }
  mtls: { mode: STRICT }
  portLevelMtls: { "8080": { mode: ${mode} } }
`, 'istio-peer-authentication-mtls', { waive: ['PeerAuthentication/api-port'] });
    }
  });

  test('the same annotations outside the mesh are not judged', async () => {
    await expectNotFlagged(pod('"traffic.sidecar.istio.io/excludeInboundPorts": "8080"'), 'istio-sidecar-injection-disabled');
  });

  test('Linkerd: skip-inbound-ports in an injected namespace', async () => {
    await expectBlockedEverywhere(`
apiVersion: v1
kind: Namespace
metadata: { name: pay, annotations: { linkerd.io/inject: enabled } }
---${pod('"config.linkerd.io/skip-inbound-ports": "8080"')}`, 'linkerd-proxy-bypass', { waive: ['Pod/p'] });
  });
});

describe('the library path of the issue: IsolatedNamespace meshMtlsStrict + HardenedDeployment podAnnotations', () => {
  test.each([
    ['traffic.sidecar.istio.io/excludeInboundPorts', '8080'],
    ['traffic.sidecar.istio.io/includeInboundPorts', ''],
    ['sidecar.istio.io/interceptionMode', 'NONE'],
  ])('%s: %j fails app.synth()', (key, value) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'attack-mesh-')) });
    const chart = new HardenedChart(app, 'c', { namespace: 'pay' });
    new IsolatedNamespace(chart, 'ns', { name: 'pay', meshMtlsStrict: true });
    new HardenedDeployment(chart, 'api', { ...MINIMAL, podAnnotations: { [key]: value } });
    expect(() => app.synth()).toThrow(new RegExp(`Deployment pay/api .*spec\\.template\\.metadata\\.annotations\\["${key.replace(/[./]/g, '\\$&')}"\\]: istio-sidecar-injection-disabled`));
  });
});
