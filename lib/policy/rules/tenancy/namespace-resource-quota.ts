import { ObjectMemo } from '../../../kube/cache';
import { objectsIn } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const SERVICE_KEYS = ['services.loadbalancers', 'services.nodeports'];
const hardByList = new ObjectMemo<readonly any[], { key: string; zero: boolean; found: string }[]>();

/**
 * The `spec.hard` values of the Service quota keys across a list of ResourceQuotas (one namespace of an evaluated set),
 * computed once per list: every Namespace object naming the namespace reuses them instead of rescanning.
 */
function hardValues(quotas: readonly any[]): { key: string; zero: boolean; found: string }[] {
  let values = hardByList.get(quotas);
  if (!values) {
    values = SERVICE_KEYS.map(key => {
      const found = quotas.map(q => q.spec?.hard?.[key]).filter(v => v !== undefined);
      return { key, zero: found.some(v => String(v) === '0'), found: JSON.stringify(found) };
    });
    hardByList.set(quotas, values);
  }
  return values;
}

export const namespaceResourceQuota: IRule = {
  id: 'namespace-resource-quota',
  title: 'Namespaces have a ResourceQuota that forbids LoadBalancer and NodePort Services',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['Namespace'],
  description: 'Without a ResourceQuota one tenant can exhaust the cluster (CPU, memory, pods, storage, object counts). ' +
    'The quota must also set services.loadbalancers and services.nodeports to 0: such Services expose the tenant outside ' +
    'the cluster and bypass the ingress path; an exception needs a waiver on the Namespace. Evaluated against the ' +
    'ResourceQuotas in the same evaluated set.',
  remediation: 'Add a ResourceQuota in the namespace with cpu, memory, pods and object-count limits and ' +
    'services.loadbalancers: "0", services.nodeports: "0" (IsolatedNamespace emits one).',
  references: ['Kubernetes docs: Resource Quotas', 'CIS Kubernetes Benchmark 5.7.x (general policies: namespaces as boundaries)'],
  peers: ['kyverno:best-practices/add-ns-quota'],
  threats: ['D1-resource-exhaustion'],
  admission: { notGenerated: 'cross-object: needs the ResourceQuota of the namespace' },
  check(obj, ctx) {
    const ns = obj?.metadata?.name;
    const quotas = objectsIn(ctx.objects, 'ResourceQuota', ns);
    if (quotas.length === 0) return [{ path: 'metadata.name', message: `namespace "${ns}" has no ResourceQuota.` }];
    const out: RuleViolation[] = [];
    for (const { key, zero, found } of hardValues(quotas)) {
      if (!zero) {
        out.push({ path: 'metadata.name', message: `no ResourceQuota of namespace "${ns}" sets ${key} to 0 (found ${found}).` });
      }
    }
    return out;
  },
};
