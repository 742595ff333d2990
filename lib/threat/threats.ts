import { Catalogue } from '../policy/catalogue';
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
  /**
   * Catalogue rules that detect the insecure configurations it exploits (findings on an asset decide its status): the
   * rules whose `threats` field names this threat, in catalogue order.
   */
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
  /**
   * Techniques it stands for: Microsoft Threat Matrix for Kubernetes ids (`MS-TA9025`, see MATRIX_TECHNIQUES) and MITRE
   * ATT&CK ids (`T1552.007`).
   */
  readonly techniques: string[];
  /** Impact when it happens, 1 (low) to 3 (high): the asset's worth to an attacker. See RISK_METHOD. */
  readonly impact: number;
  /** Likelihood without any control, 1 (rare) to 3 (likely). See RISK_METHOD. */
  readonly likelihood: number;
  /**
   * What the report assumes of the environment when the app holds no control for it (status `assumed`), or, for a
   * threat outside this app, what must hold for the app to be safe.
   */
  readonly assumption: string;
  /**
   * True when no manifest of an app can mitigate it (kubelet flags, patching, backups, runtime detection): on the
   * cluster asset its status is `outside this app` with `operator` as the concrete next step, until a control object
   * that a linked rule judges (see THREAT_RULE_LINKS) is in the output.
   * @default false - the library has a construct that emits the control; without it the report says `assumed`
   */
  readonly outsideApp?: boolean;
}

/** Seed 002: a STRIDE walk-through of Kubernetes (in Chinese). Seed 000: KubeSphere's "K8s security risks" talk. */
const SEED_STRIDE = 'seeds/002 (STRIDE in Kubernetes)';
const SEED_RISKS = 'seeds/000 (K8s security risks, mechanisms and best practices, KubeSphere)';

/**
 * The threats as written here: everything but their rules, which each rule's file names (IRule `threats`).
 */
