import { ObjectMemo } from '../../../kube/cache';
import { checkPods, namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';
import { kubernetesNetworkPolicies } from '../kind-groups';
import { selectorSelects } from './set-util';

/**
 * True if a label selector (matchLabels / matchExpressions) selects the given labels: the one matcher the deployment
 * rules share (set-util.ts), re-exported under the name this rule's index and its tests use.
 */
export const selects = selectorSelects;

const isPlainRecord = (x: unknown): x is { [k: string]: unknown } => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A label value that can be compared by a map key: strict equality of primitives is equality of their keys. */
function indexable(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && !Number.isNaN(v));
}

function pairKey(k: string, v: string | number | boolean): string {
  return `${k}\u0000${typeof v}\u0000${String(v)}`;
}

/**
 * The NetworkPolicies of one namespace indexed by what their podSelector requires, so that "does any policy select
 * these labels" costs the labels of the pod plus the candidates that share one required label with it, not every
 * policy of the namespace. Each policy is filed once:
 * - `all`: an empty selector (selects every pod);
 * - `byPair`: under the rarest of its matchLabels pairs, else under each value of an `In` expression (a pod it selects
 *   has that key=value label);
 * - `byKey`: under the key of an `Exists` expression;
 * - `scan`: anything else (only NotIn / DoesNotExist expressions, values that are not label values), checked in full.
 * Every candidate is confirmed with `selects`; a key collision only adds a candidate. The index is `null` when a
 * selector is malformed (`selects` could throw): the caller then scans in list order, as before, throwing the same error.
 */
interface PolicyIndex {
  readonly all: boolean;
  readonly byPair: Map<string, any[]>;
  readonly byKey: Map<string, any[]>;
  readonly scan: any[];
}

const policyIndexes = new ObjectMemo<readonly any[], PolicyIndex | null>();

function selectorOf(policy: any): any {
  return policy?.spec?.podSelector ?? {};
}

function indexPolicies(policies: readonly any[]): PolicyIndex | null {
  const wellFormed = policies.every(p => {
    const sel = selectorOf(p);
    if (!sel || typeof sel !== 'object') return true; // selects nothing, never throws
    const ml = sel.matchLabels ?? {};
    const me = sel.matchExpressions ?? [];
    return isPlainRecord(ml) && Array.isArray(me) && me.every(e => isPlainRecord(e) && (e.values === undefined || Array.isArray(e.values)));
  });
  if (!wellFormed) return null;
  // Each policy's matchLabels pair keys are built once (the first pass counts them, the second files the policy).
  const pairCount = new Map<string, number>();
  const pairKeys: (string[] | undefined)[] = new Array(policies.length);
  const pairCounts: number[] = new Array(policies.length).fill(0);
  for (let i = 0; i < policies.length; i++) {
    const sel = selectorOf(policies[i]);
    if (!sel || typeof sel !== 'object') continue;
    const ml = sel.matchLabels ?? {};
    const names = Object.keys(ml);
    pairCounts[i] = names.length;
    let keys: string[] | undefined = [];
    for (const k of names) {
      const v = ml[k];
      if (!indexable(v)) { keys = undefined; continue; } // not every pair is indexable: not filed by pair
      const key = pairKey(k, v);
      keys?.push(key);
      pairCount.set(key, (pairCount.get(key) ?? 0) + 1);
    }
    pairKeys[i] = keys;
  }
  const index: PolicyIndex = { all: false, byPair: new Map(), byKey: new Map(), scan: [] };
  const file = (map: Map<string, any[]>, key: string, p: any) => {
    const list = map.get(key);
    if (list) list.push(p); else map.set(key, [p]);
  };
  let all = false;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i];
    const sel = selectorOf(p);
    if (!sel || typeof sel !== 'object') continue; // selects nothing
    const exprs: any[] = sel.matchExpressions ?? [];
    const pairCountOfPolicy = pairCounts[i]; // its matchLabels entries
    if (pairCountOfPolicy === 0 && exprs.length === 0) { all = true; continue; }
    const keys = pairKeys[i];
    if (pairCountOfPolicy > 0 && keys !== undefined) {
      let best = keys[0];
      for (const k of keys) if ((pairCount.get(k) ?? 0) < (pairCount.get(best) ?? 0)) best = k;
      file(index.byPair, best, p);
      continue;
    }
    const inExpr = pairCountOfPolicy === 0
      ? exprs.find(e => e.operator === 'In' && typeof e.key === 'string' && Array.isArray(e.values) && e.values.length > 0 && e.values.every(indexable))
      : undefined;
    if (inExpr) {
      for (const v of new Set<string | number | boolean>(inExpr.values)) file(index.byPair, pairKey(inExpr.key, v), p);
      continue;
    }
    const exists = pairCountOfPolicy === 0 ? exprs.find(e => e.operator === 'Exists' && typeof e.key === 'string') : undefined;
    if (exists) { file(index.byKey, exists.key, p); continue; }
    index.scan.push(p);
  }
  return { ...index, all };
}

/**
 * True if any of the NetworkPolicies (one namespace of an evaluated set) selects pods with these labels: the same
 * answer as `policies.some(p => selects(p.spec?.podSelector ?? {}, labels))`, in time linear in the labels and the
 * candidates rather than in the policies (the index is built once per evaluated set and namespace).
 */
