/**
 * Pins EksAuditTrail byte for byte (issue 31, point 4: the constructor split into validate and render steps): the
 * synthesized CloudFormation template (and the construct's metadata) of representative trails, and the error of every
 * single bad prop and every pair of bad props (which one the constructor reports first, CDK's own errors included).
 * See test/util/pins.ts.
 */
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ArchiveLockMode, AuditAlarms, DEFAULT_AUDIT_ALARMS, EksAuditTrail, EksAuditTrailProps } from '../../lib';
import { expectGolden, mutationOutcomes, sha256 } from '../util/pins';

const UNIT_APP = { builtinCloudFormationValidation: false };
type PropsOf = (stack: cdk.Stack) => Partial<EksAuditTrailProps>;

function newStack(): cdk.Stack {
  return new cdk.Stack(new cdk.App(UNIT_APP), 'Audit', { env: { account: '111122223333', region: 'eu-west-1' } });
}

/** The template and the trail's own metadata (the recorded reasons). */
function synthTrail(props: PropsOf): string {
  const stack = newStack();
  const trail = new EksAuditTrail(stack, 'Trail', { clusterName: 'shop-prod', ...props(stack) });
  const template = cdk.assertions.Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }).toJSON();
  return JSON.stringify({ template, metadata: trail.node.metadata.map(m => [m.type, m.data]) });
}

const VARIANTS: { [name: string]: PropsOf } = {
  'defaults': () => ({}),
  'every option': stack => ({
    logRetention: logs.RetentionDays.SIX_MONTHS,
    archiveRetentionDays: 400,
    archiveTransitionAfterDays: 30,
    archiveStorageClass: s3.StorageClass.DEEP_ARCHIVE,
    archiveExpirationDays: 500,
    keyAdmins: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/security')],
    archiveReplicaBucketArn: 'arn:aws:s3:::log-archive-eks-audit',
    archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    alarms: [...DEFAULT_AUDIT_ALARMS.slice(1), AuditAlarms.secretsReadByWorkloadOrHuman(['system:serviceaccount:external-secrets:external-secrets'])],
    alarmEmails: ['security-oncall@example.com', 'soc@example.com'],
    alarmHttpsEndpoints: ['https://oncall.example.com/hooks/eks-audit'],
    loggingStoppedAfter: cdk.Duration.minutes(10),
    archiveStaleAfter: cdk.Duration.minutes(20),
    alarmKey: new kms.Key(stack, 'OwnAlarmKey'),
  }),
  'sandbox: governance, short retention, tamper alarms off, no transition': () => ({
    archiveLockMode: ArchiveLockMode.GOVERNANCE,
    archiveRetentionDays: 7,
    archiveTransitionAfterDays: 7,
    weakerArchiveLockReason: 'sandbox account: test data, deleted after the test',
    tamperAlarmsDisabledReason: 'organization trail alarms on these centrally (ticket SEC-42)',
  }),
  'existing log group, key and topic': stack => ({
    logGroup: logs.LogGroup.fromLogGroupName(stack, 'Existing', '/aws/eks/shop-prod/cluster'),
    key: new kms.Key(stack, 'AuditKey'),
    alarmTopic: new sns.Topic(stack, 'OwnTopic'),
  }),
  'imported key and topic': stack => ({
    key: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    alarmTopic: sns.Topic.fromTopicArn(stack, 'ImportedTopic', 'arn:aws:sns:eu-west-1:111122223333:alarms'),
  }),
};

const spec = (name: string, pattern = '{ $.verb = "get" }') => ({ name, pattern, threshold: 1, description: name });
/** One bad prop each (as JavaScript callers can pass them), in no particular order; CDK's own errors included. */
const MUTATIONS: ReadonlyArray<readonly [string, PropsOf]> = [
  ['cluster name', () => ({ clusterName: 'bad name!' })],
  ['log group of another cluster', stack => ({ logGroup: logs.LogGroup.fromLogGroupName(stack, 'Other', '/aws/eks/other/cluster') })],
  ['retention 0', () => ({ archiveRetentionDays: 0 })],
  ['lock mode', () => ({ archiveLockMode: 'LEGAL' as any })],
  ['blank reason', () => ({ weakerArchiveLockReason: ' ' })],
  ['governance without reason', () => ({ archiveLockMode: ArchiveLockMode.GOVERNANCE })],
  ['short retention without reason', () => ({ archiveRetentionDays: 7 })],
  ['expiration before retention', () => ({ archiveExpirationDays: 10 })],
  ['transition negative', () => ({ archiveTransitionAfterDays: -1 })],
  ['logging stopped 7 minutes', () => ({ loggingStoppedAfter: cdk.Duration.minutes(7) })],
  ['stale 10 seconds', () => ({ archiveStaleAfter: cdk.Duration.seconds(10) })],
  ['email', () => ({ alarmEmails: ['nope'] })],
  ['http endpoint', () => ({ alarmHttpsEndpoints: ['http://oncall.example.com'] })],
  ['blank tamper reason', () => ({ tamperAlarmsDisabledReason: '' })],
  ['replica bucket without key', () => ({ archiveReplicaBucketArn: 'arn:aws:s3:::log-archive' })],
  ['replica bucket arn', () => ({ archiveReplicaBucketArn: 'log-archive', archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/k' })],
  ['replica key in this account', () => ({ archiveReplicaBucketArn: 'arn:aws:s3:::log-archive', archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' })],
  ['alarm key is the audit key', stack => { const key = new kms.Key(stack, 'Same'); return { key, alarmKey: key }; }],
  ['log retention negative (CDK)', () => ({ logRetention: -5 as any })],
  ['alarm name', () => ({ alarms: [spec('bad name!')] })],
  ['alarm named like a health alarm', () => ({ alarms: [spec('LoggingStopped')] })],
  ['alarm pattern too long', () => ({ alarms: [spec('Long', 'x'.repeat(1025))] })],
  ['alarm names twice (CDK)', () => ({ alarms: [spec('Twice'), spec('Twice')] })],
  ['second alarm bad', () => ({ alarms: [spec('First'), spec('')] })],
];

describe('EksAuditTrail pin', () => {
  test('synthesized template and metadata of every variant, byte for byte', () => {
    const actual: { [variant: string]: string } = {};
    for (const [name, props] of Object.entries(VARIANTS)) actual[name] = sha256(synthTrail(props));
    expectGolden('eks-audit-trail.sha256', actual);
  });

  test('the error of every bad prop and every pair of bad props (validation order)', () => {
    const build = (patches: PropsOf[]) => {
      const stack = newStack();
      new EksAuditTrail(stack, 'Trail', Object.assign({ clusterName: 'shop-prod' }, ...patches.map(p => p(stack))));
    };
    const actual = mutationOutcomes(MUTATIONS, build);
    for (const [name] of MUTATIONS) expect([name, actual[name]]).not.toEqual([name, sha256('ok').slice(0, 16)]);
    expectGolden('eks-audit-trail-errors.sha256', actual);
  }, 120_000);
});
