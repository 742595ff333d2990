import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cdk8s from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { AwsSecretStore, ClusterManifest, EncryptedSecretsProvider, SecretsEncryptionKey, WorkloadIdentity } from '../../lib';
import { synthError } from '../util/synth';

/**
 * EKS wiring (aws-eks-v2): the key encrypts the cluster's Secrets, and a guarded chart deployed through
 * CloudFormation (`cluster.addManifest(id, ...ClusterManifest.fromChart(chart))`) gets CloudFormation references
 * where standalone YAML would hold tokens.
 */
describe('EKS (aws-eks-v2)', () => {
  const stack = new Stack(new App(), 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
  stack.node.setContext('@aws-cdk/aws-eks:useNativeOidcProvider', true);
  const key = new SecretsEncryptionKey(stack, 'SecretsKey');
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33,
    secretsEncryptionKey: key.key,
    kubectlProviderOptions: {
      kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', 'arn:aws:lambda:eu-west-1:111122223333:layer:kubectl:1'),
    },
  });
  Validations.of(cluster).acknowledge({ id: 'CloudFormation-Validate::W9009', reason: 'aws-eks-v2 still writes the deprecated EncryptionConfig.Resources; accepted by CloudFormation.' });
  const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
    encryptionKey: key,
    identity: WorkloadIdentity.irsa({
      oidcProviderArn: cluster.openIdConnectProvider.openIdConnectProviderArn,
      oidcIssuer: cluster.openIdConnectProvider.openIdConnectProviderIssuer,
    }),
  });
  const db = provider.addSecret('Db', { secretName: 'shop/db' });
  const role = db.grantRead({ namespace: 'shop', serviceAccountName: 'shop-secrets-reader' });

  // The chart holds CDK tokens (role ARN, secret ARN): fine when CloudFormation deploys it.
  const chart = new cdk8s.Chart(new cdk8s.App(), 'shop', { namespace: 'shop' });
  const store = new AwsSecretStore(chart, 'store', { region: stack.region, roleArn: role.roleArn, serviceAccountName: 'shop-secrets-reader' });
  store.addExternalSecret('db', { remoteSecretName: db.secretArn, secretName: 'db-credentials', keys: [{ secretKey: 'password', property: 'password' }] });
  cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(chart));
  const template = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });

  test('the cluster encrypts Secrets with the customer-managed key (key ARN, not alias)', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] } }, Resources: ['secrets'] }],
    });
  });

  test('the manifest carries CloudFormation references (Fn::GetAtt / Ref), never a literal token', () => {
    const manifests = Object.values<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).toHaveLength(1);
    const manifest = JSON.stringify(manifests[0].Properties.Manifest);
    expect(manifest).not.toContain('${Token[');
    expect(manifest).toMatch(/"Fn::GetAtt":\["SecretsRoleshopshopsecretsreaderRole[0-9A-F]+","Arn"\]/);
    expect(manifest).toMatch(/"Ref":"SecretsDbSecret[0-9A-F]+"/);
    expect(manifest).toContain('eks.amazonaws.com/role-arn');
    expect(manifest).toContain('\\"kind\\":\\"ExternalSecret\\"');
  });

  test('cluster.addCdk8sChart() runs the standalone validation (Chart.toJson), so it rejects the tokens', () => {
    expect(() => cluster.addCdk8sChart('direct', chart)).toThrow(/props\.roleArn=.* violates unresolved-token/);
  });

  test('ClusterManifest still enforces every other rule and construct validation', () => {
    const bad = new cdk8s.Chart(new cdk8s.App(), 'bad', { namespace: 'shop' });
    new AwsSecretStore(bad, 'store', { region: stack.region, roleArn: role.roleArn, serviceAccountName: 'r' });
    new ApiObject(bad, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak' }, stringData: { password: 'x' } } as any);
    expect(() => ClusterManifest.fromChart(bad)).toThrow(/Secret shop\/leak .* secret-literal-data/);
  });

  test('the same chart synthesized standalone fails with the construct-level unresolved-token message', () => {
    const msg = synthError(chart);
    expect(msg).toContain('[shop/store] props.roleArn=');
    expect(msg).toContain('violates unresolved-token');
    expect(msg).toContain('[shop/store/db] props.remoteSecretName=');
  });
});
