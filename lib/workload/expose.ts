// The options of `HardenedWorkload.expose()`. The WorkloadExposure construct itself lives in workload-base.ts, next to
// HardenedWorkload: each names the other in its public signature, and one file keeps the import graph free of cycles.

/** How an exposed path matches request paths (the two types every controller implements the same way). */
export enum ExposedPathType {
  /**
   * The path and everything below it, element by element: `/api` matches `/api` and `/api/v1`, never `/apikeys`.
   * Ingress `Prefix`, HTTPRoute `PathPrefix`.
   */
  PREFIX = 'Prefix',
  /** Exactly this path (case-sensitive). Ingress and HTTPRoute `Exact`. */
  EXACT = 'Exact',
}

/** One request path routed to the workload. */
export interface ExposedPath {
  /**
   * The path: `/` followed by letters, digits, `/`, `_` and `-` only (what ingress-nginx's strict path validation
   * admits), no `//`. No regular expressions.
   */
  readonly path: string;
  /**
   * How the path matches.
   * @default ExposedPathType.PREFIX — `ImplementationSpecific` (a regular expression on ingress-nginx, written into the
   * proxy configuration) is not offered at all
   */
  readonly pathType?: ExposedPathType;
}

/** Exposure through a networking.k8s.io/v1 Ingress, TLS terminated by the ingress controller. */
export interface IngressExposure {
  /**
   * The IngressClass of the controller that serves the hosts (`spec.ingressClassName`). Required: without it the
   * cluster's default class — often the internet-facing one — would serve the Ingress.
   */
  readonly className: string;
  /**
   * The `kubernetes.io/tls` Secret, in the workload's namespace, whose certificate covers every host (e.g. issued by
   * cert-manager). Required: every host is listed in the one `spec.tls` entry, so no host is ever served in plaintext.
   */
  readonly tlsSecretName: string;
}

/**
 * Exposure through a Gateway API HTTPRoute (gateway.networking.k8s.io/v1) attached to one HTTPS listener of a
 * platform-owned Gateway; TLS terminates at that listener with the platform's certificate.
 */
export interface GatewayExposure {
  /** Name of the Gateway. */
  readonly gatewayName: string;
  /**
   * Namespace of the Gateway (its listener's `allowedRoutes` must admit the workload's namespace).
   * @default - the workload's namespace (a platform Gateway usually lives in its own namespace: name it, so the route
   * never attaches to a same-named Gateway someone else creates next to the workload)
   */
  readonly gatewayNamespace?: string;
  /**
   * Name of the Gateway's HTTPS listener (`parentRefs[].sectionName`). Required: a route without it attaches to every
   * listener of the Gateway, plain HTTP on port 80 included.
   */
  readonly sectionName: string;
}

/**
 * How to expose a workload outside the cluster: named hosts over TLS, through exactly one of `ingress` or `gateway`,
 * and a NetworkPolicy allowance from the controller's namespace only.
 */
export interface ExposeOptions {
  /**
   * The exact host names served (1-16 lower-case DNS names such as `shop.example.com`). No wildcard (`*.example.com`),
   * no IP address: each host is listed, so the route never catches traffic meant for another application.
   */
  readonly hosts: string[];
  /**
   * Namespace of the ingress controller's or gateway's proxy pods (e.g. `ingress-nginx`). The workload's NetworkPolicy
   * admits the workload's port from this namespace only.
   */
  readonly controllerNamespace: string;
  /**
   * Labels of the controller's proxy pods, to narrow the NetworkPolicy allowance to them.
   * @default - every pod of `controllerNamespace` (keep that namespace for the controller alone; any other pod there
   * could reach the workload directly, bypassing TLS and the controller's limits)
   */
  readonly controllerPodLabels?: { [key: string]: string };
  /**
   * The request paths routed to the workload (1-16).
   * @default - `/` with ExposedPathType.PREFIX: every path (list paths to keep admin or metrics endpoints unexposed)
   */
  readonly paths?: ExposedPath[];
  /**
   * Expose through an Ingress (give exactly one of `ingress` and `gateway`).
   * @default - none: no Ingress (exactly one kind of route per call, so each carries its own TLS decision)
   */
  readonly ingress?: IngressExposure;
  /**
   * Expose through a Gateway API HTTPRoute (give exactly one of `ingress` and `gateway`).
   * @default - none: no HTTPRoute (exactly one kind of route per call, so each carries its own TLS decision)
   */
  readonly gateway?: GatewayExposure;
  /**
   * Name of the Ingress or HTTPRoute (a DNS-1035 label), to expose one workload more than once.
   * @default - the workload's name (a name another Ingress or HTTPRoute of the chart has in the namespace is refused:
   * applying both would silently replace one)
   */
  readonly name?: string;
}
