import { PssLevel, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

export const hostPorts = pssRule({
  id: 'host-ports',
  title: 'Containers do not bind host ports',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING],
  level: PssLevel.BASELINE,
  control: 'Host Ports',
  description: 'A hostPort exposes the container on the node\'s address, bypassing Services and NetworkPolicies, and limits scheduling.',
  remediation: 'Remove hostPort (or set 0); expose the workload through a ClusterIP Service and the ingress path.',
  peers: ['polaris:hostPortSet', 'gatekeeper:pod-security-policy/host-network-ports', 'kyverno:pod-security/baseline/disallow-host-ports',
    'kyverno:pod-security/baseline/disallow-host-ports-range'],
  threats: ['S2-impersonated-peer'],
}, pod => eachContainer(pod, c => {
  const ports: any[] = Array.isArray(c.container.ports) ? c.container.ports : [];
  const out = [];
  for (const [i, p] of ports.entries()) {
    if (p?.hostPort !== undefined && p.hostPort !== 0) out.push(violation(`${c.path}.ports[${i}].hostPort`, p.hostPort, `container "${c.name}" binds host port ${p.hostPort}.`));
  }
  return out;
}));
