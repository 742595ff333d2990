export * from './workload-props';
export * from './workload-base';
export * from './hardened-deployment';
export * from './network-peer';
export * from './health-check';
