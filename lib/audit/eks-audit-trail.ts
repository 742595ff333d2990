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
  /** CloudWatch Logs filter pattern over the EKS audit JSON (at most 1024 characters, the PutMetricFilter limit). */
  readonly pattern: string;
  /** Events in 5 minutes that raise the alarm. */
  readonly threshold: number;
  /** What the alarm means. */
  readonly description: string;
}

/**
 * Identities whose Secret reads are expected: the nodes (the kubelet reads the Secrets of its pods), the control plane
 * (controller manager, scheduler, the API server's loopback client, the controllers' ServiceAccounts in kube-system) and
 * EKS's own components (`eks:*`). Trailing `*` is a CloudWatch Logs wildcard. Workload ServiceAccounts
 * (`system:serviceaccount:<namespace>:<name>` outside kube-system), humans and anonymous are not exempt.
 */
export const SECRETS_READ_EXEMPT_USERS: string[] = [
  'system:node:*',
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
  'system:serviceaccount:kube-system:*',
  'eks:*',
];

/**
 * Request URIs (prefixes, with their query strings) that anonymous clients may read by design: health and version
 * (`system:public-info-viewer`, bound to `system:unauthenticated`) and ServiceAccount issuer discovery (OIDC
 * configuration and JWKS, public documents when `system:service-account-issuer-discovery` is bound to anonymous).
 */
export const ANONYMOUS_PUBLIC_URIS: string[] = [
  '/livez*',
  '/readyz*',
  '/healthz*',
  '/version*',
  '/.well-known/openid-configuration*',
  '/openid/v1/jwks*',
];

// The patterns are built with aws-cdk-lib's FilterPattern helpers, so their syntax is the one CloudWatch Logs
// documents for JSON events: `{ $.field = "value" }`, `!=`, numeric `<`, a trailing `*` wildcard (also after `!=`),
// `$.field = "*"` for "the field has a value", `(...) && (...)`, `(...) || (...)`.
function oneOf(field: string, values: string[]): logs.JsonPattern {
  return logs.FilterPattern.any(...values.map(v => logs.FilterPattern.stringValue(field, '=', v)));
}
function noneOf(field: string, values: string[]): logs.JsonPattern[] {
  return values.map(v => logs.FilterPattern.stringValue(field, '!=', v));
}

/** Factories of the default alarms, for variants (e.g. exempting a secrets operator). */
export class AuditAlarms {
  /**
   * Secrets read (get/list/watch, allowed or denied) by anyone but `SECRETS_READ_EXEMPT_USERS`: a workload's
   * ServiceAccount (a stolen pod token), a human, an external client or anonymous.
   * @param additionalExemptUsers usernames that legitimately read Secrets (e.g.
   *   `system:serviceaccount:external-secrets:external-secrets`; trailing `*` wildcard)
   */
  public static secretsReadByWorkloadOrHuman(additionalExemptUsers: string[] = []): AuditAlarmSpec {
    return {
      name: 'SecretsReadByWorkloadOrHuman',
      pattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.objectRef.resource', '=', 'secrets'),
        oneOf('$.verb', ['get', 'list', 'watch']),
        ...noneOf('$.user.username', [...SECRETS_READ_EXEMPT_USERS, ...additionalExemptUsers]),
      ).logPatternString,
      threshold: 1,
      description: 'Secrets were read (get/list/watch, allowed or denied) by an identity other than the nodes, the control plane '
        + 'and EKS: a workload ServiceAccount (e.g. a stolen pod token), a human or an external client.',
    };
  }

  /** exec/attach into a pod, or an ephemeral container added to it (`kubectl debug`): a process started in the pod. */
  public static podExec(): AuditAlarmSpec {
    return {
      name: 'PodExec',
      pattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.objectRef.resource', '=', 'pods'),
        logs.FilterPattern.any(
          oneOf('$.objectRef.subresource', ['exec', 'attach']),
          logs.FilterPattern.all(
            logs.FilterPattern.stringValue('$.objectRef.subresource', '=', 'ephemeralcontainers'),
            oneOf('$.verb', ['update', 'patch']),
          ),
        ),
      ).logPatternString,
      threshold: 1,
      description: 'Someone started a process in a pod: exec or attach, or an ephemeral container added with kubectl debug '
        + '(pods/ephemeralcontainers update/patch).',
    };
  }

  /** Port-forward into a pod: a tunnel from the client to the pod's ports, around Services and NetworkPolicies. */
  public static podPortForward(): AuditAlarmSpec {
    return {
      name: 'PodPortForward',
      pattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.objectRef.resource', '=', 'pods'),
        logs.FilterPattern.stringValue('$.objectRef.subresource', '=', 'portforward'),
      ).logPatternString,
      threshold: 1,
      description: 'Someone port-forwarded into a pod (pods/portforward): a direct tunnel to its ports.',
    };
  }

  /**
   * Anonymous requests that passed authorization (any `responseStatus.code` other than 401 and 403, so also a 404 on a
   * missing Secret or a 409/422 on a rejected create), other than `ANONYMOUS_PUBLIC_URIS`. Denied anonymous requests
   * (403) count in ForbiddenBurst; events without a response status (RequestReceived stage) do not match.
   */
  public static anonymousRequest(): AuditAlarmSpec {
    return {
      name: 'AnonymousRequest',
      pattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.user.username', '=', 'system:anonymous'),
        logs.FilterPattern.numberValue('$.responseStatus.code', '>', 0),
        logs.FilterPattern.numberValue('$.responseStatus.code', '!=', 401),
        logs.FilterPattern.numberValue('$.responseStatus.code', '!=', 403),
        ...noneOf('$.requestURI', ANONYMOUS_PUBLIC_URIS),
      ).logPatternString,
      threshold: 1,
      description: 'An anonymous request passed authorization (status other than 401/403) outside the public health, version '
        + 'and issuer-discovery URIs: anonymous has been granted access it should not have.',
    };
  }
}

