import { namespaceOf, objectsIn } from '../../manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { byName } from './set-util';

export const hpaTargetValid: IRule = {
  id: 'hpa-target-valid',
  title: 'HorizontalPodAutoscalers target an existing workload and keep at least two replicas',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['HorizontalPodAutoscaler'],
  description: 'An HPA whose `scaleTargetRef` names no workload of its namespace in the evaluated set scales nothing: the ' +
    'load it was meant to absorb takes the service down. `minReplicas` below 2 (unset is 1) leaves a single pod to ' +
    'fail or be evicted, and `maxReplicas` not above `minReplicas` cannot scale at all.',
  remediation: 'Point scaleTargetRef at the workload (kind, name, apiVersion), set minReplicas >= 2 and maxReplicas > minReplicas.',
  references: ['kube-linter dangling-horizontalpodautoscaler', 'Polaris hpaMinAvailability, hpaMaxAvailability',
    'gatekeeper-library general/horizontalpodautoscaler', 'Kubernetes docs: Horizontal Pod Autoscaling'],
  peers: ['kube-linter:dangling-horizontalpodautoscaler', 'polaris:hpaMinAvailability', 'polaris:hpaMaxAvailability', 'gatekeeper:general/horizontalpodautoscaler'],
  check(obj, ctx) {
    const out: RuleViolation[] = [];
    const spec = obj?.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    const ns = namespaceOf(obj);
    if (!byName(objectsIn(ctx.objects, String(ref.kind), ns), ref.name)) {
      out.push({ path: 'spec.scaleTargetRef', message: `no ${ref.kind} named ${JSON.stringify(ref.name)} in namespace "${ns}" of the evaluated set.` });
    }
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    if (min < 2) out.push({ path: 'spec.minReplicas', message: `minReplicas ${spec.minReplicas ?? 'unset (1)'} is below 2.` });
    if (typeof spec.maxReplicas === 'number' && spec.maxReplicas <= min) out.push({ path: 'spec.maxReplicas', message: `maxReplicas ${spec.maxReplicas} is not above minReplicas ${min}.` });
    return out;
  },
};
