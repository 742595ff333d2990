/**
 * The steps of EksAuditTrail (issue 31, point 4), each on its own: validateTrailProps judges the props and fills in
 * the defaults without creating anything; the render steps turn validated settings into resources without judging
 * them; checkAlarmSpec judges one anomaly alarm (run as each alarm is created).
 */
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ArchiveLockMode, EksAuditTrailProps } from '../../lib';
import { checkAlarmSpec, renderArchive, renderHealthAlarms, TrailSettings, validateTrailProps } from '../../lib/audit/eks-audit-trail';
import { HardeningError } from '../../lib/policy/errors';

function scopeInStack(): { stack: cdk.Stack; scope: Construct } {
  const stack = new cdk.Stack(new cdk.App({ builtinCloudFormationValidation: false }), 'Audit', { env: { account: '111122223333', region: 'eu-west-1' } });
  return { stack, scope: new Construct(stack, 'Trail') };
}

function validationError(props: Partial<EksAuditTrailProps> & { [k: string]: unknown }): HardeningError {
  const { scope } = scopeInStack();
  try {
    validateTrailProps(scope, { clusterName: 'shop-prod', ...props } as EksAuditTrailProps);
  } catch (e) {
    expect(e).toBeInstanceOf(HardeningError);
    expect(scope.node.children).toHaveLength(0);
    return e as HardeningError;
  }
  throw new Error('expected validateTrailProps to throw');
}

