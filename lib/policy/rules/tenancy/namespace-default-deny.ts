import { objectsIn } from '../../manifest';
import { IRule, Severity, Stride } from '../../types';

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
  check(obj, ctx) {
    const ns = obj?.metadata?.name;
    const policies = objectsIn(ctx.objects, 'NetworkPolicy', ns);
    const missing = (['Ingress', 'Egress'] as const).filter(d => !policies.some(p => deniesAll(p, d)));
    return missing.length === 0 ? [] : [{
      path: 'metadata.name',
      message: `namespace "${ns}" has no default-deny NetworkPolicy for ${missing.join(' and ')}.`,
    }];
  },
};
