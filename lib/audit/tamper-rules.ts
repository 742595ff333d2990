import { createHash } from 'crypto';

/**
 * Tamper alarms of the audit trail: EventBridge rules on CloudTrail management events ("AWS API Call via CloudTrail")
 * that publish to the trail's alarm topic, whose key is never the audit key.
 *
 * EventBridge receives these events only while a CloudTrail trail records management events in the region. The calls
 * that stop it (StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors) are themselves recorded and delivered, so
 * the last event before the silence is an alarm.
 *
 * Each rule that watches EventBridge rules (DisableRule, DeleteRule, RemoveTargets, PutRule, PutTargets on this trail's
 * rules) has a twin: `TamperRuleChanged` and `AuditPipelineChanged` both watch them, so disabling one is reported by the
 * other.
 */
export interface TamperRuleSpec {
  /** Rule name suffix (after the trail's prefix). */
  readonly name: string;
  /** What the alarm means. */
  readonly description: string;
  /** The EventBridge event pattern (JSON). */
  readonly pattern: { [key: string]: any };
}

/** The names of the resources the trail's tamper rules watch by name. */
export interface TamperRuleTargets {
  readonly clusterName: string;
  /** Log group names of the trail (control plane, Firehose errors). */
  readonly logGroupNames: string[];
  /** ARNs of those log groups (without `:*`). */
  readonly logGroupArns: string[];
  readonly deliveryStreamName: string;
  /** Prefix of the trail's alarm names. */
  readonly alarmNamePrefix: string;
  /** Prefix of the trail's rule names. */
  readonly ruleNamePrefix: string;
  /** ARN of the alarm topic (may be a token). */
  readonly topicArn: string;
  /** Names (or tokens) of the archive and access-log buckets. */
  readonly bucketNames: string[];
}

const CLOUDTRAIL = 'AWS API Call via CloudTrail';

/** KMS calls that stop a key (or its policy) from working, on any key of the account. */
export const KMS_TAMPER_EVENTS = ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'DisableKeyRotation', 'DeleteImportedKeyMaterial', 'CreateGrant'];
/** CloudTrail calls that stop or narrow the recording of management events. */
export const CLOUDTRAIL_TAMPER_EVENTS = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'];
/** EventBridge calls that silence a rule. */
export const EVENTS_TAMPER_EVENTS = ['DisableRule', 'DeleteRule', 'RemoveTargets', 'PutRule', 'PutTargets'];

function eventsOnTrailRules(t: TamperRuleTargets): any {
  return {
    eventSource: ['events.amazonaws.com'],
    eventName: EVENTS_TAMPER_EVENTS,
    $or: [{ requestParameters: { name: [{ prefix: t.ruleNamePrefix }] } }, { requestParameters: { rule: [{ prefix: t.ruleNamePrefix }] } }],
  };
}

