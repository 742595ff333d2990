import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { everyonePeers, policyNamespace, policyRules } from './np-util';

export const networkPolicyAllowAllIngress: IRule = {
  id: 'network-policy-allow-all-ingress',
  title: 'NetworkPolicies do not allow ingress from everyone',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['NetworkPolicy'],
  description: 'An ingress rule without `from`, or with a peer that matches every pod of every namespace, admits the whole ' +
    'cluster (and, without `from`, everything routable) and undoes the default deny. A peer matches every pod of every ' +
    'namespace when its namespaceSelector matches a namespace created tomorrow — `{}`, `Exists` on ' +
    'kubernetes.io/metadata.name (every namespace has it since Kubernetes 1.22), `NotIn` a few names, `DoesNotExist` on ' +
    'some label — and its podSelector, if any, matches a pod with no labels (`{}`, `NotIn`, `DoesNotExist`): whoever can ' +
    'create a namespace or a pod is admitted.',
  remediation: 'Name the peers: podSelector labels, a namespaceSelector on kubernetes.io/metadata.name (matchLabels or In), or a specific ipBlock.',
  references: ['Kubernetes docs: Network Policies (allow all ingress traffic)', 'Kubernetes docs: Labels and Selectors (set-based requirements)',
    'Kubernetes docs: Namespaces (automatic labelling: kubernetes.io/metadata.name)', 'CIS Kubernetes Benchmark 5.3.2'],
  peers: [],
  threats: ['I3-lateral-movement'],
  check(obj) {
    if (!judgesKindGroup('network-policy-allow-all-ingress', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const rules = policyRules(obj, 'ingress');
    for (const r of rules) {
      if (!Array.isArray(r.rule.from) || r.rule.from.length === 0) out.push({ path: r.path, message: 'ingress rule has no `from`: it admits traffic from everywhere.' });
    }
    for (const p of everyonePeers(rules, 'from', policyNamespace(obj))) out.push({ path: p.path, message: `peer selects every pod in every namespace: ${p.why}.` });
    return out;
  },
};
