import { PssLevel, RuleViolation, Stride } from '../../types';
import { pssRule, violation } from './util';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'];

export const hostNamespaces = pssRule({
  id: 'host-namespaces',
  title: 'Pods do not share the host network, PID or IPC namespace',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING],
  level: PssLevel.BASELINE,
  control: 'Host Namespaces',
  description: 'hostNetwork lets the pod sniff and spoof node traffic and reach node-local services; hostPID lets it see and ' +
    'signal every process of the node; hostIPC lets it read other processes\' shared memory.',
  remediation: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
  extraReferences: ['CIS Kubernetes Benchmark 5.2.3-5.2.5'],
  peers: ['kube-linter:host-ipc', 'kube-linter:host-network', 'kube-linter:host-pid', 'polaris:hostIPCSet', 'polaris:hostNetworkSet',
    'polaris:hostPIDSet', 'kubesec:HostNetwork', 'kubesec:HostPID', 'kubesec:HostIPC', 'gatekeeper:pod-security-policy/host-namespaces',
    'gatekeeper:pod-security-policy/host-network-ports', 'kyverno:pod-security/baseline/disallow-host-namespaces'],
  threats: ['I3-lateral-movement', 'E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  for (const f of HOST_NAMESPACES) {
    const v = pod.spec[f];
    if (v !== undefined && v !== false) out.push(violation(`${pod.path}.${f}`, v, `pod sets ${f}: ${JSON.stringify(v)}.`));
  }
  return out;
});
