import * as path from 'path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ApiServerAuditOptions, auditFlags } from '../audit/apiserver';
import { ConfigFileObject } from '../audit/config-file';
import { assertRule, fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { ANONYMOUS_ALLOWED_PATHS } from '../policy/rules/node/kubeadm-apiserver-anonymous-auth';
import { ApiServerEncryptionConfig } from '../secrets/encryption-config';
import { HARDENED_CIPHER_SUITES, HardenedKubeletConfiguration, HardenedKubeletConfigurationProps, TlsMinimumVersion } from './kubelet-configuration';

/** Oldest Kubernetes minor whose kube-apiserver can limit anonymous requests to health checks (AuthenticationConfiguration `anonymous`). */
export const OLDEST_KUBEADM_MINOR = 32;

/** Props of a HardenedKubeadmConfig. */
export interface HardenedKubeadmConfigProps {
  /**
   * Kubernetes version kubeadm installs, e.g. `v1.36.0` (ClusterConfiguration.kubernetesVersion). 1.32 or newer: older API
   * servers cannot keep anonymous requests to health checks only (see kubeadm-apiserver-anonymous-auth).
   */
  readonly kubernetesVersion: string;
  /**
   * Stable address of the control plane (load balancer DNS name or IP, optional `:port`).
   * @default - none (single control-plane node; kubeadm uses the advertise address)
   */
  readonly controlPlaneEndpoint?: string;
  /**
   * Where and how kube-apiserver writes its audit trail (the AuditPolicy's file goes to `policyFile`).
   * @default - the KubeadmAuditConfig defaults: policy /etc/kubernetes/audit/policy.yaml, JSON log in
   * /var/log/kubernetes/audit rotated at CIS minimums (auditing is never off)
   */
  readonly audit?: ApiServerAuditOptions;
  /**
   * The EncryptionConfiguration of Secrets at rest (KMS v2 through aws-encryption-provider): its path, flags and plugin
   * socket directory are wired into kube-apiserver.
   * @default - `encryptionProviderConfigFile` must be given instead (Secrets are never left in clear text in etcd)
   */
  readonly encryptionConfig?: ApiServerEncryptionConfig;
  /**
   * Path of an EncryptionConfiguration written by other means (its content is judged by encryption-config-provider-order
   * when it is in the checked set). Ignored when `encryptionConfig` is given.
   * @default - `encryptionConfig` must be given instead
   */
  readonly encryptionProviderConfigFile?: string;
  /**
   * Path of the AuthenticationConfiguration file this construct writes (copy the document there on every control-plane node).
   * @default '/etc/kubernetes/authn/authentication-config.yaml'
   */
  readonly authenticationConfigFile?: string;
  /**
   * Let anonymous requests read the kube-public `cluster-info` ConfigMap, which `kubeadm join --discovery-token` needs (it
   * holds the cluster CA certificate and API address, signed for each bootstrap token; public by design).
   * @default true — with false, nodes join with file discovery (discovery.file) only
   */
  readonly allowTokenDiscovery?: boolean;
  /**
   * Minimum TLS version of kube-apiserver, kube-controller-manager and kube-scheduler.
   * @default TlsMinimumVersion.TLS_1_2 with the ECDHE AEAD suites (TLS 1.3 locks out older clients)
   */
  readonly tlsMinVersion?: TlsMinimumVersion;
  /**
   * The kubelet configuration of every node kubeadm sets up with this file.
   * @default - HardenedKubeletConfiguration defaults
   */
  readonly kubelet?: HardenedKubeletConfigurationProps;
}

type Arg = { name: string; value: string };
type Volume = { name: string; hostPath: string; mountPath: string; readOnly: boolean; pathType: string };

/**
 * A kubeadm configuration file (kubeadm.k8s.io/v1beta4) for a self-managed control plane hardened to the CIS Kubernetes
 * Benchmark: ClusterConfiguration (API server, controller manager, scheduler flags; kubeadm's local etcd keeps its
 * client and peer TLS with client-certificate auth), InitConfiguration, a HardenedKubeletConfiguration, and the
 * AuthenticationConfiguration the API server loads (anonymous requests only for /livez, /readyz, /healthz and, for
 * token discovery, cluster-info). Audit (the AuditPolicy file, log rotation at CIS minimums, optional webhook) and
 * encryption at rest (ApiServerEncryptionConfig) are wired in with their volumes.
 *
 * Written as its own file (`dist/<id>.k8s.yaml`) for `kubeadm init --config`; kubeadm ignores the
 * AuthenticationConfiguration document with a warning — copy it to `authenticationConfigFile` on each control-plane
 * node first. Every catalogue rule on these kinds holds at construct time and at synth.
 *
 * Operators: kubelets request CA-signed serving certificates (serverTLSBootstrap) and the API server verifies them
 * (--kubelet-certificate-authority): approve the kubelet-serving CSRs (kubelet-csr-approver or `kubectl certificate
 * approve`), or `kubectl logs/exec` fail until you do. Not for EKS or other managed control planes (see
 * docs/guides/node-and-control-plane.md for what applies there).
 */
export class HardenedKubeadmConfig extends Chart {
  /** The ClusterConfiguration document. */
  public readonly clusterConfiguration: ConfigFileObject;
  /** The kubelet configuration document. */
  public readonly kubelet: HardenedKubeletConfiguration;
  /** The kube-apiserver AuthenticationConfiguration document (a file on each control-plane node). */
  public readonly authenticationConfiguration: ConfigFileObject;

  /** Validates the props and renders the kubeadm configuration, the kubelet configuration and the AuthenticationConfiguration. */
  constructor(scope: Construct, id: string, props: HardenedKubeadmConfigProps) {
    super(scope, id);
    Guard.of(this);
    const minor = /^v?1\.(\d+)\.\d+(?:[-+].*)?$/.exec(props.kubernetesVersion ?? '')?.[1];
    if (minor === undefined) {
      fail(this, 'kubeadm-apiserver-anonymous-auth', 'props.kubernetesVersion', props.kubernetesVersion, 'is not a Kubernetes release version.', 'use e.g. "v1.36.0".');
    }
    if (Number(minor) < OLDEST_KUBEADM_MINOR) {
      fail(this, 'kubeadm-apiserver-anonymous-auth', 'props.kubernetesVersion', props.kubernetesVersion,
        `is older than 1.${OLDEST_KUBEADM_MINOR}: kube-apiserver cannot limit anonymous requests to its health checks, and turning anonymous auth off makes kubeadm's probes restart it in a loop.`,
        `use v1.${OLDEST_KUBEADM_MINOR} or newer, or write your own ClusterConfiguration and waive kubeadm-apiserver-anonymous-auth.`);
    }
    const min = props.tlsMinVersion ?? TlsMinimumVersion.TLS_1_2;
    const tls: Arg[] = [{ name: 'tls-min-version', value: min }, ...(min === TlsMinimumVersion.TLS_1_2 ? [{ name: 'tls-cipher-suites', value: HARDENED_CIPHER_SUITES.join(',') }] : [])];
    const authnFile = props.authenticationConfigFile ?? '/etc/kubernetes/authn/authentication-config.yaml';
    const files: [string, string | undefined][] = [['props.authenticationConfigFile', authnFile], ['props.encryptionProviderConfigFile', props.encryptionProviderConfigFile]];
    for (const [field, file] of files) {
      if (file !== undefined && !/^\/\S*[^/]$/.test(file)) fail(this, field === 'props.authenticationConfigFile' ? 'kubeadm-apiserver-anonymous-auth' : 'kubeadm-encryption-at-rest', field, file, 'is not an absolute file path.', 'use e.g. /etc/kubernetes/authn/authentication-config.yaml.');
    }

    const volumes: Volume[] = [{ name: 'authn-config', hostPath: authnFile, mountPath: authnFile, readOnly: true, pathType: 'File' }];
    let encryptionArgs: Arg[];
    if (props.encryptionConfig) {
      encryptionArgs = props.encryptionConfig.apiServerArgs.map(toArg);
      volumes.push({ name: 'encryption-config', hostPath: props.encryptionConfig.configPath, mountPath: props.encryptionConfig.configPath, readOnly: true, pathType: 'File' });
      const socketDir = path.posix.dirname(props.encryptionConfig.socketPath);
      volumes.push({ name: 'kms-socket', hostPath: socketDir, mountPath: socketDir, readOnly: false, pathType: 'DirectoryOrCreate' });
    } else if (props.encryptionProviderConfigFile) {
      encryptionArgs = [{ name: 'encryption-provider-config', value: props.encryptionProviderConfigFile }];
      volumes.push({ name: 'encryption-config', hostPath: props.encryptionProviderConfigFile, mountPath: props.encryptionProviderConfigFile, readOnly: true, pathType: 'File' });
    } else {
      fail(this, 'kubeadm-encryption-at-rest', 'props.encryptionConfig', undefined, 'is not set (nor encryptionProviderConfigFile): Secrets would be stored in etcd in clear text.',
        'pass an ApiServerEncryptionConfig (KMS v2), or the path of an EncryptionConfiguration you provision.');
    }
    const audit = auditFlags(this, props.audit ?? {}).map(toArg);
    const auditValue = (name: string) => audit.find(a => a.name === name)?.value;
    const policyFile = auditValue('audit-policy-file')!;
    const logDir = path.posix.dirname(auditValue('audit-log-path')!);
    volumes.push({ name: 'audit-policy', hostPath: policyFile, mountPath: policyFile, readOnly: true, pathType: 'File' });
    volumes.push({ name: 'audit-logs', hostPath: logDir, mountPath: logDir, readOnly: false, pathType: 'DirectoryOrCreate' });
    const webhook = auditValue('audit-webhook-config-file');
    if (webhook) volumes.push({ name: 'audit-webhook', hostPath: webhook, mountPath: webhook, readOnly: true, pathType: 'File' });

    const apiServerArgs: Arg[] = [
      { name: 'authentication-config', value: authnFile },
      { name: 'authorization-mode', value: 'Node,RBAC' },
      { name: 'enable-admission-plugins', value: 'NodeRestriction' },
      { name: 'profiling', value: 'false' },
      { name: 'service-account-lookup', value: 'true' },
      { name: 'kubelet-certificate-authority', value: '/etc/kubernetes/pki/ca.crt' },
      ...tls,
      ...encryptionArgs!,
      ...audit,
    ];
    const body: any = {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: props.kubernetesVersion,
      ...(props.controlPlaneEndpoint ? { controlPlaneEndpoint: props.controlPlaneEndpoint } : {}),
      apiServer: { extraArgs: apiServerArgs, extraVolumes: volumes },
      controllerManager: { extraArgs: [{ name: 'profiling', value: 'false' }, { name: 'bind-address', value: '127.0.0.1' }, ...tls] },
      scheduler: { extraArgs: [{ name: 'profiling', value: 'false' }, { name: 'bind-address', value: '127.0.0.1' }, ...tls] },
    };
    const paths = [...ANONYMOUS_ALLOWED_PATHS].filter(p => props.allowTokenDiscovery !== false || !p.includes('cluster-info'));
    const authn: any = {
      apiVersion: 'apiserver.config.k8s.io/v1beta1',
      kind: 'AuthenticationConfiguration',
      anonymous: { enabled: true, conditions: paths.map(p => ({ path: p })) },
    };
    for (const rule of ['kubeadm-apiserver-authorization', 'kubeadm-apiserver-admission', 'kubeadm-profiling', 'kubeadm-apiserver-tls', 'kubeadm-etcd-tls',
      'kubeadm-service-account', 'kubeadm-encryption-at-rest', 'kubeadm-bind-localhost', 'apiserver-audit-logging']) {
      assertRule(this, rule, body, 'props', props.kubernetesVersion);
    }
    this.clusterConfiguration = new ConfigFileObject(this, 'ClusterConfiguration', body);
    new ConfigFileObject(this, 'InitConfiguration', { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration' } as any);
    this.kubelet = new HardenedKubeletConfiguration(this, 'Kubelet', props.kubelet);
    this.authenticationConfiguration = new ConfigFileObject(this, 'AuthenticationConfiguration', authn);
  }
}

function toArg(flag: string): Arg {
  const m = /^--([^=]+)=(.*)$/.exec(flag);
  if (!m) throw new Error(`not a --name=value flag: ${flag}`);
  return { name: m[1], value: m[2] };
}
