/**
 * Control-plane, node and CNI ports that must never be reachable from "anywhere" (see address-set.ts). Any protocol
 * counts (a UDP flow to 10250 reaches nothing today but opens the number for tomorrow's listener) and a range counts
 * when it includes one of these ports.
 *
 * Administrative ports: SSH (TCP 22) and RDP (TCP 3389), the remote shells of the hosts.
 *
 * Sources: kubernetes.io "Ports and Protocols" (control plane: 6443, 2379-2380, 10250, 10259, 10257; worker nodes:
 * 10250, 10256, 30000-32767); the kubelet `--read-only-port` (10255, unauthenticated, default on many distributions
 * before 1.20 kubeadm turned it off); Calico "System requirements: network requirements" (BGP TCP 179, VXLAN UDP 4789,
 * Typha TCP 5473, WireGuard UDP 51820 / 51821); flannel "Backends" (VXLAN UDP 8472 on Linux, UDP backend 8285,
 * WireGuard 51820 / 51821); Cilium "System requirements: firewall rules" (VXLAN UDP 8472, Geneve UDP 6081, health TCP
 * 4240, Hubble server TCP 4244, Hubble Relay TCP 4245, WireGuard UDP 51871); Weave Net (TCP 6783, UDP 6783-6784).
 */
export interface SensitivePort {
  /** What listens there. */
  readonly name: string;
  readonly from: number;
  readonly to: number;
  /**
   * Destination zones where "anywhere" is a deliberate, documented choice (only the API server: a public endpoint
   * in front of the control plane). Everywhere else the port is sensitive.
   */
  readonly publicOn?: readonly string[];
}

/**
 * Zones that serve the Kubernetes API. 6443 from anywhere is refused there too (issue #27): the API server is an
 * administrative port; a public endpoint belongs to the managed service (EKS endpoint access), not to a matrix flow.
 */
export const API_SERVER_ZONES: readonly string[] = ['control-plane', 'load-balancer'];

/** Ports that must never be reachable from anywhere. */
export const SENSITIVE_PORTS: readonly SensitivePort[] = Object.freeze([
  { name: 'kube-apiserver', from: 6443, to: 6443 },
  { name: 'SSH (administrative access)', from: 22, to: 22 },
  { name: 'RDP (administrative access)', from: 3389, to: 3389 },
  { name: 'etcd', from: 2379, to: 2380 },
  { name: 'kubelet', from: 10250, to: 10250 },
  { name: 'kubelet read-only (unauthenticated)', from: 10255, to: 10255 },
  { name: 'kube-proxy health', from: 10256, to: 10256 },
  { name: 'kube-controller-manager', from: 10257, to: 10257 },
  { name: 'kube-scheduler', from: 10259, to: 10259 },
  { name: 'NodePort Services', from: 30000, to: 32767 },
  { name: 'BGP (Calico, kube-router, Cilium BGP)', from: 179, to: 179 },
  { name: 'Cilium health', from: 4240, to: 4240 },
  { name: 'Hubble server and relay', from: 4244, to: 4245 },
  { name: 'Calico Typha', from: 5473, to: 5473 },
  { name: 'Geneve overlay', from: 6081, to: 6081 },
  { name: 'Weave Net', from: 6783, to: 6784 },
  { name: 'VXLAN overlay (Calico, Canal: IANA port)', from: 4789, to: 4789 },
  { name: 'flannel UDP backend', from: 8285, to: 8285 },
  { name: 'VXLAN overlay (flannel, Cilium: Linux default)', from: 8472, to: 8472 },
  { name: 'WireGuard (Calico, flannel)', from: 51820, to: 51821 },
  { name: 'WireGuard (Cilium)', from: 51871, to: 51871 },
].map(p => Object.freeze(p)));

/** The sensitive ports a range opens on a destination zone (6443 only outside API_SERVER_ZONES). */
export function sensitivePortsIn(from: number, to: number, destinationZone: string): SensitivePort[] {
  return SENSITIVE_PORTS.filter(s => s.from <= to && from <= s.to && !(s.publicOn ?? []).includes(destinationZone));
}
