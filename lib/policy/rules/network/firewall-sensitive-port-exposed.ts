import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { anywhereReason, BROAD_DESCRIPTION, broadSources } from './cidr-util';
import { MATRIX_KIND, MatrixFlowRef, matrixFlows, matrixZones, overlaps, SENSITIVE_PORTS } from './matrix-util';

export const firewallSensitivePortExposed: IRule = {
  id: 'firewall-sensitive-port-exposed',
  title: 'Kubelet, etcd, controller-manager and scheduler ports are never open to 0.0.0.0/0, ::/0 or similarly broad ranges',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'The kubelet API (10250) runs commands in any pod of the node, etcd (2379-2380) holds every Secret, and the ' +
    'controller-manager (10257) and scheduler (10259) expose control-plane internals. Reachable from everywhere, each is a ' +
    'cluster takeover away from an unauthenticated or leaked-credential attacker. "Everywhere" is any source range that, ' +
    'alone or together with the other zones reaching the same port on the same zone, covers a public block ' +
    `${BROAD_DESCRIPTION} — 0.0.0.0/0, 0.0.0.0/1, 0.0.0.0/1 + 128.0.0.0/1, 2000::/3 — not counting private and ` +
    'non-routable space (RFC 1918, 100.64.0.0/10, loopback, link-local, multicast, fc00::/7), so 10.0.0.0/8 or fd00::/8 pass. ' +
    'The API server port (6443) is not in this list: a public API endpoint is a deliberate choice.',
  remediation: 'Allow these ports only from the control plane (and etcd peers); reach nodes through the API server.',
  references: ['Kubernetes docs: Ports and Protocols', 'CIS Kubernetes Benchmark 4.2.1 / 2.1 (kubelet and etcd access)'],
  check(obj) {
    const zones = new Map(matrixZones(obj).map((z: any) => [z?.name, z]));
    const out: RuleViolation[] = [];
    for (const s of SENSITIVE_PORTS) {
      // Judge together every zone with a CIDR that reaches this port on the same destination zone.
      const byDestination = new Map<string, MatrixFlowRef[]>();
      for (const f of matrixFlows(obj)) {
        if (!overlaps(f, s) || zones.get(f.flow.from)?.cidr === undefined) continue;
        byDestination.set(f.flow.to, [...byDestination.get(f.flow.to) ?? [], f]);
      }
      for (const [to, flows] of byDestination) {
        const sources = flows.map(f => zones.get(f.flow.from));
        const broad = broadSources(sources.map(z => ({ cidr: z.cidr })));
        flows.forEach((f, i) => {
          const block = broad.get(i);
          if (block === undefined) return;
          const cidr = sources[i].cidr;
          const alone = broadSources([{ cidr }]).get(0);
          const others = [...new Set(flows.filter((_, j) => broad.get(j) === block).map(g => g.flow.from))].filter(n => n !== f.flow.from);
          const why = alone !== undefined ? anywhereReason(cidr, alone) : anywhereReason(cidr, block, `with zone(s) ${others.map(n => `"${n}"`).join(', ')}`);
          out.push({
            path: `${f.path}.from`,
            message: `zone "${f.flow.from}" (${cidr}) may reach the ${s.name} port(s) ${s.from === s.to ? s.from : `${s.from}-${s.to}`} on "${to}"${why}.`,
          });
        });
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
  },
};
