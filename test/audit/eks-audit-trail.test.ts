import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import * as cdk8s from 'cdk8s';
import { build } from '../../examples/audit.example';
import { ANONYMOUS_PUBLIC_URIS, ArchiveLockMode, AuditAlarms, AuditAlarmSpec, DEFAULT_AUDIT_ALARMS, EksAuditTrail, HEALTH_ALARM_NAMES, SECRETS_READ_EXEMPT_USERS } from '../../lib';
import { cwMatches } from './cw-filter';

/** Unit-test apps skip aws-cdk-lib's built-in CloudFormation validation (speed); the audit example tests keep it on. */
const UNIT_APP = { builtinCloudFormationValidation: false };

function trailStack(props: Partial<ConstructorParameters<typeof EksAuditTrail>[2]> = {}) {
  const app = new cdk.App(UNIT_APP);
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
      ExtendedS3DestinationConfiguration: Match.objectLike({ EncryptionConfiguration: { KMSEncryptionConfig: Match.anyValue() } }),
    });
  });

  test('archive records are stored as CloudWatch Logs delivered them (already gzip): no second GZIP, no processors, .gz objects', () => {
    const stream = Object.values(t.findResources('AWS::KinesisFirehose::DeliveryStream'))[0] as any;
    const dest = stream.Properties.ExtendedS3DestinationConfiguration;
    expect(dest.CompressionFormat).toBe('UNCOMPRESSED');
    expect(dest.FileExtension).toBe('.gz');
    expect(dest.ProcessingConfiguration).toBeUndefined();
    expect(dest.Prefix).toBe('eks-audit/!{timestamp:yyyy/MM/dd}/');
  });

  test('metric filters and alarms for each anomaly, to an encrypted SNS topic', () => {
    t.resourceCountIs('AWS::Logs::MetricFilter', DEFAULT_AUDIT_ALARMS.length);
    t.resourceCountIs('AWS::CloudWatch::Alarm', DEFAULT_AUDIT_ALARMS.length + HEALTH_ALARM_NAMES.length);
    for (const a of DEFAULT_AUDIT_ALARMS) {
      t.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: a.pattern, MetricTransformations: [Match.objectLike({ MetricName: a.name, MetricNamespace: 'EKS/Audit/shop-prod' })] });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: a.name, Threshold: a.threshold, AlarmActions: [{ Ref: Match.anyValue() }] });
    }
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(DEFAULT_AUDIT_ALARMS.map(a => a.name)).toEqual(['SecretsReadByWorkloadOrHuman', 'PodExec', 'PodPortForward', 'RbacChange', 'ForbiddenBurst', 'AnonymousRequest', 'ImpersonatedRequest']);
    for (const a of DEFAULT_AUDIT_ALARMS) expect(a.pattern.length).toBeLessThanOrEqual(1024);
  });

  test('impersonated requests alarm on the audit event\'s impersonatedUser field (the audit policy cannot match them)', () => {
    const spec = DEFAULT_AUDIT_ALARMS.find(a => a.name === 'ImpersonatedRequest')!;
    // The field-exists idiom of CloudWatch Logs JSON filters, exactly as aws-cdk-lib writes it.
    expect(spec.pattern).toBe(logs.FilterPattern.exists('$.impersonatedUser.username').logPatternString);
    expect(spec.threshold).toBe(1);
    t.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.impersonatedUser.username = "*" }', MetricTransformations: [Match.objectLike({ MetricName: 'ImpersonatedRequest' })] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'eks-audit.shop-prod.ImpersonatedRequest', MetricName: 'ImpersonatedRequest', Threshold: 1 });
  });

  test('confused deputy: every non-root key policy statement is conditioned; CloudWatch and EventBridge only for this account and this trail', () => {
    const keys = Object.entries(t.findResources('AWS::KMS::Key')) as Array<[string, any]>;
    expect(keys).toHaveLength(2);
    for (const [, key] of keys) {
      const nonRoot = key.Properties.KeyPolicy.Statement.filter((s: any) => !JSON.stringify(s.Principal).includes(':root'));
      expect(nonRoot.length).toBeGreaterThan(0);
      for (const s of nonRoot) expect(s.Condition).toBeDefined();
    }
    const alarmKey = keys.find(([id]) => id.startsWith('TrailAlarmKey'))![1];
    const cwKey = alarmKey.Properties.KeyPolicy.Statement.filter((s: any) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'));
    expect(cwKey).toHaveLength(1);
    expect(cwKey[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111122223333' });
    expect(JSON.stringify(cwKey[0].Condition.ArnLike['aws:SourceArn'])).toContain(':cloudwatch:eu-west-1:111122223333:alarm:eks-audit.shop-prod.*');
    const evKey = alarmKey.Properties.KeyPolicy.Statement.filter((s: any) => JSON.stringify(s.Principal).includes('events.amazonaws.com'));
    expect(evKey).toHaveLength(1);
    expect(JSON.stringify(evKey[0].Condition.ArnLike['aws:SourceArn'])).toContain(':events:eu-west-1:111122223333:rule/eks-audit.shop-prod.*');

    const topicPolicies = Object.values(t.findResources('AWS::SNS::TopicPolicy')) as any[];
    expect(topicPolicies).toHaveLength(1);
    const allows = topicPolicies[0].Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows.map((s: any) => s.Principal)).toEqual([{ Service: 'cloudwatch.amazonaws.com' }, { Service: 'events.amazonaws.com' }]);
    expect(allows.map((s: any) => s.Action)).toEqual(['sns:Publish', 'sns:Publish']);
    expect(allows[0].Condition).toEqual(cwKey[0].Condition);
    expect(allows[1].Condition).toEqual(evKey[0].Condition);
  });

  test('every alarm is named under the prefix the topic and key policies admit', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms.map(a => a.Properties.AlarmName)).toEqual([...DEFAULT_AUDIT_ALARMS, ...HEALTH_ALARM_NAMES.map(name => ({ name }))].map(a => `eks-audit.shop-prod.${a.name}`));
  });

  test('an imported audit key is used as is (its owner adds the statements); the topic keeps a key of its own', () => {
    const { t: t2 } = trailStack({ key: kms.Key.fromKeyArn(new cdk.Stack(), 'K', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    expect(Object.keys(t2.findResources('AWS::KMS::Key'))).toEqual([expect.stringMatching(/^TrailAlarmKey/)]);
    t2.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailAlarmKey'), 'Arn'] } });
    const imported = kms.Key.fromKeyArn(new cdk.Stack(), 'K2', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const { t: t3 } = trailStack({ key: imported, alarmKey: kms.Key.fromKeyArn(new cdk.Stack(), 'K3', 'arn:aws:kms:eu-west-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab') });
    t3.resourceCountIs('AWS::KMS::Key', 0);
    t3.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab' });
  });

  test('Firehose error logs go to a KMS-encrypted, retained log group the key admits', () => {
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/kinesisfirehose/eks-audit-shop-prod', RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    const stream = Object.values(t.findResources('AWS::KinesisFirehose::DeliveryStream'))[0] as any;
    const logging = stream.Properties.ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions;
    expect(logging.Enabled).toBe(true);
    expect(logging.LogGroupName.Ref).toMatch(/^TrailArchiveStreamErrors[0-9A-F]+$/);
    const key = Object.values(t.findResources('AWS::KMS::Key'))[0] as any;
    const logsStmt = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'AllowCloudWatchLogsForTheAuditLogGroup');
    const arns = JSON.stringify(logsStmt.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']);
    expect(arns).toContain('log-group:/aws/eks/shop-prod/cluster');
    expect(arns).toContain('log-group:/aws/kinesisfirehose/eks-audit-shop-prod');
    // No Firehose log group without a key: the only log groups are the trail's two encrypted ones.
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup')) as any[];
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.Properties.KmsKeyId).toBeDefined();
  });

  test('archive lifecycle: transition to Glacier Instant Retrieval after 90 days, expiry at the retention, noncurrent versions a day later', () => {
    const bucket = Object.values(t.findResources('AWS::S3::Bucket', { Properties: { ObjectLockConfiguration: Match.anyValue() } }))[0] as any;
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'ArchiveThenExpire', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }], ExpirationInDays: 365,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      { Id: 'RemoveExpiredDeleteMarkers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
    ]);
    const { t: t2 } = trailStack({
      archiveRetentionDays: 2555, archiveExpirationDays: 3000, archiveTransitionAfterDays: 30, archiveStorageClass: s3.StorageClass.DEEP_ARCHIVE,
    });
    const b2 = Object.values(t2.findResources('AWS::S3::Bucket', { Properties: { ObjectLockConfiguration: Match.anyValue() } }))[0] as any;
    expect(b2.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ Transitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 30 }], ExpirationInDays: 3000 });
    // A transition at or after the expiry is dropped (it would never run).
    const { t: t3 } = trailStack({ archiveTransitionAfterDays: 365 });
    const b3 = Object.values(t3.findResources('AWS::S3::Bucket', { Properties: { ObjectLockConfiguration: Match.anyValue() } }))[0] as any;
    expect(b3.Properties.LifecycleConfiguration.Rules[0].Transitions).toBeUndefined();
  });

  test('health alarms: logging stopped and intake stopped treat missing data as breaching; delivery failed and stale do not', () => {
    const alarms = t.findResources('AWS::CloudWatch::Alarm');
    const byName = (n: string) => (Object.values(alarms) as any[]).find(a => a.Properties.AlarmName === `eks-audit.shop-prod.${n}`).Properties;
    expect(byName('LoggingStopped')).toMatchObject({
      Namespace: 'AWS/Logs', MetricName: 'IncomingLogEvents',
      Statistic: 'Sum', Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
    } as any);
    expect(byName('LoggingStopped').Dimensions[0].Value.Ref).toMatch(/^TrailControlPlaneLogs/);
    expect(byName('ArchiveIntakeStopped')).toMatchObject({ Namespace: 'AWS/Firehose', MetricName: 'IncomingRecords', ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', EvaluationPeriods: 3 });
    expect(byName('ArchiveDeliveryFailed')).toMatchObject({ Namespace: 'AWS/Firehose', MetricName: 'DeliveryToS3.Success', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'notBreaching' });
    expect(byName('ArchiveDeliveryStale')).toMatchObject({ Namespace: 'AWS/Firehose', MetricName: 'DeliveryToS3.DataFreshness', Statistic: 'Maximum', Threshold: 900, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    for (const n of HEALTH_ALARM_NAMES) {
      expect(byName(n).AlarmActions).toHaveLength(1);
      expect(byName(n).AlarmActions[0].Ref).toMatch(/^TrailAlarms/);
      expect(byName(n).OKActions[0].Ref).toMatch(/^TrailAlarms/);
    }
    const { t: t2 } = trailStack({ loggingStoppedAfter: cdk.Duration.minutes(30), archiveStaleAfter: cdk.Duration.minutes(10) });
    t2.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'eks-audit.shop-prod.LoggingStopped', EvaluationPeriods: 6 });
    t2.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'eks-audit.shop-prod.ArchiveDeliveryStale', Threshold: 600 });
  });

  test('no subscription by default; email and HTTPS subscriptions on the trail topic; an existing topic is used as is', () => {
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    const { t: t2 } = trailStack({ alarmEmails: ['security-oncall@example.com'], alarmHttpsEndpoints: ['https://oncall.example.com/hooks/eks-audit'] });
    t2.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security-oncall@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^TrailAlarms') } });
    t2.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://oncall.example.com/hooks/eks-audit' });

    const topicArn = 'arn:aws:sns:eu-west-1:111122223333:security-alarms';
    const app = new cdk.App(UNIT_APP);
    const stack = new cdk.Stack(app, 'Audit', { env: { account: '111122223333', region: 'eu-west-1' } });
    const topic = sns.Topic.fromTopicArn(stack, 'Existing', topicArn);
    const trail = new EksAuditTrail(stack, 'Trail', { clusterName: 'shop-prod', alarmTopic: topic, alarmEmails: ['security-oncall@example.com'] });
    expect(trail.alarmTopic).toBe(topic);
    const t3 = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
    t3.resourceCountIs('AWS::SNS::Topic', 0);
    t3.resourceCountIs('AWS::SNS::TopicPolicy', 0); // the owner's policy admits alarmArnPattern
    t3.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', TopicArn: topicArn });
    for (const a of Object.values(t3.findResources('AWS::CloudWatch::Alarm')) as any[]) expect(a.Properties.AlarmActions).toEqual([topicArn]);
    const key = Object.values(t3.findResources('AWS::KMS::Key'))[0] as any;
    expect(JSON.stringify(key.Properties.KeyPolicy)).not.toContain('cloudwatch.amazonaws.com'); // the topic is not encrypted with this key
  });

  test('Object Lock: COMPLIANCE by default; GOVERNANCE or a short retention only with weakerArchiveLockReason', () => {
    expect(() => trailStack({ archiveLockMode: ArchiveLockMode.GOVERNANCE }))
      .toThrow(/\[Audit\/Trail\] props\.archiveLockMode="GOVERNANCE" violates apiserver-audit-logging: .*s3:BypassGovernanceRetention.* Fix: .*weakerArchiveLockReason/);
    expect(() => trailStack({ archiveRetentionDays: 7 }))
      .toThrow(/props\.archiveRetentionDays=7 violates apiserver-audit-logging: .*less than 365 days.* Fix: .*weakerArchiveLockReason/);
    expect(() => trailStack({ archiveRetentionDays: 7, weakerArchiveLockReason: '  ' })).toThrow(/props\.weakerArchiveLockReason=/);
    const { t: t2, trail } = trailStack({ archiveLockMode: ArchiveLockMode.GOVERNANCE, archiveRetentionDays: 1, weakerArchiveLockReason: 'sandbox account: test data' });
    t2.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } });
    expect(trail.node.metadata.map(m => m.data)).toContain('sandbox account: test data');
  });

  test('custom retention and archive days', () => {
    const { t: t2 } = trailStack({ archiveRetentionDays: 2555 });
    t2.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } } });
  });

  test.each([
    ['token cluster name', { clusterName: cdk.Lazy.string({ produce: () => 'x' }) }, /props\.clusterName=.* violates apiserver-audit-logging/],
    ['bad archive days', { archiveRetentionDays: 0 }, /props\.archiveRetentionDays=0 violates apiserver-audit-logging/],
    ['expiry before the lock ends', { archiveExpirationDays: 300 }, /props\.archiveExpirationDays=300 violates apiserver-audit-logging: must be an integer of at least 365/],
    ['http endpoint', { alarmHttpsEndpoints: ['http://oncall.example.com/hook'] }, /props\.alarmHttpsEndpoints\[0\]="http:\/\/oncall.example.com\/hook" violates/],
    ['credentials in the endpoint', { alarmHttpsEndpoints: ['https://bot:hunter2@oncall.example.com/hook'] }, /props\.alarmHttpsEndpoints\[0\]=.* without user or password/],
    ['not an email', { alarmEmails: ['oncall'] }, /props\.alarmEmails\[0\]="oncall" violates/],
    ['logging-stopped window not a multiple of 5 minutes', { loggingStoppedAfter: cdk.Duration.minutes(7) }, /props\.loggingStoppedAfter="7 minutes"/],
    ['stale threshold under the buffering interval', { archiveStaleAfter: cdk.Duration.seconds(60) }, /props\.archiveStaleAfter="60 seconds"/],
    ['anomaly alarm named like a health alarm', { alarms: [{ name: 'LoggingStopped', pattern: '{ $.verb = "get" }', threshold: 1, description: 'x' }] }, /props\.alarms\[0\]\.name="LoggingStopped"/],
    ['another log group', { logGroup: logs.LogGroup.fromLogGroupName(new cdk.Stack(), 'L', '/aws/eks/other/cluster') }, /props\.logGroup="\/aws\/eks\/other\/cluster" violates .*EKS writes to \/aws\/eks\/shop-prod\/cluster/],
    ['bad alarm name', { alarms: [{ name: 'a b', pattern: '{ $.verb = "get" }', threshold: 1, description: 'x' }] }, /props\.alarms\[0\]\.name="a b" violates apiserver-audit-logging/],
    ['pattern over the 1024-character PutMetricFilter limit', { alarms: [AuditAlarms.secretsReadByWorkloadOrHuman(Array.from({ length: 20 }, (_, i) => `system:serviceaccount:operators-${i}:secrets-operator`))] },
      /props\.alarms\[0\]\.pattern=.* violates apiserver-audit-logging/],
  ] as [string, any, RegExp][])('construct-time error: %s', (_, props, expected) => {
    expect(() => trailStack(props)).toThrow(expected);
  });
});

