import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** 0 in any YAML spelling (`0`, `0.0`, `-0`, `"0"`, `+00`). */
const isZero = (v: unknown) => v === 0 || v === '0' || (typeof v === 'string' && /^\s*[+-]?0+(\.0*)?\s*$/.test(v));

export const podGroupRoot: IRule = {
  id: 'pod-group-root',
  title: 'Pods do not run with group 0 (runAsGroup, fsGroup, supplementalGroups)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'Group 0 (root) owns and may write many files in images and on the node: `runAsGroup: 0` (pod or container ' +
    'level), `fsGroup: 0` (every mounted volume is chowned to group root) or 0 in `supplementalGroups` give a non-root ' +
    'user root\'s group rights, which the Pod Security Standards do not forbid. YAML spellings of zero (`0`, `0.0`, ' +
    '`-0`) are all 0.',
  remediation: 'Set runAsGroup and fsGroup to a non-zero id (e.g. 10001, matching runAsUser) and drop 0 from ' +
    'supplementalGroups.',
  references: ['gatekeeper-library pod-security-policy/users and fsgroup (MustRunAs ranges excluding 0)',
    'kubesec RunAsGroup', 'Kubernetes docs: Configure a Security Context for a Pod or Container'],
  peers: ['kubesec:RunAsGroup', 'gatekeeper:pod-security-policy/fsgroup'],
  threats: ['E1-container-escape'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      const psc = pod.spec.securityContext ?? {};
      if (isZero(psc.runAsGroup)) out.push({ path: `${pod.path}.securityContext.runAsGroup`, message: 'pod runAsGroup is 0 (root).' });
      if (isZero(psc.fsGroup)) out.push({ path: `${pod.path}.securityContext.fsGroup`, message: 'pod fsGroup is 0 (root): volumes are owned by group root.' });
      const sup: unknown[] = Array.isArray(psc.supplementalGroups) ? psc.supplementalGroups : [];
      sup.forEach((g, i) => { if (isZero(g)) out.push({ path: `${pod.path}.securityContext.supplementalGroups[${i}]`, message: 'pod supplementalGroups include 0 (root).' }); });
      for (const c of containersOf(pod)) {
        if (isZero(c.container.securityContext?.runAsGroup)) out.push({ path: `${c.path}.securityContext.runAsGroup`, message: `container "${c.name}" runAsGroup is 0 (root).` });
      }
      return out;
    });
  },
};
