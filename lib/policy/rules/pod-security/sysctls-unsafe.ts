import { PssLevel, RuleViolation, Stride } from '../../types';
import { pssRule, violation } from './util';

/** Sysctls the baseline level allows in v1.28 (namespaced and isolated from the node). */
export const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'];

export const sysctlsUnsafe = pssRule({
  id: 'sysctls-unsafe',
  title: 'Pods set only safe sysctls',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE],
  level: PssLevel.BASELINE,
  control: 'Sysctls',
  description: 'Sysctls outside the safe, namespaced set change kernel behaviour for the whole node or other pods.',
  remediation: `Remove sysctls other than ${SAFE_SYSCTLS.join(', ')}.`,
}, pod => {
  const out: RuleViolation[] = [];
  (Array.isArray(pod.spec.securityContext?.sysctls) ? pod.spec.securityContext.sysctls : []).forEach((s: any, i: number) => {
    if (!SAFE_SYSCTLS.includes(s?.name)) out.push(violation(`${pod.path}.securityContext.sysctls[${i}].name`, s?.name, `pod sets unsafe sysctl ${JSON.stringify(s?.name)}.`));
  });
  return out;
});
