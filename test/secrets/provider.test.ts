import { App, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import { AwsSecretStore, EncryptedSecretsProvider, ProtectedSecret, WorkloadIdentity } from '../../lib';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const FAST = { skipCyclicalDependenciesCheck: true };
const SECRET = (id: string) => ({ Ref: Match.stringLikeRegexp(`Secrets${id}Secret`) });
const KEY_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('SecretsKey'), 'Arn'] };

function setup(identity: WorkloadIdentity, env: any = ENV) {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env });
  const provider = new EncryptedSecretsProvider(stack, 'Secrets', { identity });
  return { stack, provider };
}

function roles(template: Template): any[] {
  return Object.values<any>(template.findResources('AWS::IAM::Role'));
}

describe('Pod Identity', () => {
  const { stack, provider } = setup(WorkloadIdentity.podIdentity({ clusterName: 'shop-cluster' }));
  const db = provider.addSecret('Db', { secretName: 'shop/db' });
  const api = provider.addSecret('Api', { secretName: 'shop/payment-api', removalPolicy: RemovalPolicy.DESTROY });
  const workload = { namespace: 'shop', serviceAccountName: 'checkout' };
  const r1 = db.grantRead(workload);
  const r2 = api.grantRead(workload);
  db.grantRead(workload); // idempotent
  const other = db.grantRead({ namespace: 'billing', serviceAccountName: 'checkout' });
  const template = Template.fromStack(stack, FAST);

  test('one role per namespace/ServiceAccount, reused across grants', () => {
    expect(r1).toBe(r2);
    expect(other).not.toBe(r1);
    expect(roles(template)).toHaveLength(2);
  });

  test('trust: pods.eks.amazonaws.com, sts:AssumeRole + sts:TagSession, pinned by session tags to one namespace/ServiceAccount/cluster and by aws:SourceArn to the cluster', () => {
    const trust = roles(template).map(r => r.Properties.AssumeRolePolicyDocument.Statement);
    const shop = trust.find(s => JSON.stringify(s).includes('"checkout"') && JSON.stringify(s).includes('"shop"'));
    expect(shop).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '111122223333',
          'aws:RequestTag/eks-cluster-name': 'shop-cluster',
          'aws:RequestTag/kubernetes-namespace': 'shop',
          'aws:RequestTag/kubernetes-service-account': 'checkout',
        },
        ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:eu-west-1:111122223333:cluster/shop-cluster']] } },
      },
    }]);
  });

  test('a Pod Identity association binds the role to exactly that ServiceAccount, session tags on', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 2);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'shop-cluster',
      Namespace: 'shop',
      ServiceAccount: 'checkout',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RoleshopcheckoutRole'), 'Arn'] },
      DisableSessionTags: false,
    });
  });

  test('permissions: GetSecretValue/DescribeSecret on the exact ARNs, kms:Decrypt only via Secrets Manager for those secrets', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('RoleshopcheckoutRole') }],
      PolicyDocument: {
        Statement: [
          { Sid: 'ReadGrantedSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [SECRET('Db'), SECRET('Api')] },
          {
            Sid: 'DecryptGrantedSecretsThroughSecretsManager',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: KEY_ARN,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': [SECRET('Db'), SECRET('Api')] } },
          },
        ],
      },
    });
    // billing/checkout only got the Db secret.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('RolebillingcheckoutRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadGrantedSecrets', Resource: SECRET('Db') })]) },
    });
  });

  test('no wildcard action or resource, no inline policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const p of Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))) {
      for (const s of p.Properties.PolicyDocument.Statement) {
        expect(JSON.stringify(s.Action)).not.toContain('*');
        expect(JSON.stringify(s.Resource)).not.toContain('"*"');
      }
    }
  });

  test('secrets: CMK-encrypted, generated by Secrets Manager (never a value in the template), RETAIN by default', () => {
    const secrets = Object.values<any>(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(2);
    for (const s of secrets) {
      expect(s.Properties.SecretString).toBeUndefined();
      expect(s.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SecretsKey/), 'Arn'] });
    }
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: { Name: 'shop/db', GenerateSecretString: { PasswordLength: 32 } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::SecretsManager::Secret', { Properties: { Name: 'shop/payment-api' }, DeletionPolicy: 'Delete' });
  });

  test('a default SecretsEncryptionKey is created when none is given', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 30 });
  });

  test('role name is generated by default, so roleArnForManifests is only known with a role name', () => {
    for (const r of roles(template)) expect(r.Properties.RoleName).toBeUndefined();
    expect(r1.roleArnForManifests).toBeUndefined();
    expect(r1.podIdentityAssociation).toBeDefined();
  });
});

