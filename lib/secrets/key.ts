import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { invalidProp } from './private/errors';
import { keyPolicy, logsStatement } from './private/key-policy';

/**
 * Props of a {@link SecretsEncryptionKey}.
 */
export interface SecretsEncryptionKeyProps {
  /**
   * Alias of the key, e.g. `alias/shop/secrets`. Humans and runbooks use the alias; the cluster and the encryption
   * provider always use the key ARN.
   * @default - `alias/cdk8s-hardened/<unique id of this construct>`
   */
  readonly alias?: string;
  /**
   * Description of the key.
   * @default 'Envelope encryption of Kubernetes Secrets and AWS Secrets Manager secrets (cdk8s-hardened)'
   */
  readonly description?: string;
  /**
   * Waiting period before KMS deletes the key after `ScheduleKeyDeletion` (7 to 30 days).
   * @default Duration.days(30) — the longest window to notice and cancel a deletion that would make every encrypted Secret unreadable
   */
  readonly pendingWindow?: Duration;
  /**
   * Automatic rotation period of the key material (90 to 2560 days). Old material stays available for decryption.
   * @default Duration.days(365) — yearly rotation bounds how much ciphertext one key version protects
   */
  readonly rotationPeriod?: Duration;
  /**
   * Names of the log groups (in this account and region) that CloudWatch Logs may encrypt with this key, e.g. the
   * control-plane log group of a cluster whose Secrets this key protects. Exact names (no wildcards): the key policy
   * admits CloudWatch Logs only with an encryption context naming one of them (`ArnEquals`).
   * @default - none: the secrets key encrypts Secrets only; logs (VPC flow logs, the audit trail) use keys of their own,
   *            so that a log-reading role never holds a key that also decrypts Secrets
   */
  readonly logGroupNames?: string[];
  /**
   * Additional key administrators (roles of the platform or security team): they may manage the key (policy, enable,
   * disable, rotation, aliases, tags) but never use it, and no one may schedule its deletion without first changing the
   * key policy (both alarmed by EksAuditTrail's tamper alarms). The account root is always an administrator (it
   * delegates to IAM, and KMS's lock-out check needs it for CloudFormation).
   * @default - the account root only: administration is delegated to IAM policies
   */
  readonly admins?: iam.IPrincipal[];
}

/**
 * The customer-managed KMS key (key-encryption key) behind Kubernetes Secrets encryption: EKS envelope encryption
 * (`eks.Cluster({ secretsEncryptionKey: key.key })`), aws-encryption-provider on self-managed clusters, AWS Secrets
 * Manager secrets and CloudWatch log groups. The key material never leaves KMS; only encrypted data keys are stored.
 *
 * - rotation on (yearly by default), `RemovalPolicy.RETAIN`, 30-day pending window, an alias;
 * - key policy: administrators and users are separate, nothing grants `kms:*`:
 *   1. `KeyAdministrationWithoutUse`: the account root (delegating to IAM) and `admins` manage the key, without
 *      cryptographic use, `kms:CreateGrant` or `kms:ScheduleKeyDeletion` (deletion needs a key-policy change first);
 *   2. `EksSecretsEncryptionThroughEks`: `kms:DescribeKey` and `kms:CreateGrant` for principals of this account,
 *      only through EKS in this region (what the cluster creator needs to attach the key);
 *   3. `CloudWatchLogsForTheNamedLogGroups` (only with `logGroupNames`): the CloudWatch Logs service principal, only
 *      for those log groups (`kms:EncryptionContext:aws:logs:arn`);
 *   4. once a Secrets Manager secret uses the key, aws-cdk-lib adds the Secrets Manager statements for principals
 *      of this account, only through Secrets Manager in this region (`kms:ViaService`);
 *   5. `grantEncryptionProvider(role)` adds that role by ARN (a self-managed control plane calls KMS directly).
 *   EKS and Secrets Manager act with the caller's credentials (forward access sessions): callers also need scoped
 *   IAM grants (`grantClusterCreation`, `EncryptedSecretsProvider.grantRead`).
 */
export class SecretsEncryptionKey extends Construct {
  /** The KMS key. Pass it as the EKS cluster's `secretsEncryptionKey`. */
  public readonly key: kms.Key;
  /** The alias. */
  public readonly alias: kms.Alias;
  /** ARN of the key (what the cluster and the encryption provider must reference; never the alias). */
  public readonly keyArn: string;

