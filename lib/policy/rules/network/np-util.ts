import { ipBlockSet, isDnsPortsOnly, PeerReach, peerReach, peersOnlyIn, union } from '../../netreach';
import { anywhereSources, isLiteralAll } from './cidr-util';

/** A NetworkPolicy rule (ingress or egress entry) with its path. */
export interface PolicyRuleRef {
  readonly rule: any;
  readonly path: string;
}

export function policyRules(obj: any, direction: 'ingress' | 'egress'): PolicyRuleRef[] {
  const list = obj?.spec?.[direction];
  if (!Array.isArray(list)) return [];
  return list.map((rule: any, i: number) => ({ rule: rule ?? {}, path: `spec.${direction}[${i}]` }));
}

/** The namespace of a policy object, when it names one. */
export function policyNamespace(obj: any): string | undefined {
  const ns = obj?.metadata?.namespace;
  return typeof ns === 'string' ? ns : undefined;
}

/** The peers of a rule (`from` for ingress, `to` for egress) with their reach. */
export function rulePeers(rule: any, peersField: 'from' | 'to', namespace: string | undefined): PeerReach[] {
  return (Array.isArray(rule?.[peersField]) ? rule[peersField] : []).map((p: any) => peerReach(p, namespace));
}

/** Namespaces that hold cluster DNS (CoreDNS / kube-dns). */
export const DNS_NAMESPACES = ['kube-system'];

/**
 * True if an egress rule is DNS only: every port exactly 53 over UDP or TCP (no `endPort` beyond 53, no named port)
 * and every peer in the DNS namespace (a namespaceSelector pinned to kube-system by `kubernetes.io/metadata.name`).
 */
export function isDnsOnlyRule(rule: any, namespace: string | undefined): boolean {
  return isDnsPortsOnly(rule?.ports) && peersOnlyIn(rulePeers(rule, 'to', namespace), DNS_NAMESPACES);
}

/** A peer that selects every pod of every namespace. */
export interface EveryonePeer {
  readonly path: string;
  readonly why: string;
}

/** The peers of these rules that select every pod of every namespace. */
export function everyonePeers(rules: PolicyRuleRef[], peersField: 'from' | 'to', namespace: string | undefined): EveryonePeer[] {
  return rules.flatMap(({ rule, path }) => rulePeers(rule, peersField, namespace)
    .map((p, i) => ({ p, path: `${path}.${peersField}[${i}]` }))
    .filter(x => x.p.everyone)
    .map(x => ({ path: x.path, why: x.p.why ?? 'selects every pod in every namespace' })));
}

/** An ipBlock peer whose addresses, alone or with the policy's other ipBlocks of the same direction, reach anywhere. */
export interface BroadIpBlock {
  /** Path of the peer's `ipBlock.cidr`. */
  readonly path: string;
  readonly cidr: string;
  /** True when the other ipBlocks are needed to make it anywhere. */
  readonly combined: boolean;
  /** Message tail: empty for a literal 0.0.0.0/0 or ::/0, else why it counts as anywhere. */
  readonly reason: string;
}

/**
 * The ipBlock peers of these rules (`from` for ingress, `to` for egress) that admit "anywhere": the exact union of the
 * ipBlocks (each cidr minus its except) reaches more public space than the threshold (netreach/address-set.ts), and
 * the peer contributes to it.
 */
export function broadIpBlocks(rules: PolicyRuleRef[], peersField: 'from' | 'to'): BroadIpBlock[] {
  const peers: { path: string; cidr: any; except: any }[] = [];
  for (const { rule, path } of rules) {
    (Array.isArray(rule[peersField]) ? rule[peersField] : []).forEach((peer: any, i: number) => {
      if (peer?.ipBlock) peers.push({ path: `${path}.${peersField}[${i}].ipBlock.cidr`, cidr: peer.ipBlock.cidr, except: peer.ipBlock.except });
    });
  }
  const group = peers.map(p => ({ addresses: ipBlockSet(p.cidr, p.except) }));
  const all = union(...group.flatMap(g => (g.addresses ? [g.addresses] : [])));
  return anywhereSources(group, all, 'with the policy\'s other ipBlocks', i => isLiteralAll(peers[i].cidr, peers[i].except))
    .map(s => ({ path: peers[s.index].path, cidr: String(peers[s.index].cidr), combined: !s.alone, reason: s.reason }));
}
