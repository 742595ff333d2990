/**
 * Reading node and control-plane configuration files as their components read them.
 *
 * - KubeletConfiguration (kubelet.config.k8s.io/v1beta1): a missing field takes the kubelet's default
 *   (KUBELET_DEFAULTS). Field names are case-sensitive (apimachinery decodes config files with sigs.k8s.io/json
 *   case-sensitively), so `ReadOnlyPort:` is ignored and the default applies.
 * - kubeadm ClusterConfiguration / InitConfiguration / JoinConfiguration (kubeadm.k8s.io/v1beta3: extraArgs map;
 *   v1beta4: extraArgs list of {name, value}, duplicates allowed, order kept). kubeadm puts its own default flags
 *   first and replaces a default by name when extraArgs names the same flag; every extraArgs entry then becomes one
 *   `--name=value` argument. For a scalar flag the last occurrence wins (pflag); for a list flag
 *   (`--authorization-mode`, `--enable-admission-plugins`, ...) repeated occurrences append.
 * - Go booleans (flags): strconv.ParseBool — `1 t T TRUE true True` and `0 f F FALSE false False`.
 */

/** The config-file API groups (not served by the API server: read from files by components). */
export const KUBELET_CONFIG_GROUP = 'kubelet.config.k8s.io';
export const KUBEADM_GROUP = 'kubeadm.k8s.io';

/** True for a kubelet.config.k8s.io KubeletConfiguration. */
export function isKubeletConfig(obj: any): boolean {
  return obj?.kind === 'KubeletConfiguration' && typeof obj?.apiVersion === 'string' && obj.apiVersion.startsWith(`${KUBELET_CONFIG_GROUP}/`);
}

/** True for a kubeadm.k8s.io configuration of one of these kinds. */
export function isKubeadm(obj: any, kind?: string): boolean {
  return typeof obj?.apiVersion === 'string' && obj.apiVersion.startsWith(`${KUBEADM_GROUP}/`) && (kind === undefined || obj.kind === kind);
}

/**
 * KubeletConfiguration v1beta1 defaults the rules depend on (fields not listed have zero values).
 * SOURCE: kubernetes/kubernetes pkg/kubelet/apis/config/v1beta1/defaults.go, SetDefaults_KubeletConfiguration
 * (commit 030891da1212d8ad441099a56ea89ceab67e97a1, the 1.36 development line); readOnlyPort, protectKernelDefaults,
 * rotateCertificates, serverTLSBootstrap, tlsMinVersion and tlsCipherSuites have no defaulting (zero value: 0, false,
 * false, false, Go's TLS default, Go's cipher list).
 */
export const KUBELET_DEFAULTS = Object.freeze({
  'authentication.anonymous.enabled': false,
  'authentication.webhook.enabled': true,
  'authorization.mode': 'Webhook',
  'readOnlyPort': 0,
  'protectKernelDefaults': false,
  'rotateCertificates': false,
  'serverTLSBootstrap': false,
  'seccompDefault': false,
  'eventRecordQPS': 50,
  'eventBurst': 100,
  'podPidsLimit': -1,
  'streamingConnectionIdleTimeout': '4h0m0s',
  'makeIPTablesUtilChains': true,
} as const);

/** A field of a config object by dotted path, `undefined` when absent (or null: the decoder treats null as absent). */
export function field(obj: any, path: string): any {
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v === null ? undefined : v;
}

/** The effective value of a KubeletConfiguration field: its value, else the kubelet's default. */
export function kubeletValue(obj: any, path: keyof typeof KUBELET_DEFAULTS): { value: any; explicit: boolean } {
  const v = field(obj, path);
  return v === undefined ? { value: KUBELET_DEFAULTS[path], explicit: false } : { value: v, explicit: true };
}