  /** Creates the KMS key with a key policy limited to the principals given in props. */
  constructor(scope: Construct, id: string, props: SecretsEncryptionKeyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    const pendingWindow = props.pendingWindow ?? Duration.days(30);
    const pendingDays = pendingWindow.toDays({ integral: false });
    if (pendingDays < 7 || pendingDays > 30 || !Number.isInteger(pendingDays)) {
      throw invalidProp(this, 'props.pendingWindow', `${pendingDays} days`, 'KMS accepts 7 to 30 whole days.', 'use Duration.days(30).');
    }
    const rotationPeriod = props.rotationPeriod ?? Duration.days(365);
    const rotationDays = rotationPeriod.toDays({ integral: false });
    if (rotationDays < 90 || rotationDays > 2560 || !Number.isInteger(rotationDays)) {
      throw invalidProp(this, 'props.rotationPeriod', `${rotationDays} days`, 'KMS rotates every 90 to 2560 whole days.', 'use Duration.days(365).');
    }
    const aliasName = props.alias ?? `alias/cdk8s-hardened/${this.node.addr}`;
    if (!Token.isUnresolved(aliasName) && (!/^alias\/[a-zA-Z0-9/_-]+$/.test(aliasName) || aliasName.startsWith('alias/aws/') || aliasName.length > 256)) {
      throw invalidProp(this, 'props.alias', aliasName, 'is not a valid customer alias.', 'use `alias/<team>/<purpose>` (not `alias/aws/...`).');
    }
    const logGroupNames = props.logGroupNames ?? [];
    for (const [i, name] of logGroupNames.entries()) {
      if (typeof name !== 'string' || (!Token.isUnresolved(name) && !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name))) {
        throw invalidProp(this, `props.logGroupNames[${i}]`, name, 'is not a log group name (wildcards would admit every log group they match).',
          'name each log group exactly, e.g. "/aws/eks/shop/cluster".');
      }
    }
    const statements = [
      new iam.PolicyStatement({
        sid: 'EksSecretsEncryptionThroughEks',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:DescribeKey', 'kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': `eks.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account },
        },
      }),
    ];
    if (logGroupNames.length > 0) statements.push(logsStatement(stack, 'CloudWatchLogsForTheNamedLogGroups', logGroupNames));
    const policy = keyPolicy(props.admins ?? [], ...statements);

    this.key = new kms.Key(this, 'Key', {
      description: props.description ?? 'Envelope encryption of Kubernetes Secrets and AWS Secrets Manager secrets (cdk8s-hardened)',
      enableKeyRotation: true,
      rotationPeriod,
      pendingWindow,
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
    this.alias = new kms.Alias(this, 'Alias', { aliasName, targetKey: this.key });
    this.keyArn = this.key.keyArn;
  }

  /**
   * Let the principal that creates the EKS cluster (the CloudFormation execution role when CDK deploys) attach the
   * key: `kms:DescribeKey`, and `kms:CreateGrant` only through EKS and only for grants to AWS resources.
   * The CDK bootstrap execution role usually has these through AdministratorAccess; use this for a least-privilege
   * deployment role.
   */
  public grantClusterCreation(grantee: iam.IGrantable): iam.Grant {
    const stack = Stack.of(this);
    const describe = iam.Grant.addToPrincipal({ grantee, actions: ['kms:DescribeKey'], resourceArns: [this.key.keyArn] });
    const createGrant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:CreateGrant'],
      resourceArns: [this.key.keyArn],
      conditions: {
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
        StringEquals: { 'kms:ViaService': `eks.${stack.region}.amazonaws.com` },
      },
    });
    return describe.combine(createGrant);
  }

  /**
   * Let the control-plane role of a self-managed cluster run aws-encryption-provider with this key
   * (`kms:Encrypt`, `kms:Decrypt`, `kms:DescribeKey` on this key only).
   */
  public grantEncryptionProvider(grantee: iam.IGrantable): iam.Grant {
    // The key policy grants no use to the account root, so the role is named in the key policy as well.
    return iam.Grant.addToPrincipalAndResource({
      grantee, actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], resourceArns: [this.key.keyArn], resource: this.key, resourceSelfArns: ['*'],
    });
  }
}
