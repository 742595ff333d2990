import { checkPods, containersOf, isUnresolved } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const containerEphemeralStorageLimit: IRule = {
  id: 'container-ephemeral-storage-limit',
  title: 'Containers limit ephemeral storage',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'Without `resources.limits.ephemeral-storage` a container can fill the node\'s disk with logs, writable ' +
    'layers and emptyDir data until the kubelet evicts other pods and the node reports DiskPressure. Containers and ' +
    'init containers of real pod specs are judged (ephemeral containers cannot set resources).',
  remediation: 'Set `resources.limits.ephemeral-storage` (e.g. `1Gi`) on every container, and `sizeLimit` on emptyDir volumes.',
  references: ['gatekeeper-library general/ephemeralstoragelimit', 'Kubernetes docs: Local ephemeral storage',
    'CIS Kubernetes Benchmark 5.7 (general policies: resource limits)'],
  peers: ['gatekeeper:general/ephemeralstoragelimit'],
  threats: ['D1-resource-exhaustion'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        if (c.field === 'ephemeralContainers') continue;
        const v = c.container.resources?.limits?.['ephemeral-storage'];
        if (isUnresolved(v)) out.push({ path: `${c.path}.resources.limits`, message: `container "${c.name}" ephemeral-storage limit is an unresolved token.`, unevaluable: true });
        else if (v === undefined || v === null || v === '') out.push({ path: `${c.path}.resources.limits`, message: `container "${c.name}" has no ephemeral-storage limit.` });
      }
      return out;
    }, { podsOnly: true });
  },
};
