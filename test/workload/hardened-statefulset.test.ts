import { Guard, HardenedDeployment, HardenedStatefulSet, HealthCheck, NetworkPeer, PodManagementPolicy, VolumeAccessMode } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { IMAGE, MINIMAL, newChart, one, RESOURCES } from './helpers';

describe('HardenedStatefulSet defaults (image + port + resources only)', () => {
  const chart = newChart();
  new HardenedStatefulSet(chart, 'db', MINIMAL);
  const objects = synth(chart);
  const sts = one(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const c = pod.containers[0];

  test('emits exactly StatefulSet, ServiceAccount, headless Service, NetworkPolicy, PodDisruptionBudget; schema-valid', () => {
    expect(objects.map(o => o.kind).sort()).toEqual(['NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'StatefulSet']);
    expectValidObjects(objects);
    for (const o of objects) expect(o.metadata).toMatchObject({ name: 'db', namespace: 'shop' });
  });

  test('zero findings from the whole catalogue (warnings included)', () => {
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('replicas 2, OrderedReady, RollingUpdate, claims retained, serviceName = the headless Service, no claims', () => {
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.revisionHistoryLimit).toBe(5);
    expect(sts.spec.serviceName).toBe('db');
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
  });

  test('headless Service (clusterIP None) on the port, not publishing unready pods', () => {
    const svc = one(objects, 'Service');
    expect(svc.spec).toEqual({
      clusterIP: 'None', publishNotReadyAddresses: false, selector: sts.spec.selector.matchLabels,
      ports: [{ name: 'app', port: 8080, targetPort: 'app', protocol: 'TCP' }],
    });
  });

  test('the same hardened pod as a HardenedDeployment', () => {
    const other = newChart();
    new HardenedDeployment(other, 'db', MINIMAL);
    const depPod = one(synth(other), 'Deployment').spec.template.spec;
    const strip = (p: any) => JSON.parse(JSON.stringify(p).replace(/db-[0-9a-f]{8}/g, 'db-x'));
    expect(strip(pod)).toEqual(strip(depPod));
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 8080 });
  });

  test('PodDisruptionBudget maxUnavailable 1; NetworkPolicy denies ingress, egress DNS only', () => {
    expect(one(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: sts.spec.selector.matchLabels } });
    const np = one(objects, 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toHaveLength(1);
  });
});

describe('HardenedStatefulSet options', () => {
  test('volume claims: size, storage class, access mode, mounted writable at the path, zero findings', () => {
    const chart = newChart();
    const db = new HardenedStatefulSet(chart, 'db', {
      ...MINIMAL,
      port: 5432,
      replicas: 3,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      volumeClaims: [
        { name: 'data', mountPath: '/var/lib/postgresql', size: '20Gi', storageClassName: 'gp3-encrypted' },
        { name: 'wal', mountPath: '/var/lib/wal', size: '5Gi', accessMode: VolumeAccessMode.READ_WRITE_ONCE_POD },
      ],
      readiness: HealthCheck.command(['/usr/bin/pg_isready']),
      startup: HealthCheck.tcp(undefined, { failureThreshold: 30 }),
    });
    const api = new HardenedDeployment(chart, 'api', MINIMAL);
    api.connectTo(db);
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    const sts = one(objects, 'StatefulSet');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec])).toEqual([
      ['data', { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3-encrypted', resources: { requests: { storage: '20Gi' } } }],
      ['wal', { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '5Gi' } } }],
    ]);
    const c = sts.spec.template.spec.containers[0];
    expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/var/lib/postgresql' }, { name: 'wal', mountPath: '/var/lib/wal' }]));
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['writable-0']);
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 5432 }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 30, timeoutSeconds: 1 });
    const np = objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'db');
    expect(np.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: api.selectorLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  const cases: [string, object, RegExp][] = [
    ['replicas 1', { replicas: 1 }, /props\.replicas=1 violates replicas-minimum/],
    ['no port', { port: undefined }, /props\.port=<unset> violates container-ports-valid/],
    ['podManagementPolicy unknown', { podManagementPolicy: 'Random' }, /props\.podManagementPolicy="Random" violates pod-spec-valid/],
    ['claims not a list', { volumeClaims: { name: 'data' } }, /props\.volumeClaims=.* violates pod-spec-valid: must be a list/],
    ['claim null', { volumeClaims: [null] }, /props\.volumeClaims\[0\]=null violates pod-spec-valid/],
    ['claim name invalid', { volumeClaims: [{ name: 'Data', mountPath: '/d', size: '1Gi' }] }, /props\.volumeClaims\[0\]\.name="Data" violates pod-spec-valid/],
    ['claim name reserved', { volumeClaims: [{ name: 'writable-0', mountPath: '/d', size: '1Gi' }] }, /props\.volumeClaims\[0\]\.name="writable-0" violates pod-spec-valid/],
    ['claim name twice', { volumeClaims: [{ name: 'd', mountPath: '/d', size: '1Gi' }, { name: 'd', mountPath: '/e', size: '1Gi' }] }, /props\.volumeClaims\[1\]\.name="d" violates pod-spec-valid/],
    ['claim mountPath /', { volumeClaims: [{ name: 'd', mountPath: '/', size: '1Gi' }] }, /props\.volumeClaims\[0\]\.mountPath="\/" violates read-only-root-filesystem/],
    ['claim mountPath clashes with /tmp', { volumeClaims: [{ name: 'd', mountPath: '/tmp', size: '1Gi' }] }, /props\.volumeClaims\[0\]\.mountPath="\/tmp" violates read-only-root-filesystem: is mounted twice/],
    ['claim size invalid', { volumeClaims: [{ name: 'd', mountPath: '/d', size: 'big' }] }, /props\.volumeClaims\[0\]\.size="big" violates pod-spec-valid/],
    ['claim size zero', { volumeClaims: [{ name: 'd', mountPath: '/d', size: '0' }] }, /props\.volumeClaims\[0\]\.size="0" violates pod-spec-valid/],
    ['storage class invalid', { volumeClaims: [{ name: 'd', mountPath: '/d', size: '1Gi', storageClassName: 'GP3 ' }] }, /storageClassName="GP3 " violates pod-spec-valid/],
    ['access mode ReadWriteMany', { volumeClaims: [{ name: 'd', mountPath: '/d', size: '1Gi', accessMode: 'ReadWriteMany' }] }, /accessMode="ReadWriteMany" violates pod-spec-valid/],
    ['image with a tag', { image: 'registry.example.com/db:15' }, /props\.image=.* violates image-digest/],
    ['namespace kube-system', { namespace: 'kube-system' }, /props\.namespace="kube-system" violates namespace-psa-enforce/],
    ['runAsUser 0', { runAsUser: 0 }, /props\.runAsUser=0 violates run-as-user-root/],
  ];
  test.each(cases)('%s', (_, override, expected) => {
    expect(() => new HardenedStatefulSet(newChart(), 'db', { ...MINIMAL, ...override } as any)).toThrow(expected);
  });

  test('props must be an object', () => {
    expect(() => new HardenedStatefulSet(newChart(), 'db', undefined as any)).toThrow(/props=<unset> violates pod-spec-valid: must be an object with at least image and port/);
    expect(() => new HardenedStatefulSet(newChart(), 'db', { image: IMAGE, port: 80, resources: RESOURCES })).toThrow(/props\.port=80 violates container-ports-valid/);
  });

  test('allowIngressFrom later renders into the NetworkPolicy', () => {
    const chart = newChart();
    const db = new HardenedStatefulSet(chart, 'db', MINIMAL);
    db.allowIngressFrom(NetworkPeer.namespace('backup'));
    const np = one(synth(chart), 'NetworkPolicy');
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backup' } } }]);
  });
});
