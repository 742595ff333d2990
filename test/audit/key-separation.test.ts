import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EksAuditTrail, FIREHOSE_DENIED_S3_ACTIONS, LogsEncryptionKey, TAMPER_RULE_NAMES } from '../../lib';
import { CLOUDTRAIL_TAMPER_EVENTS, KMS_TAMPER_EVENTS } from '../../lib/audit/tamper-rules';
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS } from '../../lib/secrets/private/key-policy';

const UNIT_APP = { builtinCloudFormationValidation: false };
const ENV = { account: '111122223333', region: 'eu-west-1' };

function trail(props: Partial<ConstructorParameters<typeof EksAuditTrail>[2]> = {}, clusterName = 'shop-prod') {
  const app = new cdk.App(UNIT_APP);
  const stack = new cdk.Stack(app, 'Audit', { env: ENV });
  const t = new EksAuditTrail(stack, 'Trail', { clusterName, ...props });
  return { stack, trail: t, t: Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }) };
}

/** Logical id of the key a `KmsKeyId`-like value references (Fn::GetAtt [id, Arn] or Ref id). */
function keyRef(v: any): string | undefined {
  if (v?.['Fn::GetAtt']) return v['Fn::GetAtt'][0];
  if (v?.Ref) return v.Ref;
  return undefined;
}

/**
 * Which keys the audit record depends on (log groups, delivery stream, archive) and which the alarm path depends on
 * (the topic every alarm and tamper rule publishes to): disabling a key stops whatever it encrypts.
 */
function keysByRole(t: Template): { record: Set<string>; alarms: Set<string> } {
  const record = new Set<string>();
  for (const g of Object.values<any>(t.findResources('AWS::Logs::LogGroup'))) record.add(keyRef(g.Properties.KmsKeyId)!);
  for (const b of Object.values<any>(t.findResources('AWS::S3::Bucket'))) {
    const k = b.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
    if (k) record.add(keyRef(k)!);
  }
  for (const s of Object.values<any>(t.findResources('AWS::KinesisFirehose::DeliveryStream'))) {
    record.add(keyRef(s.Properties.DeliveryStreamEncryptionConfigurationInput.KeyARN)!);
    record.add(keyRef(s.Properties.ExtendedS3DestinationConfiguration.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN)!);
  }
  const alarms = new Set<string>();
  const topics = t.findResources('AWS::SNS::Topic');
  for (const topic of Object.values<any>(topics)) alarms.add(keyRef(topic.Properties.KmsMasterKeyId) ?? topic.Properties.KmsMasterKeyId);
  return { record, alarms };
}

