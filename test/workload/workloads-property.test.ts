/**
 * Property-based tests of HardenedStatefulSet, HardenedJob, HardenedCronJob and HardenedDaemonSet: random valid props
 * synthesize schema-valid objects with no unwaived finding (errors and warnings alike); random invalid values raise a
 * HardeningError, never another error.
 */
import * as fc from 'fast-check';
import {
  ConcurrencyPolicy, Guard, HardenedCronJob, HardenedDaemonSet, HardenedJob, HardenedStatefulSet, HealthCheck, NodeCapability,
  PodManagementPolicy, VolumeAccessMode, AntiAffinityStrength, NodeLabelOperator, ProjectedSource,
} from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { NODE_COMPONENT_PORTS } from '../../lib/workload/node-ports';
import { expectValidObjects } from '../util/schema';
import { daysFromNow, synth } from '../util/synth';
import { IMAGE, newChart, RESOURCES } from './helpers';

const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map(s => `/${s.join('/')}`);
const port = fc.integer({ min: 1024, max: 65535 });
const size = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('Mi', 'Gi', 'Ti', 'G')).map(([n, u]) => `${n}${u}`);
const waiver = fc.record({
  reason: fc.string({ minLength: 20, maxLength: 40 }).filter(s => s.trim().length >= 20),
  owner: segment,
  expires: fc.integer({ min: 0, max: 90 }).map(daysFromNow),
});
const labelKey = fc.tuple(fc.option(fc.constantFrom('node.example.com', 'topology.kubernetes.io'), { nil: undefined }), segment).map(([p, n]) => (p ? `${p}/${n}` : n));
const requirement = fc.oneof(
  fc.record({
    key: labelKey, operator: fc.constantFrom(NodeLabelOperator.IN, NodeLabelOperator.NOT_IN), values: fc.uniqueArray(segment, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key: labelKey, operator: fc.constantFrom(NodeLabelOperator.EXISTS, NodeLabelOperator.DOES_NOT_EXIST) }),
  fc.record({
    key: labelKey, operator: fc.constantFrom(NodeLabelOperator.GT, NodeLabelOperator.LT), values: fc.integer({ min: -99, max: 999 }).map(n => [String(n)]),
  }),
);
const term = fc.record({ matchExpressions: fc.array(requirement, { minLength: 1, maxLength: 3 }) });
const fileName = fc.array(segment, { minLength: 1, maxLength: 2 }).map(s => s.join('/'));
const projectedSources = fc.tuple(
  fc.option(fc.record({ audience: fc.constantFrom('vault', 'sts.amazonaws.com', 'https://issuer.example.com'), expirationSeconds: fc.integer({ min: 600, max: 86400 }) }), { nil: undefined }),
  fc.uniqueArray(fc.record({ path: fileName, fieldPath: fc.constantFrom('metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations', "metadata.labels['app.kubernetes.io/name']") }),
    { maxLength: 3, selector: f => f.path }),
).filter(([t, f]) => t !== undefined || f.length > 0)
  .filter(([, f]) => f.every(x => x.path !== 'token' && !x.path.startsWith('token/')) && f.every(x => !f.some(y => y !== x && y.path.startsWith(`${x.path}/`))))
  .map(([t, f]) => [...(t ? [ProjectedSource.serviceAccountToken(t)] : []), ...(f.length > 0 ? [ProjectedSource.downwardApi(f)] : [])]);
const common = {
  nodeAffinity: fc.option(fc.record({
    required: fc.array(term, { minLength: 1, maxLength: 2 }),
    preferred: fc.array(term.chain(t => fc.integer({ min: 1, max: 100 }).map(weight => ({ ...t, weight }))), { maxLength: 2 }),
  }, { requiredKeys: [] }), { nil: undefined }),
  antiAffinity: fc.uniqueArray(fc.record({
    topologyKey: fc.constantFrom('kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'node.example.com/rack'),
    strength: fc.constantFrom(AntiAffinityStrength.PREFERRED, AntiAffinityStrength.REQUIRED),
  }, { requiredKeys: ['topologyKey'] }), { maxLength: 2, selector: a => a.topologyKey }),
  persistentVolumeClaimMounts: fc.uniqueArray(fc.record({ path: path.map(p => `/pvc${p}`), claimName: segment, readOnly: fc.option(fc.boolean(), { nil: undefined }) }), { maxLength: 2, selector: m => m.path }),
  projectedMounts: fc.uniqueArray(fc.record({ path: path.map(p => `/proj${p}`), sources: projectedSources }), { maxLength: 2, selector: m => m.path }),
  image: fc.constant(IMAGE),
  resources: fc.constant(RESOURCES),
  runAsUser: fc.integer({ min: 1, max: 2147483647 }),
  writablePaths: fc.uniqueArray(path.map(p => `/w${p}`), { maxLength: 3 }),
  imagePullSecrets: fc.uniqueArray(segment, { maxLength: 2 }),
  startup: fc.option(fc.constant(HealthCheck.command(['/app', 'started'])), { nil: undefined }),
  initContainers: fc.uniqueArray(fc.record({ name: segment.map(s => `i${s}`), image: fc.constant(IMAGE), args: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }) }), { maxLength: 2, selector: c => c.name }),
  sidecars: fc.uniqueArray(fc.record({ name: segment.map(s => `s${s}`), image: fc.constant(IMAGE) }), { maxLength: 2, selector: c => c.name }),
};

