import * as kplus from 'cdk8s-plus-28';
import { WorkloadResources } from '../policy/profile';
import { HealthCheck } from './health-check';
import { NetworkPeer } from './network-peer';

/** When the kubelet pulls the image. */
export enum ImagePullPolicy {
  /**
   * On every container start; with a digest only the manifest is fetched, cached layers are reused. The registry checks
   * the pod's pull credentials every time, so a pod cannot run another tenant's private image merely because it is
   * cached on the node (the reason for CIS Kubernetes Benchmark 1.2.11, AlwaysPullImages).
   */
  ALWAYS = 'Always',
  /**
   * Only when the image is not on the node: pods restart during a registry outage, but any pod on the node can run a
   * cached private image without credentials. For single-tenant node pools.
   */
  IF_NOT_PRESENT = 'IfNotPresent',
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) for the workload. The autoscaler owns the replica count: `spec.replicas`
 * is left unset so re-applying the manifest never resets the scale.
 */
export interface WorkloadAutoscaling {
  /**
   * Fewest pods. At least 2: the autoscaler would otherwise scale down to a single point of failure.
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most pods (at least minReplicas, at most 1000): bounds what a load spike (or an attack) can cost. */
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the CPU request (1-500).
   * @default 70 when no memory target is given, else none
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory use, in percent of the memory request (1-500).
   * @default - none
   */
  readonly memoryUtilization?: number;
}

/**
 * An init container or a native sidecar, hardened like the main container: same user and group, read-only root
 * filesystem, all capabilities dropped, no privilege escalation, seccomp RuntimeDefault, the image rules of the
 * catalogue, resources. It mounts the workload's writable paths (shared with the main container, e.g. to hand over
 * files) and nothing else: no Secret, ConfigMap or API token mounts.
 */
export interface HardenedContainer {
  /** Container name (a DNS-1123 label, unique in the pod, not `main`). */
  readonly name: string;
  /** Image, under the same rules as the workload's image (digest, allowed registry, never `:latest`). */
  readonly image: string;
  /** Command (entrypoint). @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments. @default - the image's cmd */
  readonly args?: string[];
  /**
   * Environment variables (cdk8s-plus `EnvValue`).
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * CPU and memory; limits may not be below requests.
   * @default - the workload's resources — an unsized container could starve the node (denial of service)
   */
  readonly resources?: WorkloadResources;
}

/** A read-only Secret volume. */
export interface SecretMount {
  /** Absolute mount path, e.g. `/etc/db`. */
  readonly path: string;
  /** The Secret (e.g. `kplus.Secret.fromSecretName(this, 'db', 'db-credentials')`). */
  readonly secret: kplus.ISecret;
}

/**
 * A SecretProviderClass of the Secrets Store CSI driver, by reference. Structural on purpose: an
 * `AwsSecretProviderClass` (which has `name` and `namespace`) or an object literal fits.
 */
export interface SecretProviderClassRef {
  /** metadata.name of the SecretProviderClass. */
  readonly name: string;
  /**
   * Namespace of the SecretProviderClass: the CSI driver only reads the class from the pod's own namespace.
   * @default - not checked (assumed to be the workload's namespace)
   */
  readonly namespace?: string;
}

/** Files of a Secrets Store CSI driver volume, mounted read-only: secrets fetched at pod start, never stored in etcd. */
export interface SecretProviderMount {
  /** Absolute mount path, e.g. `/mnt/secrets`. */
  readonly path: string;
  /** The SecretProviderClass that lists the secrets (e.g. an `AwsSecretProviderClass`). */
  readonly secretProviderClass: SecretProviderClassRef;
}

/** A read-only ConfigMap volume. */
export interface ConfigMapMount {
  /** Absolute mount path, e.g. `/etc/app`. */
  readonly path: string;
  /** The ConfigMap. */
  readonly configMap: kplus.IConfigMap;
}

/**
 * One least-privilege Kubernetes API permission for the workload's ServiceAccount.
 * No wildcards; no escalate/bind/impersonate; Secrets only by name.
 */
