import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Key-policy building blocks shared by the library's KMS keys (secrets, audit trail, alarms). Every key separates
 * administrators from users:
 * - administrators (the account root, i.e. IAM principals whose IAM policies allow these actions, plus explicit admin
 *   principals) get KEY_ADMIN_ACTIONS only: no cryptographic use, no `kms:CreateGrant` (a grant to oneself would be
 *   use), no `kms:ScheduleKeyDeletion` (nobody can schedule a deletion without first changing the key policy, which
 *   is alarmed);
 * - users get KEY_USE_ACTIONS only, through named AWS services (`kms:ViaService`) for this account's principals, or as
 *   a service principal with a condition naming the resources (encryption context, aws:SourceArn);
 * - nothing grants `kms:*`.
 */

/** What a key administrator may do: manage, never use, never schedule deletion. */
export const KEY_ADMIN_ACTIONS: readonly string[] = Object.freeze([
  'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListGrants', 'kms:ListKeyPolicies',
  'kms:ListKeyRotations', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:UpdateKeyDescription',
  'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:TagResource', 'kms:UntagResource', 'kms:RevokeGrant',
  'kms:CancelKeyDeletion',
]);

/** What a key user may do (symmetric encryption): no administration. */
export const KEY_USE_ACTIONS: readonly string[] = Object.freeze([
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey',
]);

/** `KeyAdministration`: the account root (delegating to IAM) and the explicit admins, KEY_ADMIN_ACTIONS only. */
export function administrationStatement(admins: readonly iam.IPrincipal[] = []): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'KeyAdministrationWithoutUse',
    // The account root stays an administrator: CloudFormation's role must pass KMS's lock-out check (it must be able
    // to call PutKeyPolicy later), and the key can never become unmanageable.
    principals: [new iam.AccountRootPrincipal(), ...admins],
    actions: [...KEY_ADMIN_ACTIONS],
    resources: ['*'],
  });
}

/** Use by this account's principals only through these AWS services (e.g. `s3`, `firehose`), in this region. */
export function useThroughServicesStatement(scope: Stack, sid: string, services: readonly string[], extraActions: readonly string[] = []): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.AccountRootPrincipal()],
    actions: [...KEY_USE_ACTIONS, ...extraActions],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:CallerAccount': scope.account,
        'kms:ViaService': services.map(s => `${s}.${scope.region}.amazonaws.com`),
      },
    },
  });
}

/** CloudWatch Logs (regional service principal) for exactly these log groups (encryption context, ArnEquals). */
export function logsStatement(scope: Stack, sid: string, logGroupNames: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(`logs.${scope.region}.amazonaws.com`)],
    actions: [...KEY_USE_ACTIONS],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': logGroupNames.map(name => scope.formatArn({
          service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })),
      },
    },
  });
}

/** A policy document with the administration statement first. */
export function keyPolicy(admins: readonly iam.IPrincipal[], ...statements: iam.PolicyStatement[]): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: [administrationStatement(admins), ...statements] });
}
