import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cdk8s from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { AwsSecretStore, ClusterManifest, EncryptedSecretsProvider, Guard, SecretsEncryptionKey, WorkloadIdentity } from '../../lib';
import { synthError } from '../util/synth';

/**
 * EKS wiring (aws-eks-v2): the key encrypts the cluster's Secrets, and a guarded chart deployed through
 * CloudFormation (`cluster.addManifest(id, ...ClusterManifest.fromChart(chart))`, or
 * `Guard.of(chart).allowCloudFormationTokens()` then `cluster.addCdk8sChart(id, chart)`) gets CloudFormation
 * references where standalone YAML would hold tokens.
 */
describe('EKS (aws-eks-v2)', () => {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
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

  /** A chart (in its own cdk8s App) holding CDK tokens (role ARN, secret ARN): fine when CloudFormation deploys it. */
  const tokenChart = (id: string, before?: (chart: cdk8s.Chart) => void) => {
    const chart = new cdk8s.Chart(new cdk8s.App(), id, { namespace: 'shop' });
    before?.(chart);
    const store = new AwsSecretStore(chart, 'store', { region: stack.region, roleArn: role.roleArn, serviceAccountName: 'shop-secrets-reader' });
    store.addExternalSecret('db', { remoteSecretName: db.secretArn, secretName: 'db-credentials', keys: [{ secretKey: 'password', property: 'password' }] });
    return chart;
  };
  const chart = tokenChart('shop');
  cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(chart));
  // The documented order for addCdk8sChart: mark the chart first, then add constructs, then add it to the cluster.
  cluster.addCdk8sChart('shop-direct', tokenChart('shop-direct', c => Guard.of(c).allowCloudFormationTokens()));
  // The check runs at validation time, so marking the chart after its constructs (but before addCdk8sChart) works too.
  const late = tokenChart('shop-late');
  Guard.of(late).allowCloudFormationTokens();
  cluster.addCdk8sChart('shop-late', late);
  const template = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
  const manifests = Object.values<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).map(m => JSON.stringify(m.Properties.Manifest));

  test('the cluster encrypts Secrets with the customer-managed key (key ARN, not alias)', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] } }, Resources: ['secrets'] }],
    });
  });

  test('every manifest carries CloudFormation references (Fn::GetAtt / Ref), never a literal token', () => {
    expect(manifests).toHaveLength(3);
    for (const manifest of manifests) {
      expect(manifest).not.toContain('${Token[');
      expect(manifest).toMatch(/"Fn::GetAtt":\["SecretsRoleshopshopsecretsreaderRole[0-9A-F]+","Arn"\]/);
      expect(manifest).toMatch(/"Ref":"SecretsDbSecret[0-9A-F]+"/);
      expect(manifest).toContain('eks.amazonaws.com/role-arn');
      expect(manifest).toContain('\\"kind\\":\\"ExternalSecret\\"');
      expect(manifest).toContain('\\"kind\\":\\"SecretStore\\"');
    }
  });

  test('cluster.addCdk8sChart() of a chart marked with Guard.of(chart).allowCloudFormationTokens() passes the construct checks', () => {
    expect(Guard.of(chart).cloudFormationTokensAllowed).toBe(true); // ClusterManifest.fromChart marks the chart itself
    const direct = Object.entries<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).filter(([id]) => /shopdirect|shoplate/i.test(id));
    expect(direct).toHaveLength(2);
  });

  test('cluster.addCdk8sChart() of an unmarked chart fails naming the prop once, the rule and the fix', () => {
    const unmarked = tokenChart('unmarked');
    expect(Guard.of(unmarked).cloudFormationTokensAllowed).toBe(false);
    let msg = '';
    try { cluster.addCdk8sChart('unmarked', unmarked); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/\n  \[unmarked\/store\] props\.roleArn="\$\{Token\[TOKEN\.\d+\]\}" violates unresolved-token/);
    expect(msg).not.toContain('[unmarked/store] [unmarked/store]');
    expect(msg).toContain('Guard.of(chart).allowCloudFormationTokens()');
    expect(msg).toContain('cluster.addCdk8sChart(id, chart)');
  });

  test('a marked chart added with addCdk8sChart() still fails every other rule', () => {
    const bad = tokenChart('bad-direct', c => Guard.of(c).allowCloudFormationTokens());
    new ApiObject(bad, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak' }, stringData: { password: 'x' } } as any);
    expect(() => cluster.addCdk8sChart('bad-direct', bad)).toThrow(/Secret shop\/leak .* secret-literal-data/);
  });

  test('ClusterManifest still enforces every other rule and construct validation', () => {
    const bad = new cdk8s.Chart(new cdk8s.App(), 'bad', { namespace: 'shop' });
    new AwsSecretStore(bad, 'store', { region: stack.region, roleArn: role.roleArn, serviceAccountName: 'r' });
    new ApiObject(bad, 'leak', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak' }, stringData: { password: 'x' } } as any);
    expect(() => ClusterManifest.fromChart(bad)).toThrow(/Secret shop\/leak .* secret-literal-data/);
  });

  test('the same chart synthesized standalone (unmarked) fails with the construct-level unresolved-token message, path once', () => {
    const msg = synthError(tokenChart('shop'));
    expect(msg).toContain('\n  [shop/store] props.roleArn=');
    expect(msg).toContain('violates unresolved-token');
    expect(msg).toContain('\n  [shop/store/db] props.remoteSecretName=');
    expect(msg).not.toMatch(/\[shop\/store\] \[shop\/store\]|\[shop\/store\/db\] \[shop\/store\/db\]/);
  });
});
