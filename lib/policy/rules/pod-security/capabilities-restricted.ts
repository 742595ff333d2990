import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const capabilitiesRestricted = pssRule({
  id: 'capabilities-restricted',
  title: 'Containers drop ALL capabilities and add at most NET_BIND_SERVICE',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: 'Capabilities',
  linuxOnly: true,
  description: 'The runtime\'s default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, ...) is more than applications need. ' +
    'Restricted requires dropping ALL and allows adding back only NET_BIND_SERVICE.',
  remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container; add only NET_BIND_SERVICE where a port < 1024 is needed.',
  peers: ['kube-linter:drop-net-raw-capability', 'kubesec:CapDropAny', 'kubesec:CapDropAll', 'kyverno:best-practices/require-drop-all',
    'kyverno:best-practices/require-drop-cap-net-raw', 'kyverno:pod-security/restricted/disallow-capabilities-strict'],
  threats: ['E1-container-escape', 'T5-kube-system-tampering'],
}, pod => eachContainer(pod, c => {
  const caps = c.container.securityContext?.capabilities ?? {};
  const out: RuleViolation[] = [];
  const drop = Array.isArray(caps.drop) ? caps.drop : [];
  if (!drop.includes('ALL')) out.push(violation(`${c.path}.securityContext.capabilities.drop`, caps.drop, `container "${c.name}" does not drop ALL capabilities.`));
  (Array.isArray(caps.add) ? caps.add : []).forEach((cap: unknown, i: number) => {
    if (cap !== 'NET_BIND_SERVICE') out.push(violation(`${c.path}.securityContext.capabilities.add[${i}]`, cap, `container "${c.name}" adds ${JSON.stringify(cap)}.`));
  });
  return out;
}));
