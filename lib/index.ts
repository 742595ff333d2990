export * from './policy';
export * from './workload';
export * from './tenancy';
export * from './secrets';
export * from './audit';
export * from './network';
export * from './cli';
export * from './threat';
