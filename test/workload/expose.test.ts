/**
 * expose(): an Ingress (TLS required, explicit class, named hosts, Prefix/Exact) or an HTTPRoute (named hostnames,
 * parentRef with the HTTPS listener's sectionName) to the workload's Service, and a NetworkPolicy allowance from the
 * controller's namespace only. Defaults, construct-time errors, attacker spellings, schemas, a property test.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Catalogue, ExposedPathType, ExposeOptions, Guard, HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob,
  HardenedStatefulSet, HardenedWorkload, HealthCheck, NetworkPeer, Outcome, WorkloadExposure,
} from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { HardeningError } from '../../lib/policy/errors';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { expectValidObjects } from '../util/schema';
import { synth, synthError } from '../util/synth';
import { byKind, IMAGE, MINIMAL, newChart, one, RESOURCES } from './helpers';

const INGRESS: ExposeOptions = {
  hosts: ['shop.example.com'],
  controllerNamespace: 'ingress-nginx',
  ingress: { className: 'nginx', tlsSecretName: 'shop-tls' },
};
const GATEWAY: ExposeOptions = {
  hosts: ['shop.example.com'],
  controllerNamespace: 'gateway-system',
  gateway: { gatewayName: 'public', gatewayNamespace: 'gateways', sectionName: 'https' },
};

/** Synthesize, validate every object against its schema and require no unwaived finding at all. */
function cleanSynth(chart: any): any[] {
  const objects = synth(chart);
  expectValidObjects(objects);
  const open = Guard.of(chart).findings().filter(f => !f.waiver);
  if (open.length > 0) throw new Error(JSON.stringify(open.map(e => `${e.ruleId}: ${e.message}`)));
  return objects;
}

function deployment(props: any = {}) {
  const chart = newChart();
  const workload = new HardenedDeployment(chart, 'api', { ...MINIMAL, ...props });
  return { chart, workload };
}

/** The HardeningError an expose() call raises. */
function exposeError(options: any, workload?: HardenedWorkload): HardeningError {
  const w = workload ?? deployment().workload;
  try {
    w.expose(options);
  } catch (e) {
    if (!(e instanceof HardeningError)) throw e;
    return e;
  }
  throw new Error('expected a HardeningError');
}

/** The ingress rules of the workload's NetworkPolicy that name the given port. */
function ingressRules(objects: any[]): any[] {
  return one(objects, 'NetworkPolicy').spec.ingress;
}

/** Rule ids failing on a set of manifests (evaluated together, default settings). */
function failingRules(docs: any[]): string[] {
  const settings = {
    allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion, maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
  const ids = ['ingress-tls', 'ingress-host', 'ingress-path-type', 'ingress-class-explicit', 'httproute-hostnames', 'httproute-parent-listener'];
  return [...new Set(evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: ids.map(id => Catalogue.get(id)), settings, today: '2026-01-01' })
    .filter(f => f.outcome === Outcome.FAIL).map(f => f.ruleId))].sort();
}

describe('Ingress exposure: documented defaults in the output', () => {
  const { chart, workload } = deployment();
  const exposure = workload.expose(INGRESS);
  const objects = cleanSynth(chart);
  const ingress = one(objects, 'Ingress');

  test('networking.k8s.io/v1 Ingress named and labelled like the workload', () => {
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.name).toBe('api');
    expect(ingress.metadata.namespace).toBe('shop');
    expect(ingress.metadata.labels['app.kubernetes.io/name']).toBe('api');
    expect(exposure.ingress).toBeDefined();
    expect(exposure.httpRoute).toBeUndefined();
  });
  test('explicit ingressClassName, no default backend, no annotations', () => {
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.defaultBackend).toBeUndefined();
    expect(ingress.metadata.annotations).toBeUndefined();
  });
  test('TLS required: one tls entry with the Secret covering every host', () => {
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  });
  test('one rule per named host; default path "/" as Prefix; backend = the workload Service and its port', () => {
    expect(ingress.spec.rules).toEqual([{
      host: 'shop.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] },
    }]);
    const svc = one(objects, 'Service');
    expect(svc.metadata.name).toBe(exposure.serviceName);
    expect(svc.spec.ports[0].port).toBe(exposure.servicePort);
  });
  test('NetworkPolicy admits the container port from the controller namespace only', () => {
    expect(ingressRules(objects)).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });
  test('the Service port is used when it differs from the container port', () => {
    const d = deployment({ servicePort: 80 });
    d.workload.expose(INGRESS);
    const out = cleanSynth(d.chart);
    expect(one(out, 'Ingress').spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 80 });
    expect(ingressRules(out)[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });
});

