import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertRule, fail } from '../policy/construct-check';
import { DNS1035, DNS1123, DNS1123_SUBDOMAIN, isRecord } from '../policy/k8s-syntax';
import { HARDENED_WORKLOADS, WORKLOAD_IMPL } from './brand';
import { NetworkPeer } from './network-peer';
import type { HardenedWorkload } from './workload-base';

const k8s = kplus.k8s;

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

/** What `expose()` needs from the workload: its Service, port and object metadata. */
interface ExposureTarget {
  readonly serviceName: string;
  readonly servicePort: number;
  readonly metadata: any;
}

const SAFE_PATH = /^\/[A-Za-z0-9/_-]*$/;
const IPV4ISH = /^[0-9.]+$/;
/** Most hosts (HTTPRoute `hostnames` maxItems) and paths per exposure. */
const MAX_ITEMS = 16;
const PATH_TYPES = Object.values(ExposedPathType) as string[];

/**
 * An Ingress or HTTPRoute for a hardened workload (create it with `workload.expose(options)`): TLS required, named
 * hosts only, Prefix/Exact paths only, the workload's Service as the only backend; and the workload's NetworkPolicy
 * admits its port from the ingress controller's (gateway's) namespace — never from everywhere.
 */
export class WorkloadExposure extends Construct {
  /** The exposed hosts. */
  public readonly hosts: string[];
  /** Name of the Ingress or HTTPRoute. */
  public readonly name: string;
  /** Name of the backend Service. */
  public readonly serviceName: string;
  /** Port of the backend Service. */
  public readonly servicePort: number;
  /** The Ingress, with `ingress`. @default - none */
  public readonly ingress?: ApiObject;
  /** The HTTPRoute, with `gateway`. @default - none */
  public readonly httpRoute?: ApiObject;

