import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptedSecretsProvider, SecretsEncryptionKey, WorkloadIdentity } from '../../lib';
import { KEY_ADMIN_ACTIONS } from '../../lib/secrets/private/key-policy';

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

  test('no lock-out, no use: the account root administers the key (admin actions only; no kms:*, no use, no grant, no deletion)', () => {
    expect(statements[0]).toEqual({ Sid: 'KeyAdministrationWithoutUse', Effect: 'Allow', Principal: { AWS: ROOT }, Action: [...KEY_ADMIN_ACTIONS], Resource: '*' });
    for (const a of ['kms:PutKeyPolicy', 'kms:DisableKey', 'kms:EnableKey', 'kms:CancelKeyDeletion']) expect(KEY_ADMIN_ACTIONS).toContain(a);
    for (const a of ['kms:*', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion']) {
      expect(KEY_ADMIN_ACTIONS).not.toContain(a);
    }
  });

  test('nothing grants kms:* or a wildcard action; nothing for "*" principals; every other statement is conditioned', () => {
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/^kms:\*$|^\*$/);
      expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
      if (s !== statements[0]) expect(Object.keys(s.Condition ?? {})).not.toHaveLength(0);
    }
  });

  test('by default CloudWatch Logs may not use the secrets key at all', () => {
    expect(statements.filter(s => JSON.stringify(s.Principal).includes('logs.'))).toEqual([]);
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

  test('Secrets Manager: account principals only through Secrets Manager in this region', () => {
    const sm = statements.filter(s => s.Condition?.StringEquals?.['kms:ViaService'] === 'secretsmanager.eu-west-1.amazonaws.com');
    expect(sm.length).toBeGreaterThan(0);
    const actions = sm.flatMap(s => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey']));
    for (const s of sm) expect(s.Principal).toEqual({ AWS: ROOT });
    // Nothing else: root admin, EKS and the Secrets Manager statements.
    expect(statements).toHaveLength(2 + sm.length);
  });
});

describe('SecretsEncryptionKey options', () => {
  test('default alias is unique per construct; logGroupNames admits CloudWatch Logs for exactly those log groups; admins manage without use', () => {
    const { stack } = stackWithKey({ logGroupNames: ['/aws/eks/shop/cluster'], pendingWindow: Duration.days(7), rotationPeriod: Duration.days(90),
      admins: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/security-admin')] });
    const template = Template.fromStack(stack, FAST);
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: Match.stringLikeRegexp('^alias/cdk8s-hardened/c8[0-9a-f]{40}$') });
    template.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7, RotationPeriodInDays: 90 });
    const statements = keyPolicyStatements(template);
    expect(statements.find(s => s.Sid === 'CloudWatchLogsForTheNamedLogGroups')).toEqual({
      Sid: 'CloudWatchLogsForTheNamedLogGroups',
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111122223333:log-group:/aws/eks/shop/cluster']] }] } },
    });
    expect(statements[0].Principal).toEqual({ AWS: [ROOT, 'arn:aws:iam::111122223333:role/security-admin'] });
    expect(statements[0].Action).toEqual([...KEY_ADMIN_ACTIONS]);
  });

  test.each(['/aws/eks/*', '*', '/aws/eks/shop/cluster*', ''])('a log group name with a wildcard or empty (%j) is refused', name => {
    expect(() => stackWithKey({ logGroupNames: [name] })).toThrow(/props\.logGroupNames\[0\]=.*Fix: name each log group exactly/);
  });

  test('grantEncryptionProvider names the role in the key policy (the root has no use to delegate)', () => {
    const { stack, key } = stackWithKey();
    const role = new iam.Role(stack, 'ControlPlane', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    key.grantEncryptionProvider(role);
    const statements = keyPolicyStatements(Template.fromStack(stack, FAST));
    const forRole = statements.filter(s => JSON.stringify(s.Principal).includes('ControlPlane'));
    expect(forRole).toHaveLength(1);
    expect(forRole[0].Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey']);
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
