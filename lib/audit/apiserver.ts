import * as path from 'path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { KUBEADM_PATCH_ANNOTATION } from '../policy/rules/node/kubeadm-util';
import { ConfigFileObject } from './config-file';

/**
 * Where kube-apiserver sends audit events and how it rotates them.
 */
export interface ApiServerAuditOptions {
  /**
   * Path of the policy file on control-plane nodes (copy the AuditPolicy's synthesized file there).
   * @default '/etc/kubernetes/audit/policy.yaml'
   */
  readonly policyFile?: string;
  /**
   * Log file backend path. Ship it off the node (Fluent Bit, CloudWatch agent) to an independent store.
   * @default '/var/log/kubernetes/audit/audit.log'
   */
  readonly logPath?: string;
  /** Days to keep rotated files on the node. @default 30 */
  readonly maxAge?: number;
  /**
   * Rotated files to keep. Bounds node disk use while keeping local history until the shipped copy is confirmed.
   * @default 10
   */
  readonly maxBackup?: number;
  /**
   * Size in MB before rotation. Small enough to ship promptly, large enough not to rotate away events during a burst.
   * @default 100
   */
  readonly maxSize?: number;
  /**
   * kubeconfig-format file of an audit webhook (a central, independent collector). With it, events are also batched to the webhook.
   * @default - no webhook backend
   */
  readonly webhookConfigFile?: string;
  /**
   * Events per webhook batch. Batching keeps the API server responsive under bursts without holding events long.
   * @default 400
   */
  readonly webhookBatchMaxSize?: number;
  /** Longest wait before a partial batch is sent. @default '5s' */
  readonly webhookBatchMaxWait?: string;
  /** Backoff after a failed webhook request. @default '10s' */
  readonly webhookInitialBackoff?: string;
}

interface ResolvedOptions {
  policyFile: string; logPath: string; maxAge: number; maxBackup: number; maxSize: number;
  webhookConfigFile?: string; webhookBatchMaxSize: number; webhookBatchMaxWait: string; webhookInitialBackoff: string;
}

function resolve(scope: Construct, o: ApiServerAuditOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    policyFile: o.policyFile ?? '/etc/kubernetes/audit/policy.yaml',
    logPath: o.logPath ?? '/var/log/kubernetes/audit/audit.log',
    maxAge: o.maxAge ?? 30,
    maxBackup: o.maxBackup ?? 10,
    maxSize: o.maxSize ?? 100,
    webhookConfigFile: o.webhookConfigFile,
    webhookBatchMaxSize: o.webhookBatchMaxSize ?? 400,
    webhookBatchMaxWait: o.webhookBatchMaxWait ?? '5s',
    webhookInitialBackoff: o.webhookInitialBackoff ?? '10s',
  };
  for (const [field, v] of [['policyFile', r.policyFile], ['logPath', r.logPath], ['webhookConfigFile', r.webhookConfigFile]] as const) {
    if (v !== undefined && (!v.startsWith('/') || /\s/.test(v) || v.endsWith('/'))) {
      fail(scope, 'apiserver-audit-logging', `options.${field}`, v, 'must be an absolute file path.', 'use e.g. /etc/kubernetes/audit/policy.yaml.');
    }
  }
  // CIS minimums: the trail must outlive the time it takes to notice an incident.
  for (const [field, v, min] of [['maxAge', r.maxAge, 30], ['maxBackup', r.maxBackup, 10], ['maxSize', r.maxSize, 100], ['webhookBatchMaxSize', r.webhookBatchMaxSize, 1]] as const) {
    if (!Number.isInteger(v) || v < min) {
      fail(scope, 'apiserver-audit-logging', `options.${field}`, v, `must be an integer >= ${min}.`, 'use the documented default (CIS Kubernetes Benchmark 1.2.17-1.2.19).');
    }
  }
  for (const [field, v] of [['webhookBatchMaxWait', r.webhookBatchMaxWait], ['webhookInitialBackoff', r.webhookInitialBackoff]] as const) {
    if (!/^\d+(ms|s|m)$/.test(v)) fail(scope, 'apiserver-audit-logging', `options.${field}`, v, 'is not a Go duration.', 'use e.g. "5s".');
  }
  return r;
}

