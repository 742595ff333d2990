export * from './workload-props';
export * from './workload-base';
export * from './hardened-deployment';
export * from './network-peer';
export * from './health-check';
export * from './hardened-statefulset';
export * from './hardened-job';
export * from './hardened-daemonset';
