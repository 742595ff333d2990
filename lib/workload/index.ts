export * from './hardened-deployment';
export * from './network-peer';
export * from './health-check';
