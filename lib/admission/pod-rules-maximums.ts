/**
 * profile-maximums at admission: the profile's maxReplicas (spec.replicas of the replicated kinds) and
 * maxContainerCpu / maxContainerMemory (every request and limit of every container), with exactly the TypeScript rule's
 * verdicts (lib/policy/rules/deployment/profile-maximums.ts).
 *
 * Quantities are read in plain CEL (the Kubernetes 1.28 environment: no quantity() library, no optionals, no cel.bind)
 * the way lib/kube/k8s-syntax.ts parseQuantity reads them: a binary suffix (Ki..Ei) is `double(number) * 2^k` (exact
 * in both languages), any other quantity is `double(number + 'e' + exponent)`, the same decimal string TypeScript gives
 * to `Number()`: both round it correctly to the same IEEE double.
 *
 * Fail-closed (denied although the TypeScript rule may pass them), documented in the rule and the admission guide:
 * quantities longer than 40 characters and exponents of more than 3 digits (cel-go's double() and int() fail on
 * out-of-range strings). A non-zero number with an exponent of 250 or more is denied too; the policy is generated only
 * for maximums below 1e200, where such a number (at most 40 characters) is always above the maximum, so that is the
 * TypeScript verdict.
 */
import { parseQuantity } from '../kube/k8s-syntax';
import { PolicySettings } from '../policy/types';
import { AdmissionRule, eachContainer, hasChain, lit, litList, okOr } from './cel-rules';

const ALL_CONTAINERS = ['containers', 'initContainers', 'ephemeralContainers'];
/** profile-maximums' REPLICATED kinds (any group, as the rule reads the kind only). */
export const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'CloneSet'];
/** Maximums at or above this are not generated (see the header). */
export const MAX_GENERATED = 1e200;
/** Longest quantity string the policy parses (longer: denied). */
export const MAX_QUANTITY_CHARS = 40;

