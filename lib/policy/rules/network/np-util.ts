import { objectsIn, namespaceOf } from '../../manifest';
import { ipBlockSet, isDnsPortsOnly, jointlySatisfiable, parseSelector, PeerReach, peerReach, peersOnlyIn, Selector, union } from '../../netreach';
import { RuleContext } from '../../types';
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

/** An ipBlock peer whose addresses, alone or with the other ipBlocks that apply to the same pods, reach anywhere. */
export interface BroadIpBlock {
  /** Path of the peer's `ipBlock.cidr`. */
  readonly path: string;
  readonly cidr: string;
  /** True when other ipBlocks are needed to make it anywhere. */
  readonly combined: boolean;
  /** Message tail: empty for a literal 0.0.0.0/0 or ::/0, else why it counts as anywhere. */
  readonly reason: string;
}

interface IpBlockPeer { readonly path: string; readonly cidr: any; readonly except: any }

function ipBlockPeers(rules: PolicyRuleRef[], peersField: 'from' | 'to'): IpBlockPeer[] {
  const peers: IpBlockPeer[] = [];
  for (const { rule, path } of rules) {
    (Array.isArray(rule[peersField]) ? rule[peersField] : []).forEach((peer: any, i: number) => {
      if (peer?.ipBlock) peers.push({ path: `${path}.${peersField}[${i}].ipBlock.cidr`, cidr: peer.ipBlock.cidr, except: peer.ipBlock.except });
    });
  }
  return peers;
}

/** The pod selector of a policy (absent: every pod of its namespace). */
function podSelectorOf(obj: any): Selector {
  return parseSelector(obj?.spec?.podSelector) ?? { requirements: [], problems: [] };
}

/**
 * The ipBlock peers of a policy's rules of one direction that admit "anywhere": the exact union of the ipBlocks (each
 * cidr minus its except) that apply to one pod reaches more public space than the threshold (netreach/address-set.ts),
 * and the peer contributes to it. NetworkPolicies are additive, so the ipBlocks of the other policies of the evaluated
 * set (`ctx.objects`) in the same namespace whose podSelector can select the same pod count too: all of them at once
 * when one pod can be selected by all, else each one with this policy. `keep` filters the rules judged (e.g. DNS-only
 * egress rules are left out).
 */
export function broadIpBlocks(obj: any, direction: 'ingress' | 'egress', ctx?: RuleContext, keep: (rule: any, namespace: string | undefined) => boolean = () => true): BroadIpBlock[] {
  const peersField = direction === 'ingress' ? 'from' : 'to';
  const ipBlocksOf = (o: any) => ipBlockPeers(policyRules(o, direction).filter(r => keep(r.rule, policyNamespace(o))), peersField);
  const own = ipBlocksOf(obj);
  if (own.length === 0) return [];
  const mine = podSelectorOf(obj);
  const others = (ctx ? objectsIn(ctx.objects, 'NetworkPolicy', namespaceOf(obj)) : [])
    .filter(o => o !== obj && o?.metadata?.name !== obj?.metadata?.name)
    .map(o => ({ name: String(o?.metadata?.name), selector: podSelectorOf(o), peers: ipBlocksOf(o) }))
    .filter(o => o.peers.length > 0 && jointlySatisfiable([mine, o.selector]));
  const groups = others.length === 0 ? [[]] : jointlySatisfiable([mine, ...others.map(o => o.selector)]) ? [others] : others.map(o => [o]);
  const found = new Map<number, BroadIpBlock>();
  for (const group of groups) {
    const peers = [...own, ...group.flatMap(g => g.peers)];
    const sources = peers.map(p => ({ addresses: ipBlockSet(p.cidr, p.except) }));
    const all = union(...sources.flatMap(g => (g.addresses ? [g.addresses] : [])));
    const together = group.length === 0 ? 'with the policy\'s other ipBlocks'
      : `with the ipBlocks of NetworkPolicy ${group.map(g => `"${g.name}"`).join(', ')} (selecting the same pods)`;
    for (const s of anywhereSources(sources, all, together, i => isLiteralAll(peers[i].cidr, peers[i].except))) {
      if (s.index >= own.length || found.has(s.index)) continue;
      const p = own[s.index];
      found.set(s.index, { path: p.path, cidr: String(p.cidr), combined: !s.alone, reason: s.reason });
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
}
