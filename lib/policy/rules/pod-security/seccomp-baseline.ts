import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const seccompBaseline = pssRule({
  id: 'seccomp-baseline',
  title: 'Seccomp is not explicitly disabled',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'Seccomp',
  description: 'seccompProfile type Unconfined exposes the whole kernel syscall surface (the route of most container escapes).',
  remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost) instead of Unconfined.',
  peers: ['kubesec:SeccompUnconfined', 'gatekeeper:pod-security-policy/seccomp', 'gatekeeper:pod-security-policy/seccompv2',
    'kyverno:pod-security/baseline/restrict-seccomp'],
  threats: ['E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  const p = pod.spec.securityContext?.seccompProfile?.type;
  if (p === 'Unconfined') out.push(violation(`${pod.path}.securityContext.seccompProfile.type`, p, 'pod sets seccompProfile Unconfined.'));
  out.push(...eachContainer(pod, c => {
    const v = c.container.securityContext?.seccompProfile?.type;
    return v === 'Unconfined' ? violation(`${c.path}.securityContext.seccompProfile.type`, v, `container "${c.name}" sets seccompProfile Unconfined.`) : undefined;
  }));
  return out;
});