const QUANTITY_RE = '^([0-9]+([.][0-9]*)?|[.][0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)?$';
const BINARY: [string, number][] = [['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60]];
const DECIMAL: [string, number][] = [['m', -3], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18]];

/** A CEL double literal of exactly `x` (shortest round-trip digits). */
export function doubleLit(x: number): string {
  return x.toExponential();
}

/** The profile's CPU and memory maximums that the policy judges: [resource, maximum as a double]. */
function quantityMaximums(s: PolicySettings): [string, number][] {
  const out: [string, number][] = [];
  for (const [resource, max] of [['cpu', s.maxContainerCpu], ['memory', s.maxContainerMemory]] as [string, string | undefined][]) {
    if (max !== undefined) out.push([resource, parseQuantity(max) as number]);
  }
  return out;
}

/** Whether the policy is generated for these settings: some maximum is set, and every one is a finite number below 1e200. */
export function maximumsGenerated(s: PolicySettings): boolean {
  const q = quantityMaximums(s);
  if (s.maxReplicas === undefined && q.length === 0) return false;
  const ok = (x: number | undefined) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < MAX_GENERATED;
  return (s.maxReplicas === undefined || ok(s.maxReplicas)) && q.every(([, m]) => ok(m));
}

/** CEL: the string quantity `q` (already matched) is at most `max`. */
function stringAtMost(q: string, max: string): string {
  const binary = BINARY.map(([suffix, k]) => `${q}.endsWith('${suffix}') ? double(${q}.substring(0, size(${q}) - 2)) * ${doubleLit(2 ** k)} <= ${max}`).join(' : ');
  // a decimal quantity: its number and exponent as strings (n, e); the value is double(n + 'e' + e)
  const decimal = (n: string, e: string, eDigits: string, negative: string) =>
    `[${n}].all(n, [${e}].all(e, ${eDigits}.size() <= 3 && (n.matches('^[0.]*$') || ${negative} || int(${eDigits}) < 250) && double(n + 'e' + e) <= ${max}))`;
  const si = DECIMAL.map(([suffix, x]) => `${q}.endsWith('${suffix}') ? double(${q}.substring(0, size(${q}) - 1) + 'e${x}') <= ${max}`).join(' : ');
  const idx = `(${q}.indexOf('e') >= 0 ? ${q}.indexOf('e') : ${q}.indexOf('E'))`;
  const exponent = `[${idx}].all(i, ${decimal(`${q}.substring(0, i)`, `${q}.substring(i + 1)`,
    `${q}.substring(i + 1).substring(${q}.substring(i + 1).matches('^[-+]') ? 1 : 0)`, `${q}.substring(i + 1).startsWith('-')`)})`;
  return `(${binary} : ${si} : ${q}.matches('[eE]') ? ${exponent} : double(${q}) <= ${max})`;
}

/** CEL: the quantity value `q` (any JSON type) passes under `max` (TypeScript: a number compared as is, a string parsed). */
function quantityOk(q: string, max: string): string {
  return `(type(${q}) == string ? (size(${q}) <= ${MAX_QUANTITY_CHARS} && ${q}.matches(${lit(QUANTITY_RE)}) && ${stringAtMost(q, max)}) : ` +
    `((type(${q}) == int || type(${q}) == double) && double(${q}) >= -1e288 && double(${q}) <= ${max}))`;
}

/** The users the kube-controller-manager's deployment controller writes ReplicaSets as (with and without --use-service-account-credentials). */
export const DEPLOYMENT_CONTROLLER_USERS = ['system:serviceaccount:kube-system:deployment-controller', 'system:kube-controller-manager'];

/**
 * The TypeScript form of the policy's exemption: the deployment controller's own write of `spec.replicas` of a
 * ReplicaSet that an apps/v1 Deployment controls (for the impact report, which knows who creates each object).
 */
export function deploymentReplicaSetExempt(ruleId: string, obj: any, username: string, path: string): boolean {
  return ruleId === 'profile-maximums' && path === 'spec.replicas' && obj?.kind === 'ReplicaSet' && DEPLOYMENT_CONTROLLER_USERS.includes(username) &&
    Array.isArray(obj?.metadata?.ownerReferences) &&
    obj.metadata.ownerReferences.some((o: any) => o !== null && typeof o === 'object' && o.controller === true && o.kind === 'Deployment' && o.apiVersion === 'apps/v1');
}

/** The rule (generated only when maximumsGenerated(settings)). */
export function maximumsRule(s: PolicySettings): AdmissionRule {
  return {
    id: 'profile-maximums',
    objectReads: s.maxReplicas === undefined ? [] : ['object.spec.replicas'],
    expression: ctx => {
      const parts: string[] = [];
      if (s.maxReplicas !== undefined) {
        const r = 'object.spec.replicas';
        // A Deployment's ReplicaSet, written by the deployment controller, follows its Deployment (judged itself):
        // denying the controller would leave a rollout stuck after a scale through the subresource. Only the
        // controller's own requests are exempt: a user's ReplicaSet with a copied ownerReference is judged.
        const owned = `object.kind == 'ReplicaSet' && request.userInfo.username in ${litList(DEPLOYMENT_CONTROLLER_USERS)} && ` +
          'has(object.metadata.ownerReferences) && type(object.metadata.ownerReferences) == list && ' +
          'object.metadata.ownerReferences.exists(o, type(o) == map && has(o.controller) && o.controller == true && ' +
          "has(o.kind) && o.kind == 'Deployment' && has(o.apiVersion) && o.apiVersion == 'apps/v1')";
        const ok = `!(object.kind in ${litList(REPLICATED_KINDS)}) || (${owned}) || !has(object.spec) || type(object.spec) != map || !has(${r}) || ` +
          `((type(${r}) == int || type(${r}) == double) && double(${r}) >= -1e288 && double(${r}) <= ${doubleLit(s.maxReplicas)})`;
        parts.push(okOr(ctx, ok, "'spec.replicas'"));
      }
      const maxima = quantityMaximums(s);
      if (maxima.length > 0) {
        parts.push(eachContainer(ALL_CONTAINERS, (c, cp) => ['requests', 'limits'].flatMap(section => maxima.map(([resource, max]) => {
          const present = `${hasChain(c, ['resources', section])} && ${lit(resource)} in ${c}.resources.${section}`;
          const ok = `!(${present}) || [${c}.resources.${section}[${lit(resource)}]].all(q, ${quantityOk('q', doubleLit(max))})`;
          return okOr(ctx, ok, `${cp} + '.resources.${section}.${resource}'`, present);
        })).join(' && ')));
      }
      return parts.join(' && ');
    },
  };
}

/** What the policy does not judge (listed by `--not-enforced` when the policy is generated). */
export const MAXIMUMS_PARTIAL = 'a HorizontalPodAutoscaler\'s spec.maxReplicas is judged at synth time and by `check` only (the policy matches the pod ' +
  'carriers); spec.replicas set through the scale subresource (`kubectl scale`, an autoscaler) arrives as an autoscaling/v1 Scale on ' +
  '<resource>/scale, which a policy over the workloads never sees; the replicas of a Deployment\'s ReplicaSet written by the deployment controller ' +
  'are admitted, as it sets them from the Deployment (judged itself), so a rollout never gets stuck; quantities longer than 40 characters and exponents of more than 3 digits ' +
  'are denied (fail-closed) although the rule may pass them';
