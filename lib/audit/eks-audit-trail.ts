import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { fail } from '../policy/construct-check';
import { keyPolicy, logsStatement, useThroughServicesStatement } from '../secrets/private/key-policy';
import { ruleNamePrefix, tamperRuleSpecs } from './tamper-rules';

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

/** Object Lock mode of the audit archive. */
export enum ArchiveLockMode {
  /** No one, the account root included, can delete or overwrite a locked version or shorten its retention. */
  COMPLIANCE = 'COMPLIANCE',
  /**
   * Principals with `s3:BypassGovernanceRetention` can delete locked versions: for sandboxes and tests only, and only
   * with `weakerArchiveLockReason`.
   */
  GOVERNANCE = 'GOVERNANCE',
}

/**
 * Shortest Object Lock retention accepted without `weakerArchiveLockReason`: 365 days, the twelve months of audit log
 * history PCI DSS v4.0 requirement 10.5.1 asks for (three of them immediately available: the log group's retention).
 */
export const MIN_ARCHIVE_RETENTION_DAYS = 365;

/** Props of an EksAuditTrail. */
export interface EksAuditTrailProps {
  /** Fixed name of the EKS cluster (the control-plane log group is `/aws/eks/<name>/cluster`). */
  readonly clusterName: string;
  /**
   * The cluster's existing control-plane log group `/aws/eks/<clusterName>/cluster`, for a cluster that already has
   * control-plane logging enabled (`logs.LogGroup.fromLogGroupName(this, 'Logs', '/aws/eks/<name>/cluster')`):
   * CloudFormation cannot create a log group that exists. The trail only reads it (subscription and metric filters);
   * its encryption and retention stay as they are: associate the trail's key (`aws logs associate-kms-key`) and set a
   * retention (`aws logs put-retention-policy`) yourself. A log group has at most two subscription filters.
   * @default - a new log group `/aws/eks/<clusterName>/cluster`, KMS-encrypted, `logRetention`, RETAIN, which must
   *            exist before the cluster (make the cluster depend on `logGroup`), or EKS creates an unencrypted one
   *            without retention
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * Retention of the control-plane log group the trail creates (ignored with `logGroup`) and of the Firehose error
   * log group.
   * @default logs.RetentionDays.ONE_YEAR — investigations need months of searchable history
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Object Lock retention of the archive, in days: until it expires, no archived event can be deleted or overwritten
   * (in COMPLIANCE mode by no one, the account root included). Under `MIN_ARCHIVE_RETENTION_DAYS` only with
   * `weakerArchiveLockReason`.
   * @default 365 — twelve months of tamper-proof history (PCI DSS 10.5.1); every object stays undeletable for that long
   */
  readonly archiveRetentionDays?: number;
  /**
   * Object Lock mode of the archive. GOVERNANCE only with `weakerArchiveLockReason`.
   * @default ArchiveLockMode.COMPLIANCE — an attacker with administrator (or root) credentials cannot erase their tracks
   */
  readonly archiveLockMode?: ArchiveLockMode;
  /**
   * The explicit opt-in to a weaker archive lock: GOVERNANCE mode or a retention under `MIN_ARCHIVE_RETENTION_DAYS`,
   * e.g. `'sandbox account: test data, deleted after the test'`. Say why; the reason is kept in the construct's metadata.
   * @default - none: GOVERNANCE mode and a retention under 365 days are rejected at construct time
   */
  readonly weakerArchiveLockReason?: string;
  /**
   * Days after which archived objects move to `archiveStorageClass`. Equal to or above the expiration: no transition.
   * @default 90 — the log group keeps recent events searchable; older archive objects are read rarely
   */
  readonly archiveTransitionAfterDays?: number;
  /**
   * Storage class archived objects move to after `archiveTransitionAfterDays` (objects under 128 KB stay in S3
   * Standard, the S3 lifecycle default).
   * @default s3.StorageClass.GLACIER_INSTANT_RETRIEVAL — millisecond reads during an investigation, at archive prices
   */
  readonly archiveStorageClass?: s3.StorageClass;
  /**
   * Days after which archived objects expire (current versions get a delete marker, noncurrent versions are removed a
   * day later). At least `archiveRetentionDays`: Object Lock refuses earlier deletes anyway.
   * @default archiveRetentionDays — the archive does not grow forever; nothing is kept longer than its retention
   */
  readonly archiveExpirationDays?: number;
  /**
   * KMS key of the audit record: the control-plane and Firehose error log groups, the delivery stream and the archive.
   * It never encrypts the alarm topic (see `alarmKey`): disabling it stops the record, and the alarms still go out.
   * With a key you pass, the trail only adds its statements (CloudWatch Logs for its log groups, use through S3 and
   * Firehose) when the key's policy is modifiable: for an imported key, add them to the key's own policy.
   * @default - a new customer-managed key with rotation, RETAIN, a 30-day pending window and a key policy that
   *            separates administrators (no use, no deletion) from users (CloudWatch Logs for the trail's log groups,
   *            S3 and Firehose for this account)
   */
  readonly key?: kms.IKey;
  /**
   * KMS key of the alarm topic (notifications only). Must not be `key`: one key disabled would stop both the record and
   * the alarm that says so.
   * @default - a new customer-managed key (rotation, RETAIN) that only CloudWatch (this trail's alarms) and EventBridge
   *            (this trail's tamper rules) may use, besides SNS for this account
   */
  readonly alarmKey?: kms.IKey;
  /**
   * Additional administrators of the keys the trail creates (e.g. the security team's role): manage, never use, never
   * schedule deletion. The account root is always an administrator (delegating to IAM).
   * @default - the account root only
   */
  readonly keyAdmins?: iam.IPrincipal[];
  /**
   * ARN of a bucket in another account (a log-archive account) that receives a replica of every archived object
   * (S3 replication with bucket-owner override: the replicas belong to that account). An administrator of this account
   * then cannot touch the copy. That bucket needs versioning (and Object Lock for a WORM copy), a bucket policy that lets
   * this trail's replication role replicate into it, and `archiveReplicaKeyArn`'s policy must let the role encrypt.
   * @default - no replica: integrity comes from Object Lock in this account (the cdk-nag replication findings are
   *            acknowledged with that reason)
   */
  readonly archiveReplicaBucketArn?: string;
  /**
   * KMS key (in the replica's account) that encrypts the replicas. Required with `archiveReplicaBucketArn`.
   * @default - none
   */
  readonly archiveReplicaKeyArn?: string;
  /**
   * Turn off the tamper alarms (EventBridge rules on CloudTrail management events: KMS DisableKey, ScheduleKeyDeletion,
   * PutKeyPolicy; CloudTrail StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors; EKS UpdateClusterConfig that
   * turns control-plane logging off), e.g. `'organization trail alarms on these centrally (ticket SEC-42)'`. Kept in
   * the construct's metadata.
   * @default - none: the tamper alarms are on
   */
  readonly tamperAlarmsDisabledReason?: string;
  /**
   * Anomaly alarms.
   * Covers the anomalies of the threat model: Secret reads by workloads or humans, exec/debug and port-forward into pods,
   * RBAC changes, 403 bursts, anonymous requests served, impersonated requests. For variants, build specs with
   * `AuditAlarms` (e.g. `AuditAlarms.secretsReadByWorkloadOrHuman([operatorServiceAccount])`).
   * @default DEFAULT_AUDIT_ALARMS
   */
  readonly alarms?: AuditAlarmSpec[];
  /**
   * An existing SNS topic the alarms publish to. Its policy (and its key's policy, if encrypted) must let
   * `cloudwatch.amazonaws.com` publish for `alarmArnPattern`; the trail adds that statement only to a topic of this app.
   * @default - a new topic encrypted with the alarm key, that only this trail's alarms and tamper rules may publish to
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Email addresses subscribed to the alarm topic (each confirms the subscription from its mailbox).
   * @default - none: an alarm nobody receives protects nothing; subscribe someone here or out of band
   */
  readonly alarmEmails?: string[];
  /**
   * HTTPS endpoints (an on-call or chat webhook) subscribed to the alarm topic. `https://` only, without credentials in
   * the URL (they would be written to the template).
   * @default - none
   */
  readonly alarmHttpsEndpoints?: string[];
  /**
   * How long without control-plane log events (or without records reaching Firehose) before the "logging stopped"
   * alarms fire (whole multiples of 5 minutes).
   * @default Duration.minutes(15) — short enough to catch an attacker disabling logging, long enough to ride out a
   *          delayed delivery
   */
  readonly loggingStoppedAfter?: Duration;
  /**
   * Age of the oldest record not yet delivered to S3 (Firehose `DeliveryToS3.DataFreshness`) that raises the
   * delivery-stale alarm.
   * @default Duration.minutes(15) — three buffering intervals (300 s): records normally leave within one
   */
  readonly archiveStaleAfter?: Duration;
}

