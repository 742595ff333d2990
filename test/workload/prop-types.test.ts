/**
 * Issue 28: a prop of the wrong type (what JavaScript, other jsii languages, or TypeScript with `any` can pass) throws a
 * HardeningError that names the prop and the rule that governs it, never an unrelated one. Before, e.g.
 * `secretMounts: [{ secret: 'not-a-secret' }]` named read-only-root-filesystem. One test per prop of
 * HardenedDeploymentProps (the list is read from the declarations, so a new prop without a test fails), plus the
 * fields of the structs where a wrong type is easy to write.
 */
import * as path from 'path';
import { inspect } from 'util';
import { App } from 'cdk8s';
import * as ts from 'typescript';
import { HardenedChart, HardenedDeployment, IsolatedNamespace, NetworkPeer } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';

const base = { image: `registry.example.com/shop/api@sha256:${'a'.repeat(64)}`, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '128Mi' } };

function errorOf(props: Record<string, unknown>): HardeningError {
  const chart = new HardenedChart(new App(), 'shop', { namespace: 'shop' });
  try {
    new HardenedDeployment(chart, 'api', { ...base, ...props } as any);
  } catch (e) {
    if (e instanceof HardeningError) return e;
    throw new Error(`not a HardeningError: ${String(e)}`);
  }
  throw new Error(`no error for ${JSON.stringify(props)}`);
}

/** prop -> [a wrongly typed value, the rule that must be named]. */
const WRONG: Record<string, [unknown, string]> = {
  image: [42, 'image-digest'],
  port: ['8080', 'container-ports-valid'],
  servicePort: ['8080', 'container-ports-valid'],
  replicas: ['3', 'replicas-minimum'],
  autoscaling: ['yes', 'replicas-minimum'],
  name: [42, 'metadata-valid'],
  namespace: [42, 'metadata-valid'],
  labels: ['team=shop', 'metadata-valid'],
  podAnnotations: ['a=b', 'metadata-valid'],
  runAsUser: ['1000', 'run-as-non-root'],
  runAsGroup: ['1000', 'run-as-non-root'],
  resources: ['small', 'resources-requests'],
  writablePaths: ['/tmp', 'read-only-root-filesystem'],
  writablePathSizeLimit: [256, 'read-only-root-filesystem'],
  secretMounts: ['db-credentials', 'pod-spec-valid'],
  configMapMounts: ['app-config', 'pod-spec-valid'],
  secretProviderMounts: ['db-files', 'pod-spec-valid'],
  persistentVolumeClaimMounts: ['data', 'pod-spec-valid'],
  projectedMounts: ['tokens', 'pod-spec-valid'],
  env: ['A=b', 'pod-spec-valid'],
  command: ['/bin/app --serve', 'pod-spec-valid'],
  args: ['--serve', 'pod-spec-valid'],
  readiness: ['/ready', 'probes-configured'],
  liveness: ['/live', 'probes-configured'],
  startup: ['/started', 'probes-configured'],
  terminationGracePeriodSeconds: ['30', 'pod-spec-valid'],
  bindPrivilegedPort: ['yes', 'capabilities-restricted'],
  ingressFrom: ['ingress-nginx', 'network-policy-allow-all-ingress'],
  egressTo: ['10.0.0.0/8', 'network-policy-allow-all-egress'],
  apiAccess: ['get configmaps', 'rbac-wildcard'],
  runtimeClassName: [42, 'pod-spec-valid'],
  nodeSelector: ['pool=a', 'pod-spec-valid'],
  tolerations: ['dedicated', 'pod-spec-valid'],
  nodeAffinity: ['pool=a', 'pod-spec-valid'],
  antiAffinity: ['hostname', 'pod-spec-valid'],
  imagePullSecrets: ['regcred', 'pod-spec-valid'],
  imagePullPolicy: ['Sometimes', 'pod-spec-valid'],
  priorityClassName: [42, 'pod-spec-valid'],
  initContainers: ['migrate', 'pod-spec-valid'],
  sidecars: ['proxy', 'pod-spec-valid'],
};

/** The props of an interface (own and inherited), read from the TypeScript declarations. */
function declaredProps(rel = 'lib/workload/hardened-deployment.ts', iface = 'HardenedDeploymentProps'): string[] {
  const file = path.join(__dirname, '..', '..', rel);
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  let names: string[] = [];
  ts.forEachChild(source, node => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === iface) {
      names = checker.getPropertiesOfType(checker.getTypeAtLocation(node)).map(p => p.name);
    }
  });
  return names.sort();
}

test('every prop of HardenedDeploymentProps has a wrong-type case below', () => {
  expect(declaredProps()).toEqual(Object.keys(WRONG).sort());
}, 60_000);

describe.each(Object.entries(WRONG))('props.%s of the wrong type', (prop, [value, ruleId]) => {
  test(`names ${ruleId} and the prop`, () => {
    const e = errorOf({ [prop]: value });
    expect({ ruleId: e.ruleId, field: e.field }).toEqual({ ruleId, field: `props.${prop}` });
    expect(e.message).toContain(`props.${prop}=${JSON.stringify(value)} violates ${ruleId}`);
  });
});

