import { checkPods, namespaceOf, objectsIn } from '../../manifest';
import { IRule, Severity, Stride } from '../../types';

/** True if a label selector (matchLabels / matchExpressions) selects the given labels. */
export function selects(selector: any, labels: { [k: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const val = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(val)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(val)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export const workloadNetworkPolicy: IRule = {
  id: 'workload-network-policy',
  title: 'Every workload is selected by a NetworkPolicy in its namespace',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'Pods not selected by any NetworkPolicy accept traffic from every pod in the cluster and may reach anything: ' +
    'a compromised neighbour can move laterally. Evaluated against the NetworkPolicies in the same evaluated set ' +
    '(chart or files); a namespace-wide default deny (empty podSelector) counts.',
  remediation: 'Add a NetworkPolicy selecting the pods (HardenedDeployment emits one; IsolatedNamespace emits a default deny).',
  references: ['CIS Kubernetes Benchmark 5.3.2: Ensure that all Namespaces have Network Policies defined', 'Kubernetes docs: Network Policies'],
  check(obj, ctx) {
    if (obj?.kind === 'PodTemplate') return []; // a PodTemplate runs no pods
    return checkPods(obj, pod => {
      const ns = namespaceOf(obj);
      const labels = pod.metadata?.labels ?? {};
      const covered = objectsIn(ctx.objects, 'NetworkPolicy', ns).some(o => selects(o.spec?.podSelector ?? {}, labels));
      return covered ? [] : [{ path: `${pod.metadataPath}.labels`, message: `no NetworkPolicy in namespace "${ns}" selects these pods.` }];
    }, { podsOnly: true });
  },
};