export interface ApiAccessRule {
  /** API groups, e.g. `['']` for the core group or `['apps']`. */
  readonly apiGroups: string[];
  /** Resources, e.g. `['configmaps']`. */
  readonly resources: string[];
  /** Verbs among get, list, watch, create, update, patch, delete. */
  readonly verbs: string[];
  /**
   * Restrict to these object names (required for secrets).
   * @default - every object of the resources in the namespace
   */
  readonly resourceNames?: string[];
}

/** A node taint the pods tolerate. */
export interface PodToleration {
  /** Taint key. */
  readonly key: string;
  /**
   * Without a value the toleration matches the named key only, never every taint.
   * @default - any value (operator Exists)
   */
  readonly value?: string;
  /** Taint effect: NoSchedule, PreferNoSchedule or NoExecute. @default - all effects */
  readonly effect?: string;
}

/** An egress allowance: a peer and the TCP port the workload may reach on it. */
export interface EgressRule {
  /** Who. */
  readonly peer: NetworkPeer;
  /** TCP port. */
  readonly port: number;
}

/** How a node label requirement compares the label (Kubernetes NodeSelectorRequirement operators). */
export enum NodeLabelOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label's value is none of `values` (or the label is absent). */
  NOT_IN = 'NotIn',
  /** The node has the label (no `values`). */
  EXISTS = 'Exists',
  /** The node does not have the label (no `values`). */
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label's value, read as an integer, is greater than the single value in `values`. */
  GT = 'Gt',
  /** The label's value, read as an integer, is less than the single value in `values`. */
  LT = 'Lt',
}

/** One requirement on a node label. */
export interface NodeLabelRequirement {
  /** Node label key (a valid label key, e.g. `topology.kubernetes.io/zone`). */
  readonly key: string;
  /** How the label is compared. */
  readonly operator: NodeLabelOperator;
  /**
   * Label values: one or more for In and NotIn, exactly one integer for Gt and Lt, none for Exists and DoesNotExist.
   * @default - none
   */
  readonly values?: string[];
}

/** A node selector term: a node matches when it meets every requirement. */
export interface NodeAffinityTerm {
  /** The requirements, all of which must hold (at least one). */
  readonly matchExpressions: NodeLabelRequirement[];
}

/** A node selector term the scheduler prefers, with its weight. */
export interface PreferredNodeAffinityTerm {
  /** Weight (1-100) added to a node's score when it matches. */
  readonly weight: number;
  /** The requirements, all of which must hold (at least one). */
  readonly matchExpressions: NodeLabelRequirement[];
}

/**
 * Node affinity of the pods (`spec.affinity.nodeAffinity`): keep sensitive workloads on a dedicated, hardened node pool
 * (and other tenants' workloads off it, with a taint), or prefer some nodes.
 */
export interface WorkloadNodeAffinity {
  /**
   * The pods are scheduled only on nodes that match at least one of these terms (they stay Pending otherwise).
   * @default - none: any node the nodeSelector and taints allow
   */
  readonly required?: NodeAffinityTerm[];
  /**
   * Terms the scheduler prefers, by weight.
   * @default - none
   */
  readonly preferred?: PreferredNodeAffinityTerm[];
}

/** How strictly replicas are kept apart. */
export enum AntiAffinityStrength {
  /**
   * The scheduler prefers to keep replicas apart but co-locates them when it must (no pod stays Pending because of it).
   */
  PREFERRED = 'preferred',
  /**
   * Never two replicas in one domain: a compromised or failing node (or zone) holds at most one replica, but a workload
   * with more replicas than domains leaves the surplus Pending, including during a rolling update (use maxSurge 0 or
   * enough domains).
   */
  REQUIRED = 'required',
}

/**
 * Pod anti-affinity between the replicas of this workload (`spec.affinity.podAntiAffinity`, selecting the workload's own
 * pods in its namespace).
 */
