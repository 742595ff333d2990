/** RBAC evaluator: rule matching as the API server does it, aggregation, bootstrap roles, escalation paths. */
export * from './evaluator';
export * from './roles';
export * from './paths';
export * from './check';
export { BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-roles-v1.28';
export * from './subjects';
