/**
 * Node affinity, replica anti-affinity, PersistentVolumeClaim and projected volumes on the shared pod template of
 * every workload kind: defaults in the synthesized output, construct-time HardeningErrors, schema validity (1.28).
 */
import * as kplus from 'cdk8s-plus-28';
import {
  AntiAffinityStrength, Guard, HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet, HardenedWorkloadProps,
  NodeLabelOperator, ProjectedSource,
} from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { IMAGE, newChart, RESOURCES } from './helpers';

const KINDS = ['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet'] as const;
type Kind = typeof KINDS[number];

/** One workload of `kind` with `extra` props; its objects and its pod spec. */
function build(kind: Kind, extra: Partial<HardenedWorkloadProps> & { [k: string]: unknown } = {}) {
  const chart = newChart();
  const base = { image: IMAGE, resources: RESOURCES, ...extra } as any;
  if (kind === 'Deployment') new HardenedDeployment(chart, 'w', { port: 8080, ...base });
  if (kind === 'StatefulSet') new HardenedStatefulSet(chart, 'w', { port: 8080, ...base });
  if (kind === 'Job') new HardenedJob(chart, 'w', base);
  if (kind === 'CronJob') new HardenedCronJob(chart, 'w', { schedule: '@hourly', ...base });
  if (kind === 'DaemonSet') new HardenedDaemonSet(chart, 'w', { port: 9100, ...base });
  const objects = synth(chart);
  const workload = objects.find(o => o.kind === kind);
  const pod = kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
  return { chart, objects, pod, selector: (kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template).metadata.labels };
}

/** The HardeningError `fn` throws (fails the test when it throws nothing or something else). */
function hardeningError(fn: () => unknown): HardeningError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HardeningError) return e;
    throw e;
  }
  throw new Error('expected a HardeningError');
}

const FULL: Partial<HardenedWorkloadProps> = {
  nodeAffinity: {
    required: [{ matchExpressions: [{ key: 'node.example.com/pool', operator: NodeLabelOperator.IN, values: ['secure'] }, { key: 'gpu', operator: NodeLabelOperator.DOES_NOT_EXIST }] }],
    preferred: [{ weight: 20, matchExpressions: [{ key: 'node.example.com/cores', operator: NodeLabelOperator.GT, values: ['4'] }] }],
  },
  antiAffinity: [{}, { topologyKey: 'topology.kubernetes.io/zone', strength: AntiAffinityStrength.REQUIRED }],
  persistentVolumeClaimMounts: [{ path: '/shared', claimName: 'shared-data' }, { path: '/scratch', claimName: 'scratch', readOnly: false }],
};

describe.each(KINDS)('%s', kind => {
  test('defaults: no affinity, no PVC, no projected volume (topology spread does the spreading)', () => {
    const { pod } = build(kind);
    expect(pod.affinity).toBeUndefined();
    expect(pod.volumes.filter((v: any) => v.persistentVolumeClaim || v.projected)).toEqual([]);
  });

  test('affinity, PVC and projected mounts render as given, schema-valid, zero findings', () => {
    const cfg = kplus.ConfigMap.fromConfigMapName(newChart(), 'cfg', 'app-config');
    const { chart, objects, pod, selector } = build(kind, {
      ...FULL,
      projectedMounts: [{
        path: '/var/run/projected',
        sources: [
          ProjectedSource.serviceAccountToken({ audience: 'vault' }),
          ProjectedSource.configMap(cfg, [{ key: 'app.yaml', path: 'config/app.yaml' }]),
          ProjectedSource.downwardApi([{ path: 'labels', fieldPath: 'metadata.labels' }, { path: 'app', fieldPath: "metadata.labels['app.kubernetes.io/name']" }]),
        ],
      }],
    });
    expectValidObjects(objects);
    expect(Guard.of(chart).findings().filter(f => !f.waiver)).toEqual([]);
    expect(pod.affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [
        { key: 'node.example.com/pool', operator: 'In', values: ['secure'] }, { key: 'gpu', operator: 'DoesNotExist' },
      ] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, preference: { matchExpressions: [{ key: 'node.example.com/cores', operator: 'Gt', values: ['4'] }] } }],
    });
    // anti-affinity selects the workload's own pods: defaults hostname, PREFERRED, weight 100
    const own = { labelSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': selector['app.kubernetes.io/name'] }) } };
    expect(pod.affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ ...own, topologyKey: 'topology.kubernetes.io/zone' }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { ...own, topologyKey: 'kubernetes.io/hostname' } }],
    });
    const antiAffinityLabels = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels;
    for (const [k, v] of Object.entries(antiAffinityLabels)) expect(selector[k]).toBe(v);
    // PVC: read-only by default, on the volume source and the mount
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    const mounts = Object.fromEntries(pod.containers[0].volumeMounts.map((m: any) => [m.name, m]));
    expect(volumes['pvc-0']).toEqual({ name: 'pvc-0', persistentVolumeClaim: { claimName: 'shared-data', readOnly: true } });
    expect(mounts['pvc-0']).toEqual({ name: 'pvc-0', mountPath: '/shared', readOnly: true });
    expect(volumes['pvc-1']).toEqual({ name: 'pvc-1', persistentVolumeClaim: { claimName: 'scratch', readOnly: false } });
    expect(mounts['pvc-1']).toEqual({ name: 'pvc-1', mountPath: '/scratch' });
    // projected: mode 0440, read-only, token default expiry 3600 and file "token"
    expect(volumes['projected-0']).toEqual({ name: 'projected-0', projected: { defaultMode: 0o440, sources: [
      { serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } },
      { configMap: { name: 'app-config', items: [{ key: 'app.yaml', path: 'config/app.yaml' }] } },
      { downwardAPI: { items: [
        { path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } },
        { path: 'app', fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app.kubernetes.io/name']" } },
      ] } },
    ] } });
    expect(mounts['projected-0']).toEqual({ name: 'projected-0', mountPath: '/var/run/projected', readOnly: true });
    // the automounted token stays off
    expect(pod.automountServiceAccountToken).toBe(false);
  });
});

