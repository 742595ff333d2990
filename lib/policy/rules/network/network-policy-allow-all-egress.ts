import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { BROAD_DESCRIPTION } from './cidr-util';
import { broadIpBlocks, everyonePeers, isDnsOnlyRule, policyNamespace, policyRules } from './np-util';

export const networkPolicyAllowAllEgress: IRule = {
  id: 'network-policy-allow-all-egress',
  title: 'NetworkPolicies do not allow egress to everyone',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.WARNING,
  appliesTo: ['NetworkPolicy'],
  description: 'An egress rule without `to`, to a peer matching every pod of every namespace, or to "anywhere" lets ' +
    'a compromised pod reach any service and exfiltrate data. A peer matches every pod of every namespace when its ' +
    'namespaceSelector matches a namespace created tomorrow (`{}`, `Exists` on kubernetes.io/metadata.name, `NotIn` or ' +
    '`DoesNotExist` forms) and its podSelector, if any, a pod with no labels. ipBlocks are "anywhere" when their exact ' +
    `union reaches ${BROAD_DESCRIPTION}, with the egress ipBlocks of the other policies of the namespace that can select ` +
    'the same pods (NetworkPolicies add up); private and non-routable space is not counted. A DNS-only rule is accepted: ' +
    'every port exactly 53 over UDP or TCP (an `endPort` makes it a range: `port: 53, endPort: 65535` is 65483 ports) ' +
    'and every peer in kube-system (namespaceSelector pinned by kubernetes.io/metadata.name). Port 53 to anywhere else is ' +
    'a tunnel to any resolver on the internet and is judged like any other rule.',
  remediation: 'Name the destinations (pod or namespace selectors, specific CIDRs) and their ports; keep DNS as its own ' +
    'rule: UDP and TCP 53 to namespaceSelector {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector k8s-app: kube-dns.',
  references: ['Kubernetes docs: Network Policies (default deny all egress; targeting a range of ports)', 'Kubernetes docs: Labels and Selectors (set-based requirements)',
    'Kubernetes docs: Namespaces (automatic labelling: kubernetes.io/metadata.name)', 'DESIGN.md: egress only to named peers plus DNS'],
  peers: [],
  threats: ['I3-lateral-movement'],
  admission: { notGenerated: 'cross-object: the egress ipBlocks of the other NetworkPolicies of the namespace that can select the same pods add up ' +
    'to "anywhere"; and the exact union of CIDRs minus their excepts (IPv4-mapped, NAT64) is set arithmetic CEL cannot do' },
  check(obj, ctx) {
    if (!judgesKindGroup('network-policy-allow-all-egress', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const ns = policyNamespace(obj);
    const rules = policyRules(obj, 'egress').filter(r => !isDnsOnlyRule(r.rule, ns));
    for (const r of rules) {
      if (!Array.isArray(r.rule.to) || r.rule.to.length === 0) out.push({ path: r.path, message: 'egress rule has no `to`: it allows traffic to everywhere.' });
    }
    for (const p of everyonePeers(rules, 'to', ns)) out.push({ path: p.path, message: `peer selects every pod in every namespace: ${p.why}.` });
    for (const b of broadIpBlocks(obj, 'egress', ctx, 'not-dns', (rule, namespace) => !isDnsOnlyRule(rule, namespace))) out.push({ path: b.path, message: `egress to ${b.cidr}${b.reason}.` });
    return out;
  },
};
