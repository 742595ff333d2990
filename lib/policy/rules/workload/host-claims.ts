import { ObjectMemo } from '../../../kube/cache';
import { namespaceOf } from '../../../kube/manifest';

/** A host name as ingress controllers and Gateways compare it: lower case, without a trailing dot. */
export function normHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

const indexes = new ObjectMemo<readonly any[], Map<string, Map<string, Set<string>>>>();

/**
 * host -> namespaces of the objects that claim it (`claims(o)`: the hosts an object claims), built once per
 * evaluated set and `kind` of claim, so the cross-namespace host rules stay linear.
 */
export function hostClaims(objects: readonly any[], kind: string, claims: (o: any) => readonly string[]): Map<string, Set<string>> {
  let byKind = indexes.get(objects);
  if (!byKind) indexes.set(objects, byKind = new Map());
  let index = byKind.get(kind);
  if (!index) {
    index = new Map();
    for (const o of objects) {
      for (const host of claims(o)) {
        const h = normHost(host);
        const set = index.get(h) ?? new Set<string>();
        set.add(namespaceOf(o));
        index.set(h, set);
      }
    }
    byKind.set(kind, index);
  }
  return index;
}

/**
 * The namespaces that claim a host through any kind a proxy serves it by — Ingress hosts and the hostnames of
 * Gateway-attached HTTPRoutes, GRPCRoutes and TLSRoutes — other than `namespace`. One controller often serves Ingress
 * and Gateway API from the same proxy (and a TLSRoute takes the host's connections by SNI before any HTTP rule), so a
 * host claimed in two namespaces through different kinds is the same takeover as through one kind.
 */
export function otherClaimants(objects: readonly any[], host: string, namespace: string,
  ingressClaims: (o: any) => readonly string[], routeClaims: (o: any) => readonly string[]): { kind: string; namespaces: string[] }[] {
  const h = normHost(host);
  const out: { kind: string; namespaces: string[] }[] = [];
  for (const [kind, claims] of [['Ingresses', ingressClaims], ['routes', routeClaims]] as const) {
    const ns = [...(hostClaims(objects, kind === 'Ingresses' ? 'Ingress' : 'route', claims).get(h) ?? [])].filter(n => n !== namespace);
    if (ns.length > 0) out.push({ kind, namespaces: ns });
  }
  return out;
}

/** The hosts an Ingress claims (exact hosts of its rules). */
export function ingressHostClaims(o: any): string[] {
  return o?.kind !== 'Ingress' || !Array.isArray(o?.spec?.rules) ? [] :
    o.spec.rules.map((r: any) => r?.host).filter((h: unknown): h is string => typeof h === 'string' && h.trim() !== '');
}
