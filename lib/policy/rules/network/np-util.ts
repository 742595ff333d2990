import { ObjectMemo } from '../../../kube/cache';
import { objectsIn, namespaceOf } from '../../../kube/manifest';
import { AddressSet, ipBlockSet, isAnywhere, isDnsPortsOnly, jointlySatisfiable, parseSelector, PeerReach, peerReach, peersOnlyIn, publicReach, Selector, SelectorConjunction, union } from '../../../semantics/netreach';
import { RuleContext } from '../../types';
import { anywhereSources, isLiteralAll } from './cidr-util';

/** A NetworkPolicy rule (ingress or egress entry) with its path. */
export interface PolicyRuleRef {
  readonly rule: any;
  readonly path: string;
}

/** A rule with its path, built when read (most rules pass: their paths are never read). */
class RuleRef implements PolicyRuleRef {
  constructor(public readonly rule: any, private readonly direction: string, private readonly index: number) {}

  public get path(): string {
    return `spec.${this.direction}[${this.index}]`;
  }
}

export function policyRules(obj: any, direction: 'ingress' | 'egress'): PolicyRuleRef[] {
  const list = obj?.spec?.[direction];
  if (!Array.isArray(list)) return [];
  const refs: PolicyRuleRef[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) refs[i] = new RuleRef(list[i] ?? {}, direction, i);
  return refs;
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

/**
 * The peers of these rules that select every pod of every namespace. Only a peer with a namespaceSelector and no
 * ipBlock can (peers.ts: an ipBlock is addresses, a podSelector alone is the policy's namespace), so only those are
 * evaluated, and a path is built only for a peer found.
 */
export function everyonePeers(rules: PolicyRuleRef[], peersField: 'from' | 'to', namespace: string | undefined): EveryonePeer[] {
  let found: EveryonePeer[] | undefined;
  for (const r of rules) {
    const peers = r.rule?.[peersField];
    if (!Array.isArray(peers)) continue;
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[i];
      if (peer?.namespaceSelector === undefined || peer?.namespaceSelector === null) continue;
      if (peer?.ipBlock !== undefined && peer?.ipBlock !== null) continue;
      const p = peerReach(peer, namespace);
      if (p.everyone) (found ??= []).push({ path: `${r.path}.${peersField}[${i}]`, why: p.why ?? 'selects every pod in every namespace' });
    }
  }
  return found ?? [];
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

/**
 * The ipBlock peers of the rules of one direction that `keep` keeps (called on every rule, in order; reading a rule's
 * peers cannot throw, so a `keep` that throws throws as when every rule was filtered first). Most policies have none:
 * no path string is built for them.
 */
function ipBlockPeers(obj: any, direction: 'ingress' | 'egress', keep: (rule: any, namespace: string | undefined) => boolean): IpBlockPeer[] {
  const list = obj?.spec?.[direction];
  if (!Array.isArray(list)) return [];
  const peersField = direction === 'ingress' ? 'from' : 'to';
  const namespace = policyNamespace(obj);
  let peers: IpBlockPeer[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const rule = list[i] ?? {};
    if (!keep(rule, namespace)) continue;
    const from = rule[peersField];
    if (!Array.isArray(from)) continue;
    for (let j = 0; j < from.length; j++) {
      const peer = from[j];
      if (peer?.ipBlock) (peers ??= []).push({ path: `spec.${direction}[${i}].${peersField}[${j}].ipBlock.cidr`, cidr: peer.ipBlock.cidr, except: peer.ipBlock.except });
    }
  }
  return peers ?? [];
}

/** The pod selector of a policy (absent: every pod of its namespace). */
function podSelectorOf(obj: any): Selector {
  return parseSelector(obj?.spec?.podSelector) ?? { requirements: [], problems: [] };
}

/** One policy's ipBlocks of one direction, parsed once per evaluation. */
interface PolicyIpBlocks {
  readonly obj: any;
  readonly name: string;
  readonly selector: Selector;
  /** The selector can select some pod at all. */
  readonly satisfiable: boolean;
  /** The selector's requirements as text (equal selectors, equal signatures). */
  readonly signature: string;
  readonly peers: IpBlockPeer[];
  readonly sets: (AddressSet | undefined)[];
  /** Union of its valid ipBlocks. */
  readonly set: AddressSet;
}

function policyIpBlocks(obj: any, direction: 'ingress' | 'egress', keep: (rule: any, namespace: string | undefined) => boolean): PolicyIpBlocks {
  const peers = ipBlockPeers(obj, direction, keep);
  return policyIpBlocksOf(obj, String(obj?.metadata?.name), peers);
}

function policyIpBlocksOf(obj: any, name: string, peers: IpBlockPeer[]): PolicyIpBlocks {
  const sets = peers.map(p => ipBlockSet(p.cidr, p.except));
  const selector = podSelectorOf(obj);
  return {
    obj, name, selector, satisfiable: jointlySatisfiable([selector]), peers, sets,
    signature: JSON.stringify(selector.requirements),
    set: union(...sets.flatMap(x => (x ? [x] : []))),
  };
}

/** Per evaluated set: the policies with ipBlocks of each namespace and direction, and their union. */
const NAMESPACE_CACHE = new ObjectMemo<readonly any[], Map<string, {
  policies: PolicyIpBlocks[]; members: Set<any>; all: AddressSet; unions: Map<string, { members: PolicyIpBlocks[]; total: AddressSet }>;
  allSelectSamePod: boolean; pairs: Map<string, boolean>; uniqueNames: boolean;
}>>();

function namespacePolicies(ctx: RuleContext, namespace: string, direction: 'ingress' | 'egress', tag: string, keep: (rule: any, namespace: string | undefined) => boolean) {
  let byKey = NAMESPACE_CACHE.get(ctx.objects);
  if (!byKey) { byKey = new Map(); NAMESPACE_CACHE.set(ctx.objects, byKey); }
  const key = `${tag}\u0000${direction}\u0000${namespace}`;
  let entry = byKey.get(key);
  if (!entry) {
    const policies = objectsIn(ctx.objects, 'NetworkPolicy', namespace).map(o => policyIpBlocks(o, direction, keep)).filter(p => p.peers.length > 0);
    entry = {
      policies, members: new Set(policies.map(p => p.obj)), all: union(...policies.map(p => p.set)), unions: new Map(),
      allSelectSamePod: jointlySatisfiable(policies.map(p => p.selector)), pairs: new Map<string, boolean>(),
      uniqueNames: new Set(policies.map(p => p.name)).size === policies.length,
    };
    byKey.set(key, entry);
  }
  return entry;
}

/** Whether two policies can select one pod (fast path for selectors without requirements, e.g. `podSelector: {}`). */
function samePods(a: PolicyIpBlocks, b: PolicyIpBlocks, cache: Map<string, boolean>): boolean {
  if (a.selector.requirements.length === 0) return b.satisfiable;
  if (b.selector.requirements.length === 0) return a.satisfiable;
  const key = a.signature < b.signature ? `${a.signature}\u0001${b.signature}` : `${b.signature}\u0001${a.signature}`;
  let answer = cache.get(key);
  if (answer === undefined) { answer = jointlySatisfiable([a.selector, b.selector]); cache.set(key, answer); }
  return answer;
}

/**
 * The ipBlock peers of a policy's rules of one direction that admit "anywhere": the exact union of the ipBlocks (each
 * cidr minus its except) that apply to one pod reaches more public space than the threshold (netreach/address-set.ts),
 * and the peer contributes to it. NetworkPolicies are additive, so the ipBlocks of the other policies of the evaluated
 * set (`ctx.objects`) in the same namespace whose podSelector can select the same pod count too: all of them at once
 * when one pod can be selected by all, else each one with this policy. `keep` filters the rules judged (e.g. DNS-only
 * egress rules are left out); `tag` names that filter for the per-evaluation cache.
 */
export function broadIpBlocks(obj: any, direction: 'ingress' | 'egress', ctx?: RuleContext, tag = 'all',
  keep: (rule: any, namespace: string | undefined) => boolean = () => true): BroadIpBlock[] {
  // A policy without ipBlock peers (most) is decided before its selector is parsed or its namespace is looked at.
  const peers = ipBlockPeers(obj, direction, keep);
  const name = String(obj?.metadata?.name);
  if (peers.length === 0) return [];
  const mine = policyIpBlocksOf(obj, name, peers);
  const ownSources = mine.sets.map(addresses => ({ addresses }));
  const literal = (i: number) => isLiteralAll(mine.peers[i].cidr, mine.peers[i].except);
  const report = (found: Map<number, BroadIpBlock>, total: AddressSet, together: string) => {
    for (const s of anywhereSources(ownSources, total, together, literal)) {
      if (found.has(s.index)) continue;
      const p = mine.peers[s.index];
      found.set(s.index, { path: p.path, cidr: String(p.cidr), combined: !s.alone, reason: s.reason });
    }
  };
  const found = new Map<number, BroadIpBlock>();
  report(found, mine.set, 'with the policy\'s other ipBlocks');
  if (ctx) {
    const ns = namespacePolicies(ctx, namespaceOf(obj), direction, tag, keep);
    // Monotone: if everything in the namespace together is not anywhere, no combination is.
    // The policy is normally one of the evaluated set: then the namespace's union already holds its ipBlocks.
    const everything = ns.members.has(obj) ? ns.all : union(ns.all, mine.set);
    if (isAnywhere(everything)) {
      // Common case, decided once per namespace: one pod can be selected by every policy of the namespace (then the
      // namespace's union is the answer for each of them: no per-policy pass over the others).
      if (ns.members.has(obj) && ns.allSelectSamePod && ns.uniqueNames && ns.policies.length > 1) {
        const names: string[] = [];
        for (const o of ns.policies) { if (names.length === 4) break; if (o.obj !== obj) names.push(`"${o.name}"`); }
        const more = ns.policies.length - 1 - 3;
        report(found, everything, `with the ipBlocks of NetworkPolicy ${more > 0 ? `${names.slice(0, 3).join(', ')} and ${more} more` : names.join(', ')} (selecting the same pods)`);
        return sorted(found);
      }
      if (!mine.satisfiable) return sorted(found); // its podSelector selects no pod
      // Which policies can select a pod with this one depends only on the selectors: policies with the same selector
      // share one member list, one joint decision and one union (e.g. each of two disjoint groups of policies).
      const member = ns.members.has(obj);
      const key = member ? mine.signature : undefined;
      let joint = key === undefined ? undefined : ns.unions.get(key);
      if (!joint) {
        const compatible = ns.policies.filter(o => (member && o.signature === mine.signature) || samePods(mine, o, ns.pairs));
        let members = compatible;
        if (!jointlySatisfiable([mine.selector, ...compatible.map(o => o.selector)])) {
          // No pod is selected by all of them: grow one group that a pod can share, widest selectors' ipBlocks first
          // (an under-approximation of the widest pod: what it reports is real).
          const bySignature = new Map<string, PolicyIpBlocks[]>();
          for (const o of compatible) { const l = bySignature.get(o.signature); if (l) l.push(o); else bySignature.set(o.signature, [o]); }
          const reach = (l: PolicyIpBlocks[]) => { const r = publicReach(union(...l.map(o => o.set))); return r.v4 + (r.v6 >> BigInt(88)); };
          const order = [...bySignature.values()].map(l => ({ l, r: reach(l) })).sort((x, y) => (y.r > x.r ? 1 : y.r < x.r ? -1 : 0));
          const conjunction = new SelectorConjunction();
          conjunction.tryAdd(mine.selector);
          members = order.filter(({ l }) => conjunction.tryAdd(l[0].selector)).flatMap(({ l }) => l);
        }
        joint = { members, total: union(mine.set, ...members.map(g => g.set)) };
        if (key !== undefined) ns.unions.set(key, joint);
      }
      const others = joint.members.filter(o => o.obj !== obj && o.name !== mine.name);
      if (others.length > 0) {
        const group = others;
        const total = joint.total;
        const names = group.length > 3 ? `${group.slice(0, 3).map(g => `"${g.name}"`).join(', ')} and ${group.length - 3} more` : group.map(g => `"${g.name}"`).join(', ');
        report(found, total, `with the ipBlocks of NetworkPolicy ${names} (selecting the same pods)`);
      }
    }
  }
  return sorted(found);
}

function sorted(found: Map<number, BroadIpBlock>): BroadIpBlock[] {
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
}
