import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv1 from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cdk8s from 'cdk8s';
import { AwsSecretStore, ClusterManifest, EncryptedSecretsProvider, ExistingEksCluster, Guard, SecretsEncryptionKey, WorkloadIdentity } from '../../lib';

/**
 * Every AWS construct with a cluster that already exists (imported by attributes), reusing what exists: its OIDC
 * provider, its Pod Identity agent, its KMS key, and a kubectl provider for addManifest / addCdk8sChart.
 */
const ENV = { account: '111122223333', region: 'eu-west-1' };
const FAST = { skipCyclicalDependenciesCheck: true };
/** Unit tests skip aws-cdk-lib's built-in CloudFormation validation (speed); the example and deploy tests keep it on. */
const UNIT_APP = { builtinCloudFormationValidation: false };
const OIDC_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LAYER_ARN = 'arn:aws:lambda:eu-west-1:111122223333:layer:kubectl:1';

/** A chart with CloudFormation references (role ARN, secret ARN), deployed through the cluster. */
function tokenChart(id: string, roleArn: string, secretArn: string): cdk8s.Chart {
  const chart = new cdk8s.Chart(new cdk8s.App(), id, { namespace: 'shop' });
  const store = new AwsSecretStore(chart, 'store', { region: 'eu-west-1', roleArn, serviceAccountName: 'shop-secrets-reader' });
  store.addExternalSecret('db', { remoteSecretName: secretArn, secretName: 'db-credentials', keys: [{ secretKey: 'password', property: 'password' }] });
  return chart;
}

