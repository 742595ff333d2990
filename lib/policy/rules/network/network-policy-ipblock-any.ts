import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { ANY_CIDRS, policyRules } from './np-util';

export const networkPolicyIpblockAny: IRule = {
  id: 'network-policy-ipblock-any',
  title: 'NetworkPolicies do not admit 0.0.0.0/0 or ::/0 to pods',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['NetworkPolicy'],
  description: 'An ingress ipBlock of 0.0.0.0/0 or ::/0 exposes the selected pods to every address that can route to them ' +
    '— including the internet when nodes or load balancers are public. Exposure belongs at the ingress controller, not on pods.',
  remediation: 'Admit the ingress controller or load balancer subnet (a specific CIDR or a namespace/pod selector) instead.',
  references: ['Kubernetes docs: Network Policies (ipBlock)', 'Seed: do not open unnecessary ports, inside or out'],
  check(obj) {
    const out: RuleViolation[] = [];
    for (const { rule, path } of policyRules(obj, 'ingress')) {
      (Array.isArray(rule.from) ? rule.from : []).forEach((peer: any, i: number) => {
        const cidr = peer?.ipBlock?.cidr;
        if (ANY_CIDRS.includes(cidr)) out.push({ path: `${path}.from[${i}].ipBlock.cidr`, message: `ingress from ${cidr}.` });
      });
    }
    return out;
  },
};
