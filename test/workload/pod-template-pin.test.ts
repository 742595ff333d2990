/**
 * Pins the shared pod template byte for byte (issue 31, point 4: buildPodTemplate split into validate and render
 * steps): the synthesized objects of workloads that use every pod prop, and the error of every single bad prop and
 * every pair of bad props (which one the template reports first). See test/util/pins.ts.
 */
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AntiAffinityStrength, HardenedChart, HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet, HardenedWorkloadProps,
  HardeningProfile, HealthCheck, ImagePullPolicy, NodeCapability, NodeLabelOperator, ProjectedSource,
} from '../../lib';
import { expectGolden, mutationOutcomes, sha256 } from '../util/pins';
import { daysFromNow, synth } from '../util/synth';
import { IMAGE, MINIMAL, RESOURCES } from './helpers';

const TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount';
const waiver = () => ({ reason: 'log shipper reads the node container logs', owner: 'team-platform', expires: daysFromNow(30) });
/** The waivers' expiry dates depend on the day: normalized before hashing. */
const normalize = (text: string) => text.split(daysFromNow(30)).join('<expires>');

function chartWith(build: (chart: HardenedChart) => void, profile?: ConstructorParameters<typeof HardeningProfile>[2]): any[] {
  const app = new App();
  if (profile) new HardeningProfile(app, 'profile', profile);
  const chart = new HardenedChart(app, 'c', { namespace: 'shop' });
  build(chart);
  return synth(chart);
}

/** Every pod prop at once. */
function everything(chart: HardenedChart): Partial<HardenedWorkloadProps> {
  const secret = kplus.Secret.fromSecretName(chart, 'secret-ref', 'db-credentials');
  const cfg = kplus.ConfigMap.fromConfigMapName(chart, 'config-ref', 'app-config');
  return {
    runAsUser: 1000,
    runAsGroup: 2000,
    resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi', cpuLimit: '1', ephemeralStorageLimit: '2Gi' },
    terminationGracePeriodSeconds: 60,
    writablePaths: ['/tmp', '/var/cache/app'],
    writablePathSizeLimit: '64Mi',
    secretMounts: [{ path: '/etc/db', secret }],
    configMapMounts: [{ path: '/etc/app', configMap: cfg }],
    secretProviderMounts: [{ path: '/mnt/secrets', secretProviderClass: { name: 'aws-secrets' } }],
    persistentVolumeClaimMounts: [{ path: '/shared', claimName: 'shared-data' }, { path: '/scratch', claimName: 'scratch', readOnly: false }],
    projectedMounts: [{
      path: '/var/run/projected',
      sources: [
        ProjectedSource.serviceAccountToken({ audience: 'vault', expirationSeconds: 1200, path: 'vault-token' }),
        ProjectedSource.configMap(cfg, [{ key: 'app.yaml', path: 'config/app.yaml' }]),
        ProjectedSource.secret(secret),
        ProjectedSource.downwardApi([{ path: 'labels', fieldPath: 'metadata.labels' }, { path: 'app', fieldPath: "metadata.labels['app.kubernetes.io/name']" }]),
      ],
    }],
    apiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: ['api'] }],
    env: { LOG_LEVEL: kplus.EnvValue.fromValue('info'), DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
    command: ['/app'],
    args: ['--serve', '--port=8080'],
    readiness: HealthCheck.httpGet('/ready'),
    liveness: HealthCheck.command(['/app', 'health']),
    startup: HealthCheck.tcp(undefined, { failureThreshold: 30 }),
    runtimeClassName: 'gvisor',
    nodeSelector: { 'node.example.com/pool': 'secure' },
    tolerations: [{ key: 'dedicated', value: 'secure', effect: 'NoSchedule' }, { key: 'spot' }],
    nodeAffinity: {
      required: [{ matchExpressions: [{ key: 'node.example.com/pool', operator: NodeLabelOperator.IN, values: ['secure'] }, { key: 'gpu', operator: NodeLabelOperator.DOES_NOT_EXIST }] }],
      preferred: [{ weight: 20, matchExpressions: [{ key: 'node.example.com/cores', operator: NodeLabelOperator.GT, values: ['4'] }] }],
    },
    antiAffinity: [{}, { topologyKey: 'topology.kubernetes.io/zone', strength: AntiAffinityStrength.REQUIRED }],
    imagePullSecrets: ['registry-credentials'],
    imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
    podAnnotations: { 'example.com/owner': 'team-shop' },
    priorityClassName: 'business-critical',
    initContainers: [{ name: 'init-config', image: IMAGE, command: ['/init'], args: ['--once'], env: { MODE: kplus.EnvValue.fromValue('init') } }],
    sidecars: [{ name: 'proxy', image: IMAGE, resources: { cpuRequest: '50m', memoryRequest: '64Mi' } }],
  };
}

