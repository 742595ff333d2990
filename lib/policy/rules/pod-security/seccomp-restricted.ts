import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

const OK = ['RuntimeDefault', 'Localhost'];

export const seccompRestricted = pssRule({
  id: 'seccomp-restricted',
  title: 'Seccomp RuntimeDefault or Localhost is set explicitly',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: 'Seccomp',
  linuxOnly: true,
  description: 'Without an explicit seccomp profile most runtimes run containers unconfined. Restricted requires RuntimeDefault ' +
    'or Localhost at pod level (not overridden by a container) or on every container.',
  remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault at pod level.',
  peers: ['polaris:linuxHardening', 'kubesec:SeccompAny', 'kyverno:pod-security/restricted/restrict-seccomp-strict'],
  threats: ['E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  const p = pod.spec.securityContext?.seccompProfile?.type;
  const podOk = OK.includes(p);
  if (p !== undefined && !podOk) out.push(violation(`${pod.path}.securityContext.seccompProfile.type`, p, `pod sets seccompProfile ${JSON.stringify(p)}.`));
  out.push(...eachContainer(pod, c => {
    const v = c.container.securityContext?.seccompProfile?.type;
    if (v === undefined) return podOk ? undefined : violation(`${c.path}.securityContext.seccompProfile.type`, p, `container "${c.name}" has no seccompProfile and the pod sets none.`);
    return OK.includes(v) ? undefined : violation(`${c.path}.securityContext.seccompProfile.type`, v, `container "${c.name}" sets seccompProfile ${JSON.stringify(v)}.`);
  }));
  return out;
});
