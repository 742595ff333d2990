/**
 * Class 5 of issue #30: ingress-controller configuration injection through annotations (ingress-nginx, HAProxy,
 * Traefik), judged by effect with the documented list (lib/semantics/ingress/annotations.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, JsonPatch } from 'cdk8s';
import { Catalogue, HardenedChart, HardenedDeployment } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { MINIMAL } from '../workload/helpers';
import { docsOf, expectBlockedEverywhere } from './layers';

const RULE = 'ingress-controller-injection';
const DIR = path.join(__dirname, '..', 'fixtures', 'rules', RULE);
const today = new Date().toISOString().slice(0, 10);
const findingsOf = (docs: any[]) =>
  evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(RULE)], settings: { ...DEFAULT_PROFILE }, today });

test.each(['fail.yaml', 'fail-haproxy-traefik.yaml', 'fail-configmap.yaml'])('every object of %s fails, at its annotation or field', file => {
  const docs = docsOf(fs.readFileSync(path.join(DIR, file), 'utf-8'));
  const f = findingsOf(docs);
  for (const d of docs) {
    const mine = f.filter(x => x.object.name === d.metadata.name && x.object.kind === d.kind);
    expect({ name: d.metadata.name, count: mine.length }).toEqual({ name: d.metadata.name, count: 1 });
  }
});

test('the passing fixture has no finding', () => {
  expect(findingsOf(docsOf(fs.readFileSync(path.join(DIR, 'pass.yaml'), 'utf-8')))).toEqual([]);
});

const ingress = (key: string, value: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations: { ${JSON.stringify(key)}: ${JSON.stringify(value)} }
spec:
  ingressClassName: nginx
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: shop, port: { number: 80 } } } }] } }]
`;

describe('every layer refuses it, and a waiver lets a platform-owned one through', () => {
  test.each([
    ['nginx.ingress.kubernetes.io/server-snippet', 'location /x { return 200; }'],
    ['nginx.ingress.kubernetes.io/configuration-snippet', 'more_set_headers "X: y";'],
    ['nginx.ingress.kubernetes.io/auth-snippet', 'proxy_set_header A b;'],
    ['nginx.ingress.kubernetes.io/auth-url', 'http://x.example.com/#;}}\nlocation /y {'],
    ['nginx.ingress.kubernetes.io/mirror-target', 'https://collector.example.net$request_uri'],
    ['haproxy.org/backend-config-snippet', 'http-request deny'],
  ])('%s', async (key, value) => {
    await expectBlockedEverywhere(ingress(key, value), RULE, { waive: ['Ingress/shop'] });
  });
});

describe('expose() and its escape hatches', () => {
  const exposed = () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'attack-ingress-')) });
    const chart = new HardenedChart(app, 'c', { namespace: 'shop' });
    const d = new HardenedDeployment(chart, 'api', MINIMAL);
    const x = d.expose({ hosts: ['shop.example.com'], controllerNamespace: 'ingress-nginx', ingress: { className: 'nginx', tlsSecretName: 'shop-tls' } });
    return { app, x };
  };
  const message = (app: App) => { try { app.synth(); return ''; } catch (e) { return (e as Error).message; } };

  test('the exposure alone synthesizes', () => {
    expect(message(exposed().app)).toBe('');
  });

  test('addAnnotation on the exposure\'s Ingress', () => {
    const { app, x } = exposed();
    x.ingress!.metadata.addAnnotation('nginx.ingress.kubernetes.io/server-snippet', 'location /x { return 200; }');
    expect(message(app)).toMatch(/Ingress shop\/api .* at metadata\.annotations\["nginx\.ingress\.kubernetes\.io\/server-snippet"\]: ingress-controller-injection/);
  });

  test('a JSON patch adding the annotation', () => {
    const { app, x } = exposed();
    x.ingress!.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'nginx.ingress.kubernetes.io/permanent-redirect': 'https://a.example.com;\nreturn 200;' }));
    expect(message(app)).toContain(': ingress-controller-injection ');
  });
});