const THREAT_SPECS: readonly Omit<ThreatDefinition, 'rules'>[] = [
  {
    id: 'S1-stolen-service-account-token',
    stride: Stride.SPOOFING,
    title: 'A compromised pod uses its ServiceAccount token to act as that identity',
    description: 'Every pod gets a token by default; an attacker with code execution reads it and calls the API server as the workload.',
    assets: [AssetKind.WORKLOAD],
    controls: [],
    operator: 'Keep bound, short-lived tokens (default since v1.24); alarm on token use from unexpected addresses (EksAuditTrail).',
    nextStep: 'Set automountServiceAccountToken: false (HardenedDeployment does; give apiAccess only to workloads that call the API).',
    sources: [`${SEED_STRIDE}: Spoofing — automountServiceAccountToken: false`, `${SEED_RISKS}: leaked credentials`],
    techniques: ['MS-TA9016', 'MS-TA9029', 'T1528', 'T1613'],
    impact: 2,
    likelihood: 2,
    assumption: 'A pod\'s ServiceAccount token grants only what this app\'s RBAC grants it (no binding outside this app names the ServiceAccount).',
  },
  {
    id: 'S2-impersonated-peer',
    stride: Stride.SPOOFING,
    title: 'A workload or component is impersonated on the network',
    description: 'Without mutual TLS, anything that can reach a port can claim to be a legitimate peer (host ports and host networking make it easier).',
    assets: [AssetKind.WORKLOAD, AssetKind.CLUSTER],
    controls: [],
    operator: 'Run the control plane with mTLS between every component (kubeadm and EKS do); rotate certificates.',
    nextStep: 'Enable IsolatedNamespace meshMtlsStrict (Istio PeerAuthentication STRICT) for workload-to-workload traffic.',
    sources: [`${SEED_STRIDE}: Spoofing — mutual TLS`, `${SEED_RISKS}: mTLS between components; TLS/mTLS between applications`],
    techniques: ['MS-TA9036', 'T1557'],
    impact: 2,
    likelihood: 2,
    assumption: 'Control-plane components authenticate each other with mutual TLS (kubeadm and EKS defaults).',
  },
  {
    id: 'T1-tampered-image',
    stride: Stride.TAMPERING,
    title: 'A tampered or unexpected image runs',
    description: 'A mutable tag or an untrusted registry lets an attacker (or an accident) change the code that runs without a change to the manifest.',
    assets: [AssetKind.WORKLOAD],
    controls: [],
    operator: 'Scan images in CI, sign them and verify signatures at admission.',
    nextStep: 'Pin images by @sha256 digest and restrict registries in the HardeningProfile (allowedRegistries).',
    sources: [`${SEED_RISKS}: untrusted registries and tampered images execute malicious code`, `${SEED_STRIDE}: Tampering — checksums`],
    techniques: ['MS-TA9002', 'T1525', 'T1195.002'],
    impact: 3,
    likelihood: 2,
    assumption: 'The registry serves only images the team built (see T4 for signatures and scanning).',
  },
  {
    id: 'T2-runtime-filesystem-tampering',
    stride: Stride.TAMPERING,
    title: 'An attacker modifies a running container or the node through it',
    description: 'A writable root filesystem lets an intruder persist tools; host paths and privileged mode let it modify the node.',
    assets: [AssetKind.WORKLOAD],
    controls: [],
    operator: 'Run nodes with a read-only OS image where possible; detect drift with runtime security.',
    nextStep: 'Set readOnlyRootFilesystem: true with writablePaths for the directories the app writes (HardenedDeployment default).',
    sources: [`${SEED_STRIDE}: Tampering — readOnlyRootFilesystem: true`, `${SEED_RISKS}: forbid reading or writing the host's files`],
    techniques: ['MS-TA9013', 'MS-TA9012', 'T1611', 'T1543'],
    impact: 2,
    likelihood: 2,
    assumption: 'Nodes run an OS image nobody changes by hand.',
  },
  {
    id: 'T3-manifest-and-etcd-tampering',
    stride: Stride.TAMPERING,
    title: 'Cluster state is tampered with: objects, namespaces, cluster-scoped resources',
    description: 'Broken or unresolved output, mis-scoped objects, overlapping firewall flows and writable cluster objects let a change slip in unnoticed.',
    assets: [AssetKind.CLUSTER, AssetKind.PERMISSION],
    controls: [],
    operator: 'Restrict who can write to etcd (only the API server); back it up; review GitOps changes.',
    nextStep: 'Synthesize every manifest through the guard (HardenedChart / a HardeningProfile on the App).',
    sources: [`${SEED_STRIDE}: Tampering — configuration and stored data`],
    techniques: ['MS-TA9015', 'MS-TA9011', 'T1546'],
    impact: 3,
    likelihood: 1,
    assumption: 'Only the API server writes etcd; changes to the cluster go through reviewed GitOps.',
  },
  {
    id: 'R1-no-audit-trail',
    stride: Stride.REPUDIATION,
    title: 'Actions cannot be traced to who did them',
    description: 'Without an audit policy that logs every write (and catches every request), nobody can prove who changed what.',
    assets: [AssetKind.CLUSTER],
    controls: ['Policy', 'ClusterConfiguration'],
    operator: 'Enable API server audit logging (EKS: the audit log type) and keep the logs outside the cluster.',
    nextStep: 'Add an AuditPolicy (and EksAuditTrail on EKS).',
    sources: [`${SEED_STRIDE}: Repudiation — API server audit logs (user, timestamp, sourceIPs, verb, objectRef)`, `${SEED_RISKS}: audit logs`],
    techniques: ['T1562.008'],
    impact: 2,
    likelihood: 2,
    assumption: 'The API server is started with the audit policy (or, without one in this app, some audit policy) and writes an audit log of every write (user, verb, object, source address) to storage outside the cluster.',
  },
  {
    id: 'R2-untraceable-exceptions',
    stride: Stride.REPUDIATION,
    title: 'Security exceptions are silent, unowned or permanent',
    description: 'An override without a reason, an owner and an expiry is a decision nobody can be held to.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Review waivers and profile exceptions before they expire.',
    nextStep: 'Use Waiver.apply / a HardeningProfile exception: reasoned, owned, expiring.',
    sources: ['DESIGN.md: exceptions are explicit, reasoned, owned, expiring waivers', `${SEED_STRIDE}: Repudiation`],
    techniques: [],
    impact: 1,
    likelihood: 2,
    assumption: 'Waivers are reviewed before they expire.',
  },
  {
    id: 'I1-secret-read-through-permissions',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'Secrets are read by identities that should not read them',
    description: 'get/list/watch on secrets (directly, by wildcard, through aggregation or a built-in role) discloses every credential in scope.',
    assets: [AssetKind.SECRET, AssetKind.PERMISSION],
    controls: [],
    operator: 'Review who holds cluster-wide read roles; alarm on Secret reads by humans (EksAuditTrail).',
    nextStep: 'Grant per-ServiceAccount access to named secrets only (EncryptedSecretsProvider, ExternalSecret).',
    sources: [`${SEED_STRIDE}: Information disclosure — Secrets`, `${SEED_RISKS}: RBAC restricts user permissions`],
    techniques: ['MS-TA9025', 'T1552.007'],
    impact: 3,
    likelihood: 2,
    assumption: 'No RoleBinding or ClusterRoleBinding outside this app grants reading Secrets of its namespaces (only cluster administrators hold cluster-wide read).',
  },
  {
    id: 'I2-secrets-at-rest',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'Secrets are read from etcd or its backups',
    description: 'Without envelope encryption by an external KMS, whoever reads etcd (or a snapshot) holds both the data and its key.',
    assets: [AssetKind.SECRET, AssetKind.CLUSTER],
    controls: ['EncryptionConfiguration'],
    operator: 'Enable KMS envelope encryption of Secrets (EKS: encryptionConfig with a customer managed key).',
    nextStep: 'Use EncryptedSecretsProvider (KMS key, EKS envelope encryption or an EncryptionConfiguration with the KMS provider first).',
    sources: [`${SEED_STRIDE}: Information disclosure — KMS, DEK/KEK envelope`, `${SEED_RISKS}: KMS encryption of etcd data`],
    techniques: ['MS-TA9027', 'T1552'],
    impact: 3,
    likelihood: 1,
    assumption: 'The API server encrypts Secrets in etcd with a KMS provider whose key lives outside the cluster (this app\'s EncryptionConfiguration, or EKS envelope encryption).',
  },
  {
    id: 'I3-lateral-movement',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'A compromised workload reaches other workloads and data over the network',
    description: 'Without default-deny NetworkPolicies every pod can reach every other pod; broad ipBlocks and exposed Services widen it.',
    assets: [AssetKind.WORKLOAD, AssetKind.NAMESPACE, AssetKind.SERVICE],
    controls: ['NetworkPolicy'],
    operator: 'Run a CNI that enforces NetworkPolicies (Calico, Cilium).',
    nextStep: 'Use IsolatedNamespace (default deny + DNS) and HardenedDeployment ingress/egress peers.',
    sources: [`${SEED_RISKS}: network policy isolation, do not open unnecessary ports`, `${SEED_RISKS}: exposed internal services are attack points`],
    techniques: ['MS-TA9034', 'MS-TA9031', 'MS-TA9010', 'T1210', 'T1046'],
    impact: 2,
    likelihood: 3,
    assumption: 'The cluster\'s CNI enforces NetworkPolicies (Calico, Cilium, VPC CNI with network policies on).',
  },
  {
    id: 'I4-exposed-control-plane-and-nodes',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'The kubelet, etcd or control-plane ports are reachable from where they should not be',
    description: 'An open kubelet (10250/10255) or etcd (2379) port hands over the node or the cluster state.',
    assets: [AssetKind.CLUSTER],
    controls: ['FirewallMatrix'],
    operator: 'Keep security groups / host firewalls to the communication matrix; disable the kubelet read-only port.',
    nextStep: 'Describe the communication matrix with FirewallMatrix and render it to security groups.',
    sources: [`${SEED_RISKS}: communication matrix of all components (10250, 6443), firewall as the basic guarantee`],
    techniques: ['MS-TA9005', 'MS-TA9030', 'T1133'],
    impact: 3,
    likelihood: 2,
    assumption: 'Security groups / host firewalls keep the kubelet (10250), etcd (2379-2380) and the API server (6443) to the communication matrix.',
  },
  {
    id: 'D1-resource-exhaustion',
    stride: Stride.DENIAL_OF_SERVICE,
    title: 'One workload or tenant exhausts node or namespace resources',
    description: 'Pods without requests and memory limits, or namespaces without quotas, starve their neighbours.',
    assets: [AssetKind.WORKLOAD, AssetKind.NAMESPACE],
    controls: ['ResourceQuota', 'LimitRange'],
    operator: 'Size nodes with headroom; set eviction thresholds.',
    nextStep: 'Give every workload resources; use IsolatedNamespace quotas and LimitRanges.',
    sources: [`${SEED_STRIDE}: Denial of service — isolation and limits`, `${SEED_RISKS}: ResourceQuota, requests/limits, LimitRange`],
    techniques: ['MS-TA9039', 'MS-TA9040', 'T1496', 'T1499'],
    impact: 2,
    likelihood: 2,
    assumption: 'Nodes keep headroom and eviction thresholds for system daemons.',
  },
  {
    id: 'D2-fragile-availability',
    stride: Stride.DENIAL_OF_SERVICE,
    title: 'A workload goes down on a single failure or a bad rollout',
    description: 'One replica, missing probes or invalid specs turn a node drain or a crash into an outage.',
    assets: [AssetKind.WORKLOAD],
    controls: ['PodDisruptionBudget'],
    operator: 'Spread nodes over zones; keep capacity for rolling updates.',
    nextStep: 'Use HardenedDeployment (replicas, probes, PodDisruptionBudget).',
    sources: [`${SEED_STRIDE}: Denial of service`],
    techniques: ['T1499'],
    impact: 2,
    likelihood: 2,
    assumption: 'Nodes are spread over failure zones with capacity for rolling updates.',
  },
  {
    id: 'E1-container-escape',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'A container gains root on its node',
    description: 'Root processes, privileged mode, added capabilities, host namespaces and unconfined profiles are the usual paths out of a container.',
    assets: [AssetKind.WORKLOAD],
    controls: [],
    operator: 'Patch nodes and the container runtime; consider sandboxed runtimes (gVisor, Kata).',
    nextStep: 'Use HardenedDeployment (PSS restricted by construction) and Pod Security admission restricted on the namespace.',
    sources: [`${SEED_STRIDE}: Elevation of privilege — non-root, capabilities, allowPrivilegeEscalation: false`, `${SEED_RISKS}: privilege escalation and container escape`],
    techniques: ['MS-TA9018', 'MS-TA9013', 'T1611', 'T1610'],
    impact: 3,
    likelihood: 2,
    assumption: 'Nodes and the container runtime are patched (see E5).',
  },
  {
    id: 'E2-permission-escalation',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'An identity grants itself more than it was given',
    description: 'bind, escalate, impersonate, pod creation, token minting, CSR approval, webhook configuration and privileged bindings are escalation paths.',
    assets: [AssetKind.PERMISSION],
    controls: [],
    operator: 'Keep cluster-admin and system:masters to break-glass accounts.',
    nextStep: 'Grant the verbs a workload needs (HardenedDeployment.apiAccess, IsolatedNamespace tenant role).',
    sources: [`${SEED_RISKS}: RBAC to limit permissions; insiders`, 'Kubernetes RBAC good practices'],
    techniques: ['MS-TA9019', 'MS-TA9008', 'MS-TA9014', 'T1078.003', 'T1610', 'T1053.007'],
    impact: 3,
    likelihood: 2,
    assumption: 'cluster-admin and system:masters are held only by break-glass accounts outside this app.',
  },
  {
    id: 'E3-policy-not-enforced',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'Nothing stops an insecure pod created outside this app',
    description: 'Without Pod Security admission labels, a hand-written or operator-created pod in the namespace is never checked.',
    assets: [AssetKind.NAMESPACE],
    controls: [],
    operator: 'Keep the PodSecurity admission plugin enabled (default since v1.25).',
    nextStep: 'Use IsolatedNamespace (pod-security.kubernetes.io/enforce: restricted).',
    sources: [`${SEED_STRIDE}: Pod Security Policy as a cluster-level template`, `${SEED_RISKS}: Pod Security Admission, Gatekeeper`],
    techniques: ['MS-TA9018', 'MS-TA9008', 'T1610'],
    impact: 2,
    likelihood: 2,
    assumption: 'The PodSecurity admission plugin is enabled (default since v1.25).',
  },
  {
    id: 'E4-shared-node-breakout',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'A tenant escapes onto nodes shared with other tenants',
    description: 'Tolerating every taint or sharing nodes puts one tenant\'s pods next to another\'s.',
    assets: [AssetKind.WORKLOAD, AssetKind.NAMESPACE],
    controls: [],
    operator: 'Taint dedicated node pools; enable the PodNodeSelector / PodTolerationRestriction admission plugins.',
    nextStep: 'Use IsolatedNamespace dedicated nodes and a sandboxed runtimeClass in the profile.',
    sources: [`${SEED_RISKS}: taints, node selectors, Kata Containers for tenant isolation`],
    techniques: ['T1611'],
    impact: 3,
    likelihood: 1,
    assumption: 'Tenants that must not share nodes run on dedicated, tainted node pools; where a namespace pins its pods by annotation, the API server runs the PodNodeSelector admission plugin (not available on EKS).',
  },
  {
    id: 'D3-control-plane-denial-of-service',
    stride: Stride.DENIAL_OF_SERVICE,
    title: 'One tenant or workload floods the API server and starves everyone else',
    description: 'A controller loop, a watch storm or a compromised ServiceAccount sends requests until the API server (and etcd) stop answering the rest of the cluster.',
    assets: [AssetKind.CLUSTER],
    controls: ['FlowSchema', 'PriorityLevelConfiguration'],
    operator: 'Enable API Priority and Fairness per tenant: a FlowSchema matching each tenant\'s ServiceAccounts to a PriorityLevelConfiguration with its own share; alarm on 429s.',
    nextStep: 'Enable API Priority and Fairness per tenant (FlowSchema + PriorityLevelConfiguration).',
    sources: [`${SEED_STRIDE}: Denial of service — the API server as a target`, 'Kubernetes docs: API Priority and Fairness'],
    techniques: ['MS-TA9040', 'T1498', 'T1499'],
    impact: 2,
    likelihood: 2,
    assumption: 'The API server runs API Priority and Fairness with a share per tenant.',
    outsideApp: true,
  },
  {
    id: 'I5-cloud-metadata-credentials',
    stride: Stride.INFORMATION_DISCLOSURE,
    title: 'A pod takes the node\'s cloud credentials from the instance metadata API',
    description: 'Any pod that can reach 169.254.169.254 (or fd00:ec2::254) gets the node role\'s credentials and acts in the cloud account as the node: cluster-to-cloud lateral movement.',
    assets: [AssetKind.WORKLOAD, AssetKind.CLUSTER],
    controls: [],
    operator: 'Block 169.254.169.254 from pods: IMDSv2 with a hop limit of 1 on every node, and workload identities (EKS Pod Identity / IRSA) instead of the node role.',
    nextStep: 'Isolate egress with NetworkPolicies that do not allow 169.254.169.254 (HardenedDeployment egress peers; IsolatedNamespace default deny).',
    sources: [`${SEED_RISKS}: cloud platform and data-centre security layer`, 'AWS: IMDSv2 hop limit'],
    techniques: ['MS-TA9033', 'MS-TA9028', 'MS-TA9020', 'MS-TA9026', 'T1552.005', 'T1552.001', 'T1078.004'],
    impact: 3,
    likelihood: 2,
    assumption: 'Nodes answer the instance metadata API only to the host (IMDSv2, hop limit 1).',
    outsideApp: true,
  },
  {
    id: 'T4-supply-chain',
    stride: Stride.TAMPERING,
    title: 'A compromised or vulnerable image is built, pushed or pulled',
    description: 'A poisoned base image, a compromised build or a registry that serves someone else\'s image runs the attacker\'s code; without signatures, scanning and an SBOM nobody notices.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Verify image signatures at admission (Sigstore policy-controller ClusterImagePolicy or Kyverno verifyImages), scan images in CI and block critical CVEs, publish an SBOM per image.',
    nextStep: 'Sign images in CI and verify the signatures at admission.',
    sources: [`${SEED_RISKS}: untrusted registries and tampered images; scan code and images in CI/CD`],
    techniques: ['MS-TA9002', 'MS-TA9037', 'T1195.002', 'T1525', 'T1530'],
    impact: 3,
    likelihood: 2,
    assumption: 'Images are built by the team\'s CI, scanned, signed, and their signatures verified at admission.',
    outsideApp: true,
  },
  {
    id: 'E5-unpatched-vulnerabilities',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'A known vulnerability of the app, its image, the nodes or the control plane is exploited',
    description: 'Public CVEs in the application, its base image, the kernel, the container runtime or Kubernetes itself give remote code execution or a way out of the container.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Patch nodes, the control plane and images within a set time (subscribe to kubernetes-security-announce; rebuild images when their base image has a fix).',
    nextStep: 'Set a patch SLA for nodes, control plane and images, and track it.',
    sources: [`${SEED_RISKS}: system-level vulnerabilities need timely updates`],
    techniques: ['MS-TA9004', 'MS-TA9009', 'T1190', 'T1068'],
    impact: 3,
    likelihood: 2,
    assumption: 'Nodes, the control plane and images are patched within the team\'s SLA.',
    outsideApp: true,
  },
  {
    id: 'E6-node-and-control-plane-configuration',
    stride: Stride.ELEVATION_OF_PRIVILEGE,
    title: 'The kubelet or a control-plane component is configured to let anyone in',
    description: 'Anonymous kubelet access, the read-only port, AlwaysAllow authorization or a writable static-pod directory hand a node or the cluster to whoever reaches it.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Configure the kubelet with anonymous auth off, Webhook authorization and readOnlyPort 0; run the control plane per the CIS benchmark (kube-bench); keep static-pod paths root-only.',
    nextStep: 'Check kubelet and control-plane configuration against the CIS Kubernetes Benchmark (kube-bench).',
    sources: [`${SEED_RISKS}: kubelet, kube-proxy and runtime security on nodes`, 'CIS Kubernetes Benchmark sections 1 and 4'],
    techniques: ['MS-TA9030', 'MS-TA9017', 'T1613'],
    impact: 3,
    likelihood: 2,
    assumption: 'The kubelet and the control plane follow the CIS Kubernetes Benchmark.',
    outsideApp: true,
  },
  {
    id: 'R3-log-tampering',
    stride: Stride.REPUDIATION,
    title: 'An intruder deletes container logs, events or the audit trail',
    description: 'Logs kept on the node or in the cluster are deleted by whoever controls the node or holds delete on events, so the intrusion cannot be reconstructed.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Ship container logs and the audit log off the node to write-once storage (EksAuditTrail: CloudWatch with retention and a KMS key); keep delete on events to break-glass roles.',
    nextStep: 'Send audit and container logs to storage outside the cluster that the cluster cannot delete.',
    sources: [`${SEED_STRIDE}: Repudiation — protect the logs themselves, central log storage`],
    techniques: ['MS-TA9021', 'MS-TA9022', 'T1070'],
    impact: 2,
    likelihood: 2,
    assumption: 'Audit and container logs leave the cluster for storage the cluster cannot delete.',
    outsideApp: true,
  },
  {
    id: 'D4-data-destruction',
    stride: Stride.DENIAL_OF_SERVICE,
    title: 'Data and cluster state are destroyed with no way back',
    description: 'Deleting namespaces, PersistentVolumeClaims or etcd itself destroys data; without tested backups the damage is permanent.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Back up etcd and persistent volumes off the cluster (e.g. Velero) and test restores; keep delete on namespaces and PVCs to break-glass roles.',
    nextStep: 'Schedule off-cluster backups of etcd and volumes and test a restore.',
    sources: [`${SEED_STRIDE}: Tampering — stored data`, `${SEED_RISKS}: data security`],
    techniques: ['MS-TA9038', 'T1485'],
    impact: 3,
    likelihood: 1,
    assumption: 'etcd and persistent volumes are backed up off the cluster and restores are tested.',
    outsideApp: true,
  },
  {
    id: 'T5-kube-system-tampering',
    stride: Stride.TAMPERING,
    title: 'CoreDNS or another kube-system component is reconfigured to redirect traffic',
    description: 'Write access to the coredns ConfigMap (or kube-system workloads) lets an attacker answer DNS for every service; NET_RAW lets a pod spoof ARP and DNS on the node network.',
    assets: [AssetKind.PERMISSION, AssetKind.CLUSTER],
    controls: [],
    operator: 'Keep writes to kube-system (ConfigMap coredns, its Deployments and DaemonSets) to cluster administrators; alarm on changes through the audit trail.',
    nextStep: 'Grant no write on kube-system objects; drop NET_RAW (capabilities drop ALL).',
    sources: [`${SEED_STRIDE}: Tampering — configuration`, 'Threat Matrix for Kubernetes: CoreDNS poisoning'],
    techniques: ['MS-TA9035', 'MS-TA9036', 'T1557'],
    impact: 3,
    likelihood: 1,
    assumption: 'Only cluster administrators can change objects in kube-system.',
    outsideApp: true,
  },
  {
    id: 'R4-no-runtime-detection',
    stride: Stride.REPUDIATION,
    title: 'An intruder runs commands in a container and nobody notices',
    description: 'exec into a pod, a shell spawned by an exploit or data collected from a pod leave no trace without runtime detection.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Deploy runtime detection (Falco, Tetragon) and alert on exec into pods, shells and unexpected processes; grant pods/exec to break-glass roles only.',
    nextStep: 'Deploy runtime detection and alert on exec and shells in pods.',
    sources: [`${SEED_RISKS}: observability — detect abnormal traffic, logs and API access`],
    techniques: ['MS-TA9006', 'MS-TA9007', 'MS-TA9041', 'T1609', 'T1059'],
    impact: 2,
    likelihood: 2,
    assumption: 'Runtime detection watches every node and someone answers its alerts.',
    outsideApp: true,
  },
  {
    id: 'I6-stolen-cluster-credentials',
    stride: Stride.SPOOFING,
    title: 'A leaked kubeconfig or cloud credential is used against the API server',
    description: 'A kubeconfig with a static token, or cloud credentials that map to a cluster role, give an outsider the API server as that user.',
    assets: [AssetKind.CLUSTER],
    controls: [],
    operator: 'Use short-lived OIDC / IAM credentials (no static tokens in kubeconfig files); restrict the API server endpoint to known networks.',
    nextStep: 'Restrict the API server endpoint and use short-lived credentials.',
    sources: [`${SEED_RISKS}: leaked credentials threaten the whole cluster`],
    techniques: ['MS-TA9003', 'MS-TA9001', 'T1078.004'],
    impact: 3,
    likelihood: 2,
    assumption: 'Access to the API server uses short-lived credentials from a restricted network.',
    outsideApp: true,
  },
];

/** The catalogue rules that name a threat (IRule `threats`), in catalogue order. */
function rulesNaming(threatId: string): string[] {
  return Catalogue.all().filter(r => r.threats?.includes(threatId)).map(r => r.id);
}

/**
 * The threat catalogue: every threat of the project's STRIDE seed (002) and every risk of the risk seed (000), with the
 * catalogue rules that mitigate it (derived from the rules' `threats` field) and the emitted objects that do. A test
 * proves every catalogue rule mitigates at least one threat and every threat a rule names exists.
 */
export const THREATS: readonly ThreatDefinition[] = THREAT_SPECS.map(({ id, stride, title, description, assets, ...rest }) =>
  ({ id, stride, title, description, assets, rules: rulesNaming(id), ...rest }));
