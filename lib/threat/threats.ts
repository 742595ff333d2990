import { Stride } from '../policy/types';

/**
 * What a threat targets.
 */
export enum AssetKind {
  /** A workload: an object that runs pods (Deployment, Pod, Job, CronJob, a custom pod carrier, ...). */
  WORKLOAD = 'workload',
  /** A namespace (tenant boundary). */
  NAMESPACE = 'namespace',
  /** A Secret, or a resource that delivers one (ExternalSecret, SecretProviderClass). */
  SECRET = 'secret',
  /** A Role or ClusterRole and its bindings (who may do what). */
  PERMISSION = 'permission',
  /** A Service that exposes workloads. */
  SERVICE = 'service',
  /** The cluster as a whole: control plane, etcd, audit trail, node network. */
  CLUSTER = 'cluster',
}

/**
 * A threat of the STRIDE model, with what mitigates it.
 */
export interface ThreatDefinition {
  /** Stable id, e.g. `S1-stolen-service-account-token`. */
  readonly id: string;
  /** STRIDE category. */
  readonly stride: Stride;
  /** One-line title. */
  readonly title: string;
  /** What the attacker does and what it costs. */
  readonly description: string;
  /** The kinds of assets it targets. */
  readonly assets: AssetKind[];
  /** Catalogue rules that detect the insecure configurations it exploits (findings on an asset decide its status). */
  readonly rules: string[];
  /**
   * Kinds of objects whose presence in the output is a mitigating control (e.g. `NetworkPolicy`, `ResourceQuota`,
   * `Policy` of audit.k8s.io, `EncryptionConfiguration`, `FirewallMatrix`). For cluster threats, without one of them the
   * threat is outside this app and the cluster operator's.
   */
  readonly controls: string[];
  /** What the cluster operator must do that no manifest can. */
  readonly operator: string;
  /** The next step when the threat is not covered (the construct or setting that covers it). */
  readonly nextStep: string;
  /** Where the threat comes from: the seed documents of this project (../shared/seeds) and public references. */
  readonly sources: string[];
}

/** Seed 002: a STRIDE walk-through of Kubernetes (in Chinese). Seed 000: KubeSphere's "K8s security risks" talk. */
const SEED_STRIDE = 'seeds/002 (STRIDE in Kubernetes)';
const SEED_RISKS = 'seeds/000 (K8s security risks, mechanisms and best practices, KubeSphere)';

/**
 * The threat catalogue: every threat of the project's STRIDE seed (002) and every risk of the risk seed (000), with the
 * catalogue rules and emitted objects that mitigate it. A test proves every catalogue rule mitigates at least one
 * threat and every rule named here exists.
 */
