import { isUnresolved } from '../../manifest';
import { IRule, Severity, Stride } from '../../types';

export const replicasMinimum: IRule = {
  id: 'replicas-minimum',
  title: 'Replicated workloads run at least two replicas',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'],
  description: 'A single replica is a single point of failure: a node drain, an eviction or one crashing pod takes the ' +
    'service down. An unset `spec.replicas` defaults to 1.',
  remediation: 'Set spec.replicas to 2 or more (HardenedDeployment: replicas >= 2, default 2) and spread replicas across nodes and zones.',
  references: ['Kubernetes docs: Configure a PodDisruptionBudget / Running in multiple zones', 'STRIDE: Denial of service'],
  check(obj) {
    const r = obj?.spec?.replicas;
    if (isUnresolved(r)) return [{ path: 'spec.replicas', message: 'replicas is an unresolved token.', unevaluable: true }];
    if (r === undefined || r === null) return [{ path: 'spec.replicas', message: 'spec.replicas is unset (defaults to 1).' }];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 2) return [{ path: 'spec.replicas', message: `spec.replicas is ${JSON.stringify(r)}; at least 2 are needed.` }];
    return [];
  },
};