describe('aws-eks-v2: an existing cluster with its OIDC provider, key and kubectl role', () => {
  const stack = new Stack(new App(UNIT_APP), 'Shop', { env: ENV });
  const kubectlRole = iam.Role.fromRoleArn(stack, 'KubectlRole', 'arn:aws:iam::111122223333:role/eks-kubectl');
  const cluster = ExistingEksCluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'shop-prod',
    openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Oidc', OIDC_ARN),
    kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', LAYER_ARN), role: kubectlRole },
  });
  const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
    existingKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
    identity: WorkloadIdentity.irsa({
      oidcProviderArn: cluster.openIdConnectProvider.openIdConnectProviderArn,
      oidcIssuer: cluster.openIdConnectProvider.openIdConnectProviderIssuer,
    }),
  });
  const db = provider.addSecret('Db', { secretName: 'shop/db' });
  const role = db.grantRead({ namespace: 'shop', serviceAccountName: 'shop-secrets-reader' });
  cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(tokenChart('shop', role.roleArn, db.secretArn)));
  const direct = tokenChart('shop-direct', role.roleArn, db.secretArn);
  Guard.of(direct).allowCloudFormationTokens();
  cluster.addCdk8sChart('shop-direct', direct);
  const t = Template.fromStack(stack, FAST);

  test('addManifest and addCdk8sChart both deploy through the kubectl provider built from kubectlProviderOptions', () => {
    const manifests = Object.values<any>(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).toHaveLength(2);
    for (const m of manifests) {
      expect(m.Properties.ClusterName).toBe('shop-prod');
      expect(JSON.stringify(m.Properties.ServiceToken)).toMatch(/ClusterKubectlProvider/);
      expect(JSON.stringify(m.Properties.Manifest)).toMatch(/"Fn::GetAtt":\["SecretsRoleshopshopsecretsreaderRole[0-9A-F]+","Arn"\]/);
    }
    // The handler runs with the existing kubectl role (already mapped to the cluster), with the named layer.
    t.hasResourceProperties('AWS::Lambda::Function', { Role: 'arn:aws:iam::111122223333:role/eks-kubectl', Layers: Match.arrayWith([LAYER_ARN]) });
    t.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  test('no cluster, OIDC provider, Pod Identity agent or KMS key is created: the existing ones are used', () => {
    for (const type of ['AWS::EKS::Cluster', 'AWS::IAM::OIDCProvider', 'Custom::AWSCDKOpenIdConnectProvider', 'AWS::EKS::Addon', 'AWS::KMS::Key']) t.resourceCountIs(type, 0);
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: KEY_ARN });
    const policy = Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(policy.find((s: any) => s.Sid === 'DecryptGrantedSecretsThroughSecretsManager').Resource).toBe(KEY_ARN);
  });

  test('IRSA trust names the existing provider and its issuer (taken from the ARN) literally', () => {
    const trust = Object.values<any>(t.findResources('AWS::IAM::Role'))
      .map(r => r.Properties.AssumeRolePolicyDocument?.Statement?.[0]).find(s => s?.Action === 'sts:AssumeRoleWithWebIdentity');
    expect(trust.Principal).toEqual({ Federated: OIDC_ARN });
    expect(trust.Condition).toEqual({ StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:shop:shop-secrets-reader', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } });
    // The same through the provider interface.
    expect(WorkloadIdentity.irsaFromProvider(iam.OidcProviderNative.fromOidcProviderArn(new Stack(), 'O', OIDC_ARN))).toMatchObject({ oidcProviderArn: OIDC_ARN, oidcIssuer: ISSUER });
  });

  test('aws-cdk-lib alone ignores kubectlProviderOptions on an imported cluster (why ExistingEksCluster exists)', () => {
    const s = new Stack(new App(UNIT_APP), 'Plain', { env: ENV });
    const plain = eks.Cluster.fromClusterAttributes(s, 'Cluster', {
      clusterName: 'shop-prod', kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(s, 'L', LAYER_ARN) },
    });
    expect(() => plain.addManifest('x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } })).toThrow(/Kubectl Provider is not defined in this cluster/);
  });
});

describe('aws-eks-v2: an existing cluster without a kubectl role', () => {
  function noRole(options: Parameters<typeof ExistingEksCluster.fromClusterAttributes>[3], vpc = false) {
    const stack = new Stack(new App(UNIT_APP), 'Shop', { env: ENV });
    const v = vpc ? ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'] }) : undefined;
    const cluster = ExistingEksCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'shop-prod',
      vpc: v,
      clusterSecurityGroupId: vpc ? 'sg-12345678' : undefined,
      kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', LAYER_ARN) },
    }, options);
    cluster.addManifest('cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } });
    return { stack, t: Template.fromStack(stack, FAST) };
  }

  test('the provider\'s new role gets an AmazonEKSAdminPolicy entry scoped to the named namespaces, and manifests wait for it', () => {
    const { t } = noRole({ kubectlNamespaces: ['shop', 'payments'] });
    const entries = t.findResources('AWS::EKS::AccessEntry');
    const [entryId, entry] = Object.entries<any>(entries)[0];
    expect(Object.keys(entries)).toHaveLength(1);
    expect(entry.Properties.ClusterName).toBe('shop-prod');
    expect(JSON.stringify(entry.Properties.PrincipalArn)).toMatch(/ClusterKubectlProviderHandlerServiceRole/);
    expect(entry.Properties.AccessPolicies).toEqual([{
      PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSAdminPolicy']] },
      AccessScope: { Type: 'namespace', Namespaces: ['shop', 'payments'] },
    }]);
    expect(JSON.stringify(entries)).not.toContain('ClusterAdmin');
    const manifest = Object.values<any>(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0];
    expect(manifest.DependsOn).toContain(entryId);
  });

  test('cluster admin only with a recorded reason', () => {
    const { t, stack } = noRole({ kubectlClusterAdminReason: 'the app applies Namespaces and CRDs' });
    const entry = Object.values<any>(t.findResources('AWS::EKS::AccessEntry'))[0];
    expect(JSON.stringify(entry.Properties.AccessPolicies)).toContain('AmazonEKSClusterAdminPolicy');
    expect(entry.Properties.AccessPolicies[0].AccessScope).toEqual({ Type: 'cluster' });
    const holder = stack.node.findChild('Cluster');
    expect(holder.node.metadata.find(m => m.type === 'cdk8s-hardened:kubectlClusterAdminReason')?.data).toBe('the app applies Namespaces and CRDs');
  });

  test.each([
    [{}, /\[Shop\/Cluster\] options=\{\}: the kubectl handler's new role would be cluster-admin .* Fix: name the namespaces/],
    [{ kubectlNamespaces: [] }, /options\.kubectlNamespaces=\[\]: is empty/],
    [{ kubectlNamespaces: ['Shop'] }, /options\.kubectlNamespaces\[0\]="Shop": is not a namespace name/],
    [{ kubectlClusterAdminReason: ' ' }, /options\.kubectlClusterAdminReason=" ": must say why/],
    [{ kubectlNamespaces: ['shop'], kubectlClusterAdminReason: 'x' }, /one scope/],
  ])('refused: %j', (options, message) => {
    expect(() => noRole(options as any)).toThrow(message);
  });

  test('a VPC without the cluster security group is refused with the fix', () => {
    const stack = new Stack(new App(UNIT_APP), 'Shop', { env: ENV });
    const v = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'] });
    expect(() => ExistingEksCluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'shop-prod', vpc: v, kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'L', LAYER_ARN) },
    }, { kubectlNamespaces: ['shop'] })).toThrow(/attrs\.clusterSecurityGroupId=<unset>: is needed: .* Fix: pass clusterSecurityGroupId/);
  });

  test('the handler runs in the VPC\'s private subnets when the cluster attributes name a VPC', () => {
    const { t } = noRole({ kubectlNamespaces: ['shop'] }, true);
    const handler = Object.entries<any>(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('ClusterKubectlProviderHandler'))![1];
    expect(handler.Properties.VpcConfig.SubnetIds).toEqual(['subnet-1', 'subnet-2']);
    expect(handler.Properties.VpcConfig.SecurityGroupIds).toEqual(['sg-12345678']);
    expect(handler.Properties.Runtime).toMatch(/^python3\.(1[3-9]|[2-9]\d)$/);
  });
});