/**
 * The default anomaly alarms: Secrets read by workloads or humans, exec/debug and port-forward into pods, RBAC
 * changes, 403 bursts, anonymous requests served, impersonated requests.
 */
export const DEFAULT_AUDIT_ALARMS: AuditAlarmSpec[] = [
  AuditAlarms.secretsReadByWorkloadOrHuman(),
  AuditAlarms.podExec(),
  AuditAlarms.podPortForward(),
  {
    name: 'RbacChange',
    pattern: logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.objectRef.apiGroup', '=', 'rbac.authorization.k8s.io'),
      oneOf('$.verb', ['create', 'update', 'patch', 'delete', 'deletecollection']),
    ).logPatternString,
    threshold: 1,
    description: 'RBAC roles or bindings changed (create, update, patch, delete, deletecollection).',
  },
  {
    name: 'ForbiddenBurst',
    pattern: '{ $.responseStatus.code = 403 }',
    threshold: 20,
    description: 'A burst of 403 Forbidden responses (permission probing).',
  },
  AuditAlarms.anonymousRequest(),
  {
    // The audit policy cannot single out impersonation (it is evaluated with the impersonator's identity, see
    // AuditPolicy); the event carries `impersonatedUser`, which this filter matches. `$.field = "*"` is the
    // "field has a value" idiom of CloudWatch Logs JSON filters (AWS: `{ $.latency = * }`), exactly what
    // `FilterPattern.exists` writes; there is no `IS NOT NULL` (only `IS NULL` and `NOT EXISTS`). `username` is always
    // set on impersonation (impersonating groups or extra fields without a user is rejected).
    name: 'ImpersonatedRequest',
    pattern: logs.FilterPattern.exists('$.impersonatedUser.username').logPatternString,
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
   * Covers the anomalies of the threat model: Secret reads by workloads or humans, exec/debug and port-forward into pods,
   * RBAC changes, 403 bursts, anonymous requests served, impersonated requests. For variants, build specs with
   * `AuditAlarms` (e.g. `AuditAlarms.secretsReadByWorkloadOrHuman([operatorServiceAccount])`).
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

  /** Creates the audit log archive, subscription and alarms for the cluster given in props. */
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
        // CloudWatch Logs delivers every subscription record to Firehose already gzip-compressed (a gzipped JSON
        // envelope: messageType, logGroup, logStream, logEvents[id, timestamp, message]). GZIP here would compress
        // those gzip members a second time. UNCOMPRESSED stores the records byte for byte as CloudWatch Logs sent
        // them: each object is a multi-member gzip file (RFC 1952), read with `zcat`/`gunzip -c` into concatenated
        // JSON envelopes (`jq -c '.logEvents[].message'`). Firehose's Decompression (+ CloudWatchLogProcessing)
        // processors would instead rewrite the records (extra per-GB charge, message extraction drops the envelope's
        // log stream and event ids) — an archive for non-repudiation keeps the original records.
        compression: firehose.Compression.UNCOMPRESSED,
        fileExtension: '.gz',
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
          'use e.g. "SecretsReadByWorkloadOrHuman".');
      }
      if (typeof spec.pattern !== 'string' || spec.pattern.length > 1024) {
        fail(this, 'apiserver-audit-logging', `props.alarms[${i}].pattern`, spec.pattern, 'must be a CloudWatch Logs filter pattern of at most 1024 characters (the PutMetricFilter limit).',
          'split the alarm in two, or shorten the exemption lists.');
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
