import { parseQuantity } from '../../../kube/k8s-syntax';
import { checkPods, containersOf, isUnresolved } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Kinds whose `spec.replicas` runs that many pods. */
const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'CloneSet']);

export const profileMaximums: IRule = {
  id: 'profile-maximums',
  title: 'Workloads stay within the profile\'s maximum replicas, CPU and memory per container',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A platform team bounds what one workload may claim: `HardeningProfile` `maxReplicas` (spec.replicas of ' +
    'replicated kinds and a HorizontalPodAutoscaler\'s maxReplicas), `maxContainerCpu` and `maxContainerMemory` (every ' +
    'request and limit of every container, init container and sidecar, compared by value: `2` equals `2000m`). A ' +
    'runaway autoscaler or a typo (`64Gi` for `64Mi`) otherwise exhausts nodes or the team\'s quota. Not applicable ' +
    'when the profile sets no maximum (the library default). At admission (a policy generated when a maximum below 1e200 is set) ' +
    'quantities are read as this rule reads them; a quantity longer than 40 characters or with an exponent of more than 3 digits is ' +
    'denied (fail-closed); a HorizontalPodAutoscaler\'s maxReplicas and replicas set through the scale subresource (`kubectl scale`, ' +
    'an autoscaler) are judged at synth time and by `check` only.',
  remediation: 'Lower the replicas or resources to the profile\'s maximum, or ask the platform team for a nested profile ' +
    'with a higher maximum (a loosening: it needs a reasoned, expiring exception).',
  references: ['gatekeeper-library general/replicalimits and general/containerlimits (maximums)', 'STRIDE: Denial of service'],
  peers: ['gatekeeper:general/replicalimits', 'gatekeeper:general/containerlimits'],
  threats: ['D1-resource-exhaustion'],
  check(obj, ctx) {
    const s = ctx.settings;
    if (s.maxReplicas === undefined && s.maxContainerCpu === undefined && s.maxContainerMemory === undefined) return [];
    const out: RuleViolation[] = [];
    const tooMany = (path: string, value: unknown, what: string) => {
      if (s.maxReplicas === undefined || value === undefined) return;
      if (isUnresolved(value)) out.push({ path, message: `${what} is an unresolved token.`, unevaluable: true });
      else if (typeof value !== 'number' || value > s.maxReplicas) out.push({ path, message: `${what} is ${JSON.stringify(value)}; the profile allows at most ${s.maxReplicas}.` });
    };
    if (REPLICATED.has(obj?.kind)) tooMany('spec.replicas', obj.spec?.replicas, 'spec.replicas');
    if (obj?.kind === 'HorizontalPodAutoscaler') tooMany('spec.maxReplicas', obj.spec?.maxReplicas, 'the autoscaler\'s maxReplicas');
    const limits: [string, string | undefined][] = [['cpu', s.maxContainerCpu], ['memory', s.maxContainerMemory]];
    if (limits.every(([, max]) => max === undefined)) return out;
    return [...out, ...checkPods(obj, pod => {
      const v: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        for (const section of ['requests', 'limits']) {
          for (const [resource, max] of limits) {
            if (max === undefined) continue;
            const q = c.container.resources?.[section]?.[resource];
            if (q === undefined) continue;
            const path = `${c.path}.resources.${section}.${resource}`;
            const value = typeof q === 'number' ? q : parseQuantity(q);
            if (isUnresolved(q)) v.push({ path, message: `container "${c.name}" ${section}.${resource} is an unresolved token.`, unevaluable: true });
            else if (value === undefined || value > (parseQuantity(max) as number)) {
              v.push({ path, message: `container "${c.name}" ${section}.${resource} is ${JSON.stringify(q)}; the profile allows at most ${max}.` });
            }
          }
        }
      }
      return v;
    })];
  },
};
