import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { peerIsEveryone, policyRules } from './np-util';

export const networkPolicyAllowAllIngress: IRule = {
  id: 'network-policy-allow-all-ingress',
  title: 'NetworkPolicies do not allow ingress from everyone',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['NetworkPolicy'],
  description: 'An ingress rule without `from`, or with a peer whose empty namespaceSelector (and empty or no podSelector) ' +
    'matches every pod of every namespace, admits the whole cluster (and, without `from`, everything routable) and undoes ' +
    'the default deny.',
  remediation: 'Name the peers: podSelector labels, a namespaceSelector on kubernetes.io/metadata.name, or a specific ipBlock.',
  references: ['Kubernetes docs: Network Policies (allow all ingress traffic)', 'CIS Kubernetes Benchmark 5.3.2'],
  check(obj) {
    const out: RuleViolation[] = [];
    for (const { rule, path } of policyRules(obj, 'ingress')) {
      if (!Array.isArray(rule.from) || rule.from.length === 0) {
        out.push({ path, message: 'ingress rule has no `from`: it admits traffic from everywhere.' });
        continue;
      }
      rule.from.forEach((peer: any, i: number) => {
        if (peerIsEveryone(peer)) out.push({ path: `${path}.from[${i}]`, message: 'peer selects every pod in every namespace.' });
      });
    }
    return out;
  },
};