/**
 * A tamper-resistant EKS audit trail: a KMS-encrypted control-plane log group (created, or the existing one), a WORM
 * archive (subscription filter -> Firehose -> S3 with Object Lock, versioning, TLS only, public access blocked,
 * SSE-KMS, access logging, lifecycle), metric filters with alarms for the anomalies that matter, and health alarms
 * for the trail itself (logging stopped, archive intake stopped, delivery failed or stale).
 * Enable `EKS_AUDIT_LOG_TYPES` on the cluster and make the cluster depend on `logGroup`.
 */
export class EksAuditTrail extends Construct {
  /** `/aws/eks/<clusterName>/cluster` (created, or the one passed in). */
  public readonly logGroup: logs.ILogGroup;
  /** Firehose's error log group (KMS-encrypted). */
  public readonly firehoseErrorLogGroup: logs.LogGroup;
  /** The WORM archive bucket. */
  public readonly archive: s3.Bucket;
  /** The Firehose delivery stream that feeds the archive. */
  public readonly deliveryStream: firehose.DeliveryStream;
  /** The key of the audit record (log groups, delivery stream, archive). */
  public readonly key: kms.IKey;
  /** The key of the alarm topic (never `key`). @default - undefined when an existing `alarmTopic` was passed */
  public readonly alarmKey?: kms.IKey;
  /** The S3 server access log bucket of the archive (bucket policy, no ACLs, versioning that cannot be suspended, no deletes). */
  public readonly accessLogBucket: s3.Bucket;
  /** Firehose's role (trusted for this delivery stream only; denied retention changes and deletes on the archive). */
  public readonly deliveryStreamRole: iam.Role;
  /** The tamper alarms (EventBridge rules to the alarm topic), empty with `tamperAlarmsDisabledReason`. */
  public readonly tamperRules: events.Rule[] = [];
  /** ARN pattern of this trail's tamper rules (`eks-audit.<clusterName>.*`): the only rules the topic admits. */
  public readonly tamperRuleArnPattern: string;
  /** The alarm topic. */
  public readonly alarmTopic: sns.ITopic;
  /** The anomaly alarms, in the order of `alarms`. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /**
   * The trail's own health alarms: LoggingStopped (no control-plane log events), ArchiveIntakeStopped (no records
   * into Firehose), ArchiveDeliveryFailed, ArchiveDeliveryStale.
   */
  public readonly healthAlarms: cloudwatch.Alarm[] = [];
  /**
   * ARN pattern of this trail's alarms (named `eks-audit.<clusterName>.<alarm name>`): the only alarms the topic and key
   * policies let CloudWatch publish for.
   */
  public readonly alarmArnPattern: string;

