import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { isAnyCidr, MATRIX_KIND, matrixFlows, matrixZones, overlaps, SENSITIVE_PORTS } from './matrix-util';

export const firewallSensitivePortExposed: IRule = {
  id: 'firewall-sensitive-port-exposed',
  title: 'Kubelet, etcd, controller-manager and scheduler ports are never open to 0.0.0.0/0 or ::/0',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'The kubelet API (10250) runs commands in any pod of the node, etcd (2379-2380) holds every Secret, and the ' +
    'controller-manager (10257) and scheduler (10259) expose control-plane internals. Reachable from everywhere, each is a ' +
    'cluster takeover away from an unauthenticated or leaked-credential attacker.',
  remediation: 'Allow these ports only from the control plane (and etcd peers); reach nodes through the API server.',
  references: ['Kubernetes docs: Ports and Protocols', 'CIS Kubernetes Benchmark 4.2.1 / 2.1 (kubelet and etcd access)'],
  check(obj) {
    const zones = new Map(matrixZones(obj).map((z: any) => [z?.name, z]));
    const out: RuleViolation[] = [];
    for (const f of matrixFlows(obj)) {
      const src = zones.get(f.flow.from);
      if (!src || !isAnyCidr(src.cidr)) continue;
      for (const s of SENSITIVE_PORTS) {
        if (overlaps(f, s)) out.push({ path: `${f.path}.from`, message: `zone "${f.flow.from}" (${src.cidr}) may reach the ${s.name} port(s) ${s.from === s.to ? s.from : `${s.from}-${s.to}`} on "${f.flow.to}".` });
      }
    }
    return out;
  },
};