  /**
   * Validates the options (HardeningError naming the field, value, rule and fix) and writes the Ingress or HTTPRoute
   * plus the NetworkPolicy allowance. `workload.expose(options)` calls this.
   */
  constructor(workload: HardenedWorkload, id: string, options: ExposeOptions) {
    super(workload, id);
    // The library's own workloads only, by identity: a construct with the right method is not one (brand.ts).
    if (!HARDENED_WORKLOADS.has(workload as object) || !WORKLOAD_IMPL.exposureTarget || !WORKLOAD_IMPL.admitController) {
      fail(this, 'ingress-backend-exists', 'workload', workload.node.path, 'is not a hardened workload: only its own Service may be the backend.',
        'call expose() on a HardenedDeployment, HardenedStatefulSet, HardenedDaemonSet, or a HardenedJob/HardenedCronJob with service: true.');
    }
    if (!isRecord(options)) {
      fail(this, 'ingress-tls', 'options', options, 'must be an object { hosts, controllerNamespace, ingress | gateway }.',
        'pass e.g. { hosts: ["shop.example.com"], controllerNamespace: "ingress-nginx", ingress: { className: "nginx", tlsSecretName: "shop-tls" } }.');
    }
    const viaIngress = options.ingress !== undefined && options.ingress !== null;
    const viaGateway = options.gateway !== undefined && options.gateway !== null;
    if (viaIngress === viaGateway) {
      fail(this, 'ingress-tls', 'options.ingress / options.gateway', viaIngress ? 'both' : 'neither',
        'give exactly one of ingress (an Ingress with a TLS Secret) or gateway (an HTTPRoute on an HTTPS listener).',
        'pass ingress: { className, tlsSecretName } or gateway: { gatewayName, sectionName }.');
    }
    const hostRule = viaIngress ? 'ingress-host' : 'httproute-hostnames';
    this.hosts = this.checkHosts(options.hosts, hostRule);
    const paths = this.checkPaths(options.paths);
    this.name = options.name ?? workload.name;
    if (typeof this.name !== 'string' || !DNS1035.test(this.name)) {
      fail(this, 'metadata-valid', 'options.name', this.name, 'is not a DNS-1035 label (a lower-case letter, then lower-case alphanumerics and "-", at most 63 characters).', 'pass e.g. "shop-admin", or omit it.');
    }
    const controllerPeer = this.controllerPeer(options.controllerNamespace, options.controllerPodLabels, workload.namespace);
    if (viaIngress) this.checkIngress(options.ingress); else this.checkGateway(options.gateway);
    this.checkUnique(viaIngress ? 'Ingress' : 'HTTPRoute', workload.namespace);
    // Everything is validated: only now may the workload create its Service (a DaemonSet's).
    const target: ExposureTarget = WORKLOAD_IMPL.exposureTarget!.call(workload, this);
    this.serviceName = target.serviceName;
    this.servicePort = target.servicePort;
    const metadata = { ...target.metadata, name: this.name };

    if (viaIngress) {
      const spec = this.ingressSpec(options.ingress as IngressExposure, paths);
      const candidate = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
      for (const rule of ['ingress-tls', 'ingress-host', 'ingress-path-type', 'ingress-class-explicit']) assertRule(this, rule, candidate, 'options', this.hosts);
      this.ingress = new k8s.KubeIngress(this, 'Ingress', { metadata, spec });
    } else {
      const spec = this.routeSpec(options.gateway as GatewayExposure, paths, workload.namespace);
      const candidate = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec };
      for (const rule of ['httproute-hostnames', 'httproute-parent-listener']) assertRule(this, rule, candidate, 'options', this.hosts);
      this.httpRoute = new ApiObject(this, 'HTTPRoute', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec });
    }
    WORKLOAD_IMPL.admitController!.call(workload, controllerPeer);
  }

  /** No other object of the chart has the kind, name and namespace: applying both would silently replace one. */
  private checkUnique(kind: string, namespace: string | undefined): void {
    const clash = Chart.of(this).node.findAll().find(c => c instanceof ApiObject && c.kind === kind && c.name === this.name
      && (c.metadata.namespace ?? Chart.of(c).namespace) === namespace);
    if (clash) {
      fail(this, 'metadata-valid', 'options.name', this.name,
        `is already the name of ${kind} ${(clash as ApiObject).node.path} in the same namespace; applying both would silently replace one with the other.`,
        'pass a distinct options.name.');
    }
  }

  private checkHosts(hosts: unknown, ruleId: string): string[] {
    if (!Array.isArray(hosts) || hosts.length === 0) {
      fail(this, ruleId, 'options.hosts', hosts, 'must list at least one host: a route without hosts matches every host the controller receives.',
        'pass e.g. ["shop.example.com"].');
    }
    if (hosts.length > MAX_ITEMS) {
      fail(this, ruleId, 'options.hosts', hosts.length, `lists more than ${MAX_ITEMS} hosts (the HTTPRoute schema's limit; one certificate for them all).`, 'split the hosts over several expose() calls with distinct names.');
    }
    const seen = new Set<string>();
    hosts.forEach((h: unknown, i) => {
      const field = `options.hosts[${i}]`;
      if (typeof h === 'string' && h.includes('*')) {
        fail(this, ruleId, field, h, 'is a wildcard: it catches traffic meant for every other application under the domain.', 'list each host exactly, e.g. "shop.example.com".');
      }
      if (typeof h !== 'string' || !DNS1123_SUBDOMAIN.test(h) || IPV4ISH.test(h)) {
        fail(this, ruleId, field, h, 'is not a lower-case DNS host name (no IP address, no trailing dot, no upper case, no port).', 'use e.g. "shop.example.com".');
      }
      if (seen.has(h)) fail(this, ruleId, field, h, 'is listed twice.', 'list each host once.');
      seen.add(h);
    });
    return [...hosts] as string[];
  }

  private checkPaths(paths: unknown): { path: string; pathType: ExposedPathType }[] {
    if (paths === undefined || paths === null) return [{ path: '/', pathType: ExposedPathType.PREFIX }];
    if (!Array.isArray(paths) || paths.length === 0) {
      fail(this, 'ingress-path-type', 'options.paths', paths, 'must be a non-empty list of { path, pathType }.', 'omit it to route every path ("/" as a prefix), or list e.g. [{ path: "/api" }].');
    }
    const seen = new Set<string>();
    return paths.map((p: unknown, i) => {
      const field = `options.paths[${i}]`;
      if (!isRecord(p)) fail(this, 'ingress-path-type', field, p, 'must be an object { path, pathType? }.', 'pass e.g. { path: "/api" }.');
      const pathType = (p.pathType ?? ExposedPathType.PREFIX) as string;
      if (!PATH_TYPES.includes(pathType)) {
        fail(this, 'ingress-path-type', `${field}.pathType`, pathType, 'is not Prefix or Exact; controller-specific matching (ImplementationSpecific, regular expressions) is not offered.',
          'use ExposedPathType.PREFIX or ExposedPathType.EXACT.');
      }
      if (typeof p.path !== 'string' || !SAFE_PATH.test(p.path) || p.path.includes('//')) {
        fail(this, 'ingress-path-type', `${field}.path`, p.path, 'must be "/" followed by letters, digits, "/", "_" and "-" only, without "//" (no regular expression, no encoded characters).',
          'use a literal path such as "/api".');
      }
      const key = `${pathType} ${p.path}`;
      if (seen.has(key)) fail(this, 'ingress-path-type', field, p.path, 'is listed twice.', 'list each path once.');
      seen.add(key);
      return { path: p.path as string, pathType: pathType as ExposedPathType };
    });
  }

  private controllerPeer(ns: unknown, labels: unknown, policyNamespace: string | undefined): NetworkPeer {
    const peer = this.peerOf(ns, labels);
    peer._render(this, labels === undefined || labels === null ? 'options.controllerNamespace' : 'options.controllerPodLabels', policyNamespace, true);
    return peer;
  }

  private peerOf(ns: unknown, labels: unknown): NetworkPeer {
    if (typeof ns !== 'string' || !DNS1123.test(ns)) {
      fail(this, 'network-policy-allow-all-ingress', 'options.controllerNamespace', ns,
        'must name the namespace of the ingress controller (gateway) pods, a DNS-1123 label: the NetworkPolicy admits the port from there only.',
        'pass e.g. "ingress-nginx".');
    }
    if (labels === undefined || labels === null) return NetworkPeer.namespace(ns);
    if (!isRecord(labels) || Object.keys(labels).length === 0) {
      fail(this, 'network-policy-allow-all-ingress', 'options.controllerPodLabels', labels, 'must be a non-empty object of label key -> value; an empty selector means every pod.',
        'pass e.g. { "app.kubernetes.io/name": "ingress-nginx" }, or omit it to admit the whole controller namespace.');
    }
    return NetworkPeer.pods(labels as { [key: string]: string }, ns);
  }

  private checkIngress(ingress: unknown): void {
    if (!isRecord(ingress)) fail(this, 'ingress-tls', 'options.ingress', ingress, 'must be an object { className, tlsSecretName }.', 'pass e.g. { className: "nginx", tlsSecretName: "shop-tls" }.');
    if (typeof ingress.className !== 'string' || !DNS1123_SUBDOMAIN.test(ingress.className)) {
      fail(this, 'ingress-class-explicit', 'options.ingress.className', ingress.className,
        'must name the IngressClass (a DNS-1123 subdomain); without it the cluster\'s default class serves the Ingress.', 'pass e.g. "nginx-internal".');
    }
    if (typeof ingress.tlsSecretName !== 'string' || !DNS1123_SUBDOMAIN.test(ingress.tlsSecretName)) {
      fail(this, 'ingress-tls', 'options.ingress.tlsSecretName', ingress.tlsSecretName,
        'must name the TLS Secret (a DNS-1123 subdomain) whose certificate covers every host; without it the hosts are served in plaintext or with the controller\'s default certificate.',
        'pass e.g. "shop-tls" (a cert-manager Certificate\'s secretName).');
    }
  }

  private ingressSpec(ingress: IngressExposure, paths: { path: string; pathType: ExposedPathType }[]): any {
    return {
      ingressClassName: ingress.className,
      tls: [{ hosts: [...this.hosts], secretName: ingress.tlsSecretName }],
      rules: this.hosts.map(host => ({
        host,
        http: {
          paths: paths.map(p => ({
            path: p.path,
            pathType: p.pathType,
            backend: { service: { name: this.serviceName, port: { number: this.servicePort } } },
          })),
        },
      })),
    };
  }

  private checkGateway(gateway: unknown): void {
    if (!isRecord(gateway)) fail(this, 'httproute-parent-listener', 'options.gateway', gateway, 'must be an object { gatewayName, sectionName, gatewayNamespace? }.', 'pass e.g. { gatewayName: "public", gatewayNamespace: "gateways", sectionName: "https" }.');
    if (typeof gateway.gatewayName !== 'string' || !DNS1123_SUBDOMAIN.test(gateway.gatewayName)) {
      fail(this, 'httproute-parent-listener', 'options.gateway.gatewayName', gateway.gatewayName, 'must name the Gateway (a DNS-1123 subdomain).', 'pass e.g. "public".');
    }
    if (gateway.gatewayNamespace !== undefined && (typeof gateway.gatewayNamespace !== 'string' || !DNS1123.test(gateway.gatewayNamespace))) {
      fail(this, 'httproute-parent-listener', 'options.gateway.gatewayNamespace', gateway.gatewayNamespace, 'is not a namespace name (a DNS-1123 label).', 'pass e.g. "gateways", or omit it for the workload\'s namespace.');
    }
    if (typeof gateway.sectionName !== 'string' || !DNS1123_SUBDOMAIN.test(gateway.sectionName)) {
      fail(this, 'httproute-parent-listener', 'options.gateway.sectionName', gateway.sectionName,
        'must name the Gateway\'s HTTPS listener (a DNS-1123 subdomain); without it the route attaches to every listener, plain HTTP included.',
        'pass the HTTPS listener\'s name, e.g. "https".');
    }
  }

  private routeSpec(gateway: GatewayExposure, paths: { path: string; pathType: ExposedPathType }[], workloadNamespace: string | undefined): any {
    const gwNs = gateway.gatewayNamespace ?? workloadNamespace;
    return {
      parentRefs: [{
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: gateway.gatewayName,
        ...(gwNs ? { namespace: gwNs } : {}),
        sectionName: gateway.sectionName,
      }],
      hostnames: [...this.hosts],
      rules: [{
        matches: paths.map(p => ({ path: { type: p.pathType === ExposedPathType.PREFIX ? 'PathPrefix' : 'Exact', value: p.path } })),
        backendRefs: [{ group: '', kind: 'Service', name: this.serviceName, port: this.servicePort }],
      }],
    };
  }
}