/** Go strconv.ParseBool; undefined when the text is not a Go boolean (the component refuses the flag). */
export function goBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = String(v);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** One extraArgs entry: the flag name, its value as text, and the path of the entry. */
export interface FlagEntry {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** The extraArgs entries of a component section (`apiServer`, `controllerManager`, `scheduler`, `etcd.local`, `nodeRegistration`). */
export function extraArgsOf(obj: any, section: string, key = 'extraArgs'): FlagEntry[] {
  const base = `${section}.${key}`;
  const a = field(obj, base);
  if (Array.isArray(a)) {
    return a.flatMap((x: any, i: number) => (x && typeof x === 'object' && typeof x.name === 'string')
      ? [{ name: x.name, value: x.value === undefined || x.value === null ? '' : String(x.value), path: `${base}[${i}]` }] : []);
  }
  if (a && typeof a === 'object') {
    return Object.entries(a).map(([name, value]) => ({ name, value: value === null || value === undefined ? '' : String(value), path: `${base}["${name}"]` }));
  }
  return [];
}

/** The component's flags: kubeadm's defaults replaced by name by the extraArgs entries. */
export class Flags {
  private readonly entries: FlagEntry[];
  constructor(obj: any, section: string, private readonly defaults: { readonly [name: string]: string } = {}, key = 'extraArgs') {
    this.entries = extraArgsOf(obj, section, key);
    this.basePath = `${section}.${key}`;
  }

  public readonly basePath: string;

  /** The names of every entry, in order (duplicates kept). */
  public names(): string[] {
    return this.entries.map(e => e.name);
  }

  /** The last entry for a scalar flag (pflag: the last occurrence wins), or kubeadm's default. */
  public scalar(name: string): { value: string | undefined; path: string; explicit: boolean } {
    const mine = this.entries.filter(e => e.name === name);
    const last = mine[mine.length - 1];
    if (last) return { value: last.value, path: last.path, explicit: true };
    return { value: this.defaults[name], path: this.basePath, explicit: false };
  }

  /** The values of a list flag (every occurrence appended, each split on commas), or kubeadm's default. */
  public list(name: string): { values: string[]; path: string; explicit: boolean } {
    const mine = this.entries.filter(e => e.name === name);
    if (mine.length === 0) {
      const d = this.defaults[name];
      return { values: d === undefined ? [] : split(d), path: this.basePath, explicit: false };
    }
    return { values: mine.flatMap(e => split(e.value)), path: mine[mine.length - 1].path, explicit: true };
  }
}

function split(v: string): string[] {
  return v.split(',').map(s => s.trim()).filter(s => s.length > 0);
}

/**
 * Cipher suites the CIS Kubernetes Benchmark accepts as strong (1.2.29 / 4.2.13), without the RSA key-exchange suites
 * (no forward secrecy), plus the TLS 1.3 suites (accepted by the components; TLS 1.3 suites are fixed by Go).
 */
export const STRONG_CIPHER_SUITES: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];

/** The TLS minimum versions the components accept that are 1.2 or newer. */
export const STRONG_TLS_VERSIONS: readonly string[] = ['VersionTLS12', 'VersionTLS13'];

/**
 * Problems of a TLS setting (min version + cipher suites), as text; empty when strong. Without an explicit minimum the
 * component uses its Go toolchain's default (TLS 1.0 for servers before Go 1.22), and without an explicit suite list
 * Go's defaults include CBC suites: both must be written. With TLS 1.3 as the minimum the suites are fixed by Go.
 */
export function tlsProblems(minVersion: unknown, suites: unknown, names: { min: string; suites: string }): string[] {
  const out: string[] = [];
  if (minVersion === undefined || minVersion === '') out.push(`${names.min} is not set: the minimum is the Go toolchain's default (TLS 1.0 before Go 1.22); set VersionTLS12 or VersionTLS13.`);
  else if (!STRONG_TLS_VERSIONS.includes(String(minVersion))) out.push(`${names.min} is ${JSON.stringify(minVersion)}: below TLS 1.2 (or not a version the component accepts).`);
  if (String(minVersion) === 'VersionTLS13') return out;
  const list = Array.isArray(suites) ? suites.map(String) : typeof suites === 'string' ? split(suites) : [];
  if (list.length === 0) out.push(`${names.suites} is not set: Go's default list includes CBC and RSA key-exchange suites.`);
  const weak = list.filter(s => !STRONG_CIPHER_SUITES.includes(s));
  if (weak.length > 0) out.push(`${names.suites} includes weak or unknown suites: ${weak.join(', ')}.`);
  return out;
}

/** Why no node or control-plane configuration rule has an admission policy (each rule's `admission.notGenerated`). */
export const NODE_CONFIG_NOT_AT_ADMISSION = 'judges a node or control-plane configuration file (kubelet, kubeadm), never sent to the API server';
