/**
 * Non-pod rules at admission (Service exposure, PersistentVolume host paths): the generated CEL on @bufbuild/cel
 * against the TypeScript rules, on the rule fixtures and generated objects; UPDATE, waivers, messages, impact.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { generatePolicies, generateRules } from '../../lib/admission/generate';
import { flattenObjects, impactOf } from '../../lib/admission/impact';
import { OBJECT_RULES, objectKindOf, ObjectAdmissionRule, ObjectKind } from '../../lib/admission/object-rules';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf, withoutNulls } from '../../lib/policy/engine';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { schemaErrors } from '../util/schema';
import { compileRule } from './cel-k8s';
import { estimateCost, PER_CALL_LIMIT, RUNTIME_BUDGET } from './cost';
import { v1SchemaErrors } from './v1-schema';

const SETTINGS: PolicySettings = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const tsFails = (id: string, obj: any) => evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(id)], settings: SETTINGS, today: ON })
  .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
const compiled = (id: string, sources: any[] = []) => compileRule(generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id], waiverSources: sources })[0]);

const RULE_IDS = OBJECT_RULES.map(r => r.id);
// API versions a 1.28+ API server no longer serves (extensions/v1beta1, networking.k8s.io/v1beta1 Ingress, rbac v1beta1) never reach admission
const SERVED = (o: any) => !['extensions/v1beta1', 'networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1'].includes(o?.apiVersion);
/** Every object of every rule fixture, as the API server would hand it to a policy. */
const ALL_DOCS = fs.readdirSync(path.join(__dirname, '..', 'fixtures', 'rules')).flatMap(rule => {
  const dir = path.join(__dirname, '..', 'fixtures', 'rules', rule);
  return fs.readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8').replace(/\$\{DAYS_FROM_NOW:(-?\d+)\}/g, '2026-07-01'))
    .map(d => ({ file: `${rule}/${f}`, obj: withoutNulls(d.toJSON()) })));
}).flatMap(d => flattenObjects([d.obj]).map(obj => ({ file: d.file, obj }))).filter(d => SERVED(d.obj));

/** The TypeScript verdict on what the policy judges (a rule generated in part: only the findings it judges). */
const tsAdmits = (id: string, obj: any) => {
  const judges = OBJECT_RULES.find(r => r.id === id)!.judges;
  return !evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(id)], settings: SETTINGS, today: ON })
    .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE) && (!judges || judges(obj, f.path)));
};

/** The object as admission sees it: a namespaced object without a namespace is in the request's ('default'). */
const admitted = (r: ObjectAdmissionRule, obj: any) => {
  const k = objectKindOf(r, obj)!;
  if (k.clusterScoped) return { obj, ns: '' };
  const ns = typeof obj.metadata?.namespace === 'string' && obj.metadata.namespace !== '' ? obj.metadata.namespace : 'default';
  return { obj: { ...obj, metadata: { ...obj.metadata, namespace: ns } }, ns };
};

/** The values of the fields a rule reads (its `reads` selections), in TypeScript. */
function readsOf(r: ObjectAdmissionRule, obj: any): unknown[] {
  return r.reads.map(sel => {
    const m = /^object\.(metadata\.annotations|data)\['(.+)'\]$/.exec(sel);
    const steps = m ? [...m[1].split('.'), m[2]] : sel.split('.').slice(1);
    return steps.reduce((o: any, k) => (o && typeof o === 'object' && !Array.isArray(o) ? o[k] : undefined), obj) ?? null;
  });
}
/** JSON with sorted keys (CEL map equality ignores key order). */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1))) : x));

