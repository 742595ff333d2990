import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** SecurityContextConstraints fields that admit what the baseline Pod Security Standard forbids. */
const FLAGS: [string, string][] = [
  ['allowPrivilegedContainer', 'privileged containers'],
  ['allowHostDirVolumePlugin', 'hostPath volumes'],
  ['allowHostNetwork', 'the host network namespace'],
  ['allowHostPID', 'the host PID namespace'],
  ['allowHostIPC', 'the host IPC namespace'],
  ['allowHostPorts', 'host ports'],
];

export const sccPrivileged: IRule = {
  id: 'scc-privileged',
  title: 'OpenShift SecurityContextConstraints do not admit privileged or host-level pods',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['SecurityContextConstraints'],
  description: 'On OpenShift, a SecurityContextConstraints object is the admission policy: one with ' +
    '`allowPrivilegedContainer: true` (or host directories, host network/PID/IPC, host ports, or `*` in ' +
    '`allowedCapabilities`) lets every user and ServiceAccount it is granted to run pods that own the node. Only ' +
    '`true` (a boolean) admits; the API server refuses other spellings.',
  remediation: 'Grant the built-in `restricted-v2` SCC; keep privileged SCCs for platform components, bound to named ' +
    'ServiceAccounts, and waive them with an owner and expiry.',
  references: ['kube-linter scc-deny-privileged-container', 'OpenShift docs: Managing security context constraints',
    'Pod Security Standards baseline (privileged, host namespaces, hostPath, host ports)'],
  peers: ['kube-linter:scc-deny-privileged-container'],
  threats: ['E3-policy-not-enforced'],
  check(obj) {
    if (!String(obj?.apiVersion ?? '').startsWith('security.openshift.io/')) return [];
    const out: RuleViolation[] = [];
    for (const [field, what] of FLAGS) {
      if (obj?.[field] === true) out.push({ path: field, message: `SCC admits ${what} (${field}: true).` });
    }
    const caps: unknown[] = Array.isArray(obj?.allowedCapabilities) ? obj.allowedCapabilities : [];
    caps.forEach((c, i) => { if (c === '*') out.push({ path: `allowedCapabilities[${i}]`, message: 'SCC admits every capability ("*").' }); });
    return out;
  },
};