describe('validateTrailProps (validate)', () => {
  test('the defaults and the names derived from the cluster name; nothing created', () => {
    const { scope } = scopeInStack();
    const s = validateTrailProps(scope, { clusterName: 'shop-prod' });
    expect(s).toMatchObject({
      clusterName: 'shop-prod', logGroupName: '/aws/eks/shop-prod/cluster', firehoseLogGroupName: '/aws/kinesisfirehose/eks-audit-shop-prod',
      deliveryStreamName: 'eks-audit-shop-prod', alarmNamePrefix: 'eks-audit.shop-prod.', ruleNamePrefix: 'eks-audit.shop-prod.',
      archiveDays: 365, lockMode: ArchiveLockMode.COMPLIANCE, expirationDays: 365, transitionDays: 90, stoppedAfterMinutes: 15, staleAfterSeconds: 900,
      weakerArchiveLockReason: undefined, tamperAlarmsDisabledReason: undefined, replicaAccount: undefined,
    });
    expect(scope.node.children).toHaveLength(0);
  });

  test('a long cluster name gets a hashed rule prefix; the replica account comes from the key ARN', () => {
    const { scope } = scopeInStack();
    const s = validateTrailProps(scope, {
      clusterName: 'c'.repeat(60), archiveReplicaBucketArn: 'arn:aws:s3:::log-archive', archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/k',
    });
    expect(s.ruleNamePrefix.length + 'AuditPipelineChanged'.length).toBeLessThanOrEqual(64);
    expect(s.deliveryStreamName).toHaveLength('eks-audit-'.length + 54);
    expect(s.replicaAccount).toBe('444455556666');
  });

  test('a bad prop is a HardeningError under apiserver-audit-logging naming the path, field and value; nothing created', () => {
    const e = validationError({ alarmHttpsEndpoints: ['http://oncall.example.com'] });
    expect(e.message).toMatch(/^\[Audit\/Trail\] props\.alarmHttpsEndpoints\[0\]="http:\/\/oncall\.example\.com" violates apiserver-audit-logging: must be an https:\/\/ URL/);
  });

  test('several bad props: the first in the fixed order is reported', () => {
    const bad = { archiveRetentionDays: 7, loggingStoppedAfter: cdk.Duration.minutes(7), alarmEmails: ['x'], archiveReplicaBucketArn: 'arn:aws:s3:::b' };
    expect(validationError(bad).field).toBe('props.archiveRetentionDays');
    expect(validationError({ ...bad, archiveRetentionDays: undefined }).field).toBe('props.loggingStoppedAfter');
    expect(validationError({ ...bad, archiveRetentionDays: undefined, loggingStoppedAfter: undefined }).field).toBe('props.alarmEmails[0]');
    expect(validationError({ archiveReplicaBucketArn: 'arn:aws:s3:::b' }).field).toBe('props.archiveReplicaBucketArn');
  });

  test('anomaly alarm specs are not judged here, but by checkAlarmSpec (as each alarm is created)', () => {
    const { scope } = scopeInStack();
    const alarms = [{ name: 'LoggingStopped', pattern: '{ $.verb = "get" }', threshold: 1, description: 'd' }];
    expect(() => validateTrailProps(scope, { clusterName: 'shop-prod', alarms })).not.toThrow();
    expect(() => checkAlarmSpec(scope, alarms[0], 3)).toThrow(/props\.alarms\[3\]\.name="LoggingStopped" violates apiserver-audit-logging: is the name of one of the trail's health alarms/);
    expect(() => checkAlarmSpec(scope, { ...alarms[0], name: 'Fine', pattern: 'x'.repeat(1025) }, 0)).toThrow(/props\.alarms\[0\]\.pattern=/);
  });
});

const SETTINGS: TrailSettings = {
  clusterName: 'lab', logGroupName: '/aws/eks/lab/cluster', firehoseLogGroupName: '/aws/kinesisfirehose/eks-audit-lab', deliveryStreamName: 'eks-audit-lab',
  deliveryStreamArn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/eks-audit-lab', alarmNamePrefix: 'eks-audit.lab.', ruleNamePrefix: 'eks-audit.lab.',
  archiveDays: 7, lockMode: ArchiveLockMode.GOVERNANCE, expirationDays: 30, transitionDays: 10, stoppedAfterMinutes: 10, staleAfterSeconds: 600,
};

describe('render steps', () => {
  test('renderArchive: Object Lock, lifecycle and the no-delete policies exactly as the settings say', () => {
    const { stack, scope } = scopeInStack();
    // As the constructor does first: access logs under a bucket policy, never the LogDeliveryWrite ACL.
    scope.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const { archive, accessLogBucket } = renderArchive(scope, { clusterName: 'lab' }, SETTINGS, new kms.Key(stack, 'K'));
    const t = Template.fromStack(stack);
    const archiveProps = t.toJSON().Resources[stack.getLogicalId(archive.node.defaultChild as cdk.CfnElement)].Properties;
    expect(archiveProps.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } });
    expect(archiveProps.LifecycleConfiguration.Rules[0]).toMatchObject({
      Id: 'ArchiveThenExpire', ExpirationInDays: 30, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 10 }],
    });
    const logProps = t.toJSON().Resources[stack.getLogicalId(accessLogBucket.node.defaultChild as cdk.CfnElement)].Properties;
    expect(logProps.LifecycleConfiguration.Rules[0]).toMatchObject({ Id: 'ExpireWithTheArchive', ExpirationInDays: 30 });
    const denies = Object.values(t.findResources('AWS::S3::BucketPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((x: any) => x.Effect === 'Deny');
    expect(denies.map((x: any) => x.Sid).filter((sid: string) => sid?.startsWith('NoDeletes')).sort()).toEqual(['NoDeletes', 'NoDeletesNoRetentionChanges']);
  });

  test('renderHealthAlarms: four alarms named after the prefix, periods and thresholds from the settings, ALARM and OK notified', () => {
    const { stack, scope } = scopeInStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', SETTINGS.logGroupName);
    const stream = firehose.DeliveryStream.fromDeliveryStreamName(stack, 'Stream', SETTINGS.deliveryStreamName);
    const alarms = renderHealthAlarms(scope, SETTINGS, logGroup, stream, new cwActions.SnsAction(new sns.Topic(stack, 'T')));
    expect(alarms).toHaveLength(4);
    const byName = Object.fromEntries(Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => [a.Properties.AlarmName, a.Properties]));
    expect(Object.keys(byName).sort()).toEqual(['ArchiveDeliveryFailed', 'ArchiveDeliveryStale', 'ArchiveIntakeStopped', 'LoggingStopped'].map(n => `eks-audit.lab.${n}`));
    expect(byName['eks-audit.lab.LoggingStopped']).toMatchObject({ EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: 'breaching', Threshold: 1 });
    expect(byName['eks-audit.lab.ArchiveDeliveryStale']).toMatchObject({ EvaluationPeriods: 1, Threshold: 600, TreatMissingData: 'notBreaching' });
    for (const a of Object.values(byName) as any[]) {
      expect(a.AlarmActions).toHaveLength(1);
      expect(a.OKActions).toHaveLength(1);
    }
  });
});