function clean(chart: any): void {
  const objects = synth(chart);
  expectValidObjects(objects);
  const open = Guard.of(chart).findings().filter(f => !f.waiver);
  if (open.length > 0) throw new Error(JSON.stringify(open.map(e => `${e.ruleId}: ${e.message}`)));
}

test('random valid StatefulSets: schema-valid, no finding', () => {
  const props = fc.record({
    ...common, port, replicas: fc.integer({ min: 2, max: 9 }),
    podManagementPolicy: fc.constantFrom(PodManagementPolicy.ORDERED_READY, PodManagementPolicy.PARALLEL),
    volumeClaims: fc.uniqueArray(fc.record({
      name: segment.map(s => `v${s}`), mountPath: path.map(p => `/data${p}`), size,
      storageClassName: fc.option(segment, { nil: undefined }),
      accessMode: fc.option(fc.constantFrom(VolumeAccessMode.READ_WRITE_ONCE, VolumeAccessMode.READ_WRITE_ONCE_POD), { nil: undefined }),
    }, { requiredKeys: ['name', 'mountPath', 'size'] }), { maxLength: 3, selector: v => v.name }).filter(vs => new Set(vs.map(v => v.mountPath)).size === vs.length),
  });
  fc.assert(fc.property(props, p => {
    const chart = newChart();
    new HardenedStatefulSet(chart, 'db', p);
    clean(chart);
  }), { numRuns: 25 });
});

const jobProps = fc.record({
  ...common,
  port: fc.option(port, { nil: undefined }),
  backoffLimit: fc.integer({ min: 0, max: 100 }),
  activeDeadlineSeconds: fc.integer({ min: 1, max: 86400 }),
  ttlSecondsAfterFinished: fc.nat(604800),
  completions: fc.integer({ min: 1, max: 100 }),
  parallelism: fc.integer({ min: 1, max: 100 }),
}).chain(p => fc.boolean().map(service => ({ ...p, service: service && p.port !== undefined })));

test('random valid Jobs and CronJobs: schema-valid, no finding', () => {
  const field = (min: number, max: number) => fc.oneof(
    fc.constant('*'), fc.integer({ min, max }).map(String),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: 30 }).map(n => `*/${n}`),
  );
  const schedule = fc.oneof(
    fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 6)).map(f => f.join(' ')),
    fc.constantFrom('@hourly', '@daily', '@weekly', '@monthly', '@yearly'),
  );
  const cron = fc.record({
    schedule,
    concurrencyPolicy: fc.constantFrom(ConcurrencyPolicy.FORBID, ConcurrencyPolicy.REPLACE, ConcurrencyPolicy.ALLOW),
    timeZone: fc.constantFrom('Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'),
    startingDeadlineSeconds: fc.integer({ min: 10, max: 3600 }),
  });
  fc.assert(fc.property(jobProps, cron, fc.boolean(), (p, c, asCron) => {
    const chart = newChart();
    if (asCron) new HardenedCronJob(chart, 'job', { ...p, ...c });
    else new HardenedJob(chart, 'job', p);
    clean(chart);
  }), { numRuns: 30 });
});

