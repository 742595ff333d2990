import { IRule } from '../../types';
import { clusterScopedNamespace } from './cluster-scoped-namespace';
import { istioPeerAuthenticationMtls } from './istio-peer-authentication-mtls';
import { istioSidecarInjectionDisabled } from './istio-sidecar-injection-disabled';
import { linkerdProxyBypass } from './linkerd-proxy-bypass';
import { namespaceDefaultDeny } from './namespace-default-deny';
import { namespacePsaEnforce } from './namespace-psa-enforce';
import { namespaceResourceQuota } from './namespace-resource-quota';
import { objectDefaultNamespace } from './object-default-namespace';
import { rbacAdmissionConfigWrite } from './rbac-admission-config-write';
import { rbacBindingPrivileged } from './rbac-binding-privileged';
import { rbacCsrApproval } from './rbac-csr-approval';
import { rbacEndpointsWrite } from './rbac-endpoints-write';
import { rbacEscalation } from './rbac-escalation';
import { rbacNamespaceWrite } from './rbac-namespace-write';
import { rbacPersistentVolumeCreate } from './rbac-persistent-volume-create';
import { rbacPodCreate } from './rbac-pod-create';
import { rbacSecretCreate } from './rbac-secret-create';
import { rbacSecretsAccess } from './rbac-secrets-access';
import { rbacWildcard } from './rbac-wildcard';
import { sccPrivileged } from './scc-privileged';

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
  rbacPodCreate,
  rbacSecretCreate,
  rbacPersistentVolumeCreate,
  rbacCsrApproval,
  rbacAdmissionConfigWrite,
  rbacNamespaceWrite,
  rbacEndpointsWrite,
  objectDefaultNamespace,
  istioPeerAuthenticationMtls,
  istioSidecarInjectionDisabled,
  sccPrivileged,
  linkerdProxyBypass,
];

/**
 * RBAC rules judged on a role's (or a built-in role binding's) effective grants, for construct-time checks: the rules
 * whose file sets `judgesRbacGrants`, in catalogue order.
 */
export const RBAC_GRANT_RULE_IDS: string[] = TENANCY_RULES.filter(r => r.judgesRbacGrants === true).map(r => r.id);
