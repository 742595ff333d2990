import { isUnresolved, namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/**
 * API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``); `extensions` Deployments and ReplicaSets were the same
 * resources as `apps` ones (served by both groups until 1.16), so an autoscaler naming either scales them.
 */
const groupOf = (apiVersion: unknown) => {
  const g = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return g === 'extensions' ? 'apps' : g;
};

/** HorizontalPodAutoscalers (any version) of the evaluated set whose scaleTargetRef is exactly this object. */
function autoscalersOf(obj: any, objects: readonly any[]): any[] {
  const hpas = objectsIn(objects, 'HorizontalPodAutoscaler', namespaceOf(obj));
  if (hpas.length === 0) return hpas; // most namespaces have none: nothing to filter
  return hpas.filter(h => {
    const ref = h?.spec?.scaleTargetRef;
    return ref?.kind === obj?.kind && ref?.name === obj?.metadata?.name && groupOf(ref?.apiVersion) === groupOf(obj?.apiVersion);
  });
}

export const replicasMinimum: IRule = {
  id: 'replicas-minimum',
  title: 'Replicated workloads run at least two replicas',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'],
  description: 'A single replica is a single point of failure: a node drain, an eviction or one crashing pod takes the ' +
    'service down. An unset `spec.replicas` defaults to 1. When a HorizontalPodAutoscaler scales the workload, its ' +
    '`minReplicas` (default 1) decides instead: the autoscaler overrides `spec.replicas`.',
  remediation: 'Set spec.replicas to 2 or more (HardenedDeployment: replicas >= 2, default 2) and spread replicas across nodes and zones; ' +
    'with a HorizontalPodAutoscaler set its minReplicas to 2 or more and leave spec.replicas unset.',
  references: ['Kubernetes docs: Configure a PodDisruptionBudget / Running in multiple zones', 'Kubernetes docs: Horizontal Pod Autoscaling (migrating to an HPA: leave spec.replicas unset)', 'STRIDE: Denial of service'],
  peers: ['polaris:deploymentMissingReplicas', 'polaris:hpaMinAvailability', 'gatekeeper:general/replicalimits'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'cross-object: judged against the HorizontalPodAutoscalers in the set' },
  check(obj, context) {
    const hpas = autoscalersOf(obj, context?.objects ?? []);
    if (hpas.length > 0) {
      const out: RuleViolation[] = [];
      for (const h of hpas) {
        const min = h.spec?.minReplicas ?? 1;
        if (isUnresolved(min)) out.push({ path: 'spec.replicas', message: `HorizontalPodAutoscaler ${h.metadata?.name} minReplicas is an unresolved token.`, unevaluable: true });
        else if (typeof min !== 'number' || !Number.isInteger(min) || min < 2) {
          out.push({ path: 'spec.replicas', message: `HorizontalPodAutoscaler ${h.metadata?.name} scales it down to ${JSON.stringify(min)} replica(s); at least 2 are needed.` });
        }
      }
      return out;
    }
    const r = obj?.spec?.replicas;
    if (isUnresolved(r)) return [{ path: 'spec.replicas', message: 'replicas is an unresolved token.', unevaluable: true }];
    if (r === undefined || r === null) return [{ path: 'spec.replicas', message: 'spec.replicas is unset (defaults to 1).' }];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 2) return [{ path: 'spec.replicas', message: `spec.replicas is ${JSON.stringify(r)}; at least 2 are needed.` }];
    return [];
  },
};
