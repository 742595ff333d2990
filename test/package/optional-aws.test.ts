// aws-cdk-lib is an optional peer: the compiled package (build/, what users install) must load and synthesize every
// Kubernetes construct when aws-cdk-lib cannot be resolved, and name the missing peer when an AWS construct is used.
// scripts/optional-peers.js (run by `npm run build`) makes the compiled requires of aws-cdk-lib lazy.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT } from './build';

beforeAll(() => ensureBuilt(), 180_000);

/** Runs `body` in a fresh node process where aws-cdk-lib and its subpaths are unresolvable; `lib` is build/lib. */
function withoutAws(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const M = require('module'); const resolve = M._resolveFilename;
    M._resolveFilename = function (req, ...rest) {
      if (req === 'aws-cdk-lib' || req.startsWith('aws-cdk-lib/')) { const e = new Error("Cannot find module '" + req + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
      return resolve.call(this, req, ...rest);
    };
    const lib = require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'index.js'))});
    const loadedAws = () => Object.keys(require.cache).filter(f => f.includes('/node_modules/aws-cdk-lib/'));
    ${body}`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('without aws-cdk-lib', () => {
  test('the package entry point loads, and every Kubernetes construct synthesizes', () => {
    const r = withoutAws(`
      const { App, Testing } = require('cdk8s');
      const app = Testing.app();
      const chart = new lib.HardenedChart(app, 'shop', { namespace: 'shop' });
      new lib.HardeningProfile(chart, 'profile', { allowedRegistries: ['registry.example.com'] });
      new lib.IsolatedNamespace(chart, 'tenant', {});
      new lib.HardenedDeployment(chart, 'api', { image: 'registry.example.com/api@sha256:' + 'a'.repeat(64), port: 8080,
        resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' } });
      new lib.AwsSecretStore(chart, 'store', { region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/r', serviceAccountName: 'reader' });
      new lib.AuditPolicy(app, 'audit-policy');
      new lib.KubeadmAuditConfig(app, 'kubeadm');
      new lib.ApiServerEncryptionConfig(app, 'enc', { keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', region: 'eu-west-1' });
      const matrix = lib.FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24', controlPlaneCidr: '10.0.0.0/24', nodesCidr: '10.0.16.0/20' })
        .addZone(lib.Zone.pods('web', 'shop', { app: 'web' })).addZone(lib.Zone.pods('api', 'shop', { app: 'api' }))
        .allow('web', 'api', lib.FlowPort.tcp(8080), 'web to api');
      matrix.renderNetworkPolicies(new lib.HardenedChart(app, 'fw'), 'policies');
      matrix.toMarkdown();
      app.synth();
      const kinds = app.charts.flatMap(c => c.toJson()).map(o => o.kind);
      console.log(JSON.stringify({ kinds, aws: loadedAws() }));`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.aws).toEqual([]);
    expect(out.kinds).toEqual(expect.arrayContaining(['Deployment', 'Namespace', 'NetworkPolicy', 'SecretStore', 'Policy', 'EncryptionConfiguration']));
  });

  test('the CLI module loads without it', () => {
    const r = withoutAws(`require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'cli', 'main.js'))}); console.log(loadedAws().length);`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });

  test.each([
    ['EksAuditTrail', 'lib.EksAuditTrail'],
    ['SecretsEncryptionKey', 'new lib.SecretsEncryptionKey(new (require(\'constructs\').Construct)(undefined, \'\'), \'k\')'],
    ['renderSecurityGroups', 'lib.FirewallMatrix.kubernetesControlPlane(\'c\', { adminCidr: \'192.0.2.0/24\' }).renderSecurityGroups(new (require(\'constructs\').Construct)(undefined, \'\'), \'sg\', {})'],
  ])('%s names the missing optional peer', (_name, expr) => {
    const r = withoutAws(`${expr};`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('needs the optional peer dependency aws-cdk-lib (npm install aws-cdk-lib)');
  });
});

describe('package.json', () => {
  test('aws-cdk-lib and cdk8s-plus-28 (replaceable by -33/-34, see cdk8s-plus.test.ts) are optional peers', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.peerDependenciesMeta).toEqual({ 'aws-cdk-lib': { optional: true }, 'cdk8s-plus-28': { optional: true } });
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-28', 'constructs']);
  });
});
