import { isUnresolved } from '../../../kube/manifest';
import { AddressSet, effective, intersectRanges, ipBlockSet, parseCidr, setOf, toCidrs } from '../../../semantics/netreach';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { policyRules } from './np-util';

/**
 * Addresses where a cloud serves instance or workload credentials, and the link-local space around them. Egress to any
 * of them from a pod hands the pod the node's (or another workload's) cloud identity.
 */
export const CLOUD_METADATA_RANGES: readonly string[] = [
  '169.254.0.0/16', // IPv4 link-local (RFC 3927): 169.254.169.254 instance metadata (AWS, GCP, Azure, OCI, OpenStack), 169.254.170.2 ECS task metadata, 169.254.170.23 EKS Pod Identity agent, 169.254.169.253 VPC DNS
  'fe80::/10', // IPv6 link-local (RFC 4291)
  'fd00:ec2::254/128', // AWS instance metadata over IPv6 (Nitro)
  'fd00:ec2::23/128', // EKS Pod Identity agent over IPv6
  '100.100.100.200/32', // Alibaba Cloud instance metadata
];

const METADATA: AddressSet = setOf(CLOUD_METADATA_RANGES);

/** The cloud-metadata and link-local addresses a set reaches as destinations (IPv4-mapped / NAT64 forms count as IPv4). */
export function metadataReach(s: AddressSet): string[] {
  const e = effective(s);
  // effective() moves translated IPv6 into IPv4; intersect the raw IPv6 too so fe80::/10 and fd00:ec2:: are seen.
  return toCidrs({ v4: intersectRanges(e.v4, METADATA.v4), v6: intersectRanges(s.v6, METADATA.v6) });
}

/** Whether a NetworkPolicy's egress rules take effect (policyTypes as the API server defaults it). */
function isolatesEgress(obj: any): boolean {
  const types = obj?.spec?.policyTypes;
  if (Array.isArray(types)) return types.includes('Egress');
  return true; // unset: Egress when an egress section is present; without one there are no rules to judge
}

function describe(hit: string[]): string {
  const shown = hit.slice(0, 4).join(', ');
  return hit.length > 4 ? `${shown} and ${hit.length - 4} more range(s)` : shown;
}

export const networkPolicyEgressCloudMetadata: IRule = {
  id: 'network-policy-egress-cloud-metadata',
  title: 'NetworkPolicies do not allow egress to cloud metadata or link-local addresses',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['NetworkPolicy'],
  description: 'The instance metadata service (169.254.169.254, fd00:ec2::254 on AWS Nitro), the ECS task metadata endpoint ' +
    '(169.254.170.2), the EKS Pod Identity agent (169.254.170.23, fd00:ec2::23), Alibaba Cloud metadata (100.100.100.200) and the ' +
    'rest of link-local space (169.254.0.0/16, fe80::/10: VPC DNS, time service) hand out the node\'s or another workload\'s cloud ' +
    'credentials: a pod that reaches them can act as the node in the cloud account. An egress rule allows them when it has no `to` ' +
    '(every destination), or when one of its ipBlocks, read as the API server and CNIs read it (cidr minus except; IPv4-mapped ' +
    '::ffff:0:0/96 and NAT64 64:ff9b::/96 count as the IPv4 address they carry), contains any of these addresses: 0.0.0.0/0, ' +
    '128.0.0.0/1, 169.254.0.0/15, 169.254.0.0/16 except 169.254.169.254/32 (169.254.170.2 is still reached) all fail; 0.0.0.0/0 ' +
    'except 169.254.0.0/16 and 100.100.100.200/32 passes. Every port counts (the resolver at 169.254.169.253 answers on 53). ' +
    'Pod and namespace selectors never reach these addresses. Egress rules of a policy whose policyTypes leaves out Egress ' +
    'have no effect and are not judged.',
  remediation: 'Name the destinations; when 0.0.0.0/0 or ::/0 is meant, write `except: [169.254.0.0/16, 100.100.100.200/32]` ' +
    '(for ::/0: `fe80::/10`, `fd00:ec2::/112` and the IPv6 spellings of IPv4, `::ffff:0:0/96`, `64:ff9b::/96`, `64:ff9b:1::/48`). Workloads that need cloud credentials use IRSA or EKS Pod Identity through ' +
    'the service-account token, not IMDS; a node agent that truly needs IMDS gets a waiver. On EKS also require IMDSv2 with hop limit 1.',
  references: ['Seed: cluster-to-cloud pivot through the instance metadata API', 'AWS EC2 User Guide: instance metadata (IMDSv2, fd00:ec2::254)',
    'AWS EKS Best Practices: restrict access to the instance profile assigned to the worker node', 'RFC 3927 / RFC 4291 (link-local)',
    'Kubernetes docs: Network Policies (ipBlock)'],
  peers: [],
  threats: ['I5-cloud-metadata-credentials'],
  check(obj) {
    const out: RuleViolation[] = [];
    if (!isolatesEgress(obj)) return out;
    for (const { rule, path } of policyRules(obj, 'egress')) {
      if (!Array.isArray(rule.to) || rule.to.length === 0) {
        out.push({ path, message: 'egress rule has no `to`: it allows every destination, including the cloud metadata service 169.254.169.254.' });
        continue;
      }
      rule.to.forEach((peer: any, i: number) => {
        if (peer === null || typeof peer !== 'object' || peer.ipBlock === undefined || peer.ipBlock === null) return;
        const at = `${path}.to[${i}].ipBlock`;
        const { cidr, except } = peer.ipBlock;
        if (isUnresolved(cidr) || (Array.isArray(except) && except.some(isUnresolved))) {
          out.push({ path: `${at}.cidr`, message: 'egress ipBlock holds an unresolved token: cannot tell whether it reaches cloud metadata.', unevaluable: true });
          return;
        }
        if (!parseCidr(cidr)) {
          out.push({ path: `${at}.cidr`, message: `egress ipBlock ${JSON.stringify(cidr ?? null)} is not a valid CIDR: cannot tell whether it reaches cloud metadata.` });
          return;
        }
        const set = ipBlockSet(cidr, except);
        const hit = set ? metadataReach(set) : [];
        if (hit.length > 0) out.push({ path: `${at}.cidr`, message: `egress to ${cidr}${Array.isArray(except) && except.length > 0 ? ` except ${describe(except.map(String))}` : ''} reaches cloud metadata / link-local ${describe(hit)}.` });
      });
    }
    return out;
  },
};
