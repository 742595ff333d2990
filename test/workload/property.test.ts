/**
 * Property-based tests: random valid props always synthesize schema-valid objects with zero error findings;
 * random invalid values always raise a HardeningError (never a TypeError or another error).
 */
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { Guard, HardenedDeployment, HardenedDeploymentProps, HealthCheck, NetworkPeer } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { MINIMAL, newChart } from './helpers';

const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 });
const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const image = fc.tuple(fc.constantFrom('registry.example.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'ghcr.io'), segment, segment, hex)
  .map(([reg, a, b, d]) => `${reg}/${a}/${b}@sha256:${d}`);
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map(s => `/${s.join('/')}`);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/);
const labelKey = fc.tuple(fc.option(fc.constantFrom('example.com', 'node.kubernetes.io', 'a.b-c.io'), { nil: undefined }), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/))
  .map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));

/** CPU: request in millicores; the limit, if any, is >= the request, written as millicores or decimal cores. */
const cpu = fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.option(fc.tuple(fc.nat(4000), fc.boolean()), { nil: undefined }))
  .map(([req, lim]) => ({
    cpuRequest: `${req}m`,
    ...(lim ? { cpuLimit: lim[1] ? `${req + lim[0]}m` : `${(req + lim[0]) / 1000}` } : {}),
  }));
/** Memory: request in Mi or Gi; the limit, if any, is >= the request, in the same or a smaller binary unit or in decimal M. */
const memory = fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('Mi', 'Gi'), fc.option(fc.tuple(fc.nat(4096), fc.constantFrom('same', 'Ki', 'M')), { nil: undefined }))
  .map(([n, unit, lim]) => {
    const requestBytes = n * (unit === 'Gi' ? 2 ** 30 : 2 ** 20);
    let memoryLimit: string | undefined;
    if (lim) {
      const [extra, how] = lim;
      if (how === 'same') memoryLimit = `${n + extra}${unit}`;
      else if (how === 'Ki') memoryLimit = `${requestBytes / 1024 + extra}Ki`;
      else memoryLimit = `${Math.ceil(requestBytes / 1e6) + extra}M`;
    }
    return { memoryRequest: `${n}${unit}`, ...(memoryLimit ? { memoryLimit } : {}) };
  });

const validProps = fc.record({
  image,
  bindPrivilegedPort: fc.boolean(),
  portRaw: fc.integer({ min: 1, max: 65535 }),
  replicas: fc.integer({ min: 2, max: 20 }),
  runAsUser: fc.integer({ min: 1, max: 2147483647 }),
  runAsGroup: fc.integer({ min: 1, max: 2147483647 }),
  writablePaths: fc.uniqueArray(path, { maxLength: 4 }),
  resources: fc.tuple(cpu, memory).map(([c, m]) => ({ ...c, ...m })),
  namespace: fc.option(segment.filter(s => !s.startsWith('kube')), { nil: undefined }),
  runtimeClassName: fc.option(fc.tuple(segment, fc.option(segment, { nil: undefined })).map(([a, b]) => (b ? `${a}.${b}` : a)), { nil: undefined }),
  env: fc.option(fc.dictionary(fc.stringMatching(/^[-._a-zA-Z][-._a-zA-Z0-9]{0,15}$/), fc.string({ maxLength: 8 }).map(v => kplus.EnvValue.fromValue(v)), { maxKeys: 4 }), { nil: undefined }),
  nodeSelector: fc.option(fc.dictionary(labelKey, labelValue, { maxKeys: 3 }), { nil: undefined }),
  tolerations: fc.option(fc.array(fc.record({
    key: labelKey,
    value: fc.option(labelValue, { nil: undefined }),
    effect: fc.option(fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'), { nil: undefined }),
  }, { requiredKeys: ['key'] }), { maxLength: 3 }), { nil: undefined }),
  readiness: fc.option(fc.oneof(
    fc.constant(HealthCheck.tcp()),
    path.map(p => HealthCheck.httpGet(p)),
    fc.record({ periodSeconds: fc.integer({ min: 1, max: 300 }), timeoutSeconds: fc.integer({ min: 1, max: 60 }), initialDelaySeconds: fc.nat(600) })
      .map(o => HealthCheck.tcp(undefined, o)),
  ), { nil: undefined }),
}).map(r => {
  const port = r.portRaw < 1024 && !r.bindPrivilegedPort ? r.portRaw + 1024 : r.portRaw;
  const { portRaw, ...rest } = r;
  return { ...rest, port } as HardenedDeploymentProps;
});

test('random valid props synthesize schema-valid objects with zero error findings', () => {
  fc.assert(fc.property(validProps, props => {
    const chart = newChart();
    new HardenedDeployment(chart, 'app', props);
    const objects = synth(chart);
    expectValidObjects(objects);
    const errors = Guard.of(chart).findings().filter(f => f.severity === 'error');
    if (errors.length > 0) throw new Error(JSON.stringify(errors.map(e => `${e.ruleId}: ${e.message}`)));
  }), { numRuns: 60 });
});

/** Values of the wrong type, as JavaScript or another jsii language may pass them. */
const notAList = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant({ a: 1 }));
const notAnObject = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(['a']));

