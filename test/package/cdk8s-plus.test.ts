// A project on cdk8s-plus-33 (or -34) uses the library without a second cdk8s-plus: the compiled package takes the
// cdk8s-plus that is installed (scripts/optional-peers.js). The library only uses cdk8s-plus for L1 classes of stable
// v1 APIs, so the manifests must be byte-identical with cdk8s-plus-28 and cdk8s-plus-33 (both in node_modules here),
// including cdk8s-plus-33 objects passed in props (secret mounts, config map mounts, EnvValue).
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ensureBuilt, ROOT } from './build';

beforeAll(() => ensureBuilt(), 180_000);

/** Synthesizes an app with every Kubernetes construct from build/, making the `blocked` packages unresolvable. */
function synth(blocked: string[], userPlus: string): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const blocked = ${JSON.stringify(blocked)};
    const M = require('module'); const resolve = M._resolveFilename;
    M._resolveFilename = function (req, ...rest) {
      if (blocked.includes(req)) { const e = new Error("Cannot find module '" + req + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
      return resolve.call(this, req, ...rest);
    };
    const lib = require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'index.js'))});
    const kplus = require(${JSON.stringify(userPlus)});
    const { Testing } = require('cdk8s');
    const app = Testing.app();
    const chart = new lib.HardenedChart(app, 'shop', { namespace: 'shop' });
    new lib.IsolatedNamespace(chart, 'tenant', { quota: { cpuRequests: '2', memoryRequests: '4Gi', memoryLimits: '8Gi', pods: 20 }, tenantGroups: ['team'] });
    const secret = kplus.Secret.fromSecretName(chart, 'db', 'db-credentials');
    const cm = new kplus.ConfigMap(chart, 'cfg', { data: { a: 'b' } });
    new lib.HardenedDeployment(chart, 'api', {
      image: 'registry.example.com/api@sha256:' + 'a'.repeat(64), port: 8080,
      resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
      readiness: lib.HealthCheck.httpGet('/ready'), liveness: lib.HealthCheck.tcp(),
      secretMounts: [{ path: '/etc/db', secret }], configMapMounts: [{ path: '/etc/cfg', configMap: cm }],
      env: { PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }), LOG: kplus.EnvValue.fromValue('info') },
    });
    new lib.AwsSecretStore(chart, 'store', { region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/r', serviceAccountName: 'reader' })
      .addExternalSecret('db', { remoteSecretName: 'shop/db', secretName: 'db-credentials', keys: [{ secretKey: 'password', property: 'password' }] });
    lib.FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24', controlPlaneCidr: '10.0.0.0/24', nodesCidr: '10.0.16.0/20' })
      .addZone(lib.Zone.pods('web', 'shop', { app: 'web' })).addZone(lib.Zone.pods('api', 'shop', { app: 'api' }))
      .allow('web', 'api', lib.FlowPort.tcp(8080), 'web to api')
      .renderNetworkPolicies(new lib.HardenedChart(app, 'fw'), 'policies');
    const manifests = Testing.synth(chart).concat(Testing.synth(app.charts[1]));
    const plus = [...new Set(Object.keys(require.cache).map(f => (/node_modules\\/(cdk8s-plus-\\d+)\\//.exec(f) || [])[1]).filter(Boolean))].sort();
    console.log(JSON.stringify({ manifests, plus }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cdk8s-plus version', () => {
  test('with only cdk8s-plus-33 installed, no cdk8s-plus-28 is loaded and the manifests equal those made with -28', () => {
    const with28 = synth([], 'cdk8s-plus-28');
    expect(with28.stderr).toBe('');
    const only33 = synth(['cdk8s-plus-28', 'cdk8s-plus-34'], 'cdk8s-plus-33');
    expect(only33.stderr).toBe('');
    const a = JSON.parse(with28.stdout);
    const b = JSON.parse(only33.stdout);
    expect(a.plus).toEqual(['cdk8s-plus-28']);
    expect(b.plus).toEqual(['cdk8s-plus-33']);
    expect(a.manifests.map((o: any) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'NetworkPolicy', 'PodDisruptionBudget', 'ResourceQuota', 'RoleBinding']));
    expect(b.manifests).toEqual(a.manifests);
  });

  test('without any cdk8s-plus the error says which packages work', () => {
    const r = synth(['cdk8s-plus-28', 'cdk8s-plus-33', 'cdk8s-plus-34'], 'cdk8s');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('cdk8s-hardened needs cdk8s-plus: npm install cdk8s-plus-28 (cdk8s-plus-33 or cdk8s-plus-34 work too)');
  });
});