  /** Creates the audit log archive, subscription and alarms for the cluster given in props. */
  constructor(scope: Construct, id: string, props: EksAuditTrailProps) {
    super(scope, id);
    // S3 server access logs are delivered under a bucket policy (logging.s3.amazonaws.com, conditioned on the archive
    // and this account), never through the LogDeliveryWrite ACL, whatever the app's feature flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    // Validate first (the first bad prop is reported), then render; the anomaly alarms are checked as they are created.
    const s = validateTrailProps(this, props);
    if (s.weakerArchiveLockReason !== undefined) this.node.addMetadata('cdk8s-hardened:weakerArchiveLockReason', s.weakerArchiveLockReason);
    const alarming = renderKeysAndTopic(this, props, s);
    this.key = alarming.key;
    this.alarmArnPattern = alarming.alarmArnPattern;
    this.tamperRuleArnPattern = alarming.tamperRuleArnPattern;
    this.alarmKey = alarming.alarmKey;
    this.alarmTopic = alarming.alarmTopic;
    const logGroups = renderLogGroups(this, props, s, this.key);
    this.logGroup = logGroups.logGroup;
    this.firehoseErrorLogGroup = logGroups.firehoseErrorLogGroup;
    const archive = renderArchive(this, props, s, this.key);
    this.accessLogBucket = archive.accessLogBucket;
    this.archive = archive.archive;
    const delivery = renderDeliveryStream(this, s, this.archive, this.key, this.firehoseErrorLogGroup);
    this.deliveryStreamRole = delivery.role;
    this.deliveryStream = delivery.stream;
    renderSubscription(this, props, s, { logGroup: this.logGroup, stream: this.deliveryStream, streamRole: this.deliveryStreamRole, archive: archive.archive,
      accessLogBucket: archive.accessLogBucket });
    const notify = renderTopicSubscriptions(this, props, this.alarmTopic);
    this.alarms.push(...renderAnomalyAlarms(this, props, s, this.logGroup, notify));
    this.healthAlarms.push(...renderHealthAlarms(this, s, this.logGroup, this.deliveryStream, notify));
    if (s.tamperAlarmsDisabledReason !== undefined) {
      this.node.addMetadata('cdk8s-hardened:tamperAlarmsDisabledReason', s.tamperAlarmsDisabledReason);
      return;
    }
    this.tamperRules.push(...renderTamperRules(this, s, this.alarmTopic, [this.archive.bucketName, this.accessLogBucket.bucketName]));
  }
}

/** EksAuditTrail props, validated, with their defaults filled in, and the names derived from the cluster's. @internal */
export interface TrailSettings {
  readonly clusterName: string;
  /** `/aws/eks/<clusterName>/cluster`. */
  readonly logGroupName: string;
  readonly firehoseLogGroupName: string;
  readonly deliveryStreamName: string;
  readonly deliveryStreamArn: string;
  /** `eks-audit.<clusterName>.` */
  readonly alarmNamePrefix: string;
  /** Prefix of the tamper rules' names (shortened with a hash for long cluster names). */
  readonly ruleNamePrefix: string;
  readonly archiveDays: number;
  readonly lockMode: ArchiveLockMode;
  readonly weakerArchiveLockReason?: string;
  readonly expirationDays: number;
  readonly transitionDays: number;
  /** Minutes without log events before the "logging stopped" alarms fire. */
  readonly stoppedAfterMinutes: number;
  /** Seconds of delivery delay that raise the delivery-stale alarm. */
  readonly staleAfterSeconds: number;
  readonly tamperAlarmsDisabledReason?: string;
  /** Account of the replica key (the log-archive account), with archiveReplicaKeyArn. */
  readonly replicaAccount?: string;
}

/**
 * Validate the props of an EksAuditTrail in a fixed order (cluster and log group, archive lock and lifecycle, alarm
 * timing and endpoints, tamper reason, replica, keys) and fill in the defaults. Throws a HardeningError
 * (apiserver-audit-logging) for the first bad prop; creates nothing. The anomaly alarm specs are checked by
 * {@link renderAnomalyAlarms}, each as its alarm is created. @internal
 */
export function validateTrailProps(scope: Construct, props: EksAuditTrailProps): TrailSettings {
  const bad = trailError(scope);
  if (Token.isUnresolved(props.clusterName) || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
    bad('props.clusterName', props.clusterName, 'must be a fixed EKS cluster name: the log group must exist, encrypted, before the cluster writes to it.',
      'pass the literal cluster name and set the same name on the cluster.');
  }
  const logGroupName = `/aws/eks/${props.clusterName}/cluster`;
  if (props.logGroup && !Token.isUnresolved(props.logGroup.logGroupName) && props.logGroup.logGroupName !== logGroupName) {
    bad('props.logGroup', props.logGroup.logGroupName, `is not the control-plane log group of ${props.clusterName}: EKS writes to ${logGroupName}.`,
      `pass logs.LogGroup.fromLogGroupName(this, 'Logs', '${logGroupName}').`);
  }
  const archive = checkArchiveLifecycle(scope, props);
  const timing = checkAlarmTiming(scope, props);
  checkAlarmEndpoints(scope, props);
  const tamperReason = props.tamperAlarmsDisabledReason;
  if (tamperReason !== undefined && (typeof tamperReason !== 'string' || tamperReason.trim() === '')) {
    bad('props.tamperAlarmsDisabledReason', tamperReason, 'must say why the tamper alarms are off.', 'e.g. "organization trail alarms on these centrally (ticket SEC-42)".');
  }
  const replicaAccount = checkReplicaAndKeys(scope, props);
  const deliveryStreamName = `eks-audit-${props.clusterName}`.slice(0, 64);
  return {
    clusterName: props.clusterName,
    logGroupName,
    firehoseLogGroupName: `/aws/kinesisfirehose/eks-audit-${props.clusterName}`,
    deliveryStreamName,
    deliveryStreamArn: Stack.of(scope).formatArn({ service: 'firehose', resource: 'deliverystream', resourceName: deliveryStreamName }),
    alarmNamePrefix: `eks-audit.${props.clusterName}.`,
    ruleNamePrefix: ruleNamePrefix(props.clusterName, TAMPER_RULE_NAMES),
    ...archive,
    ...timing,
    tamperAlarmsDisabledReason: tamperReason,
    replicaAccount,
  };
}

/** A HardeningError under apiserver-audit-logging. */
function trailError(scope: Construct): (field: string, value: unknown, message: string, fix: string) => never {
  return (field, value, message, fix) => fail(scope, 'apiserver-audit-logging', field, value, message, fix);
}

