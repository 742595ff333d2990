/**
 * Pins IsolatedNamespace byte for byte (issue 31, point 4: the constructor split into validate and render steps): the
 * synthesized manifests of representative namespaces, and the error of every single bad prop and every pair of bad
 * props (which one the constructor reports first). See test/util/pins.ts.
 */
import { App, Chart } from 'cdk8s';
import { FlowControlApiVersion, HardeningProfile, IsolatedNamespace, IsolatedNamespaceProps, Waiver } from '../../lib';
import { expectGolden, mutationOutcomes, sha256 } from '../util/pins';
import { daysFromNow, synth } from '../util/synth';

const EVERYTHING: IsolatedNamespaceProps = {
  name: 'payments',
  podSecurityVersion: 'v1.30',
  allowSameNamespace: true,
  allowFromNamespaces: ['ingress', 'monitoring'],
  allowFromNamespacesPorts: [8080, 9090, 8080],
  quota: { cpuRequests: '4', memoryRequests: '8Gi', memoryLimits: '12Gi', pods: 40, services: 5, secrets: 20, configMaps: 30, persistentVolumeClaims: 4, storage: '50Gi' },
  limits: { defaultCpuRequest: '50m', defaultMemoryRequest: '64Mi', defaultMemoryLimit: '128Mi', maxCpu: '2', maxMemory: '4Gi' },
  tenantGroups: ['payments-devs', 'payments-oncall'],
  readableSecrets: ['payments-db', 'payments-tls'],
  tenantCanCreatePods: true,
  ipPool: { cidr: '10.244.64.0/20', blockSize: 24 },
  nodeIsolation: { nodeSelector: { 'node-pool': 'payments', 'zone': 'a' }, taintKey: 'dedicated', taintValue: 'payments' },
  meshMtlsStrict: true,
  meshRevision: 'prod-stable',
  apiFairness: { concurrencyShares: 20, borrowingLimitPercent: 10, matchingPrecedence: 7000, apiVersion: FlowControlApiVersion.V1 },
};

function synthWith(build: (chart: Chart) => void, opts: { namespace?: string; profile?: ConstructorParameters<typeof HardeningProfile>[2] } = {}): any[] {
  const app = new App();
  if (opts.profile) new HardeningProfile(app, 'profile', opts.profile);
  const chart = new Chart(app, 'tenants', { namespace: opts.namespace });
  build(chart);
  return synth(chart);
}

const VARIANTS: { [name: string]: () => any[] } = {
  'defaults': () => synthWith(c => { new IsolatedNamespace(c, 'payments'); }),
  'every prop': () => synthWith(c => { new IsolatedNamespace(c, 'tenant', EVERYTHING); }),
  'every prop, chart with a namespace': () => synthWith(c => { new IsolatedNamespace(c, 'tenant', EVERYTHING); }, { namespace: 'elsewhere' }),
  'mesh without revision, taint without value, groups without secrets': () => synthWith(c => {
    new IsolatedNamespace(c, 'shop', {
      meshMtlsStrict: true, nodeIsolation: { nodeSelector: { pool: 'shop' }, taintKey: 'dedicated' }, tenantGroups: ['shop-devs'], ipPool: { cidr: '10.1.0.0/16' },
    });
  }),
  'profile requires API fairness, kube 1.28': () => synthWith(c => { new IsolatedNamespace(c, 'payments'); }, { profile: { requireApiFairness: true, kubeVersion: '1.28' } }),
  'load balancer quota under a waiver': () => synthWith(c => {
    const ns = new IsolatedNamespace(c, 'edge', { quota: { loadBalancers: 1, nodePorts: 2 } });
    Waiver.apply(ns.namespace, { ruleId: 'namespace-resource-quota', reason: 'the edge tenant runs the public load balancer', owner: 'team-edge', expires: daysFromNow(30) });
  }),
};
/** The waiver's expiry date depends on the day: normalized before hashing. */
const normalize = (text: string) => text.split(daysFromNow(30)).join('<expires>');

/** One bad prop each (as JavaScript callers can pass them), in no particular order. */
const MUTATIONS: ReadonlyArray<readonly [string, any]> = [
  ['name', { name: 'Payments' }],
  ['reserved name', { name: 'kube-system' }],
  ['pss version', { podSecurityVersion: 'latest' }],
  ['allowSameNamespace string', { allowSameNamespace: 'false' }],
  ['tenantCanCreatePods string', { tenantCanCreatePods: 'true' }],
  ['meshMtlsStrict string', { meshMtlsStrict: 'yes' }],
  ['quota not an object', { quota: 'big' }],
  ['limits array', { limits: [] }],
  ['node selector empty', { nodeIsolation: { nodeSelector: {} } }],
  ['node selector value', { nodeIsolation: { nodeSelector: { pool: 'bad value!' } } }],
  ['taint value without key', { nodeIsolation: { nodeSelector: { pool: 'a' }, taintValue: 'x' } }],
  ['mesh revision without mesh', { meshRevision: 'stable' }],
  ['mesh revision value', { meshMtlsStrict: true, meshRevision: '' }],
  ['api fairness not an object', { apiFairness: 3 }],
  ['api fairness shares', { apiFairness: { concurrencyShares: 0 } }],
  ['api fairness precedence', { apiFairness: { matchingPrecedence: 9000 } }],
  ['peer namespace', { allowFromNamespaces: ['Bad'] }],
  ['peers not strings', { allowFromNamespaces: [1] }],
  ['peer ports empty', { allowFromNamespaces: ['a'], allowFromNamespacesPorts: [] }],
  ['peer ports without peers', { allowFromNamespacesPorts: [80] }],
  ['peer port range', { allowFromNamespaces: ['a'], allowFromNamespacesPorts: [70000] }],
  ['quota cpu', { quota: { cpuRequests: 'lots' } }],
  ['quota pods', { quota: { pods: -1 } }],
  ['quota storage', { quota: { storage: 'x' } }],
  ['limits cpu', { limits: { defaultCpuRequest: 'x' } }],
  ['limits memory request over limit', { limits: { defaultMemoryRequest: '1Gi', defaultMemoryLimit: '512Mi' } }],
  ['limits cpu over max', { limits: { defaultCpuRequest: '8', maxCpu: '4' } }],
  ['groups not strings', { tenantGroups: 'devs' }],
  ['secrets without groups', { readableSecrets: ['db'] }],
  ['secret wildcard', { tenantGroups: ['devs'], readableSecrets: ['db-*'] }],
  ['system group', { tenantGroups: ['system:masters'] }],
  ['ip pool cidr', { ipPool: { cidr: '10.0.0.0/30' } }],
  ['ip pool block size', { ipPool: { cidr: '10.0.0.0/16', blockSize: 40 } }],
];

describe('IsolatedNamespace pin', () => {
  test('synthesized manifests of every variant, byte for byte', () => {
    const actual: { [variant: string]: string } = {};
    for (const [name, build] of Object.entries(VARIANTS)) actual[name] = sha256(normalize(JSON.stringify(build())));
    expectGolden('isolated-namespace.sha256', actual);
  });

  test('the error of every bad prop and every pair of bad props (validation order)', () => {
    const build = (patches: any[]) => { new IsolatedNamespace(new Chart(new App(), 'c'), 'payments', Object.assign({}, ...patches)); };
    const actual = mutationOutcomes(MUTATIONS, build);
    for (const [name] of MUTATIONS) expect([name, actual[name]]).not.toEqual([name, sha256('ok').slice(0, 16)]);
    expectGolden('isolated-namespace-errors.sha256', actual);
  });
});