describe('Gateway exposure: documented defaults in the output', () => {
  const { chart, workload } = deployment();
  const exposure = workload.expose(GATEWAY);
  const objects = cleanSynth(chart);
  const route = one(objects, 'HTTPRoute');

  test('gateway.networking.k8s.io/v1 HTTPRoute with named hostnames', () => {
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toMatchObject({ name: 'api', namespace: 'shop' });
    expect(route.spec.hostnames).toEqual(['shop.example.com']);
    expect(exposure.httpRoute).toBeDefined();
    expect(exposure.ingress).toBeUndefined();
    expect(byKind(objects, 'Ingress')).toEqual([]);
  });
  test('parentRef to the Gateway with the HTTPS listener sectionName', () => {
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
  });
  test('one rule: "/" as PathPrefix to the workload Service', () => {
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'api', port: 8080 }],
    }]);
  });
  test('gatewayNamespace defaults to the workload namespace', () => {
    const d = deployment();
    d.workload.expose({ ...GATEWAY, gateway: { gatewayName: 'local', sectionName: 'https' } });
    expect(one(cleanSynth(d.chart), 'HTTPRoute').spec.parentRefs[0].namespace).toBe('shop');
  });
  test('NetworkPolicy admits the port from the gateway namespace only', () => {
    expect(ingressRules(objects)).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });
});

describe('options', () => {
  test('controllerPodLabels narrow the allowance to the controller pods of its namespace', () => {
    const { chart, workload } = deployment();
    workload.expose({ ...INGRESS, controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
    expect(ingressRules(cleanSynth(chart))[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
    }]);
  });
  test('paths with Exact and Prefix, several hosts in one tls entry', () => {
    const { chart, workload } = deployment();
    workload.expose({ ...INGRESS, hosts: ['shop.example.com', 'www.shop.example.com'], paths: [{ path: '/api' }, { path: '/healthz', pathType: ExposedPathType.EXACT }] });
    const ing = one(cleanSynth(chart), 'Ingress');
    expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.com', 'www.shop.example.com'], secretName: 'shop-tls' }]);
    expect(ing.spec.rules.map((r: any) => r.host)).toEqual(['shop.example.com', 'www.shop.example.com']);
    expect(ing.spec.rules[1].http.paths.map((p: any) => [p.path, p.pathType])).toEqual([['/api', 'Prefix'], ['/healthz', 'Exact']]);
  });
  test('HTTPRoute path types map to PathPrefix and Exact', () => {
    const { chart, workload } = deployment();
    workload.expose({ ...GATEWAY, paths: [{ path: '/api' }, { path: '/healthz', pathType: ExposedPathType.EXACT }] });
    expect(one(cleanSynth(chart), 'HTTPRoute').spec.rules[0].matches).toEqual([
      { path: { type: 'PathPrefix', value: '/api' } }, { path: { type: 'Exact', value: '/healthz' } },
    ]);
  });
  test('exposed twice (Ingress and HTTPRoute, one controller namespace): distinct names, one NetworkPolicy rule per controller', () => {
    const { chart, workload } = deployment({ ingressFrom: [NetworkPeer.namespace('ingress-nginx')] });
    workload.expose(INGRESS);
    workload.expose({ ...GATEWAY, name: 'api-gw', controllerNamespace: 'ingress-nginx' });
    const objects = cleanSynth(chart);
    expect(one(objects, 'Ingress').metadata.name).toBe('api');
    expect(one(objects, 'HTTPRoute').metadata.name).toBe('api-gw');
    expect(ingressRules(objects)).toHaveLength(1);
  });
  test('a name another workload\'s exposure already uses in the namespace is refused', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'db', MINIMAL).expose(INGRESS);
    const api = new HardenedDeployment(chart, 'api', MINIMAL);
    expect(exposeError({ ...INGRESS, hosts: ['b.example.com'], name: 'db' }, api)).toMatchObject({ ruleId: 'metadata-valid', field: 'options.name' });
    api.expose({ ...GATEWAY, name: 'db' }); // another kind: no clash
    new HardenedDeployment(chart, 'other', { ...MINIMAL, namespace: 'other' }).expose({ ...INGRESS, hosts: ['c.example.com'], name: 'db' }); // another namespace
    expect(byKind(cleanSynth(chart), 'Ingress')).toHaveLength(2);
  });
  test('the same name twice is refused', () => {
    const { workload } = deployment();
    workload.expose(INGRESS);
    expect(exposeError(INGRESS, workload)).toMatchObject({ ruleId: 'metadata-valid', field: 'options.name' });
  });
});