describe('EksAuditTrail on an existing cluster (logging already enabled)', () => {
  const app = new cdk.App(UNIT_APP);
  const stack = new cdk.Stack(app, 'Audit', { env: { account: '111122223333', region: 'eu-west-1' } });
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shop-prod' });
  const existing = logs.LogGroup.fromLogGroupName(stack, 'ControlPlaneLogs', `/aws/eks/${cluster.clusterName}/cluster`);
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const trail = new EksAuditTrail(stack, 'Trail', { clusterName: cluster.clusterName, logGroup: existing, key });
  const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });

  test('the existing control-plane log group is reused, not created (CloudFormation cannot create a log group that exists)', () => {
    expect(trail.logGroup).toBe(existing);
    expect(Object.values(t.findResources('AWS::Logs::LogGroup')).map((g: any) => g.Properties.LogGroupName)).toEqual(['/aws/kinesisfirehose/eks-audit-shop-prod']);
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toEqual([expect.stringMatching(/^TrailAlarmKey/)]); // the topic's own key
    t.resourceCountIs('AWS::EKS::Cluster', 0);
  });

  test('subscription filter, metric filters and the logging-stopped alarm read the existing log group by name', () => {
    t.hasResourceProperties('AWS::Logs::SubscriptionFilter', { LogGroupName: '/aws/eks/shop-prod/cluster' });
    for (const f of Object.values(t.findResources('AWS::Logs::MetricFilter')) as any[]) expect(f.Properties.LogGroupName).toBe('/aws/eks/shop-prod/cluster');
    t.resourceCountIs('AWS::Logs::MetricFilter', DEFAULT_AUDIT_ALARMS.length);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'eks-audit.shop-prod.LoggingStopped', Namespace: 'AWS/Logs', MetricName: 'IncomingLogEvents',
      Dimensions: [{ Name: 'LogGroupName', Value: '/aws/eks/shop-prod/cluster' }], TreatMissingData: 'breaching',
    });
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } });
  });

  test('a new cluster gets the created log group, and the cluster depends on it', () => {
    const s2 = new cdk.Stack(new cdk.App(UNIT_APP), 'New', { env: { account: '111122223333', region: 'eu-west-1' } });
    const tr = new EksAuditTrail(s2, 'Trail', { clusterName: 'shop-prod' });
    const c = new eks.Cluster(s2, 'Cluster', { clusterName: 'shop-prod', version: eks.KubernetesVersion.V1_33, clusterLogging: [eks.ClusterLoggingTypes.AUDIT] });
    c.node.addDependency(tr.logGroup);
    const t2 = Template.fromStack(s2, { skipCyclicalDependenciesCheck: true });
    const logGroupId = Object.keys(t2.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/eks/shop-prod/cluster' } }))[0];
    expect((Object.values(t2.findResources('AWS::EKS::Cluster'))[0] as any).DependsOn).toContain(logGroupId);
  });
});

