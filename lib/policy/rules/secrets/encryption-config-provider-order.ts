import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Local encryption providers: their key sits in the same file, on the control-plane disk, next to etcd backups. */
const LOCAL_PROVIDERS = ['identity', 'aescbc', 'aesgcm', 'secretbox'];

/** Resource names that select core-group Secrets in an EncryptionConfiguration entry. */
const COVERS_SECRETS = ['secrets', '*.', '*.*'];

function providerType(provider: any): string {
  if (!provider || typeof provider !== 'object') return String(provider);
  const keys = Object.keys(provider);
  return keys.length === 1 ? keys[0] : keys.join('+') || '<empty>';
}

export const encryptionConfigProviderOrder: IRule = {
  id: 'encryption-config-provider-order',
  title: 'Secrets at rest must be encrypted first by a KMS v2 provider',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['EncryptionConfiguration'],
  description: 'The kube-apiserver encrypts new writes with the FIRST provider of the first `resources` entry that matches a ' +
    'resource (`secrets`, `*.` or `*.*` match Secrets). `identity` writes plaintext to etcd; `aescbc`, `aesgcm` and ' +
    '`secretbox` keep the key in this very file on the control-plane disk, so whoever reads an etcd backup and the node ' +
    'disk reads every Secret. Only a KMS provider keeps the key-encryption key outside the cluster (envelope encryption: ' +
    'only the encrypted DEK is stored). KMS v1 is deprecated since Kubernetes 1.28 and disabled by default from 1.29, ' +
    'so the KMS provider must set `apiVersion: v2`. Later providers (e.g. `identity` during a migration) only decrypt ' +
    'existing data and are allowed.',
  remediation: 'Put a `kms` provider with `apiVersion: v2` (unix socket endpoint, e.g. aws-encryption-provider) first in the ' +
    'entry that covers `secrets`; keep `identity: {}` only after it while existing Secrets are rewritten ' +
    '(`kubectl get secrets -A -o json | kubectl replace -f -`), then remove it. With cdk8s-hardened use `ApiServerEncryptionConfig`.',
  references: [
    'CIS Kubernetes Benchmark v1.8 1.2.28 (--encryption-provider-config is set) and 1.2.29 (encryption providers are appropriately configured)',
    'Kubernetes docs: Using a KMS provider for data encryption (KMS v2)',
    'Seed practice: secrets in etcd encrypted with a key kept outside the cluster',
  ],
  peers: [],
  threats: ['I2-secrets-at-rest'],
  admission: { notGenerated: 'judges the API server\'s EncryptionConfiguration file, not an API object' },
  check(obj) {
    const resources = obj.resources;
    const out: RuleViolation[] = [];
    if (!Array.isArray(resources)) {
      return [{ path: 'resources', message: 'no `resources` list: nothing is encrypted, Secrets are stored in etcd as plaintext.' }];
    }
    const index = resources.findIndex((r: any) => Array.isArray(r?.resources) && r.resources.some((n: any) => COVERS_SECRETS.includes(n)));
    if (index < 0) {
      return [{ path: 'resources', message: 'no entry covers `secrets` (nor `*.` / `*.*`): Secrets are stored in etcd as plaintext.' }];
    }
    const providers = resources[index].providers;
    const base = `resources[${index}].providers`;
    if (!Array.isArray(providers) || providers.length === 0) {
      return [{ path: base, message: 'the entry covering `secrets` lists no provider.' }];
    }
    const first = providerType(providers[0]);
    if (first !== 'kms') {
      const why = first === 'identity'
        ? 'new Secrets are written to etcd unencrypted'
        : LOCAL_PROVIDERS.includes(first)
          ? 'its key is stored in this file on the control-plane disk, not outside the cluster'
          : 'it is not a KMS provider';
      out.push({ path: `${base}[0]`, message: `the first provider for secrets is "${first}": ${why}.` });
      if (!providers.some((p: any) => providerType(p) === 'kms')) {
        out.push({ path: base, message: 'no KMS provider at all for secrets: the key-encryption key is not kept outside the cluster.' });
      }
      return out;
    }
    const kms = providers[0].kms ?? {};
    if (kms.apiVersion !== 'v2') {
      out.push({
        path: `${base}[0].kms.apiVersion`,
        message: `the first KMS provider uses KMS ${kms.apiVersion ?? 'v1 (apiVersion unset)'}; KMS v1 is deprecated and disabled by default from Kubernetes 1.29.`,
      });
    }
    return out;
  },
};
