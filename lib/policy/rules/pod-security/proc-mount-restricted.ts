import { USER_NAMESPACE_RELAXATION_SINCE } from '../../../kube/pss-versions';
import { PssLevel, Stride } from '../../types';
import { unmaskedProcMounts } from './proc-mount';
import { inUserNamespace, pssRule } from './util';

/**
 * Restricted's own /proc control from v1.35 (pod-security-admission check_procMount_restricted.go, which overrides the
 * baseline procMount check at the restricted level). It reports exactly the pods the baseline rule `proc-mount` lets
 * through since v1.35 — those with `hostUsers: false` — so every unmasked /proc is reported once, under one rule:
 * `proc-mount` for the others, this rule for pods in a user namespace.
 */
export const procMountRestricted = pssRule({
  id: 'proc-mount-restricted',
  title: 'The /proc mount keeps its default masks, also in a user namespace',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: '/proc Mount Type',
  since: USER_NAMESPACE_RELAXATION_SINCE,
  description: 'From Pod Security Standards v1.35 baseline allows `procMount: Unmasked` in a pod with `spec.hostUsers: false`; ' +
    'restricted does not: an unmasked /proc still exposes kernel information and knobs that the masks hide, user ' +
    'namespace or not. This rule reports those pods (with kubeVersion 1.35 or later); every other unmasked /proc is ' +
    'reported by proc-mount.',
  remediation: 'Remove securityContext.procMount or set it to Default, even with hostUsers: false.',
  extraReferences: ['kubernetes/pod-security-admission policy/check_procMount_restricted.go'],
  peers: [],
  threats: ['E1-container-escape'],
}, (pod, _obj, ctx, minor) => (inUserNamespace(pod, minor, ctx.settings)
  ? unmaskedProcMounts(pod, ' (hostUsers: false relaxes baseline, not restricted)') : []));
