import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const memoryLimit: IRule = {
  id: 'memory-limit',
  title: 'Containers have a memory limit',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'Memory is not compressible: a container without a limit can grow until the kernel OOM-kills other pods or ' +
    'node daemons. Checked on containers and initContainers.',
  remediation: 'Set resources.limits.memory on every container (HardenedDeployment defaults it to the memory request).',
  references: ['CIS Kubernetes Benchmark 5.7.x: apply resource limits', 'Polaris: memoryLimitsMissing'],
  peers: ['polaris:memoryLimitsMissing', 'kubesec:LimitsMemory', 'gatekeeper:general/containerlimits'],
  threats: ['D1-resource-exhaustion'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        if (c.field === 'ephemeralContainers' || c.container.resources?.limits?.memory !== undefined) continue;
        out.push({ path: `${c.path}.resources.limits.memory`, message: `container "${c.name}" has no memory limit.` });
      }
      return out;
    }, { podsOnly: true });
  },
};
