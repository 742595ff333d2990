import { PssLevel, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const allowPrivilegeEscalation = pssRule({
  id: 'allow-privilege-escalation',
  title: 'Containers set allowPrivilegeEscalation: false',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: 'Privilege Escalation',
  linuxOnly: true,
  description: 'Unless allowPrivilegeEscalation is explicitly false, setuid binaries and file capabilities can raise the ' +
    'process\'s privileges (no_new_privs is not set).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, initContainer and ephemeralContainer.',
  extraReferences: ['CIS Kubernetes Benchmark 5.2.6'],
  peers: ['kube-linter:privilege-escalation-container', 'polaris:privilegeEscalationAllowed', 'kubesec:AllowPrivilegeEscalation',
    'gatekeeper:pod-security-policy/allow-privilege-escalation', 'kyverno:pod-security/restricted/disallow-privilege-escalation'],
  threats: ['E1-container-escape'],
}, pod => eachContainer(pod, c => {
  const v = c.container.securityContext?.allowPrivilegeEscalation;
  return v === false ? undefined : violation(`${c.path}.securityContext.allowPrivilegeEscalation`, v, `container "${c.name}" has allowPrivilegeEscalation ${JSON.stringify(v ?? null)}; must be false.`);
}));