describe.each(RULE_IDS)('%s', id => {
  const r = OBJECT_RULES.find(x => x.id === id)!;
  const own = ALL_DOCS.filter(d => d.file.startsWith(`${id}/`) && objectKindOf(r, d.obj));

  test('every fixture object of a matched kind (all rules\' fixtures) gets the TypeScript verdict; both verdicts occur on its own fixtures', () => {
    const c = compiled(id);
    const verdicts = ALL_DOCS.filter(d => objectKindOf(r, d.obj)).map(d => {
      const { obj, ns } = admitted(r, d.obj);
      return [d.file, obj.kind, obj.metadata?.name, c.admits(obj, ns), tsAdmits(id, obj)];
    });
    expect(verdicts.filter(v => v[3] !== v[4])).toEqual([]);
    const mine = own.map(d => { const { obj, ns } = admitted(r, d.obj); return c.admits(obj, ns); });
    expect(new Set(mine)).toEqual(new Set([true, false]));
  });

  test('the policy matches only its kinds, CREATE and UPDATE, no subresource; the v1 output validates against the 1.30 and 1.36 OpenAPI', () => {
    const objs = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id] });
    const rules = objs[0].spec.matchConstraints.resourceRules;
    for (const rr of rules) {
      expect(rr.operations).toEqual(['CREATE', 'UPDATE']);
      expect(rr.resources.filter((x: string) => x.includes('/'))).toEqual([]);
    }
    const expected = r.kinds === 'namespaced' ? [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'], scope: 'Namespaced' }]
      : [...new Set(r.kinds.map(k => k.group))].map(g => expect.objectContaining({
        apiGroups: [g], resources: (r.kinds as ObjectKind[]).filter(k => k.group === g).map(k => k.resource),
      }));
    expect(rules).toEqual(expected);
    for (const release of ['1.30', '1.36'] as const) for (const o of objs) expect(v1SchemaErrors(o, release)).toEqual([]);
    for (const o of generatePolicies({ settings: SETTINGS, apiVersion: 'v1beta1', generatedOn: ON, ruleIds: [id] })) expect(schemaErrors(o)).toEqual([]);
  });

  test('every expression stays inside the API server cost budgets (with waivers baked)', () => {
    const waived = own.filter(d => !tsAdmits(id, d.obj)).slice(0, 1).map(d => ({
      ...d.obj, metadata: { ...d.obj.metadata, annotations: { ...d.obj.metadata?.annotations, 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: id, reason: 'accepted for the cost estimate of this test', owner: 'test', expires: '2026-12-31', path: 'metadata' }]) } },
    }));
    for (const sources of [[], waived]) {
      const g = generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id], waiverSources: sources })[0];
      // a rule with limits (netpol-metadata.ts) has its rule validation estimated within the limits it enforces, in its own
      // test (netpol-metadata.test.ts): LIST_BOUND for every list would count more except entries than the policy admits
      const estimated = r.limits ? g.validations.slice(0, -1) : g.validations;
      const costs = [
        ...g.variables.map(v => estimateCost(v.expression)),
        ...estimated.flatMap(v => [estimateCost(v.expression), estimateCost(v.messageExpression)]),
      ];
      for (const c of costs) expect(c).toBeLessThan(PER_CALL_LIMIT);
      expect(costs.reduce((a, b) => a + b, 0)).toBeLessThan(RUNTIME_BUDGET);
    }
  });

  test('UPDATE with oldObject, on every pair of its fixture objects: judged (the TypeScript verdict) only when a field the rule reads changed', () => {
    const c = compiled(id);
    const objs = ALL_DOCS.filter(d => objectKindOf(r, d.obj)).map(d => admitted(r, d.obj)).slice(0, 40);
    let judged = 0;
    for (const a of objs) {
      // a metadata-only change is always admitted
      expect(c.admitsUpdate(a.obj, { ...a.obj, metadata: { ...a.obj.metadata, labels: { changed: 'yes' }, finalizers: ['example.com/x'] } }, a.ns)).toBe(true);
      for (const b of objs.filter(x => x.obj.kind === a.obj.kind && x.ns === a.ns)) {
        const same = canonical(readsOf(r, a.obj)) === canonical(readsOf(r, b.obj));
        if (!same) judged++;
        expect([a.obj.metadata?.name, b.obj.metadata?.name, c.admitsUpdate(a.obj, b.obj, b.ns)])
          .toEqual([a.obj.metadata?.name, b.obj.metadata?.name, same || tsAdmits(id, b.obj)]);
      }
    }
    // an UPDATE cannot move an object to another namespace: object-default-namespace never judges one
    if (id !== 'object-default-namespace') expect(judged).toBeGreaterThan(0);
  });

  test('a denial names the rule, the object, the field of the first finding and the fix', () => {
    const c = compiled(id);
    const d = own.map(x => admitted(r, x.obj)).find(x => !c.admits(x.obj, x.ns))!;
    const rule = Catalogue.get(id);
    const first = evaluate([{ object: d.obj, ref: objectRefOf(d.obj) }], { rules: [rule], settings: SETTINGS, today: ON })
      .filter(f => f.outcome === Outcome.FAIL && (!r.judges || r.judges(d.obj, f.path))).map(f => f.path);
    const m = c.messageOf(d.obj, d.ns)!;
    expect(m.startsWith(`[${id}] ${rule.title}: ${d.obj.kind} ${d.obj.metadata.name}: `)).toBe(true);
    expect(m.endsWith(`. Fix: ${rule.remediation}`)).toBe(true);
    const named = m.slice(`[${id}] ${rule.title}: ${d.obj.kind} ${d.obj.metadata.name}: `.length, m.length - `. Fix: ${rule.remediation}`.length);
    expect(first).toContain(named);
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
      // every spelling strconv.ParseBool reads (as the controllers do), and some it does not
      fc.option(fc.constantFrom('false', ' FALSE ', 'true', '0', 'f', 'F', '\u00a0False\ufeff', 'fAlSe', 'no', '1', ''), { nil: undefined }),
      fc.option(fc.constantFrom('true', 'True', 'false', 'F', '0', 'FALSE', ' false', 'yes', '', '1', 't'), { nil: undefined }),
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
    // the same effect in other spellings: ParseBool's "0" for the nginx redirect, an unparsable allow-http for ingress-gce
    expect(r.admitsUpdate(tls, { ...tls, metadata: { ...tls.metadata, annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': '0' } } }, 'shop')).toBe(false);
    expect(r.admitsUpdate(tls, { ...tls, metadata: { ...tls.metadata, annotations: { 'kubernetes.io/ingress.allow-http': 'yes' } } }, 'shop')).toBe(false);
    expect(r.admitsUpdate(tls, { ...tls, metadata: { ...tls.metadata, annotations: { 'kubernetes.io/ingress.allow-http': 'F' } } }, 'shop')).toBe(true);
  });
});
