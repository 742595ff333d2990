import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacCsrApproval = pathRule({
  id: 'rbac-csr-approval',
  title: 'No approving or signing of certificate requests for built-in signers',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  description: 'Approving a CertificateSigningRequest needs update/patch on `certificatesigningrequests/approval` and ' +
    '`approve` on `signers` (certificates.k8s.io) for the request\'s signer name or `<domain>/*`; issuing one needs ' +
    'update/patch on `certificatesigningrequests/status` and `sign` on the signer. For the built-in signers ' +
    '(kubernetes.io/kube-apiserver-client, kube-apiserver-client-kubelet, kubelet-serving, legacy-unknown) that is a ' +
    'client certificate for any user or group the API server trusts (system:masters included) or a node identity. ' +
    'Either half alone is not a finding; approval limited by resourceNames to a custom signer is not a finding.',
  remediation: 'Leave approval of built-in signers to the kube-controller-manager\'s approvers; grant `approve` only with ' +
    'resourceNames naming a custom signer (e.g. `example.com/internal`).',
  references: [
    'CIS Kubernetes Benchmark 5.1.11: Minimize access to the approval sub-resource of certificatesigningrequests objects',
    `${RBAC_GOOD_PRACTICES} (CSRs and certificate issuing)`,
    'Kubernetes docs: Certificates and Certificate Signing Requests (authorization)',
  ],
  peers: [],
  threats: ['E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