export interface ReplicaAntiAffinity {
  /**
   * Node label that defines a domain: `kubernetes.io/hostname` (one replica per node) or `topology.kubernetes.io/zone`.
   * @default 'kubernetes.io/hostname'
   */
  readonly topologyKey?: string;
  /**
   * Preferred or required.
   * @default AntiAffinityStrength.PREFERRED — spreads replicas without ever blocking scheduling (availability); choose
   * REQUIRED when one node must never hold two replicas (blast radius of a node compromise)
   */
  readonly strength?: AntiAffinityStrength;
  /**
   * Weight (1-100) of a preferred anti-affinity.
   * @default 100
   */
  readonly weight?: number;
}

/** A PersistentVolumeClaim of the namespace, mounted into the main container. */
export interface PersistentVolumeClaimMount {
  /** Absolute mount path, e.g. `/data`. */
  readonly path: string;
  /** Name of the PersistentVolumeClaim in the workload's namespace (a DNS-1123 subdomain). */
  readonly claimName: string;
  /**
   * Mount the volume read-only (the volume source and the mount).
   * @default true — a compromised container cannot modify or destroy shared data it only needs to read; set false for
   * data the workload owns
   */
  readonly readOnly?: boolean;
}

/** A file of a projected ConfigMap or Secret: the key and the file path it is written to. */
export interface ProjectedKey {
  /** Key in the ConfigMap or Secret. */
  readonly key: string;
  /** Relative file path in the volume (no `..`, not absolute). */
  readonly path: string;
}

/** A downward API file: pod metadata written to a file. */
export interface ProjectedPodField {
  /** Relative file path in the volume (no `..`, not absolute). */
  readonly path: string;
  /**
   * Pod field: `metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels`, `metadata.annotations`, or one
   * label or annotation (`metadata.labels['app']`).
   */
  readonly fieldPath: string;
}

/** Options of a projected ServiceAccount token. */
export interface ProjectedTokenOptions {
  /**
   * Audience of the token: the service that will accept it (e.g. `vault`, `sts.amazonaws.com`). Required: a token
   * bound to an audience cannot be replayed against another service. Kubernetes API server audiences are refused —
   * API access is granted only through `apiAccess`.
   */
  readonly audience: string;
  /**
   * Lifetime of the token in seconds (600-86400); the kubelet rotates it at 80 % of that.
   * @default 3600 — a leaked token is useful for at most an hour
   */
  readonly expirationSeconds?: number;
  /**
   * File name of the token in the volume.
   * @default 'token'
   */
  readonly path?: string;
}

/**
 * One source of a projected volume: a ConfigMap, a Secret, downward API fields or a ServiceAccount token with an
 * audience and a bounded lifetime.
 */
export class ProjectedSource {
  /**
   * Keys of a ConfigMap (all keys, or only `items`).
   * @param items the keys to project @default - every key, as files named after the keys
   */
  public static configMap(configMap: kplus.IConfigMap, items?: ProjectedKey[]): ProjectedSource {
    return new ProjectedSource('configMap', configMap, items);
  }

  /**
   * Keys of a Secret (all keys, or only `items`).
   * @param items the keys to project @default - every key, as files named after the keys
   */
  public static secret(secret: kplus.ISecret, items?: ProjectedKey[]): ProjectedSource {
    return new ProjectedSource('secret', secret, items);
  }

  /** Pod metadata fields (downward API). */
  public static downwardApi(fields: ProjectedPodField[]): ProjectedSource {
    return new ProjectedSource('downwardAPI', undefined, fields);
  }

  /** A short-lived ServiceAccount token of the workload's ServiceAccount, for one audience. */
  public static serviceAccountToken(options: ProjectedTokenOptions): ProjectedSource {
    return new ProjectedSource('serviceAccountToken', options, undefined);
  }

  /** Which source this is: `configMap`, `secret`, `downwardAPI` or `serviceAccountToken`. @internal */
  public readonly _kind: string;
  /** The ConfigMap, Secret or token options. @internal */
  public readonly _source: any;
  /** The items or fields. @internal */
  public readonly _items: any[] | undefined;

  private constructor(kind: string, source: any, items: any[] | undefined) {
    this._kind = kind;
    this._source = source;
    this._items = items;
  }
}

/** A projected volume, mounted read-only (files mode 0440): several sources in one directory. */
export interface ProjectedMount {
  /** Absolute mount path, e.g. `/var/run/secrets/tokens`. */
  readonly path: string;
  /** The sources (at least one; file paths unique across them). */
  readonly sources: ProjectedSource[];
}

