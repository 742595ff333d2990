/**
 * The techniques of Microsoft's Threat Matrix for Kubernetes, with the MITRE ATT&CK (Containers) techniques each maps
 * to, as data.
 *
 * Source: github.com/microsoft/Threat-Matrix-for-Kubernetes, docs/techniques/*.md at commit
 * b885d18bd4236286b59b735c5e18f2902823d2c2 (2023-01-23): the `ID:`, `Tactic:` and `MITRE technique:` lines of each
 * technique page. MITRE ids are written as ATT&CK writes them (`T1552.007` for the page link `T1552/007`).
 */

/** One technique of the Threat Matrix for Kubernetes. */
export interface MatrixTechnique {
  /** Microsoft id, e.g. `MS-TA9025`. */
  readonly id: string;
  /** Name, e.g. `List Kubernetes secrets`. */
  readonly name: string;
  /** Tactics it belongs to. */
  readonly tactics: string[];
  /** MITRE ATT&CK technique ids it maps to (empty: Microsoft gives none). */
  readonly mitre: string[];
}

const t = (id: string, name: string, tactics: string[], mitre: string[]): MatrixTechnique => ({ id, name, tactics, mitre });

/** Every technique of the matrix (40; MS-TA9032 is not used by the matrix). */
export const MATRIX_TECHNIQUES: readonly MatrixTechnique[] = [
  t('MS-TA9001', 'Using cloud credentials', ['Initial Access'], ['T1078.004']),
  t('MS-TA9002', 'Compromised image In registry', ['Initial Access'], ['T1195.002', 'T1525']),
  t('MS-TA9003', 'Kubeconfig file', ['Initial Access'], []),
  t('MS-TA9004', 'Application vulnerability', ['Initial Access'], ['T1190']),
  t('MS-TA9005', 'Exposed sensitive interfaces', ['Initial Access', 'Discovery'], ['T1133']),
  t('MS-TA9006', 'Exec into container', ['Execution'], ['T1609']),
  t('MS-TA9007', 'Bash or cmd inside container', ['Execution'], ['T1059']),
  t('MS-TA9008', 'New container', ['Execution'], ['T1610']),
  t('MS-TA9009', 'Application exploit (RCE)', ['Execution'], ['T1190']),
  t('MS-TA9010', 'SSH server running inside container', ['Execution'], []),
  t('MS-TA9011', 'Sidecar injection', ['Execution'], ['T1610']),
  t('MS-TA9012', 'Backdoor container', ['Persistence'], ['T1543']),
  t('MS-TA9013', 'Writable hostPath mount', ['Persistence', 'Privilege Escalation', 'Lateral Movement'], ['T1611']),
  t('MS-TA9014', 'Kubernetes CronJob', ['Persistence'], ['T1053.007']),
  t('MS-TA9015', 'Malicious admission controller', ['Persistence', 'Credential Access'], ['T1546']),
  t('MS-TA9016', 'Container service account', ['Credential Access', 'Lateral Movement', 'Persistence'], ['T1528']),
  t('MS-TA9017', 'Static pods', ['Persistence'], []),
  t('MS-TA9018', 'Privileged container', ['Privilege Escalation'], ['T1610']),
  t('MS-TA9019', 'Cluster-admin binding', ['Privilege Escalation'], ['T1078.003']),
  t('MS-TA9020', 'Access cloud resources', ['Privilege Escalation', 'Lateral Movement'], ['T1078.004']),
  t('MS-TA9021', 'Clear container logs', ['Defense Evasion'], ['T1070']),
  t('MS-TA9022', 'Delete Kubernetes events', ['Defense Evasion'], ['T1070']),
  t('MS-TA9023', 'Pod or container name similarity', ['Defense Evasion'], ['T1036.005']),
  t('MS-TA9024', 'Connect from proxy server', ['Defense Evasion'], ['T1090']),
  t('MS-TA9025', 'List Kubernetes secrets', ['Credential Access'], ['T1552.007']),
  t('MS-TA9026', 'Mount service principal', ['Credential Access'], ['T1552.001']),
  t('MS-TA9027', 'Application credentials in configuration files', ['Credential Access', 'Lateral Movement'], ['T1552']),
  t('MS-TA9028', 'Access Managed Identity credentials', ['Credential Access'], ['T1552.005']),
  t('MS-TA9029', 'Access Kubernetes API server', ['Discovery'], ['T1613']),
  t('MS-TA9030', 'Access Kubelet API', ['Discovery'], ['T1613']),
  t('MS-TA9031', 'Network mapping', ['Discovery'], ['T1046']),
  t('MS-TA9033', 'Instance Metadata API', ['Discovery'], ['T1552.005']),
  t('MS-TA9034', 'Cluster internal networking', ['Lateral Movement'], ['T1210']),
  t('MS-TA9035', 'CoreDNS poisoning', ['Lateral Movement'], ['T1557']),
  t('MS-TA9036', 'ARP poisoning and IP spoofing', ['Lateral Movement'], ['T1557']),
  t('MS-TA9037', 'Images from a private registry', ['Collection'], ['T1530']),
  t('MS-TA9038', 'Data destruction', ['Impact'], ['T1485']),
  t('MS-TA9039', 'Resource hijacking', ['Impact'], ['T1496']),
  t('MS-TA9040', 'Denial of service', ['Impact'], ['T1498', 'T1499']),
  t('MS-TA9041', 'Collecting data from pod', ['Collection'], []),
];

/**
 * Techniques of the matrix no threat of THREATS carries, with why they do not apply to a model of manifests. A test
 * proves every technique is either carried by a threat or listed here.
 */
export const TECHNIQUES_NOT_APPLICABLE: { readonly [id: string]: string } = {
  'MS-TA9023': 'Naming a pod like a system pod is a detection-evasion trick after compromise; no manifest of this app prevents or reveals it (runtime detection, R4, is where it is caught).',
  'MS-TA9024': 'Connecting to the API server through a proxy hides the source address; it concerns the API server\'s network exposure and log review, not the app\'s manifests.',
};
