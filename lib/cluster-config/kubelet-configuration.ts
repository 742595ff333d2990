import { Construct } from 'constructs';
import { ConfigFileObject } from '../audit/config-file';
import { assertRule } from '../policy/construct-check';
import { HardeningError } from '../policy/errors';
import { Guard } from '../policy/guard';
import { STRONG_CIPHER_SUITES } from '../policy/rules/node/config-util';

/** Minimum TLS version a node or control-plane component serves. */
export enum TlsMinimumVersion {
  /** TLS 1.2 with the ECDHE AEAD cipher suites only. */
  TLS_1_2 = 'VersionTLS12',
  /** TLS 1.3 (cipher suites fixed by Go). Older clients (some monitoring agents) cannot connect. */
  TLS_1_3 = 'VersionTLS13',
}

/** The cipher suites written with TLS 1.2: ECDHE key exchange, AEAD ciphers (kubelet-tls, kubeadm-apiserver-tls). */
export const HARDENED_CIPHER_SUITES: readonly string[] = Object.freeze(STRONG_CIPHER_SUITES.filter(s => s.startsWith('TLS_ECDHE_') && !/_POLY1305$/.test(s)));

/** Props of a HardenedKubeletConfiguration. */
export interface HardenedKubeletConfigurationProps {
  /**
   * CA bundle that signs client certificates the kubelet accepts (the API server's kubelet client certificate).
   * @default '/etc/kubernetes/pki/ca.crt' (kubeadm's cluster CA): without it client certificates are not verified
   */
  readonly clientCaFile?: string;
  /**
   * Most processes (PIDs) one pod may run.
   * @default 4096 — bounded, so one pod cannot fork-bomb the node; the kubelet's own default (-1) is unlimited
   */
  readonly podPidsLimit?: number;
  /**
   * Events per second the kubelet may create (must be at least 1: 0 is unlimited).
   * @default 50 (the kubelet default: bounded API load, enough for every event of a busy node)
   */
  readonly eventRecordQps?: number;
  /**
   * Idle exec / attach / port-forward streams are closed after this Go duration.
   * @default '5m' — the kubelet default (4h) keeps forgotten shells open for hours
   */
  readonly streamingConnectionIdleTimeout?: string;
  /**
   * Minimum TLS version of the kubelet's server.
   * @default TlsMinimumVersion.TLS_1_2 with HARDENED_CIPHER_SUITES (TLS 1.3 locks out older clients)
   */
  readonly tlsMinVersion?: TlsMinimumVersion;
}

/**
 * A hardened KubeletConfiguration (kubelet.config.k8s.io/v1beta1) file: anonymous authentication off, webhook
 * authentication and authorization, client CA, read-only port 0, protectKernelDefaults, client certificate rotation and
 * a CA-signed serving certificate (serverTLSBootstrap: approve the kubelet-serving CSRs), TLS 1.2+ with strong suites,
 * seccompDefault, and bounded pod PIDs, event rate and idle streams. Every catalogue rule on KubeletConfiguration holds
 * at construct time (HardeningError naming the rule otherwise) and again at synth.
 *
 * Written without metadata into the enclosing chart: the kubelet's `--config` file, or (with HardenedKubeadmConfig) the
 * KubeletConfiguration document of the kubeadm configuration. protectKernelDefaults needs the node's sysctls set as the
 * kubelet expects (HardenedKubeletConfiguration.REQUIRED_SYSCTLS), or the kubelet
 * refuses to start.
 */
export class HardenedKubeletConfiguration extends Construct {
  /**
   * The kernel settings a kubelet with protectKernelDefaults requires (it refuses to start otherwise), as a
   * /etc/sysctl.d/90-kubelet.conf file for the node image or its bootstrap script.
   * SOURCE: kubernetes/kubernetes pkg/kubelet/cm/container_manager_linux.go setupKernelTunables (commit 001332b0422071acf4860769f18e34b5e9b7c1bc);
   * root_maxbytes = 25 x root_maxkeys (k8s.io/component-helpers sysctl).
   */
  public static readonly REQUIRED_SYSCTLS: string = 'vm.overcommit_memory = 1\nvm.panic_on_oom = 0\nkernel.panic = 10\nkernel.panic_on_oops = 1\nkernel.keys.root_maxkeys = 1000000\nkernel.keys.root_maxbytes = 25000000\n';

  /** The KubeletConfiguration object. */
  public readonly configuration: ConfigFileObject;

  /** Validates the props against the kubelet rules and renders the KubeletConfiguration. */
  constructor(scope: Construct, id: string, props: HardenedKubeletConfigurationProps = {}) {
    super(scope, id);
    Guard.of(this);
    const min = props.tlsMinVersion ?? TlsMinimumVersion.TLS_1_2;
    const body: any = {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true },
        x509: { clientCAFile: props.clientCaFile ?? '/etc/kubernetes/pki/ca.crt' },
      },
      authorization: { mode: 'Webhook' },
      readOnlyPort: 0,
      protectKernelDefaults: true,
      rotateCertificates: true,
      serverTLSBootstrap: true,
      tlsMinVersion: min,
      ...(min === TlsMinimumVersion.TLS_1_2 ? { tlsCipherSuites: [...HARDENED_CIPHER_SUITES] } : {}),
      seccompDefault: true,
      podPidsLimit: props.podPidsLimit ?? 4096,
      eventRecordQPS: props.eventRecordQps ?? 50,
      streamingConnectionIdleTimeout: props.streamingConnectionIdleTimeout ?? '5m',
      makeIPTablesUtilChains: true,
    };
    if (!/^\/\S+$/.test(body.authentication.x509.clientCAFile)) {
      throw new HardeningError({ path: this.node.path, field: 'props.clientCaFile', value: props.clientCaFile, ruleId: 'kubelet-authentication',
        message: 'is not an absolute file path.', fix: 'use e.g. /etc/kubernetes/pki/ca.crt.' });
    }
    const fields: { [rule: string]: [string, unknown] } = {
      'kubelet-limits': ['props.podPidsLimit / eventRecordQps / streamingConnectionIdleTimeout', { podPidsLimit: body.podPidsLimit, eventRecordQps: body.eventRecordQPS, streamingConnectionIdleTimeout: body.streamingConnectionIdleTimeout }],
      'kubelet-tls': ['props.tlsMinVersion', min],
      'kubelet-authentication': ['props.clientCaFile', body.authentication.x509.clientCAFile],
      'kubelet-authorization': ['authorization.mode', 'Webhook'],
      'kubelet-read-only-port': ['readOnlyPort', 0],
      'kubelet-protect-kernel-defaults': ['protectKernelDefaults', true],
      'kubelet-certificate-rotation': ['rotateCertificates', true],
      'kubelet-seccomp-default': ['seccompDefault', true],
    };
    for (const [rule, [field, value]] of Object.entries(fields)) assertRule(this, rule, body, field, value);
    this.configuration = new ConfigFileObject(this, 'Resource', body);
  }
}
