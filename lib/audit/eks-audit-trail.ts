import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { fail } from '../policy/construct-check';

/** EKS control-plane log types the trail needs (pass to the cluster's `clusterLogging`). */
export const EKS_AUDIT_LOG_TYPES = ['api', 'audit', 'authenticator'];

/** An anomaly the trail alarms on. */
export interface AuditAlarmSpec {
  /** Metric and alarm name suffix. */
  readonly name: string;
  /** CloudWatch Logs filter pattern over the EKS audit JSON. */
  readonly pattern: string;
  /** Events in 5 minutes that raise the alarm. */
  readonly threshold: number;
  /** What the alarm means. */
  readonly description: string;
}

/** The default anomaly alarms (secrets reads by non-system users, exec, RBAC changes, 403 bursts, anonymous and impersonated requests). */
export const DEFAULT_AUDIT_ALARMS: AuditAlarmSpec[] = [
  {
    name: 'SecretsReadByNonSystemUser',
    pattern: '{ ($.objectRef.resource = "secrets") && (($.verb = "get") || ($.verb = "list") || ($.verb = "watch")) && ($.user.username != "system:*") && ($.user.username != "eks:*") }',
    threshold: 1,
    description: 'A human or non-system identity read Secrets.',
  },
  {
    name: 'PodExec',
    pattern: '{ ($.objectRef.resource = "pods") && (($.objectRef.subresource = "exec") || ($.objectRef.subresource = "attach")) }',
    threshold: 1,
    description: 'Someone opened a shell (exec/attach) in a pod.',
  },
  {
    name: 'RbacChange',
    pattern: '{ ($.objectRef.apiGroup = "rbac.authorization.k8s.io") && (($.verb = "create") || ($.verb = "update") || ($.verb = "patch") || ($.verb = "delete")) }',
    threshold: 1,
    description: 'RBAC roles or bindings changed.',
  },
  {
    name: 'ForbiddenBurst',
    pattern: '{ $.responseStatus.code = 403 }',
    threshold: 20,
    description: 'A burst of 403 Forbidden responses (permission probing).',
  },
  {
    name: 'AnonymousRequest',
    pattern: '{ ($.user.username = "system:anonymous") && ($.responseStatus.code != 401) }',
    threshold: 1,
    description: 'An anonymous request was served.',
  },
  {
    // The audit policy cannot single out impersonation (it is evaluated with the impersonator's identity, see
    // AuditPolicy); the event carries `impersonatedUser`, which this filter matches (`= "*"`: the field exists).
    name: 'ImpersonatedRequest',
    pattern: '{ $.impersonatedUser.username = "*" }',
    threshold: 1,
    description: 'A request was made on behalf of another identity (impersonation: kubectl --as, Impersonate-User headers); user is the impersonator, impersonatedUser the identity acted as.',
  },
];

/** Props of an EksAuditTrail. */
export interface EksAuditTrailProps {
  /** Fixed name of the EKS cluster (the log group is `/aws/eks/<name>/cluster` and must exist before the cluster). */
  readonly clusterName: string;
  /**
   * Retention of the CloudWatch log group.
   * @default logs.RetentionDays.ONE_YEAR — investigations need months of history
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Object Lock COMPLIANCE retention of the archive, in days: no one, root included, can delete or overwrite an archived
   * event before it expires.
   * @default 365
   */
  readonly archiveRetentionDays?: number;
  /**
   * KMS key for the log group, archive, Firehose and alarm topic. With a key you pass, the trail only adds the CloudWatch
   * alarms statement (conditioned on aws:SourceAccount and aws:SourceArn) when the key's policy is modifiable: grant
   * CloudWatch Logs (`logs.<region>.amazonaws.com`, encryption context of the log group) and, for an imported key, the
   * alarms statement in the key's own policy.
   * @default - a new customer-managed key with rotation, RETAIN
   */
  readonly key?: kms.IKey;
  /**
   * Anomaly alarms.
   * Covers the anomalies of the threat model: secret reads, exec, RBAC changes, 403 bursts, anonymous and impersonated requests.
   * @default DEFAULT_AUDIT_ALARMS
   */
  readonly alarms?: AuditAlarmSpec[];
}

/**
 * A tamper-resistant EKS audit trail: a pre-created KMS-encrypted log group for the control-plane logs (retention,
 * RETAIN), a WORM archive (subscription filter -> Firehose -> S3 with Object Lock COMPLIANCE, versioning, TLS only,
 * public access blocked, SSE-KMS, access logging) and metric filters with alarms for the anomalies that matter.
 * Enable `EKS_AUDIT_LOG_TYPES` on the cluster and make the cluster depend on `logGroup`.
 */
export class EksAuditTrail extends Construct {
  /** `/aws/eks/<clusterName>/cluster`. */
  public readonly logGroup: logs.LogGroup;
  /** The WORM archive bucket. */
  public readonly archive: s3.Bucket;
  /** The key encrypting everything. */
  public readonly key: kms.IKey;
  /** The alarm topic. */
  public readonly alarmTopic: sns.Topic;
  /** The alarms, by name. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /**
   * ARN pattern of this trail's alarms (named `eks-audit.<clusterName>.<alarm name>`): the only alarms the topic and key
   * policies let CloudWatch publish for.
   */
  public readonly alarmArnPattern: string;

