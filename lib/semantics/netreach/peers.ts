import { AddressSet, ipBlockSet } from './address-set';
import { matchesEveryNamespace, matchesEveryPod, namespaceNames, NAMESPACE_NAME_LABEL, parseSelector, selectorText } from './selector';

/**
 * NetworkPolicy peers (networking.k8s.io/v1 NetworkPolicyPeer) as what they admit:
 * - `ipBlock`: its address set (cidr minus except);
 * - `namespaceSelector` (+ optional `podSelector`): the pods selected in every namespace the namespace selector matches;
 * - `podSelector` alone: pods of the policy's own namespace.
 * A peer "is everyone" when its namespace selector matches every namespace (see selector.ts) and its pod selector, if
 * any, every pod: the whole cluster, plus every namespace created later.
 */

/** What one peer admits. */
export interface PeerReach {
  /** The ipBlock's addresses (undefined for selector peers, and for an ipBlock whose cidr is invalid). */
  readonly addresses?: AddressSet;
  /** True for an ipBlock peer. */
  readonly ipBlock: boolean;
  /** True when it selects every pod of every namespace. */
  readonly everyone: boolean;
  /** Why it is everyone, e.g. `namespaceSelector {kubernetes.io/metadata.name Exists} matches every namespace`. */
  readonly why?: string;
  /**
   * The namespaces its pods can be in, by name, or undefined when unbounded. A podSelector-only peer is in the
   * policy's namespace (undefined when the policy has none).
   */
  readonly namespaces?: ReadonlySet<string>;
}

/** Evaluate one peer of a policy in `policyNamespace`. */
export function peerReach(peer: any, policyNamespace?: string): PeerReach {
  if (peer?.ipBlock !== undefined && peer?.ipBlock !== null) {
    return { ipBlock: true, everyone: false, addresses: ipBlockSet(peer.ipBlock?.cidr, peer.ipBlock?.except), namespaces: new Set() };
  }
  const ns = parseSelector(peer?.namespaceSelector);
  const pods = parseSelector(peer?.podSelector);
  if (!ns) {
    // podSelector only (or an empty peer, which the API server rejects): the policy's namespace.
    return { ipBlock: false, everyone: false, namespaces: typeof policyNamespace === 'string' ? new Set([policyNamespace]) : undefined };
  }
  const everyNs = matchesEveryNamespace(ns);
  const everyPod = pods === undefined || matchesEveryPod(pods);
  const everyone = everyNs && everyPod;
  const why = everyone
    ? `namespaceSelector ${selectorText(ns)} matches every namespace${ns.requirements.some(r => r.key === NAMESPACE_NAME_LABEL) ? ` (every namespace has ${NAMESPACE_NAME_LABEL})` : ''}` +
      (pods === undefined ? '' : ` and podSelector ${selectorText(pods)} every pod`)
    : undefined;
  return { ipBlock: false, everyone, why, namespaces: namespaceNames(ns) };
}

/** Whether every peer of a list can only be in the given namespaces (by name). */
export function peersOnlyIn(peers: readonly PeerReach[], allowed: readonly string[]): boolean {
  return peers.length > 0 && peers.every(p => !p.ipBlock && p.namespaces !== undefined && [...p.namespaces].every(n => allowed.includes(n)));
}
