/**
 * ingress-tls at admission on OpenShift Routes (route.openshift.io): the generated CEL on @bufbuild/cel against the
 * TypeScript rule, on generated Routes (every termination and policy spelling, wrong types); the policy matches the
 * routes resource of its group; UPDATE, waivers and messages. Knative kinds are listed as judged at synth time only.
 */
import * as fc from 'fast-check';
import { generatePolicies, generateRules } from '../../lib/admission/generate';
import { impactOf } from '../../lib/admission/impact';
import { OBJECT_RULES } from '../../lib/admission/object-rules';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf, withoutNulls } from '../../lib/policy/engine';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { compileRule } from './cel-k8s';

const SETTINGS: PolicySettings = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const tsAdmits = (id: string, obj: any) => !evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(id)], settings: SETTINGS, today: ON })
  .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
const compiled = (id: string, sources: any[] = []) => compileRule(generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id], waiverSources: sources })[0]);

const route = (tls: any, metadata: any = {}) => ({
  apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'web', namespace: 'shop', ...metadata },
  spec: { host: 'shop.example.com', to: { kind: 'Service', name: 'web' }, ...(tls === undefined ? {} : { tls }) },
});

describe('ingress-tls: OpenShift Route at admission', () => {
  const r = compiled('ingress-tls');

  test('generated Routes (terminations and policies in every case, absent, empty, wrong types): CEL gives the TypeScript verdict', () => {
    const spelling = fc.constantFrom('edge', 'Edge', 'EDGE', 'reencrypt', 'passthrough', 'Passthrough', '', 'none');
    const policy = fc.constantFrom('None', 'none', 'Allow', 'allow', 'ALLOW', 'Redirect', 'redirect', '', ' Allow');
    const tls = fc.oneof(
      fc.constant(undefined),
      fc.record({ termination: fc.option(spelling, { nil: undefined }), insecureEdgeTerminationPolicy: fc.option(policy, { nil: undefined }) }),
      fc.constantFrom<any>({}, 'edge', ['edge'], { termination: 1 }, { termination: 'edge', insecureEdgeTerminationPolicy: true }),
    );
    let denied = 0;
    fc.assert(fc.property(tls, t => {
      const obj = withoutNulls(JSON.parse(JSON.stringify(route(t))));
      const cel = r.admits(obj, 'shop');
      if (!cel) denied++;
      expect([t, cel]).toEqual([t, tsAdmits('ingress-tls', obj)]);
    }), { numRuns: 300, seed: 3301 });
    expect(denied).toBeGreaterThan(50);
  });

  test('Redirect and None pass; Allow, no TLS and a refused spelling are denied, naming the field and the fix', () => {
    expect(r.admits(route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' }), 'shop')).toBe(true);
    expect(r.admits(route({ termination: 'reencrypt', insecureEdgeTerminationPolicy: 'None' }), 'shop')).toBe(true);
    expect(r.admits(route({ termination: 'passthrough' }), 'shop')).toBe(true);
    const rule = Catalogue.get('ingress-tls');
    const prefix = `[ingress-tls] ${rule.title}: Route web: `;
    expect(r.messageOf(route(undefined), 'shop')).toBe(`${prefix}spec.tls. Fix: ${rule.remediation}`);
    expect(r.messageOf(route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' }), 'shop')).toBe(`${prefix}spec.tls.insecureEdgeTerminationPolicy. Fix: ${rule.remediation}`);
    expect(r.messageOf(route({ termination: 'Edge' }), 'shop')).toBe(`${prefix}spec.tls.termination. Fix: ${rule.remediation}`);
  });

  test('UPDATE: a label change on an existing plaintext Route is admitted; turning TLS off or on Allow is denied', () => {
    const plain = route(undefined);
    const secure = route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' });
    expect(r.admitsUpdate(plain, { ...plain, metadata: { ...plain.metadata, labels: { a: 'b' } } }, 'shop')).toBe(true);
    expect(r.admitsUpdate(secure, plain, 'shop')).toBe(false);
    expect(r.admitsUpdate(secure, route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' }), 'shop')).toBe(false);
  });

  test('a baked waiver covers its Route and path only', () => {
    const waiver = JSON.stringify([{ ruleId: 'ingress-tls', reason: 'the HTTP health endpoint of the legacy load balancer', owner: 'web', expires: '2026-12-31', path: 'spec.tls.insecureEdgeTerminationPolicy' }]);
    const waived = route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' }, { annotations: { 'hardened.cdk8s.io/waivers': waiver } });
    const w = compiled('ingress-tls', [waived]);
    expect(w.admits(waived, 'shop')).toBe(true);
    expect(w.admits({ ...waived, metadata: { ...waived.metadata, name: 'other' } }, 'shop')).toBe(false);
    // the waiver's path does not cover a Route without TLS
    expect(w.admits({ ...waived, spec: { ...waived.spec, tls: undefined } }, 'shop')).toBe(false);
  });

  test('impact lists the plaintext Routes of a cluster dump, not the TLS-only ones nor Knative routes', () => {
    const knative = { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'kn', namespace: 'shop' }, spec: {} };
    const dump = [route(undefined, { name: 'plain' }), route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' }, { name: 'allow' }),
      route({ termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' }, { name: 'tls' }), knative];
    const report = impactOf(dump, { settings: SETTINGS, apiVersion: 'v1', generatedOn: ON });
    expect(report.policies.find(p => p.ruleId === 'ingress-tls')!.objects.map(o => o.name).sort()).toEqual(['allow', 'plain']);
  });

  test('the policy matches routes of route.openshift.io (and Ingresses), never Knative routes', () => {
    const [policy] = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: ['ingress-tls'] });
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      expect.objectContaining({ apiGroups: ['networking.k8s.io'], resources: ['ingresses'] }),
      expect.objectContaining({ apiGroups: ['route.openshift.io'], resources: ['routes'] }),
    ]);
  });
});

test('service-exposure at admission names the Knative kinds it leaves to the guard and `check`, with the reason', () => {
  const se = OBJECT_RULES.find(x => x.id === 'service-exposure')!;
  expect(se.partial).toMatch(/Knative \(serving\.knative\.dev\) Services, Routes and DomainMappings are judged at synth time/);
  expect(se.judges!({ apiVersion: 'v1', kind: 'Service' }, 'spec.type')).toBe(true);
  expect(se.judges!({ apiVersion: 'serving.knative.dev/v1', kind: 'Service' }, 'metadata.labels')).toBe(false);
});