/**
 * Props every hardened workload kind shares: the container and its pod. Insecure knobs (privileged, host namespaces,
 * hostPath, root, added capabilities other than NET_BIND_SERVICE, writable root filesystem) do not exist; a
 * HardenedDaemonSet adds narrow host-access opt-ins that each carry a waiver.
 */
export interface HardenedWorkloadProps {
  /**
   * Container image. Must be pinned by `@sha256:` digest when the profile requires it (the default), come from an
   * allowed registry when the profile lists any, and never use `:latest`.
   */
  readonly image: string;
  /**
   * Name of the workload and of the objects emitted with it (a DNS-1035 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object: a DNS-1123 label, not a `kube-*` system namespace (those hold cluster components and
   * usually enforce no restricted Pod Security level).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * UID the container runs as. Explicit and documented, never magic: 65532 is the `nonroot` user of distroless and
   * Chainguard images. Set it to the UID your image's files belong to. 0 (root) is refused.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * GID of the process and of volume files (fsGroup).
   * @default 65532
   */
  readonly runAsGroup?: number;
  /**
   * CPU and memory. Without resources one pod can starve a node (denial of service). Limits may not be below requests.
   * @default - the profile's defaultResources; none is a construct-time error
   */
  readonly resources?: WorkloadResources;
  /**
   * Writable directories, as size-limited emptyDir mounts: the root filesystem is read-only so an attacker cannot
   * persist or modify binaries.
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];
  /**
   * Size limit of each writable path.
   * @default '256Mi' — bounds disk use of the node (denial of service)
   */
  readonly writablePathSizeLimit?: string;
  /**
   * Environment variables (cdk8s-plus `EnvValue`: fromValue, fromSecretValue, fromConfigMap, fromFieldRef). Names match
   * `[-._a-zA-Z][-._a-zA-Z0-9]*`.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * Secrets mounted read-only (mode 0440).
   * @default - none
   */
  readonly secretMounts?: SecretMount[];
  /**
   * ConfigMaps mounted read-only.
   * Nothing is mounted that the workload did not ask for; mounts are read-only.
   * @default - none
   */
  readonly configMapMounts?: ConfigMapMount[];
  /**
   * Secrets Store CSI driver volumes, mounted read-only: the driver fetches the secrets with the workload's own
   * ServiceAccount identity (e.g. EKS Pod Identity) when the pod starts; no Kubernetes Secret is created.
   * @default - none
   */
  readonly secretProviderMounts?: SecretProviderMount[];
  /** Command (entrypoint). @default - the image's entrypoint */
  readonly command?: string[];
  /**
   * Arguments. The image author's entrypoint arguments stay in force unless overridden on purpose.
   * @default - the image's cmd
   */
  readonly args?: string[];
  /**
   * Readiness check: traffic only reaches pods that pass.
   * @default HealthCheck.tcp() on the port for long-running workloads; none for Jobs and CronJobs (they run to completion)
   */
  readonly readiness?: HealthCheck;
  /**
   * Liveness check: a hung pod is restarted.
   * @default HealthCheck.tcp() on the port, after 10 s, for long-running workloads; none for Jobs and CronJobs
   */
  readonly liveness?: HealthCheck;
  /**
   * Startup check: liveness and readiness wait until it passes, so a slow starter is not killed by its liveness probe
   * (which would otherwise need a long initial delay that also delays noticing a hang).
   * @default - none
   */
  readonly startup?: HealthCheck;
  /**
   * Add NET_BIND_SERVICE (the only addable capability) so a non-root process can listen below 1024.
   * @default false — all capabilities are dropped
   */
  readonly bindPrivilegedPort?: boolean;
  /**
   * Peers allowed to connect to the port. Nothing else may: ingress is denied by default. Needs a port.
   * @default - none (no ingress)
   */
  readonly ingressFrom?: NetworkPeer[];
  /**
   * Peers and ports the pods may connect to, besides cluster DNS. Nothing else: egress is denied by default.
   * @default - DNS only
   */
  readonly egressTo?: EgressRule[];
  /**
   * Kubernetes API permissions. The ServiceAccount token is never auto-mounted; with API access a short-lived
   * (1 h) projected token is mounted at the standard path and a Role + RoleBinding grant exactly these rules.
   * @default - no API access and no token in the pod
   */
  readonly apiAccess?: ApiAccessRule[];
  /**
   * Runtime class, e.g. `kata` or `gvisor`, to run the pods in a sandbox (a DNS-1123 subdomain).
   * @default - the profile's defaultRuntimeClassName, else the cluster default
   */
  readonly runtimeClassName?: string;
  /**
   * Node labels the pods require (valid label keys and values).
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the pods tolerate.
   * Pods stay off tainted (dedicated or control-plane) nodes unless a taint is named.
   * @default - none
   */
  readonly tolerations?: PodToleration[];
  /**
   * Seconds a pod gets to shut down.
   * Long enough to drain connections, short enough that a stuck pod cannot delay a security rollout.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace used to pull the image (DNS-1123 subdomains).
   * With `imagePullPolicy: Always` the kubelet authenticates every pull with them.
   * @default - none (the node's or the ServiceAccount's credentials)
   */
  readonly imagePullSecrets?: string[];
  /**
   * When the kubelet pulls the image. `Never` does not exist: it runs whatever image a node happens to hold.
   * @default ImagePullPolicy.ALWAYS — every start proves the pod may pull the image (CIS AlwaysPullImages); a digest
   * keeps it cheap
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Extra labels on every emitted object and the pods (valid label keys and values). The selector labels
   * (`app.kubernetes.io/name`, `instance`, `managed-by`) cannot be overridden: they decide which pods the Service,
   * NetworkPolicy and PodDisruptionBudget select.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations on the pods (e.g. `prometheus.io/scrape`); valid annotation keys, at most 256 KiB in total. Keys that
   * change security or tooling behaviour are refused: `*.kubernetes.io/` and `k8s.io/` (AppArmor, seccomp and other
   * reserved keys) and `hardened.cdk8s.io/` (waivers only through `Waiver.apply`).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * PriorityClass of the pods (a DNS-1123 subdomain). `system-*` classes are refused: a workload at
   * system-cluster-critical or system-node-critical priority could preempt cluster components (denial of service).
   * @default - none: the cluster's default priority (globalDefault class, else 0)
   */
  readonly priorityClassName?: string;
  /**
   * Init containers, run to completion in order before the main container starts (after the sidecars have started).
   * @default - none
   */
  readonly initContainers?: HardenedContainer[];
  /**
   * Native sidecars (init containers with `restartPolicy: Always`, Kubernetes 1.29+): started before the init containers
   * and the main container, kept running beside it, stopped after it — e.g. a log forwarder or a proxy.
   * @default - none
   */
  readonly sidecars?: HardenedContainer[];
  /**
   * Node affinity (required and preferred node label terms), on top of `nodeSelector`.
   * @default - none: any node the nodeSelector and taints allow
   */
  readonly nodeAffinity?: WorkloadNodeAffinity;
  /**
   * Pod anti-affinity between this workload's replicas, one entry per topology key. Long-running kinds already spread
   * replicas over zones and nodes with topologySpreadConstraints (maxSkew 1, ScheduleAnyway); anti-affinity adds a
   * hard or weighted "never together" per domain.
   * @default - none: the topology spread constraints spread replicas without blocking scheduling (a REQUIRED default
   * would leave replicas Pending on small clusters and during rolling updates)
   */
  readonly antiAffinity?: ReplicaAntiAffinity[];
  /**
   * PersistentVolumeClaims of the namespace mounted into the main container (read-only unless `readOnly: false`).
   * A StatefulSet's per-pod volumes are its `volumeClaims`.
   * @default - none
   */
  readonly persistentVolumeClaimMounts?: PersistentVolumeClaimMount[];
  /**
   * Projected volumes (ConfigMap, Secret, downward API and audience-bound ServiceAccount token sources), mounted
   * read-only with files of mode 0440.
   * @default - none
   */
  readonly projectedMounts?: ProjectedMount[];
}
