import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacPersistentVolumeCreate = pathRule({
  id: 'rbac-persistent-volume-create',
  title: 'No PersistentVolume creation outside storage provisioners',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING],
  severity: Severity.ERROR,
  description: 'Whoever can create PersistentVolumes can create a `hostPath` volume (or pre-bind one with `claimRef` to a ' +
    'claim of their own namespace) and so give a pod the node\'s filesystem, bypassing Pod Security Admission, which ' +
    'checks the pod\'s volumes but not the PersistentVolume behind a claim. PersistentVolumes are cluster-scoped: a Role ' +
    'cannot grant this, a ClusterRole (or a ClusterRoleBinding of one) can.',
  remediation: 'Let only the CSI provisioner (system:persistent-volume-provisioner or the driver\'s own ServiceAccount) ' +
    'create PersistentVolumes; give users StorageClasses and PersistentVolumeClaims instead.',
  references: [
    'CIS Kubernetes Benchmark 5.1.9: Minimize access to create persistent volumes',
    `${RBAC_GOOD_PRACTICES} (persistent volume creation)`,
  ],
  peers: [],
  threats: ['E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