const invalid: fc.Arbitrary<Partial<HardenedDeploymentProps>> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 2 ** 31, NaN).map(runAsUser => ({ runAsUser })),
  fc.constantFrom(0, -7, 3.2, Infinity).map(runAsGroup => ({ runAsGroup })),
  fc.constantFrom(0, 1, -1, NaN, 2.5).map(replicas => ({ replicas })),
  fc.constantFrom(0, 70000, 1.5, -80, 80, 443).map(port => ({ port })),
  fc.constantFrom('nginx', 'nginx:latest', 'registry.example.com/a:1.0', 'registry.example.com/a@sha256:abc', '', 'a b').map(img => ({ image: img })),
  fc.constantFrom('/', 'tmp', '/a/../b', '/a//b', '/a/').map(p => ({ writablePaths: [p] })),
  fc.constantFrom('lots', '-1', '0', '1.2.3', '', '1e999', '5 Mi').map(cpuRequest => ({ resources: { cpuRequest, memoryRequest: '128Mi' } })),
  // limit below request, in any units
  fc.tuple(fc.integer({ min: 2, max: 4096 }), fc.constantFrom<[string, number][]>(['Mi', 2 ** 20], ['Gi', 2 ** 30], ['M', 1e6], ['G', 1e9]))
    .chain(([n, [unit, factor]]) => fc.constantFrom(`${n - 1}${unit}`, `${Math.floor((n * factor - 1) / 1024)}Ki`, `${n * factor - 1}`)
      .map(memoryLimit => ({ resources: { cpuRequest: '100m', memoryRequest: `${n}${unit}`, memoryLimit } }))),
  fc.integer({ min: 2, max: 4000 }).chain(n => fc.constantFrom(`${n - 1}m`, `${(n - 1) / 1000}`)
    .map(cpuLimit => ({ resources: { cpuRequest: `${n}m`, memoryRequest: '128Mi', cpuLimit } }))),
  fc.constantFrom('*', 'escalate', 'bind', 'impersonate', 'nuke', '').map(v => v === '' ? [] as string[] : [v]).map(verbs => ({ apiAccess: [{ apiGroups: [''], resources: ['pods'], verbs }] })),
  fc.constantFrom('*', 'pods/exec', 'pods/attach', 'serviceaccounts/token').map(r => ({ apiAccess: [{ apiGroups: [''], resources: [r], verbs: ['create'] }] })),
  // namespaces: not a DNS label, or a kube-* system namespace
  fc.constantFrom('Bad_NS', 'UPPER', '-x', 'x-', 'a.b', 'a'.repeat(64), '', 'kube-system', 'kube-public', 'kube-node-lease', 'kube-anything').map(namespace => ({ namespace })),
  fc.constantFrom('BAD NAME', 'Gvisor', '-kata', 'kata.', 'a..b', '', 'x'.repeat(254)).map(runtimeClassName => ({ runtimeClassName })),
  fc.constantFrom('BAD NAME', '1ST', 'A=B', 'a b', '', 'ä').map(name => ({ env: { [name]: kplus.EnvValue.fromValue('x') } })),
  fc.constantFrom<[string, string]>(['bad key', 'x'], ['a/b/c', 'x'], ['/x', 'x'], ['Example.com/x', 'x'], ['pool', 'a b'], ['pool', '-x'], ['pool', 'a'.repeat(64)])
    .map(([k, v]) => ({ nodeSelector: { [k]: v } })),
  fc.constantFrom({ key: 'a', effect: 'NoEntry' }, { key: 'a', effect: 'noschedule' }, { key: '' }, { key: 'a b' }, { key: 'a', value: 'x y' })
    .map(t => ({ tolerations: [t] })),
  fc.constantFrom(
    HealthCheck.tcp(0), HealthCheck.tcp(-1), HealthCheck.tcp(65536), HealthCheck.httpGet('ready'), HealthCheck.httpGet(''), HealthCheck.httpGet('/a b'),
    HealthCheck.command([]), HealthCheck.tcp(undefined, { periodSeconds: 0 }), HealthCheck.tcp(undefined, { periodSeconds: -10 }),
    HealthCheck.tcp(undefined, { timeoutSeconds: 0 }), HealthCheck.tcp(undefined, { failureThreshold: 0 }),
    HealthCheck.tcp(undefined, { initialDelaySeconds: -1 }),
  ).chain(check => fc.constantFrom({ readiness: check }, { liveness: check })),
  // wrong types from JS / other jsii languages
  fc.constantFrom('writablePaths', 'secretMounts', 'configMapMounts', 'apiAccess', 'ingressFrom', 'egressTo', 'tolerations', 'command', 'args')
    .chain(prop => notAList.map(v => ({ [prop]: v }) as Partial<HardenedDeploymentProps>)),
  fc.constantFrom('env', 'nodeSelector').chain(prop => notAnObject.map(v => ({ [prop]: v }) as Partial<HardenedDeploymentProps>)),
  fc.constantFrom<Partial<HardenedDeploymentProps>>(
    { secretMounts: [{ path: '/etc/db' } as any] }, { configMapMounts: [{ path: '/etc/app' } as any] }, { secretMounts: [null as any] },
    { ingressFrom: ['x' as any] }, { egressTo: [{ port: 443 } as any] }, { ingressFrom: [NetworkPeer.namespace('Bad_NS')] },
    { readiness: {} as any }, { env: { A: 'x' as any } }, { writablePaths: [42 as any] }, { bindPrivilegedPort: 'yes' as any },
  ),
);

test('random invalid values raise a HardeningError, never another error', () => {
  fc.assert(fc.property(invalid, override => {
    let thrown: unknown;
    try {
      new HardenedDeployment(newChart(), 'app', { ...MINIMAL, ...override });
    } catch (e) {
      thrown = e;
    }
    if (!(thrown instanceof HardeningError)) {
      throw new Error(`expected HardeningError for ${JSON.stringify(override)}, got ${thrown}`);
    }
  }), { numRuns: 300 });
});
