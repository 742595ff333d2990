import { ObjectMemo } from '../../../kube/cache';
import { namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { candidatePods, replicasOf, SCALABLE_KINDS, selectorSelects } from './set-util';

const hpaIndex = new ObjectMemo<readonly any[], Map<string, any>>();

/** The HPA of a namespace scaling `kind/name` (the HPA list is indexed once). */
function hpaFor(objects: readonly any[], ns: string, kind: string, name: unknown): any {
  const list = objectsIn(objects, 'HorizontalPodAutoscaler', ns);
  let index = hpaIndex.get(list);
  if (!index) {
    index = new Map();
    for (const h of list) index.set(`${h?.spec?.scaleTargetRef?.kind}/${h?.spec?.scaleTargetRef?.name}`, h);
    hpaIndex.set(list, index);
  }
  return index.get(`${kind}/${String(name)}`);
}

/** An IntOrString budget as a count of `total` pods (percentages round up, as the disruption controller does). */
function count(v: unknown, total: number): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.ceil((Number(v.slice(0, -1)) / 100) * total);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export const pdbAllowsDisruption: IRule = {
  id: 'pdb-allows-disruption',
  title: 'PodDisruptionBudgets allow at least one eviction',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.TAMPERING],
  severity: Severity.WARNING,
  appliesTo: ['PodDisruptionBudget'],
  description: 'A budget that allows no eviction (`maxUnavailable: 0` or `0%`, `minAvailable: 100%`, or a `minAvailable` ' +
    'at or above the replicas — or the HPA minReplicas — of the workloads it selects in the evaluated set) blocks every ' +
    'node drain: security patches and node upgrades stall until someone deletes the budget. Without ' +
    '`unhealthyPodEvictionPolicy: AlwaysAllow`, pods that are already failing also block drains.',
  remediation: 'Use `maxUnavailable: 1` (or a minAvailable below the replica count) and `unhealthyPodEvictionPolicy: AlwaysAllow`.',
  references: ['kube-linter pdb-max-unavailable, pdb-min-available, pdb-unhealthy-pod-eviction-policy',
    'Polaris pdbDisruptionsIsZero, pdbMinAvailableGreaterThanHPAMinReplicas', 'Kubernetes docs: Configure a PodDisruptionBudget'],
  peers: ['kube-linter:pdb-max-unavailable', 'kube-linter:pdb-min-available', 'kube-linter:pdb-unhealthy-pod-eviction-policy',
    'polaris:pdbDisruptionsIsZero', 'polaris:pdbMinAvailableGreaterThanHPAMinReplicas', 'gatekeeper:general/poddisruptionbudget'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'cross-object: needs the workloads and HorizontalPodAutoscalers the budget selects' },
  check(obj, ctx) {
    const out: RuleViolation[] = [];
    const spec = obj?.spec ?? {};
    const ns = namespaceOf(obj);
    if (spec.maxUnavailable !== undefined && count(spec.maxUnavailable, 1) === 0) {
      out.push({ path: 'spec.maxUnavailable', message: `maxUnavailable ${JSON.stringify(spec.maxUnavailable)} allows no eviction.` });
    }
    if (spec.minAvailable !== undefined) {
      if (spec.minAvailable === '100%') out.push({ path: 'spec.minAvailable', message: 'minAvailable 100% allows no eviction.' });
      else {
        const selected = new Set<any>(candidatePods(ctx.objects, ns, spec.selector?.matchLabels)
          .filter(p => SCALABLE_KINDS.includes(p.obj?.kind) && p.pod.path === 'spec.template.spec' && selectorSelects(spec.selector, p.labels))
          .map(p => p.obj));
        for (const w of selected) {
          const kind = w.kind;
          const hpa = hpaFor(ctx.objects, ns, kind, w?.metadata?.name);
          const replicas = hpa ? (typeof hpa.spec.minReplicas === 'number' ? hpa.spec.minReplicas : 1) : replicasOf(w);
          const min = replicas === undefined ? undefined : count(spec.minAvailable, replicas);
          if (replicas !== undefined && min !== undefined && min >= replicas) {
            out.push({ path: 'spec.minAvailable', message: `minAvailable ${JSON.stringify(spec.minAvailable)} is not below the ${replicas} ${hpa ? 'HPA minReplicas' : 'replicas'} of ${kind} "${w.metadata?.name}": no eviction is allowed.` });
          }
        }
      }
    }
    if (spec.unhealthyPodEvictionPolicy !== 'AlwaysAllow') {
      out.push({ path: 'spec.unhealthyPodEvictionPolicy', message: `unhealthyPodEvictionPolicy ${JSON.stringify(spec.unhealthyPodEvictionPolicy ?? 'unset (IfHealthyBudget)')}: failing pods block drains.` });
    }
    return out;
  },
};
