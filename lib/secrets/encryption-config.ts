import { ApiObject, ApiObjectProps, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Guard } from '../policy/guard';
import { containsToken, goDuration, invalidProp, unresolvedTokenError } from './private/errors';

/**
 * Props of an {@link ApiServerEncryptionConfig}.
 */
export interface ApiServerEncryptionConfigProps {
  /**
   * ARN of the customer-managed KMS key (the key-encryption key; it never leaves KMS), e.g.
   * `arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...`. A key ARN, not an alias: re-pointing an alias would make
   * every Secret encrypted before unreadable.
   */
  readonly keyArn: string;
  /** AWS region of the key. */
  readonly region: string;
  /**
   * Also encrypt ConfigMaps with the KMS provider.
   * @default false — ConfigMaps are for non-secret data; every encrypted read costs a KMS round trip on a DEK cache miss
   */
  readonly encryptConfigMaps?: boolean;
  /**
   * Migration mode: add `identity: {}` AFTER the KMS provider so Secrets written before encryption was enabled stay
   * readable until they are rewritten. New writes are always KMS-encrypted; `identity` is never first.
   * @default false — no plaintext fallback: a Secret that is not KMS-encrypted cannot be read
   */
  readonly migrationMode?: boolean;
  /**
   * KMS provider name (unique per config; stored with every encrypted object, so never rename it).
   * @default 'aws-encryption-provider'
   */
  readonly providerName?: string;
  /**
   * Absolute path of the unix socket aws-encryption-provider listens on.
   * @default '/var/run/kmsplugin/socket.sock' — a unix socket never leaves the node (no network listener for the plugin)
   */
  readonly socketPath?: string;
  /**
   * How long the API server waits for the KMS plugin.
   * @default Duration.seconds(3) — fail fast instead of holding API requests when KMS is unreachable
   */
  readonly timeout?: Duration;
  /**
   * Port of the aws-encryption-provider health endpoint (`--health-port`).
   * @default 8083 — 8080 (the plugin's own default) collides with the API server on a hostNetwork control plane
   */
  readonly healthPort?: number;
  /**
   * Path of this file on the control-plane nodes (`--encryption-provider-config`).
   * @default '/etc/kubernetes/encryption/encryption-config.yaml'
   */
  readonly configPath?: string;
}

/**
 * An `apiserver.config.k8s.io/v1` `EncryptionConfiguration` for self-managed clusters (kubeadm, kops, ...):
 * Secrets (and optionally ConfigMaps) are envelope-encrypted by a KMS v2 provider backed by
 * aws-encryption-provider, so only DEKs encrypted by the KMS key are stored in etcd.
 *
 * It is a kube-apiserver file, not an API object to `kubectl apply`: this chart holds only that object, without
 * `metadata`, so `cdk8s synth` writes it as its own file (`dist/<chart id>.k8s.yaml`) to be copied to
 * {@link configPath} on every control-plane node. The guard checks it with `encryption-config-provider-order`.
 *
 * On EKS use the cluster's `secretsEncryptionKey` instead (see `SecretsEncryptionKey`).
 */
export class ApiServerEncryptionConfig extends Chart {
  /** The EncryptionConfiguration object. */
  public readonly configuration: ApiObject;
  /** kube-apiserver flags that load this file. Mount {@link configPath} and the socket directory into the API server. */
  public readonly apiServerArgs: string[];
  /** aws-encryption-provider flags (run it as a static pod or systemd unit on each control-plane node). */
  public readonly encryptionProviderArgs: string[];
  /** Path of this file on the control-plane nodes. */
  public readonly configPath: string;
  /** Path of the plugin's unix socket. */
  public readonly socketPath: string;
  /** ARN of the KMS key. */
  public readonly keyArn: string;
  /** Region of the KMS key. */
  public readonly region: string;

