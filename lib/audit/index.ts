export * from './audit-policy';
export * from './apiserver';
export * from './config-file';
export * from './eks-audit-trail';
export * from './logs-key';
