import { isUnresolved } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { BROAD_DESCRIPTION, cidrProblem } from './cidr-util';
import { broadIpBlocks, policyRules } from './np-util';

export const networkPolicyIpblockAny: IRule = {
  id: 'network-policy-ipblock-any',
  title: 'NetworkPolicies do not admit 0.0.0.0/0, ::/0 or similarly broad ranges to pods',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['NetworkPolicy'],
  description: 'An ingress ipBlock of 0.0.0.0/0 or ::/0 exposes the selected pods to every address that can route to them ' +
    '— including the internet when nodes or load balancers are public. Exposure belongs at the ingress controller, not on pods. ' +
    `Ranges count as 0.0.0.0/0 when the exact union of the policy's ingress ipBlocks reaches ${BROAD_DESCRIPTION}: ` +
    '0.0.0.0/0 minus a hundred /32 holes, 0.0.0.0/1 + 128.0.0.0/1, two public /8s, ::ffff:0:0/96 or 2000::/3 fail; private and ' +
    'non-routable space (RFC 1918, 100.64.0.0/10, loopback, link-local, multicast, reserved, documentation, fc00::/7, ...) is ' +
    'not counted, so 10.0.0.0/8, fd00::/8 or one public /8 pass. NetworkPolicies add up: the ingress ipBlocks of the ' +
    'other policies in the evaluated set (chart or files) of the same namespace whose podSelector can select the same pods ' +
    'count too (two policies admitting one public /8 each to the same pods fail). ' +
    'An ingress ipBlock whose cidr or except entries are not valid CIDRs fails too: it cannot be judged.',
  remediation: 'Admit the ingress controller or load balancer subnet (a specific CIDR or a namespace/pod selector) instead.',
  references: ['Kubernetes docs: Network Policies (ipBlock)', 'RFC 6890 / IANA special-purpose address registries', 'RFC 4291 2.5.5.2 (IPv4-mapped) and RFC 6052 (NAT64)', 'Seed: do not open unnecessary ports, inside or out'],
  peers: [],
  threats: ['I3-lateral-movement'],
  admission: { notGenerated: 'cross-object: the ingress ipBlocks of the other NetworkPolicies of the namespace that can select the same pods add up ' +
    '(two policies admitting one public /8 each fail); and the exact union of CIDRs minus their excepts (IPv4-mapped, NAT64) is set arithmetic CEL cannot do' },
  check(obj, ctx) {
    if (!judgesKindGroup('network-policy-ipblock-any', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const rules = policyRules(obj, 'ingress');
    for (const r of rules) {
      const rule = r.rule;
      (Array.isArray(rule.from) ? rule.from : []).forEach((peer: any, i: number) => {
        if (!peer?.ipBlock) return;
        const at = `${r.path}.from[${i}].ipBlock`;
        const { cidr, except } = peer.ipBlock;
        if (isUnresolved(cidr)) {
          out.push({ path: `${at}.cidr`, message: 'ingress ipBlock cidr is an unresolved token.', unevaluable: true });
          return;
        }
        const problem = cidrProblem(cidr);
        if (problem) out.push({ path: `${at}.cidr`, message: `ingress ipBlock ${JSON.stringify(cidr ?? null)} is not a valid CIDR: ${problem}` });
        if (except !== undefined && !Array.isArray(except)) out.push({ path: `${at}.except`, message: 'ipBlock except is not a list of CIDRs.' });
        (Array.isArray(except) ? except : []).forEach((e: unknown, j: number) => {
          const p = isUnresolved(e) ? undefined : cidrProblem(e);
          if (p) out.push({ path: `${at}.except[${j}]`, message: `ipBlock except ${JSON.stringify(e ?? null)} is not a valid CIDR: ${p}` });
        });
      });
    }
    for (const b of broadIpBlocks(obj, 'ingress', ctx)) out.push({ path: b.path, message: `ingress from ${b.cidr}${b.reason}.` });
    return out;
  },
};
