import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const hostProcess = pssRule({
  id: 'host-process',
  title: 'Windows pods do not run as HostProcess',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'HostProcess',
  description: 'Windows HostProcess containers run directly on the host with host network and file system access: node administrator.',
  remediation: 'Remove securityContext.windowsOptions.hostProcess (or set false) at pod and container level.',
  peers: ['polaris:hostProcess', 'gatekeeper:pod-security-policy/host-process', 'kyverno:pod-security/baseline/disallow-host-process'],
  threats: ['E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  const p = pod.spec.securityContext?.windowsOptions?.hostProcess;
  if (p !== undefined && p !== false) out.push(violation(`${pod.path}.securityContext.windowsOptions.hostProcess`, p, `pod sets hostProcess ${JSON.stringify(p)}.`));
  out.push(...eachContainer(pod, c => {
    const v = c.container.securityContext?.windowsOptions?.hostProcess;
    return v !== undefined && v !== false ? violation(`${c.path}.securityContext.windowsOptions.hostProcess`, v, `container "${c.name}" sets hostProcess ${JSON.stringify(v)}.`) : undefined;
  }));
  return out;
});
