import { PssLevel, RuleViolation, Stride } from '../../types';
import { pssRule } from './util';

export const hostPathVolumes = pssRule({
  id: 'host-path-volumes',
  title: 'Pods do not mount hostPath volumes',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE],
  level: PssLevel.BASELINE,
  control: 'HostPath Volumes',
  description: 'A hostPath volume exposes the node\'s file system: kubelet credentials, other pods\' data, the container ' +
    'runtime socket. Read-only mounts still disclose secrets.',
  remediation: 'Use emptyDir, configMap, secret, projected or persistentVolumeClaim volumes instead of hostPath.',
  peers: ['kube-linter:docker-sock', 'kube-linter:sensitive-host-mounts', 'kube-linter:writable-host-mount', 'polaris:hostPathSet',
    'kubesec:DockerSock', 'gatekeeper:pod-security-policy/host-filesystem', 'kyverno:best-practices/disallow-cri-sock-mount',
    'kyverno:pod-security/baseline/disallow-host-path'],
  threats: ['T2-runtime-filesystem-tampering', 'E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v: any, i: number) => {
    if (v?.hostPath) out.push({ path: `${pod.path}.volumes[${i}].hostPath`, message: `volume "${v.name}" mounts host path ${JSON.stringify(v.hostPath.path)}.` });
  });
  return out;
});
