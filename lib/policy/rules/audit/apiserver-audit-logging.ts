import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** CIS Kubernetes Benchmark minimums for the audit log file backend. */
export const AUDIT_LOG_MINIMUMS: { [flag: string]: number } = { 'audit-log-maxage': 30, 'audit-log-maxbackup': 10, 'audit-log-maxsize': 100 };

function extraArgs(obj: any): { [k: string]: string } {
  const a = obj?.apiServer?.extraArgs;
  if (Array.isArray(a)) return Object.fromEntries(a.map((x: any) => [String(x?.name), String(x?.value)]));
  return a && typeof a === 'object' ? a : {};
}

export const apiserverAuditLogging: IRule = {
  id: 'apiserver-audit-logging',
  title: 'kube-apiserver audits with a policy and keeps the trail',
  stride: [Stride.REPUDIATION],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'Without --audit-policy-file the API server records nothing; without a log path or webhook backend the events ' +
    'go nowhere; with short rotation settings the evidence is gone before anyone looks. Checks kubeadm ClusterConfiguration ' +
    'apiServer.extraArgs against the CIS minimums (maxage 30, maxbackup 10, maxsize 100).',
  remediation: 'Set audit-policy-file, audit-log-path (or audit-webhook-config-file) and audit-log-maxage >= 30, ' +
    'audit-log-maxbackup >= 10, audit-log-maxsize >= 100 (KubeadmAuditConfig does).',
  references: ['CIS Kubernetes Benchmark 1.2.16-1.2.19 (audit log path, maxage, maxbackup, maxsize)', 'Seed: non-repudiation'],
  peers: [],
  threats: ['R1-no-audit-trail'],
  admission: { notGenerated: 'judges the API server\'s audit flags / EKS control-plane logging, not an API object' },
  check(obj) {
    const args = extraArgs(obj);
    const base = 'apiServer.extraArgs';
    const out: RuleViolation[] = [];
    if (!args['audit-policy-file']) out.push({ path: base, message: 'audit-policy-file is not set: nothing is audited.' });
    if (!args['audit-log-path'] && !args['audit-webhook-config-file']) out.push({ path: base, message: 'neither audit-log-path nor audit-webhook-config-file is set.' });
    if (args['audit-log-path']) {
      for (const [flag, min] of Object.entries(AUDIT_LOG_MINIMUMS)) {
        const v = Number(args[flag]);
        if (!Number.isFinite(v) || v < min) out.push({ path: `${base}["${flag}"]`, message: `${flag} is ${JSON.stringify(args[flag] ?? null)}; at least ${min}.` });
      }
    }
    return out;
  },
};
