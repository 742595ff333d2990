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

export const ANY_CIDRS = ['0.0.0.0/0', '::/0'];
