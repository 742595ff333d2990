/**
 * Effective network reach: small pure evaluators shared by the network rules, the CLI, the guard and construct-time
 * checks (NetworkPeer, HardenedDeployment, FirewallMatrix).
 */
export * from './cidr';
export * from './address-set';
export * from './selector';
export * from './ports';
export * from './peers';
export * from './sensitive-ports';
