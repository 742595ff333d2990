// Deprecated aws-cdk-lib APIs fail instead of printing: jsii's runtime check throws a DeprecationError for a deprecated
// class, method or property when JSII_DEPRECATED=fail (values: warn (default), fail, quiet), and
// `Annotations.addDeprecation` throws when CDK_BLOCK_DEPRECATIONS is set. Set before aws-cdk-lib is loaded (each jest
// test file has its own module registry, so the "already warned" cache starts empty).
process.env.JSII_DEPRECATED = 'fail';
process.env.CDK_BLOCK_DEPRECATIONS = '1';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cdk8s from 'cdk8s';
import { build as buildAudit } from '../../examples/audit.example';
import { build as buildSecrets } from '../../examples/secrets.example';
import { ArchiveLockMode, EksAuditTrail, EncryptedSecretsProvider, ExistingEksCluster, WorkloadIdentity } from '../../lib';

/** Synthesizes `build` with deprecations failing; returns the warnings printed and annotated. */
function synthWithoutDeprecations(build: (app: cdk.App, outdir: string) => void): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deprecation-'));
  const printed: string[] = [];
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  try {
    const app = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
    build(app, outdir);
    app.synth();
    const annotated = app.node.children.filter((c): c is cdk.Stack => c instanceof cdk.Stack)
      .flatMap(s => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('[Dd]eprecat')).map(w => `${w.id}: ${w.entry.data}`));
    return [...printed.filter(p => /deprecat/i.test(p)), ...annotated];
  } finally {
    warn.mockRestore();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('no deprecated aws-cdk-lib API (JSII_DEPRECATED=fail, CDK_BLOCK_DEPRECATIONS=1)', () => {
  test('examples/secrets.example.ts synthesizes without a deprecation', () => {
    expect(synthWithoutDeprecations((app, dir) => buildSecrets(new cdk8s.App({ outdir: path.join(dir, 'dist') }), app))).toEqual([]);
  });

  test('examples/audit.example.ts synthesizes without a deprecation', () => {
    expect(synthWithoutDeprecations((app, dir) => buildAudit(new cdk8s.App({ outdir: path.join(dir, 'dist') }), app))).toEqual([]);
  });

  test('the existing-cluster path (ExistingEksCluster, existing OIDC provider and log group, every trail option) synthesizes without a deprecation', () => {
    expect(synthWithoutDeprecations(app => {
      const stack = new cdk.Stack(app, 'existing', { env: { account: '111122223333', region: 'eu-west-1' } });
      const cluster = ExistingEksCluster.fromClusterAttributes(stack, 'Cluster', {
        clusterName: 'shop-prod',
        kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:eu-west-1:111122223333:layer:kubectl:1') },
      }, { kubectlClusterAdminReason: 'the app applies the shop Namespace' });
      cluster.addManifest('ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      const oidc = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Oidc', 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE');
      const provider = new EncryptedSecretsProvider(stack, 'Secrets', { identity: WorkloadIdentity.irsaFromProvider(oidc) });
      provider.addSecret('Db', { secretName: 'shop/db' }).grantRead({ namespace: 'shop', serviceAccountName: 'api' });
      new EksAuditTrail(stack, 'Trail', {
        clusterName: 'shop-prod',
        logGroup: logs.LogGroup.fromLogGroupName(stack, 'Logs', '/aws/eks/shop-prod/cluster'),
        archiveLockMode: ArchiveLockMode.GOVERNANCE, archiveRetentionDays: 1, weakerArchiveLockReason: 'test',
        alarmEmails: ['oncall@example.com'], alarmHttpsEndpoints: ['https://oncall.example.com/hook'],
      });
    })).toEqual([]);
  });

  // Last: jsii reports each deprecated API once per process, so the control must not run before the checks above.
  test('control: the deprecated OIDC provider (a new cluster\'s openIdConnectProvider without the native flag) fails', () => {
    const stack = new cdk.Stack(new cdk.App(), 'control', { env: { account: '111122223333', region: 'eu-west-1' } });
    const cluster = new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_33 });
    expect(() => cluster.openIdConnectProvider).toThrow(/aws_eks_v2\.OpenIdConnectProvider is deprecated[\s\S]*OidcProviderNative/);
  });
});
