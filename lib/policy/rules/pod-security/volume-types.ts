import { PssLevel, RuleViolation, Stride } from '../../types';
import { pssRule } from './util';

/**
 * Volume sources restricted allows (check_restrictedVolumes.go restrictedVolumes_1_0). `image` (read-only OCI image
 * content) was added to that v1.0 check in Kubernetes 1.33, so PSA allows it at every version label.
 */
const ALLOWED = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

export const volumeTypes = pssRule({
  id: 'volume-types',
  title: 'Pods use only core volume types',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  level: PssLevel.RESTRICTED,
  control: 'Volume Types',
  description: 'Besides hostPath, in-tree volume plugins (nfs, iscsi, rbd, gitRepo, ...) mount arbitrary storage with node ' +
    'privileges. Restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret.',
  remediation: `Use one of ${ALLOWED.join(', ')}; provision other storage through a PersistentVolumeClaim or CSI.`,
  peers: ['gatekeeper:pod-security-policy/volumes', 'gatekeeper:pod-security-policy/flexvolume-drivers',
    'kyverno:pod-security/restricted/restrict-volume-types'],
  threats: ['E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v: any, i: number) => {
    for (const key of Object.keys(v ?? {})) {
      if (key !== 'name' && !ALLOWED.includes(key)) out.push({ path: `${pod.path}.volumes[${i}].${key}`, message: `volume "${v.name}" uses type ${key}.` });
    }
  });
  return out;
});
