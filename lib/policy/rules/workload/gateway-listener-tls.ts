import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const gatewayListenerTls: IRule = {
  id: 'gateway-listener-tls',
  title: 'Gateway API listeners terminate or pass through TLS',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.WARNING,
  appliesTo: ['Gateway', 'ListenerSet', 'XListenerSet'],
  description: 'A Gateway listener with protocol `HTTP`, `TCP` or `UDP` carries plaintext; an `HTTPS` or `TLS` listener ' +
    'in `Terminate` mode (the default) without `tls.certificateRefs` is not programmed, or falls back to plaintext on ' +
    'some implementations. Protocols are compared as Gateway API does (exact, case-sensitive). A warning: an HTTP ' +
    'listener that only redirects to HTTPS is a common, legitimate pattern — waive it naming the redirect HTTPRoute.',
  remediation: 'Use `protocol: HTTPS` (or `TLS`) with `tls.certificateRefs` (or `tls.mode: Passthrough` for end-to-end TLS); ' +
    'keep an HTTP listener only for a redirect, waived.',
  references: ['Gateway API spec: Listener, GatewayTLSConfig', 'NSA/CISA Kubernetes Hardening Guidance: encrypt traffic in transit'],
  check(obj) {
    if (!String(obj?.apiVersion ?? '').startsWith('gateway.networking.')) return [];
    const out: RuleViolation[] = [];
    const listeners: unknown[] = Array.isArray(obj?.spec?.listeners) ? obj.spec.listeners : [];
    listeners.forEach((l: any, i) => {
      const p = l?.protocol;
      const name = JSON.stringify(l?.name);
      if (p === 'HTTPS' || p === 'TLS') {
        const mode = l?.tls?.mode ?? 'Terminate';
        const refs = Array.isArray(l?.tls?.certificateRefs) ? l.tls.certificateRefs : [];
        if (mode === 'Terminate' && refs.length === 0) out.push({ path: `spec.listeners[${i}].tls`, message: `listener ${name} (${p}) terminates TLS without certificateRefs.` });
      } else {
        out.push({ path: `spec.listeners[${i}].protocol`, message: `listener ${name} uses protocol ${JSON.stringify(p)}: plaintext.` });
      }
    });
    return out;
  },
};
