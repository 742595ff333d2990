import { ipBlockSet, SENSITIVE_PORTS, union } from '../../../semantics/netreach';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { anywhereSources, BROAD_DESCRIPTION, isLiteralAll } from './cidr-util';
import { MATRIX_KIND, MatrixFlowRef, matrixFlows, matrixZones, overlaps } from './matrix-util';

export const firewallSensitivePortExposed: IRule = {
  id: 'firewall-sensitive-port-exposed',
  title: 'Administrative, control-plane, node and CNI ports are never open to 0.0.0.0/0, ::/0 or anything as broad',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'SSH (22) and RDP (3389) are remote shells on the hosts. The kubelet API (10250) runs commands in any pod of the node and its read-only port (10255) lists every pod ' +
    'and its environment without authentication; etcd (2379-2380) holds every Secret; the controller-manager (10257), ' +
    'scheduler (10259) and kube-proxy health (10256) expose control-plane internals; NodePorts (30000-32767) open every ' +
    'Service of type NodePort on every node; the CNI\'s ports (BGP 179, VXLAN 4789 / 8472, Geneve 6081, WireGuard ' +
    '51820-51821 / 51871, Calico Typha 5473, Cilium health 4240, Hubble 4244-4245, Weave 6783-6784, flannel 8285) let ' +
    'whoever reaches them inject routes or packets into the pod network. Reachable from everywhere, each is a cluster ' +
    'takeover away from an unauthenticated or leaked-credential attacker. Any protocol and any range that includes one of ' +
    'these ports counts. "Everywhere" is a source set that, together with the other zones reaching the same port on the ' +
    `same zone, reaches ${BROAD_DESCRIPTION}. SSH (22) and RDP (3389) give a shell on the host; the API server (6443) ` +
    'is an administrative port on every zone, the control plane and its load balancer included (a public API endpoint is ' +
    'the managed service\'s setting, e.g. EKS endpoint access, never a matrix flow).',
  remediation: 'Allow these ports only from the zones that need them (control plane, etcd peers, the nodes for the CNI, ' +
    'the load balancer for NodePorts, the administrators\' VPN or bastion range for SSH, RDP and the API server) and reach nodes through the API server.',
  references: ['Kubernetes docs: Ports and Protocols (control plane and worker nodes)', 'Kubernetes docs: kubelet (--read-only-port)',
    'Calico docs: System requirements (network requirements)', 'Cilium docs: System requirements (firewall rules)', 'flannel docs: Backends',
    'CIS Kubernetes Benchmark 4.2.1 / 4.2.4 / 2.1 (kubelet and etcd access)'],
  peers: [],
  threats: ['I4-exposed-control-plane-and-nodes'],
  admission: { notGenerated: 'judges the FirewallMatrix (AWS security groups and NetworkPolicies as a whole), not one API object' },
  check(obj) {
    const zones = new Map(matrixZones(obj).map((z: any) => [z?.name, z]));
    const out: RuleViolation[] = [];
    for (const s of SENSITIVE_PORTS) {
      // Judge together every zone with a CIDR that reaches this port on the same destination zone.
      const byDestination = new Map<string, MatrixFlowRef[]>();
      for (const f of matrixFlows(obj)) {
        if (!overlaps(f, s) || zones.get(f.flow.from)?.cidr === undefined || (s.publicOn ?? []).includes(f.flow.to)) continue;
        byDestination.set(f.flow.to, [...byDestination.get(f.flow.to) ?? [], f]);
      }
      for (const [to, flows] of byDestination) {
        const cidrs = flows.map(f => zones.get(f.flow.from).cidr);
        const group = cidrs.map(cidr => ({ addresses: ipBlockSet(cidr) }));
        const all = union(...group.flatMap(g => (g.addresses ? [g.addresses] : [])));
        const others = (i: number) => [...new Set(flows.map(g => g.flow.from))].filter(n => n !== flows[i].flow.from);
        const together = (i: number) => `with zone(s) ${others(i).map(n => `"${n}"`).join(', ')}`;
        for (const a of anywhereSources(group, all, together, i => isLiteralAll(cidrs[i]))) {
          const f = flows[a.index];
          out.push({
            path: `${f.path}.from`,
            message: `zone "${f.flow.from}" (${cidrs[a.index]}) may reach the ${s.name} port(s) ${s.from === s.to ? s.from : `${s.from}-${s.to}`} on "${to}"${a.reason}.`,
          });
        }
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
  },
};
