import { ConcurrencyPolicy, Guard, HardenedCronJob, HardenedDeployment, HardenedJob, HealthCheck, NetworkPeer } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { IMAGE, newChart, one, RESOURCES } from './helpers';

const JOB = { image: IMAGE, resources: RESOURCES };
const CRON = { ...JOB, schedule: '0 3 * * *' };

describe('HardenedJob defaults (image + resources only)', () => {
  const chart = newChart();
  new HardenedJob(chart, 'migrate', JOB);
  const objects = synth(chart);
  const job = one(objects, 'Job');
  const pod = job.spec.template.spec;
  const c = pod.containers[0];

  test('emits exactly Job, ServiceAccount, NetworkPolicy (no Service, no PDB); schema-valid', () => {
    expect(objects.map(o => o.kind).sort()).toEqual(['Job', 'NetworkPolicy', 'ServiceAccount']);
    expectValidObjects(objects);
    for (const o of objects) expect(o.metadata).toMatchObject({ name: 'migrate', namespace: 'shop' });
  });

  test('zero findings from the whole catalogue (warnings included)', () => {
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('backoffLimit 3, activeDeadlineSeconds 3600, ttlSecondsAfterFinished 86400, completions and parallelism 1', () => {
    const { template, ...spec } = job.spec;
    expect(spec).toEqual({ backoffLimit: 3, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400, completions: 1, parallelism: 1 });
    expect(job.spec.selector).toBeUndefined();
  });

  test('pod: restartPolicy Never, no ports, no probes, no topology spread, same hardening as a Deployment', () => {
    expect(pod.restartPolicy).toBe('Never');
    expect(c.ports).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false, privileged: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.volumes).toEqual([{ name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { 'memory': '128Mi', 'ephemeral-storage': '1Gi' } });
  });

  test('NetworkPolicy: no ingress, egress DNS only', () => {
    const np = one(objects, 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toHaveLength(1);
    expect(np.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });
});

describe('HardenedCronJob defaults (image + schedule + resources only)', () => {
  const chart = newChart();
  new HardenedCronJob(chart, 'report', CRON);
  const objects = synth(chart);
  const cron = one(objects, 'CronJob');

  test('emits exactly CronJob, ServiceAccount, NetworkPolicy; schema-valid; zero findings', () => {
    expect(objects.map(o => o.kind).sort()).toEqual(['CronJob', 'NetworkPolicy', 'ServiceAccount']);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('concurrencyPolicy Forbid, time zone Etc/UTC, starting deadline 300 s, history 3/1, not suspended', () => {
    const { jobTemplate, ...spec } = cron.spec;
    expect(spec).toEqual({
      schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, suspend: false,
    });
  });

  test('the job template carries the Job defaults and the hardened pod', () => {
    const { template, ...spec } = cron.spec.jobTemplate.spec;
    expect(spec).toEqual({ backoffLimit: 3, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400, completions: 1, parallelism: 1 });
    expect(template.spec.restartPolicy).toBe('Never');
    expect(template.spec.serviceAccountName).toBe('report');
    expect(template.metadata.labels['app.kubernetes.io/name']).toBe('report');
  });
});

describe('HardenedJob and HardenedCronJob options', () => {
  test('a port with service: true emits a ClusterIP Service; ingress from named peers; probes when given; zero findings', () => {
    const chart = newChart();
    const api = new HardenedDeployment(chart, 'api', { ...JOB, port: 8080 });
    const job = new HardenedJob(chart, 'etl', {
      ...JOB, port: 9090, service: true, backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 0, completions: 5, parallelism: 2,
      ingressFrom: [NetworkPeer.namespace('monitoring')], liveness: HealthCheck.httpGet('/healthz'),
      imagePullSecrets: ['registry-credentials'],
    });
    job.connectTo(api);
    new HardenedCronJob(chart, 'nightly', {
      ...CRON, schedule: '@daily', concurrencyPolicy: ConcurrencyPolicy.REPLACE, timeZone: 'Europe/Berlin',
      startingDeadlineSeconds: 60, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3,
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    const svc = objects.find(o => o.kind === 'Service' && o.metadata.name === 'etl');
    expect(svc.spec.ports).toEqual([{ name: 'app', port: 9090, targetPort: 'app', protocol: 'TCP' }]);
    const j = one(objects, 'Job');
    expect(j.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 0, completions: 5, parallelism: 2 });
    expect(j.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    expect(j.spec.template.spec.containers[0].livenessProbe.httpGet).toEqual({ path: '/healthz', port: 9090, scheme: 'HTTP' });
    expect(j.spec.template.spec.containers[0].readinessProbe).toBeUndefined();
    const cron = one(objects, 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '@daily', concurrencyPolicy: 'Replace', timeZone: 'Europe/Berlin', startingDeadlineSeconds: 60 });
    const np = objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'etl');
    expect(np.spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: api.selectorLabels } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  const jobCases: [string, object, RegExp][] = [
    ['service without port', { service: true }, /props\.service=true violates service-exposure: needs a port/],
    ['service not a boolean', { port: 9090, service: 'yes' }, /props\.service="yes" violates service-exposure/],
    ['backoffLimit -1', { backoffLimit: -1 }, /props\.backoffLimit=-1 violates pod-spec-valid/],
    ['backoffLimit 1.5', { backoffLimit: 1.5 }, /props\.backoffLimit=1\.5 violates pod-spec-valid/],
    ['activeDeadlineSeconds 0', { activeDeadlineSeconds: 0 }, /props\.activeDeadlineSeconds=0 violates pod-spec-valid/],
    ['ttlSecondsAfterFinished -5', { ttlSecondsAfterFinished: -5 }, /props\.ttlSecondsAfterFinished=-5 violates pod-spec-valid/],
    ['parallelism 0', { parallelism: 0 }, /props\.parallelism=0 violates pod-spec-valid/],
    ['completions a string', { completions: '3' }, /props\.completions="3" violates pod-spec-valid/],
    ['ingress without a port', { ingressFrom: [NetworkPeer.namespace('x')] }, /ingressFrom="namespace x" violates network-policy-allow-all-ingress: the workload has no port/],
    ['port 80 without bindPrivilegedPort', { port: 80 }, /props\.port=80 violates container-ports-valid/],
    ['tcp probe without a port', { readiness: HealthCheck.tcp() }, /props\.readiness\.port=<unset> violates probes-configured/],
    ['imagePullSecrets not names', { imagePullSecrets: ['Bad Name'] }, /props\.imagePullSecrets\[0\]="Bad Name" violates pod-spec-valid/],
    ['imagePullSecrets not a list', { imagePullSecrets: 'creds' }, /props\.imagePullSecrets="creds" violates pod-spec-valid: must be a list/],
    ['startup not a HealthCheck', { startup: { exec: {} } }, /props\.startup=.* violates probes-configured: is not a HealthCheck/],
    ['image latest', { image: 'registry.example.com/a:latest' }, /violates image-tag-latest/],
  ];
  test.each(jobCases)('Job: %s', (_, override, expected) => {
    expect(() => new HardenedJob(newChart(), 'job', { ...JOB, ...override } as any)).toThrow(expected);
  });
  test.each(jobCases)('CronJob: %s', (_, override, expected) => {
    expect(() => new HardenedCronJob(newChart(), 'job', { ...CRON, ...override } as any)).toThrow(expected);
  });

  const cronCases: [string, object, RegExp][] = [
    ['no schedule', { schedule: undefined }, /props\.schedule=<unset> violates pod-spec-valid/],
    ['six fields', { schedule: '0 0 3 * * *' }, /props\.schedule="0 0 3 \* \* \*" violates pod-spec-valid/],
    ['TZ prefix', { schedule: 'TZ=UTC 0 3 * * *' }, /props\.schedule=.* violates pod-spec-valid/],
    ['minute 60', { schedule: '60 * * * *' }, /props\.schedule="60 \* \* \* \*" violates pod-spec-valid/],
    ['reversed range', { schedule: '0 5-3 * * *' }, /violates pod-spec-valid/],
    ['step 0', { schedule: '*/0 * * * *' }, /violates pod-spec-valid/],
    ['unknown macro', { schedule: '@every 5m' }, /violates pod-spec-valid/],
    ['concurrencyPolicy unknown', { concurrencyPolicy: 'Sometimes' }, /props\.concurrencyPolicy="Sometimes" violates pod-spec-valid/],
    ['time zone unknown', { timeZone: 'Mars/Olympus' }, /props\.timeZone="Mars\/Olympus" violates pod-spec-valid/],
    ['time zone with spaces', { timeZone: 'Europe/ Berlin' }, /props\.timeZone=.* violates pod-spec-valid/],
    ['startingDeadlineSeconds 5', { startingDeadlineSeconds: 5 }, /props\.startingDeadlineSeconds=5 violates pod-spec-valid/],
    ['history limit 1000', { successfulJobsHistoryLimit: 1000 }, /props\.successfulJobsHistoryLimit=1000 violates pod-spec-valid/],
    ['name longer than 52', { name: 'a'.repeat(53) }, /props\.name="a{53}" violates metadata-valid: is longer than 52/],
  ];
  test.each(cronCases)('CronJob: %s', (_, override, expected) => {
    expect(() => new HardenedCronJob(newChart(), 'job', { ...CRON, ...override } as any)).toThrow(expected);
  });

  test.each(['*/15 * * * *', '0 0 1 JAN,jul *', '0 9-17/2 * * MON-FRI', '5 4 * * 7', '0 0 ? * *', '@hourly', '@yearly', ' 0 3 * * * '])('schedule %j is accepted', schedule => {
    expect(() => new HardenedCronJob(newChart(), 'job', { ...CRON, schedule })).not.toThrow();
  });
});