const VARIANTS: { [name: string]: () => any[] } = {
  'deployment minimal': () => chartWith(c => { new HardenedDeployment(c, 'api', MINIMAL); }),
  'deployment with every pod prop': () => chartWith(c => { new HardenedDeployment(c, 'api', { ...MINIMAL, ...everything(c) }); }),
  'deployment on a privileged port': () => chartWith(c => { new HardenedDeployment(c, 'web', { ...MINIMAL, port: 80, bindPrivilegedPort: true }); }),
  'deployment, profile defaults': () => chartWith(c => { new HardenedDeployment(c, 'api', { image: IMAGE, port: 8080 }); }, { defaultResources: RESOURCES, defaultRuntimeClassName: 'kata' }),
  'statefulset with claims and every pod prop': () => chartWith(c => {
    new HardenedStatefulSet(c, 'db', {
      ...MINIMAL, ...everything(c), port: 5432,
      volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql', size: '20Gi', storageClassName: 'gp3-encrypted' }, { name: 'wal', mountPath: '/var/lib/wal', size: '5Gi' }],
    });
  }),
  'daemonset with host access and every pod prop': () => chartWith(c => {
    new HardenedDaemonSet(c, 'agent', {
      ...MINIMAL, ...everything(c), port: 9100,
      hostPathMounts: [{ hostPath: '/var/log', mountPath: '/host/var/log', waiver: waiver() }],
      hostPort: { hostPort: 9100, waiver: waiver() },
      capabilities: [{ capability: NodeCapability.DAC_READ_SEARCH, waiver: waiver() }],
    });
  }),
  'job and cronjob, minimal': () => chartWith(c => {
    new HardenedJob(c, 'job', { image: IMAGE, resources: RESOURCES });
    new HardenedCronJob(c, 'cron', { image: IMAGE, resources: RESOURCES, schedule: '@hourly' });
  }),
  'job and cronjob with every pod prop': () => chartWith(c => {
    const { antiAffinity: _a, readiness: _r, liveness: _l, startup: _s, ...props } = everything(c);
    new HardenedJob(c, 'job', { image: IMAGE, ...props });
    new HardenedCronJob(c, 'cron', { image: IMAGE, ...props, schedule: '@hourly' });
  }),
};

