export * from './model';
export * from './firewall-matrix';
