export * from './kubelet-configuration';
export * from './kubeadm-config';