describe('IRSA', () => {
  test('trust: the OIDC provider, AssumeRoleWithWebIdentity, sub/aud StringEquals (https:// stripped)', () => {
    const { stack, provider } = setup(WorkloadIdentity.irsa({
      oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
      oidcIssuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
    }));
    const reader = { namespace: 'shop', serviceAccountName: 'shop-secrets-reader' };
    const role = provider.roleFor(reader, { roleName: 'shop-secrets-reader' });
    provider.addSecret('Db', { secretName: 'shop/db' }).grantRead(reader);
    const template = Template.fromStack(stack, FAST);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'shop-secrets-reader',
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:shop:shop-secrets-reader',
              'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
            },
          },
        }],
      },
    });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(role.podIdentityAssociation).toBeUndefined();
    expect(role.roleArnForManifests).toBe('arn:aws:iam::111122223333:role/shop-secrets-reader');
  });

  test('a token issuer goes through CfnJson (condition keys cannot hold intrinsics)', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: ENV });
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
      identity: WorkloadIdentity.irsa({ oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/x', oidcIssuer: issuer }),
    });
    provider.addSecret('Db', { secretName: 'shop/db' }).grantRead({ namespace: 'shop', serviceAccountName: 'reader' });
    const template = Template.fromStack(stack, FAST);
    template.hasResourceProperties('Custom::AWSCDKCfnJson', {
      Value: { 'Fn::Join': ['', ['{"', { Ref: 'Issuer' }, ':sub":"system:serviceaccount:shop:reader","', { Ref: 'Issuer' }, ':aud":"sts.amazonaws.com"}']] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrustConditions'), 'Value'] } } })] },
    });
  });

  test('a stack without env: roleArnForManifests says that account and region are needed (HardeningError: path, field, value, rule, fix)', () => {
    const { provider } = setup(WorkloadIdentity.irsa({ oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/x', oidcIssuer: 'x' }), {});
    const role = provider.roleFor({ namespace: 'shop', serviceAccountName: 'r' }, { roleName: 'shop-reader' });
    let err: any;
    try { void role.roleArnForManifests; } catch (e) { err = e; }
    expect(err?.name).toBe('HardeningError');
    expect(err.path).toBe('S/Secrets/Role-shop-r');
    expect(err.field).toBe('roleArnForManifests');
    expect(err.ruleId).toBe('unresolved-token');
    expect(err.message).toMatch(/^\[S\/Secrets\/Role-shop-r\] roleArnForManifests="arn:<partition>:iam::<account: unresolved, no env>:role\/shop-reader" violates unresolved-token: needs the account and region of stack "S" at synth time, and the stack has no `env`/);
    expect(err.fix).toContain("new Stack(app, 'S', { env: { account: '123456789012', region: 'eu-west-1' } })");
    expect(err.fix).toContain('CDK_DEFAULT_ACCOUNT');
    // Only the region missing: named as such.
    const { provider: p2 } = setup(WorkloadIdentity.podIdentity({ clusterName: 'c' }), { account: '111122223333' });
    expect(() => p2.roleFor({ namespace: 'shop', serviceAccountName: 'r' }, { roleName: 'x' }).roleArnForManifests).toThrow(/needs the region of stack "S"/);
    // Without a role name there is nothing to write: undefined, as documented.
    expect(provider.roleFor({ namespace: 'shop', serviceAccountName: 'other' }).roleArnForManifests).toBeUndefined();
  });

  test('an AwsSecretStore given an undefined roleArn names the missing value and where it comes from', () => {
    const chart = new cdk8s.Chart(new cdk8s.App(), 'c', { namespace: 'shop' });
    expect(() => new AwsSecretStore(chart, 'store', { region: 'eu-west-1', roleArn: undefined as any, serviceAccountName: 'r' }))
      .toThrow(/^\[c\/store\] props\.roleArn=<unset>: is missing\. \(`WorkloadSecretsRole\.roleArnForManifests` is undefined when the role has no roleName\.\) Fix: .*env/);
  });
});

describe('errors', () => {
  const identity = WorkloadIdentity.podIdentity({ clusterName: 'c' });

  test('a workload without namespace is rejected (a role pins exactly one namespace)', () => {
    const { provider } = setup(identity);
    const db = provider.addSecret('Db', { secretName: 'shop/db' });
    expect(() => db.grantRead({ serviceAccountName: 'api' })).toThrow(/^\[S\/Secrets\] workload\.namespace=<unset>: a role must be scoped to exactly one namespace.* Fix: give the workload/);
  });

  test('invalid ServiceAccount and secret names', () => {
    const { provider } = setup(identity);
    expect(() => provider.roleFor({ namespace: 'shop', serviceAccountName: 'Not_Valid' })).toThrow(/props\.serviceAccountName="Not_Valid" violates metadata-valid: is not a valid ServiceAccount name/);
    expect(() => provider.roleFor({ namespace: 'Shop', serviceAccountName: 'api' })).toThrow(/props\.namespace="Shop"/);
    expect(() => provider.addSecret('Bad', { secretName: 'has space' })).toThrow(/props\.secretName="has space": is not a valid Secrets Manager name/);
  });

  test('a role name cannot change after the role exists', () => {
    const { provider } = setup(identity);
    provider.addSecret('Db', { secretName: 'shop/db' }).grantRead({ namespace: 'shop', serviceAccountName: 'api' });
    expect(() => provider.roleFor({ namespace: 'shop', serviceAccountName: 'api' }, { roleName: 'late' })).toThrow(/options\.roleName="late": the role of shop\/api already exists/);
  });

  test('a role without any grant fails synthesis', () => {
    const { stack, provider } = setup(identity);
    provider.roleFor({ namespace: 'shop', serviceAccountName: 'idle' });
    let msg = '';
    try { Template.fromStack(stack, FAST); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/\] the role of shop\/idle was created but no secret was granted to it/);
    expect(msg).not.toMatch(/(\[[^\]]+\]) \1/); // the construct path is printed once
  });

  test('ProtectedSecret exposes the complete ARN and name', () => {
    const { provider } = setup(identity);
    const s: ProtectedSecret = provider.addSecret('Db', { secretName: 'shop/db' });
    expect(s.secretName).toBe('shop/db');
    expect(s.secretArn).toBe(s.secret.secretArn);
  });
});