describe('every workload kind', () => {
  test('StatefulSet: its headless Service is the backend', () => {
    const chart = newChart();
    const sts = new HardenedStatefulSet(chart, 'db', { image: IMAGE, port: 5432, resources: RESOURCES });
    sts.expose(GATEWAY);
    const objects = cleanSynth(chart);
    expect(byKind(objects, 'Service')).toHaveLength(1);
    expect(one(objects, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'db', port: 5432 }]);
  });
  test('DaemonSet: expose() creates a ClusterIP Service for the port, once', () => {
    const chart = newChart();
    const ds = new HardenedDaemonSet(chart, 'agent', { image: IMAGE, port: 9100, resources: RESOURCES });
    ds.expose(INGRESS);
    ds.expose({ ...GATEWAY, name: 'agent-gw' });
    const objects = cleanSynth(chart);
    const svc = one(objects, 'Service');
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'app', port: 9100, targetPort: 'app', protocol: 'TCP' }] });
    expect(svc.spec.selector).toEqual(ds.selectorLabels);
    expect(one(objects, 'Ingress').spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'agent', port: { number: 9100 } });
  });
  test('DaemonSet without a port: refused', () => {
    const ds = new HardenedDaemonSet(newChart(), 'agent', { image: IMAGE, resources: RESOURCES, readiness: HealthCheck.command(['/agent', 'ready']), liveness: HealthCheck.command(['/agent', 'alive']) });
    expect(exposeError(INGRESS, ds)).toMatchObject({ ruleId: 'ingress-backend-exists', field: 'expose' });
  });
  test('Job and CronJob: refused without service: true, exposed with it', () => {
    const job = new HardenedJob(newChart(), 'job', { image: IMAGE, port: 8080, resources: RESOURCES });
    const e = exposeError(INGRESS, job);
    expect(e).toMatchObject({ ruleId: 'ingress-backend-exists', field: 'expose' });
    expect(e.message).toContain('service: true');
    const cron = new HardenedCronJob(newChart(), 'cron', { image: IMAGE, port: 8080, resources: RESOURCES, schedule: '0 3 * * *' });
    expect(exposeError(INGRESS, cron).ruleId).toBe('ingress-backend-exists');
    const chart = newChart();
    const served = new HardenedJob(chart, 'job', { image: IMAGE, port: 8080, resources: RESOURCES, service: true });
    served.expose(INGRESS);
    const objects = cleanSynth(chart);
    expect(one(objects, 'Ingress').spec.rules[0].http.paths[0].backend.service.name).toBe('job');
    expect(byKind(objects, 'Service')).toHaveLength(1);
  });
});