/** kube-apiserver audit flags for these options (`scope` names the caller in errors). */
export function auditFlags(scope: Construct, options: ApiServerAuditOptions = {}): string[] {
  const r = resolve(scope, options);
  return Object.entries(auditArgs(r)).map(([k, v]) => `--${k}=${v}`);
}

function auditArgs(r: ResolvedOptions): { [key: string]: string } {
  return {
    'audit-policy-file': r.policyFile,
    'audit-log-path': r.logPath,
    'audit-log-format': 'json',
    'audit-log-maxage': String(r.maxAge),
    'audit-log-maxbackup': String(r.maxBackup),
    'audit-log-maxsize': String(r.maxSize),
    ...(r.webhookConfigFile ? {
      'audit-webhook-config-file': r.webhookConfigFile,
      'audit-webhook-mode': 'batch',
      'audit-webhook-batch-max-size': String(r.webhookBatchMaxSize),
      'audit-webhook-batch-max-wait': r.webhookBatchMaxWait,
      'audit-webhook-initial-backoff': r.webhookInitialBackoff,
    } : {}),
  };
}

/** Props of a KubeadmAuditConfig. */
export interface KubeadmAuditConfigProps extends ApiServerAuditOptions {
  /**
   * kubeadm ClusterConfiguration apiVersion.
   * @default 'kubeadm.k8s.io/v1beta3' (kubeadm 1.22+; extraArgs as a map)
   */
  readonly kubeadmApiVersion?: string;
}

/**
 * A kubeadm ClusterConfiguration patch that wires auditing into kube-apiserver: the audit flags as `apiServer.extraArgs`
 * and `apiServer.extraVolumes` mounting the policy file read-only and the log directory. Written as its own file
 * (`dist/<id>.k8s.yaml`) to merge into the kubeadm configuration; not something to `kubectl apply`.
 */
export class KubeadmAuditConfig extends Chart {
  /** The kube-apiserver flags, e.g. for non-kubeadm installers. */
  public readonly apiServerFlags: string[];

  /** Validates the options and renders the kubeadm ClusterConfiguration patch. */
  constructor(scope: Construct, id: string, props: KubeadmAuditConfigProps = {}) {
    super(scope, id);
    Guard.of(this);
    const r = resolve(this, props);
    const apiVersion = props.kubeadmApiVersion ?? 'kubeadm.k8s.io/v1beta3';
    if (apiVersion !== 'kubeadm.k8s.io/v1beta3' && apiVersion !== 'kubeadm.k8s.io/v1beta4') {
      fail(this, 'apiserver-audit-logging', 'props.kubeadmApiVersion', apiVersion, 'is not a supported kubeadm API version.', 'use kubeadm.k8s.io/v1beta3 or v1beta4.');
    }
    const args = auditArgs(r);
    this.apiServerFlags = Object.entries(args).map(([k, v]) => `--${k}=${v}`);
    const volumes = [
      { name: 'audit-policy', hostPath: r.policyFile, mountPath: r.policyFile, readOnly: true, pathType: 'File' },
      { name: 'audit-logs', hostPath: path.posix.dirname(r.logPath), mountPath: path.posix.dirname(r.logPath), readOnly: false, pathType: 'DirectoryOrCreate' },
      ...(r.webhookConfigFile ? [{ name: 'audit-webhook', hostPath: r.webhookConfigFile, mountPath: r.webhookConfigFile, readOnly: true, pathType: 'File' }] : []),
    ];
    new ConfigFileObject(this, 'ClusterConfiguration', {
      apiVersion,
      kind: 'ClusterConfiguration',
      metadata: { annotations: { [KUBEADM_PATCH_ANNOTATION]: 'audit: merge apiServer into the cluster ClusterConfiguration' } },
      apiServer: {
        extraArgs: apiVersion.endsWith('v1beta3') ? args : Object.entries(args).map(([name, value]) => ({ name, value })),
        extraVolumes: volumes,
      },
    } as any);
  }
}
