import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { field, kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { CIS, notBool, onKubelet } from './kubelet-util';

export const kubeletCertificateRotation: IRule = {
  id: 'kubelet-certificate-rotation',
  title: 'The kubelet rotates its client certificate and bootstraps a CA-signed serving certificate',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'Without rotateCertificates the kubelet\'s client certificate expires (the node goes NotReady) or is ' +
    'replaced by hand with long-lived ones. Without serverTLSBootstrap the kubelet serves a self-signed certificate the ' +
    'API server cannot verify (so --kubelet-certificate-authority cannot be set and the exec/logs channel can be ' +
    'intercepted). Both default to false. The RotateKubeletServerCertificate feature gate must not be turned off.',
  remediation: 'Set rotateCertificates: true and serverTLSBootstrap: true, and approve kubelet-serving CSRs (an approver ' +
    'such as kubelet-csr-approver, or `kubectl certificate approve` after checking node name and addresses).',
  references: [`${CIS} 4.2.10 (rotate-certificates)`, `${CIS} 4.2.11 (RotateKubeletServerCertificate)`, `${CIS} 1.2.5 (kubelet-certificate-authority)`,
    'Kubernetes docs: TLS bootstrapping (certificate rotation, serving certificates)'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const out: RuleViolation[] = [];
    for (const key of ['rotateCertificates', 'serverTLSBootstrap'] as const) {
      const v = kubeletValue(obj, key);
      if (typeof v.value !== 'boolean') out.push(notBool(key, v.value));
      else if (!v.value) out.push({ path: key, message: `${key} is ${v.explicit ? 'false' : 'not set (default false)'}.` });
    }
    const gate = field(obj, 'featureGates.RotateKubeletServerCertificate');
    if (gate === false) out.push({ path: 'featureGates.RotateKubeletServerCertificate', message: 'the RotateKubeletServerCertificate feature gate is off: serving certificates are never rotated.' });
    return out;
  }),
};