describe('construct-time errors name path, field, value, rule and fix', () => {
  const cases: [string, any, string, string][] = [
    ['options not an object', 'shop.example.com', 'ingress-tls', 'options'],
    ['neither ingress nor gateway', { hosts: ['a.example.com'], controllerNamespace: 'ingress-nginx' }, 'ingress-tls', 'options.ingress / options.gateway'],
    ['both ingress and gateway', { ...INGRESS, gateway: GATEWAY.gateway }, 'ingress-tls', 'options.ingress / options.gateway'],
    ['hosts omitted', { ...INGRESS, hosts: undefined }, 'ingress-host', 'options.hosts'],
    ['hosts empty', { ...INGRESS, hosts: [] }, 'ingress-host', 'options.hosts'],
    ['hosts not a list', { ...INGRESS, hosts: 'shop.example.com' }, 'ingress-host', 'options.hosts'],
    ['wildcard host', { ...INGRESS, hosts: ['*.example.com'] }, 'ingress-host', 'options.hosts[0]'],
    ['bare wildcard', { ...INGRESS, hosts: ['*'] }, 'ingress-host', 'options.hosts[0]'],
    ['wildcard inside', { ...INGRESS, hosts: ['shop.*.com'] }, 'ingress-host', 'options.hosts[0]'],
    ['empty host', { ...INGRESS, hosts: [''] }, 'ingress-host', 'options.hosts[0]'],
    ['upper case host', { ...INGRESS, hosts: ['Shop.example.com'] }, 'ingress-host', 'options.hosts[0]'],
    ['trailing dot', { ...INGRESS, hosts: ['shop.example.com.'] }, 'ingress-host', 'options.hosts[0]'],
    ['IP address', { ...INGRESS, hosts: ['203.0.113.7'] }, 'ingress-host', 'options.hosts[0]'],
    ['host with port', { ...INGRESS, hosts: ['shop.example.com:443'] }, 'ingress-host', 'options.hosts[0]'],
    ['host not a string', { ...INGRESS, hosts: [42] }, 'ingress-host', 'options.hosts[0]'],
    ['duplicate host', { ...INGRESS, hosts: ['a.example.com', 'a.example.com'] }, 'ingress-host', 'options.hosts[1]'],
    ['17 hosts', { ...INGRESS, hosts: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) }, 'ingress-host', 'options.hosts'],
    ['wildcard hostname on a route', { ...GATEWAY, hosts: ['*.example.com'] }, 'httproute-hostnames', 'options.hosts[0]'],
    ['no hostnames on a route', { ...GATEWAY, hosts: [] }, 'httproute-hostnames', 'options.hosts'],
    ['paths empty', { ...INGRESS, paths: [] }, 'ingress-path-type', 'options.paths'],
    ['ImplementationSpecific', { ...INGRESS, paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }, 'ingress-path-type', 'options.paths[0].pathType'],
    ['HTTPRoute RegularExpression', { ...GATEWAY, paths: [{ path: '/', pathType: 'RegularExpression' }] }, 'ingress-path-type', 'options.paths[0].pathType'],
    ['lower-case prefix', { ...INGRESS, paths: [{ path: '/', pathType: 'prefix' }] }, 'ingress-path-type', 'options.paths[0].pathType'],
    ['regex path', { ...INGRESS, paths: [{ path: '/(.*)' }] }, 'ingress-path-type', 'options.paths[0].path'],
    ['relative path', { ...INGRESS, paths: [{ path: 'api' }] }, 'ingress-path-type', 'options.paths[0].path'],
    ['encoded slash', { ...INGRESS, paths: [{ path: '/a%2Fb' }] }, 'ingress-path-type', 'options.paths[0].path'],
    ['dot segment', { ...INGRESS, paths: [{ path: '/a/../b' }] }, 'ingress-path-type', 'options.paths[0].path'],
    ['double slash', { ...INGRESS, paths: [{ path: '//admin' }] }, 'ingress-path-type', 'options.paths[0].path'],
    ['nginx config injection', { ...INGRESS, paths: [{ path: '/x;}' }] }, 'ingress-path-type', 'options.paths[0].path'],
    ['path not an object', { ...INGRESS, paths: ['/api'] }, 'ingress-path-type', 'options.paths[0]'],
    ['duplicate path', { ...INGRESS, paths: [{ path: '/a' }, { path: '/a', pathType: ExposedPathType.PREFIX }] }, 'ingress-path-type', 'options.paths[1]'],
    ['no class', { ...INGRESS, ingress: { tlsSecretName: 'shop-tls' } }, 'ingress-class-explicit', 'options.ingress.className'],
    ['empty class', { ...INGRESS, ingress: { className: '', tlsSecretName: 'shop-tls' } }, 'ingress-class-explicit', 'options.ingress.className'],
    ['no TLS secret', { ...INGRESS, ingress: { className: 'nginx' } }, 'ingress-tls', 'options.ingress.tlsSecretName'],
    ['TLS secret not a name', { ...INGRESS, ingress: { className: 'nginx', tlsSecretName: 'Shop TLS' } }, 'ingress-tls', 'options.ingress.tlsSecretName'],
    ['ingress not an object', { ...INGRESS, ingress: 'nginx' }, 'ingress-tls', 'options.ingress'],
    ['no sectionName', { ...GATEWAY, gateway: { gatewayName: 'public' } }, 'httproute-parent-listener', 'options.gateway.sectionName'],
    ['empty sectionName', { ...GATEWAY, gateway: { gatewayName: 'public', sectionName: '' } }, 'httproute-parent-listener', 'options.gateway.sectionName'],
    ['no gateway name', { ...GATEWAY, gateway: { sectionName: 'https' } }, 'httproute-parent-listener', 'options.gateway.gatewayName'],
    ['bad gateway namespace', { ...GATEWAY, gateway: { gatewayName: 'public', sectionName: 'https', gatewayNamespace: 'Gateways' } }, 'httproute-parent-listener', 'options.gateway.gatewayNamespace'],
    ['gateway not an object', { ...GATEWAY, gateway: true }, 'httproute-parent-listener', 'options.gateway'],
    ['no controller namespace', { ...INGRESS, controllerNamespace: undefined }, 'network-policy-allow-all-ingress', 'options.controllerNamespace'],
    ['controller namespace "*"', { ...INGRESS, controllerNamespace: '*' }, 'network-policy-allow-all-ingress', 'options.controllerNamespace'],
    ['empty controller labels (every pod)', { ...INGRESS, controllerPodLabels: {} }, 'network-policy-allow-all-ingress', 'options.controllerPodLabels'],
    ['invalid controller label', { ...INGRESS, controllerPodLabels: { 'a b': 'x' } }, 'network-policy-allow-all-ingress', 'options.controllerPodLabels'],
    ['bad name', { ...INGRESS, name: 'Shop' }, 'metadata-valid', 'options.name'],
  ];
  test.each(cases)('%s', (_, options, ruleId, field) => {
    const e = exposeError(options);
    expect(e.ruleId).toBe(ruleId);
    expect(e.field).toBe(field);
    expect(e.path).toContain('test/api');
    expect(e.fix.length).toBeGreaterThan(10);
    expect(Catalogue.get(e.ruleId)).toBeDefined();
  });
  test('a WorkloadExposure on something other than a hardened workload is refused', () => {
    const chart = newChart();
    expect(() => new WorkloadExposure(chart as any, 'x', INGRESS)).toThrow(/ingress-backend-exists/);
  });
  test('a failed expose() adds no NetworkPolicy allowance', () => {
    const { chart, workload } = deployment();
    exposeError({ ...INGRESS, hosts: ['*.example.com'] }, workload);
    exposeError({ ...INGRESS, paths: [{ path: '/(.*)' }] }, workload);
    const objects = synth(chart);
    expect(ingressRules(objects)).toEqual([]);
    expect(byKind(objects, 'Ingress')).toEqual([]);
    workload.expose(INGRESS); // the name was not taken by the refused calls
    expect(one(cleanSynth(chart), 'Ingress').metadata.name).toBe('api');
  });
  test('a refused DaemonSet exposure creates no Service', () => {
    const chart = newChart();
    const ds = new HardenedDaemonSet(chart, 'agent', { image: IMAGE, port: 9100, resources: RESOURCES });
    expect(exposeError({ ...INGRESS, ingress: { className: 'nginx' } }, ds).ruleId).toBe('ingress-tls');
    expect(exposeError({ ...GATEWAY, gateway: { gatewayName: 'public' } }, ds).ruleId).toBe('httproute-parent-listener');
    expect(exposeError({ ...INGRESS, controllerPodLabels: { 'a b': 'x' } }, ds).ruleId).toBe('network-policy-allow-all-ingress');
    expect(byKind(synth(chart), 'Service')).toEqual([]);
  });
  test('options changed after the call change nothing', () => {
    const { chart, workload } = deployment();
    const hosts = ['shop.example.com'];
    workload.expose({ ...INGRESS, hosts });
    hosts.push('*.example.com');
    expect(one(cleanSynth(chart), 'Ingress').spec.tls[0].hosts).toEqual(['shop.example.com']);
  });
});

