import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cdk8s from 'cdk8s';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from '../../examples/audit.example';
import { DEFAULT_AUDIT_ALARMS, EksAuditTrail } from '../../lib';

function trailStack(props: Partial<ConstructorParameters<typeof EksAuditTrail>[2]> = {}) {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'Audit', { env: { account: '111122223333', region: 'eu-west-1' } });
  const trail = new EksAuditTrail(stack, 'Trail', { clusterName: 'shop-prod', ...props });
  return { stack, trail, t: Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }) };
}

describe('EksAuditTrail', () => {
  const { t } = trailStack();

  test('pre-created log group: fixed name, KMS-encrypted, 1 year retention, RETAIN', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/eks/shop-prod/cluster', RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('KMS key: rotation, RETAIN, logs service only for this log group; no kms:* except the account root', () => {
    t.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 }, DeletionPolicy: 'Retain' });
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0] as any;
    const statements = key.Properties.KeyPolicy.Statement;
    for (const s of statements.filter((x: any) => [x.Action].flat().includes('kms:*'))) {
      expect(JSON.stringify(s.Principal)).toContain(':root');
    }
    const logsStmt = statements.find((s: any) => s.Sid === 'AllowCloudWatchLogsForTheAuditLogGroup');
    expect(logsStmt.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(JSON.stringify(logsStmt.Condition)).toContain('log-group:/aws/eks/shop-prod/cluster');
  });

  test('WORM archive: Object Lock COMPLIANCE 365 days, versioning, SSE-KMS, public access blocked, TLS only, access logs, RETAIN', () => {
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'archive/' }),
      },
      DeletionPolicy: 'Retain',
    });
    const policies = Object.values(t.findResources('AWS::S3::BucketPolicy')).map((p: any) => JSON.stringify(p.Properties.PolicyDocument));
    expect(policies.every(p => p.includes('"aws:SecureTransport":"false"'))).toBe(true);
  });

  test('subscription filter -> Firehose (SSE with the key) -> S3', () => {
    t.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    t.hasResourceProperties('AWS::Logs::SubscriptionFilter', { LogGroupName: Match.anyValue(), FilterPattern: '', DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({ CompressionFormat: 'GZIP', EncryptionConfiguration: { KMSEncryptionConfig: Match.anyValue() } }),
    });
  });

  test('metric filters and alarms for each anomaly, to an encrypted SNS topic', () => {
    t.resourceCountIs('AWS::Logs::MetricFilter', DEFAULT_AUDIT_ALARMS.length);
    t.resourceCountIs('AWS::CloudWatch::Alarm', DEFAULT_AUDIT_ALARMS.length);
    for (const a of DEFAULT_AUDIT_ALARMS) {
      t.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: a.pattern, MetricTransformations: [Match.objectLike({ MetricName: a.name, MetricNamespace: 'EKS/Audit/shop-prod' })] });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: a.name, Threshold: a.threshold, AlarmActions: [{ Ref: Match.anyValue() }] });
    }
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(DEFAULT_AUDIT_ALARMS.map(a => a.name)).toEqual(['SecretsReadByNonSystemUser', 'PodExec', 'RbacChange', 'ForbiddenBurst', 'AnonymousRequest', 'ImpersonatedRequest']);
  });

  test('impersonated requests alarm on the audit event\'s impersonatedUser field (the audit policy cannot match them)', () => {
    const spec = DEFAULT_AUDIT_ALARMS.find(a => a.name === 'ImpersonatedRequest')!;
    // The field-exists idiom of CloudWatch Logs JSON filters, exactly as aws-cdk-lib writes it.
    expect(spec.pattern).toBe(logs.FilterPattern.exists('$.impersonatedUser.username').logPatternString);
    expect(spec.threshold).toBe(1);
    t.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.impersonatedUser.username = "*" }', MetricTransformations: [Match.objectLike({ MetricName: 'ImpersonatedRequest' })] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'eks-audit.shop-prod.ImpersonatedRequest', MetricName: 'ImpersonatedRequest', Threshold: 1 });
  });

  test('confused deputy: every non-root key policy statement is conditioned; CloudWatch only for this account and these alarms', () => {
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0] as any;
    const nonRoot = key.Properties.KeyPolicy.Statement.filter((s: any) => !JSON.stringify(s.Principal).includes(':root'));
    expect(nonRoot.length).toBeGreaterThan(0);
    for (const s of nonRoot) expect(s.Condition).toBeDefined();
    const cwKey = key.Properties.KeyPolicy.Statement.filter((s: any) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'));
    expect(cwKey).toHaveLength(1);
    expect(cwKey[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111122223333' });
    expect(JSON.stringify(cwKey[0].Condition.ArnLike['aws:SourceArn'])).toContain(':cloudwatch:eu-west-1:111122223333:alarm:eks-audit.shop-prod.*');

    const topicPolicies = Object.values(t.findResources('AWS::SNS::TopicPolicy')) as any[];
    expect(topicPolicies).toHaveLength(1);
    const allows = topicPolicies[0].Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(allows[0].Action).toBe('sns:Publish');
    expect(allows[0].Condition).toEqual(cwKey[0].Condition);
  });

  test('every alarm is named under the prefix the topic and key policies admit', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms.map(a => a.Properties.AlarmName)).toEqual(DEFAULT_AUDIT_ALARMS.map(a => `eks-audit.shop-prod.${a.name}`));
  });

  test('an imported key is used as is (its owner adds the alarms statement)', () => {
    const { t: t2 } = trailStack({ key: kms.Key.fromKeyArn(new cdk.Stack(), 'K', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    t2.resourceCountIs('AWS::KMS::Key', 0);
    t2.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
  });

  test('custom retention and archive days', () => {
    const { t: t2 } = trailStack({ archiveRetentionDays: 2555 });
    t2.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } } });
  });

  test.each([
    ['token cluster name', { clusterName: cdk.Lazy.string({ produce: () => 'x' }) }, /props\.clusterName=.* violates apiserver-audit-logging/],
    ['bad archive days', { archiveRetentionDays: 0 }, /props\.archiveRetentionDays=0 violates apiserver-audit-logging/],
    ['bad alarm name', { alarms: [{ name: 'a b', pattern: '{ $.verb = "get" }', threshold: 1, description: 'x' }] }, /props\.alarms\[0\]\.name="a b" violates apiserver-audit-logging/],
  ] as [string, any, RegExp][])('construct-time error: %s', (_, props, expected) => {
    expect(() => trailStack(props)).toThrow(expected);
  });
});