  constructor(scope: Construct, id: string, props: EksAuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (Token.isUnresolved(props.clusterName) || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
      fail(this, 'apiserver-audit-logging', 'props.clusterName', props.clusterName, 'must be a fixed EKS cluster name: the log group must exist, encrypted, before the cluster writes to it.',
        'pass the literal cluster name and set the same name on the cluster.');
    }
    const archiveDays = props.archiveRetentionDays ?? 365;
    if (!Number.isInteger(archiveDays) || archiveDays < 1) {
      fail(this, 'apiserver-audit-logging', 'props.archiveRetentionDays', archiveDays, 'must be a positive integer.', 'use e.g. 365.');
    }
    const logGroupName = `/aws/eks/${props.clusterName}/cluster`;

    if (props.key) {
      this.key = props.key;
    } else {
      const key = new kms.Key(this, 'Key', {
        description: `Audit trail of EKS cluster ${props.clusterName}`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
        pendingWindow: Duration.days(30),
      });
      // CloudWatch Logs encrypts only this cluster's log group with the key.
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForTheAuditLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
      }));
      this.key = key;
    }

    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName,
      encryptionKey: this.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new s3.Bucket(this, 'ArchiveAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // S3 server access logging does not support SSE-KMS targets
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.archive = new s3.Bucket(this, 'Archive', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(archiveDays)),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const stream = new firehose.DeliveryStream(this, 'ArchiveStream', {
      destination: new firehose.S3Bucket(this.archive, {
        dataOutputPrefix: 'eks-audit/!{timestamp:yyyy/MM/dd}/',
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
        encryptionKey: this.key,
        bufferingInterval: Duration.seconds(300),
        compression: firehose.Compression.GZIP,
      }),
      encryption: firehose.StreamEncryption.customerManagedKey(this.key),
    });

    // The Firehose roles come from aws-cdk-lib grants scoped to this bucket and key; the action wildcards are the
    // grant's standard sets (e.g. s3:GetObject* for multipart writes) and the object wildcard is the archive's keys.
    for (const id of ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]', 'AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:List*]', `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.archive.node.defaultChild as any)}.Arn>/*]`]) {
      Validations.of(stream).acknowledge({ id, reason: 'Firehose writes only to the audit archive bucket with its KMS key: aws-cdk-lib grant action sets on that one bucket (objects are WORM-locked, deletes cannot remove them) and that one key.' });
    }

    new logs.SubscriptionFilter(this, 'ToArchive', {
      logGroup: this.logGroup,
      destination: new destinations.FirehoseDestination(stream),
      filterPattern: logs.FilterPattern.allEvents(),
    });

    this.alarmTopic = new sns.Topic(this, 'Alarms', { masterKey: this.key, enforceSSL: true, displayName: `EKS ${props.clusterName} audit anomalies` });
    // Only this trail's alarms, in this account and region, may publish (confused-deputy protection): the topic policy
    // and the key policy both condition the CloudWatch service principal on aws:SourceAccount and aws:SourceArn.
    // (`topic.grantPublish(servicePrincipal)` would add unconditioned statements to both.)
    const alarmNamePrefix = `eks-audit.${props.clusterName}.`;
    this.alarmArnPattern = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${alarmNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const fromTheseAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': this.alarmArnPattern },
    };
    this.alarmTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheAuditAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.alarmTopic.topicArn],
      conditions: fromTheseAlarms,
    }));
    // A key passed in without a modifiable policy (imported) is left alone: its owner adds the same statement.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheAuditAlarmsToPublishEncrypted',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromTheseAlarms,
    }), true);

    for (const [i, spec] of (props.alarms ?? DEFAULT_AUDIT_ALARMS).entries()) {
      if (typeof spec.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(spec.name)) {
        fail(this, 'apiserver-audit-logging', `props.alarms[${i}].name`, spec.name, 'must be 1-100 letters, digits, "-" or "_": it names the metric and the alarm.',
          'use e.g. "SecretsReadByNonSystemUser".');
      }
      const metric = new logs.MetricFilter(this, `${spec.name}Filter`, {
        logGroup: this.logGroup,
        metricNamespace: `EKS/Audit/${props.clusterName}`,
        metricName: spec.name,
        filterPattern: logs.FilterPattern.literal(spec.pattern),
        metricValue: '1',
        defaultValue: 0,
      }).metric({ statistic: 'Sum', period: Duration.minutes(5) });
      const alarm = new cloudwatch.Alarm(this, `${spec.name}Alarm`, {
        alarmName: `${alarmNamePrefix}${spec.name}`,
        metric,
        threshold: spec.threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: spec.description,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
      this.alarms.push(alarm);
    }
  }
}
