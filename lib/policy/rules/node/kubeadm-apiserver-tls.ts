import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { tlsProblems, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

export const kubeadmApiserverTls: IRule = {
  id: 'kubeadm-apiserver-tls',
  title: 'kube-apiserver serves TLS 1.2+ with strong suites and verifies kubelet serving certificates',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'kubeadm sets no --tls-min-version and no --tls-cipher-suites (Go defaults: TLS 1.0 before Go 1.22, CBC ' +
    'suites) and no --kubelet-certificate-authority: the API server then connects to kubelets (exec, logs, port-forward) ' +
    'without verifying who answers, so anyone on the node network path can intercept those streams. Both TLS flags must ' +
    'be written with strong values (as kubelet-tls), and kubelet-certificate-authority must name the CA that signs ' +
    'kubelet serving certificates (the cluster CA with serverTLSBootstrap).',
  remediation: 'Set tls-min-version: VersionTLS12, tls-cipher-suites to ECDHE AEAD suites, and kubelet-certificate-authority: ' +
    '/etc/kubernetes/pki/ca.crt with kubelets on serverTLSBootstrap and their CSRs approved.',
  references: [`${CIS} 1.2.29 (strong cryptographic ciphers)`, `${CIS} 1.2.5 (kubelet-certificate-authority)`, 'Seed: TLS between components'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const flags = componentFlags(obj, 'apiServer');
    const min = flags.scalar('tls-min-version');
    const suites = flags.scalar('tls-cipher-suites');
    const out: RuleViolation[] = tlsProblems(min.value, suites.value, { min: 'tls-min-version', suites: 'tls-cipher-suites' })
      .map(message => ({ path: message.startsWith('tls-min-version') ? min.path : suites.path, message }));
    const ca = flags.scalar('kubelet-certificate-authority');
    if (!ca.value) out.push({ path: ca.path, message: 'kubelet-certificate-authority is not set: kubelet serving certificates are not verified.' });
    return out;
  }),
};