describe('audit example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-example-'));
  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'dist') });
  const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
  build(k8sApp, awsApp);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('EKS cluster logs api/audit/authenticator and depends on the pre-created log group (CloudFormation validation on)', () => {
    const stack = awsApp.node.findChild('audit-eks') as cdk.Stack;
    const t = Template.fromStack(stack);
    const cluster = Object.values(t.findResources('AWS::EKS::Cluster'))[0] as any;
    expect(cluster.Properties.Logging.ClusterLogging.EnabledTypes).toEqual([{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }]);
    expect(cluster.Properties.Name).toBe('shop-prod');
    const logGroupId = Object.keys(t.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/eks/shop-prod/cluster' } }))[0];
    expect(cluster.DependsOn).toContain(logGroupId);
  });

  test('cdk-nag AwsSolutions: zero unacknowledged findings on the audit stack', () => {
    const nagApp = new cdk.App({ outdir: path.join(outdir, 'nag.out') });
    build(new cdk8s.App({ outdir: path.join(outdir, 'nag-dist') }), nagApp);
    // A control stack with a known finding proves the pack runs.
    const control = new cdk.Stack(nagApp, 'nag-control');
    new s3.Bucket(control, 'Unlogged');
    cdk.Validations.of(nagApp).addPlugins(new AwsSolutionsChecks(nagApp));
    let report = '';
    try { nagApp.synth(); } catch (e) { report = (e as Error).message; }
    expect(report).toContain('nag-control/Unlogged');
    expect(report.split('\n').filter(l => l.includes('audit-eks/'))).toEqual([]);
  });
});