  /** Validates the key ARN and region and renders the EncryptionConfiguration file. */
  constructor(scope: Construct, id: string, props: ApiServerEncryptionConfigProps) {
    super(scope, id);
    Guard.of(this);

    // This file is copied to control-plane disks, never deployed through CloudFormation: a token can never resolve.
    for (const [field, value] of Object.entries({ 'props.keyArn': props.keyArn, 'props.region': props.region })) {
      if (containsToken(value)) {
        throw unresolvedTokenError(this, field, value, ' The EncryptionConfiguration is a file on the control-plane nodes, so CloudFormation never resolves it.',
          'pass the concrete value (e.g. the key ARN from the stack output after `cdk deploy`).');
      }
    }
    const arn = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(props.keyArn);
    if (!arn) {
      throw invalidProp(this, 'props.keyArn', props.keyArn, 'is not a KMS key ARN.', 'pass `arn:<partition>:kms:<region>:<account>:key/<key-id>`.');
    }
    if (arn[3] === 'alias') {
      throw invalidProp(this, 'props.keyArn', props.keyArn, 'is an alias ARN: re-pointing the alias would make every Secret encrypted before unreadable.',
        'pass the key ARN (`arn:...:key/<key-id>`).');
    }
    if (arn[1] !== props.region) {
      throw invalidProp(this, 'props.region', props.region, `differs from the key's region "${arn[1]}" (KMS keys are regional).`, `set region to "${arn[1]}".`);
    }
    const socketPath = props.socketPath ?? '/var/run/kmsplugin/socket.sock';
    if (!socketPath.startsWith('/') || /\s/.test(socketPath)) {
      throw invalidProp(this, 'props.socketPath', socketPath, 'is not an absolute path.', 'use e.g. `/var/run/kmsplugin/socket.sock`.');
    }
    const timeout = props.timeout ?? Duration.seconds(3);
    if (timeout.toMilliseconds() <= 0 || timeout.toMilliseconds() > 60_000) {
      throw invalidProp(this, 'props.timeout', `${timeout.toMilliseconds()}ms`, 'must be between 1ms and 60s.', 'use Duration.seconds(3).');
    }
    const healthPort = props.healthPort ?? 8083;
    if (!Number.isInteger(healthPort) || healthPort < 1 || healthPort > 65535) {
      throw invalidProp(this, 'props.healthPort', healthPort, 'is not a TCP port.', 'use e.g. 8083.');
    }
    const configPath = props.configPath ?? '/etc/kubernetes/encryption/encryption-config.yaml';
    if (!configPath.startsWith('/')) {
      throw invalidProp(this, 'props.configPath', configPath, 'is not an absolute path.', 'use e.g. `/etc/kubernetes/encryption/encryption-config.yaml`.');
    }
    const providerName = props.providerName ?? 'aws-encryption-provider';
    if (!/^[a-zA-Z0-9][-a-zA-Z0-9_.]*$/.test(providerName)) {
      throw invalidProp(this, 'props.providerName', providerName, 'is not a valid KMS provider name.', 'use letters, digits, `-`, `_` and `.`.');
    }

    const providers: any[] = [{
      kms: { apiVersion: 'v2', name: providerName, endpoint: `unix://${socketPath}`, timeout: goDuration(timeout.toMilliseconds()) },
    }];
    if (props.migrationMode === true) providers.push({ identity: {} });
    const resources = props.encryptConfigMaps === true ? ['secrets', 'configmaps'] : ['secrets'];

    this.configuration = new EncryptionConfigurationObject(this, 'Resource', {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources, providers }],
    } as ApiObjectProps);

    this.keyArn = props.keyArn;
    this.region = props.region;
    this.configPath = configPath;
    this.socketPath = socketPath;
    this.apiServerArgs = [
      `--encryption-provider-config=${configPath}`,
      '--encryption-provider-config-automatic-reload=true',
    ];
    this.encryptionProviderArgs = [
      `--key=${props.keyArn}`,
      `--region=${props.region}`,
      `--listen=${socketPath}`,
      `--health-port=:${healthPort}`,
    ];
  }

  /**
   * Operator notes (Markdown): where the file goes, the kube-apiserver flags, the aws-encryption-provider flags
   * and the IAM permissions of the control-plane role. Write it next to the synthesized YAML.
   */
  public renderSetupGuide(): string {
    const socketDir = this.socketPath.slice(0, this.socketPath.lastIndexOf('/')) || '/';
    return [
      `# KMS encryption at rest for kube-apiserver (${this.node.id})`,
      '',
      `1. Copy \`${this.node.id}.k8s.yaml\` to \`${this.configPath}\` on every control-plane node (mode 0600, owner root).`,
      '2. Run aws-encryption-provider on every control-plane node (static pod or systemd unit) with:',
      '',
      '```',
      '/aws-encryption-provider \\',
      ...this.encryptionProviderArgs.map((a, i, all) => `  ${a}${i < all.length - 1 ? ' \\' : ''}`),
      '```',
      '',
      `3. Mount \`${socketDir}\` and \`${this.configPath}\` into kube-apiserver and add:`,
      '',
      '```',
      ...this.apiServerArgs.map(a => `  ${a}`),
      '```',
      '',
      `4. Give the control-plane instance role \`kms:Encrypt\`, \`kms:Decrypt\` and \`kms:DescribeKey\` on \`${this.keyArn}\` ` +
        '(`SecretsEncryptionKey.grantEncryptionProvider(role)`).',
      '5. Rewrite existing Secrets so they are encrypted: `kubectl get secrets -A -o json | kubectl replace -f -`.',
      '',
    ].join('\n');
  }
}

/** The EncryptionConfiguration object: a config file, so it carries no `metadata` (the API server does not expect one). */
class EncryptionConfigurationObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    delete json.metadata;
    return json;
  }
}
