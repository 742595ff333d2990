/**
 * NetworkPolicy ports (networking.k8s.io/v1 NetworkPolicyPort) as the ranges they open, and port-range overlap for
 * firewall flows.
 *
 * A rule with no `ports` (or an empty list) opens every port of every protocol. An entry opens, for its `protocol`
 * (default TCP; UDP and SCTP too), every port from `port` to `endPort` (inclusive), one port without `endPort`, every
 * port without `port`, and a named port whatever number the destination pod gives that name (unknown here: it may be
 * any port). An `endPort` below `port`, on a named port or outside 1-65535 is rejected by the API server; it is read
 * here as the widest range it could mean.
 */

/** Ports a NetworkPolicy rule opens for one protocol. */
export interface PortRange {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  /** For a named port: its name (from-to is then 1-65535, any number it may resolve to). */
  readonly name?: string;
}

/** Every port. */
export const ALL_PORTS = { from: 1, to: 65535 } as const;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/** The port ranges a rule's `ports` open (every protocol, every port when absent or empty). */
export function rulePorts(ports: unknown): PortRange[] {
  if (!Array.isArray(ports) || ports.length === 0) return PROTOCOLS.map(protocol => ({ protocol, ...ALL_PORTS }));
  return ports.map((p: any): PortRange => {
    const protocol = p?.protocol === undefined || p?.protocol === null ? 'TCP' : String(p.protocol);
    const port = p?.port;
    if (port === undefined || port === null) return { protocol, ...ALL_PORTS };
    if (typeof port === 'string') return { protocol, ...ALL_PORTS, name: port };
    if (!isPort(port)) return { protocol, ...ALL_PORTS };
    const end = p?.endPort;
    if (end === undefined || end === null) return { protocol, from: port, to: port };
    return { protocol, from: port, to: isPort(end) && end >= port ? end : 65535 };
  });
}

/** Whether two inclusive ranges overlap. */
export function overlaps(a: { readonly from: number; readonly to: number }, b: { readonly from: number; readonly to: number }): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/**
 * Whether a rule's ports are DNS only: at least one entry, and every entry exactly port 53 over UDP or TCP (no
 * `endPort` beyond 53, no named port, no missing port).
 */
export function isDnsPortsOnly(ports: unknown): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return false;
  return rulePorts(ports).every(r => r.name === undefined && r.from === 53 && r.to === 53 && (r.protocol === 'UDP' || r.protocol === 'TCP'));
}

/** e.g. `TCP 53-65535` or `UDP 53` or `TCP port "dns"`. */
export function portRangeText(r: PortRange): string {
  if (r.name !== undefined) return `${r.protocol} port "${r.name}"`;
  return `${r.protocol} ${r.from === r.to ? r.from : `${r.from}-${r.to}`}`;
}
