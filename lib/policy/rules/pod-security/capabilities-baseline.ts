import { PssLevel, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

/** Capabilities the baseline level allows to be added. */
export const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

export const capabilitiesBaseline = pssRule({
  id: 'capabilities-baseline',
  title: 'Containers add no capabilities beyond the default set',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'Capabilities',
  description: 'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE break container isolation. Baseline allows ' +
    'adding only the container runtime\'s default set.',
  remediation: `Remove added capabilities outside ${BASELINE_CAPABILITIES.join(', ')}.`,
  extraReferences: ['CIS Kubernetes Benchmark 5.2.8-5.2.9'],
  peers: ['polaris:dangerousCapabilities', 'polaris:insecureCapabilities', 'kubesec:CapSysAdmin', 'gatekeeper:pod-security-policy/capabilities',
    'kyverno:pod-security/baseline/disallow-capabilities'],
  threats: ['E1-container-escape'],
}, pod => eachContainer(pod, c => {
  const add = c.container.securityContext?.capabilities?.add;
  if (!Array.isArray(add)) return undefined;
  return add.map((cap: unknown, i: number) => ({ cap, i }))
    .filter(({ cap }) => !BASELINE_CAPABILITIES.includes(String(cap)))
    .map(({ cap, i }) => violation(`${c.path}.securityContext.capabilities.add[${i}]`, cap, `container "${c.name}" adds capability ${JSON.stringify(cap)}.`));
}));
