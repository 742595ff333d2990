import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
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
    expect(DEFAULT_AUDIT_ALARMS.map(a => a.name)).toEqual(['SecretsReadByNonSystemUser', 'PodExec', 'RbacChange', 'ForbiddenBurst', 'AnonymousRequest']);
  });

  test('custom retention and archive days', () => {
    const { t: t2 } = trailStack({ archiveRetentionDays: 2555 });
    t2.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } } });
  });

  test.each([
    ['token cluster name', { clusterName: cdk.Lazy.string({ produce: () => 'x' }) }, /props\.clusterName=.* violates apiserver-audit-logging/],
    ['bad archive days', { archiveRetentionDays: 0 }, /props\.archiveRetentionDays=0 violates apiserver-audit-logging/],
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
