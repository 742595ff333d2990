import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const runAsUserRoot = pssRule({
  id: 'run-as-user-root',
  title: 'Containers do not set runAsUser 0',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: 'Running as Non-root user',
  description: 'runAsUser: 0 runs the process as root in the container, one kernel bug away from root on the node.',
  remediation: 'Set runAsUser to a non-zero UID the image supports (HardenedDeployment default: 65532) or leave it unset with runAsNonRoot: true.',
  peers: ['kyverno:pod-security/restricted/require-run-as-non-root-user'],
  threats: ['E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  const p = pod.spec.securityContext?.runAsUser;
  if (p === 0) out.push({ path: `${pod.path}.securityContext.runAsUser`, message: 'pod sets runAsUser: 0.' });
  else if (p !== undefined) { const v = violation(`${pod.path}.securityContext.runAsUser`, p, ''); if (v.unevaluable) out.push(v); }
  out.push(...eachContainer(pod, c => {
    const v = c.container.securityContext?.runAsUser;
    if (v === 0) return { path: `${c.path}.securityContext.runAsUser`, message: `container "${c.name}" sets runAsUser: 0.` };
    const t = violation(`${c.path}.securityContext.runAsUser`, v, '');
    return t.unevaluable ? t : undefined;
  }));
  return out;
});
