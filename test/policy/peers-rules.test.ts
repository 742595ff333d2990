/** Attacker spellings of the issue-14 rules beyond their fixtures, judged one object at a time. */
import { Catalogue } from '../../lib';

const ctx = (objects: any[]): any => ({ settings: { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.28', maxWaiverDays: 90 }, objects, rules: [], today: '2026-01-01' });
const deployment = (ns: string, meta: any = {}, spec: any = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns },
  spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' }, ...meta }, spec: { containers: [{ name: 'c', image: 'r.example.com/a:1' }], ...spec } } },
});

describe('istio-sidecar-injection-disabled reads the value as Istio does', () => {
  const rule = Catalogue.get('istio-sidecar-injection-disabled');
  const strict = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } };
  test.each(['false', 'False', 'FALSE', 'no', 'n', '0', 'off', 'disabled'])('%s opts out', v => {
    const d = deployment('shop', { annotations: { 'sidecar.istio.io/inject': v } });
    expect(rule.check(d, ctx([strict, d]))).toHaveLength(1);
  });
  test.each(['true', 'True', 'yes', 'Y', 'on', ''])('%s keeps the sidecar', v => {
    const d = deployment('shop', { annotations: { 'sidecar.istio.io/inject': v } });
    expect(rule.check(d, ctx([strict, d]))).toEqual([]);
  });
  test('a STRICT policy scoped to some workloads does not mark the namespace; a mesh-wide one does', () => {
    const d = deployment('shop', { annotations: { 'sidecar.istio.io/inject': 'false' } });
    const scoped = { ...strict, spec: { selector: { matchLabels: { app: 'x' } }, mtls: { mode: 'STRICT' } } };
    expect(rule.check(d, ctx([scoped, d]))).toEqual([]);
    const meshWide = { ...strict, metadata: { name: 'default', namespace: 'istio-system' } };
    expect(rule.check(d, ctx([meshWide, d]))).toHaveLength(1);
  });
});

describe('pod-default-service-account resolves the name as the API server does', () => {
  const rule = Catalogue.get('pod-default-service-account');
  test.each([[{}, 1], [{ serviceAccountName: '' }, 1], [{ serviceAccountName: '', serviceAccount: 'api' }, 0],
    [{ serviceAccountName: 'default' }, 1], [{ serviceAccountName: 'api', serviceAccount: 'default' }, 0]])('%j -> %d finding(s)', (spec, n) => {
    expect(rule.check(deployment('shop', {}, spec), ctx([]))).toHaveLength(n as number);
  });
});

describe('object-default-namespace', () => {
  const rule = Catalogue.get('object-default-namespace');
  test('cluster-scoped kinds and unknown custom kinds without pods are not judged when the namespace is unset', () => {
    expect(rule.check({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' } }, ctx([]))).toEqual([]);
    expect(rule.check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }, ctx([]))).toEqual([]);
    expect(rule.check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x', namespace: 'default' } }, ctx([]))).toHaveLength(1);
  });
});

describe('ingress-host', () => {
  const rule = Catalogue.get('ingress-host');
  const ing = (ns: string, host: unknown) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: ns }, spec: { rules: [{ host }] } });
  test('a host shared within one namespace passes; across namespaces both claimants fail', () => {
    const a = ing('shop', 'shop.example.com'); const b = ing('shop', 'shop.example.com'); const c = ing('evil', 'SHOP.example.com');
    expect(rule.check(a, ctx([a, b]))).toEqual([]);
    expect(rule.check(a, ctx([a, b, c]))).toHaveLength(1);
    expect(rule.check(c, ctx([a, b, c]))).toHaveLength(1);
  });
  test.each(['*', '*.example.com', ' ', 42])('host %j fails', host => {
    const a = ing('shop', host);
    expect(rule.check(a, ctx([a]))).toHaveLength(1);
  });
});
