import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { BROAD_DESCRIPTION } from './cidr-util';
import { broadIpBlocks, broadReason, peerIsEveryone, policyRules } from './np-util';

function dnsOnly(rule: any): boolean {
  const ports = rule.ports;
  return Array.isArray(ports) && ports.length > 0 && ports.every((p: any) => Number(p?.port) === 53);
}

export const networkPolicyAllowAllEgress: IRule = {
  id: 'network-policy-allow-all-egress',
  title: 'NetworkPolicies do not allow egress to everyone',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.WARNING,
  appliesTo: ['NetworkPolicy'],
  description: 'An egress rule without `to`, to a peer matching every pod of every namespace, or to 0.0.0.0/0 / ::/0 lets ' +
    'a compromised pod reach any service and exfiltrate data. A rule limited to port 53 (DNS) is accepted. ipBlocks count ' +
    `as 0.0.0.0/0 when, alone or together (each cidr minus its except), they cover a public block ${BROAD_DESCRIPTION}, ` +
    'as in network-policy-ipblock-any (private and non-routable space is not counted).',
  remediation: 'Name the destinations (pod or namespace selectors, specific CIDRs) and their ports; keep DNS as its own port-53 rule.',
  references: ['Kubernetes docs: Network Policies (default deny all egress)', 'DESIGN.md: egress only to named peers plus DNS'],
  check(obj) {
    const out: RuleViolation[] = [];
    const rules = policyRules(obj, 'egress').filter(r => !dnsOnly(r.rule));
    for (const { rule, path } of rules) {
      if (!Array.isArray(rule.to) || rule.to.length === 0) {
        out.push({ path, message: 'egress rule has no `to`: it allows traffic to everywhere.' });
        continue;
      }
      rule.to.forEach((peer: any, i: number) => {
        if (peerIsEveryone(peer)) out.push({ path: `${path}.to[${i}]`, message: 'peer selects every pod in every namespace.' });
      });
    }
    for (const b of broadIpBlocks(rules, 'to')) out.push({ path: b.path, message: `egress to ${b.cidr}${broadReason(b)}.` });
    return out;
  },
};
