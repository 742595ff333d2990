/**
 * Non-pod rules at admission (Service exposure, PersistentVolume host paths): the generated CEL on @bufbuild/cel
 * against the TypeScript rules, on the rule fixtures and generated objects; UPDATE, waivers, messages, impact.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import * as fc from 'fast-check';
import { generatePolicies, generateRules } from '../../lib/admission/generate';
import { flattenObjects, impactOf } from '../../lib/admission/impact';
import { evaluate, objectRefOf, withoutNulls } from '../../lib/policy/engine';
import { Catalogue } from '../../lib/policy/catalogue';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { compileRule } from './cel-k8s';

const SETTINGS: PolicySettings = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const tsFails = (id: string, obj: any) => evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(id)], settings: SETTINGS, today: ON })
  .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
const compiled = (id: string, sources: any[] = []) => compileRule(generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id], waiverSources: sources })[0]);
const nsOf = (o: any) => o.metadata?.namespace ?? 'default';

describe.each(['service-exposure', 'persistent-volume-host-path', 'ingress-tls'])('%s', (id) => {
  const dir = path.join(__dirname, '..', 'fixtures', 'rules', id);
  const docs = fs.readdirSync(dir).flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8')).map(d => ({ file: f, obj: withoutNulls(d.toJSON()) })))
    .flatMap(d => flattenObjects([d.obj]).map(obj => ({ file: d.file, obj })))
    // API versions a 1.28+ API server no longer serves (extensions/v1beta1, networking.k8s.io/v1beta1 Ingress) never reach admission
    .filter(d => ['v1', 'networking.k8s.io/v1'].includes(d.obj.apiVersion));

  test('every fixture gets the TypeScript verdict; both verdicts occur', () => {
    const r = compiled(id);
    const verdicts = docs.map(d => [d.file, r.admits(d.obj, nsOf(d.obj)), !tsFails(id, d.obj)]);
    expect(verdicts.filter(v => v[1] !== v[2])).toEqual([]);
    expect(new Set(verdicts.map(v => v[1]))).toEqual(new Set([true, false]));
  });

  test('the policy matches only its kind, CREATE and UPDATE, no subresource', () => {
    const p = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id] })[0];
    const [group, resource] = ({ 'service-exposure': ['', 'services'], 'persistent-volume-host-path': ['', 'persistentvolumes'], 'ingress-tls': ['networking.k8s.io', 'ingresses'] } as any)[id];
    expect(p.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [group], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: [resource] }]);
  });
});

describe('service-exposure', () => {
  const svc = (spec: any, metadata: any = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', ...metadata }, spec: { ports: [{ port: 80 }], ...spec } });
  const r = compiled('service-exposure');

  test('generated Services: CEL and TypeScript agree', () => {
    fc.assert(fc.property(fc.record({
      type: fc.option(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'), { nil: undefined }),
      externalIPs: fc.option(fc.array(fc.constantFrom('10.0.0.1', '203.0.113.7'), { maxLength: 2 }), { nil: undefined }),
    }), spec => {
      const s = svc(JSON.parse(JSON.stringify(spec)));
      expect(r.admits(s, 'shop')).toBe(!tsFails('service-exposure', s));
    }), { numRuns: 200, seed: 25 });
  });

  test('UPDATE: a label change on an existing LoadBalancer is admitted; turning a Service into one is denied', () => {
    const lb = svc({ type: 'LoadBalancer' });
    expect(r.admitsUpdate(lb, { ...lb, metadata: { ...lb.metadata, labels: { a: 'b' }, finalizers: [] } }, 'shop')).toBe(true);
    expect(r.admitsUpdate(svc({}), lb, 'shop')).toBe(false);
    expect(r.messageOf(lb, 'shop')).toBe(`[service-exposure] ${Catalogue.get('service-exposure').title}: Service web: spec.type. Fix: ${Catalogue.get('service-exposure').remediation}`);
  });

  test('a baked waiver covers exactly its object; the same annotation on another Service or namespace does not', () => {
    const waiver = JSON.stringify([{ ruleId: 'service-exposure', reason: 'the public API load balancer, reviewed by security', owner: 'api', expires: '2026-12-31', path: 'spec.type' }]);
    const waived = svc({ type: 'LoadBalancer' }, { annotations: { 'hardened.cdk8s.io/waivers': waiver } });
    const w = compiled('service-exposure', [waived]);
    expect(w.admits(waived, 'shop')).toBe(true);
    expect(w.admits({ ...waived, metadata: { ...waived.metadata, name: 'other' } }, 'shop')).toBe(false);
    expect(w.admits(waived, 'other')).toBe(false);
    // the waiver's path covers spec.type only
    expect(w.admits({ ...waived, spec: { ...waived.spec, externalIPs: ['203.0.113.7'] } }, 'shop')).toBe(false);
  });

  test('impact lists an exposed Service', () => {
    const report = impactOf([svc({ type: 'NodePort' }), svc({}, { name: 'internal' })], { settings: SETTINGS, apiVersion: 'v1', generatedOn: ON });
    expect(report.policies.find(p => p.ruleId === 'service-exposure')!.objects.map(o => o.name)).toEqual(['web']);
  });
});

describe('persistent-volume-host-path', () => {
  const pv = (spec: any, name = 'disk') => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec } });
  const r = compiled('persistent-volume-host-path');
  const segment = fc.constantFrom('mnt', 'disks', 'var', 'lib', 'kubelet', 'etc', 'data', 'app-data', 'opt', 'cni', '..', '.', '');

  test('generated local paths: CEL gives the TypeScript verdict, and denies the ones it cannot normalize (`.`, `..`, `//`)', () => {
    let weird = 0;
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), (segs, absolute, trailing) => {
      const p = `${absolute ? '/' : ''}${segs.join('/')}${trailing ? '/' : ''}`;
      const obj = pv({ local: { path: p } });
      const cel = r.admits(obj, '');
      if (/\/\/|\/\.\.?(\/|$)/.test(p)) {
        weird++;
        expect([p, cel]).toEqual([p, false]);
      } else {
        expect([p, cel]).toEqual([p, !tsFails('persistent-volume-host-path', obj)]);
      }
    }), { numRuns: 400, seed: 2526 });
    expect(weird).toBeGreaterThan(20);
  });

  test('hostPath always fails; a waiver of a cluster-scoped PV is honoured by name', () => {
    expect(r.admits(pv({ hostPath: { path: '/mnt/x' } }), '')).toBe(false);
    const waiver = JSON.stringify([{ ruleId: 'persistent-volume-host-path', reason: 'single-node lab cluster, torn down weekly', owner: 'lab', expires: '2026-12-31' }]);
    const waived = { ...pv({ hostPath: { path: '/mnt/x' } }, 'lab'), metadata: { name: 'lab', annotations: { 'hardened.cdk8s.io/waivers': waiver } } };
    const w = compiled('persistent-volume-host-path', [waived]);
    expect(w.admits(waived, '')).toBe(true);
    expect(w.admits({ ...waived, metadata: { ...waived.metadata, name: 'lab2' } }, '')).toBe(false);
    expect(r.messageOf(pv({ local: { path: '/var/lib/kubelet/x' } }), '')).toContain('PersistentVolume disk: spec.local.path. Fix');
  });
});

describe('ingress-tls', () => {
  const ing = (spec: any, annotations?: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', ...(annotations ? { annotations } : {}) }, spec });
  const r = compiled('ingress-tls');
  const host = fc.constantFrom('shop.example.com', 'api.example.com', 'Shop.Example.com.', 'a.b.example.com', '', ' ');
  const tlsHost = fc.constantFrom('shop.example.com', '*.example.com', 'SHOP.example.com', 'example.com', '*.b.example.com');

  test('generated Ingresses: CEL and TypeScript agree', () => {
    fc.assert(fc.property(
      fc.option(fc.array(fc.record({ hosts: fc.array(tlsHost, { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }), { nil: undefined }),
      fc.array(fc.record({ host: host }, { requiredKeys: [] }), { maxLength: 3 }),
      fc.option(fc.constantFrom('false', ' FALSE ', 'true'), { nil: undefined }), fc.option(fc.constantFrom('true', 'True', 'false'), { nil: undefined }),
      (tls, rules, redirect, allowHttp) => {
        const annotations: any = {};
        if (redirect !== undefined) annotations['nginx.ingress.kubernetes.io/ssl-redirect'] = redirect;
        if (allowHttp !== undefined) annotations['kubernetes.io/ingress.allow-http'] = allowHttp;
        const o = ing({ ...(tls ? { tls } : {}), rules }, Object.keys(annotations).length ? annotations : undefined);
        expect(r.admits(o, 'shop')).toBe(!tsFails('ingress-tls', o));
      }), { numRuns: 300, seed: 2527 });
  });

  test('UPDATE: a label change on an Ingress without TLS is admitted; turning ssl-redirect off (an annotation this rule reads) is judged', () => {
    const plain = ing({ rules: [{ host: 'shop.example.com' }] });
    expect(r.admitsUpdate(plain, { ...plain, metadata: { ...plain.metadata, labels: { a: 'b' } } }, 'shop')).toBe(true);
    const tls = ing({ tls: [{ hosts: ['shop.example.com'] }], rules: [{ host: 'shop.example.com' }] });
    expect(r.admitsUpdate(tls, { ...tls, metadata: { ...tls.metadata, annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } } }, 'shop')).toBe(false);
  });
});