/** Archive lock and lifecycle: COMPLIANCE for 365 days unless a reason says otherwise; expiry after the lock. */
function checkArchiveLifecycle(scope: Construct, props: EksAuditTrailProps):
Pick<TrailSettings, 'archiveDays' | 'lockMode' | 'weakerArchiveLockReason' | 'expirationDays' | 'transitionDays'> {
  const bad = trailError(scope);
  const archiveDays = props.archiveRetentionDays ?? MIN_ARCHIVE_RETENTION_DAYS;
  const wholeDays = (field: string, v: unknown, min: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(field, v, `must be an integer of at least ${min}.`, 'use e.g. 365.');
  };
  wholeDays('props.archiveRetentionDays', archiveDays, 1);
  const lockMode = props.archiveLockMode ?? ArchiveLockMode.COMPLIANCE;
  if (!Object.values(ArchiveLockMode).includes(lockMode)) {
    bad('props.archiveLockMode', lockMode, 'must be COMPLIANCE or GOVERNANCE.', 'use ArchiveLockMode.COMPLIANCE.');
  }
  const reason = props.weakerArchiveLockReason;
  if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
    bad('props.weakerArchiveLockReason', reason, 'must say why the archive may be weaker.', 'e.g. "sandbox account: test data".');
  }
  if (lockMode === ArchiveLockMode.GOVERNANCE && reason === undefined) {
    bad('props.archiveLockMode', lockMode, 'lets anyone with s3:BypassGovernanceRetention delete archived audit events: an intruder with administrator credentials erases their tracks.',
      'keep ArchiveLockMode.COMPLIANCE; for a sandbox, opt in explicitly with weakerArchiveLockReason.');
  }
  if (archiveDays < MIN_ARCHIVE_RETENTION_DAYS && reason === undefined) {
    bad('props.archiveRetentionDays', archiveDays, `keeps archived audit events tamper-proof for less than ${MIN_ARCHIVE_RETENTION_DAYS} days (twelve months of history, PCI DSS 10.5.1).`,
      `use ${MIN_ARCHIVE_RETENTION_DAYS} or more; for a sandbox, opt in explicitly with weakerArchiveLockReason.`);
  }
  const expirationDays = props.archiveExpirationDays ?? archiveDays;
  wholeDays('props.archiveExpirationDays', expirationDays, archiveDays);
  const transitionDays = props.archiveTransitionAfterDays ?? 90;
  wholeDays('props.archiveTransitionAfterDays', transitionDays, 0);
  return { archiveDays, lockMode, weakerArchiveLockReason: reason, expirationDays, transitionDays };
}

/** How long silence (or a stale delivery) lasts before the health alarms fire. */
function checkAlarmTiming(scope: Construct, props: EksAuditTrailProps): Pick<TrailSettings, 'stoppedAfterMinutes' | 'staleAfterSeconds'> {
  const bad = trailError(scope);
  const stoppedAfter = (props.loggingStoppedAfter ?? Duration.minutes(15)).toMinutes({ integral: false });
  if (!Number.isInteger(stoppedAfter / 5) || stoppedAfter < 5 || stoppedAfter > 1440) {
    bad('props.loggingStoppedAfter', `${stoppedAfter} minutes`, 'must be a whole multiple of 5 minutes, at most one day.', 'use Duration.minutes(15).');
  }
  const staleAfter = (props.archiveStaleAfter ?? Duration.minutes(15)).toSeconds({ integral: false });
  if (!(staleAfter >= 300)) {
    bad('props.archiveStaleAfter', `${staleAfter} seconds`, 'must be at least the 300-second buffering interval, or it fires on every delivery.', 'use Duration.minutes(15).');
  }
  return { stoppedAfterMinutes: stoppedAfter, staleAfterSeconds: staleAfter };
}

/** Email addresses and HTTPS endpoints (no credentials in the URL: they would be written to the template). */
function checkAlarmEndpoints(scope: Construct, props: EksAuditTrailProps): void {
  const bad = trailError(scope);
  for (const [i, email] of (props.alarmEmails ?? []).entries()) {
    if (typeof email !== 'string' || (!Token.isUnresolved(email) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
      bad(`props.alarmEmails[${i}]`, email, 'is not an email address.', 'use e.g. "security-oncall@example.com".');
    }
  }
  for (const [i, url] of (props.alarmHttpsEndpoints ?? []).entries()) {
    if (typeof url !== 'string' || (!Token.isUnresolved(url) && !/^https:\/\/[^\s/@:]+(:\d+)?(\/\S*)?$/.test(url))) {
      bad(`props.alarmHttpsEndpoints[${i}]`, url, 'must be an https:// URL without user or password (http would send alarms in clear text; credentials would be written to the template).',
        'use e.g. "https://oncall.example.com/hooks/eks-audit"; the receiver authenticates SNS by verifying the message signature (anything in the URL is written to the template).');
    }
  }
}

/** The replica (bucket and key of another account, together) and the two keys (never the same). Returns the replica account. */
function checkReplicaAndKeys(scope: Construct, props: EksAuditTrailProps): string | undefined {
  const bad = trailError(scope);
  const stack = Stack.of(scope);
  if ((props.archiveReplicaBucketArn === undefined) !== (props.archiveReplicaKeyArn === undefined)) {
    bad(props.archiveReplicaBucketArn === undefined ? 'props.archiveReplicaKeyArn' : 'props.archiveReplicaBucketArn',
      props.archiveReplicaBucketArn ?? props.archiveReplicaKeyArn, 'needs its counterpart: the replica bucket and the key that encrypts the replicas go together.',
      'set both archiveReplicaBucketArn and archiveReplicaKeyArn.');
  }
  if (props.archiveReplicaBucketArn !== undefined && !Token.isUnresolved(props.archiveReplicaBucketArn)
    && !/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.archiveReplicaBucketArn)) {
    bad('props.archiveReplicaBucketArn', props.archiveReplicaBucketArn, 'is not an S3 bucket ARN.', 'use e.g. "arn:aws:s3:::log-archive-eks-audit".');
  }
  const replicaAccount = props.archiveReplicaKeyArn === undefined
    ? undefined : stack.splitArn(props.archiveReplicaKeyArn, ArnFormat.SLASH_RESOURCE_NAME).account;
  if (replicaAccount !== undefined && !Token.isUnresolved(replicaAccount) && (replicaAccount === stack.account || !/^\d{12}$/.test(replicaAccount))) {
    bad('props.archiveReplicaKeyArn', props.archiveReplicaKeyArn, `must be a key of another account (the log-archive account), not ${replicaAccount}: a replica in this account is within reach of this account's administrators.`,
      'use the log-archive account\'s key, e.g. "arn:aws:kms:eu-west-1:444455556666:key/...".');
  }
  if (props.key && props.alarmKey && (props.key === props.alarmKey || (!Token.isUnresolved(props.key.keyArn) && props.key.keyArn === props.alarmKey.keyArn))) {
    bad('props.alarmKey', props.alarmKey.keyArn, 'is the audit key: one DisableKey would stop both the audit record and the alarm that reports it.',
      'leave alarmKey unset (a key of its own is created) or pass a different key.');
  }
  return replicaAccount;
}

