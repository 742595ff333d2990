import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { invalidProp } from '../secrets/private/errors';
import { keyPolicy, logsStatement } from '../secrets/private/key-policy';

/** Props of a {@link LogsEncryptionKey}. */
export interface LogsEncryptionKeyProps {
  /**
   * Exact names of the log groups (this account and region) CloudWatch Logs may encrypt with the key, e.g. a VPC
   * flow-log group: `new logs.LogGroup(this, 'FlowLogs', { logGroupName: '/shop/vpc-flow-logs', encryptionKey: key.key })`.
   */
  readonly logGroupNames: string[];
  /**
   * Description of the key.
   * @default 'CloudWatch Logs encryption of <names> (cdk8s-hardened)'
   */
  readonly description?: string;
  /**
   * Alias of the key.
   * @default - none
   */
  readonly alias?: string;
  /**
   * Additional key administrators (manage, never use, never schedule deletion).
   * @default - the account root only (delegating to IAM)
   */
  readonly admins?: iam.IPrincipal[];
}

/**
 * A customer-managed KMS key for CloudWatch log groups other than the audit trail's (VPC flow logs, application logs):
 * rotation, RETAIN, 30-day pending window; administrators without use; CloudWatch Logs only for the named log groups
 * (encryption context `ArnEquals`). Never the secrets key: a principal that reads logs must not hold a key that also
 * decrypts Secrets, and disabling one must not silence the other.
 */
export class LogsEncryptionKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;

  /** Creates the key for the log groups given in props. */
  constructor(scope: Construct, id: string, props: LogsEncryptionKeyProps) {
    super(scope, id);
    const names = props.logGroupNames ?? [];
    if (names.length === 0) {
      throw invalidProp(this, 'props.logGroupNames', names, 'names no log group: CloudWatch Logs could not use the key.', 'name each log group, e.g. ["/shop/vpc-flow-logs"].');
    }
    for (const [i, name] of names.entries()) {
      if (typeof name !== 'string' || (!Token.isUnresolved(name) && !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name))) {
        throw invalidProp(this, `props.logGroupNames[${i}]`, name, 'is not a log group name (wildcards would admit every log group they match).',
          'name each log group exactly, e.g. "/shop/vpc-flow-logs".');
      }
    }
    this.key = new kms.Key(this, 'Key', {
      description: props.description ?? `CloudWatch Logs encryption of ${names.filter(n => !Token.isUnresolved(n)).join(', ')} (cdk8s-hardened)`.slice(0, 8192),
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      alias: props.alias,
      policy: keyPolicy(props.admins ?? [], logsStatement(Stack.of(this), 'CloudWatchLogsForTheNamedLogGroups', names)),
    });
  }
}
