import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Istio's own Gateway (networking.istio.io): `servers[].port.protocol`, plaintext unless an HTTP server only redirects. */
function istioGateway(obj: any): RuleViolation[] {
  const out: RuleViolation[] = [];
  const servers: unknown[] = Array.isArray(obj?.spec?.servers) ? obj.spec.servers : [];
  servers.forEach((srv: any, i) => {
    const p = String(srv?.port?.protocol ?? '').toUpperCase(); // Istio parses protocols case-insensitively
    if (p === 'HTTPS' || p === 'TLS') {
      if (!srv?.tls?.mode) out.push({ path: `spec.servers[${i}].tls`, message: `server port ${JSON.stringify(srv?.port?.name ?? srv?.port?.number)} (${p}) sets no tls.mode.` });
    } else if (!(p === 'HTTP' && srv?.tls?.httpsRedirect === true)) {
      out.push({ path: `spec.servers[${i}].port.protocol`, message: `server port ${JSON.stringify(srv?.port?.name ?? srv?.port?.number)} uses protocol ${JSON.stringify(srv?.port?.protocol)}: plaintext.` });
    }
  });
  return out;
}

export const gatewayListenerTls: IRule = {
  id: 'gateway-listener-tls',
  title: 'Gateway API listeners terminate or pass through TLS',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.WARNING,
  appliesTo: ['Gateway', 'ListenerSet', 'XListenerSet'],
  description: 'A Gateway listener with protocol `HTTP`, `TCP` or `UDP` carries plaintext; an `HTTPS` or `TLS` listener ' +
    'in `Terminate` mode (the default) without `tls.certificateRefs` is not programmed, or falls back to plaintext on ' +
    'some implementations. Protocols are compared as Gateway API does (exact, case-sensitive). A warning: an HTTP ' +
    'listener that only redirects to HTTPS is a common, legitimate pattern — waive it naming the redirect HTTPRoute. ' +
    'Istio\'s own Gateway (networking.istio.io) is judged the same way on `servers[].port.protocol` (case-insensitive, ' +
    'as Istio parses it); an HTTP server with `tls.httpsRedirect: true` passes.',
  remediation: 'Use `protocol: HTTPS` (or `TLS`) with `tls.certificateRefs` (or `tls.mode: Passthrough` for end-to-end TLS); ' +
    'keep an HTTP listener only for a redirect, waived.',
  references: ['Gateway API spec: Listener, GatewayTLSConfig', 'Istio docs: Gateway (Server, ServerTLSSettings)', 'NSA/CISA Kubernetes Hardening Guidance: encrypt traffic in transit'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    if (String(obj?.apiVersion ?? '').startsWith('networking.istio.io/')) return istioGateway(obj);
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
