import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacPodCreate = pathRule({
  id: 'rbac-pod-create',
  title: 'Creating pods or pod-creating workloads is an escalation path',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.WARNING,
  description: 'Whoever can create or change a pod template in a namespace can run a pod there with any ServiceAccount of ' +
    'the namespace (and its token and permissions) and mount any Secret, ConfigMap or PersistentVolumeClaim of the ' +
    'namespace: RBAC does not check what a pod uses. That holds for create on pods and for create/update/patch on every ' +
    'workload that creates pods: pods and replicationcontrollers (core), deployments, replicasets, statefulsets and ' +
    'daemonsets (apps, and extensions where served), jobs and cronjobs (batch). A ClusterRole grants it in every ' +
    'namespace, kube-system included. Reported as a warning: deploying workloads is a normal duty, but it is a trust ' +
    'boundary (Pod Security Admission bounds what the pods can do on the node, not which identities they use).',
  remediation: 'Grant workload creation only to deployment identities (CI/GitOps) scoped to one namespace with a Role, keep ' +
    'Secrets and ServiceAccounts of a different trust level in other namespaces, and enforce Pod Security `restricted` on ' +
    'the namespace. Acknowledge a deliberate grant with a waiver naming the owner.',
  references: [
    'CIS Kubernetes Benchmark 5.1.4: Minimize access to create pods',
    `${RBAC_GOOD_PRACTICES} (workload creation)`,
  ],
  peers: ['kube-linter:access-to-create-pods'],
  threats: ['E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