const secretAt = (path: string) => ({ secretMounts: [{ path, secret: { name: 'db-credentials' } }] });
/** One bad prop each (as JavaScript callers can pass them), in no particular order. */
const MUTATIONS: ReadonlyArray<readonly [string, any]> = [
  ['runAsUser root', { runAsUser: 0 }],
  ['runAsGroup negative', { runAsGroup: -1 }],
  ['resources cpu', { resources: { cpuRequest: 'x', memoryRequest: '1Mi' } }],
  ['memory limit below request', { resources: { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Mi' } }],
  ['grace period', { terminationGracePeriodSeconds: 5000 }],
  ['image latest', { image: 'nginx:latest' }],
  ['writable /', { writablePaths: ['/'] }],
  ['writable not a list', { writablePaths: '/tmp' }],
  ['size limit', { writablePathSizeLimit: '-1' }],
  ['writable over /etc', { writablePaths: ['/etc'] }],
  ['secret over writable /tmp', secretAt('/tmp')],
  ['secret not an object', { secretMounts: ['x'] }],
  ['configMap name', { configMapMounts: [{ path: '/cfg', configMap: { name: 'Bad_Name' } }] }],
  ['spc namespace', { secretProviderMounts: [{ path: '/mnt/s', secretProviderClass: { name: 'spc', namespace: 'other' } }] }],
  ['pvc over /usr/lib', { persistentVolumeClaimMounts: [{ path: '/usr/lib', claimName: 'c' }] }],
  ['pvc readOnly string', { persistentVolumeClaimMounts: [{ path: '/data', claimName: 'c', readOnly: 'no' }] }],
  ['projected token at the token path', { projectedMounts: [{ path: TOKEN, sources: [ProjectedSource.serviceAccountToken({ audience: 'vault' })] }] }],
  ['projected empty', { projectedMounts: [{ path: '/p', sources: [] }] }],
  ['projected api audience', { projectedMounts: [{ path: '/p', sources: [ProjectedSource.serviceAccountToken({ audience: 'https://kubernetes.default.svc' })] }] }],
  ['apiAccess wildcard', { apiAccess: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }] }],
  ['apiAccess secrets', { apiAccess: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] }],
  ['apiAccess verb', { apiAccess: [{ apiGroups: [''], resources: ['pods'], verbs: ['escalate'] }] }],
  ['secret at the token path, with apiAccess', { ...secretAt(TOKEN), apiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }],
  ['env name', { env: { 'BAD NAME': kplus.EnvValue.fromValue('x') } }],
  ['env value', { env: { X: 'plain' } }],
  ['command', { command: 'not-a-list' }],
  ['readiness', { readiness: 'x' }],
  ['liveness http port', { liveness: HealthCheck.httpGet('/healthz', 70000) }],
  ['runtime class', { runtimeClassName: 'Bad' }],
  ['node selector', { nodeSelector: { 'bad key!': 'v' } }],
  ['toleration any taint', { tolerations: [{ key: '' }] }],
  ['toleration effect', { tolerations: [{ key: 'k', effect: 'Sometimes' }] }],
  ['node affinity empty', { nodeAffinity: { required: [] } }],
  ['node affinity Gt', { nodeAffinity: { required: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['many'] }] }] } }],
  ['anti-affinity strength', { antiAffinity: [{ strength: 'X' }] }],
  ['anti-affinity weight on required', { antiAffinity: [{ strength: AntiAffinityStrength.REQUIRED, weight: 5 }] }],
  ['pull secret', { imagePullSecrets: ['Bad'] }],
  ['pull policy Never', { imagePullPolicy: 'Never' }],
  ['annotation prefix', { podAnnotations: { 'kubernetes.io/x': 'y' } }],
  ['priority class system', { priorityClassName: 'system-cluster-critical' }],
  ['sidecar named main', { sidecars: [{ name: 'main', image: IMAGE }] }],
  ['init image', { initContainers: [{ name: 'init', image: 'nginx' }] }],
  ['init env', { initContainers: [{ name: 'init', image: IMAGE, env: 'x' }] }],
];

describe('pod template pin', () => {
  test('synthesized objects of every variant, byte for byte', () => {
    const actual: { [variant: string]: string } = {};
    for (const [name, build] of Object.entries(VARIANTS)) actual[name] = sha256(normalize(JSON.stringify(build())));
    expectGolden('pod-template.sha256', actual);
  });

  test('the error of every bad prop and every pair of bad props (validation order)', () => {
    const build = (patches: any[]) => {
      const chart = new HardenedChart(new App(), 'c', { namespace: 'shop' });
      new HardenedDeployment(chart, 'api', Object.assign({}, MINIMAL, ...patches));
    };
    const actual = mutationOutcomes(MUTATIONS, build);
    // Every mutation is an error on its own (a mutation that passes would pin nothing).
    for (const [name] of MUTATIONS) expect([name, actual[name]]).not.toEqual([name, sha256('ok').slice(0, 16)]);
    expectGolden('pod-template-errors.sha256', actual);
  });
});
