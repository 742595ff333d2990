import { PodSpecRef } from '../../../kube/manifest';
import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, inUserNamespace, pssRule, violation } from './util';

/** Every container (containers, initContainers, ephemeralContainers) whose procMount is set to anything but Default. */
export function unmaskedProcMounts(pod: PodSpecRef, why = ''): RuleViolation[] {
  return eachContainer(pod, c => {
    const v = c.container.securityContext?.procMount;
    return v !== undefined && v !== 'Default'
      ? violation(`${c.path}.securityContext.procMount`, v, `container "${c.name}" sets procMount ${JSON.stringify(v)}${why}.`) : undefined;
  });
}

export const procMount = pssRule({
  id: 'proc-mount',
  title: 'The /proc mount keeps its default masks',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: '/proc Mount Type',
  description: '`procMount: Unmasked` removes the masked and read-only paths of /proc that hide host information and kernel knobs. ' +
    'From Pod Security Standards v1.35 (with kubeVersion 1.35 or later) baseline allows any procMount in a pod with ' +
    '`spec.hostUsers: false` (the boolean): its /proc belongs to its own user namespace. Restricted still forbids it ' +
    'there (rule proc-mount-restricted).',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  peers: ['kube-linter:unsafe-proc-mount', 'polaris:procMount', 'kubesec:ProcMount', 'gatekeeper:pod-security-policy/proc-mount',
    'kyverno:pod-security/baseline/disallow-proc-mount'],
  threats: ['E1-container-escape'],
}, (pod, _obj, ctx, minor) => (inUserNamespace(pod, minor, ctx.settings) ? [] : unmaskedProcMounts(pod)));
