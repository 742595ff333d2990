import { ApiObject, Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DNS1035, DNS1123, DNS1123_SUBDOMAIN, isLabelKey, isLabelValue, isRecord } from '../kube/k8s-syntax';
import { assertRule, fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { HardeningProfile, ResolvedProfile } from '../policy/profile';
import { HARDENED_WORKLOADS } from './brand';
import { ExposedPathType, ExposeOptions, GatewayExposure, IngressExposure } from './expose';
import { IWorkloadPeer, NetworkPeer } from './network-peer';
import { checkInt, checkNamespace, checkPort, list } from './pod-template';
import { ApiAccessRule, EgressRule, HardenedWorkloadProps, WorkloadAutoscaling } from './workload-props';

const k8s = kplus.k8s;
const RESERVED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by'];

/**
 * What every hardened workload kind shares: its name, namespace and pod selector, a dedicated ServiceAccount, a
 * NetworkPolicy that denies everything not named (ingress only from named peers to the port, egress only to named
 * peers and cluster DNS) and, with API access, a least-privilege Role.
 */
export abstract class HardenedWorkload extends Construct implements IWorkloadPeer {
  /** Name of the workload; every object it emits carries it. */
  public readonly name: string;
  /** Namespace of the objects. @default - none (the namespace of the kubectl context) */
  public readonly namespace?: string;
  /** Labels selecting the pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The dedicated ServiceAccount's name. */
  public readonly serviceAccountName: string;

  /** @internal */
  protected readonly _profile: ResolvedProfile;
  /** @internal */
  protected readonly _listenPort?: number;
  /**
   * Whether `expose()` may create a ClusterIP Service when the workload has none (a DaemonSet); batch workloads emit
   * one only when asked with `service: true`.
   * @internal
   */
  protected _exposeCreatesService = false;
  private readonly extraLabels: { [key: string]: string };
  private readonly ingressPeers: NetworkPeer[] = [];
  private readonly egressRules: EgressRule[] = [];

  /**
   * Validates the props common to every workload kind (name, namespace, port, labels) and attaches the guard.
   * @param required what the props must contain at least, for the error message, e.g. "image and port"
   * @param portRequired whether the kind needs a port
   * @param port the container port, if any
   */
  protected constructor(scope: Construct, id: string, props: HardenedWorkloadProps, required: string, portRequired: boolean, port?: number) {
    super(scope, id);
    HARDENED_WORKLOADS.add(this);
    Guard.of(this);
    this._profile = HardeningProfile.resolve(this);
    const chart = Chart.of(this);
    if (!isRecord(props)) {
      fail(this, 'pod-spec-valid', 'props', props, `must be an object with at least ${required}.`, `pass { ${required.replace(' and ', ', ')}, resources }.`);
    }
    this.name = props.name ?? id.toLowerCase();
    if (typeof this.name !== 'string' || !DNS1035.test(this.name)) {
      fail(this, 'metadata-valid', props.name ? 'props.name' : 'id', this.name,
        'is not a DNS-1035 label (a lower-case letter, then lower-case alphanumerics and "-", at most 63 characters); it names the pods\' selector and Service.',
        'pass props.name such as "api".');
    }
    this.namespace = props.namespace ?? chart.namespace;
    if (props.namespace !== undefined || this.namespace) checkNamespace(this, this.namespace, props.namespace !== undefined ? 'props.namespace' : 'chart.namespace');
    if (props.bindPrivilegedPort !== undefined && typeof props.bindPrivilegedPort !== 'boolean') {
      fail(this, 'capabilities-restricted', 'props.bindPrivilegedPort', props.bindPrivilegedPort, 'must be true or false.', 'omit it unless the port is below 1024.');
    }
    if (port !== undefined || portRequired) this._listenPort = checkPort(this, port as number, 'props.port', props.bindPrivilegedPort === true);
    this.selectorLabels = {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': `${this.name}-${this.node.addr.slice(0, 8)}`,
    };
    this.serviceAccountName = this.name;
    this.extraLabels = this.checkLabels(props.labels);
  }

  /** Allow a peer to connect to the workload's port. */
  public allowIngressFrom(peer: NetworkPeer): void {
    this.checkPeer(peer, 'ingressFrom', 'network-policy-allow-all-ingress');
    if (this._listenPort === undefined) {
      fail(this, 'network-policy-allow-all-ingress', 'ingressFrom', peer.describe(), 'the workload has no port, so nothing may connect to it.', 'give the workload a port, or drop the ingress peer.');
    }
    NetworkPeer._assertIngress(this, 'ingressFrom', [...this.ingressPeers, peer], this.namespace);
    this.ingressPeers.push(peer);
  }

  /** Allow the workload to connect to a peer on a TCP port. */
  public allowEgressTo(peer: NetworkPeer, port: number): void {
    this.checkPeer(peer, 'egressTo', 'network-policy-allow-all-egress');
    peer._render(this, 'egressTo', this.namespace, false);
    this.egressRules.push({ peer, port: checkPort(this, port, 'egressTo.port', true) });
  }

  /**
   * Let this workload call another one: egress from this to the other's port and ingress on the other from this.
   */
  public connectTo(other: HardenedWorkload): void {
    const port = (other as any)?._listenPort;
    if (!(other instanceof HardenedWorkload) || port === undefined) {
      fail(this, 'network-policy-allow-all-egress', 'connectTo', (other as any)?.name ?? other, 'is not a hardened workload with a port.', 'connect to a workload that listens (has a port).');
    }
    this.allowEgressTo(NetworkPeer.workload(other), port);
    other.allowIngressFrom(NetworkPeer.workload(this));
  }

  /**
   * Expose the workload outside the cluster: an Ingress (TLS required, `ingressClassName` explicit) or a Gateway API
   * HTTPRoute (attached to the Gateway's HTTPS listener by `sectionName`), for named hosts only, Prefix/Exact paths only,
   * with the workload's Service as the backend; and an ingress rule in the workload's NetworkPolicy admitting the port
   * from the controller's namespace (optionally its pods) only. A DaemonSet gets a ClusterIP Service for its port on the
   * first call; a HardenedJob or HardenedCronJob must have asked for its Service (`service: true`). Call it again with
   * another `name` to expose more hosts.
   */
  public expose(options: ExposeOptions): WorkloadExposure {
    const name = isRecord(options) && options.name !== undefined ? options.name : this.name;
    const id = name === this.name ? 'Exposure' : `Exposure-${name}`;
    if (typeof name === 'string' && this.node.tryFindChild(id)) {
      fail(this, 'metadata-valid', 'options.name', name, 'is already the name of an exposure of this workload.', 'pass another options.name for the second exposure.');
    }
    const childId = typeof name === 'string' ? id : 'Exposure-invalid';
    try {
      return new WorkloadExposure(this, childId, options);
    } catch (e) {
      this.node.tryRemoveChild(childId); // a refused exposure leaves nothing behind: no object, no name taken
      throw e;
    }
  }

  /**
   * The backend of an exposure: the workload's Service and its port (a DaemonSet's Service is created here).
   * @internal
   */
  public _exposureTarget(scope: Construct): { serviceName: string; servicePort: number; metadata: any } {
    if (this._listenPort === undefined) {
      fail(scope, 'ingress-backend-exists', 'expose', this.name, 'the workload has no port: there is nothing to route to.', 'give the workload a port (props.port).');
    }
    let service = this.node.tryFindChild('Service') as ApiObject | undefined;
    if (!service) {
      if (!this._exposeCreatesService) {
        fail(scope, 'ingress-backend-exists', 'expose', this.name,
          'has no Service: a HardenedJob or HardenedCronJob emits one only when asked, and a route to a run-to-completion pod is rarely meant.',
          'set props.service: true on the batch workload to expose it deliberately.');
      }
      service = new k8s.KubeService(this, 'Service', {
        metadata: this._metadata(),
        spec: {
          type: 'ClusterIP',
          selector: this.selectorLabels,
          ports: [{ name: 'app', port: this._listenPort, targetPort: k8s.IntOrString.fromString('app'), protocol: 'TCP' }],
        },
      });
    }
    const port = service.toJson()?.spec?.ports?.[0]?.port;
    return { serviceName: this.name, servicePort: typeof port === 'number' ? port : this._listenPort, metadata: this._metadata() };
  }

  /**
   * Admit the controller of an exposure to the port (once per distinct peer).
   * @internal
   */
  public _admitController(peer: NetworkPeer): void {
    if (this.ingressPeers.some(p => p.describe() === peer.describe())) return;
    this.allowIngressFrom(peer);
  }

  /**
   * Pod template labels: the selector labels plus managed-by.
   * @internal
   */
  protected _labels(): { [key: string]: string } {
    return { ...this.extraLabels, ...this.selectorLabels, 'app.kubernetes.io/managed-by': 'cdk8s-hardened' };
  }

  /**
   * Metadata of every emitted object.
   * @internal
   */
  protected _metadata(): any {
    return { name: this.name, ...(this.namespace ? { namespace: this.namespace } : {}), labels: this._labels() };
  }

  /**
   * The dedicated ServiceAccount, without an automounted token.
   * @internal
   */
  protected _createServiceAccount(): ApiObject {
    return new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: this._metadata(), automountServiceAccountToken: false });
  }

  /**
   * The NetworkPolicy: named ingress peers to the port, DNS and named egress peers; rules added later render lazily.
   * @internal
   */
  protected _createNetworkPolicy(props: HardenedWorkloadProps): ApiObject {
    list(this, props.ingressFrom, 'props.ingressFrom', 'network-policy-allow-all-ingress').forEach((p, i) => {
      this.checkPeer(p, `props.ingressFrom[${i}]`, 'network-policy-allow-all-ingress');
      this.allowIngressFrom(p);
    });
    list(this, props.egressTo, 'props.egressTo', 'network-policy-allow-all-egress').forEach((r, i) => {
      if (!isRecord(r)) {
        fail(this, 'network-policy-allow-all-egress', `props.egressTo[${i}]`, r, 'must be an object { peer, port }.', 'pass e.g. { peer: NetworkPeer.ipBlock("10.0.0.0/24"), port: 5432 }.');
      }
      this.checkPeer(r.peer, `props.egressTo[${i}].peer`, 'network-policy-allow-all-egress');
      checkPort(this, r.port, `props.egressTo[${i}].port`, true);
      this.allowEgressTo(r.peer, r.port);
    });
    return new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: this._metadata(),
      spec: {
        podSelector: { matchLabels: this.selectorLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({ produce: () => this.renderIngress() }) as any,
        egress: Lazy.any({ produce: () => this.renderEgress() }) as any,
      },
    });
  }

  /**
   * Role + RoleBinding granting exactly the (validated) API access rules to the ServiceAccount.
   * @internal
   */
  protected _createApiAccess(apiAccess: ApiAccessRule[]): void {
    if (apiAccess.length === 0) return;
    const metadata = { ...this._metadata(), name: `${this.name}-api-access` };
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: apiAccess.map(r => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
        ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      })),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${this.name}-api-access` },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, ...(this.namespace ? { namespace: this.namespace } : {}) }],
    });
  }

  /**
   * Validate the autoscaling and replicas props together: the replica count, or undefined when an HPA owns it.
   * @internal
   */
  protected _replicas(replicas: number | undefined, autoscaling: WorkloadAutoscaling | undefined): number | undefined {
    if (autoscaling === undefined || autoscaling === null) {
      const r = replicas ?? 2;
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 2) {
        fail(this, 'replicas-minimum', 'props.replicas', r, 'a workload needs at least 2 replicas to survive a node drain or a crash.', 'set replicas to 2 or more (default 2).');
      }
      return r;
    }
    if (replicas !== undefined) {
      fail(this, 'replicas-minimum', 'props.replicas', replicas, 'is set together with autoscaling; the HorizontalPodAutoscaler owns the replica count and every apply would reset it.',
        'omit replicas and set autoscaling.minReplicas.');
    }
    return undefined;
  }

  /**
   * The HorizontalPodAutoscaler of `kind` (an apps/v1 workload of this name).
   * @internal
   */
  protected _createAutoscaler(kind: string, a: WorkloadAutoscaling | undefined): ApiObject | undefined {
    if (a === undefined || a === null) return undefined;
    if (!isRecord(a)) fail(this, 'replicas-minimum', 'props.autoscaling', a, 'must be an object { minReplicas?, maxReplicas, cpuUtilization?, memoryUtilization? }.', 'pass e.g. { maxReplicas: 10 }.');
    const min = checkInt(this, a.minReplicas ?? 2, 'props.autoscaling.minReplicas', 'replicas-minimum', 2, 1000, 'use 2 or more (default 2).');
    const max = checkInt(this, a.maxReplicas, 'props.autoscaling.maxReplicas', 'replicas-minimum', min, 1000, `use a number between minReplicas (${min}) and 1000.`);
    const target = (name: 'cpu' | 'memory', value: unknown) => ({
      type: 'Resource',
      resource: {
        name,
        target: { type: 'Utilization', averageUtilization: checkInt(this, value, `props.autoscaling.${name}Utilization`, 'resources-requests', 1, 500, 'use a percentage of the request, e.g. 70.') },
      },
    });
    const metrics = [
      ...(a.cpuUtilization !== undefined || a.memoryUtilization === undefined ? [target('cpu', a.cpuUtilization ?? 70)] : []),
      ...(a.memoryUtilization !== undefined ? [target('memory', a.memoryUtilization)] : []),
    ];
    return new k8s.KubeHorizontalPodAutoscalerV2(this, 'HorizontalPodAutoscaler', {
      metadata: this._metadata(),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: this.name }, minReplicas: min, maxReplicas: max, metrics: metrics as any },
    });
  }

  private renderIngress(): any[] {
    return this.ingressPeers.map(p => ({
      from: [p._render(this, 'ingressFrom', this.namespace, true)],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this._listenPort as number) }],
    }));
  }

  private renderEgress(): any[] {
    const dns = {
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }],
      ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
    };
    return [dns, ...this.egressRules.map(r => ({
      to: [r.peer._render(this, 'egressTo', this.namespace, false)],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(r.port) }],
    }))];
  }

  private checkLabels(labels: unknown): { [key: string]: string } {
    if (labels === undefined || labels === null) return {};
    if (!isRecord(labels)) fail(this, 'metadata-valid', 'props.labels', labels, 'must be an object of label key -> value.', 'pass e.g. { team: "payments" }.');
    for (const [k, v] of Object.entries(labels)) {
      if (!isLabelKey(k)) fail(this, 'metadata-valid', 'props.labels', k, 'is not a valid label key ([prefix/]name, name at most 63 characters).', 'use e.g. "team" or "example.com/team".');
      if (RESERVED_LABELS.includes(k)) {
        fail(this, 'metadata-valid', 'props.labels', k, 'is a selector label of the workload; overriding it would make the Service, NetworkPolicy and PodDisruptionBudget select other pods.',
          'use another key, e.g. "app.kubernetes.io/part-of".');
      }
      if (!isLabelValue(v)) fail(this, 'metadata-valid', `props.labels.${k}`, v, 'is not a valid label value (at most 63 alphanumerics, "-", "_", ".").', 'use e.g. "payments".');
    }
    return { ...labels } as { [key: string]: string };
  }

  private checkPeer(peer: unknown, field: string, ruleId: string): void {
    if (!(peer instanceof NetworkPeer)) {
      fail(this, ruleId, field, peer, 'is not a NetworkPeer.', 'use NetworkPeer.workload(...), .pods(...), .namespace(...) or .ipBlock(...).');
    }
  }
}

// expose() calls these implementations, captured when the module loads, never an override (brand.ts).
const BASE_EXPOSURE_TARGET = HardenedWorkload.prototype._exposureTarget;
const BASE_ADMIT_CONTROLLER = HardenedWorkload.prototype._admitController;

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
    if (!HARDENED_WORKLOADS.has(workload as object)) {
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
    const target: ExposureTarget = BASE_EXPOSURE_TARGET.call(workload, this);
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
    BASE_ADMIT_CONTROLLER.call(workload, controllerPeer);
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
