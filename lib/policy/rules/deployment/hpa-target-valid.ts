import { namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { byName } from './set-util';

export const hpaTargetValid: IRule = {
  id: 'hpa-target-valid',
  title: 'HorizontalPodAutoscalers target an existing workload and can scale',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['HorizontalPodAutoscaler'],
  description: 'An HPA whose `scaleTargetRef` names no workload of its namespace in the evaluated set scales nothing: the ' +
    'load it was meant to absorb takes the service down; `maxReplicas` not above `minReplicas` (unset is 1) cannot scale ' +
    'at all. (`minReplicas` below 2 is judged by `replicas-minimum`, which reads the autoscaler.)',
  remediation: 'Point scaleTargetRef at the workload (kind, name, apiVersion) and set maxReplicas above minReplicas.',
  references: ['kube-linter dangling-horizontalpodautoscaler', 'Polaris hpaMinAvailability, hpaMaxAvailability',
    'gatekeeper-library general/horizontalpodautoscaler', 'Kubernetes docs: Horizontal Pod Autoscaling'],
  peers: ['kube-linter:dangling-horizontalpodautoscaler', 'polaris:hpaMaxAvailability', 'gatekeeper:general/horizontalpodautoscaler'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'cross-object: needs the workload the autoscaler names' },
  check(obj, ctx) {
    const out: RuleViolation[] = [];
    const spec = obj?.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    const ns = namespaceOf(obj);
    if (!byName(objectsIn(ctx.objects, String(ref.kind), ns), ref.name)) {
      out.push({ path: 'spec.scaleTargetRef', message: `no ${ref.kind} named ${JSON.stringify(ref.name)} in namespace "${ns}" of the evaluated set.` });
    }
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    if (typeof spec.maxReplicas === 'number' && spec.maxReplicas <= min) out.push({ path: 'spec.maxReplicas', message: `maxReplicas ${spec.maxReplicas} is not above minReplicas ${min}.` });
    return out;
  },
};
