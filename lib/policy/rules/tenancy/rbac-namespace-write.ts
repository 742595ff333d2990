import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacNamespaceWrite = pathRule({
  id: 'rbac-namespace-write',
  title: 'No update or patch of Namespaces (Pod Security labels)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING],
  severity: Severity.ERROR,
  description: 'Pod Security Admission reads its level from the namespace\'s `pod-security.kubernetes.io/*` labels: whoever ' +
    'can update or patch a Namespace can set `enforce: privileged` and run privileged pods, and can change the labels ' +
    'other NetworkPolicies select namespaces by. A RoleBinding is enough for the bound namespace itself: requests on a ' +
    'Namespace carry its own name as their namespace.',
  remediation: 'Manage Namespaces (and their labels) from the platform\'s deployment identity only; tenants get get/list/watch.',
  references: [
    'CIS Kubernetes Benchmark 5.2.1: Ensure that the cluster has at least one active policy control mechanism in place (Pod Security Admission labels)',
    `${RBAC_GOOD_PRACTICES} (namespace modification)`,
    'Kubernetes docs: Pod Security Admission (labels on namespaces)',
  ],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering', 'E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
