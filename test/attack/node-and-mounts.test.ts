/**
 * Class 9 of issue #30 (mounts, host access): writable or shared volumes over system directories and the token
 * directory, DaemonSet hostPaths of other distributions' credential and runtime directories, /proc with SYS_PTRACE,
 * host ports of node components, and a projected token at /run/secrets/kubernetes.io/serviceaccount.
 */
import { App } from 'cdk8s';
import { HardenedChart, HardenedDaemonSet, HardenedDeployment, NodeCapability, ProjectedSource } from '../../lib';
import { daysFromNow } from '../cli/helpers';
import { IMAGE, MINIMAL, RESOURCES } from '../workload/helpers';
import { expectBlockedEverywhere, expectNotFlagged } from './layers';

const chart = () => new HardenedChart(new App(), 'c', { namespace: 'shop' });
const waiver = { reason: 'the node agent reads this directory', owner: 'team-platform', expires: daysFromNow(30) };
const AGENT = { image: IMAGE, resources: RESOURCES, port: 9100 };

describe('HardenedDeployment: no writable or shared volume over system directories or the token directory', () => {
  test.each([
    ['a writable claim over /etc', { persistentVolumeClaimMounts: [{ path: '/etc', claimName: 'etc', readOnly: false }] }, 'props.persistentVolumeClaimMounts[0].path'],
    ['a read-only claim over /usr/bin (its content is whatever else writes the claim)', { persistentVolumeClaimMounts: [{ path: '/usr/bin', claimName: 'tools' }] }, 'props.persistentVolumeClaimMounts[0].path'],
    ['a writable claim over /bin', { persistentVolumeClaimMounts: [{ path: '/bin', claimName: 'b', readOnly: false }] }, 'props.persistentVolumeClaimMounts[0].path'],
    ['a writable claim over the token directory', { persistentVolumeClaimMounts: [{ path: '/var/run/secrets/kubernetes.io/serviceaccount', claimName: 't', readOnly: false }] }, 'props.persistentVolumeClaimMounts[0].path'],
    ['a writable emptyDir over /usr (an ancestor of /usr/bin)', { writablePaths: ['/tmp', '/usr'] }, 'props.writablePaths[1]'],
    ['a writable emptyDir below /usr/local/bin', { writablePaths: ['/usr/local/bin/plugins'] }, 'props.writablePaths[0]'],
  ])('%s', (_, props, field) => {
    expect(() => new HardenedDeployment(chart(), 'api', { ...MINIMAL, ...props } as any)).toThrow(new RegExp(`${field.replace(/[.[\]]/g, '\\$&')}=.* violates read-only-root-filesystem: mounts`));
  });

  test('application directories stay allowed', () => {
    expect(() => new HardenedDeployment(chart(), 'api', { ...MINIMAL, writablePaths: ['/tmp', '/etc/app', '/var/run'], persistentVolumeClaimMounts: [{ path: '/var/lib/app', claimName: 'data', readOnly: false }] })).not.toThrow();
  });

  test('a projected token at /run/secrets/kubernetes.io/serviceaccount is the standard token (where /var/run links to /run)', () => {
    for (const path of ['/run/secrets/kubernetes.io/serviceaccount', '/run/secrets/kubernetes.io', '/run/secrets']) {
      expect(() => new HardenedDeployment(chart(), 'api', { ...MINIMAL, projectedMounts: [{ path, sources: [ProjectedSource.serviceAccountToken({ audience: 'vault' })] }] }))
        .toThrow(/violates service-account-token-automount: holds the standard ServiceAccount token path/);
    }
  });
});

describe('volume-mount-system-path on raw objects, in every layer', () => {
  test.each([
    ['writable claim over /etc', '{ name: v, mountPath: /etc }', '{ name: v, persistentVolumeClaim: { claimName: etc } }'],
    ['read-only claim over /usr/bin', '{ name: v, mountPath: /usr/bin, readOnly: true }', '{ name: v, persistentVolumeClaim: { claimName: tools } }'],
    ['emptyDir over /bin', '{ name: v, mountPath: /bin }', '{ name: v, emptyDir: {} }'],
    ['claim over /run/secrets/kubernetes.io/serviceaccount', '{ name: v, mountPath: /run/secrets/kubernetes.io/serviceaccount }', '{ name: v, persistentVolumeClaim: { claimName: tokens } }'],
  ])('%s', async (_, mount, volume) => {
    await expectBlockedEverywhere(`
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers: [{ name: c, image: "${IMAGE}", volumeMounts: [${mount}] }]
  volumes: [${volume}]
`, 'volume-mount-system-path', { waive: ['Pod/p'] });
  });

  test('a ConfigMap at /etc/ssl/certs and an emptyDir at /etc/app pass', async () => {
    await expectNotFlagged(`
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers: [{ name: c, image: "${IMAGE}", volumeMounts: [{ name: a, mountPath: /etc/ssl/certs }, { name: b, mountPath: /etc/app }] }]
  volumes: [{ name: a, configMap: { name: ca } }, { name: b, emptyDir: {} }]
`, 'volume-mount-system-path');
  });
});

describe('HardenedDaemonSet host access', () => {
  test.each(['/var/lib/rancher/k3s', '/var/lib/rancher/rke2/agent', '/var/snap/microk8s', '/var/lib/k0s', '/var/lib/crio', '/var/lib/containers/storage', '/srv/kubernetes', '/var/lib'])(
    'hostPath %s (credentials, runtime state or an ancestor of them) is refused, waiver or not', hostPath => {
      expect(() => new HardenedDaemonSet(chart(), 'agent', { ...AGENT, hostPathMounts: [{ hostPath, mountPath: '/host/x', waiver }] }))
        .toThrow(/props\.hostPathMounts\[0\]\.hostPath=.* violates host-path-volumes: reaches/);
    });

  test('/proc and /sys read-only with a waiver stay allowed for a non-root agent; /proc with SYS_PTRACE is refused', () => {
    expect(() => new HardenedDaemonSet(chart(), 'agent', { ...AGENT, hostPathMounts: [{ hostPath: '/proc', mountPath: '/host/proc', waiver }, { hostPath: '/sys', mountPath: '/host/sys', waiver }] })).not.toThrow();
    expect(() => new HardenedDaemonSet(chart(), 'agent', {
      ...AGENT, hostPathMounts: [{ hostPath: '/proc', mountPath: '/host/proc', waiver }], capabilities: [{ capability: NodeCapability.SYS_PTRACE, waiver }],
    })).toThrow(/props\.hostPathMounts\[0\]\.hostPath="\/proc" violates host-path-volumes: with capability SYS_PTRACE reaches every process of the node/);
  });

  test.each([10250, 10256, 2379, 6443])('host port %d of a node component is refused, waiver or not', port => {
    expect(() => new HardenedDaemonSet(chart(), 'agent', { ...AGENT, hostPort: { hostPort: port, waiver } }))
      .toThrow(/props\.hostPort\.hostPort=\d+ violates host-ports: is the port of .* on every node/);
  });

  test('a raw pod with host port 10250 fails every layer (host-ports), unless waived', async () => {
    await expectBlockedEverywhere(`
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers: [{ name: c, image: "${IMAGE}", ports: [{ containerPort: 10250, hostPort: 10250 }] }]
`, 'host-ports', { waive: ['Pod/p'] });
  });
});
