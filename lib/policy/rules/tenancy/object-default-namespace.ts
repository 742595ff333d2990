import { CLUSTER_SCOPED_KINDS, podSpecsOf } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

/** Core and common kinds known to be namespaced: without metadata.namespace they land in the client's namespace. */
const NAMESPACED = new Set([
  'Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
  'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'Ingress',
  'NetworkPolicy', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ResourceQuota', 'LimitRange',
  'Lease', 'HTTPRoute', 'GRPCRoute', 'Gateway', 'PeerAuthentication', 'AuthorizationPolicy',
]);

export const objectDefaultNamespace: IRule = {
  id: 'object-default-namespace',
  title: 'Objects are not placed in the default namespace',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'The `default` namespace is where every client lands without `-n`: it usually has no Pod Security labels, ' +
    'no default-deny NetworkPolicy and no quota, and RBAC granted there reaches everything anyone puts there. Flagged: ' +
    '`metadata.namespace: default` on any object, and no namespace on a kind known to be namespaced (core workload, ' +
    'Service, ConfigMap, Secret, RBAC, policy kinds) or on any object carrying a pod. A warning: the namespace is often ' +
    'set at apply time (`kubectl -n`, kustomize, an Argo CD destination).',
  remediation: 'Set `metadata.namespace` to an application namespace (IsolatedNamespace creates a hardened one).',
  references: ['CIS Kubernetes Benchmark 5.7.4: The default namespace should not be used',
    'CIS Kubernetes Benchmark 5.7.1: Create administrative boundaries between resources using namespaces'],
  peers: ['kube-linter:use-namespace', 'kyverno:best-practices/disallow-default-namespace'],
  threats: ['E3-policy-not-enforced'],
  check(obj) {
    const kind = typeof obj?.kind === 'string' ? obj.kind : '';
    if (CLUSTER_SCOPED_KINDS.has(kind) || kind === '' || kind.endsWith('List')) return [];
    const ns = obj?.metadata?.namespace;
    if (ns === 'default') return [{ path: 'metadata.namespace', message: `${kind} is in the default namespace.` }];
    if ((ns === undefined || ns === null || ns === '') && (NAMESPACED.has(kind) || podSpecsOf(obj).length > 0)) {
      return [{ path: 'metadata', message: `${kind} sets no namespace: it lands in the client's current namespace, "default" unless told otherwise.` }];
    }
    return [];
  },
};