/** The tamper rules for one trail. */
export function tamperRuleSpecs(t: TamperRuleTargets): TamperRuleSpec[] {
  const logGroupIds = [...t.logGroupNames, ...t.logGroupArns, ...t.logGroupArns.map(a => `${a}:*`)];
  return [
    {
      name: 'KmsKeyTampered',
      description: 'A KMS key of this account was disabled, scheduled for deletion, had its policy replaced, its rotation disabled, '
        + 'its imported material deleted, or a grant created: the audit record or the Secrets may become unreadable.',
      pattern: { 'source': ['aws.kms'], 'detail-type': [CLOUDTRAIL], 'detail': { eventSource: ['kms.amazonaws.com'], eventName: KMS_TAMPER_EVENTS } },
    },
    {
      name: 'CloudTrailStopped',
      description: 'A CloudTrail trail was stopped, deleted or narrowed (UpdateTrail, PutEventSelectors): API calls may no longer be recorded.',
      pattern: { 'source': ['aws.cloudtrail'], 'detail-type': [CLOUDTRAIL], 'detail': { eventSource: ['cloudtrail.amazonaws.com'], eventName: CLOUDTRAIL_TAMPER_EVENTS } },
    },
    {
      name: 'EksLoggingDisabled',
      description: `Control-plane logging of EKS cluster ${t.clusterName} was turned off (UpdateClusterConfig with logging enabled=false).`,
      pattern: {
        'source': ['aws.eks'],
        'detail-type': [CLOUDTRAIL],
        'detail': {
          eventSource: ['eks.amazonaws.com'],
          eventName: ['UpdateClusterConfig'],
          // The cluster is named by name or ARN; `enabled` is a JSON boolean (a string spelling is matched too).
          requestParameters: { name: [t.clusterName, { suffix: `:cluster/${t.clusterName}` }], logging: { clusterLogging: { enabled: [false, 'false'] } } },
        },
      },
    },
    {
      name: 'TamperRuleChanged',
      description: 'One of the audit trail\'s tamper rules was disabled, deleted, re-targeted or rewritten.',
      pattern: { 'source': ['aws.events'], 'detail-type': [CLOUDTRAIL], 'detail': eventsOnTrailRules(t) },
    },
    {
      name: 'AuditPipelineChanged',
      description: 'A part of the audit trail was deleted or weakened: its log groups (delete, subscription or metric filter removed, '
        + 'key disassociated, retention changed), the Firehose stream, the archive buckets\' policies or logging, the alarms, '
        + 'the alarm topic, or the tamper rules.',
      pattern: {
        'source': ['aws.logs', 'aws.firehose', 'aws.s3', 'aws.monitoring', 'aws.sns', 'aws.events'],
        'detail-type': [CLOUDTRAIL],
        'detail': {
          $or: [
            {
              eventSource: ['logs.amazonaws.com'],
              eventName: ['DeleteLogGroup', 'DeleteSubscriptionFilter', 'PutSubscriptionFilter', 'DeleteMetricFilter', 'DisassociateKmsKey', 'PutRetentionPolicy', 'DeleteRetentionPolicy'],
              $or: [
                { requestParameters: { logGroupName: t.logGroupNames } },
                { requestParameters: { logGroupIdentifier: logGroupIds } },
                { requestParameters: { resourceIdentifier: logGroupIds } },
              ],
            },
            {
              eventSource: ['firehose.amazonaws.com'],
              eventName: ['DeleteDeliveryStream', 'StopDeliveryStreamEncryption', 'UpdateDestination'],
              requestParameters: { deliveryStreamName: [t.deliveryStreamName] },
            },
            {
              eventSource: ['s3.amazonaws.com'],
              eventName: ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketLogging', 'PutBucketLifecycle', 'DeleteBucketLifecycle', 'PutBucketVersioning', 'PutBucketObjectLockConfiguration'],
              requestParameters: { bucketName: t.bucketNames },
            },
            {
              eventSource: ['monitoring.amazonaws.com'],
              eventName: ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm'],
              $or: [
                { requestParameters: { alarmNames: [{ prefix: t.alarmNamePrefix }] } },
                { requestParameters: { alarmName: [{ prefix: t.alarmNamePrefix }] } },
              ],
            },
            {
              eventSource: ['sns.amazonaws.com'],
              eventName: ['DeleteTopic', 'SetTopicAttributes', 'RemovePermission', 'Unsubscribe'],
              $or: [{ requestParameters: { topicArn: [t.topicArn] } }, { requestParameters: { subscriptionArn: [{ prefix: t.topicArn }] } }],
            },
            eventsOnTrailRules(t),
          ],
        },
      },
    },
  ];
}

/** EventBridge rule names: at most 64 characters. */
export function ruleNamePrefix(clusterName: string, specs: readonly string[]): string {
  const longest = Math.max(...specs.map(s => s.length));
  const full = `eks-audit.${clusterName}.`;
  if (full.length + longest <= 64) return full;
  const hash = createHash('sha256').update(clusterName).digest('hex').slice(0, 8);
  return `eks-audit.${clusterName.slice(0, 64 - longest - 'eks-audit.'.length - hash.length - 2)}-${hash}.`;
}
