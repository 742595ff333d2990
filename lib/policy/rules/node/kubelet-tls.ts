import { IRule, Severity, Stride } from '../../types';
import { field, STRONG_CIPHER_SUITES, tlsProblems, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { CIS, onKubelet } from './kubelet-util';

export const kubeletTls: IRule = {
  id: 'kubelet-tls',
  title: 'The kubelet serves TLS 1.2 or newer with strong cipher suites only',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'tlsMinVersion must be VersionTLS12 or VersionTLS13, written out (unset, the minimum is the Go toolchain\'s ' +
    'default, TLS 1.0 before Go 1.22). With TLS 1.2 allowed, tlsCipherSuites must be written and hold only AEAD suites ' +
    `with forward secrecy: ${STRONG_CIPHER_SUITES.join(', ')} (the CIS list without the RSA key-exchange suites). With ` +
    'VersionTLS13 the suites are fixed by Go and not judged.',
  remediation: 'Set tlsMinVersion: VersionTLS12 and tlsCipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ' +
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ' +
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256], or tlsMinVersion: VersionTLS13.',
  references: [`${CIS} 4.2.12 (strong cryptographic ciphers)`, 'Seed: TLS between components'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => tlsProblems(field(obj, 'tlsMinVersion'), field(obj, 'tlsCipherSuites'), { min: 'tlsMinVersion', suites: 'tlsCipherSuites' })
    .map(message => ({ path: message.startsWith('tlsMinVersion') ? 'tlsMinVersion' : 'tlsCipherSuites', message }))),
};