export const THREATS: readonly ThreatDefinition[] = [
  {
    id: 'S1-stolen-service-account-token',
    stride: Stride.SPOOFING,
    title: 'A compromised pod uses its ServiceAccount token to act as that identity',
    description: 'Every pod gets a token by default; an attacker with code execution reads it and calls the API server as the workload.',
    assets: [AssetKind.WORKLOAD],
    rules: ['service-account-token-secret', 'pod-default-service-account', 'service-account-field-deprecated', 'service-account-token-automount'],
    controls: [],
    operator: 'Keep bound, short-lived tokens (default since v1.24); alarm on token use from unexpected addresses (EksAuditTrail).',
    nextStep: 'Set automountServiceAccountToken: false (HardenedDeployment does; give apiAccess only to workloads that call the API).',
    sources: [`${SEED_STRIDE}: Spoofing — automountServiceAccountToken: false`, `${SEED_RISKS}: leaked credentials`],
  },
  {
    id: 'S2-impersonated-peer',
    stride: Stride.SPOOFING,
    title: 'A workload or component is impersonated on the network',
    description: 'Without mutual TLS, anything that can reach a port can claim to be a legitimate peer (host ports and host networking make it easier).',
    assets: [AssetKind.WORKLOAD, AssetKind.CLUSTER],
    rules: ['ingress-host', 'ingress-tls', 'ingress-class-explicit', 'ingress-path-type', 'gateway-listener-tls', 'httproute-hostnames', 'httproute-parent-listener', 'service-external-name', 'pod-host-aliases', 'istio-peer-authentication-mtls', 'istio-sidecar-injection-disabled', 'host-ports', 'image-registry-allowed', 'linkerd-proxy-bypass'],
    controls: ['PeerAuthentication'],
    operator: 'Run the control plane with mTLS between every component (kubeadm and EKS do); rotate certificates.',
    nextStep: 'Enable IsolatedNamespace meshMtlsStrict (Istio PeerAuthentication STRICT) for workload-to-workload traffic.',
    sources: [`${SEED_STRIDE}: Spoofing — mutual TLS`, `${SEED_RISKS}: mTLS between components; TLS/mTLS between applications`],
  },
  {
    id: 'T1-tampered-image',
    stride: Stride.TAMPERING,
    title: 'A tampered or unexpected image runs',
    description: 'A mutable tag or an untrusted registry lets an attacker (or an accident) change the code that runs without a change to the manifest.',
    assets: [AssetKind.WORKLOAD],
    rules: ['image-digest', 'image-tag-latest', 'image-registry-allowed'],
    controls: [],
    operator: 'Scan images in CI, sign them and verify signatures at admission.',
    nextStep: 'Pin images by @sha256 digest and restrict registries in the HardeningProfile (allowedRegistries).',
    sources: [`${SEED_RISKS}: untrusted registries and tampered images execute malicious code`, `${SEED_STRIDE}: Tampering — checksums`],
  },
  {
    id: 'T2-runtime-filesystem-tampering',
    stride: Stride.TAMPERING,
    title: 'An attacker modifies a running container or the node through it',
    description: 'A writable root filesystem lets an intruder persist tools; host paths and privileged mode let it modify the node.',
    assets: [AssetKind.WORKLOAD],
    rules: ['read-only-root-filesystem', 'host-path-volumes', 'persistent-volume-host-path', 'privileged-container', 'volume-mount-system-path'],
    controls: [],
    operator: 'Run nodes with a read-only OS image where possible; detect drift with runtime security.',
    nextStep: 'Set readOnlyRootFilesystem: true with writablePaths for the directories the app writes (HardenedDeployment default).',
    sources: [`${SEED_STRIDE}: Tampering — readOnlyRootFilesystem: true`, `${SEED_RISKS}: forbid reading or writing the host's files`],
  },
  {
    id: 'T3-manifest-and-etcd-tampering',
    stride: Stride.TAMPERING,
    title: 'Cluster state is tampered with: objects, namespaces, cluster-scoped resources',
    description: 'Broken or unresolved output, mis-scoped objects, overlapping firewall flows and writable cluster objects let a change slip in unnoticed.',
    assets: [AssetKind.CLUSTER, AssetKind.PERMISSION],
    rules: ['container-env-duplicate', 'unresolved-token', 'metadata-valid', 'cluster-scoped-namespace', 'kube-list-valid', 'firewall-flow-conflict', 'firewall-zone-invalid',
      'rbac-admission-config-write', 'rbac-endpoints-write', 'rbac-namespace-write'],
    controls: [],
    operator: 'Restrict who can write to etcd (only the API server); back it up; review GitOps changes.',
    nextStep: 'Synthesize every manifest through the guard (HardenedChart / a HardeningProfile on the App).',
    sources: [`${SEED_STRIDE}: Tampering — configuration and stored data`],
  },
  {
    id: 'R1-no-audit-trail',
    stride: Stride.REPUDIATION,
    title: 'Actions cannot be traced to who did them',
    description: 'Without an audit policy that logs every write (and catches every request), nobody can prove who changed what.',
    assets: [AssetKind.CLUSTER],
    rules: ['audit-policy-catch-all', 'audit-policy-writes-logged', 'audit-policy-valid', 'apiserver-audit-logging'],
    controls: ['Policy', 'ClusterConfiguration'],
    operator: 'Enable API server audit logging (EKS: the audit log type) and keep the logs outside the cluster.',
    nextStep: 'Add an AuditPolicy (and EksAuditTrail on EKS).',
    sources: [`${SEED_STRIDE}: Repudiation — API server audit logs (user, timestamp, sourceIPs, verb, objectRef)`, `${SEED_RISKS}: audit logs`],
  },
  {
    id: 'R2-untraceable-exceptions',
    stride: Stride.REPUDIATION,
    title: 'Security exceptions are silent, unowned or permanent',
    description: 'An override without a reason, an owner and an expiry is a decision nobody can be held to.',
    assets: [AssetKind.CLUSTER],
    rules: ['waiver-invalid', 'waiver-expired', 'waiver-unused'],
    controls: [],
    operator: 'Review waivers and profile exceptions before they expire.',
    nextStep: 'Use Waiver.apply / a HardeningProfile exception: reasoned, owned, expiring.',
    sources: ['DESIGN.md: exceptions are explicit, reasoned, owned, expiring waivers', `${SEED_STRIDE}: Repudiation`],
  },
  {
    id: 'I1-secret-read-through-permissions',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'Secrets are read by identities that should not read them',
    description: 'get/list/watch on secrets (directly, by wildcard, through aggregation or a built-in role) discloses every credential in scope.',
    assets: [AssetKind.SECRET, AssetKind.PERMISSION],
    rules: ['rbac-secrets-access', 'rbac-wildcard', 'rbac-secret-create', 'ingress-controller-injection'],
    controls: [],
    operator: 'Review who holds cluster-wide read roles; alarm on Secret reads by humans (EksAuditTrail).',
    nextStep: 'Grant per-ServiceAccount access to named secrets only (EncryptedSecretsProvider, ExternalSecret).',
    sources: [`${SEED_STRIDE}: Information disclosure — Secrets`, `${SEED_RISKS}: RBAC restricts user permissions`],
  },
  {
    id: 'I2-secrets-at-rest',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'Secrets are read from etcd or its backups',
    description: 'Without envelope encryption by an external KMS, whoever reads etcd (or a snapshot) holds both the data and its key.',
    assets: [AssetKind.SECRET, AssetKind.CLUSTER],
    rules: ['credential-literal', 'secret-env-reference', 'encryption-config-provider-order', 'audit-policy-secret-bodies', 'secret-literal-data'],
    controls: ['EncryptionConfiguration'],
    operator: 'Enable KMS envelope encryption of Secrets (EKS: encryptionConfig with a customer managed key).',
    nextStep: 'Use EncryptedSecretsProvider (KMS key, EKS envelope encryption or an EncryptionConfiguration with the KMS provider first).',
    sources: [`${SEED_STRIDE}: Information disclosure — KMS, DEK/KEK envelope`, `${SEED_RISKS}: KMS encryption of etcd data`],
  },
  {
    id: 'I3-lateral-movement',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'A compromised workload reaches other workloads and data over the network',
    description: 'Without default-deny NetworkPolicies every pod can reach every other pod; broad ipBlocks and exposed Services widen it.',
    assets: [AssetKind.WORKLOAD, AssetKind.NAMESPACE, AssetKind.SERVICE],
    rules: ['network-policy-selects-pods', 'container-ssh-port', 'workload-network-policy', 'namespace-default-deny', 'network-policy-allow-all-ingress', 'network-policy-allow-all-egress',
      'network-policy-ipblock-any', 'service-exposure', 'host-namespaces'],
    controls: ['NetworkPolicy'],
    operator: 'Run a CNI that enforces NetworkPolicies (Calico, Cilium).',
    nextStep: 'Use IsolatedNamespace (default deny + DNS) and HardenedDeployment ingress/egress peers.',
    sources: [`${SEED_RISKS}: network policy isolation, do not open unnecessary ports`, `${SEED_RISKS}: exposed internal services are attack points`],
  },
  {
    id: 'I4-exposed-control-plane-and-nodes',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'The kubelet, etcd or control-plane ports are reachable from where they should not be',
    description: 'An open kubelet (10250/10255) or etcd (2379) port hands over the node or the cluster state.',
    assets: [AssetKind.CLUSTER],
    rules: ['firewall-sensitive-port-exposed', 'firewall-etcd-access', 'firewall-port-range'],
    controls: ['FirewallMatrix'],
    operator: 'Keep security groups / host firewalls to the communication matrix; disable the kubelet read-only port.',
    nextStep: 'Describe the communication matrix with FirewallMatrix and render it to security groups.',
    sources: [`${SEED_RISKS}: communication matrix of all components (10250, 6443), firewall as the basic guarantee`],
  },
  {
    id: 'D1-resource-exhaustion',
    stride: Stride.DENIAL_OF_SERVICE,
    title: 'One workload or tenant exhausts node or namespace resources',
    description: 'Pods without requests and memory limits, or namespaces without quotas, starve their neighbours.',
    assets: [AssetKind.WORKLOAD, AssetKind.NAMESPACE],
    rules: ['container-ephemeral-storage-limit', 'job-ttl-after-finished', 'resources-requests', 'memory-limit', 'namespace-resource-quota', 'sysctls-unsafe', 'profile-maximums'],
    controls: ['ResourceQuota', 'LimitRange'],
    operator: 'Size nodes with headroom; set eviction thresholds.',
    nextStep: 'Give every workload resources; use IsolatedNamespace quotas and LimitRanges.',
    sources: [`${SEED_STRIDE}: Denial of service — isolation and limits`, `${SEED_RISKS}: ResourceQuota, requests/limits, LimitRange`],
  },
  {
    id: 'D2-fragile-availability',
    stride: Stride.DENIAL_OF_SERVICE,
    title: 'A workload goes down on a single failure or a bad rollout',
    description: 'One replica, missing probes or invalid specs turn a node drain or a crash into an outage.',
    assets: [AssetKind.WORKLOAD],
    rules: ['probe-port-exposed', 'workload-selector-match', 'workload-disruption-budget', 'pdb-allows-disruption', 'hpa-target-valid', 'service-selects-pods', 'ingress-backend-exists', 'replicas-minimum', 'probes-configured', 'container-ports-valid', 'pod-spec-valid'],
    controls: ['PodDisruptionBudget'],
    operator: 'Spread nodes over zones; keep capacity for rolling updates.',
    nextStep: 'Use HardenedDeployment (replicas, probes, PodDisruptionBudget).',
    sources: [`${SEED_STRIDE}: Denial of service`],
  },
  {
    id: 'E1-container-escape',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'A container gains root on its node',
    description: 'Root processes, privileged mode, added capabilities, host namespaces and unconfined profiles are the usual paths out of a container.',
    assets: [AssetKind.WORKLOAD],
    rules: ['pod-group-root', 'pod-host-users', 'container-interactive', 'privileged-container', 'run-as-non-root', 'run-as-user-root', 'allow-privilege-escalation', 'capabilities-baseline',
      'capabilities-restricted', 'host-namespaces', 'host-process', 'host-path-volumes', 'seccomp-baseline', 'seccomp-restricted',
      'apparmor-profile', 'selinux-options', 'proc-mount', 'volume-types', 'probe-host'],
    controls: [],
    operator: 'Patch nodes and the container runtime; consider sandboxed runtimes (gVisor, Kata).',
    nextStep: 'Use HardenedDeployment (PSS restricted by construction) and Pod Security admission restricted on the namespace.',
    sources: [`${SEED_STRIDE}: Elevation of privilege — non-root, capabilities, allowPrivilegeEscalation: false`, `${SEED_RISKS}: privilege escalation and container escape`],
  },
  {
    id: 'E2-permission-escalation',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'An identity grants itself more than it was given',
    description: 'bind, escalate, impersonate, pod creation, token minting, CSR approval, webhook configuration and privileged bindings are escalation paths.',
    assets: [AssetKind.PERMISSION],
    rules: ['rbac-escalation', 'rbac-binding-privileged', 'rbac-wildcard', 'rbac-pod-create', 'rbac-persistent-volume-create', 'rbac-csr-approval',
      'rbac-admission-config-write', 'rbac-namespace-write', 'rbac-endpoints-write', 'rbac-secret-create'],
    controls: [],
    operator: 'Keep cluster-admin and system:masters to break-glass accounts.',
    nextStep: 'Grant the verbs a workload needs (HardenedDeployment.apiAccess, IsolatedNamespace tenant role).',
    sources: [`${SEED_RISKS}: RBAC to limit permissions; insiders`, 'Kubernetes RBAC good practices'],
  },
  {
    id: 'E3-policy-not-enforced',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'Nothing stops an insecure pod created outside this app',
    description: 'Without Pod Security admission labels, a hand-written or operator-created pod in the namespace is never checked.',
    assets: [AssetKind.NAMESPACE],
    rules: ['scc-privileged', 'object-default-namespace', 'namespace-psa-enforce'],
    controls: [],
    operator: 'Keep the PodSecurity admission plugin enabled (default since v1.25).',
    nextStep: 'Use IsolatedNamespace (pod-security.kubernetes.io/enforce: restricted).',
    sources: [`${SEED_STRIDE}: Pod Security Policy as a cluster-level template`, `${SEED_RISKS}: Pod Security Admission, Gatekeeper`],
  },
  {
    id: 'E4-shared-node-breakout',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'A tenant escapes onto nodes shared with other tenants',
    description: 'Tolerating every taint or sharing nodes puts one tenant\'s pods next to another\'s.',
    assets: [AssetKind.WORKLOAD, AssetKind.NAMESPACE],
    rules: ['toleration-any-taint'],
    controls: [],
    operator: 'Taint dedicated node pools; enable the PodNodeSelector / PodTolerationRestriction admission plugins.',
    nextStep: 'Use IsolatedNamespace dedicated nodes and a sandboxed runtimeClass in the profile.',
    sources: [`${SEED_RISKS}: taints, node selectors, Kata Containers for tenant isolation`],
  },
];
