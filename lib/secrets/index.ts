// Public API of lib/secrets (re-exported by lib/index.ts).
export * from './service-account-ref';
export * from './key';
export * from './provider';
export * from './encryption-config';
export * from './external-secrets';
export * from './cluster-manifest';
export * from './secrets-store-csi';
export * from './existing-cluster';
