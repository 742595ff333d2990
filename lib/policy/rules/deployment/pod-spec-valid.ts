import { DNS1123_SUBDOMAIN, ENV_NAME, isLabelKey, isLabelValue, parseQuantity } from '../../../kube/k8s-syntax';
import { checkPods, ContainerRef, containersOf, PodSpecRef } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A quantity as written in YAML: a string, or a plain number (`cpu: 1`). */
function quantity(q: unknown): number | undefined {
  return typeof q === 'number' ? q : parseQuantity(q);
}
const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

export const podSpecValid: IRule = {
  id: 'pod-spec-valid',
  title: 'Pod spec fields are valid: quantities, limits not below requests, env names, node placement, runtime class',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'The API server rejects a pod whose resource limit is below its request, whose environment variable ' +
    'names or node selector labels are malformed, whose tolerations name an unknown effect or operator, or whose ' +
    'runtimeClassName is not a DNS subdomain, or whose resource quantities cannot be read. Such a manifest fails at ' +
    'deploy time, often halfway through a rollout; checked here so the failure happens before deployment.',
  remediation: 'Set each limit at or above its request; name env vars [-._a-zA-Z][-._a-zA-Z0-9]*; use valid label keys and ' +
    'values in nodeSelector; give tolerations an effect of NoSchedule, PreferNoSchedule or NoExecute and operator Equal ' +
    'or Exists (no value with Exists, a key with Equal); use a RuntimeClass name such as "gvisor"; write quantities such ' +
    'as "250m", "1", "512Mi".',
  references: ['Kubernetes API validation (k8s.io/kubernetes/pkg/apis/core/validation)', 'Kubernetes docs: Taints and Tolerations'],
  peers: ['kube-linter:schema-validation'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'the API server\'s own validation rejects these objects before admission policies run' },
  check(obj) {
    return checkPods(obj, checkPod, { podsOnly: true });
  },
};

/** The entries of a container's `resources.requests` or `resources.limits` that are not quantities. */
function quantitiesOf(c: ContainerRef, kind: 'requests' | 'limits', values: any, out: RuleViolation[]): void {
  for (const r of Object.keys(values)) {
    const q = values[r];
    if (typeof q === 'number' ? !(Number.isFinite(q) && q >= 0) : parseQuantity(q) === undefined) {
      out.push({ path: `${c.path}.resources.${kind}.${r}`, message: `container "${c.name}" ${kind} ${r}: ${JSON.stringify(q)} is not a quantity.` });
    }
  }
}

function checkPod(pod: PodSpecRef): RuleViolation[] {
  {
    const out: RuleViolation[] = [];
    for (const c of containersOf(pod)) {
      const requests = c.container.resources?.requests ?? {};
      const limits = c.container.resources?.limits ?? {};
      quantitiesOf(c, 'requests', requests, out);
      quantitiesOf(c, 'limits', limits, out);
      for (const r of RESOURCES) {
        if (requests[r] === undefined || limits[r] === undefined) continue; // nothing to compare (quantity(undefined) is undefined)
        const req = quantity(requests[r]);
        const lim = quantity(limits[r]);
        if (req !== undefined && lim !== undefined && lim < req) {
          out.push({ path: `${c.path}.resources.limits.${r}`, message: `container "${c.name}" limits ${r} to ${limits[r]}, below its request ${requests[r]}.` });
        }
      }
      const env = c.container.env;
      if (Array.isArray(env)) {
        for (let i = 0; i < env.length; i++) {
          const e = env[i];
          if (typeof e?.name !== 'string' || !ENV_NAME.test(e.name)) {
            out.push({ path: `${c.path}.env[${i}].name`, message: `container "${c.name}" has an invalid env var name ${JSON.stringify(e?.name)}.` });
          }
        }
      }
    }
    const selector = pod.spec.nodeSelector ?? {};
    for (const k of Object.keys(selector)) {
      const v = selector[k];
      if (!isLabelKey(k) || !isLabelValue(v)) out.push({ path: `${pod.path}.nodeSelector`, message: `nodeSelector ${JSON.stringify(k)}: ${JSON.stringify(v)} is not a valid label.` });
    }
    const tolerations: any[] = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : [];
    tolerations.forEach((t, i) => {
      const path = `${pod.path}.tolerations[${i}]`;
      const operator = t?.operator ?? 'Equal';
      if (!t?.key) {
        // a keyless toleration is valid only with operator Exists (toleration-any-taint judges that one)
        if (operator !== 'Exists') out.push({ path: `${path}.key`, message: 'toleration has no key, which requires operator Exists.' });
      } else if (!isLabelKey(t.key)) out.push({ path: `${path}.key`, message: `toleration key ${JSON.stringify(t.key)} is not a label key.` });
      if (!['Equal', 'Exists'].includes(operator)) out.push({ path: `${path}.operator`, message: `toleration operator ${JSON.stringify(operator)} is not Equal or Exists.` });
      if (operator === 'Exists' && t?.value) out.push({ path: `${path}.value`, message: 'toleration with operator Exists sets a value.' });
      if (t?.effect !== undefined && !TAINT_EFFECTS.includes(t.effect)) out.push({ path: `${path}.effect`, message: `toleration effect ${JSON.stringify(t.effect)} is not one of ${TAINT_EFFECTS.join(', ')}.` });
    });
    const rc = pod.spec.runtimeClassName;
    if (rc !== undefined && (typeof rc !== 'string' || !DNS1123_SUBDOMAIN.test(rc))) {
      out.push({ path: `${pod.path}.runtimeClassName`, message: `runtimeClassName ${JSON.stringify(rc)} is not a DNS subdomain.` });
    }
    return out;
  }
}
