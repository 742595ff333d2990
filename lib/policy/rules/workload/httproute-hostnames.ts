import { namespaceOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { ingressHostClaims, otherClaimants } from './host-claims';
import { gatewayParents, isGatewayApi, redirectsToHttpsOnly } from './route-util';

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute'];

/** The hostnames a Gateway-attached route claims. */
export function routeHostClaims(o: any): string[] {
  return !ROUTE_KINDS.includes(o?.kind) || !isGatewayApi(o) || !Array.isArray(o?.spec?.hostnames) || redirectsToHttpsOnly(o) ? [] :
    o.spec.hostnames.filter((h: unknown): h is string => typeof h === 'string' && h.trim() !== '' && !h.includes('*'));
}

export const httpRouteHostnames: IRule = {
  id: 'httproute-hostnames',
  title: 'Gateway routes name exact hostnames, claimed by one namespace only',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ROUTE_KINDS,
  description: 'A Gateway API HTTPRoute or GRPCRoute (any served version) attached to a Gateway without `spec.hostnames`, ' +
    'with an empty list, or with a wildcard hostname (`*.example.com`) matches every hostname of the listener it ' +
    'attaches to: requests meant for other applications reach this backend, and its paths shadow theirs. The same ' +
    'hostname claimed by routes of two namespaces lets one tenant add paths (e.g. `/admin`) to another\'s site: the ' +
    'Gateway merges the rules of every route for a hostname. Routes whose parents are all Services (mesh routing) are ' +
    'not exposures, and a route whose every rule only redirects to https (`RequestRedirect` with `scheme: https` and no ' +
    '`hostname`, no backendRefs: the platform\'s HTTP-to-HTTPS redirect) serves no content; neither is judged. A TLSRoute ' +
    'claims its hostnames by SNI. Claims are compared across kinds: a hostname served by an Ingress of another namespace ' +
    'is claimed twice too. Hostnames are compared case-insensitively, trailing dot ignored.',
  remediation: 'List the exact hostnames the route serves in `spec.hostnames` (`shop.example.com`), and serve each hostname ' +
    'from one namespace; or waive with an owner and expiry.',
  references: ['Gateway API spec: HTTPRouteSpec.hostnames (an empty list matches every listener hostname)',
    'Gateway API docs: Route attachment and hostname matching', 'gatekeeper-library general/block-wildcard-ingress (the Ingress counterpart)'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  admission: { notGenerated: 'cross-object: needs every HTTPRoute and GRPCRoute of the cluster (hostnames claimed in other namespaces)' },
  check(obj, ctx) {
    if (!isGatewayApi(obj) || redirectsToHttpsOnly(obj)) return [];
    const refs = obj?.spec?.parentRefs;
    if (Array.isArray(refs) && refs.length > 0 && gatewayParents(obj).length === 0) return []; // mesh-only route
    const out: RuleViolation[] = [];
    const hostnames = obj?.spec?.hostnames;
    if (hostnames === undefined || hostnames === null || (Array.isArray(hostnames) && hostnames.length === 0)) {
      out.push({ path: 'spec.hostnames', message: `${obj.kind} names no hostnames: it matches every hostname of the listener.` });
      return out;
    }
    if (!Array.isArray(hostnames)) {
      out.push({ path: 'spec.hostnames', message: `spec.hostnames ${JSON.stringify(hostnames)} is not a list of hostnames.` });
      return out;
    }
    const ns = namespaceOf(obj);
    hostnames.forEach((h: unknown, i) => {
      if (typeof h !== 'string' || h.trim() === '') {
        out.push({ path: `spec.hostnames[${i}]`, message: `hostname ${JSON.stringify(h)} is not a hostname.` });
      } else if (h.includes('*')) {
        out.push({ path: `spec.hostnames[${i}]`, message: `hostname ${JSON.stringify(h)} is a wildcard.` });
      } else {
        const others = otherClaimants(ctx.objects, h, ns, ingressHostClaims, routeHostClaims);
        if (others.length > 0) {
          out.push({ path: `spec.hostnames[${i}]`, message: `hostname ${JSON.stringify(h)} is also claimed by ${others.map(o => `${o.kind} in namespace(s) ${o.namespaces.map(n => JSON.stringify(n)).join(', ')}`).join(' and ')}.` });
        }
      }
    });
    return out;
  },
};