describe('Pod Identity: a new cluster installs the agent add-on; an existing cluster reuses its agent', () => {
  test('imported cluster: only the association (no add-on)', () => {
    const stack = new Stack(new App(UNIT_APP), 'Shop', { env: ENV });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shop-prod' });
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', { identity: WorkloadIdentity.podIdentity({ clusterName: cluster.clusterName }) });
    provider.addSecret('Db', { secretName: 'shop/db' }).grantRead({ namespace: 'shop', serviceAccountName: 'api' });
    const t = Template.fromStack(stack, FAST);
    t.resourceCountIs('AWS::EKS::Addon', 0);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'shop-prod', Namespace: 'shop', ServiceAccount: 'api' });
  });

  test('new cluster: cluster.eksPodIdentityAgent creates the add-on; the association names the cluster', () => {
    const stack = new Stack(new App(UNIT_APP), 'Shop', { env: ENV });
    const cluster = new eks.Cluster(stack, 'Cluster', { clusterName: 'shop-prod', version: eks.KubernetesVersion.V1_33 });
    void cluster.eksPodIdentityAgent;
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', { identity: WorkloadIdentity.podIdentity({ clusterName: cluster.clusterName }) });
    provider.addSecret('Db', { secretName: 'shop/db' }).grantRead({ namespace: 'shop', serviceAccountName: 'api' });
    const t = Template.fromStack(stack, FAST);
    t.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: { Ref: Match.stringLikeRegexp('^Cluster') }, Namespace: 'shop', ServiceAccount: 'api' });
  });
});

describe('aws-eks (v1): an existing cluster imported with its kubectl role and layer', () => {
  test('addManifest(ClusterManifest.fromChart) and addCdk8sChart deploy through the imported kubectl provider', () => {
    const stack = new Stack(new App(UNIT_APP), 'Shop', { env: ENV });
    const cluster = eksv1.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'shop-prod',
      kubectlRoleArn: 'arn:aws:iam::111122223333:role/eks-kubectl',
      kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', LAYER_ARN),
      openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', OIDC_ARN),
    });
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
      existingKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
      identity: WorkloadIdentity.irsa({
        oidcProviderArn: cluster.openIdConnectProvider.openIdConnectProviderArn, oidcIssuer: cluster.openIdConnectProvider.openIdConnectProviderIssuer,
      }),
    });
    const db = provider.addSecret('Db', { secretName: 'shop/db' });
    const role = db.grantRead({ namespace: 'shop', serviceAccountName: 'shop-secrets-reader' });
    cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(tokenChart('shop', role.roleArn, db.secretArn)));
    const direct = tokenChart('shop-direct', role.roleArn, db.secretArn);
    Guard.of(direct).allowCloudFormationTokens();
    cluster.addCdk8sChart('shop-direct', direct);
    const t = Template.fromStack(stack, FAST);
    const manifests = Object.values<any>(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).toHaveLength(2);
    for (const m of manifests) {
      expect(m.Properties.ClusterName).toBe('shop-prod');
      expect(m.Properties.RoleArn).toBe('arn:aws:iam::111122223333:role/eks-kubectl');
    }
    t.resourceCountIs('AWS::EKS::Cluster', 0);
    t.resourceCountIs('AWS::KMS::Key', 0);
  });
});

test('EncryptedSecretsProvider: encryptionKey and existingKey together are rejected', () => {
  const stack = new Stack(new App(UNIT_APP), 'S', { env: ENV });
  expect(() => new EncryptedSecretsProvider(stack, 'Secrets', {
    encryptionKey: new SecretsEncryptionKey(stack, 'K'), existingKey: kms.Key.fromKeyArn(stack, 'E', KEY_ARN), identity: WorkloadIdentity.podIdentity({ clusterName: 'c' }),
  })).toThrow(/^\[S\/Secrets\] props\.existingKey=".*": is set together with props\.encryptionKey.* Fix: pass either/);
});
