import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacAdmissionConfigWrite = pathRule({
  id: 'rbac-admission-config-write',
  title: 'No write access to admission webhooks and admission policies',
  stride: [Stride.TAMPERING, Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  description: 'Create, update, patch, delete or deletecollection on validatingwebhookconfigurations, ' +
    'mutatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings (and the mutating ' +
    'admission policies) in admissionregistration.k8s.io lets a subject switch off the policies that enforce everything ' +
    'else, or register a webhook that reads (Secrets included) and rewrites every object sent to the API server.',
  remediation: 'Keep admission configuration with the platform team\'s deployment identity; never grant it to tenants or workloads.',
  references: [
    'CIS Kubernetes Benchmark 5.1.12: Minimize access to webhook configuration objects',
    `${RBAC_GOOD_PRACTICES} (control admission webhooks)`,
  ],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering', 'E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
