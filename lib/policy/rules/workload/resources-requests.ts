import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const REQUESTS = ['cpu', 'memory'];

export const resourcesRequests: IRule = {
  id: 'resources-requests',
  title: 'Containers request CPU and memory',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'Without requests the scheduler packs pods blindly and the pod is BestEffort: first to be evicted, free to ' +
    'starve its neighbours. Checked on containers and initContainers.',
  remediation: 'Set resources.requests.cpu and resources.requests.memory on every container (HardenedDeployment: `resources` ' +
    'or the profile\'s defaultResources).',
  references: ['CIS Kubernetes Benchmark 5.7.x: apply resource requests', 'Polaris: cpuRequestsMissing / memoryRequestsMissing'],
  peers: ['kube-linter:unset-cpu-requirements', 'kube-linter:unset-memory-requirements', 'polaris:cpuRequestsMissing',
    'polaris:memoryRequestsMissing', 'kubesec:RequestsCPU', 'kubesec:RequestsMemory', 'gatekeeper:general/containerrequests',
    'gatekeeper:general/containerresources', 'kyverno:best-practices/require-pod-requests-limits'],
  threats: ['D1-resource-exhaustion'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        if (c.field === 'ephemeralContainers') continue;
        for (const r of REQUESTS) {
          if (c.container.resources?.requests?.[r] === undefined) {
            out.push({ path: `${c.path}.resources.requests.${r}`, message: `container "${c.name}" has no ${r} request.` });
          }
        }
      }
      return out;
    }, { podsOnly: true });
  },
};