test('random valid DaemonSets with host access opt-ins: every finding is waived by the opt-in that caused it', () => {
  const props = fc.record({
    ...common,
    port,
    hostPathMounts: fc.uniqueArray(fc.record({
      hostPath: fc.constantFrom('/var/log', '/var/log/pods', '/proc', '/sys', '/var/lib/agent', '/srv/data'),
      mountPath: path.map(p => `/host${p}`),
      waiver,
    }), { maxLength: 3, selector: m => m.mountPath }),
    // Node components' ports are refused outright (NODE_COMPONENT_PORTS), not waivable opt-ins.
    hostPort: fc.option(fc.record({ hostPort: port.filter(n => NODE_COMPONENT_PORTS[n] === undefined), waiver }), { nil: undefined }),
    capabilities: fc.uniqueArray(
      fc.record({ capability: fc.constantFrom(...Object.values(NodeCapability)), waiver }), { maxLength: 3, selector: g => g.capability },
    ),
    bindPrivilegedPort: fc.boolean(),
  });
  fc.assert(fc.property(props, p => {
    // /proc with SYS_PTRACE is refused outright (the node's filesystem through /proc/1/root).
    fc.pre(!(p.capabilities.some(c => c.capability === NodeCapability.SYS_PTRACE) && p.hostPathMounts.some(m => m.hostPath === '/proc')));
    const chart = newChart();
    new HardenedDaemonSet(chart, 'agent', p);
    clean(chart);
  }), { numRuns: 30 });
});

const notAList = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant({ a: 1 }));
const badInt = fc.constantFrom<any>(-1, 1.5, NaN, Infinity, '3', true);

