/**
 * Exposure through kinds other than the core Service and Ingress: Knative Services, Routes and DomainMappings
 * (service-exposure), OpenShift Routes (ingress-tls). Every document of their fixtures is judged alone, with the path
 * and the reason; the guard blocks a raw Knative Service in a chart, and a waiver lets it through.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { Catalogue, Guard, HardenedChart, Outcome, Waiver } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { KNATIVE_VISIBILITY_LABEL } from '../../lib/policy/rules/workload/service-exposure';
import { daysFromNow, synthError } from '../util/synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const docsOf = (rule: string, file: string): any[] =>
  YAML.parseAllDocuments(fs.readFileSync(path.join(FIXTURES, rule, file), 'utf-8')).map(d => d.toJSON()).filter(Boolean);

/** [path, message] of each finding of `ruleId` on one object (list items included). */
function findings(ruleId: string, obj: any): [string, string][] {
  return evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today: '2026-06-01' })
    .filter(f => f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE).map(f => [f.path, f.message]);
}

const LABEL_PATH = `metadata.labels["${KNATIVE_VISIBILITY_LABEL}"]`;

describe('service-exposure: Knative', () => {
  test.each([
    ['public-by-default', LABEL_PATH, /no networking\.knative\.dev\/visibility: cluster-local label/],
    ['template-label', LABEL_PATH, /spec\.template goes to the Revision/],
    ['wrong-case', LABEL_PATH, /is "Cluster-Local"; only exactly "cluster-local"/],
    ['wrong-value', LABEL_PATH, /is "internal"/],
    ['wrong-key', LABEL_PATH, /no networking\.knative\.dev\/visibility: cluster-local label/],
    ['obsolete-key', LABEL_PATH, /removed in Knative 0\.21/],
    ['direct-route', LABEL_PATH, /Knative Route "direct-route" is published on the external ingress/],
    ['api.example.com', 'spec.ref', /DomainMapping "api\.example\.com" publishes its target/],
    ['listed', LABEL_PATH, /Knative Service "listed"/],
  ])('fail-knative.yaml %s fails at %s', (name, at, message) => {
    const doc = docsOf('service-exposure', 'fail-knative.yaml').find(d => (d.kind === 'List' ? d.items[0] : d).metadata.name === name);
    const f = findings('service-exposure', doc);
    expect(f.map(([p]) => p)).toEqual([at]);
    expect(f[0][1]).toMatch(message);
  });

  test('every document of pass-knative.yaml passes', () => {
    const docs = docsOf('service-exposure', 'pass-knative.yaml');
    expect(docs.length).toBe(3);
    for (const d of docs) expect([d.metadata.name, findings('service-exposure', d)]).toEqual([d.metadata.name, []]);
  });

  test('a core Service with the Knative label is still judged by its type', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', labels: { [KNATIVE_VISIBILITY_LABEL]: 'cluster-local' } }, spec: { type: 'LoadBalancer' } };
    expect(findings('service-exposure', svc).map(([p]) => p)).toEqual(['spec.type']);
  });

  test('a Knative Service never gets the core checks (spec.type is no field of it)', () => {
    const ksvc = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'k', labels: { [KNATIVE_VISIBILITY_LABEL]: 'cluster-local' } }, spec: { type: 'LoadBalancer' } };
    expect(findings('service-exposure', ksvc)).toEqual([]);
  });

  test('an OpenShift Route and a Route or DomainMapping of an unknown group are not judged by service-exposure', () => {
    for (const apiVersion of ['route.openshift.io/v1', 'example.com/v1']) {
      for (const kind of ['Route', 'DomainMapping']) expect(findings('service-exposure', { apiVersion, kind, metadata: { name: 'r' }, spec: {} })).toEqual([]);
    }
  });

  test('the guard blocks a raw Knative Service in a chart, naming the rule and the label; a waiver lets it through', () => {
    const build = (waive: boolean) => {
      const chart = new HardenedChart(new App(), 'kn');
      const obj = new ApiObject(chart, 'api', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' } });
      if (waive) Waiver.apply(obj, { ruleId: 'service-exposure', reason: 'the public API, reviewed by security', owner: 'api-team', expires: daysFromNow(30) });
      return chart;
    };
    const msg = synthError(build(false));
    expect(msg).toContain('service-exposure');
    expect(msg).toContain(KNATIVE_VISIBILITY_LABEL);
    const waived = Guard.of(build(true)).findings().filter(f => f.ruleId === 'service-exposure');
    expect(waived.length).toBe(1);
    expect(waived[0].waiver?.owner).toBe('api-team');
  });
});

describe('ingress-tls: OpenShift Route', () => {
  test.each([
    ['no-tls', 'spec.tls', /no TLS: the router serves it over plain HTTP/],
    ['null-tls', 'spec.tls', /no TLS/],
    ['edge-allow', 'spec.tls.insecureEdgeTerminationPolicy', /Allow: the router also serves the Route over plain HTTP/],
    ['reencrypt-allow', 'spec.tls.insecureEdgeTerminationPolicy', /Allow: the router also serves/],
    ['lower-allow', 'spec.tls.insecureEdgeTerminationPolicy', /"allow" is not one of None, Allow, Redirect \(exact case\): OpenShift refuses/],
    ['lower-redirect', 'spec.tls.insecureEdgeTerminationPolicy', /"redirect" is not one of/],
    ['upper-termination', 'spec.tls.termination', /"Edge" is not one of edge, reencrypt, passthrough/],
    ['empty-tls', 'spec.tls.termination', /null is not one of/],
    ['passthrough-allow', 'spec.tls.insecureEdgeTerminationPolicy', /passthrough termination: OpenShift refuses/],
    ['listed', 'spec.tls', /no TLS/],
  ])('fail-openshift-route.yaml %s fails at %s', (name, at, message) => {
    const doc = docsOf('ingress-tls', 'fail-openshift-route.yaml').find(d => (d.kind === 'List' ? d.items[0] : d).metadata.name === name);
    const f = findings('ingress-tls', doc);
    expect(f.map(([p]) => p)).toEqual([at]);
    expect(f[0][1]).toMatch(message);
  });

  test('every document of pass-openshift-route.yaml passes', () => {
    const docs = docsOf('ingress-tls', 'pass-openshift-route.yaml');
    expect(docs.length).toBe(7);
    for (const d of docs) expect([d.metadata.name, findings('ingress-tls', d)]).toEqual([d.metadata.name, []]);
  });

  test('Ingress annotations on a Route change nothing (the router does not read them); a Route of another group is not judged', () => {
    const route = { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } }, spec: { tls: { termination: 'edge' } } };
    expect(findings('ingress-tls', route)).toEqual([]);
    expect(findings('ingress-tls', { ...route, apiVersion: 'example.com/v1', spec: {} })).toEqual([]);
  });
});
