import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, inUserNamespace, pssRule, violation } from './util';

export const runAsUserRoot = pssRule({
  id: 'run-as-user-root',
  title: 'Containers do not set runAsUser 0',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: 'Running as Non-root user',
  description: 'runAsUser: 0 runs the process as root in the container, one kernel bug away from root on the node. From Pod Security ' +
    'Standards v1.35 (with kubeVersion 1.35 or later) a pod in its own user namespace (`spec.hostUsers: false`, the boolean) ' +
    'is exempt: its uid 0 maps to an unprivileged id on the node.',
  remediation: 'Set runAsUser to a non-zero UID the image supports (HardenedDeployment default: 65532) or leave it unset with runAsNonRoot: true.',
  peers: ['kyverno:pod-security/restricted/require-run-as-non-root-user'],
  threats: ['E1-container-escape'],
}, (pod, _obj, ctx, minor) => {
  if (inUserNamespace(pod, minor, ctx.settings)) return [];
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