export function anyPolicySelects(policies: readonly any[], labels: any): boolean {
  if (policies.length === 0) return false;
  let index = policyIndexes.get(policies);
  if (index === undefined) {
    index = indexPolicies(policies);
    policyIndexes.set(policies, index);
  }
  if (index === null || !isPlainRecord(labels)) return policies.some(o => selects(selectorOf(o), labels as any));
  if (index.all) return true;
  // Runs for every pod: plain loops, no candidate list built (the same candidates, in the same order).
  const selectsLabels = (o: any) => selects(selectorOf(o), labels as any);
  for (const k of Object.keys(labels)) {
    const v = labels[k];
    const byPair = indexable(v) ? index.byPair.get(pairKey(k, v)) : undefined;
    if (byPair !== undefined && byPair.some(selectsLabels)) return true;
    const byKey = index.byKey.get(k);
    if (byKey !== undefined && byKey.some(selectsLabels)) return true;
  }
  return index.scan.length > 0 && index.scan.some(selectsLabels);
}

const byDirection = new ObjectMemo<readonly any[], { Ingress: any[]; Egress: any[] }>();

/**
 * The policies of a list that isolate one direction, as the API server defaults `policyTypes`: when unset, Ingress
 * always, and Egress when the policy has an `egress` section. Cached per list, so the selector index stays per list.
 */
export function policiesIsolating(policies: readonly any[], direction: 'Ingress' | 'Egress'): any[] {
  let split = byDirection.get(policies);
  if (!split) {
    split = { Ingress: [], Egress: [] };
    for (const p of policies) {
      const types = Array.isArray(p?.spec?.policyTypes) ? p.spec.policyTypes
        : ['Ingress', ...(p?.spec?.egress !== undefined ? ['Egress'] : [])];
      if (types.includes('Ingress')) split.Ingress.push(p);
      if (types.includes('Egress')) split.Egress.push(p);
    }
    byDirection.set(policies, split);
  }
  return split[direction];
}

/** One namespace's Kubernetes NetworkPolicies (not Calico's: kind-groups.ts), and those isolating each direction. */
interface NamespaceIsolation {
  readonly all: readonly any[];
  readonly ingress: readonly any[];
  readonly egress: readonly any[];
}

const isolationByNamespace = new ObjectMemo<readonly any[], Map<string, NamespaceIsolation>>();

/** The NetworkPolicies of a namespace of an evaluated set, looked up once per namespace rather than per pod. */
function isolationIn(objects: readonly any[], namespace: string): NamespaceIsolation {
  let byNamespace = isolationByNamespace.get(objects);
  if (!byNamespace) {
    byNamespace = new Map();
    isolationByNamespace.set(objects, byNamespace);
  }
  let entry = byNamespace.get(namespace);
  if (!entry) {
    const all = kubernetesNetworkPolicies(objectsIn(objects, 'NetworkPolicy', namespace));
    // A direction every policy isolates gets the list itself (the same policies in the same order), so that
    // anyPolicySelects indexes it once, not once per list (e.g. a namespace of ingress-only policies).
    const sameOrAll = (list: readonly any[]) => (list.length === all.length ? all : list);
    entry = { all, ingress: sameOrAll(policiesIsolating(all, 'Ingress')), egress: sameOrAll(policiesIsolating(all, 'Egress')) };
    byNamespace.set(namespace, entry);
  }
  return entry;
}

export const workloadNetworkPolicy: IRule = {
  id: 'workload-network-policy',
  title: 'Every workload is isolated by NetworkPolicies in its namespace, for ingress and for egress',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'Pods not selected by any NetworkPolicy accept traffic from every pod in the cluster and may reach anything: ' +
    'a compromised neighbour can move laterally. Evaluated against the NetworkPolicies in the same evaluated set ' +
    '(chart or files); a namespace-wide default deny (empty podSelector) counts. Both directions must be isolated: a policy ' +
    'isolates only the directions of its policyTypes (unset: Ingress, plus Egress when it has an egress section), so an ' +
    'ingress-only policy leaves the pods free to reach anything (exfiltration, lateral movement).',
  remediation: 'Add NetworkPolicies selecting the pods for Ingress and Egress (HardenedDeployment emits one; IsolatedNamespace emits a default deny).',
  references: ['CIS Kubernetes Benchmark 5.3.2: Ensure that all Namespaces have Network Policies defined', 'Kubernetes docs: Network Policies'],
  peers: ['kube-linter:non-isolated-pod', 'polaris:missingNetworkPolicy', 'kyverno:best-practices/add-network-policy'],
  threats: ['I3-lateral-movement'],
  admission: { notGenerated: 'cross-object: needs the NetworkPolicies of the namespace' },
  check(obj, ctx) {
    if (obj?.kind === 'PodTemplate') return []; // a PodTemplate runs no pods
    return checkPods(obj, pod => {
      const ns = namespaceOf(obj);
      const labels = pod.metadata?.labels ?? {};
      const policies = isolationIn(ctx.objects, ns);
      const ingressOpen = !anyPolicySelects(policies.ingress, labels);
      const egressOpen = !anyPolicySelects(policies.egress, labels);
      if (!ingressOpen && !egressOpen) return [];
      const message = (ingressOpen && egressOpen) || !anyPolicySelects(policies.all, labels)
        ? `no NetworkPolicy in namespace "${ns}" selects these pods.`
        : `the NetworkPolicies in namespace "${ns}" that select these pods isolate only ${ingressOpen ? 'egress' : 'ingress'}: ${ingressOpen ? 'ingress' : 'egress'} is open (policyTypes).`;
      return [{ path: `${pod.metadataPath}.labels`, message }];
    }, { podsOnly: true });
  },
};