describe('key separation', () => {
  const { t } = trail();
  const keys = t.findResources('AWS::KMS::Key');

  test('no single key disables both the audit record and its alarms', () => {
    const { record, alarms } = keysByRole(t);
    expect(record.size).toBe(1);
    expect(alarms.size).toBe(1);
    for (const k of record) expect(alarms.has(k)).toBe(false);
    expect([...record][0]).toMatch(/^TrailKey/);
    expect([...alarms][0]).toMatch(/^TrailAlarmKey/);
    // Every alarm and every tamper rule goes to that topic.
    const topicId = Object.keys(t.findResources('AWS::SNS::Topic'))[0];
    for (const a of Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'))) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    const rules = Object.values<any>(t.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(TAMPER_RULE_NAMES.length);
    for (const r of rules) expect(r.Properties.Targets.map((x: any) => x.Arn)).toEqual([{ Ref: topicId }]);
  });

  test('the alarm key may not be the audit key (same object or same ARN)', () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const k = kms.Key.fromKeyArn(new cdk.Stack(), 'K', arn);
    expect(() => trail({ key: k, alarmKey: k })).toThrow(/props\.alarmKey=.*one DisableKey would stop both.*Fix: /);
    expect(() => trail({ key: k, alarmKey: kms.Key.fromKeyArn(new cdk.Stack(), 'K2', arn) })).toThrow(/props\.alarmKey=/);
  });

  test('every key: administrators without use; users without administration; nothing grants kms:* or ScheduleKeyDeletion', () => {
    expect(Object.keys(keys)).toHaveLength(2);
    for (const key of Object.values<any>(keys)) {
      const statements: any[] = key.Properties.KeyPolicy.Statement;
      expect(statements[0].Sid).toBe('KeyAdministrationWithoutUse');
      expect(statements[0].Action).toEqual([...KEY_ADMIN_ACTIONS]);
      for (const s of statements) {
        const actions: string[] = [s.Action].flat();
        expect(actions).not.toContain('kms:*');
        expect(actions).not.toContain('kms:ScheduleKeyDeletion');
        if (s !== statements[0]) {
          for (const a of actions) expect([...KEY_USE_ACTIONS, 'kms:GenerateDataKey*', 'kms:CreateGrant']).toContain(a);
          expect(s.Condition).toBeDefined();
        }
      }
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  test('the audit key: CloudWatch Logs only for the trail\'s two log groups; account principals only through S3 and Firehose', () => {
    const audit = Object.entries<any>(keys).find(([id]) => id.startsWith('TrailKey'))![1];
    const statements: any[] = audit.Properties.KeyPolicy.Statement;
    const logsStmt = statements.find(s => s.Sid === 'AllowCloudWatchLogsForTheAuditLogGroup');
    expect(logsStmt.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toHaveLength(2);
    const use = statements.find(s => s.Sid === 'UseThroughS3AndFirehoseInThisAccount');
    expect(use.Condition.StringEquals).toEqual({ 'kms:CallerAccount': '111122223333', 'kms:ViaService': ['s3.eu-west-1.amazonaws.com', 'firehose.eu-west-1.amazonaws.com'] });
    const grant = statements.find(s => s.Sid === 'FirehoseGrantsForAwsResources');
    expect(grant.Condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
  });

  test('the alarm key: SNS for this account, CloudWatch and EventBridge only for this trail', () => {
    const alarm = Object.entries<any>(keys).find(([id]) => id.startsWith('TrailAlarmKey'))![1];
    const sids = alarm.Properties.KeyPolicy.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(['KeyAdministrationWithoutUse', 'UseThroughSnsInThisAccount', 'AllowTheAuditAlarmsToPublishEncrypted', 'AllowTheAuditTamperRulesToPublishEncrypted']);
  });

  test('keyAdmins are added to the administration statement of both keys', () => {
    const { t: t2 } = trail({ keyAdmins: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/security')] });
    for (const key of Object.values<any>(t2.findResources('AWS::KMS::Key'))) {
      expect(JSON.stringify(key.Properties.KeyPolicy.Statement[0].Principal)).toContain('role/security');
    }
  });

  test('LogsEncryptionKey: CloudWatch Logs only for the named log groups; no wildcard, no empty list', () => {
    const stack = new cdk.Stack(new cdk.App(UNIT_APP), 'L', { env: ENV });
    new LogsEncryptionKey(stack, 'FlowLogsKey', { logGroupNames: ['/shop/vpc-flow-logs'] });
    const key = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0];
    expect(key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).toEqual(['KeyAdministrationWithoutUse', 'CloudWatchLogsForTheNamedLogGroups']);
    expect(key.Properties.Description).toBe('CloudWatch Logs encryption of /shop/vpc-flow-logs (cdk8s-hardened)');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.PendingWindowInDays).toBe(30);
    expect(JSON.stringify(key.Properties.KeyPolicy.Statement[1].Condition)).toContain('log-group:/shop/vpc-flow-logs"');
    expect(() => new LogsEncryptionKey(stack, 'Bad', { logGroupNames: ['/shop/*'] })).toThrow(/props\.logGroupNames\[0\]="\/shop\/\*"/);
    expect(() => new LogsEncryptionKey(stack, 'Empty', { logGroupNames: [] })).toThrow(/props\.logGroupNames=/);
  });
});

describe('tamper alarms', () => {
  const { t } = trail();
  const rules = t.findResources('AWS::Events::Rule');
  const byName = new Map(Object.values<any>(rules).map(r => [r.Properties.Name, r.Properties]));

  test('one rule per tamper class, named under the prefix the topic admits, enabled', () => {
    expect([...byName.keys()]).toEqual(TAMPER_RULE_NAMES.map(n => `eks-audit.shop-prod.${n}`));
    for (const r of byName.values()) expect(r.State).toBe('ENABLED');
  });

  test('KMS: DisableKey, ScheduleKeyDeletion, PutKeyPolicy (and rotation off, material deleted, grants) on any key of the account', () => {
    const p = byName.get('eks-audit.shop-prod.KmsKeyTampered').EventPattern;
    expect(p.source).toEqual(['aws.kms']);
    expect(p['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(p.detail.eventName).toEqual(KMS_TAMPER_EVENTS);
    for (const e of ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy']) expect(p.detail.eventName).toContain(e);
    // Not narrowed to a key id: the KeyId parameter may be an id, an ARN or (for some calls) an alias.
    expect(p.detail.requestParameters).toBeUndefined();
  });

  test('CloudTrail: StopLogging, DeleteTrail, and the narrowing calls (UpdateTrail, PutEventSelectors)', () => {
    const p = byName.get('eks-audit.shop-prod.CloudTrailStopped').EventPattern;
    expect(p.detail.eventName).toEqual(CLOUDTRAIL_TAMPER_EVENTS);
    for (const e of ['StopLogging', 'DeleteTrail']) expect(p.detail.eventName).toContain(e);
  });

  test('EKS: UpdateClusterConfig that turns logging off, on this cluster (by name or ARN), boolean or string false', () => {
    const p = byName.get('eks-audit.shop-prod.EksLoggingDisabled').EventPattern;
    expect(p.detail.eventName).toEqual(['UpdateClusterConfig']);
    expect(p.detail.requestParameters).toEqual({
      name: ['shop-prod', { suffix: ':cluster/shop-prod' }],
      logging: { clusterLogging: { enabled: [false, 'false'] } },
    });
  });

  test('disabling or deleting one tamper rule is reported by another (two rules watch the rules)', () => {
    const watchers = [...byName.entries()].filter(([, r]) => JSON.stringify(r.EventPattern).includes('"DisableRule"'));
    expect(watchers.map(([n]) => n)).toEqual(['eks-audit.shop-prod.TamperRuleChanged', 'eks-audit.shop-prod.AuditPipelineChanged']);
    for (const [, r] of watchers) {
      const s = JSON.stringify(r.EventPattern);
      for (const e of ['DisableRule', 'DeleteRule', 'RemoveTargets', 'PutRule', 'PutTargets']) expect(s).toContain(`"${e}"`);
      expect(s).toContain('{"prefix":"eks-audit.shop-prod."}');
    }
  });

  test('the pipeline rule watches the log groups (by name, identifier or ARN), the stream, the buckets, the alarms and the topic', () => {
    const s = JSON.stringify(byName.get('eks-audit.shop-prod.AuditPipelineChanged').EventPattern);
    for (const e of ['DeleteLogGroup', 'DeleteSubscriptionFilter', 'DisassociateKmsKey', 'DeleteDeliveryStream', 'DeleteBucketPolicy',
      'PutBucketLifecycle', 'DeleteAlarms', 'DisableAlarmActions', 'DeleteTopic', 'Unsubscribe']) expect(s).toContain(`"${e}"`);
    for (const f of ['logGroupName', 'logGroupIdentifier', 'resourceIdentifier']) expect(s).toContain(`"${f}"`);
    expect(s).toContain('/aws/eks/shop-prod/cluster');
    expect(s).toContain('"eks-audit-shop-prod"');
  });

  test('a long cluster name still gives rule names of at most 64 characters, under the prefix the topic admits', () => {
    const long = `c${'x'.repeat(98)}`;
    const { t: t2 } = trail({}, long);
    const names = Object.values<any>(t2.findResources('AWS::Events::Rule')).map(r => r.Properties.Name as string);
    expect(names).toHaveLength(TAMPER_RULE_NAMES.length);
    const prefix = names[0].slice(0, names[0].lastIndexOf('.') + 1);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(64);
      expect(n.startsWith(prefix)).toBe(true);
    }
    const topicPolicy = Object.values<any>(t2.findResources('AWS::SNS::TopicPolicy'))[0];
    expect(JSON.stringify(topicPolicy)).toContain(`:rule/${prefix}*`);
  });

  test('off only with a recorded reason', () => {
    const { t: t2, trail: tr } = trail({ tamperAlarmsDisabledReason: 'organization trail alarms centrally (SEC-42)' });
    t2.resourceCountIs('AWS::Events::Rule', 0);
    expect(tr.node.metadata.find(m => m.type === 'cdk8s-hardened:tamperAlarmsDisabledReason')?.data).toBe('organization trail alarms centrally (SEC-42)');
    expect(() => trail({ tamperAlarmsDisabledReason: ' ' })).toThrow(/props\.tamperAlarmsDisabledReason/);
  });
});

describe('least privilege of the trail', () => {
  const { t } = trail();

  test('Firehose role: trusted by Firehose for this stream of this account only', () => {
    const role = Object.entries<any>(t.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('TrailArchiveStreamRole'))![1];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'firehose.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':firehose:eu-west-1:111122223333:deliverystream/eks-audit-shop-prod']] } },
      },
    }]);
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: 'eks-audit-shop-prod' });
  });

  test('Firehose role: explicitly denied retention, legal hold, delete markers, version deletes and bucket configuration', () => {
    const policy = Object.entries<any>(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('TrailArchiveStreamRoleDefaultPolicy'))![1];
    const deny = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Effect === 'Deny');
    expect(deny.Action).toEqual(FIREHOSE_DENIED_S3_ACTIONS);
    for (const a of ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention']) {
      expect(FIREHOSE_DENIED_S3_ACTIONS).toContain(a);
    }
    // The allow side still lets it write (the grant), so the deny is what removes the rest.
    const allowed = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat());
    expect(allowed).toContain('s3:PutObject');
  });

  test('CloudWatch Logs -> Firehose role: trusted for the control-plane log group of this account only', () => {
    const role = Object.entries<any>(t.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('TrailLogsToArchiveRole'))![1];
    const stmt = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(stmt.Principal).toEqual({ Service: 'logs.amazonaws.com' });
    expect(stmt.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111122223333' });
    expect(JSON.stringify(stmt.Condition.ArnLike)).toContain(':logs:eu-west-1:111122223333:log-group:/aws/eks/shop-prod/cluster:*');
  });

  test('access-log bucket: no ACLs (bucket owner enforced), delivery by bucket policy conditioned on the archive, Object Lock, no deletes', () => {
    const [id, bucket] = Object.entries<any>(t.findResources('AWS::S3::Bucket')).find(([i]) => i.startsWith('TrailArchiveAccessLogs'))!;
    expect(bucket.Properties.AccessControl).toBeUndefined();
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const policy = Object.values<any>(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: id } } }))[0];
    const statements = policy.Properties.PolicyDocument.Statement;
    const delivery = statements.find((s: any) => s.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(delivery.Action).toBe('s3:PutObject');
    expect(delivery.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111122223333' });
    expect(delivery.Condition.ArnLike['aws:SourceArn']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TrailArchive[0-9A-F]+$/), 'Arn'] });
    const noDeletes = statements.find((s: any) => s.Sid === 'NoDeletes');
    expect(noDeletes).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(noDeletes.Action).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion']));
  });

  test('archive: no principal writes delete markers, deletes versions or changes retention', () => {
    const [id] = Object.entries<any>(t.findResources('AWS::S3::Bucket')).find(([i]) => /^TrailArchive[0-9A-F]+$/.test(i))!;
    const policy = Object.values<any>(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: id } } }))[0];
    const deny = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'NoDeletesNoRetentionChanges');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(deny.Action).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:PutBucketObjectLockConfiguration']);
  });
});

