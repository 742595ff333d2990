import { namespaceOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { ingressHostClaims, otherClaimants } from './host-claims';
import { routeHostClaims } from './httproute-hostnames';

export const ingressHost: IRule = {
  id: 'ingress-host',
  title: 'Ingresses name exact hosts, claimed by one namespace only',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['Ingress'],
  description: 'An Ingress rule without a host (or an empty one), a wildcard host (`*.example.com`) or a default backend ' +
    'catches traffic meant for other applications: requests for any name the load balancer receives reach this backend. ' +
    'The same host claimed by Ingresses of two namespaces lets one tenant take over (or shadow paths of) another\'s ' +
    'site; controllers merge or pick one silently. The same holds across kinds: a host an HTTPRoute, GRPCRoute or TLSRoute ' +
    'of another namespace claims counts too (one proxy often serves Ingress and Gateway API, and SNI routing takes the ' +
    'connection before any HTTP rule). Hosts are compared as the controller does (case-insensitive, ' +
    'trailing dot ignored), across every Ingress of the evaluated set.',
  remediation: 'Give every rule an exact host (`shop.example.com`), drop `defaultBackend`, and serve each host from one ' +
    'namespace; or waive with an owner and expiry.',
  references: ['Kubernetes docs: Ingress (hostname wildcards, default backend)',
    'gatekeeper-library general/block-wildcard-ingress, general/uniqueingresshost', 'Kyverno best-practices/disallow-empty-ingress-host'],
  peers: ['gatekeeper:general/block-wildcard-ingress', 'kyverno:best-practices/disallow-empty-ingress-host', 'gatekeeper:general/uniqueingresshost'],
  threats: ['S2-impersonated-peer'],
  admission: { notGenerated: 'cross-object: needs every Ingress of the cluster (hosts claimed in other namespaces)' },
  check(obj, ctx) {
    if (!judgesKindGroup('ingress-host', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const spec = obj?.spec ?? {};
    for (const field of ['defaultBackend', 'backend']) {
      if (spec[field] !== undefined && spec[field] !== null) out.push({ path: `spec.${field}`, message: 'Ingress has a default backend: it receives requests for every host.' });
    }
    const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
    const ns = namespaceOf(obj);
    rules.forEach((r: any, i) => {
      const host = r?.host;
      if (host === undefined || host === null || (typeof host === 'string' && host.trim() === '')) {
        out.push({ path: `spec.rules[${i}].host`, message: 'Ingress rule has no host: it matches every host.' });
      } else if (typeof host !== 'string' || host.includes('*')) {
        out.push({ path: `spec.rules[${i}].host`, message: `Ingress rule host ${JSON.stringify(host)} is a wildcard.` });
      } else {
        const others = otherClaimants(ctx.objects, host, ns, ingressHostClaims, routeHostClaims);
        if (others.length > 0) out.push({ path: `spec.rules[${i}].host`, message: `host ${JSON.stringify(host)} is also claimed by ${others.map(o => `${o.kind} in namespace(s) ${o.namespaces.map(n => JSON.stringify(n)).join(', ')}`).join(' and ')}.` });
      }
    });
    return out;
  },
};
