import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DNS1123, DNS1123_SUBDOMAIN } from '../kube/k8s-syntax';
import { fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { containsToken, goDuration, invalidProp, validateNoTokens } from './private/errors';
import { ServiceAccountRef } from './service-account-ref';

/** API version of External Secrets Operator objects (the served and stored version of the shipped CRDs). */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

/**
 * Props of an {@link AwsSecretStore}.
 */
export interface AwsSecretStoreProps {
  /** AWS region of the Secrets Manager secrets, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * ARN of the IAM role External Secrets Operator assumes for this store (IRSA: `AssumeRoleWithWebIdentity` with a
   * token of the reader ServiceAccount). Create it with `EncryptedSecretsProvider` and an IRSA `WorkloadIdentity`
   * so its trust is pinned to exactly this namespace and ServiceAccount.
   */
  readonly roleArn: string;
  /**
   * Name of the dedicated reader ServiceAccount this construct creates. No pod runs as it: External Secrets
   * Operator only requests short-lived tokens for it, so workloads never hold AWS credentials.
   */
  readonly serviceAccountName: string;
  /**
   * Namespace of the store, its ServiceAccount and the ExternalSecrets added to it.
   * @default - the chart's namespace; one of the two is required, because the IAM trust pins the namespace
   */
  readonly namespace?: string;
  /**
   * Name of the SecretStore object.
   * @default - the reader ServiceAccount's name
   */
  readonly name?: string;
}

/**
 * How one key of the Kubernetes Secret is filled from the remote secret.
 */
export interface ExternalSecretKey {
  /** Key in the Kubernetes Secret, e.g. `password`. */
  readonly secretKey: string;
  /**
   * JSON property of the remote secret value to copy, e.g. `password`.
   * @default - the whole remote secret value (for secrets that hold a plain string)
   */
  readonly property?: string;
}

/**
 * Options of {@link AwsSecretStore.addExternalSecret}.
 */
export interface AwsExternalSecretOptions {
  /** Name or complete ARN of the AWS Secrets Manager secret, e.g. `shop/db`. */
  readonly remoteSecretName: string;
  /** Name of the Kubernetes Secret External Secrets Operator creates and owns. */
  readonly secretName: string;
  /**
   * Keys of the Kubernetes Secret: only what the workload needs, not every field of the remote secret.
   */
  readonly keys: ExternalSecretKey[];
  /**
   * How often External Secrets Operator re-reads the remote secret (picks up rotations).
   * @default Duration.hours(1) — rotated values reach the cluster within an hour without hammering Secrets Manager
   */
  readonly refreshInterval?: Duration;
}

/**
 * Props of an {@link AwsExternalSecret}.
 */
export interface AwsExternalSecretProps extends AwsExternalSecretOptions {
  /** The store that reads the remote secret. */
  readonly store: AwsSecretStore;
}

/**
 * A namespaced External Secrets Operator `SecretStore` for AWS Secrets Manager, authenticated with IRSA through a
 * dedicated reader ServiceAccount (`automountServiceAccountToken: false`, annotated with the role ARN).
 *
 * Never a `ClusterSecretStore`: a cluster-wide store lets every namespace read whatever its role can read.
 * Pod Identity is not used here because External Secrets Operator can only use it with the controller's own
 * identity, which would give every namespace the union of all grants; use IRSA for this store.
 */
export class AwsSecretStore extends Construct {
  /** The SecretStore object. */
  public readonly secretStore: ApiObject;
  /** The reader ServiceAccount object. */
  public readonly serviceAccount: ApiObject;
  /** Namespace and name of the reader ServiceAccount: grant it read access on the AWS side (`grantRead(store.reader)`). */
  public readonly reader: ServiceAccountRef;
  /** metadata.name of the SecretStore. */
  public readonly name: string;
  /** Namespace of the store. */
  public readonly namespace: string;
  /** AWS region of the store. */
  public readonly region: string;

  /** Validates the props and creates the SecretStore object. */
  constructor(scope: Construct, id: string, props: AwsSecretStoreProps) {
    super(scope, id);
    Guard.of(this);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (!namespace) {
      throw invalidProp(this, 'props.namespace', namespace, 'neither the store nor its chart sets a namespace, but the IAM role trust pins one namespace.',
        'set `namespace` on the store or on the chart.');
    }
    checkName(this, 'props.namespace', namespace, DNS1123);
    checkName(this, 'props.serviceAccountName', props.serviceAccountName, DNS1123_SUBDOMAIN);
    const name = props.name ?? props.serviceAccountName;
    checkName(this, 'props.name', name, DNS1123_SUBDOMAIN);
    if (props.roleArn === undefined || props.roleArn === null || props.roleArn === '') {
      throw invalidProp(this, 'props.roleArn', props.roleArn, 'is missing. (`WorkloadSecretsRole.roleArnForManifests` is undefined when the role has no roleName.)',
        'pass the role ARN: `provider.roleFor(reader, { roleName: \'...\' }).roleArnForManifests` in a stack with an `env` (account and region), '
        + 'or `role.roleArn` in a chart CloudFormation deploys (`Guard.of(chart).allowCloudFormationTokens()`).');
    }
    if (!containsToken(props.roleArn) && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(props.roleArn)) {
      throw invalidProp(this, 'props.roleArn', props.roleArn, 'is not an IAM role ARN.', 'pass `arn:<partition>:iam::<account>:role/<name>`.');
    }
    validateNoTokens(this, { 'props.roleArn': props.roleArn, 'props.region': props.region });

    this.name = name;
    this.namespace = namespace;
    this.region = props.region;
    this.reader = { namespace, serviceAccountName: props.serviceAccountName };

    this.serviceAccount = new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: props.serviceAccountName,
        namespace,
        annotations: {
          'eks.amazonaws.com/role-arn': props.roleArn,
          'eks.amazonaws.com/sts-regional-endpoints': 'true',
        },
      },
      automountServiceAccountToken: false,
    });

    this.secretStore = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'SecretStore',
      metadata: { name, namespace },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: props.region,
            auth: { jwt: { serviceAccountRef: { name: props.serviceAccountName } } },
          },
        },
      },
    });
  }

  /** Sync one AWS Secrets Manager secret into a Kubernetes Secret in this store's namespace. */
  public addExternalSecret(id: string, options: AwsExternalSecretOptions): AwsExternalSecret {
    return new AwsExternalSecret(this, id, { ...options, store: this });
  }
}

