/** Host ports of node components: a pod there takes the component's place, or stops it from starting. */
export const NODE_COMPONENT_PORTS: { readonly [port: number]: string } = Object.freeze({
  10250: 'the kubelet API', 10255: 'the kubelet read-only port', 10256: 'kube-proxy health', 10249: 'kube-proxy metrics',
  10257: 'kube-controller-manager', 10259: 'kube-scheduler', 2379: 'etcd client', 2380: 'etcd peer', 6443: 'the API server',
  9099: 'the Calico/Felix health port', 4194: 'cAdvisor',
});
