import { ApiObject, Chart, Lazy } from 'cdk8s';
import { HARDENED_WORKLOADS, WORKLOAD_IMPL } from './brand';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { HardeningProfile, ResolvedProfile } from '../policy/profile';
import { DNS1035, isLabelKey, isLabelValue, isRecord } from '../policy/k8s-syntax';
import { ExposeOptions, WorkloadExposure } from './expose';
import { IWorkloadPeer, NetworkPeer } from './network-peer';
import { checkInt, checkNamespace, checkPort, list } from './pod-template';
import { ApiAccessRule, EgressRule, HardenedWorkloadProps, WorkloadAutoscaling } from './workload-props';

const RESERVED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by'];
const k8s = kplus.k8s;

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

// expose() calls these implementations, never an override (brand.ts).
WORKLOAD_IMPL.exposureTarget = HardenedWorkload.prototype._exposureTarget;
WORKLOAD_IMPL.admitController = HardenedWorkload.prototype._admitController;
