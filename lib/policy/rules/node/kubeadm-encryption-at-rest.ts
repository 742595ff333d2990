import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

export const kubeadmEncryptionAtRest: IRule = {
  id: 'kubeadm-encryption-at-rest',
  title: 'kube-apiserver encrypts Secrets at rest (--encryption-provider-config)',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'kubeadm sets no --encryption-provider-config: Secrets are written to etcd in clear text, and every etcd ' +
    'backup or snapshot carries them readable. The EncryptionConfiguration file it names is judged by ' +
    'encryption-config-provider-order (identity must not come first); the file must also be mounted into the API server ' +
    'pod (apiServer.extraVolumes).',
  remediation: 'Write an EncryptionConfiguration (EncryptedSecretsProvider / encryptionConfiguration with KMS v2) to ' +
    '/etc/kubernetes/enc/config.yaml, set encryption-provider-config to it and mount it read-only (HardenedKubeadmConfig does).',
  references: [`${CIS} 1.2.27 (encryption-provider-config)`, `${CIS} 1.2.28 (providers appropriately configured: encryption-config-provider-order)`],
  peers: [],
  threats: ['I2-secrets-at-rest'],
  threatEvidence: ['I2-secrets-at-rest'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const v = componentFlags(obj, 'apiServer').scalar('encryption-provider-config');
    const out: RuleViolation[] = [];
    if (!v.value) out.push({ path: v.path, message: 'encryption-provider-config is not set: Secrets are stored in etcd in clear text.' });
    return out;
  }),
};
