import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DNS1123, DNS1123_SUBDOMAIN, isRecord } from '../kube/k8s-syntax';
import { fail } from '../policy/construct-check';
import { buildPodTemplate, checkQuantity, ExtraMount, isMountPath, list } from './pod-template';
import { HardenedWorkload } from './workload-base';
import { HardenedWorkloadProps, WorkloadAutoscaling } from './workload-props';

const k8s = kplus.k8s;

/** How a StatefulSet creates and deletes its pods. */
export enum PodManagementPolicy {
  /** One pod at a time, in order, each Ready before the next (the Kubernetes default; safe for quorum systems). */
  ORDERED_READY = 'OrderedReady',
  /** All pods at once (faster scaling for stores that do not need ordered start-up). */
  PARALLEL = 'Parallel',
}

/** Access mode of a persistent volume claim. */
export enum VolumeAccessMode {
  /** Read-write by one node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-write by one pod only (Kubernetes 1.29+ GA; CSI volumes): no other pod on the node can mount it. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** A per-pod persistent volume (a volumeClaimTemplate), mounted writable at one path. */
export interface VolumeClaim {
  /** Claim name (a DNS-1123 label); each pod gets `<name>-<statefulset>-<ordinal>`. */
  readonly name: string;
  /** Absolute mount path, e.g. `/var/lib/data`. */
  readonly mountPath: string;
  /** Requested size, e.g. `10Gi`. */
  readonly size: string;
  /**
   * StorageClass (a DNS-1123 subdomain), e.g. an encrypted class.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Access mode.
   * @default VolumeAccessMode.READ_WRITE_ONCE — one node; never ReadWriteMany, so two pods cannot corrupt each other's data
   */
  readonly accessMode?: VolumeAccessMode;
}

/** Props of a HardenedStatefulSet. */
export interface HardenedStatefulSetProps extends HardenedWorkloadProps {
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
   * Persistent volumes, one per pod each.
   * @default - none
   */
  readonly volumeClaims?: VolumeClaim[];
  /**
   * Pod management policy.
   * @default PodManagementPolicy.ORDERED_READY — a quorum never loses two members at once during start-up or scale-down
   */
  readonly podManagementPolicy?: PodManagementPolicy;
}

const ACCESS_MODES = Object.values(VolumeAccessMode) as string[];
/** Volume names the pod template uses. */
const RESERVED = /^((writable|secret|config|secrets-store)-\d+|kube-api-access)$/;
const POLICIES = Object.values(PodManagementPolicy) as string[];

/**
 * A StatefulSet that passes the Pod Security Standards restricted profile and the whole catalogue with nothing but an
 * image and a port, plus its headless Service (stable pod DNS names), dedicated ServiceAccount, NetworkPolicy and
 * PodDisruptionBudget. Claims are retained when the StatefulSet is deleted or scaled down.
 */
export class HardenedStatefulSet extends HardenedWorkload {
  /** The container port. */
  public readonly port: number;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The headless Service (clusterIP None) that gives each pod a stable DNS name. */
  public readonly service: ApiObject;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: ApiObject;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: ApiObject;
  /** The HorizontalPodAutoscaler, with `autoscaling`. @default - none */
  public readonly autoscaler?: ApiObject;

  /** Validates the props (HardeningError on any unsafe value) and creates the StatefulSet and its companion objects. */
  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id, props, 'image and port', true, (props as any)?.port);
    this.port = this._listenPort as number;
    const metadata = this._metadata();
    const replicas = this._replicas(props.replicas, props.autoscaling);
    const policy = props.podManagementPolicy ?? PodManagementPolicy.ORDERED_READY;
    if (!POLICIES.includes(policy)) {
      fail(this, 'pod-spec-valid', 'props.podManagementPolicy', policy, `is not one of ${POLICIES.join(', ')}.`, 'use PodManagementPolicy.ORDERED_READY or PARALLEL.');
    }

    const claims: any[] = [];
    const extraMounts: ExtraMount[] = [];
    const names = new Set<string>();
    list(this, props.volumeClaims, 'props.volumeClaims', 'pod-spec-valid').forEach((c, i) => {
      const field = `props.volumeClaims[${i}]`;
      if (!isRecord(c)) fail(this, 'pod-spec-valid', field, c, 'must be an object { name, mountPath, size }.', 'pass e.g. { name: "data", mountPath: "/var/lib/data", size: "10Gi" }.');
      if (typeof c.name !== 'string' || !DNS1123.test(c.name) || RESERVED.test(c.name) || names.has(c.name)) {
        fail(this, 'pod-spec-valid', `${field}.name`, c.name, 'is not a unique DNS-1123 label (and not a reserved volume name such as writable-0).', 'use e.g. "data".');
      }
      names.add(c.name);
      if (!isMountPath(c.mountPath)) {
        fail(this, 'read-only-root-filesystem', `${field}.mountPath`, c.mountPath, 'must be an absolute, normalized directory other than "/".', 'use a dedicated directory such as /var/lib/data.');
      }
      checkQuantity(this, c.size, `${field}.size`, 'pod-spec-valid');
      if (c.storageClassName !== undefined && (typeof c.storageClassName !== 'string' || !DNS1123_SUBDOMAIN.test(c.storageClassName))) {
        fail(this, 'pod-spec-valid', `${field}.storageClassName`, c.storageClassName, 'is not a StorageClass name (a DNS-1123 subdomain).', 'name a StorageClass of the cluster, e.g. "gp3-encrypted".');
      }
      const mode = c.accessMode ?? VolumeAccessMode.READ_WRITE_ONCE;
      if (!ACCESS_MODES.includes(mode)) {
        fail(this, 'pod-spec-valid', `${field}.accessMode`, mode, `is not one of ${ACCESS_MODES.join(', ')}; shared read-write volumes let one pod corrupt another's data.`, 'use VolumeAccessMode.READ_WRITE_ONCE.');
      }
      claims.push({
        metadata: { name: c.name, labels: this._labels() },
        spec: {
          accessModes: [mode],
          ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}),
          resources: { requests: { storage: k8s.Quantity.fromString(c.size) } },
        },
      });
      extraMounts.push({ mount: { name: c.name, mountPath: c.mountPath }, field: `${field}.mountPath` });
    });

    const template = buildPodTemplate(this, props, {
      name: this.name, namespace: this.namespace, port: this.port, selectorLabels: this.selectorLabels, labels: this._labels(),
      batch: false, topologySpread: true, extraMounts, profile: this._profile,
    });

    this.serviceAccount = this._createServiceAccount();
    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        clusterIp: 'None',
        selector: this.selectorLabels,
        publishNotReadyAddresses: false,
        ports: [{ name: 'app', port: this.port, targetPort: k8s.IntOrString.fromString('app'), protocol: 'TCP' }],
      },
    });
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        ...(replicas !== undefined ? { replicas } : {}),
        serviceName: this.name,
        podManagementPolicy: policy,
        revisionHistoryLimit: 5,
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: this.selectorLabels },
        template: template.render(this.serviceAccountName),
        ...(claims.length > 0 ? { volumeClaimTemplates: claims } : {}),
      },
    });
    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: this.selectorLabels } },
    });
    this.autoscaler = this._createAutoscaler('StatefulSet', props.autoscaling);
    this.networkPolicy = this._createNetworkPolicy(props);
    this._createApiAccess(template.apiAccess);
  }
}
