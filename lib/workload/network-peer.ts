import { IConstruct } from 'constructs';
import { DNS1123, isLabelKey, isLabelValue, isRecord } from '../kube/k8s-syntax';
import { assertRule, fail } from '../policy/construct-check';
import { cidrProblem, parseCidr } from '../semantics/netreach';

/**
 * Something whose pods can be named as a network peer (HardenedDeployment implements it).
 */
export interface IWorkloadPeer {
  /** Labels that select the workload's pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Namespace of the workload's pods. @default - the namespace of the policy that references it */
  readonly namespace?: string;
}

/** Kinds of NetworkPeer. */
enum PeerKind { PODS, NAMESPACE, IP_BLOCK }

/**
 * A named peer in a NetworkPolicy rule. There is no "anything" peer: every allowance names who.
 */
export class NetworkPeer {
  /** The pods of another workload (a HardenedDeployment or anything exposing selector labels). */
  public static workload(workload: IWorkloadPeer): NetworkPeer {
    return new NetworkPeer(PeerKind.PODS, { ...workload?.selectorLabels }, workload?.namespace);
  }

  /**
   * Pods with these labels.
   * @param namespace namespace of the pods; default: the namespace of the policy
   */
  public static pods(labels: { [key: string]: string }, namespace?: string): NetworkPeer {
    return new NetworkPeer(PeerKind.PODS, isRecord(labels) ? { ...labels } as { [key: string]: string } : labels, namespace);
  }

  /** Every pod of a namespace (matched by its kubernetes.io/metadata.name label). */
  public static namespace(name: string): NetworkPeer {
    return new NetworkPeer(PeerKind.NAMESPACE, {}, name);
  }

  /**
   * An IP range outside the cluster (e.g. a database subnet). For ingress, "anywhere" is refused however it is
   * spelled: the exact set (cidr minus except), alone or with the workload's other ingress peers, may not reach more
   * than a /8 worth of public IPv4 or a /16 worth of public IPv6 (`network-policy-ipblock-any`; `0.0.0.0/0` minus
   * holes, halves, several /8s and IPv4-mapped `::ffff:0:0/96` included). The `except` list is copied: changing the
   * array afterwards changes nothing.
   * @param except sub-ranges to exclude
   */
  public static ipBlock(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer(PeerKind.IP_BLOCK, {}, undefined, cidr, Array.isArray(except) ? Object.freeze([...except]) as string[] : except);
  }

  /**
   * Judge the ingress peers of one policy together, through the catalogue rules `network-policy-allow-all-ingress` and
   * `network-policy-ipblock-any` on the NetworkPolicy they render to: ranges that each pass may reach anywhere together.
   * Throws a HardeningError naming the rule.
   * @internal
   */
  public static _assertIngress(scope: IConstruct, field: string, peers: NetworkPeer[], policyNamespace: string | undefined): void {
    const rendered = peers.map(p => p._render(scope, field, policyNamespace, true));
    const candidate = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'candidate', ...(policyNamespace ? { namespace: policyNamespace } : {}) },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: rendered.map(from => ({ from: [from] })) },
    };
    const value = peers[peers.length - 1]?.describe();
    assertRule(scope, 'network-policy-allow-all-ingress', candidate, field, value);
    assertRule(scope, 'network-policy-ipblock-any', candidate, field, value);
  }

  private constructor(
    private readonly kind: PeerKind,
    private readonly labels: { [key: string]: string },
    private readonly ns?: string,
    private readonly cidr?: string,
    private readonly except?: string[],
  ) {
    if (isRecord(labels)) Object.freeze(labels);
    Object.freeze(this);
  }

  /** A short human description (for errors and docs). */
  public describe(): string {
    switch (this.kind) {
      case PeerKind.PODS: return `pods ${JSON.stringify(this.labels)}${this.ns ? ` in ${this.ns}` : ''}`;
      case PeerKind.NAMESPACE: return `namespace ${this.ns}`;
      default: return `ipBlock ${this.cidr}`;
    }
  }

  /**
   * The NetworkPolicyPeer JSON, as seen from a policy in `policyNamespace`.
   * @internal
   */
  public _render(scope: IConstruct, field: string, policyNamespace: string | undefined, ingress: boolean): any {
    const ruleId = ingress ? 'network-policy-allow-all-ingress' : 'network-policy-allow-all-egress';
    if (this.kind !== PeerKind.IP_BLOCK && this.ns !== undefined && (typeof this.ns !== 'string' || !DNS1123.test(this.ns))) {
      fail(scope, ruleId, field, this.ns, 'is not a namespace name (a DNS-1123 label).', 'name the peer namespace exactly, e.g. "ingress-nginx".');
    }
    switch (this.kind) {
      case PeerKind.PODS: {
        if (!isRecord(this.labels) || Object.keys(this.labels).length === 0) {
          fail(scope, 'network-policy-allow-all-ingress', field, this.labels, 'a pod peer needs at least one label; an empty selector means every pod.',
            'name the peer by its labels, e.g. NetworkPeer.workload(api).');
        }
        if (Object.entries(this.labels).some(([k, v]) => !isLabelKey(k) || !isLabelValue(v))) {
          fail(scope, ruleId, field, this.labels, 'has a label key or value that is not valid Kubernetes label syntax.',
            'use labels such as { "app.kubernetes.io/name": "api" }.');
        }
        const podSelector = { matchLabels: { ...this.labels } };
        if (this.ns && this.ns !== policyNamespace) {
          return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.ns } }, podSelector };
        }
        return { podSelector };
      }
      case PeerKind.NAMESPACE:
        if (this.ns === undefined) fail(scope, ruleId, field, this.ns, 'names no namespace.', 'pass the namespace name, e.g. NetworkPeer.namespace("ingress-nginx").');
        return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.ns } } };
      default: {
        const cidr = this.cidr ?? '';
        const problem = cidrProblem(cidr);
        if (problem) fail(scope, 'network-policy-ipblock-any', field, cidr, `is not a CIDR: ${problem}`, 'give a CIDR such as 10.20.0.0/16.');
        if (this.except !== undefined && (!Array.isArray(this.except) || this.except.some(c => cidrProblem(c) !== undefined))) {
          fail(scope, 'network-policy-ipblock-any', `${field}.except`, this.except, 'must be a list of CIDRs.', 'give sub-ranges such as ["10.20.1.0/24"].');
        }
        const outer = parseCidr(cidr)!;
        for (const e of this.except ?? []) {
          const inner = parseCidr(e)!;
          if (inner.family !== outer.family || inner.prefix <= outer.prefix || inner.start < outer.start || inner.end > outer.end) {
            fail(scope, 'network-policy-ipblock-any', `${field}.except`, e, `is not a strict sub-range of ${cidr} (the API server rejects it).`, 'list only ranges inside the CIDR, e.g. ["10.20.1.0/24"] for 10.20.0.0/16.');
          }
        }
        const rendered = { ipBlock: { cidr, ...(this.except && this.except.length > 0 ? { except: [...this.except] } : {}) } };
        if (ingress) {
          const candidate = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'candidate' }, spec: { podSelector: {}, ingress: [{ from: [rendered] }] } };
          assertRule(scope, 'network-policy-ipblock-any', candidate, field, cidr);
        }
        return rendered;
      }
    }
  }
}
