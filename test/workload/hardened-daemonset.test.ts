import { JsonPatch } from 'cdk8s';
import { Guard, HardenedDaemonSet, HealthCheck, HostPathType, NodeCapability } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { daysFromNow, synth } from '../util/synth';
import { IMAGE, newChart, one, RESOURCES } from './helpers';

const AGENT = { image: IMAGE, resources: RESOURCES, port: 9100 };
const waiver = () => ({ reason: 'log shipper reads the node container logs', owner: 'team-platform', expires: daysFromNow(30) });

describe('HardenedDaemonSet defaults (image + port + resources only)', () => {
  const chart = newChart();
  new HardenedDaemonSet(chart, 'agent', AGENT);
  const objects = synth(chart);
  const ds = one(objects, 'DaemonSet');
  const pod = ds.spec.template.spec;
  const c = pod.containers[0];

  test('emits exactly DaemonSet, ServiceAccount, NetworkPolicy (no Service, no PDB); schema-valid', () => {
    expect(objects.map(o => o.kind).sort()).toEqual(['DaemonSet', 'NetworkPolicy', 'ServiceAccount']);
    expectValidObjects(objects);
  });

  test('zero findings from the whole catalogue (warnings included); no waivers', () => {
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(ds.metadata.annotations).toBeUndefined();
  });

  test('RollingUpdate one node at a time; no host access of any kind', () => {
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ds.spec.revisionHistoryLimit).toBe(5);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
    expect(pod.volumes).toEqual([{ name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(c.ports).toEqual([{ name: 'app', containerPort: 9100, protocol: 'TCP' }]);
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 9100 });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 9100 }, initialDelaySeconds: 10 });
  });
});

