import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedSecretsProvider, SecretsEncryptionKey, WorkloadIdentity } from '../../lib';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const FAST = { skipCyclicalDependenciesCheck: true };

function stackWithKey(props: ConstructorParameters<typeof SecretsEncryptionKey>[2] = {}) {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: ENV });
  const key = new SecretsEncryptionKey(stack, 'SecretsKey', props);
  return { stack, key };
}

function keyPolicyStatements(template: Template): any[] {
  const keys = template.findResources('AWS::KMS::Key');
  expect(Object.keys(keys)).toHaveLength(1);
  return Object.values<any>(keys)[0].Properties.KeyPolicy.Statement;
}

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] };

describe('SecretsEncryptionKey defaults', () => {
  const { stack, key } = stackWithKey({ alias: 'alias/shop/secrets' });
  // A secret on the key, as EncryptedSecretsProvider creates it, adds the Secrets Manager statements.
  new EncryptedSecretsProvider(stack, 'Secrets', { encryptionKey: key, identity: WorkloadIdentity.podIdentity({ clusterName: 'shop' }) })
    .addSecret('Db', { secretName: 'shop/db' });
  const template = Template.fromStack(stack, FAST);
  const statements = keyPolicyStatements(template);

  test('rotation on (365 days), 30-day pending window, RETAIN on delete and replace, description', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        PendingWindowInDays: 30,
        Description: 'Envelope encryption of Kubernetes Secrets and AWS Secrets Manager secrets (cdk8s-hardened)',
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('alias points at the key', () => {
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/shop/secrets',
      TargetKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecretsKey'), 'Arn'] },
    });
  });

  test('no lock-out: the account root administers the key (kms:* on the key)', () => {
    expect(statements[0]).toEqual({ Sid: 'KeyAdministrationByAccountRoot', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' });
  });

  test('kms:* only for the account root; nothing for "*" principals; every other statement is conditioned', () => {
    const wildcardAll = statements.filter(s => [s.Action].flat().includes('kms:*'));
    expect(wildcardAll).toHaveLength(1);
    expect(wildcardAll[0].Principal).toEqual({ AWS: ROOT });
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
      if (s !== wildcardAll[0]) expect(Object.keys(s.Condition ?? {})).not.toHaveLength(0);
    }
  });

  test('EKS: DescribeKey and CreateGrant for principals of this account, only through EKS in this region', () => {
    expect(statements.find(s => s.Sid === 'EksSecretsEncryptionThroughEks')).toEqual({
      Sid: 'EksSecretsEncryptionThroughEks',
      Effect: 'Allow',
      Principal: { AWS: ROOT },
      Action: ['kms:DescribeKey', 'kms:CreateGrant'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'eks.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111122223333' } },
    });
  });

  test('CloudWatch Logs: the regional service principal, only for log groups of this account and region', () => {
    expect(statements.find(s => s.Sid === 'CloudWatchLogsEncryptionInThisAccountAndRegion')).toEqual({
      Sid: 'CloudWatchLogsEncryptionInThisAccountAndRegion',
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111122223333:log-group:*']] } } },
    });
  });

  test('Secrets Manager: account principals only through Secrets Manager in this region', () => {
    const sm = statements.filter(s => s.Condition?.StringEquals?.['kms:ViaService'] === 'secretsmanager.eu-west-1.amazonaws.com');
    expect(sm.length).toBeGreaterThan(0);
    const actions = sm.flatMap(s => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey']));
    for (const s of sm) expect(s.Principal).toEqual({ AWS: ROOT });
    // Nothing else: root admin, EKS, Logs and the Secrets Manager statements.
    expect(statements).toHaveLength(3 + sm.length);
  });
});

describe('SecretsEncryptionKey options', () => {
  test('default alias is unique per construct; logGroupNamePattern narrows the Logs statement', () => {
    const { stack } = stackWithKey({ logGroupNamePattern: '/aws/eks/shop/*', pendingWindow: Duration.days(7), rotationPeriod: Duration.days(90) });
    const template = Template.fromStack(stack, FAST);
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: Match.stringLikeRegexp('^alias/cdk8s-hardened/c8[0-9a-f]{40}$') });
    template.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7, RotationPeriodInDays: 90 });
    const logs = keyPolicyStatements(template).find(s => s.Sid === 'CloudWatchLogsEncryptionInThisAccountAndRegion');
    expect(JSON.stringify(logs.Condition)).toContain(':log-group:/aws/eks/shop/*');
  });

  test.each([
    ['pendingWindow', { pendingWindow: Duration.days(6) }, '"6 days"'],
    ['pendingWindow', { pendingWindow: Duration.days(31) }, '"31 days"'],
    ['rotationPeriod', { rotationPeriod: Duration.days(30) }, '"30 days"'],
    ['rotationPeriod', { rotationPeriod: Duration.days(3000) }, '"3000 days"'],
    ['alias', { alias: 'alias/aws/secrets' }, '"alias/aws/secrets"'],
    ['alias', { alias: 'shop-secrets' }, '"shop-secrets"'],
  ])('rejects an invalid %s with path, field, value and fix', (field, props, value) => {
    expect(() => stackWithKey(props)).toThrow(new RegExp(`^\\[S/SecretsKey\\] props\\.${field}=${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .+ Fix: `));
  });
});

describe('SecretsEncryptionKey grants', () => {
  test('grantClusterCreation: DescribeKey, and CreateGrant only via EKS for AWS resources, on this key only', () => {
    const { stack, key } = stackWithKey();
    const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com') });
    key.grantClusterCreation(deployer);
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('SecretsKey'), 'Arn'] };
    Template.fromStack(stack, FAST).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'kms:DescribeKey', Resource: keyArn },
          {
            Effect: 'Allow',
            Action: 'kms:CreateGrant',
            Resource: keyArn,
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: { 'kms:ViaService': 'eks.eu-west-1.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('grantEncryptionProvider: Encrypt, Decrypt, DescribeKey on this key only (self-managed control plane)', () => {
    const { stack, key } = stackWithKey();
    const controlPlane = new iam.Role(stack, 'ControlPlane', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    key.grantEncryptionProvider(controlPlane);
    Template.fromStack(stack, FAST).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecretsKey'), 'Arn'] } }],
      },
    });
  });

  // The one CDK test that runs the default (slower) template validation, cyclical dependency check included.
  test('synthesizes with default validation', () => {
    const { stack } = stackWithKey();
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
