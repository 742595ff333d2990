/**
 * Helpers shared by the Gateway API route rules (`httproute-hostnames`, `httproute-parent-listener`).
 */

/** Whether an object is a Gateway API object (any version: v1, v1beta1, v1alpha2 are served with the same fields). */
export function isGatewayApi(obj: any): boolean {
  return String(obj?.apiVersion ?? '').startsWith('gateway.networking.k8s.io/');
}

/** Parent kinds that own listeners, by API group: a route attached to one of them is exposed on its listeners. */
const LISTENER_PARENTS: { readonly [group: string]: readonly string[] } = {
  'gateway.networking.k8s.io': ['Gateway', 'ListenerSet'],
  'gateway.networking.x-k8s.io': ['XListenerSet'],
};

/**
 * Whether a parentRef names a Gateway or a ListenerSet (standard since Gateway API v1.5; XListenerSet before):
 * `group` defaults to gateway.networking.k8s.io and `kind` to Gateway, as the API server defaults them. A Service
 * parent (GAMMA, east-west mesh routing) is not an exposure.
 */
export function isGatewayParent(ref: any): boolean {
  const group = ref?.group ?? 'gateway.networking.k8s.io';
  const kind = ref?.kind ?? 'Gateway';
  return (LISTENER_PARENTS[group] ?? []).includes(kind);
}

/** The Gateway (and ListenerSet) parentRefs of a route, with their index in `spec.parentRefs`. */
export function gatewayParents(route: any): { ref: any; index: number }[] {
  const refs: unknown[] = Array.isArray(route?.spec?.parentRefs) ? route.spec.parentRefs : [];
  return refs.map((ref, index) => ({ ref, index })).filter(p => isGatewayParent(p.ref));
}

/**
 * Whether every rule of the route only redirects to https on the same host (a RequestRedirect filter with
 * `scheme: https`, no `hostname`, and no backendRefs): the one route that may attach to a plain-HTTP listener or name no
 * hostnames, since it serves no content and sends no one elsewhere (a redirect to another hostname is an open redirect).
 */
export function redirectsToHttpsOnly(route: any): boolean {
  const rules: unknown[] = Array.isArray(route?.spec?.rules) ? route.spec.rules : [];
  return rules.length > 0 && rules.every((r: any) => {
    const backends = r?.backendRefs;
    if (backends !== undefined && backends !== null && !(Array.isArray(backends) && backends.length === 0)) return false;
    const filters: unknown[] = Array.isArray(r?.filters) ? r.filters : [];
    return filters.some((f: any) => f?.type === 'RequestRedirect' && f?.requestRedirect?.scheme === 'https'
      && (f.requestRedirect.hostname === undefined || f.requestRedirect.hostname === null));
  });
}