describe('fields of the structs', () => {
  const peer = NetworkPeer.ipBlock('10.40.0.0/24');
  test.each([
    ['a Secret name instead of a Secret', { secretMounts: [{ path: '/etc/db', secret: 'not-a-secret' }] }, 'pod-spec-valid', 'props.secretMounts[0].secret'],
    ['a ConfigMap name instead of a ConfigMap', { configMapMounts: [{ path: '/etc/app', configMap: 'app-config' }] }, 'pod-spec-valid', 'props.configMapMounts[0].configMap'],
    ['a class name instead of a SecretProviderClass', { secretProviderMounts: [{ path: '/mnt/s', secretProviderClass: 'db-files' }] }, 'pod-spec-valid', 'props.secretProviderMounts[0].secretProviderClass'],
    ['a mount that is a string', { secretMounts: ['/etc/db'] }, 'pod-spec-valid', 'props.secretMounts[0]'],
    ['a string instead of an EnvValue', { env: { LOG_LEVEL: 'info' } }, 'pod-spec-valid', 'props.env.LOG_LEVEL'],
    ['a CIDR string instead of a NetworkPeer', { ingressFrom: ['10.0.0.0/8'] }, 'network-policy-allow-all-ingress', 'props.ingressFrom[0]'],
    ['a CIDR string as egress peer', { egressTo: [{ peer: '10.0.0.0/8', port: 443 }] }, 'network-policy-allow-all-egress', 'props.egressTo[0].peer'],
    ['an egress rule that is a string', { egressTo: ['10.0.0.0/8:443'] }, 'network-policy-allow-all-egress', 'props.egressTo[0]'],
    ['an egress port that is a string', { egressTo: [{ peer, port: '5432' }] }, 'container-ports-valid', 'props.egressTo[0].port'],
    ['a CPU request that is a number', { resources: { cpuRequest: 100, memoryRequest: '128Mi' } }, 'resources-requests', 'props.resources.cpuRequest'],
    ['a writable path that is a number', { writablePaths: [7] }, 'read-only-root-filesystem', 'props.writablePaths[0]'],
  ])('%s', (_what, props, ruleId, field) => {
    const e = errorOf(props);
    expect({ ruleId: e.ruleId, field: e.field }).toEqual({ ruleId, field });
  });
});

test('the error prints its details once (they are in the message, not repeated as enumerable properties)', () => {
  const e = errorOf({ secretMounts: [{ path: '/etc/db', secret: 'not-a-secret' }] });
  const printed = inspect(e);
  expect(printed).toContain('violates pod-spec-valid');
  expect(printed).not.toContain("ruleId: 'pod-spec-valid'");
  expect(Object.keys(e)).toEqual([]);
  expect({ path: e.path, field: e.field, value: e.value, ruleId: e.ruleId }).toEqual({ path: 'shop/api', field: 'props.secretMounts[0].secret', value: 'not-a-secret', ruleId: 'pod-spec-valid' });
  expect(e.fix).toContain('kplus.Secret.fromSecretName');
});

describe('IsolatedNamespace', () => {
  /** prop -> [a wrongly typed value, the rule that must be named]. A boolean given as a string is refused: "false" is truthy. */
  const NS_WRONG: Record<string, [unknown, string]> = {
    name: [42, 'metadata-valid'],
    podSecurityVersion: [34, 'namespace-psa-enforce'],
    allowSameNamespace: ['false', 'namespace-default-deny'],
    allowFromNamespaces: ['monitoring', 'namespace-default-deny'],
    allowFromNamespacesPorts: ['9090', 'namespace-default-deny'],
    tenantGroups: ['oidc:team', 'rbac-escalation'],
    tenantCanCreatePods: ['false', 'rbac-pod-create'],
    readableSecrets: ['db', 'rbac-secrets-access'],
    quota: ['small', 'namespace-resource-quota'],
    limits: ['small', 'namespace-resource-quota'],
    ipPool: ['10.0.0.0/16', 'namespace-default-deny'],
    nodeIsolation: ['pool=a', 'namespace-psa-enforce'],
    meshMtlsStrict: ['false', 'istio-peer-authentication-mtls'],
    meshRevision: [42, 'metadata-valid'],
    apiFairness: ['on', 'tenant-api-fairness'],
  };
  const nsError = (props: Record<string, unknown>): HardeningError => {
    try {
      new IsolatedNamespace(new HardenedChart(new App(), 'shop'), 'payments', props as any);
    } catch (e) {
      if (e instanceof HardeningError) return e;
      throw new Error(`not a HardeningError: ${String(e)}`);
    }
    throw new Error(`no error for ${JSON.stringify(props)}`);
  };

  test('every prop of IsolatedNamespaceProps has a wrong-type case', () => {
    expect(declaredProps('lib/tenancy/isolated-namespace.ts', 'IsolatedNamespaceProps')).toEqual(Object.keys(NS_WRONG).sort());
  }, 60_000);

  test.each(Object.entries(NS_WRONG))('props.%s of the wrong type names its rule', (prop, [value, ruleId]) => {
    const e = nsError({ [prop]: value });
    expect({ ruleId: e.ruleId, field: e.field.startsWith(`props.${prop}`) }).toEqual({ ruleId, field: true });
  });
});