/**
 * The audit key, the alarm key and the alarm topic, with the statements that let only this trail's alarms and tamper
 * rules publish. @internal
 */
export function renderKeysAndTopic(scope: Construct, props: EksAuditTrailProps, s: TrailSettings):
{ key: kms.IKey; alarmKey?: kms.IKey; alarmTopic: sns.ITopic; alarmArnPattern: string; tamperRuleArnPattern: string } {
  const stack = Stack.of(scope);
  const encryptedLogGroups = [...(props.logGroup ? [] : [s.logGroupName]), s.firehoseLogGroupName];
  const admins = props.keyAdmins ?? [];
  // Administrators manage the key but cannot use it or schedule its deletion; users are CloudWatch Logs (the trail's
  // log groups only) and this account's principals through S3 and Firehose only (the Firehose roles, investigators
  // reading the archive). Log group names are fixed: a reference would make the key depend on them and them on it.
  const key = props.key ?? new kms.Key(scope, 'Key', {
    description: `Audit trail of EKS cluster ${s.clusterName}: control-plane logs, delivery stream, WORM archive (cdk8s-hardened)`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: Duration.days(30),
    policy: keyPolicy(admins,
      useThroughServicesStatement(stack, 'UseThroughS3AndFirehoseInThisAccount', ['s3', 'firehose']),
      new iam.PolicyStatement({
        sid: 'FirehoseGrantsForAwsResources',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': `firehose.${stack.region}.amazonaws.com` },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      })),
  });
  // With a key passed in: the same Logs statement if its policy is modifiable (an imported key is left alone).
  key.addToResourcePolicy(logsStatement(stack, 'AllowCloudWatchLogsForTheAuditLogGroup', encryptedLogGroups), true);

  const alarmArnPattern = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${s.alarmNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const tamperRuleArnPattern = stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${s.ruleNamePrefix}*` });
  const alarmKey = props.alarmTopic ? undefined : props.alarmKey ?? new kms.Key(scope, 'AlarmKey', {
    description: `Alarm notifications of the EKS ${s.clusterName} audit trail (cdk8s-hardened)`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
    pendingWindow: Duration.days(30),
    policy: keyPolicy(admins, useThroughServicesStatement(stack, 'UseThroughSnsInThisAccount', ['sns'])),
  });
  const alarmTopic = props.alarmTopic ?? new sns.Topic(scope, 'Alarms', { masterKey: alarmKey, enforceSSL: true, displayName: `EKS ${s.clusterName} audit anomalies`.slice(0, 100) });
  allowPublishers(stack, alarmTopic, props.alarmTopic ? undefined : alarmKey, [
    ['cloudwatch.amazonaws.com', alarmArnPattern, 'Alarms'],
    ['events.amazonaws.com', tamperRuleArnPattern, 'TamperRules'],
  ]);
  return { key, alarmKey, alarmTopic, alarmArnPattern, tamperRuleArnPattern };
}

/**
 * Only this trail's alarms and tamper rules, in this account and region, may publish (confused-deputy protection): the
 * topic policy and the alarm key's policy condition each service principal on aws:SourceAccount and aws:SourceArn.
 * (`topic.grantPublish(servicePrincipal)` would add unconditioned statements to both.)
 */
function allowPublishers(stack: Stack, topic: sns.ITopic, alarmKey: kms.IKey | undefined, publishers: Array<[string, string, string]>): void {
  const from = (pattern: string) => ({ StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': pattern } });
  for (const [service, pattern, name] of publishers) {
    // An imported topic is left alone (addToResourcePolicy does nothing): its owner adds the same statement.
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowTheAudit${name}ToPublish`,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: from(pattern),
    }));
    if (alarmKey) {
      alarmKey.addToResourcePolicy(new iam.PolicyStatement({
        sid: `AllowTheAudit${name}ToPublishEncrypted`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: from(pattern),
      }), true);
    }
  }
}

