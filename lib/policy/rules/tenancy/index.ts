import { IRule } from '../../types';
import { clusterScopedNamespace } from './cluster-scoped-namespace';
import { namespaceDefaultDeny } from './namespace-default-deny';
import { namespacePsaEnforce } from './namespace-psa-enforce';
import { namespaceResourceQuota } from './namespace-resource-quota';
import { rbacBindingPrivileged } from './rbac-binding-privileged';
import { rbacEscalation } from './rbac-escalation';
import { rbacSecretsAccess } from './rbac-secrets-access';
import { rbacWildcard } from './rbac-wildcard';

/** Tenancy rules: namespaces and RBAC. One import per rule file. */
export const TENANCY_RULES: IRule[] = [
  namespacePsaEnforce,
  namespaceDefaultDeny,
  namespaceResourceQuota,
  clusterScopedNamespace,
  rbacWildcard,
  rbacSecretsAccess,
  rbacEscalation,
  rbacBindingPrivileged,
];