describe('attacker spellings written past the construct are caught at synth', () => {
  test('raw Ingress objects in a guarded chart fail synthesis', () => {
    const spellings: [string, any][] = [
      ['tls: []', { tls: [], ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }] }],
      ['tls naming another host', { tls: [{ hosts: ['b.example.com'], secretName: 's' }], ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }] }],
      ['defaultBackend', { tls: [{ hosts: ['a.example.com'], secretName: 's' }], ingressClassName: 'nginx', defaultBackend: { service: { name: 'api', port: { number: 8080 } } } }],
      ['host-less rule', { tls: [{ hosts: ['a.example.com'], secretName: 's' }], ingressClassName: 'nginx', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }] }],
    ];
    for (const [what, spec] of spellings) {
      const chart = newChart();
      new ApiObject(chart, 'raw', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'raw', namespace: 'shop' }, spec });
      const msg = synthError(chart);
      expect([what, /ingress-(tls|host)/.test(msg)]).toEqual([what, true]);
    }
  });
  test('v1beta1 / extensions Ingress and Lists are judged the same', () => {
    const bad = {
      apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old', namespace: 'shop' },
      spec: { backend: { serviceName: 'api', servicePort: 8080 }, rules: [{ host: '*.example.com', http: { paths: [{ path: '/', backend: { serviceName: 'api', servicePort: 8080 } }] } }] },
    };
    expect(failingRules([bad])).toEqual(['ingress-class-explicit', 'ingress-host', 'ingress-path-type', 'ingress-tls']);
    expect(failingRules([{ ...bad, apiVersion: 'networking.k8s.io/v1beta1' }])).toEqual(['ingress-class-explicit', 'ingress-host', 'ingress-path-type', 'ingress-tls']);
    expect(failingRules([{ apiVersion: 'v1', kind: 'List', items: [bad] }])).toEqual(['ingress-class-explicit', 'ingress-host', 'ingress-path-type', 'ingress-tls']);
  });
  test('HTTPRoute spellings: hostnames omitted, empty, wildcard; parentRef without sectionName; HTTP listener', () => {
    const route = (spec: any, apiVersion = 'gateway.networking.k8s.io/v1') => ({ apiVersion, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec });
    const parent = { name: 'public', namespace: 'gateways', sectionName: 'https' };
    const rules = [{ backendRefs: [{ name: 'api', port: 8080 }] }];
    expect(failingRules([route({ parentRefs: [parent], rules })])).toEqual(['httproute-hostnames']);
    expect(failingRules([route({ parentRefs: [parent], hostnames: [], rules }, 'gateway.networking.k8s.io/v1beta1')])).toEqual(['httproute-hostnames']);
    expect(failingRules([route({ parentRefs: [parent], hostnames: ['*.example.com'], rules })])).toEqual(['httproute-hostnames']);
    expect(failingRules([route({ parentRefs: [{ name: 'public', namespace: 'gateways' }], hostnames: ['a.example.com'], rules })])).toEqual(['httproute-parent-listener']);
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'gateways' },
      spec: { gatewayClassName: 'x', listeners: [{ name: 'web', protocol: 'HTTP', port: 80 }] },
    };
    expect(failingRules([gateway, route({ parentRefs: [{ ...parent, sectionName: 'web' }], hostnames: ['a.example.com'], rules })])).toEqual(['httproute-parent-listener']);
    expect(failingRules([{ apiVersion: 'v1', kind: 'List', items: [route({ parentRefs: [parent], rules }, 'gateway.networking.k8s.io/v1alpha2')] }])).toEqual(['httproute-hostnames']);
  });
  test('a later mutation of the emitted Ingress (tls removed, wildcard host) fails synthesis', () => {
    const { chart, workload } = deployment();
    const exposure = workload.expose(INGRESS);
    exposure.ingress!.addJsonPatch(JsonPatch.remove('/spec/tls'));
    expect(synthError(chart)).toContain('ingress-tls');
    const d = deployment();
    const e2 = d.workload.expose(GATEWAY);
    e2.httpRoute!.addJsonPatch(JsonPatch.replace('/spec/hostnames', ['*.example.com']));
    expect(synthError(d.chart)).toContain('httproute-hostnames');
  });
  test('another namespace claiming the same host fails synthesis', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', MINIMAL).expose(INGRESS);
    new HardenedDeployment(chart, 'evil', { ...MINIMAL, namespace: 'attacker' }).expose(INGRESS);
    expect(synthError(chart)).toContain('ingress-host');
    const chart2 = newChart();
    new HardenedDeployment(chart2, 'api', MINIMAL).expose(GATEWAY);
    new HardenedDeployment(chart2, 'evil', { ...MINIMAL, namespace: 'attacker' }).expose(GATEWAY);
    expect(synthError(chart2)).toContain('httproute-hostnames');
  });
});

