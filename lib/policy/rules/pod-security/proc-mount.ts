import { PssLevel, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const procMount = pssRule({
  id: 'proc-mount',
  title: 'The /proc mount keeps its default masks',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: '/proc Mount Type',
  description: '`procMount: Unmasked` removes the masked and read-only paths of /proc that hide host information and kernel knobs.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  peers: ['kube-linter:unsafe-proc-mount', 'polaris:procMount', 'kubesec:ProcMount', 'gatekeeper:pod-security-policy/proc-mount',
    'kyverno:pod-security/baseline/disallow-proc-mount'],
  threats: ['E1-container-escape'],
}, pod => eachContainer(pod, c => {
  const v = c.container.securityContext?.procMount;
  return v !== undefined && v !== 'Default' ? violation(`${c.path}.securityContext.procMount`, v, `container "${c.name}" sets procMount ${JSON.stringify(v)}.`) : undefined;
}));
