import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DNS1123, DNS1123_SUBDOMAIN } from '../kube/k8s-syntax';
import { fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { containsToken, invalidProp, validateNoTokens } from './private/errors';
import { WorkloadIdentityType } from './provider';

/** API version of Secrets Store CSI driver objects (the served and stored version of the shipped CRD). */
export const SECRETS_STORE_CSI_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';

/** One JSON key of a Secrets Manager secret, written to its own file. */
export interface MountedSecretKey {
  /** JSON property of the secret value (a JMESPath such as `password`). */
  readonly key: string;
  /** File name in the mount, e.g. `db-password`. */
  readonly fileName: string;
}

/** One AWS Secrets Manager secret mounted as files. */
export interface MountedSecret {
  /** Name or complete ARN of the Secrets Manager secret, e.g. `shop/db`. */
  readonly secretName: string;
  /**
   * File name of the whole secret value in the mount.
   * @default - the secret name with `/` replaced by `_` (`shop/db` -> `shop_db`)
   */
  readonly fileName?: string;
  /**
   * JSON keys of the secret value, each written to its own file, so the workload reads only the field it needs.
   * @default - none: only the whole value is written
   */
  readonly keys?: MountedSecretKey[];
}

/** Props of an {@link AwsSecretProviderClass}. */
export interface AwsSecretProviderClassProps {
  /** AWS region of the Secrets Manager secrets, e.g. `eu-west-1`. */
  readonly region: string;
  /** The secrets to mount: only those the workload needs. */
  readonly secrets: MountedSecret[];
  /**
   * How the AWS provider obtains the pod's credentials. With Pod Identity (`usePodIdentity: "true"`) the role is the
   * one associated with the pod's ServiceAccount (`EncryptedSecretsProvider.grantRead` creates the association); with
   * IRSA the pod's ServiceAccount must carry the `eks.amazonaws.com/role-arn` annotation.
   * @default WorkloadIdentityType.POD_IDENTITY — needs no annotation on the ServiceAccount, trust is pinned by the association
   */
  readonly identity?: WorkloadIdentityType;
  /**
   * Namespace of the SecretProviderClass: it must be the namespace of the pods that mount it.
   * @default - the chart's namespace; one of the two is required
   */
  readonly namespace?: string;
  /**
   * metadata.name of the SecretProviderClass.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
}

/**
 * A Secrets Store CSI driver `SecretProviderClass` for AWS Secrets Manager (secrets-store-csi-driver-provider-aws).
 * Mount it into a workload with `HardenedDeployment`'s `secretProviderMounts: [{ path, secretProviderClass }]`.
 *
 * The secrets reach the pod as files on a read-only tmpfs volume, fetched with the pod's own identity when it starts:
 * no Kubernetes Secret is created, so nothing lands in etcd, and every workload reads only what its own role is
 * granted (unlike a shared store). Syncing into a Kubernetes Secret (`secretObjects`) is deliberately not offered:
 * use `AwsSecretStore` / `AwsExternalSecret` when a Kubernetes Secret is needed.
 */
export class AwsSecretProviderClass extends Construct {
  /** The SecretProviderClass object. */
  public readonly resource: ApiObject;
  /** metadata.name of the SecretProviderClass. */
  public readonly name: string;
  /** Namespace of the SecretProviderClass (and of the pods that may mount it). */
  public readonly namespace: string;
  /** File names in the mount, in order. */
  public readonly fileNames: string[];

  /** Validates the props and creates the SecretProviderClass object. */
  constructor(scope: Construct, id: string, props: AwsSecretProviderClassProps) {
    super(scope, id);
    Guard.of(this);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (!namespace || !DNS1123.test(namespace)) {
      fail(this, 'metadata-valid', 'props.namespace', namespace, 'is not a namespace name (neither the class nor its chart sets a valid one); the CSI driver reads the class from the pod\'s namespace.',
        'set `namespace` to the namespace of the workloads that mount it.');
    }
    const name = props.name ?? id.toLowerCase();
    if (!DNS1123_SUBDOMAIN.test(name)) {
      fail(this, 'metadata-valid', props.name !== undefined ? 'props.name' : 'id', name, 'is not a valid Kubernetes name.', 'use lowercase letters, digits and `-` (DNS-1123).');
    }
    if (!Array.isArray(props.secrets) || props.secrets.length === 0) {
      throw invalidProp(this, 'props.secrets', props.secrets, 'lists no secret.', 'name the secrets the workload needs, e.g. `[{ secretName: \'shop/db\' }]`.');
    }
    if (!containsToken(props.region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      throw invalidProp(this, 'props.region', props.region, 'is not an AWS region.', 'use e.g. `eu-west-1`.');
    }
    const identity = props.identity ?? WorkloadIdentityType.POD_IDENTITY;

    const files = new Set<string>();
    const addFile = (fileName: unknown, field: string) => {
      if (typeof fileName !== 'string' || !/^[-._a-zA-Z0-9]{1,255}$/.test(fileName) || fileName === '.' || fileName === '..') {
        throw invalidProp(this, field, fileName, 'is not a plain file name.', 'use letters, digits, `-`, `_` and `.` only (no `/`).');
      }
      if (files.has(fileName)) throw invalidProp(this, field, fileName, 'is used twice in this mount.', 'give every file a distinct name.');
      files.add(fileName);
      return fileName;
    };
    // The AWS provider keeps object names and aliases in one namespace: a name may not equal another entry's alias.
    const objectNames = new Set(props.secrets.map(x => x?.secretName));
    const objects = props.secrets.map((s, i) => {
      const field = `props.secrets[${i}]`;
      if (typeof s?.secretName !== 'string' || s.secretName.length === 0) {
        throw invalidProp(this, `${field}.secretName`, s?.secretName, 'is empty.', 'pass the Secrets Manager secret name or ARN, e.g. `shop/db`.');
      }
      const arnRegion = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(s.secretName)?.[1];
      if (arnRegion && !containsToken(props.region) && arnRegion !== props.region) {
        throw invalidProp(this, `${field}.secretName`, s.secretName, `is in region "${arnRegion}", not the class's region "${props.region}" (the provider rejects it).`,
          'use a secret of the class\'s region, or a second class for the other region.');
      }
      if (s.fileName === undefined && containsToken(s.secretName)) {
        throw invalidProp(this, `${field}.fileName`, s.fileName, 'cannot be derived from a secret name that is an unresolved token.', 'set `fileName`, e.g. `db.json`.');
      }
      const objectAlias = addFile(s.fileName ?? s.secretName.replace(/^arn:.*:secret:/, '').replace(/\//g, '_'), `${field}.fileName`);
      if (objectAlias !== s.secretName && objectNames.has(objectAlias)) {
        throw invalidProp(this, `${field}.fileName`, objectAlias, 'equals the name of another secret of this class; the provider keeps names and file names in one namespace.',
          'choose another fileName.');
      }
      const keys = s.keys ?? [];
      if (!Array.isArray(keys)) throw invalidProp(this, `${field}.keys`, keys, 'must be a list.', 'pass e.g. `[{ key: \'password\', fileName: \'db-password\' }]`.');
      const jmesPath = keys.map((k, j) => {
        if (typeof k?.key !== 'string' || k.key.length === 0) {
          throw invalidProp(this, `${field}.keys[${j}].key`, k?.key, 'is empty.', 'name the JSON property, e.g. `password`.');
        }
        const fileName = addFile(k.fileName, `${field}.keys[${j}].fileName`);
        if (objectNames.has(fileName)) {
          throw invalidProp(this, `${field}.keys[${j}].fileName`, fileName, 'equals the name of a secret of this class; the provider keeps names and file names in one namespace.',
            'choose another fileName.');
        }
        return { path: k.key, objectAlias: fileName };
      });
      return {
        objectName: s.secretName,
        objectType: 'secretsmanager',
        // an alias equal to the name is rejected by the provider ("Name already in use"): the name is the file name then
        ...(objectAlias !== s.secretName ? { objectAlias } : {}),
        ...(jmesPath.length > 0 ? { jmesPath } : {}),
      };
    });
    validateNoTokens(this, {
      'props.region': props.region,
      ...Object.fromEntries(props.secrets.map((s, i) => [`props.secrets[${i}].secretName`, s.secretName])),
    });

    this.name = name;
    this.namespace = namespace;
    this.fileNames = [...files];
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: SECRETS_STORE_CSI_API_VERSION,
      kind: 'SecretProviderClass',
      metadata: { name, namespace },
      spec: {
        provider: 'aws',
        parameters: {
          region: props.region,
          // JSON is YAML the provider (sigs.k8s.io/yaml, YAML 1.1) reads without YAML 1.1 surprises (`yes`, `on`, `1_000`)
          objects: JSON.stringify(objects),
          ...(identity === WorkloadIdentityType.POD_IDENTITY ? { usePodIdentity: 'true' } : {}),
        },
      },
    });
  }
}