/** A Kubernetes audit.k8s.io/v1 Event as EKS writes it to the log group (ResponseComplete stage unless overridden). */
function auditEvent(e: {
  user: string; verb: string; uri: string; code?: number; resource?: string; subresource?: string; apiGroup?: string; namespace?: string; stage?: string;
  impersonated?: string;
}): any {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: '6f0e2f8c-3c1e-4a55-9d61-0c5d1c1c0001',
    stage: e.stage ?? 'ResponseComplete',
    requestURI: e.uri,
    verb: e.verb,
    user: { username: e.user, groups: ['system:authenticated'] },
    ...(e.impersonated ? { impersonatedUser: { username: e.impersonated, groups: ['system:authenticated'] } } : {}),
    sourceIPs: ['10.0.1.23'],
    userAgent: 'kubectl/v1.33.0',
    ...(e.resource ? { objectRef: { resource: e.resource, ...(e.subresource ? { subresource: e.subresource } : {}), ...(e.apiGroup ? { apiGroup: e.apiGroup, apiVersion: 'v1' } : { apiVersion: 'v1' }), ...(e.namespace ? { namespace: e.namespace } : {}) } } : {}),
    ...(e.code !== undefined && (e.stage ?? 'ResponseComplete') !== 'RequestReceived' ? { responseStatus: { metadata: {}, code: e.code } } : {}),
    requestReceivedTimestamp: '2025-06-01T10:00:00.000000Z',
    stageTimestamp: '2025-06-01T10:00:00.010000Z',
  };
}
const alarm = (name: string): AuditAlarmSpec => DEFAULT_AUDIT_ALARMS.find(a => a.name === name)!;

