import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, PssLevel, RuleViolation, Severity, Stride } from '../../types';

export const privilegedContainer: IRule = {
  id: 'privileged-container',
  title: 'Containers must not run privileged',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  pssLevel: PssLevel.BASELINE,
  description: 'A privileged container has every capability and access to every host device; it is root on the node. ' +
    'Evaluated for containers, initContainers and ephemeralContainers.',
  remediation: 'Remove `securityContext.privileged: true` (or set it to false). Grant the one capability or device the workload needs instead.',
  references: ['Pod Security Standards v1.28 baseline: Privileged Containers', 'CIS Kubernetes Benchmark 5.2.2'],
  peers: ['kube-linter:privileged-container', 'polaris:runAsPrivileged', 'kubesec:Privileged', 'gatekeeper:pod-security-policy/privileged-containers',
    'kyverno:pod-security/baseline/disallow-privileged-containers'],
  threats: ['T2-runtime-filesystem-tampering', 'E1-container-escape'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        if (c.container.securityContext?.privileged === true) {
          out.push({ path: `${c.path}.securityContext.privileged`, message: `container "${c.name}" sets privileged: true.` });
        }
      }
      return out;
    });
  },
};
