import { anywhereReason, broadSources } from './cidr-util';

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

function emptySelector(sel: any): boolean {
  return sel !== undefined && sel !== null && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/**
 * True if a peer matches every pod in every namespace: an empty namespaceSelector with no or an empty podSelector.
 * (`podSelector: {}` alone means every pod of the policy's own namespace, which is not "all".)
 */
export function peerIsEveryone(peer: any): boolean {
  if (!peer || peer.ipBlock) return false;
  return emptySelector(peer.namespaceSelector) && (peer.podSelector === undefined || emptySelector(peer.podSelector));
}

/** An ipBlock peer whose addresses, alone or with the policy's other ipBlocks of the same direction, count as "any". */
export interface BroadIpBlock {
  /** Path of the peer's `ipBlock.cidr`. */
  readonly path: string;
  readonly cidr: string;
  /** The broad block: the peer's own when it is broad alone, else the one the peers cover together (e.g. `2.0.0.0/7`). */
  readonly block: string;
  /** True when the other ipBlocks are needed to make it broad. */
  readonly combined: boolean;
}

/**
 * The ipBlock peers of these rules (`from` for ingress, `to` for egress) that admit "any" address: see cidr-util for the
 * threshold (a public block broader than /8 or /16, alone or together; `except` ranges narrow a peer).
 */
export function broadIpBlocks(rules: PolicyRuleRef[], peersField: 'from' | 'to'): BroadIpBlock[] {
  const peers: { path: string; cidr: any; except: any }[] = [];
  for (const { rule, path } of rules) {
    (Array.isArray(rule[peersField]) ? rule[peersField] : []).forEach((peer: any, i: number) => {
      if (peer?.ipBlock) peers.push({ path: `${path}.${peersField}[${i}].ipBlock.cidr`, cidr: peer.ipBlock.cidr, except: peer.ipBlock.except });
    });
  }
  const broad = broadSources(peers);
  return peers.flatMap((p, i) => {
    if (!broad.has(i)) return [];
    const alone = broadSources([p]).get(0);
    return [{ path: p.path, cidr: String(p.cidr), block: alone ?? broad.get(i)!, combined: alone === undefined }];
  });
}

/** The message tail for a broad ipBlock: empty for a literal /0, else why it counts as "any". */
export function broadReason(b: BroadIpBlock): string {
  return anywhereReason(b.cidr, b.block, b.combined ? 'with the policy\'s other ipBlocks' : undefined);
}
