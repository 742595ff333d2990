import { safeSysctls, sysctlSafeSince } from '../../../kube/pss-versions';
import { PssLevel, RuleViolation, Stride } from '../../types';
import { pssRule, violation } from './util';

/** Sysctls the baseline level allows at v1.28 (namespaced and isolated from the node); see versions.ts for later versions. */
export const SAFE_SYSCTLS = safeSysctls(28);

export const sysctlsUnsafe = pssRule({
  id: 'sysctls-unsafe',
  title: 'Pods set only safe sysctls',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE],
  level: PssLevel.BASELINE,
  control: 'Sysctls',
  description: 'Sysctls outside the safe, namespaced set change kernel behaviour for the whole node or other pods. The safe set ' +
    'grows with the version: v1.29 adds net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl and ' +
    'tcp_keepalive_probes; v1.32 adds net.ipv4.tcp_rmem and tcp_wmem. Names are compared exactly (the slash spelling ' +
    'net/ipv4/... is not in the set), as Pod Security admission compares them.',
  remediation: `Remove sysctls outside the safe set of your podSecurityVersion: ${SAFE_SYSCTLS.join(', ')}; from v1.29 also ` +
    `${safeSysctls(29).filter(n => !SAFE_SYSCTLS.includes(n)).join(', ')}; from v1.32 also ` +
    `${safeSysctls(32).filter(n => !safeSysctls(29).includes(n)).join(', ')}. Node-wide tuning belongs on the node, not in a pod.`,
  extraReferences: ['kubernetes/pod-security-admission policy/check_sysctls.go'],
  peers: ['kube-linter:unsafe-sysctls', 'gatekeeper:pod-security-policy/forbidden-sysctls', 'kyverno:pod-security/baseline/restrict-sysctls'],
  threats: ['D1-resource-exhaustion'],
}, (pod, _obj, _ctx, minor) => {
  const sysctls = pod.spec.securityContext?.sysctls;
  if (!Array.isArray(sysctls) || sysctls.length === 0) return [];
  const safe = safeSysctls(minor);
  const out: RuleViolation[] = [];
  sysctls.forEach((s: any, i: number) => {
    if (!safe.includes(s?.name)) {
      const since = sysctlSafeSince(s?.name);
      out.push(violation(`${pod.path}.securityContext.sysctls[${i}].name`, s?.name,
        `pod sets sysctl ${JSON.stringify(s?.name)}, not safe at Pod Security Standards v1.${minor}${since !== undefined ? ` (safe from v1.${since})` : ''}.`));
    }
  });
  return out;
});
