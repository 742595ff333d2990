import { ObjectMemo } from '../../../kube/cache';
import { checkPods, namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

const byName = new ObjectMemo<readonly any[], Map<unknown, any>>();

/**
 * `objects.find(o => o.metadata?.name === name)`, through a name index built once per list (one kind and namespace
 * of an evaluated set), so that a namespace of n pods and n ServiceAccounts costs n lookups, not n².
 */
function firstNamed(objects: readonly any[], name: unknown): any {
  if (objects.length === 0 || (typeof name === 'number' && Number.isNaN(name))) return undefined; // NaN === NaN is false
  let index = byName.get(objects);
  if (!index) {
    index = new Map();
    for (const o of objects) {
      const n = o?.metadata?.name;
      if (!index.has(n)) index.set(n, o);
    }
    byName.set(objects, index);
  }
  return index.get(name);
}

export const serviceAccountTokenAutomount: IRule = {
  id: 'service-account-token-automount',
  title: 'Service account tokens are not automounted',
  stride: [Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'An automounted token lets anyone who compromises the container call the Kubernetes API as the workload. ' +
    'Most workloads never call the API. A pod passes when it sets automountServiceAccountToken: false, or leaves it unset ' +
    'and uses a ServiceAccount (in the evaluated set) that sets it to false; a ServiceAccount passes when it sets false. ' +
    'Workloads that need the API mount an explicit, short-lived projected token.',
  remediation: 'Set automountServiceAccountToken: false on the ServiceAccount and the pod spec; mount a projected ' +
    'serviceAccountToken volume with a short expiry only where API access is needed (HardenedDeployment `apiAccess`).',
  references: ['CIS Kubernetes Benchmark 5.1.6: Ensure that Service Account Tokens are only mounted where necessary'],
  peers: ['polaris:automountServiceAccountToken', 'kubesec:AutomountServiceAccountToken', 'gatekeeper:general/automount-serviceaccount-token'],
  threats: ['S1-stolen-service-account-token'],
  admission: {
    notGenerated: 'cross-object: an unset automountServiceAccountToken passes when the pod\'s ServiceAccount disables it; admission sees only the ' +
      'pod',
  },
  check(obj, ctx) {
    if (obj?.kind === 'ServiceAccount') {
      return obj.automountServiceAccountToken === false ? [] : [{
        path: 'automountServiceAccountToken',
        message: `ServiceAccount "${obj.metadata?.name}" does not set automountServiceAccountToken: false.`,
      }];
    }
    return checkPods(obj, pod => {
      const v = pod.spec.automountServiceAccountToken;
      if (v === false) return [];
      if (v === true) return [{ path: `${pod.path}.automountServiceAccountToken`, message: 'pod sets automountServiceAccountToken: true.' }];
      const saName = pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default';
      const sa = firstNamed(objectsIn(ctx.objects, 'ServiceAccount', namespaceOf(obj)), saName);
      if (sa?.automountServiceAccountToken === false) return [];
      return [{
        path: `${pod.path}.automountServiceAccountToken`,
        message: `pod leaves automountServiceAccountToken unset and ServiceAccount "${saName}" ${sa ? 'does not disable it' : 'is not in the evaluated set'}.`,
      }];
    }, { podsOnly: true });
  },
};
