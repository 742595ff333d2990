import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as cdk8s from 'cdk8s';
import { build as buildAudit } from '../../examples/audit.example';
import { build as buildSecrets } from '../../examples/secrets.example';
import { EncryptedSecretsProvider, Guard, WorkloadIdentity } from '../../lib';

/**
 * README "Deploy to AWS", followed as far as it goes offline: the packages it names, cdk.json, the env requirement and
 * its error, and the synth that `cdk bootstrap` / `cdk deploy` start from. The steps that need the named packages run
 * when they are installed (they are not dependencies of this repository) and are reported as skipped otherwise.
 */
const ROOT = path.join(__dirname, '..', '..');
// The section moved from README.md to docs/guides/deploy-aws.md (issue 28).
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs', 'guides', 'deploy-aws.md'), 'utf-8');
const DEPLOY = GUIDE.slice(GUIDE.indexOf('<!-- section:deploy -->'), GUIDE.indexOf('<!-- /section:deploy -->'));
/** The fenced code blocks of the section in language `lang` ('' for unlabelled), read fence by fence. */
function blocks(lang: string): string[] {
  const found: string[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of DEPLOY.split('\n')) {
    if (line.startsWith('```')) {
      if (open) { if (open.lang === lang) found.push(open.lines.join('\n')); open = undefined; } else open = { lang: line.slice(3).trim(), lines: [] };
    } else open?.lines.push(line);
  }
  return found;
}
const installed = (pkg: string) => { try { require.resolve(`${pkg}/package.json`, { paths: [ROOT] }); return true; } catch { return false; } };
const KUBECTL_LAYER = '@aws-cdk/lambda-layer-kubectl-v33';

describe('README: Deploy to AWS', () => {
  test('the section names the CLI and the kubectl layer of the examples\' Kubernetes version', () => {
    expect(DEPLOY).toContain('npm install --save-dev aws-cdk ');
    const versions = new Set(['audit', 'secrets'].flatMap(e => [...fs.readFileSync(path.join(ROOT, 'examples', `${e}.example.ts`), 'utf-8').matchAll(/KubernetesVersion\.V1_(\d+)/g)].map(m => m[1])));
    expect([...versions]).toEqual(['33']);
    expect(DEPLOY).toContain(`npm install --save-dev ${KUBECTL_LAYER}`);
    expect(DEPLOY).toContain('KubectlV33Layer');
  });

  test('cdk.json parses and sets the feature flag aws-cdk-lib reads for the native OIDC provider', () => {
    const [json] = blocks('json');
    const cdkJson = JSON.parse(json);
    expect(cdkJson.context).toEqual({ [cxapi.EKS_USE_NATIVE_OIDC_PROVIDER]: true });
    expect(cdkJson.app).toMatch(/ts-node/);
  });

  test('a stack without env fails with the error the README quotes, which names account and region as the cause', () => {
    const stack = new cdk.Stack(new cdk.App(), 'secrets-shop'); // no env
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
      identity: WorkloadIdentity.irsa({ oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/x', oidcIssuer: 'x' }),
    });
    const role = provider.roleFor({ namespace: 'shop', serviceAccountName: 'shop-secrets-reader' }, { roleName: 'shop-secrets-reader' });
    let msg = '';
    try { void role.roleArnForManifests; } catch (e) { msg = (e as Error).message; }
    const quoted = blocks('').find(b => b.includes('roleArnForManifests='))!.trim();
    expect(msg.startsWith(quoted)).toBe(true);
    expect(msg).toContain('Fix: give the stack an account and region');
  });

  test('steps 3-4 offline: the app synthesizes the stacks `cdk deploy secrets-shop audit-eks` names, with their env, checking the bootstrap version', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
    try {
      const app = new cdk.App({ outdir: path.join(outdir, 'cdk.out'), context: JSON.parse(blocks('json')[0]).context });
      const k8s = new cdk8s.App({ outdir: path.join(outdir, 'dist') });
      buildSecrets(k8s, app);
      buildAudit(k8s, app);
      k8s.synth();
      const assembly = app.synth();
      const deployLine = blocks('sh').join('\n').split('\n').find(l => l.startsWith('npx cdk deploy'))!;
      const names = deployLine.replace(/#.*/, '').trim().split(/\s+/).slice(3);
      expect(names).toEqual(['secrets-shop', 'audit-eks']);
      for (const name of names) {
        const stack = assembly.getStackByName(name);
        expect(stack.environment).toMatchObject({ account: '111122223333', region: 'eu-west-1' });
        // `cdk bootstrap` is required: the template refuses to deploy into an environment without the bootstrap stack.
        expect(stack.template.Parameters.BootstrapVersion.Default).toBe('/cdk-bootstrap/hnb659fds/version');
        expect(stack.template.Rules.CheckBootstrapVersion).toBeDefined();
      }
      const applyLine = blocks('sh').join('\n').split('\n').find(l => l.startsWith('kubectl apply'))!;
      const file = applyLine.split(/\s+/)[3];
      expect(fs.existsSync(path.join(outdir, file))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  (installed(KUBECTL_LAYER) ? test : test.skip)(`with ${KUBECTL_LAYER} installed: addCdk8sChart on a 1.33 cluster synthesizes with the layer asset`, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KubectlV33Layer } = require(require.resolve(KUBECTL_LAYER, { paths: [ROOT] }));
    const stack = new cdk.Stack(new cdk.App({ context: { [cxapi.EKS_USE_NATIVE_OIDC_PROVIDER]: true } }), 'shop', { env: { account: '111122223333', region: 'eu-west-1' } });
    const cluster = new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_33, kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'Kubectl') as lambda.ILayerVersion } });
    const chart = new cdk8s.Chart(new cdk8s.App(), 'shop', { namespace: 'shop' });
    Guard.of(chart).allowCloudFormationTokens();
    new cdk8s.ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    cluster.addCdk8sChart('shop', chart);
    const template = JSON.stringify(cdk.App.of(stack)!.synth().getStackByName('shop').template);
    expect(template).toContain('Custom::AWSCDK-EKS-KubernetesResource');
    expect(template).toContain('AWS::Lambda::LayerVersion');
  });

  (installed('aws-cdk') ? test : test.skip)('with aws-cdk installed: `cdk synth` of the examples app lists the stacks (no AWS call)', () => {
    const cli = require.resolve('aws-cdk/bin/cdk', { paths: [ROOT] });
    // The cdk CLI reads every CDK* environment variable as an option (CDK8S_HARDENED_QUIET -> --8SHardenedQuiet) and
    // warns about unknown ones: it gets none of ours. Its output is captured, so `npm test` stays quiet.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CDK8S_')));
    const r = spawnSync(process.execPath, [cli, 'list', '--app', 'node -r ts-node/register/transpile-only examples/main.ts', '--no-version-reporting', '--no-notices'],
      { cwd: ROOT, encoding: 'utf-8', env: { ...env, AWS_EC2_METADATA_DISABLED: 'true' }, timeout: 300_000 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('Unknown option') });
    const out = r.stdout;
    expect(out).toContain('secrets-shop');
    expect(out).toContain('audit-eks');
  });
});