/**
 * An External Secrets Operator `ExternalSecret` that copies selected keys of one AWS Secrets Manager secret into a
 * Kubernetes Secret owned by the operator. Only the reference is in the manifest, never a value.
 *
 * Consume the result from a workload through {@link AwsExternalSecret.secret}, e.g.
 * `kplus.EnvValue.fromSecretValue({ secret: db.secret, key: 'password' })` or a read-only secret volume.
 */
export class AwsExternalSecret extends Construct {
  /** The ExternalSecret object. */
  public readonly externalSecret: ApiObject;
  /** The Kubernetes Secret the operator creates (referenced by name; this chart never writes its values). */
  public readonly secret: kplus.ISecret;
  /** Name of the Kubernetes Secret. */
  public readonly secretName: string;
  /** Namespace of the Kubernetes Secret. */
  public readonly namespace: string;

  /** Validates the props and creates the ExternalSecret object. */
  constructor(scope: Construct, id: string, props: AwsExternalSecretProps) {
    super(scope, id);
    Guard.of(this);
    const store = props.store;
    if (Chart.of(this) !== Chart.of(store)) {
      throw invalidProp(this, 'props.store', store.node.path, 'the store is in another chart; a SecretStore is only visible in its own namespace and apply unit.',
        'create the ExternalSecret in the store\'s chart (`store.addExternalSecret(...)`).');
    }
    checkName(this, 'props.secretName', props.secretName, DNS1123_SUBDOMAIN);
    if (!props.remoteSecretName) {
      throw invalidProp(this, 'props.remoteSecretName', props.remoteSecretName, 'is empty.', 'pass the Secrets Manager secret name, e.g. `shop/db`.');
    }
    if (props.keys.length === 0) {
      throw invalidProp(this, 'props.keys', props.keys, 'lists no key.', 'name the keys the workload needs, e.g. `[{ secretKey: \'password\', property: \'password\' }]`.');
    }
    const seen = new Set<string>();
    for (const [i, k] of props.keys.entries()) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k.secretKey)) {
        throw invalidProp(this, `props.keys[${i}].secretKey`, k.secretKey, 'is not a valid Secret key.', 'use letters, digits, `-`, `_` and `.` only.');
      }
      if (seen.has(k.secretKey)) {
        throw invalidProp(this, `props.keys[${i}].secretKey`, k.secretKey, 'is listed twice.', 'give every key a distinct name.');
      }
      seen.add(k.secretKey);
    }
    const refresh = props.refreshInterval ?? Duration.hours(1);
    if (refresh.toMilliseconds() < 60_000) {
      throw invalidProp(this, 'props.refreshInterval', goDuration(refresh.toMilliseconds()), 'is shorter than one minute; every refresh is a paid Secrets Manager call and throttling stalls every sync.',
        'use Duration.minutes(5) or more.');
    }
    validateNoTokens(this, { 'props.remoteSecretName': props.remoteSecretName });

    this.secretName = props.secretName;
    this.namespace = store.namespace;
    this.externalSecret = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ExternalSecret',
      metadata: { name: props.secretName, namespace: store.namespace },
      spec: {
        refreshInterval: goDuration(refresh.toMilliseconds()),
        secretStoreRef: { kind: 'SecretStore', name: store.name },
        target: { name: props.secretName, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: props.keys.map(k => ({
          secretKey: k.secretKey,
          remoteRef: { key: props.remoteSecretName, ...(k.property !== undefined ? { property: k.property } : {}) },
        })),
      },
    });
    this.secret = kplus.Secret.fromSecretName(this, 'Secret', props.secretName);
  }
}

function checkName(scope: Construct, field: string, value: string, pattern: RegExp): void {
  if (containsToken(value)) return;
  if (!pattern.test(value) || value.length > 253) {
    fail(scope, 'metadata-valid', field, value, 'is not a valid Kubernetes name.', 'use lowercase letters, digits and `-` (DNS-1123).');
  }
}
