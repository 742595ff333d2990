import { CLUSTER_SCOPED_KINDS } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

export const clusterScopedNamespace: IRule = {
  id: 'cluster-scoped-namespace',
  title: 'Cluster-scoped objects carry no metadata.namespace',
  stride: [Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: [...CLUSTER_SCOPED_KINDS],
  description: 'A namespace on a cluster-scoped object (Namespace, ClusterRole, IPPool, ...) is wrong: strict validation ' +
    'rejects it and tools that key objects by namespace mis-track it — typically leaked from a cdk8s Chart namespace (cdk8s-core#731).',
  remediation: 'Remove metadata.namespace from cluster-scoped objects (library constructs strip it; for raw objects put them in a chart without a namespace).',
  references: ['cdk8s-team/cdk8s-core#731', 'Kubernetes docs: Namespaces (not all objects are in a namespace)'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering'],
  admission: { notGenerated: 'the API server drops metadata.namespace of cluster-scoped objects: nothing left to judge at admission' },
  check(obj) {
    const ns = obj?.metadata?.namespace;
    return ns ? [{ path: 'metadata.namespace', message: `${obj.kind} "${obj.metadata?.name}" is cluster-scoped but sets namespace "${ns}".` }] : [];
  },
};
