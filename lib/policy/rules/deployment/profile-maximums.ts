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
    'when the profile sets no maximum (the library default).',
  remediation: 'Lower the replicas or resources to the profile\'s maximum, or ask the platform team for a nested profile ' +
    'with a higher maximum (a loosening: it needs a reasoned, expiring exception).',
  references: ['gatekeeper-library general/replicalimits and general/containerlimits (maximums)', 'STRIDE: Denial of service'],
  peers: ['gatekeeper:general/replicalimits', 'gatekeeper:general/containerlimits'],
  threats: ['D1-resource-exhaustion'],
  admission: {
    notGenerated: 'not generated, as no policy gives exactly this rule\'s verdicts on every supported version: (1) the rule compares ' +
      'quantities as doubles (parseQuantity: the number with its decimal exponent through one number literal, binary suffixes ' +
      'times 2^k), while the Kubernetes quantity() library compares exact decimals (`4.00000000000000001` passes this rule ' +
      'under a maximum of `4` and fails quantity()) and compiles in a new expression only from 1.29 (introduced at 1.28, while a ' +
      '1.28 API server compiles new expressions at its n-1 compatibility version); plain CEL `double()` reads the same doubles ' +
      'but the API server\'s cel-go fails with an evaluation error on an out-of-range string (`1e400`, a finding here), so a policy ' +
      'needs a magnitude check over the digits first (and @bufbuild/cel returns Infinity there, so the differential test cannot ' +
      'show it); (2) a HorizontalPodAutoscaler\'s spec.maxReplicas needs the policy to match autoscaling ' +
      'horizontalpodautoscalers beside the pod carriers, and pod policies are generated over the pod carriers only; (3) ' +
      'spec.replicas set through the scale subresource (`kubectl scale`, an autoscaler) arrives as an autoscaling/v1 Scale on ' +
      '<resource>/scale, which a policy over the workloads never sees. Judged at synth time and by `check` only',
  },
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