/** The control-plane log group (created unless passed) and Firehose's error log group, both on the audit key. @internal */
export function renderLogGroups(scope: Construct, props: EksAuditTrailProps, s: TrailSettings, key: kms.IKey):
{ logGroup: logs.ILogGroup; firehoseErrorLogGroup: logs.LogGroup } {
  const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
  const logGroup = props.logGroup ?? new logs.LogGroup(scope, 'ControlPlaneLogs', {
    logGroupName: s.logGroupName,
    encryptionKey: key,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const firehoseErrorLogGroup = new logs.LogGroup(scope, 'ArchiveStreamErrors', {
    logGroupName: s.firehoseLogGroupName,
    encryptionKey: key,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { logGroup, firehoseErrorLogGroup };
}

/**
 * The WORM archive (Object Lock, versioning, SSE-KMS, lifecycle, replication when asked) and its access-log bucket,
 * both refusing deletes to every principal. Access logs go under a bucket policy: `scope` carries the context
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` (the constructor sets it). @internal
 */
export function renderArchive(scope: Construct, props: EksAuditTrailProps, s: TrailSettings, key: kms.IKey):
{ archive: s3.Bucket; accessLogBucket: s3.Bucket } {
  const stack = Stack.of(scope);
  const accessLogs = renderAccessLogBucket(scope, s);
  // Replication into the log-archive account: S3 of this account only (a reference to the archive in the trust policy
  // would be circular: the bucket names the role).
  const replicaBucket = props.archiveReplicaBucketArn
    ? s3.Bucket.fromBucketAttributes(scope, 'ArchiveReplica', { bucketArn: props.archiveReplicaBucketArn, account: s.replicaAccount }) : undefined;
  const replicaKey = props.archiveReplicaKeyArn ? kms.Key.fromKeyArn(scope, 'ArchiveReplicaKey', props.archiveReplicaKeyArn) : undefined;
  const replicationRole = replicaBucket ? new iam.Role(scope, 'ArchiveReplicationRole', {
    description: `Replication of the EKS ${s.clusterName} audit archive to the log-archive account (cdk8s-hardened)`,
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('s3.amazonaws.com'), { StringEquals: { 'aws:SourceAccount': stack.account } }),
  }) : undefined;
  const archive = renderArchiveBucket(scope, props, s, { key, accessLogs, replicationRole, replicaBucket, replicaKey });
  if (replicationRole && replicaBucket) {
    archive.grantReplicationPermission(replicationRole, { sourceDecryptionKey: key, destinations: [{ bucket: replicaBucket, encryptionKey: replicaKey }] });
    const replication = 'aws-cdk-lib\'s replication grant: the archive\'s objects and versions, the one replica bucket and the two keys (standard S3 replication action sets).';
    for (const id of ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(archive.node.defaultChild as any)}.Arn>/*]`, `AwsSolutions-IAM5[Resource::${props.archiveReplicaBucketArn}/*]`,
      'NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy']) {
      Validations.of(replicationRole).acknowledge({ id, reason: replication });
    }
  }
  // No principal writes delete markers or removes versions of the archive, its lock configuration or retention
  // (lifecycle expiry is S3's own action and still applies).
  archive.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'NoDeletesNoRetentionChanges',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:PutBucketObjectLockConfiguration'],
    resources: [archive.bucketArn, archive.arnForObjects('*')],
  }));
  accessLogs.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'NoDeletes',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketObjectLockConfiguration'],
    resources: [accessLogs.bucketArn, accessLogs.arnForObjects('*')],
  }));
  return { archive, accessLogBucket: accessLogs };
}

/**
 * Who read or changed the archive: S3 server access logs, delivered under a bucket policy (no ACLs: bucket owner
 * enforced) to a versioned bucket with Object Lock enabled (versioning can never be suspended). S3 cannot deliver
 * access logs to a bucket with a default Object Lock retention, so deletes are refused by the bucket policy (for every
 * principal; lifecycle expiry is S3's own and still applies).
 */
function renderAccessLogBucket(scope: Construct, s: TrailSettings): s3.Bucket {
  return new s3.Bucket(scope, 'ArchiveAccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED, // S3 server access logging does not support SSE-KMS targets
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectLockEnabled: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      { id: 'ExpireWithTheArchive', expiration: Duration.days(s.expirationDays), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
    ],
  });
}

/** The archive bucket itself: Object Lock default retention, SSE-KMS with the audit key, access logs, lifecycle, replication. */
function renderArchiveBucket(scope: Construct, props: EksAuditTrailProps, s: TrailSettings,
  r: { key: kms.IKey; accessLogs: s3.Bucket; replicationRole?: iam.Role; replicaBucket?: s3.IBucket; replicaKey?: kms.IKey }): s3.Bucket {
  const lock = s.lockMode === ArchiveLockMode.GOVERNANCE
    ? s3.ObjectLockRetention.governance(Duration.days(s.archiveDays)) : s3.ObjectLockRetention.compliance(Duration.days(s.archiveDays));
  return new s3.Bucket(scope, 'Archive', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: r.key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: lock,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: r.accessLogs,
    serverAccessLogsPrefix: 'archive/',
    replicationRole: r.replicationRole,
    replicationRules: r.replicaBucket ? [{
      id: 'ReplicaInLogArchiveAccount',
      destination: r.replicaBucket,
      kmsKey: r.replicaKey,
      sseKmsEncryptedObjects: true,
      accessControlTransition: true,
      // Delete markers stay here: a marker written in this account never hides the replica.
      deleteMarkerReplication: false,
    }] : undefined,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'ArchiveThenExpire',
        transitions: s.transitionDays < s.expirationDays
          ? [{ storageClass: props.archiveStorageClass ?? s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(s.transitionDays) }]
          : undefined,
        // A delete marker on the current version once its lock has run out; the version itself a day later.
        expiration: Duration.days(s.expirationDays),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      // Delete markers left alone once their versions are gone (cannot share a rule with `expiration`).
      { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
    ],
  });
}

/**
 * Firehose's role and delivery stream into the archive. The role is trusted by Firehose only for this delivery stream
 * of this account (confused-deputy protection), and explicitly denied everything beyond writing: no retention or
 * legal-hold changes (a cost attack nobody can undo), no delete markers, no version deletes, no bucket configuration
 * (the grant's action sets include some). @internal
 */
export function renderDeliveryStream(scope: Construct, s: TrailSettings, archive: s3.Bucket, key: kms.IKey, errorLogGroup: logs.LogGroup):
{ role: iam.Role; stream: firehose.DeliveryStream } {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'ArchiveStreamRole', {
    description: `Firehose delivery of the EKS ${s.clusterName} audit archive (cdk8s-hardened)`,
    assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('firehose.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnEquals: { 'aws:SourceArn': s.deliveryStreamArn },
    }),
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'WriteOnlyNoRetentionNoDeletes',
    effect: iam.Effect.DENY,
    actions: [...FIREHOSE_DENIED_S3_ACTIONS],
    resources: [archive.bucketArn, archive.arnForObjects('*')],
  }));
  const stream = new firehose.DeliveryStream(scope, 'ArchiveStream', {
    deliveryStreamName: s.deliveryStreamName,
    role,
    destination: new firehose.S3Bucket(archive, {
      role,
      dataOutputPrefix: 'eks-audit/!{timestamp:yyyy/MM/dd}/',
      errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
      encryptionKey: key,
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
      // Delivery errors go to a KMS-encrypted log group of the trail (not to an unencrypted one Firehose would create).
      loggingConfig: new firehose.EnableLogging(errorLogGroup),
    }),
    encryption: firehose.StreamEncryption.customerManagedKey(key),
  });
  // The Firehose roles come from aws-cdk-lib grants scoped to this bucket and key; the action wildcards are the
  // grant's standard sets (e.g. s3:GetObject* for multipart writes) and the object wildcard is the archive's keys.
  for (const id of ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    'AwsSolutions-IAM5[Action::s3:Abort*]', 'AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
    'AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:List*]', `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(archive.node.defaultChild as any)}.Arn>/*]`]) {
    Validations.of(role).acknowledge({ id, reason: 'Firehose writes only to the audit archive bucket with its KMS key: aws-cdk-lib grant action sets on that one bucket and key; the same role policy explicitly denies every delete, retention, legal-hold, ACL and bucket-configuration action on the archive (FIREHOSE_DENIED_S3_ACTIONS).' });
  }
  return { role, stream };
}

