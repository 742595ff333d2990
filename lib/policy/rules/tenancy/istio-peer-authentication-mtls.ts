import { IRule, RuleViolation, Severity, Stride } from '../../types';

const WEAK = new Set(['DISABLE', 'PERMISSIVE']);

export const istioPeerAuthenticationMtls: IRule = {
  id: 'istio-peer-authentication-mtls',
  title: 'Istio PeerAuthentication does not disable or relax mutual TLS',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['PeerAuthentication'],
  description: 'A PeerAuthentication with mTLS mode `DISABLE` accepts only plaintext, and `PERMISSIVE` accepts plaintext ' +
    'beside mTLS: any pod (or anything that reaches the pod IP) can connect without a workload identity, and ' +
    'AuthorizationPolicies on principals are bypassed. Judged at `spec.mtls.mode` and every ' +
    '`spec.portLevelMtls.<port>.mode`; `UNSET` inherits the parent policy and passes. Istio reads the mode ' +
    'case-sensitively (the enum), so only the exact names are modes.',
  remediation: 'Use mode `STRICT` (IsolatedNamespace with meshMtlsStrict emits it); migrate plaintext clients into the mesh ' +
    'first, or waive a time-boxed PERMISSIVE migration.',
  references: ['Istio docs: PeerAuthentication, Mutual TLS migration', 'NIST SP 800-204A: mutual TLS between services',
    'NSA/CISA Kubernetes Hardening Guidance: encrypt traffic in transit'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    if (!String(obj?.apiVersion ?? '').startsWith('security.istio.io/')) return [];
    const out: RuleViolation[] = [];
    const mode = obj?.spec?.mtls?.mode;
    if (WEAK.has(mode)) out.push({ path: 'spec.mtls.mode', message: `mTLS mode ${mode}.` });
    const ports = obj?.spec?.portLevelMtls && typeof obj.spec.portLevelMtls === 'object' ? obj.spec.portLevelMtls : {};
    for (const [port, v] of Object.entries<any>(ports)) {
      if (WEAK.has(v?.mode)) out.push({ path: `spec.portLevelMtls["${port}"].mode`, message: `mTLS mode ${v.mode} on port ${port}.` });
    }
    return out;
  },
};