describe('property: random valid exposures synthesize schema-valid objects with no finding', () => {
  const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const host = fc.array(label, { minLength: 2, maxLength: 4 }).map(l => l.join('.')).filter(h => h.length <= 253);
  const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
  const path = fc.array(segment, { minLength: 0, maxLength: 3 }).map(s => `/${s.join('/')}`);
  const options = fc.record({
    hosts: fc.uniqueArray(host, { minLength: 1, maxLength: 16 }),
    paths: fc.option(fc.uniqueArray(fc.record({ path, pathType: fc.constantFrom(ExposedPathType.PREFIX, ExposedPathType.EXACT) }),
      { minLength: 1, maxLength: 16, selector: p => `${p.pathType} ${p.path}` }), { nil: undefined }),
    controllerNamespace: label,
    controllerPodLabels: fc.option(fc.dictionary(label, label, { minKeys: 1, maxKeys: 3 }), { nil: undefined }),
    via: fc.oneof(
      fc.record({ className: label, tlsSecretName: label }).map(ingress => ({ ingress })),
      fc.record({ gatewayName: label, gatewayNamespace: fc.option(label, { nil: undefined }), sectionName: label }).map(gateway => ({ gateway })),
    ),
    kind: fc.constantFrom('deployment', 'statefulset', 'daemonset'),
  });
  test('Deployments, StatefulSets and DaemonSets', () => {
    fc.assert(fc.property(options, o => {
      const chart = newChart();
      const props = { image: IMAGE, port: 8080, resources: RESOURCES };
      const w: HardenedWorkload = o.kind === 'deployment' ? new HardenedDeployment(chart, 'w', props)
        : o.kind === 'statefulset' ? new HardenedStatefulSet(chart, 'w', props) : new HardenedDaemonSet(chart, 'w', props);
      const exposure = w.expose({
        hosts: o.hosts, paths: o.paths, controllerNamespace: o.controllerNamespace, controllerPodLabels: o.controllerPodLabels, ...o.via,
      });
      const objects = cleanSynth(chart);
      const np = one(objects, 'NetworkPolicy');
      expect(np.spec.ingress).toHaveLength(1);
      expect(JSON.stringify(np.spec.ingress[0].from)).toContain(o.controllerNamespace === 'shop' && o.controllerPodLabels ? '"podSelector"' : `"${o.controllerNamespace}"`);
      const emitted = exposure.ingress ? one(objects, 'Ingress') : one(objects, 'HTTPRoute');
      expect(emitted.spec.hostnames ?? emitted.spec.rules.map((r: any) => r.host)).toEqual(o.hosts);
    }), { numRuns: 40 });
  });
  test('random invalid hosts and paths raise a HardeningError, never another error', () => {
    const junk = fc.oneof(fc.string({ maxLength: 12 }), fc.constant('*.x.com'), fc.integer(), fc.constant(null), fc.constant({}));
    fc.assert(fc.property(junk, junk, (h, p) => {
      const { workload } = deployment();
      try {
        workload.expose({ ...INGRESS, hosts: [h as any], paths: [{ path: p as any }] });
      } catch (e) {
        if (!(e instanceof HardeningError)) throw e;
        return;
      }
      // accepted: then both were valid
      expect(typeof h).toBe('string');
      expect(typeof p).toBe('string');
    }), { numRuns: 200 });
  });
});