/**
 * The control-plane log group's subscription to the archive stream (CloudWatch Logs of this account, for this log
 * group only), and the compliance-pack findings accepted by design, each with its reason. @internal
 */
export function renderSubscription(scope: Construct, props: EksAuditTrailProps, s: TrailSettings,
  r: { logGroup: logs.ILogGroup; stream: firehose.DeliveryStream; streamRole: iam.Role; archive: s3.Bucket; accessLogBucket: s3.Bucket }): void {
  const stack = Stack.of(scope);
  new logs.SubscriptionFilter(scope, 'ToArchive', {
    logGroup: r.logGroup,
    destination: new destinations.FirehoseDestination(r.stream, {
      // CloudWatch Logs of this account, for this log group only.
      role: new iam.Role(scope, 'LogsToArchiveRole', {
        description: `CloudWatch Logs subscription of ${s.logGroupName} to the audit archive stream (cdk8s-hardened)`,
        assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('logs.amazonaws.com'), {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${s.logGroupName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        }),
      }),
    }),
    filterPattern: logs.FilterPattern.allEvents(),
  });
  // NIST 800-53 R5 findings accepted by design, each with its reason.
  const grantRoles = 'aws-cdk-lib writes the grants of the Firehose roles and of the CloudWatch Logs -> Firehose role as their default policies; each is scoped to this trail\'s bucket, key, stream or log group only.';
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
    Validations.of(r.streamRole).acknowledge({ id: `${pack}-IAMNoInlinePolicy`, reason: grantRoles });
    Validations.of(scope.node.findChild('LogsToArchiveRole')).acknowledge({ id: `${pack}-IAMNoInlinePolicy`, reason: grantRoles });
    Validations.of(r.accessLogBucket).acknowledge({ id: `${pack}-S3DefaultEncryptionKMS`, reason: 'S3 server access logging cannot deliver to SSE-KMS buckets; the access-log bucket uses SSE-S3.' });
    for (const b of props.archiveReplicaBucketArn ? [r.accessLogBucket] : [r.accessLogBucket, r.archive]) {
      Validations.of(b).acknowledge({ id: `${pack}-S3BucketReplicationEnabled`, reason: 'Integrity in place comes from versioning and Object Lock (the archive) and versioning with a no-delete bucket policy (its access logs); a replica needs a destination bucket in another region or account, outside this construct: add it with the bucket\'s replication configuration.' });
    }
  }
}

/** The email and HTTPS subscriptions of the alarm topic; the action the alarms notify with. */
function renderTopicSubscriptions(scope: Construct, props: EksAuditTrailProps, topic: sns.ITopic): cwActions.SnsAction {
  for (const [i, email] of (props.alarmEmails ?? []).entries()) {
    new sns.Subscription(scope, `AlarmEmail${i}`, { topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email });
  }
  for (const [i, url] of (props.alarmHttpsEndpoints ?? []).entries()) {
    new sns.Subscription(scope, `AlarmHttps${i}`, { topic, protocol: sns.SubscriptionProtocol.HTTPS, endpoint: url });
  }
  return new cwActions.SnsAction(topic);
}

/**
 * A metric filter and an alarm per anomaly spec. Each spec is validated ({@link checkAlarmSpec}) just before its alarm
 * is created, so that CDK's own errors (a name used twice) keep their place in the order of errors. @internal
 */