describe('HardenedDaemonSet host access opt-ins', () => {
  test('read-only hostPath, host port and a capability: each waived at its own path with the waiver written in the props', () => {
    const chart = newChart();
    const w1 = waiver();
    const w2 = { ...waiver(), reason: 'node exporter is scraped on the node IP' };
    const w3 = { ...waiver(), reason: 'reads log files owned by other users' };
    const agent = new HardenedDaemonSet(chart, 'logs', {
      ...AGENT,
      hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host/var/log', waiver: w1 }, { hostPath: '/proc', mountPath: '/host/proc', waiver: w1 }],
      hostPort: { hostPort: 9100, waiver: w2 },
      capabilities: [{ capability: NodeCapability.DAC_READ_SEARCH, waiver: w3 }],
      maxUnavailable: 3,
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    const ds = one(objects, 'DaemonSet');
    const pod = ds.spec.template.spec;
    expect(pod.volumes.slice(1)).toEqual([
      { name: 'host-0', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'host-1', hostPath: { path: '/proc', type: 'Directory' } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'host-0', mountPath: '/host/var/log', readOnly: true }, { name: 'host-1', mountPath: '/host/proc', readOnly: true },
    ]));
    expect(pod.containers[0].ports).toEqual([{ name: 'app', containerPort: 9100, protocol: 'TCP', hostPort: 9100 }]);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['DAC_READ_SEARCH'] });
    expect(pod.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    expect(ds.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(3);

    const findings = Guard.of(chart).findings();
    expect(findings.filter(f => !f.waiver)).toEqual([]);
    const waived = findings.map(f => [f.ruleId, f.path, f.waiver?.reason]).sort();
    expect(waived).toEqual([
      ['capabilities-baseline', 'spec.template.spec.containers[0].securityContext.capabilities.add[0]', w3.reason],
      ['capabilities-restricted', 'spec.template.spec.containers[0].securityContext.capabilities.add[0]', w3.reason],
      ['host-path-volumes', 'spec.template.spec.volumes[1].hostPath', w1.reason],
      ['host-path-volumes', 'spec.template.spec.volumes[2].hostPath', w1.reason],
      ['host-ports', 'spec.template.spec.containers[0].ports[0].hostPort', w2.reason],
      ['volume-types', 'spec.template.spec.volumes[1].hostPath', w1.reason],
      ['volume-types', 'spec.template.spec.volumes[2].hostPath', w1.reason],
    ].sort());
    expect(agent.daemonSet).toBeDefined();
    const annotation = JSON.parse(ds.metadata.annotations['hardened.cdk8s.io/waivers']);
    expect(annotation.map((w: any) => [w.ruleId, w.path, w.owner])).toEqual(expect.arrayContaining([
      ['host-ports', 'spec.template.spec.containers[0].ports[0].hostPort', 'team-platform'],
      ['host-path-volumes', 'spec.template.spec.volumes[1]', 'team-platform'],
    ]));
  });

  test('a waiver covers only its opt-in: a later raw hostNetwork is still a blocking finding', () => {
    const chart = newChart();
    const agent = new HardenedDaemonSet(chart, 'logs', { ...AGENT, hostPort: { hostPort: 9100, waiver: waiver() } });
    agent.daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    expect(() => synth(chart)).toThrow(/host-namespaces/);
  });

  test('a waiver covers only its opt-in: a second capability added by a patch is not waived', () => {
    const chart = newChart();
    const agent = new HardenedDaemonSet(chart, 'logs', { ...AGENT, capabilities: [{ capability: NodeCapability.NET_RAW, waiver: waiver() }] });
    agent.daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities/add/-', 'SYS_ADMIN'));
    expect(() => synth(chart)).toThrow(/capabilities-baseline.*SYS_ADMIN|SYS_ADMIN[\s\S]*capabilities/);
  });

  test('NET_BIND_SERVICE with a capability: the waiver path follows the capability', () => {
    const chart = newChart();
    new HardenedDaemonSet(chart, 'dns', { ...AGENT, port: 53, bindPrivilegedPort: true, capabilities: [{ capability: NodeCapability.NET_RAW, waiver: waiver() }] });
    synth(chart);
    const findings = Guard.of(chart).findings();
    expect(findings.filter(f => !f.waiver)).toEqual([]);
    expect([...new Set(findings.map(f => f.path))]).toEqual(['spec.template.spec.containers[0].securityContext.capabilities.add[1]']);
  });

  test('without a port, probes are required', () => {
    expect(() => new HardenedDaemonSet(newChart(), 'a', { image: IMAGE, resources: RESOURCES })).toThrow(/props\.readiness=<unset> violates probes-configured: is required/);
    const chart = newChart();
    new HardenedDaemonSet(chart, 'a', {
      image: IMAGE, resources: RESOURCES, readiness: HealthCheck.command(['/agent', 'ready']), liveness: HealthCheck.command(['/agent', 'live']),
      hostPathMounts: [{ hostPath: '/var/log/pods', mountPath: '/logs', type: HostPathType.DIRECTORY, waiver: waiver() }],
    });
    synth(chart);
    expect(Guard.of(chart).findings().filter(f => !f.waiver)).toEqual([]);
  });

  const cases: [string, object, RegExp][] = [
    ['hostPath /', { hostPathMounts: [{ hostPath: '/', mountPath: '/host', waiver: waiver() }] }, /props\.hostPathMounts\[0\]\.hostPath="\/" violates host-path-volumes/],
    ['hostPath /etc', { hostPathMounts: [{ hostPath: '/etc', mountPath: '/host', waiver: waiver() }] }, /hostPath="\/etc" violates host-path-volumes: reaches \/etc/],
    ['hostPath /var (ancestor of kubelet state)', { hostPathMounts: [{ hostPath: '/var', mountPath: '/host', waiver: waiver() }] }, /hostPath="\/var" violates host-path-volumes: reaches \/var\/run/],
    ['hostPath kubelet pki', { hostPathMounts: [{ hostPath: '/var/lib/kubelet/pki', mountPath: '/host', waiver: waiver() }] }, /violates host-path-volumes: reaches \/var\/lib\/kubelet/],
    ['hostPath containerd socket', { hostPathMounts: [{ hostPath: '/run/containerd/containerd.sock', mountPath: '/host', waiver: waiver() }] }, /violates host-path-volumes: reaches \/run/],
    ['hostPath a socket elsewhere', { hostPathMounts: [{ hostPath: '/var/lib/agent/api.sock', mountPath: '/host', waiver: waiver() }] }, /violates host-path-volumes: reaches a socket/],
    ['hostPath with ..', { hostPathMounts: [{ hostPath: '/var/log/../lib/kubelet', mountPath: '/host', waiver: waiver() }] }, /violates host-path-volumes: must be an absolute, normalized path/],
    ['hostPath type Socket', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host', type: 'Socket', waiver: waiver() }] }, /props\.hostPathMounts\[0\]\.type="Socket" violates host-path-volumes/],
    ['hostPath without waiver', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host' }] }, /props\.hostPathMounts\[0\]\.waiver=<unset> violates waiver-invalid: a host access needs a waiver/],
    ['hostPath waiver reason short', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host', waiver: { ...waiver(), reason: 'needed' } }] }, /waiver=.* violates waiver-invalid: .*reason must be at least 20/],
    ['hostPath waiver expired', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host', waiver: { ...waiver(), expires: daysFromNow(-1) } }] }, /waiver\.expires=.* violates waiver-invalid: has passed/],
    ['hostPath waiver too long', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host', waiver: { ...waiver(), expires: daysFromNow(400) } }] }, /waiver\.expires=.* violates waiver-invalid: is 400 days ahead/],
    ['hostPath mount clashes', { hostPathMounts: [{ hostPath: '/var/log', mountPath: '/tmp', waiver: waiver() }] }, /props\.hostPathMounts\[0\]\.mountPath="\/tmp" violates read-only-root-filesystem: is mounted twice/],
    ['hostPathMounts not a list', { hostPathMounts: { hostPath: '/var/log' } }, /props\.hostPathMounts=.* violates host-path-volumes: must be a list/],
    ['hostPort without port', { port: undefined, readiness: HealthCheck.command(['x']), liveness: HealthCheck.command(['x']), hostPort: { hostPort: 9100, waiver: waiver() } }, /props\.hostPort=9100 violates host-ports: needs props\.port/],
    ['hostPort below 1024', { hostPort: { hostPort: 80, waiver: waiver() } }, /props\.hostPort\.hostPort=80 violates container-ports-valid/],
    ['hostPort without waiver', { hostPort: { hostPort: 9100 } }, /props\.hostPort\.waiver=<unset> violates waiver-invalid/],
    ['hostPort a number', { hostPort: 9100 }, /props\.hostPort=9100 violates host-ports: must be an object/],
    ['capability SYS_ADMIN', { capabilities: [{ capability: 'SYS_ADMIN', waiver: waiver() }] }, /props\.capabilities\[0\]\.capability="SYS_ADMIN" violates capabilities-restricted/],
    ['capability ALL', { capabilities: [{ capability: 'ALL', waiver: waiver() }] }, /capability="ALL" violates capabilities-restricted/],
    ['capability lower-case', { capabilities: [{ capability: 'net_raw', waiver: waiver() }] }, /capability="net_raw" violates capabilities-restricted/],
    ['capability twice', { capabilities: [{ capability: 'NET_RAW', waiver: waiver() }, { capability: 'NET_RAW', waiver: waiver() }] }, /props\.capabilities\[1\]\.capability="NET_RAW" violates capabilities-restricted/],
    ['capability without waiver', { capabilities: [{ capability: 'NET_RAW' }] }, /props\.capabilities\[0\]\.waiver=<unset> violates waiver-invalid/],
    ['capability as a string', { capabilities: ['NET_RAW'] }, /props\.capabilities\[0\]="NET_RAW" violates capabilities-restricted/],
    ['maxUnavailable 0', { maxUnavailable: 0 }, /props\.maxUnavailable=0 violates pod-spec-valid/],
    ['runAsUser 0', { runAsUser: 0 }, /props\.runAsUser=0 violates run-as-user-root/],
  ];
  test.each(cases)('%s', (_, override, expected) => {
    expect(() => new HardenedDaemonSet(newChart(), 'agent', { ...AGENT, ...override } as any)).toThrow(expected);
  });
});