describe('projected sources', () => {
  test('a Secret source, all keys, and a token with its own expiry and file name', () => {
    const chart = newChart();
    const secret = kplus.Secret.fromSecretName(chart, 'tls', 'client-tls');
    new HardenedDeployment(chart, 'api', {
      image: IMAGE, port: 8080, resources: RESOURCES,
      projectedMounts: [{ path: '/var/run/secrets/app', sources: [ProjectedSource.secret(secret), ProjectedSource.serviceAccountToken({ audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'aws-token' })] }],
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    const pod = objects.find(o => o.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'projected-0').projected.sources).toEqual([
      { secret: { name: 'client-tls' } },
      { serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'aws-token' } },
    ]);
  });
});

describe('construct-time errors (HardeningError with rule id)', () => {
  const cases: [string, any, string, string][] = [
    // node affinity
    ['required term without expressions', { nodeAffinity: { required: [{ matchExpressions: [] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions'],
    ['empty required list', { nodeAffinity: { required: [] } }, 'pod-spec-valid', 'props.nodeAffinity.required'],
    ['bad label key', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a b', operator: 'In', values: ['x'] }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions[0].key'],
    ['unknown operator', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Matches', values: ['x'] }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions[0].operator'],
    ['In without values', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions[0].values'],
    ['Exists with values', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions[0].values'],
    ['Gt with a non-integer', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['four'] }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions[0].values'],
    ['bad label value', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['no spaces'] }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.required[0].matchExpressions[0].values[0]'],
    ['preferred weight 0', { nodeAffinity: { preferred: [{ weight: 0, matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.preferred[0].weight'],
    ['preferred weight 101', { nodeAffinity: { preferred: [{ weight: 101, matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } }, 'pod-spec-valid', 'props.nodeAffinity.preferred[0].weight'],
    ['nodeAffinity not an object', { nodeAffinity: 'secure' }, 'pod-spec-valid', 'props.nodeAffinity'],
    // anti-affinity
    ['anti-affinity not a list', { antiAffinity: { topologyKey: 'kubernetes.io/hostname' } }, 'pod-spec-valid', 'props.antiAffinity'],
    ['bad topology key', { antiAffinity: [{ topologyKey: '' }] }, 'pod-spec-valid', 'props.antiAffinity[0].topologyKey'],
    ['topology key twice', { antiAffinity: [{}, { topologyKey: 'kubernetes.io/hostname' }] }, 'pod-spec-valid', 'props.antiAffinity[1].topologyKey'],
    ['unknown strength', { antiAffinity: [{ strength: 'always' }] }, 'pod-spec-valid', 'props.antiAffinity[0].strength'],
    ['weight on REQUIRED', { antiAffinity: [{ strength: AntiAffinityStrength.REQUIRED, weight: 10 }] }, 'pod-spec-valid', 'props.antiAffinity[0].weight'],
    ['preferred weight 500', { antiAffinity: [{ weight: 500 }] }, 'pod-spec-valid', 'props.antiAffinity[0].weight'],
    // PVC
    ['bad claim name', { persistentVolumeClaimMounts: [{ path: '/d', claimName: 'Data_1' }] }, 'pod-spec-valid', 'props.persistentVolumeClaimMounts[0].claimName'],
    ['relative PVC path', { persistentVolumeClaimMounts: [{ path: 'data', claimName: 'd' }] }, 'read-only-root-filesystem', 'props.persistentVolumeClaimMounts[0].path'],
    ['PVC on "/"', { persistentVolumeClaimMounts: [{ path: '/', claimName: 'd' }] }, 'read-only-root-filesystem', 'props.persistentVolumeClaimMounts[0].path'],
    ['PVC path clashes with /tmp', { persistentVolumeClaimMounts: [{ path: '/tmp', claimName: 'd' }] }, 'read-only-root-filesystem', 'props.persistentVolumeClaimMounts[0].path'],
    ['readOnly not a boolean', { persistentVolumeClaimMounts: [{ path: '/d', claimName: 'd', readOnly: 'no' }] }, 'pod-spec-valid', 'props.persistentVolumeClaimMounts[0].readOnly'],
    // projected
    ['no sources', { projectedMounts: [{ path: '/p', sources: [] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources'],
    ['a plain object as source', { projectedMounts: [{ path: '/p', sources: [{ serviceAccountToken: { audience: 'x' } }] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0]'],
    ['token without audience', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({} as any)] }] }, 'service-account-token-automount', 'props.projectedMounts[0].sources[0].audience'],
    ['token with empty audience', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: '' })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].sources[0].audience'],
    ['token for the API server', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'https://kubernetes.default.svc.cluster.local' })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].sources[0].audience'],
    ['token for the API server (short form)', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'kubernetes.default.svc' })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].sources[0].audience'],
    ['token below the API minimum', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault', expirationSeconds: 599 })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].sources[0].expirationSeconds'],
    ['token living more than a day', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault', expirationSeconds: 86401 })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].sources[0].expirationSeconds'],
    ['token at the standard ServiceAccount path', { projectedMounts: [{ path: '/var/run/secrets/kubernetes.io/serviceaccount', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault' })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].path'],
    ['token above the standard ServiceAccount path', { projectedMounts: [{ path: '/var/run/secrets', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault' })] }] }, 'service-account-token-automount', 'props.projectedMounts[0].path'],
    ['token file escaping the volume', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault', path: '../token' })] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].path'],
    ['absolute file path', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.downwardApi([{ path: '/etc/ns', fieldPath: 'metadata.namespace' }])] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].fields[0].path'],
    ['status field in a volume', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.downwardApi([{ path: 'ip', fieldPath: 'status.podIP' }])] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].fields[0].fieldPath'],
    ['spec field in a volume', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.downwardApi([{ path: 'sa', fieldPath: 'spec.serviceAccountName' }])] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].fields[0].fieldPath'],
    ['no downward fields', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.downwardApi([])] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].fields'],
    ['two sources write one file', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'vault' }), ProjectedSource.downwardApi([{ path: 'token', fieldPath: 'metadata.name' }])] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[1].fields[0].path'],
    ['a ConfigMap without a valid name', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.configMap({ name: 'Bad Name' } as any)] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].configMap'],
    ['a bad ConfigMap key', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.configMap({ name: 'cfg' } as any, [{ key: 'a/b', path: 'x' }])] }] }, 'pod-spec-valid', 'props.projectedMounts[0].sources[0].items[0].key'],
    ['projected path clashes with a PVC', { persistentVolumeClaimMounts: [{ path: '/p', claimName: 'd' }], projectedMounts: [{ path: '/p', sources: [ProjectedSource.downwardApi([{ path: 'n', fieldPath: 'metadata.name' }])] }] }, 'read-only-root-filesystem', 'props.projectedMounts[0].path'],
  ];
  test.each(cases)('%s', (_name, extra, ruleId, field) => {
    for (const kind of KINDS) {
      const e = hardeningError(() => build(kind, extra));
      expect(e.ruleId).toBe(ruleId);
      expect(e.field).toBe(field);
      expect(e.message).toContain('test/w');
    }
  });

  test('a StatefulSet volume claim named like a PVC volume is refused (two volumes of one name)', () => {
    const e = hardeningError(() => build('StatefulSet', {
      persistentVolumeClaimMounts: [{ path: '/shared', claimName: 'shared' }],
      volumeClaims: [{ name: 'pvc-0', mountPath: '/data', size: '1Gi' }],
    }));
    expect(e.ruleId).toBe('pod-spec-valid');
  });
});
