import { ObjectMemo } from '../../../kube/cache';
import { objectsIn } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';
import { kubernetesNetworkPolicies } from '../kind-groups';

function isEmptySelector(sel: any): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** True if the NetworkPolicy denies by default in a direction: all pods selected, type listed, no rules. */
export function deniesAll(np: any, direction: 'Ingress' | 'Egress'): boolean {
  const spec = np?.spec ?? {};
  if (!isEmptySelector(spec.podSelector)) return false;
  const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  if (!types.includes(direction)) return false;
  const rules = direction === 'Ingress' ? spec.ingress : spec.egress;
  return !rules || rules.length === 0;
}

const denials = new ObjectMemo<readonly any[], { missing: ('Ingress' | 'Egress')[] } | { error: unknown }>();

/**
 * The directions no policy of the list denies by default, computed once per list (one namespace of an evaluated set):
 * every Namespace object naming the namespace gets the same answer (or the same error) without a rescan.
 */
function missingDenials(policies: readonly any[]): ('Ingress' | 'Egress')[] {
  let memo = denials.get(policies);
  if (!memo) {
    try {
      memo = { missing: (['Ingress', 'Egress'] as const).filter(d => !policies.some(p => deniesAll(p, d))) };
    } catch (error) {
      memo = { error };
    }
    denials.set(policies, memo);
  }
  if ('error' in memo) throw memo.error;
  return [...memo.missing];
}

export const namespaceDefaultDeny: IRule = {
  id: 'namespace-default-deny',
  title: 'Namespaces deny ingress and egress by default',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['Namespace'],
  description: 'Without a default-deny NetworkPolicy (empty podSelector, policyTypes Ingress and Egress, no rules), every ' +
    'pod of the namespace is reachable from the whole cluster and can reach anything, so one compromised pod can move ' +
    'laterally and exfiltrate. Evaluated against the NetworkPolicies in the same evaluated set (chart or files).',
  remediation: 'Add a NetworkPolicy in the namespace with `podSelector: {}` and `policyTypes: [Ingress, Egress]` (IsolatedNamespace ' +
    'emits it, with DNS egress allowed separately), then allow each flow explicitly.',
  references: ['CIS Kubernetes Benchmark 5.3.2: Ensure that all Namespaces have Network Policies defined', 'Kubernetes docs: Network Policies (default deny all)'],
  peers: ['kyverno:best-practices/add-network-policy'],
  threats: ['I3-lateral-movement'],
  admission: { notGenerated: 'cross-object: needs the NetworkPolicies of the namespace' },
  check(obj, ctx) {
    const ns = obj?.metadata?.name;
    const missing = missingDenials(kubernetesNetworkPolicies(objectsIn(ctx.objects, 'NetworkPolicy', ns))); // not Calico's (kind-groups.ts)
    return missing.length === 0 ? [] : [{
      path: 'metadata.name',
      message: `namespace "${ns}" has no default-deny NetworkPolicy for ${missing.join(' and ')}.`,
    }];
  },
};