describe('archive replica in a log-archive account', () => {
  const replica = { archiveReplicaBucketArn: 'arn:aws:s3:::log-archive-eks-audit', archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' };

  test('replicates every object, replicas owned by the other account, delete markers not replicated, its own role', () => {
    const { t } = trail(replica);
    const archive = Object.entries<any>(t.findResources('AWS::S3::Bucket')).find(([i]) => /^TrailArchive[0-9A-F]+$/.test(i))![1];
    const rule = archive.Properties.ReplicationConfiguration.Rules[0];
    expect(rule.Destination).toEqual({
      AccessControlTranslation: { Owner: 'Destination' }, Account: '444455556666', Bucket: 'arn:aws:s3:::log-archive-eks-audit',
      EncryptionConfiguration: { ReplicaKmsKeyID: replica.archiveReplicaKeyArn },
    });
    expect(rule.DeleteMarkerReplication).toEqual({ Status: 'Disabled' });
    expect(archive.Properties.ReplicationConfiguration.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TrailArchiveReplicationRole/), 'Arn'] });
    const role = Object.entries<any>(t.findResources('AWS::IAM::Role')).find(([i]) => i.startsWith('TrailArchiveReplicationRole'))![1];
    expect(role.Properties.RoleName).toBeUndefined(); // no fixed CDKReplicationRole name (two trails would collide)
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
  });

  test('both or neither; the key must be another account\'s', () => {
    expect(() => trail({ archiveReplicaBucketArn: replica.archiveReplicaBucketArn })).toThrow(/props\.archiveReplicaBucketArn=.*needs its counterpart/);
    expect(() => trail({ ...replica, archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }))
      .toThrow(/props\.archiveReplicaKeyArn=.*must be a key of another account/);
    expect(() => trail({ ...replica, archiveReplicaBucketArn: 'log-archive' })).toThrow(/props\.archiveReplicaBucketArn="log-archive" violates apiserver-audit-logging: is not an S3 bucket ARN/);
  });

  test('default: no replication', () => {
    const { t } = trail();
    for (const b of Object.values<any>(t.findResources('AWS::S3::Bucket'))) expect(b.Properties.ReplicationConfiguration).toBeUndefined();
  });
});