describe('the filter-pattern evaluator follows the AWS documentation examples', () => {
  const doc = { eventType: 'UpdateTrail', sourceIPAddress: '111.111.111.111', latency: 50, SomeObject: null, user: { id: 1, email: 'John.Stiles@example.com' } };
  test.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.sourceIPAddress != 123.123.* }', true],
    ['{ $.sourceIPAddress != "111.*" }', false],
    ['{ $.latency = * }', true],
    ['{ $.latency = "*" }', true],
    ['{ $.missing = "*" }', false],
    ['{ $.user = "*" }', false], // an object is not a value node
    ['{ $.latency >= 50 }', true],
    ['{ $.eventType < 400 }', false],
    ['{ ($.user.id = 2) || ($.eventType = "UpdateTrail") && ($.latency > 60) }', false],
    ['{ ($.user.id = 1) || ($.eventType = "UpdateTrail") && ($.latency > 60) }', true],
    ['{ $.eventType = "Update*Trail" }', false], // a wildcard inside a term is literal
  ] as [string, boolean][])('%s -> %s', (pattern, expected) => {
    expect(cwMatches(pattern, doc)).toBe(expected);
  });
});

describe('default alarm patterns against Kubernetes audit events', () => {
  test.each([
    // Anonymous requests EKS serves by design: health, version, issuer discovery, with query strings.
    ['anonymous /livez 200', false, { user: 'system:anonymous', verb: 'get', uri: '/livez', code: 200 }],
    ['anonymous /readyz?verbose 200', false, { user: 'system:anonymous', verb: 'get', uri: '/readyz?verbose', code: 200 }],
    ['anonymous /healthz 200', false, { user: 'system:anonymous', verb: 'get', uri: '/healthz', code: 200 }],
    ['anonymous /version?timeout=32s 200', false, { user: 'system:anonymous', verb: 'get', uri: '/version?timeout=32s', code: 200 }],
    ['anonymous OIDC discovery 200', false, { user: 'system:anonymous', verb: 'get', uri: '/.well-known/openid-configuration', code: 200 }],
    ['anonymous JWKS 200', false, { user: 'system:anonymous', verb: 'get', uri: '/openid/v1/jwks', code: 200 }],
    // Anonymous got through authorization: the alarm.
    ['anonymous lists secrets 200', true, { user: 'system:anonymous', verb: 'list', uri: '/api/v1/namespaces/shop/secrets', code: 200, resource: 'secrets', namespace: 'shop' }],
    ['anonymous API discovery 200', true, { user: 'system:anonymous', verb: 'get', uri: '/apis', code: 200 }],
    ['anonymous watch pods 200', true, { user: 'system:anonymous', verb: 'watch', uri: '/api/v1/pods?watch=true', code: 200, resource: 'pods' }],
    ['anonymous get of a missing secret 404 (authorized)', true, { user: 'system:anonymous', verb: 'get', uri: '/api/v1/namespaces/shop/secrets/nope', code: 404, resource: 'secrets', namespace: 'shop' }],
    ['anonymous rejected create 422 (authorized)', true, { user: 'system:anonymous', verb: 'create', uri: '/api/v1/namespaces/shop/configmaps', code: 422, resource: 'configmaps', namespace: 'shop' }],
    // Refused or not yet answered: not this alarm (403 counts in ForbiddenBurst).
    ['anonymous denied 403', false, { user: 'system:anonymous', verb: 'get', uri: '/api/v1/pods', code: 403, resource: 'pods' }],
    ['anonymous 401', false, { user: 'system:anonymous', verb: 'get', uri: '/api/v1/pods', code: 401, resource: 'pods' }],
    ['anonymous RequestReceived (no status)', false, { user: 'system:anonymous', verb: 'get', uri: '/api/v1/pods', stage: 'RequestReceived', resource: 'pods' }],
    ['authenticated user 200', false, { user: 'alice', verb: 'get', uri: '/api/v1/pods', code: 200, resource: 'pods' }],
  ] as [string, boolean, any][])('AnonymousRequest: %s -> %s', (_, expected, e) => {
    expect(cwMatches(alarm('AnonymousRequest').pattern, auditEvent(e))).toBe(expected);
  });

  const secretRead = (user: string, verb = 'get', resource = 'secrets') => auditEvent({ user, verb, uri: `/api/v1/namespaces/shop/${resource}/db`, code: 200, resource, namespace: 'shop' });
  test.each([
    ['a workload ServiceAccount (stolen pod token)', 'system:serviceaccount:shop:web', 'get', true],
    ['a ServiceAccount listing', 'system:serviceaccount:shop:web', 'list', true],
    ['a namespace that only starts like kube-system', 'system:serviceaccount:kube-system-tools:job', 'get', true],
    ['a human', 'alice@example.com', 'watch', true],
    ['anonymous', 'system:anonymous', 'get', true],
    ['a node (kubelet)', 'system:node:ip-10-0-1-23.eu-west-1.compute.internal', 'get', false],
    ['the controller manager', 'system:kube-controller-manager', 'list', false],
    ['the scheduler', 'system:kube-scheduler', 'list', false],
    ['the API server loopback', 'system:apiserver', 'list', false],
    ['a controller ServiceAccount in kube-system', 'system:serviceaccount:kube-system:generic-garbage-collector', 'watch', false],
    ['an EKS component', 'eks:addon-manager', 'get', false],
    ['a write by a ServiceAccount (not a read)', 'system:serviceaccount:shop:web', 'create', false],
  ] as [string, string, string, boolean][])('SecretsReadByWorkloadOrHuman: %s (%s, %s) -> %s', (_, user, verb, expected) => {
    expect(cwMatches(alarm('SecretsReadByWorkloadOrHuman').pattern, secretRead(user, verb))).toBe(expected);
  });

  test('SecretsReadByWorkloadOrHuman: ConfigMaps do not count; the exempt list is the control plane, nodes and EKS only', () => {
    expect(cwMatches(alarm('SecretsReadByWorkloadOrHuman').pattern, secretRead('system:serviceaccount:shop:web', 'get', 'configmaps'))).toBe(false);
    expect(SECRETS_READ_EXEMPT_USERS).toEqual(['system:node:*', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver', 'system:serviceaccount:kube-system:*', 'eks:*']);
    expect(SECRETS_READ_EXEMPT_USERS.some(u => u === 'system:*' || u === 'system:serviceaccount:*')).toBe(false);
  });

  test('SecretsReadByWorkloadOrHuman: a legitimate operator can be exempted in a custom alarm, nothing else', () => {
    const eso = 'system:serviceaccount:external-secrets:external-secrets';
    const custom = AuditAlarms.secretsReadByWorkloadOrHuman([eso]);
    expect(custom.name).toBe('SecretsReadByWorkloadOrHuman');
    expect(cwMatches(custom.pattern, secretRead(eso))).toBe(false);
    expect(cwMatches(custom.pattern, secretRead('system:serviceaccount:external-secrets:other'))).toBe(true);
    expect(cwMatches(alarm('SecretsReadByWorkloadOrHuman').pattern, secretRead(eso))).toBe(true);
    const { t: t2 } = trailStack({ alarms: [custom] });
    t2.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: Match.stringLikeRegexp('external-secrets:external-secrets') });
  });

  const podSub = (subresource: string, verb: string) => auditEvent({ user: 'alice', verb, uri: `/api/v1/namespaces/shop/pods/web-0${subresource ? `/${subresource}` : ''}`, code: 101, resource: 'pods', subresource: subresource || undefined, namespace: 'shop' });
  test.each([
    ['exec (create)', 'exec', 'create', true, false],
    ['exec over a websocket GET', 'exec', 'get', true, false],
    ['attach', 'attach', 'create', true, false],
    ['kubectl debug (ephemeralcontainers patch)', 'ephemeralcontainers', 'patch', true, false],
    ['ephemeralcontainers update', 'ephemeralcontainers', 'update', true, false],
    ['ephemeralcontainers read', 'ephemeralcontainers', 'get', false, false],
    ['port-forward', 'portforward', 'create', false, true],
    ['pod logs', 'log', 'get', false, false],
    ['pod get', '', 'get', false, false],
  ] as [string, string, string, boolean, boolean][])('PodExec / PodPortForward: %s (pods/%s, %s) -> %s / %s', (_, sub, verb, exec, pf) => {
    expect(cwMatches(alarm('PodExec').pattern, podSub(sub, verb))).toBe(exec);
    expect(cwMatches(alarm('PodPortForward').pattern, podSub(sub, verb))).toBe(pf);
  });

  test.each([
    ['create rolebinding', 'create', true],
    ['delete --all rolebindings (deletecollection)', 'deletecollection', true],
    ['patch', 'patch', true],
    ['list', 'list', false],
  ] as [string, string, boolean][])('RbacChange: %s -> %s', (_, verb, expected) => {
    const e = auditEvent({ user: 'alice', verb, uri: '/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings', code: 200, resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', namespace: 'shop' });
    expect(cwMatches(alarm('RbacChange').pattern, e)).toBe(expected);
  });

  test('ImpersonatedRequest: matches exactly the events with impersonatedUser', () => {
    const p = alarm('ImpersonatedRequest').pattern;
    expect(cwMatches(p, auditEvent({ user: 'alice', verb: 'get', uri: '/api/v1/namespaces/shop/secrets/db', code: 200, resource: 'secrets', impersonated: 'system:serviceaccount:shop:web' }))).toBe(true);
    expect(cwMatches(p, auditEvent({ user: 'alice', verb: 'get', uri: '/api/v1/namespaces/shop/secrets/db', code: 200, resource: 'secrets' }))).toBe(false);
  });

  test('the anonymous exclusions are the public URIs only', () => {
    expect(ANONYMOUS_PUBLIC_URIS).toEqual(['/livez*', '/readyz*', '/healthz*', '/version*', '/.well-known/openid-configuration*', '/openid/v1/jwks*']);
    expect(alarm('AnonymousRequest').pattern).toContain('($.responseStatus.code != 401) && ($.responseStatus.code != 403)');
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

  test('cdk-nag AwsSolutions and NIST 800-53 R5: zero unacknowledged findings on the audit stack', () => {
    const nagApp = new cdk.App({ outdir: path.join(outdir, 'nag.out') });
    build(new cdk8s.App({ outdir: path.join(outdir, 'nag-dist') }), nagApp);
    // A control stack with a known finding proves the pack runs.
    const control = new cdk.Stack(nagApp, 'nag-control');
    new s3.Bucket(control, 'Unlogged');
    cdk.Validations.of(nagApp).addPlugins(new AwsSolutionsChecks(nagApp));
    cdk.Validations.of(nagApp).addPlugins(new NIST80053R5Checks(nagApp));
    let report = '';
    try { nagApp.synth(); } catch (e) { report = (e as Error).message; }
    expect(report).toContain('nag-control/Unlogged');
    expect(report).toMatch(/AwsSolutions-S1/);
    expect(report).toMatch(/NIST\.800\.53\.R5-S3BucketLoggingEnabled/);
    expect(report.split('\n').filter(l => l.includes('audit-eks/'))).toEqual([]);
  });
});