test('random invalid values raise a HardeningError, never another error', () => {
  const cases = fc.oneof(
    fc.record({ kind: fc.constant('sts'), o: fc.oneof(
      badInt.map(replicas => ({ replicas })),
      notAList.map(volumeClaims => ({ volumeClaims })),
      fc.constantFrom({ name: 'X' }, { name: 'd', mountPath: 'rel', size: '1Gi' }, { name: 'd', mountPath: '/d', size: '-1Gi' }, { name: 'd', mountPath: '/d', size: '1Gi', accessMode: 'ReadWriteMany' }, null)
        .map(c => ({ volumeClaims: [c] })),
      fc.constantFrom('Random', 1, '').map(podManagementPolicy => ({ podManagementPolicy })),
    ) }),
    fc.record({ kind: fc.constantFrom('job', 'cron'), o: fc.oneof(
      fc.constantFrom('backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'completions', 'parallelism').chain(k => badInt.map(v => ({ [k]: v }))),
      fc.constantFrom({ service: true }, { service: 'yes' }, { port: 80 }, { port: 0 }, { imagePullSecrets: ['A B'] }, { startup: {} },
        { initContainers: [{ name: 'main', image: IMAGE }] }, { sidecars: [{ name: 'a', image: 'registry.example.com/a:latest' }] }, { sidecars: [{ name: 'a' }] },
        { initContainers: [{ name: 'a', image: IMAGE, resources: { cpuRequest: 'x', memoryRequest: '1Mi' } }] }, { imagePullPolicy: 'Never' }),
      notAList.map(imagePullSecrets => ({ imagePullSecrets })),
    ) }),
    fc.record({ kind: fc.constantFrom('sts', 'job', 'cron', 'ds'), o: fc.oneof(
      fc.constantFrom<any>(
        { nodeAffinity: { required: [] } }, { nodeAffinity: { required: [{ matchExpressions: [] }] } }, { nodeAffinity: 5 },
        { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } },
        { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }] } },
        { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Lt', values: ['1', '2'] }] }] } },
        { nodeAffinity: { preferred: [{ weight: 0, matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } },
        { antiAffinity: [{ topologyKey: 'not a key' }] }, { antiAffinity: [{ strength: 'hard' }] }, { antiAffinity: [{ weight: 1000 }] },
        { persistentVolumeClaimMounts: [{ path: '/d', claimName: '' }] }, { persistentVolumeClaimMounts: [{ path: '/tmp', claimName: 'd' }] },
        { projectedMounts: [{ path: '/p', sources: [] }] }, { projectedMounts: [{ path: '/p', sources: [{}] }] },
        { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'kubernetes' })] }] },
        { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault', expirationSeconds: 10 })] }] },
        { projectedMounts: [{ path: '/p', sources: [ProjectedSource.downwardApi([{ path: 'a', fieldPath: 'status.hostIP' }])] }] },
      ),
      badInt.map(weight => ({ antiAffinity: [{ weight }] })),
      notAList.chain(v => fc.constantFrom({ antiAffinity: v }, { persistentVolumeClaimMounts: v }, { projectedMounts: v })),
    ) }),
    fc.record({ kind: fc.constant('cron'), o: fc.oneof(
      fc.constantFrom('', '* * * *', '61 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', 'a b c d e', '@often', 'TZ=UTC * * * * *', 5, null)
        .map(schedule => ({ schedule })),
      fc.constantFrom('Mars/Base', '', 'UTC;rm', 7).map(timeZone => ({ timeZone })),
      fc.constantFrom('Sometimes', '', 3).map(concurrencyPolicy => ({ concurrencyPolicy })),
    ) }),
    fc.record({ kind: fc.constant('ds'), o: fc.oneof(
      fc.constantFrom('/', '/etc', '/etc/kubernetes', '/var', '/var/lib/kubelet', '/run/containerd/containerd.sock', '/var/run/docker.sock', 'var/log', '/a/../etc', '/root/.ssh', '/x.sock')
        .chain(hostPath => waiver.map(w => ({ hostPathMounts: [{ hostPath, mountPath: '/host', waiver: w }] }))),
      fc.constantFrom(undefined, {}, { reason: 'short', owner: 'a', expires: daysFromNow(5) }, { reason: 'x'.repeat(30), owner: '', expires: daysFromNow(5) },
        { reason: 'x'.repeat(30), owner: 'a', expires: daysFromNow(-3) }, { reason: 'x'.repeat(30), owner: 'a', expires: daysFromNow(365) }, { reason: 'x'.repeat(30), owner: 'a', expires: '2026-02-30' })
        .chain(w => fc.constantFrom(
          { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host', waiver: w }] },
          { hostPort: { hostPort: 9100, waiver: w } },
          { capabilities: [{ capability: NodeCapability.NET_RAW, waiver: w }] },
        )),
      fc.constantFrom('SYS_ADMIN', 'ALL', 'SYS_MODULE', 'net_raw', '', 7).chain(capability => waiver.map(w => ({ capabilities: [{ capability, waiver: w }] }))),
      fc.constantFrom(0, 80, 70000, 1.5).chain(hostPort => waiver.map(w => ({ hostPort: { hostPort, waiver: w } }))),
      notAList.chain(v => fc.constantFrom({ hostPathMounts: v }, { capabilities: v })),
      badInt.map(maxUnavailable => ({ maxUnavailable })),
    ) }),
  );
  fc.assert(fc.property(cases, ({ kind, o }) => {
    let thrown: unknown;
    try {
      const base = { image: IMAGE, resources: RESOURCES };
      const chart = newChart();
      if (kind === 'sts') new HardenedStatefulSet(chart, 'w', { ...base, port: 8080, ...o } as any);
      if (kind === 'job') new HardenedJob(chart, 'w', { ...base, ...o } as any);
      if (kind === 'cron') new HardenedCronJob(chart, 'w', { ...base, schedule: '0 3 * * *', ...o } as any);
      if (kind === 'ds') new HardenedDaemonSet(chart, 'w', { ...base, port: 9100, ...o } as any);
    } catch (e) {
      thrown = e;
    }
    if (!(thrown instanceof HardeningError)) throw new Error(`expected HardeningError for ${kind} ${JSON.stringify(o)}, got ${thrown}`);
  }), { numRuns: 300 });
});
