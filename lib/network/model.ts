/**
 * What a zone of the communication matrix is, and so how it is rendered.
 */
export enum ZoneKind {
  /** Machines behind an AWS security group (control plane, etcd, nodes, load balancer). */
  HOSTS = 'hosts',
  /** A fixed address range outside the matrix (admins' VPN, a partner). */
  CIDR = 'cidr',
  /** Pods selected by labels in a namespace (rendered as NetworkPolicies). */
  PODS = 'pods',
}

/** Options of a hosts zone. */
export interface HostsZoneOptions {
  /**
   * Address range of the hosts, used when a pod-level flow targets or leaves this zone (NetworkPolicy ipBlock).
   * @default - none: pod flows to or from this zone are refused
   */
  readonly cidr?: string;
  /**
   * What the zone is. Every security group rule names its purpose, so reviewers can audit the matrix.
   * @default - the zone name
   */
  readonly description?: string;
}

/** Options of a pods zone. */
export interface PodsZoneOptions {
  /**
   * Whether the matrix owns the zone's namespace. An owned namespace gets the matrix's default deny (Ingress + Egress),
   * DNS egress and, for each flow, the policy of its side. A namespace the matrix does not own (e.g. `monitoring`, run by
   * another team or chart) gets nothing: the zone is only a peer, admitted by the ingress policy of an owned destination
   * or reached by the egress policy of an owned source; its own side of the flow is left to its namespace's owner.
   *
   * Why: a default deny written into a namespace the matrix does not fully describe cuts its workloads off from everything
   * the matrix does not list (for Prometheus: API discovery, every other scrape target, Alertmanager, Grafana), and a
   * matrix that tries to list it all ends up owning another team's policy. Declare such peers with `false`.
   *
   * A namespace is either owned or not: pods zones of one namespace must agree. A flow between two pods zones must have
   * at least one owned end (otherwise nothing would enforce it).
   * @default true
   */
  readonly manageNamespace?: boolean;
}

/**
 * A zone of the communication matrix.
 */
export class Zone {
  /** Machines behind a security group. */
  public static hosts(name: string, options: HostsZoneOptions = {}): Zone {
    return new Zone(name, ZoneKind.HOSTS, options.description ?? name, options.cidr);
  }

  /**
   * A fixed CIDR (IPv4 or IPv6), written as network/prefix: e.g. `192.0.2.0/24`, `2001:db8::/32`, one host as `/32` or
   * `/128`. Octets 0-255, prefix 0-32 (IPv4) or 0-128 (IPv6), no host bits: checked when the zone is added to a matrix.
   */
  public static cidr(name: string, cidr: string, description?: string): Zone {
    return new Zone(name, ZoneKind.CIDR, description ?? name, cidr);
  }

  /**
   * Pods of a namespace, optionally narrowed by labels. The namespace must be a DNS-1123 label and the labels valid
   * Kubernetes label keys and values: checked when the zone is added to a matrix. By default the matrix owns the
   * namespace (default deny included): for a peer in a namespace it does not own, pass `{ manageNamespace: false }`.
   * @param labels default: every pod of the namespace
   */
  public static pods(name: string, namespace: string, labels?: { [key: string]: string }, options: PodsZoneOptions = {}): Zone {
    const manage = options.manageNamespace ?? true;
    const copy = copyLabels(labels ?? {});
    return new Zone(name, ZoneKind.PODS, `pods ${namespace}${labels ? ` ${JSON.stringify(copy)}` : ''}${manage ? '' : ' (namespace not managed by the matrix: peer only)'}`,
      undefined, namespace, copy, manage);
  }

  /**
   * A frozen copy of a zone, each field read once: what a FirewallMatrix validates and keeps, so neither the caller's
   * objects nor getters can change a zone after validation.
   * @internal
   */
  public static _snapshot(zone: Zone): Zone {
    const z: any = zone ?? {};
    const labels = z.labels;
    return new Zone(z.name, z.kind, z.description, z.cidrBlock, z.namespace, labels === undefined ? undefined : copyLabels(labels), z.manageNamespace ?? true);
  }

  private constructor(
    /** Unique name of the zone in its matrix. */
    public readonly name: string,
    /** Kind of zone. */
    public readonly kind: ZoneKind,
    /** Human description. */
    public readonly description: string,
    /** Address range, for CIDR zones and hosts zones that declare one. */
    public readonly cidrBlock?: string,
    /** Namespace of a pods zone. */
    public readonly namespace?: string,
    /** Labels of a pods zone. */
    public readonly labels?: { [key: string]: string },
    /**
     * For a pods zone: whether the matrix owns its namespace (default deny, DNS, the zone's side of each flow); false
     * only for pods zones declared with `manageNamespace: false`. Hosts and CIDR zones have no namespace (true).
     */
    public readonly manageNamespace: boolean = true,
  ) {
    Object.freeze(this);
  }
}

/** A frozen copy of a labels map (anything else is returned as is, for validation to report). */
function copyLabels(labels: any): any {
  return labels !== null && typeof labels === 'object' && !Array.isArray(labels) ? Object.freeze({ ...labels }) : labels;
}

/** Transport protocol of a flow. */
export enum FlowProtocol {
  /** Transmission Control Protocol. */
  TCP = 'TCP',
  /** User Datagram Protocol. */
  UDP = 'UDP',
}

/**
 * A port or port range of a flow. There is no "all ports".
 */
export class FlowPort {
  /** One TCP port. */
  public static tcp(port: number): FlowPort { return new FlowPort(FlowProtocol.TCP, port, port); }
  /** A TCP port range (inclusive). */
  public static tcpRange(from: number, to: number): FlowPort { return new FlowPort(FlowProtocol.TCP, from, to); }
  /** One UDP port. */
  public static udp(port: number): FlowPort { return new FlowPort(FlowProtocol.UDP, port, port); }
  /** A UDP port range (inclusive). */
  public static udpRange(from: number, to: number): FlowPort { return new FlowPort(FlowProtocol.UDP, from, to); }

  /**
   * A frozen copy of a port, each field read once (see Zone._snapshot).
   * @internal
   */
  public static _snapshot(port: FlowPort): FlowPort {
    const p: any = port ?? {};
    return new FlowPort(p.protocol, p.fromPort, p.toPort);
  }

  private constructor(
    /** Transport protocol. */
    public readonly protocol: FlowProtocol,
    /** First port of the range. */
    public readonly fromPort: number,
    /** Last port of the range (equal to fromPort for one port). */
    public readonly toPort: number,
  ) {
    Object.freeze(this);
  }

  /** e.g. `TCP 6443` or `TCP 2379-2380`. */
  public toString(): string {
    return `${this.protocol} ${this.fromPort === this.toPort ? this.fromPort : `${this.fromPort}-${this.toPort}`}`;
  }
}

/**
 * One allowed flow: `from` may open connections to `to` on `port`.
 */
export interface Flow {
  /** Name of the source zone. */
  readonly from: string;
  /** Name of the destination zone. */
  readonly to: string;
  /** Protocol and port(s). */
  readonly port: FlowPort;
  /** Why the flow exists (becomes the security group rule description). */
  readonly purpose: string;
}
