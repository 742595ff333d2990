/**
 * Pod-level network reach for the threat model, computed with the NetworkPolicy evaluators of lib/semantics/netreach
 * (selector semantics, peer reach, address sets, port ranges) that the network rules use.
 *
 * For one pod (labels, namespace) and one direction:
 * - isolated: some NetworkPolicy of its namespace selects it and isolates that direction (policyTypes as the API server
 *   defaults them: Ingress always, Egress when the policy has an `egress` section);
 * - peers: what the isolating policies' rules admit (the union of their rules); a direction that is not isolated
 *   admits everyone.
 * Traffic from the pod's own node (kubelet probes, hostNetwork pods) is always allowed by NetworkPolicy semantics, and
 * NetworkPolicies do not apply to hostNetwork pods at all.
 */
import { namespaceOf } from '../kube/manifest';
import { effective, intersectRanges, isAnywhere, parseSelector, matches, peerReach, rulePorts, portRangeText, setOf, toCidrs } from '../semantics/netreach';

/** What one direction of a pod admits. */
export interface PeerSummary {
  /** everyone (not isolated or a peer selecting every pod), internet (an ipBlock reaching anywhere), namespaces, pods (own namespace), cidr. */
  readonly kind: 'everyone' | 'internet' | 'namespaces' | 'pods' | 'cidr';
  /** Human label, e.g. `namespace web`, `pods {app: web} in shop`, `10.0.0.0/8`. */
  readonly label: string;
  /** Namespaces by name (namespaces/pods peers), or undefined when unbounded. */
  readonly namespaces?: string[];
  /** The peer's pod selector (pods / namespaces peers). */
  readonly podSelector?: any;
  /** Ports, e.g. `TCP 8080` or `all ports`. */
  readonly ports: string;
  /** The NetworkPolicy that admits it (`namespace/name`), or `not isolated`. */
  readonly via: string;
  /** True when the peer includes the cloud instance metadata address (169.254.169.254 / fd00:ec2::254). */
  readonly metadata: boolean;
}

/** One direction of a pod. */
export interface DirectionReach {
  readonly isolated: boolean;
  /** NetworkPolicies (`namespace/name`) that select the pod and isolate this direction. */
  readonly policies: string[];
  readonly peers: PeerSummary[];
}

/** Both directions of a pod. */
export interface PodReach {
  readonly ingress: DirectionReach;
  readonly egress: DirectionReach;
  /** hostNetwork: NetworkPolicies do not apply; the pod is on the node's network. */
  readonly hostNetwork: boolean;
}

const METADATA = setOf(['169.254.169.254/32', 'fd00:ec2::254/128']);

function isolates(policy: any, direction: 'Ingress' | 'Egress'): boolean {
  const types = Array.isArray(policy?.spec?.policyTypes) ? policy.spec.policyTypes : ['Ingress', ...(policy?.spec?.egress !== undefined ? ['Egress'] : [])];
  return types.includes(direction);
}

function portsText(ports: unknown): string {
  if (!Array.isArray(ports) || ports.length === 0) return 'all ports';
  return rulePorts(ports).map(portRangeText).join(', ');
}

function selectsPod(policy: any, labels: { [k: string]: string }): boolean {
  const sel = parseSelector(policy?.spec?.podSelector ?? {});
  return sel !== undefined && matches(sel, labels);
}

/** The reach of a pod with these labels in a namespace, given every NetworkPolicy of the output. */
export function podReach(namespace: string, labels: { [k: string]: string }, policies: readonly any[], hostNetwork = false): PodReach {
  const mine = policies.filter(p => namespaceOf(p) === namespace && selectsPod(p, labels));
  const direction = (d: 'Ingress' | 'Egress'): DirectionReach => {
    const field = d === 'Ingress' ? 'ingress' : 'egress';
    const peersField = d === 'Ingress' ? 'from' : 'to';
    const isolating = mine.filter(p => isolates(p, d));
    if (hostNetwork || isolating.length === 0) {
      return { isolated: false, policies: [], peers: [{ kind: 'everyone', label: hostNetwork ? 'anything (hostNetwork: NetworkPolicies do not apply)' : 'anything (not isolated)', ports: 'all ports', via: 'not isolated', metadata: true }] };
    }
    const peers: PeerSummary[] = [];
    for (const p of isolating) {
      const via = `${namespaceOf(p)}/${p.metadata?.name}`;
      for (const rule of Array.isArray(p.spec?.[field]) ? p.spec[field] : []) {
        const ports = portsText(rule?.ports);
        const list = Array.isArray(rule?.[peersField]) ? rule[peersField] : [];
        if (list.length === 0) {
          peers.push({ kind: 'everyone', label: `anything (rule without ${peersField})`, ports, via, metadata: true });
          continue;
        }
        for (const peer of list) {
          const r = peerReach(peer, namespace);
          if (r.ipBlock) {
            const set = r.addresses;
            const cidrs = set ? toCidrs(set) : [String(peer?.ipBlock?.cidr)];
            const eff = set ? effective(set) : undefined;
            const metadata = eff ? intersectRanges(eff.v4, METADATA.v4).length > 0 || intersectRanges(eff.v6, METADATA.v6).length > 0 : true;
            const anywhere = set ? isAnywhere(set) : true;
            peers.push({ kind: anywhere ? 'internet' : 'cidr', label: anywhere ? `the internet (${peer.ipBlock.cidr}${peer.ipBlock.except ? ` except ${peer.ipBlock.except.join(', ')}` : ''})` : cidrs.join(', '), ports, via, metadata });
          } else if (r.everyone) {
            peers.push({ kind: 'everyone', label: `every pod of every namespace (${r.why ?? 'selector matches everything'})`, ports, via, metadata: false });
          } else if (peer?.namespaceSelector === undefined || peer?.namespaceSelector === null) {
            peers.push({ kind: 'pods', label: `pods ${JSON.stringify(peer?.podSelector?.matchLabels ?? peer?.podSelector ?? {})} in ${namespace}`, namespaces: [namespace], podSelector: peer?.podSelector ?? {}, ports, via, metadata: false });
          } else {
            const names = r.namespaces ? [...r.namespaces].sort() : undefined;
            const podSel = peer?.podSelector ? ` pods ${JSON.stringify(peer.podSelector.matchLabels ?? peer.podSelector)}` : '';
            peers.push({
              kind: 'namespaces', label: `${names ? `namespace ${names.join(', ')}` : `namespaces ${JSON.stringify(peer.namespaceSelector)}`}${podSel}`,
              namespaces: names, podSelector: peer?.podSelector, ports, via, metadata: false,
            });
          }
        }
      }
    }
    return { isolated: true, policies: isolating.map(p => `${namespaceOf(p)}/${p.metadata?.name}`).sort(), peers };
  };
  return { ingress: direction('Ingress'), egress: direction('Egress'), hostNetwork };
}

/** True when a NetworkPolicy is a default deny for a direction: every pod, the type listed, no rules. */
export function deniesAllByDefault(np: any, direction: 'Ingress' | 'Egress'): boolean {
  const sel = np?.spec?.podSelector;
  const empty = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
  if (!empty || !isolates(np, direction)) return false;
  const rules = np.spec?.[direction === 'Ingress' ? 'ingress' : 'egress'];
  return !Array.isArray(rules) || rules.length === 0;
}
