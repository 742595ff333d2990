import { namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';
import { candidateSelectors, replicasOf, selectorSelects } from './set-util';

export const workloadDisruptionBudget: IRule = {
  id: 'workload-disruption-budget',
  title: 'Replicated workloads survive voluntary disruption (PodDisruptionBudget or anti-affinity)',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout'],
  description: 'Replicas only help if they do not all go down together: without a PodDisruptionBudget a node drain or ' +
    'cluster upgrade may evict every replica at once, and without pod anti-affinity (or topology spread constraints) ' +
    'the scheduler may put them all on one node. A workload of two or more replicas passes when a PodDisruptionBudget ' +
    'of its namespace (in the evaluated set) selects its pods, or its template sets podAntiAffinity or ' +
    'topologySpreadConstraints.',
  remediation: 'Add a PodDisruptionBudget (`maxUnavailable: 1`) selecting the pods; spread replicas with ' +
    'topologySpreadConstraints or preferred podAntiAffinity on `kubernetes.io/hostname`.',
  references: ['kube-linter no-anti-affinity', 'Polaris missingPodDisruptionBudget', 'Kubernetes docs: Specifying a Disruption Budget for your Application'],
  peers: ['kube-linter:no-anti-affinity', 'polaris:missingPodDisruptionBudget'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'cross-object: needs the PodDisruptionBudgets of the namespace' },
  check(obj, ctx) {
    const replicas = replicasOf(obj);
    if (replicas === undefined || replicas < 2) return [];
    const tpl = obj?.spec?.template ?? {};
    const aff = tpl.spec?.affinity?.podAntiAffinity;
    const spread = Array.isArray(tpl.spec?.topologySpreadConstraints) && tpl.spec.topologySpreadConstraints.length > 0;
    const anti = aff &&
      ((aff.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0 || (aff.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0);
    if (anti || spread) return [];
    const labels = tpl.metadata?.labels ?? {};
    const ns = namespaceOf(obj);
    if (candidateSelectors(objectsIn(ctx.objects, 'PodDisruptionBudget', ns), labels).some(p => selectorSelects(p?.spec?.selector, labels))) return [];
    return [{ path: 'spec.template.spec.affinity', message: `${obj.kind} with ${replicas} replicas has no PodDisruptionBudget in "${ns}", no pod anti-affinity and no topology spread.` }];
  },
};
