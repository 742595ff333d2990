import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { ApiObject, App, Chart } from 'cdk8s';
import { FlowControlApiVersion, Guard, HardenedChart, HardeningProfile, IsolatedNamespace } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth, synthError } from '../util/synth';

/** Strict validation (unknown fields are errors) against the vendored 1.36 flowcontrol v1 definitions. */
function validateV1(obj: any): string[] {
  const spec = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'k8s-openapi', '1.36-flowcontrol-v1.json'), 'utf-8'));
  const tighten = (n: any): any => {
    if (Array.isArray(n)) return n.map(tighten);
    if (!n || typeof n !== 'object') return n;
    const o: any = {};
    for (const [k, v] of Object.entries(n)) o[k] = tighten(v);
    if (o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
    return o;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'k8s', definitions: tighten(spec.definitions) });
  const v = ajv.compile({ $ref: `k8s#/definitions/io.k8s.api.flowcontrol.v1.${obj.kind}` });
  return v(obj) ? [] : (v.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}

const tenant = (props: any, chart: Chart = new HardenedChart(new App(), 'tenants', { namespace: 'ignored-chart-ns' })) => {
  new IsolatedNamespace(chart, 'payments', props);
  return { chart, objects: synth(chart) };
};

describe('IsolatedNamespace apiFairness', () => {
  test('default: no flowcontrol objects (documented default)', () => {
    const { objects } = tenant({});
    expect(objects.filter(o => o.apiVersion.startsWith('flowcontrol.'))).toEqual([]);
  });

  test('apiFairness: {} writes a Limited level and a FlowSchema for every service account of the namespace, cluster-scoped, schema-valid (1.36 v1)', () => {
    const { chart, objects } = tenant({ apiFairness: {} });
    const plc = objects.find(o => o.kind === 'PriorityLevelConfiguration');
    const fs = objects.find(o => o.kind === 'FlowSchema');
    expect(plc.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1');
    expect(plc.metadata).toEqual({ name: 'tenant-payments', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened', 'hardened.cdk8s.io/tenant': 'payments' } });
    expect(plc.spec.limited).toMatchObject({ nominalConcurrencyShares: 10, lendablePercent: 0, borrowingLimitPercent: 0 });
    expect(fs.metadata.namespace).toBeUndefined();
    expect(fs.spec).toMatchObject({ priorityLevelConfiguration: { name: 'tenant-payments' }, matchingPrecedence: 8000, distinguisherMethod: { type: 'ByUser' } });
    expect(fs.spec.rules[0].subjects).toEqual([{ kind: 'ServiceAccount', serviceAccount: { namespace: 'payments', name: '*' } }]);
    expect(validateV1(plc)).toEqual([]);
    expect(validateV1(fs)).toEqual([]);
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('V1BETA3 for Kubernetes 1.28 validates against the vendored 1.28 OpenAPI', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { kubeVersion: '1.28' });
    const { objects } = tenant({ apiFairness: { apiVersion: FlowControlApiVersion.V1BETA3, concurrencyShares: 5 } }, new HardenedChart(app, 'tenants'));
    const flow = objects.filter(o => o.apiVersion === 'flowcontrol.apiserver.k8s.io/v1beta3');
    expect(flow.map(o => o.kind).sort()).toEqual(['FlowSchema', 'PriorityLevelConfiguration']);
    expectValidObjects(flow);
  });

  test('the default apiVersion follows the profile\'s kubeVersion: v1 on 1.29 and later, v1beta3 on 1.28', () => {
    const versions = (kubeVersion: string) => {
      const app = new App();
      new HardeningProfile(app, 'profile', { kubeVersion });
      return [...new Set(tenant({ apiFairness: {} }, new HardenedChart(app, 'tenants')).objects
        .filter(o => o.kind === 'FlowSchema' || o.kind === 'PriorityLevelConfiguration').map(o => o.apiVersion))];
    };
    expect(versions('1.28')).toEqual(['flowcontrol.apiserver.k8s.io/v1beta3']);
    expect(versions('1.29')).toEqual(['flowcontrol.apiserver.k8s.io/v1']);
    expect(versions('latest')).toEqual(['flowcontrol.apiserver.k8s.io/v1']);
  });

  test('a version the profile\'s Kubernetes no longer serves is refused at synth (v1beta3 on 1.36)', () => {
    expect(() => tenant({ apiFairness: { apiVersion: FlowControlApiVersion.V1BETA3 } })).toThrow(/v1beta3 FlowSchema was removed in Kubernetes 1\.32/);
  });

  test.each([
    [{ matchingPrecedence: 9000 }, /props\.apiFairness\.matchingPrecedence=9000 violates tenant-api-fairness: .*service-accounts/],
    [{ concurrencyShares: 0 }, /props\.apiFairness\.concurrencyShares=0 violates tenant-api-fairness/],
    [{ borrowingLimitPercent: 101 }, /borrowingLimitPercent=101 violates tenant-api-fairness/],
    [{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2' }, /apiVersion="flowcontrol\.apiserver\.k8s\.io\/v1beta2" violates tenant-api-fairness/],
  ])('%j is refused', (apiFairness, message) => {
    expect(() => new IsolatedNamespace(new Chart(new App(), 'c'), 'payments', { apiFairness } as any)).toThrow(message);
  });

  test('a profile with requireApiFairness gives each IsolatedNamespace its level, and fails a namespace without one', () => {
    const build = (props: any) => {
      const app = new App();
      new HardeningProfile(app, 'profile', { requireApiFairness: true });
      const chart = new Chart(app, 'tenants');
      new IsolatedNamespace(chart, 'payments', props);
      return chart;
    };
    // The profile's requirement gives every IsolatedNamespace its level by default...
    const objects = synth(build({}));
    expect(objects.filter(o => o.apiVersion === 'flowcontrol.apiserver.k8s.io/v1').map(o => o.kind).sort()).toEqual(['FlowSchema', 'PriorityLevelConfiguration']);
    // ...and a namespace written by other means fails without one.
    const app = new App();
    new HardeningProfile(app, 'profile', { requireApiFairness: true });
    const raw = new Chart(app, 'raw');
    new ApiObject(raw, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'billing' } });
    expect(synthError(raw)).toMatch(/tenant-api-fairness.*namespace "billing" has no FlowSchema/);
  });

  test('a nested profile that drops requireApiFairness loosens the enclosing one (exception needed)', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { requireApiFairness: true });
    const chart = new Chart(app, 'c');
    expect(() => new HardeningProfile(chart, 'p', { requireApiFairness: false })).toThrow(/requireApiFairness=false/);
  });
});
