import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { MATRIX_KIND, matrixFlows, overlaps } from './matrix-util';

/** Zones allowed to reach etcd: the control plane (API server) and etcd itself (peers). */
export const ETCD_CLIENT_ZONES = ['control-plane', 'etcd'];

export const firewallEtcdAccess: IRule = {
  id: 'firewall-etcd-access',
  title: 'Only the control plane reaches etcd',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'etcd (2379 client, 2380 peer) stores the whole cluster state, Secrets included; anything that reaches it ' +
    'bypasses RBAC, admission and audit. Only the API servers (zone `control-plane`) and etcd members (zone `etcd`) may connect.',
  remediation: 'Remove the flow; components read cluster state through the API server on 6443.',
  references: ['Kubernetes docs: Ports and Protocols (etcd server client API: kube-apiserver, etcd)', 'CIS Kubernetes Benchmark 2.x (etcd)'],
  peers: [],
  threats: ['I4-exposed-control-plane-and-nodes'],
  admission: { notGenerated: 'judges the FirewallMatrix (AWS security groups and NetworkPolicies as a whole), not one API object' },
  check(obj) {
    const out: RuleViolation[] = [];
    for (const f of matrixFlows(obj)) {
      if (overlaps(f, { from: 2379, to: 2380 }) && !ETCD_CLIENT_ZONES.includes(f.flow.from)) {
        out.push({ path: `${f.path}.from`, message: `zone "${f.flow.from}" may reach etcd ports on "${f.flow.to}" (${f.flow.purpose ?? ''}).` });
      }
    }
    return out;
  },
};
