import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { buildPodTemplate, checkPort } from './pod-template';
import { HardenedWorkload } from './workload-base';
import { HardenedWorkloadProps, WorkloadAutoscaling } from './workload-props';

const k8s = kplus.k8s;

/**
 * Props of a HardenedDeployment. Insecure knobs (privileged, host namespaces, hostPath, root, added capabilities
 * other than NET_BIND_SERVICE, writable root filesystem) do not exist.
 */
export interface HardenedDeploymentProps extends HardenedWorkloadProps {
  /** Port the container listens on (TCP). Ports below 1024 need `bindPrivilegedPort`. */
  readonly port: number;
  /**
   * Number of pods. At least 2: one pod is a single point of failure (denial of service).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler; `spec.replicas` is then left to it (and `replicas` may not be set).
   * @default - none: a fixed replica count
   */
  readonly autoscaling?: WorkloadAutoscaling;
  /**
   * Service port of the ClusterIP Service.
   * @default - the container port
   */
  readonly servicePort?: number;
}

/**
 * A Deployment that passes the Pod Security Standards restricted profile and the whole catalogue with nothing but an
 * image and a port, plus its dedicated ServiceAccount, ClusterIP Service, NetworkPolicy (ingress only from named peers,
 * egress only to named peers and DNS) and PodDisruptionBudget.
 */
export class HardenedDeployment extends HardenedWorkload {
  /** The container port. */
  public readonly port: number;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The dedicated ServiceAccount (add e.g. an IRSA role annotation with `metadata.addAnnotation`). */
  public readonly serviceAccount: ApiObject;
  /** The ClusterIP Service. */
  public readonly service: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: ApiObject;
  /** The HorizontalPodAutoscaler, with `autoscaling`. @default - none */
  public readonly autoscaler?: ApiObject;

  /** Validates the props (HardeningError on any unsafe value) and creates the Deployment and its companion objects. */
  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id, props, 'image and port', true, (props as any)?.port);
    this.port = this._listenPort as number;
    const servicePort = props.servicePort === undefined ? this.port : checkPort(this, props.servicePort, 'props.servicePort', true);
    const metadata = this._metadata();

    const replicas = this._replicas(props.replicas, props.autoscaling);
    const template = buildPodTemplate(this, props, {
      name: this.name, namespace: this.namespace, port: this.port, selectorLabels: this.selectorLabels, labels: this._labels(),
      batch: false, topologySpread: true, profile: this._profile,
    });

    this.serviceAccount = this._createServiceAccount();

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...(replicas !== undefined ? { replicas } : {}),
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        template: template.render(this.serviceAccountName),
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selectorLabels,
        ports: [{ name: 'app', port: servicePort, targetPort: k8s.IntOrString.fromString('app'), protocol: 'TCP' }],
      },
    });

    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: this.selectorLabels } },
    });

    this.autoscaler = this._createAutoscaler('Deployment', props.autoscaling);
    this.networkPolicy = this._createNetworkPolicy(props);
    this._createApiAccess(template.apiAccess);
  }
}
