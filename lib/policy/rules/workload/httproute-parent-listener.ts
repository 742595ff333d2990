import { namespaceOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { gatewayParents, isGatewayApi, redirectsToHttpsOnly } from './route-util';

/** Listener protocols that carry TLS to the client. */
const TLS_PROTOCOLS = ['HTTPS', 'TLS'];

export const httpRouteParentListener: IRule = {
  id: 'httproute-parent-listener',
  title: 'Gateway routes attach to an HTTPS listener by sectionName',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['HTTPRoute', 'GRPCRoute'],
  description: 'A route `parentRef` to a Gateway (or a ListenerSet) without `sectionName` attaches to every listener of it that ' +
    'admits it (a `port` alone, to every listener on that port) — a plain-HTTP listener on port 80 included, so the ' +
    'application is also served in plaintext, where it can win over the platform\'s redirect route. With the Gateway in ' +
    'the evaluated set, a `sectionName` naming a listener whose protocol is not `HTTPS` (or `TLS`) fails as well. A route ' +
    'whose every rule only redirects to https (a `RequestRedirect` filter with `scheme: https` and no `hostname`, no backendRefs) may attach ' +
    'anywhere: it serves no content. Service parents (mesh routing) are not judged.',
  remediation: 'Set `sectionName` on every Gateway parentRef to the name of the Gateway\'s HTTPS listener (e.g. `https`), ' +
    'where TLS terminates; keep plain-HTTP listeners for a redirect-only route.',
  references: ['Gateway API spec: ParentReference.sectionName and port', 'Gateway API guide: HTTP redirects and rewrites (HTTP-to-HTTPS redirect)',
    'NSA/CISA Kubernetes Hardening Guidance: encrypt traffic in transit'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  admission: { notGenerated: 'cross-object: needs the Gateway the route attaches to (the protocol of the named listener)' },
  check(obj, ctx) {
    if (!isGatewayApi(obj) || redirectsToHttpsOnly(obj)) return [];
    const out: RuleViolation[] = [];
    const routeNs = namespaceOf(obj);
    for (const { ref, index } of gatewayParents(obj)) {
      const section = ref?.sectionName;
      const kind = ref?.kind ?? 'Gateway';
      const name = `${kind} ${JSON.stringify(ref?.name)}`;
      if (typeof section !== 'string' || section.trim() === '') {
        out.push({
          path: `spec.parentRefs[${index}].sectionName`,
          message: `parentRef to ${name} names no sectionName: the route attaches to every listener${ref?.port !== undefined ? ` on port ${ref.port}` : ''}, plain HTTP included.`,
        });
        continue;
      }
      const gwNs = typeof ref?.namespace === 'string' ? ref.namespace : routeNs;
      const gateway = ctx.objects.find(o => o?.kind === kind && String(o?.apiVersion ?? '').startsWith('gateway.networking.')
        && o?.metadata?.name === ref?.name && namespaceOf(o) === gwNs);
      const listeners: unknown[] = Array.isArray(gateway?.spec?.listeners) ? gateway.spec.listeners : [];
      const listener: any = listeners.find((l: any) => l?.name === section);
      if (listener && !TLS_PROTOCOLS.includes(listener.protocol)) {
        out.push({
          path: `spec.parentRefs[${index}].sectionName`,
          message: `sectionName ${JSON.stringify(section)} names a listener of ${name} with protocol ${JSON.stringify(listener.protocol)}: plaintext.`,
        });
      }
    }
    return out;
  },
};