export function renderAnomalyAlarms(scope: Construct, props: EksAuditTrailProps, s: TrailSettings, logGroup: logs.ILogGroup,
  notify: cwActions.SnsAction): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  for (const [i, spec] of (props.alarms ?? DEFAULT_AUDIT_ALARMS).entries()) {
    checkAlarmSpec(scope, spec, i);
    const metric = new logs.MetricFilter(scope, `${spec.name}Filter`, {
      logGroup,
      metricNamespace: `EKS/Audit/${s.clusterName}`,
      metricName: spec.name,
      filterPattern: logs.FilterPattern.literal(spec.pattern),
      metricValue: '1',
      defaultValue: 0,
    }).metric({ statistic: 'Sum', period: Duration.minutes(5) });
    const alarm = new cloudwatch.Alarm(scope, `${spec.name}Alarm`, {
      alarmName: `${s.alarmNamePrefix}${spec.name}`,
      metric,
      threshold: spec.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // An anomaly metric has no data when nothing was logged; silence is covered by LoggingStopped.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    alarm.addAlarmAction(notify);
    alarms.push(alarm);
  }
  return alarms;
}

/** One anomaly spec: a metric/alarm name that is not a health alarm's, a filter pattern PutMetricFilter accepts. @internal */
export function checkAlarmSpec(scope: Construct, spec: AuditAlarmSpec, i: number): void {
  const bad = trailError(scope);
  if (typeof spec.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(spec.name)) {
    bad(`props.alarms[${i}].name`, spec.name, 'must be 1-100 letters, digits, "-" or "_": it names the metric and the alarm.',
      'use e.g. "SecretsReadByWorkloadOrHuman".');
  }
  if (HEALTH_ALARM_NAMES.includes(spec.name)) {
    bad(`props.alarms[${i}].name`, spec.name, 'is the name of one of the trail\'s health alarms.', 'choose another name.');
  }
  if (typeof spec.pattern !== 'string' || spec.pattern.length > 1024) {
    bad(`props.alarms[${i}].pattern`, spec.pattern, 'must be a CloudWatch Logs filter pattern of at most 1024 characters (the PutMetricFilter limit).',
      'split the alarm in two, or shorten the exemption lists.');
  }
}

/**
 * The trail's own health alarms: LoggingStopped, ArchiveIntakeStopped, ArchiveDeliveryFailed, ArchiveDeliveryStale
 * (each notifies on ALARM and on OK). @internal
 */
export function renderHealthAlarms(scope: Construct, s: TrailSettings, logGroup: logs.ILogGroup, stream: firehose.IDeliveryStream,
  notify: cwActions.SnsAction): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const period = Duration.minutes(5);
  const stoppedAfter = s.stoppedAfterMinutes;
  const stoppedPeriods = stoppedAfter / 5;
  const health = (name: string, metric: cloudwatch.IMetric, o: HealthAlarmOptions) => {
    const alarm = new cloudwatch.Alarm(scope, `${name}Alarm`, {
      alarmName: `${s.alarmNamePrefix}${name}`,
      metric,
      threshold: o.threshold,
      evaluationPeriods: o.periods,
      datapointsToAlarm: o.periods,
      comparisonOperator: o.op,
      treatMissingData: o.missing,
      alarmDescription: o.description,
    });
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    alarms.push(alarm);
  };
  // IncomingLogEvents (AWS/Logs, per log group) is published only for periods in which events arrive. While
  // control-plane logging works there is never a silent 5 minutes: the API server audits a continuous stream of
  // requests (lease renewals by the kubelets and by the leader-elected controllers every few seconds, health checks,
  // the authenticator's log of every IAM authentication). Missing data therefore means logging stopped: the log
  // types were disabled on the cluster, the log group was deleted or replaced, or EKS stopped delivering — breaching.
  // Built by hand: aws-cdk-lib 2.276's `logGroup.metricIncomingLogEvents()` names a metric `IncomingLogs` without
  // the LogGroupName dimension, which CloudWatch never publishes (an alarm on it would always be in ALARM, or never
  // fire with missing data not breaching). The AWS/Logs metric is `IncomingLogEvents` with dimension LogGroupName.
  const incomingLogEvents = new cloudwatch.Metric({
    namespace: 'AWS/Logs', metricName: 'IncomingLogEvents', dimensionsMap: { LogGroupName: logGroup.logGroupName }, statistic: 'Sum', period,
  });
  // After a first deploy it is in ALARM until the new cluster's first log events arrive (cluster creation takes minutes).
  health('LoggingStopped', incomingLogEvents, {
    threshold: 1, op: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, missing: cloudwatch.TreatMissingData.BREACHING, periods: stoppedPeriods,
    description: `No control-plane log events reached ${s.logGroupName} for ${stoppedAfter} minutes: control-plane logging was disabled, the log group replaced, or delivery stopped.`,
  });
  // The same reasoning one hop later: records stop reaching Firehose when the subscription filter is removed or broken.
  health('ArchiveIntakeStopped', stream.metricIncomingRecords({ statistic: 'Sum', period }), {
    threshold: 1, op: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, missing: cloudwatch.TreatMissingData.BREACHING, periods: stoppedPeriods,
    description: `No records reached the archive stream for ${stoppedAfter} minutes: the subscription filter was removed or fails.`,
  });
  // Delivery metrics exist only while records are in flight: no data is not a failure (the intake alarm covers it).
  health('ArchiveDeliveryFailed', stream.metric('DeliveryToS3.Success', { statistic: 'Minimum', period }), {
    threshold: 1, op: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, missing: cloudwatch.TreatMissingData.NOT_BREACHING, periods: 1,
    description: `Firehose failed to deliver records to the archive (see ${s.firehoseLogGroupName}): key policy, bucket policy or Object Lock settings changed.`,
  });
  health('ArchiveDeliveryStale', stream.metric('DeliveryToS3.DataFreshness', { statistic: 'Maximum', period }), {
    threshold: s.staleAfterSeconds, op: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, missing: cloudwatch.TreatMissingData.NOT_BREACHING,
    periods: 1,
    description: `The oldest record waiting for the archive is ${s.staleAfterSeconds} seconds old or more: delivery to S3 is retrying or stuck (see ${s.firehoseLogGroupName}).`,
  });
  return alarms;
}

/** One health alarm's settings. */
interface HealthAlarmOptions {
  readonly threshold: number;
  readonly op: cloudwatch.ComparisonOperator;
  readonly missing: cloudwatch.TreatMissingData;
  readonly periods: number;
  readonly description: string;
}

/**
 * The tamper alarms: EventBridge rules on CloudTrail management events (key, trail, EKS logging, the pipeline, the
 * rules themselves) to the alarm topic. @internal
 */
export function renderTamperRules(scope: Construct, s: TrailSettings, topic: sns.ITopic, bucketNames: string[]): events.Rule[] {
  const stack = Stack.of(scope);
  const topicArn = topic.topicArn;
  const target: events.IRuleTarget = { bind: () => ({ arn: topicArn }) }; // permissions: the conditioned statements of allowPublishers
  const specs = tamperRuleSpecs({
    clusterName: s.clusterName,
    logGroupNames: [s.logGroupName, s.firehoseLogGroupName],
    logGroupArns: [s.logGroupName, s.firehoseLogGroupName].map(n => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: n, arnFormat: ArnFormat.COLON_RESOURCE_NAME })),
    deliveryStreamName: s.deliveryStreamName,
    alarmNamePrefix: s.alarmNamePrefix,
    ruleNamePrefix: s.ruleNamePrefix,
    topicArn,
    bucketNames,
  });
  return specs.map(spec => new events.Rule(scope, `${spec.name}Rule`, {
    ruleName: `${s.ruleNamePrefix}${spec.name}`,
    description: spec.description.slice(0, 512),
    eventPattern: spec.pattern as events.EventPattern,
    targets: [target],
  }));
}

/** Names of the tamper rules (after the trail's rule prefix). */
export const TAMPER_RULE_NAMES: string[] = ['KmsKeyTampered', 'CloudTrailStopped', 'EksLoggingDisabled', 'TamperRuleChanged', 'AuditPipelineChanged'];

/** S3 actions Firehose's role is explicitly denied on the archive (its grant includes some of them). */
export const FIREHOSE_DENIED_S3_ACTIONS: string[] = [
  's3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging',
  's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention', 's3:PutObjectAcl', 's3:PutObjectVersionAcl',
  's3:PutBucket*', 's3:PutLifecycleConfiguration', 's3:DeleteBucket*', 's3:PutReplicationConfiguration',
];

/** Names of the trail's health alarms (reserved: anomaly alarms cannot use them). */
export const HEALTH_ALARM_NAMES: string[] = ['LoggingStopped', 'ArchiveIntakeStopped', 'ArchiveDeliveryFailed', 'ArchiveDeliveryStale'];