describe('secret rotation (AwsSolutions-SMG4)', () => {
  function secretStack(options: object) {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { account: '111122223333', region: 'eu-west-1' } });
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', { identity: WorkloadIdentity.podIdentity({ clusterName: 'shop' }) });
    const secret = provider.addSecret('Db', { secretName: 'shop/db', ...options });
    return { stack, secret, t: Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }) };
  }

  test('default: no rotation schedule and no acknowledgment (cdk-nag keeps reporting it)', () => {
    const { t, secret } = secretStack({});
    t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(secret.secret.node.metadata.filter((m: any) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  });

  test('a rotation function rotates every 30 days by default; rotateAfter changes it', () => {
    const fn = (s: any) => lambda.Function.fromFunctionArn(s, 'Rot', 'arn:aws:lambda:eu-west-1:111122223333:function:rot');
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R2', { env: { account: '111122223333', region: 'eu-west-1' } });
    const provider = new EncryptedSecretsProvider(stack, 'Secrets', { identity: WorkloadIdentity.podIdentity({ clusterName: 'shop' }) });
    provider.addSecret('A', { secretName: 'shop/a', rotationLambda: fn(stack) });
    provider.addSecret('B', { secretName: 'shop/b', hostedRotation: sm.HostedRotation.postgreSqlSingleUser(), rotateAfter: Duration.days(7) });
    const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
    const schedules = Object.values<any>(t.findResources('AWS::SecretsManager::RotationSchedule')).map(r => r.Properties.RotationRules.ScheduleExpression);
    expect(schedules.sort()).toEqual(['rate(30 days)', 'rate(7 days)']);
  });

  test('rotationDisabledReason: recorded and the reason of the three rotation acknowledgments', () => {
    const { secret } = secretStack({ rotationDisabledReason: 'the vendor rotates it (SEC-12)' });
    expect(secret.node.metadata.find((m: any) => m.type === 'cdk8s-hardened:rotationDisabledReason')?.data).toBe('the vendor rotates it (SEC-12)');
    const acks = secret.secret.node.metadata.filter((m: any) => m.type === 'aws:cdk:acknowledged-rules').map((m: any) => Object.entries(m.data)[0]);
    expect(acks.map((a: any) => a[0].replace(/^.*::/, '')).sort()).toEqual(['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled']);
    for (const a of acks) expect(a[1]).toBe('Not rotated by this stack: the vendor rotates it (SEC-12)');
  });

  test.each([
    [{ rotationDisabledReason: '' }, /props\.rotationDisabledReason="": must say why/],
    [{ rotateAfter: Duration.days(7) }, /props\.rotateAfter="7 days": has no rotation function/],
    [{ rotationDisabledReason: 'x', hostedRotation: sm.HostedRotation.postgreSqlSingleUser() }, /is set together with a rotation function/],
  ])('refused: %#', (options, message) => {
    expect(() => secretStack(options)).toThrow(message);
  });
});
