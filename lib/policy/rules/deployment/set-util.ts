import { ObjectMemo } from '../../../kube/cache';
import { podSpecsOf, namespaceOf, PodSpecRef } from '../../../kube/manifest';

/** A pod template (or Pod) of the evaluated set, with the object carrying it. */
export interface PodInSet {
  readonly obj: any;
  readonly pod: PodSpecRef;
  readonly labels: { [k: string]: string };
}

const podIndex = new ObjectMemo<readonly any[], Map<string, PodInSet[]>>();

/** The answer "no pod" (shared: callers only read these lists). */
const NO_PODS: PodInSet[] = Object.freeze([]) as unknown as PodInSet[];

/**
 * The pods (real PodSpecs, not fragments, not PodTemplates: those run nothing) of one namespace of an evaluated set.
 * The set is indexed once per evaluation, so cross-object rules stay linear.
 */
export function podsIn(objects: readonly any[], namespace: string): PodInSet[] {
  let index = podIndex.get(objects);
  if (!index) {
    index = new Map();
    for (const obj of objects) {
      if (obj?.kind === 'PodTemplate') continue;
      for (const pod of podSpecsOf(obj)) {
        if (pod.shape !== 'pod') continue;
        const ns = namespaceOf(obj);
        const labels = pod.metadata?.labels && typeof pod.metadata.labels === 'object' ? pod.metadata.labels : {};
        const list = index.get(ns);
        const entry = { obj, pod, labels };
        if (list) list.push(entry); else index.set(ns, [entry]);
      }
    }
    podIndex.set(objects, index);
  }
  return index.get(namespace) ?? NO_PODS;
}

/** True if a label selector (matchLabels / matchExpressions) selects the labels; an empty selector selects everything. */
export function selectorSelects(selector: any, labels: { [k: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const matchLabels = selector.matchLabels ?? {};
  for (const k of Object.keys(matchLabels)) if (labels[k] !== matchLabels[k]) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const val = labels[e?.key];
    const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(val)) return false; break;
      case 'NotIn': if (has && values.includes(val)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** True if a map selector (Service, ReplicationController) selects the labels. */
export function mapSelects(selector: { [k: string]: unknown }, labels: { [k: string]: string }): boolean {
  for (const k of Object.keys(selector)) if (labels[k] !== selector[k]) return false;
  return true;
}

/** The replicated workloads a PodDisruptionBudget or HPA may name, as `Kind/name`. */
export const SCALABLE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout'];

/** Declared replicas of a scalable workload (the API default is 1). */
export function replicasOf(obj: any): number | undefined {
  const r = obj?.spec?.replicas;
  if (r === undefined || r === null) return 1;
  return typeof r === 'number' ? r : undefined;
}

/** True for a string that is an IANA service name, as Kubernetes validates port names (RFC 6335 5.1). */
export function isPortName(v: string): boolean {
  return v.length >= 1 && v.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v) && /[a-z]/.test(v) && !v.includes('--');
}

const nameIndex = new ObjectMemo<readonly any[], Map<string, any>>();

/** The object of a list (from `objectsIn`) with this metadata.name; the list is indexed once. */
export function byName(list: readonly any[], name: unknown): any {
  if (list.length === 0) return undefined; // objectsIn's answer for a namespace without such objects: a new list each time
  let index = nameIndex.get(list);
  if (!index) {
    index = new Map();
    for (const o of list) if (typeof o?.metadata?.name === 'string' && !index.has(o.metadata.name)) index.set(o.metadata.name, o);
    nameIndex.set(list, index);
  }
  return typeof name === 'string' ? index.get(name) : undefined;
}

const labelIndex = new ObjectMemo<readonly PodInSet[], Map<string, PodInSet[]>>();

/**
 * The pods of a namespace that may match a selector whose `matchLabels` (or map selector) is `pairs`: the pods holding
 * the rarest of its key=value pairs (all pods when it has none). Callers still evaluate the full selector. Keeps
 * selector-to-pod matching linear in practice (each selector reads only the pods that share a label with it).
 */
export function candidatePods(objects: readonly any[], namespace: string, pairs: unknown): PodInSet[] {
  return candidatesAmong(podsIn(objects, namespace), pairs);
}

/** `candidatePods` for the pods `podsIn` gave (a caller that already holds them). */
export function candidatesAmong(pods: PodInSet[], pairs: unknown): PodInSet[] {
  if (!pairs || typeof pairs !== 'object') return pods;
  const keys = Object.keys(pairs);
  if (keys.length === 0) return pods;
  let index = labelIndex.get(pods);
  if (!index) {
    index = new Map();
    for (const p of pods) {
      for (const [k, v] of Object.entries(p.labels)) {
        const key = `${k}\u0000${String(v)}`;
        const list = index.get(key);
        if (list) list.push(p); else index.set(key, [p]);
      }
    }
    labelIndex.set(pods, index);
  }
  let best: PodInSet[] | undefined;
  for (const k of keys) {
    const v = (pairs as { [k: string]: unknown })[k];
    if (typeof v !== 'string') return NO_PODS; // a label value is a string: a non-string selects nothing
    const list = index.get(`${k}\u0000${v}`) ?? NO_PODS;
    if (!best || list.length < best.length) best = list;
  }
  return best ?? pods;
}

const selectorIndex = new ObjectMemo<readonly any[], { keyed: Map<string, any[]>; unkeyed: any[] }>();
const NO_SELECTORS: { keyed: Map<string, any[]>; unkeyed: any[] } = Object.freeze({ keyed: new Map<string, any[]>(), unkeyed: [] }); // read only

/**
 * The objects of a list (from `objectsIn`, e.g. PodDisruptionBudgets) whose `spec.selector` may select `labels`: those
 * keyed on one of the labels' key=value pairs, plus those without matchLabels. Callers evaluate the full selector.
 */
export function candidateSelectors(list: readonly any[], labels: { [k: string]: string }): any[] {
  // objectsIn answers a namespace without such objects with a new empty list each time: not worth an index each
  let index = list.length === 0 ? NO_SELECTORS : selectorIndex.get(list);
  if (!index) {
    index = { keyed: new Map(), unkeyed: [] };
    for (const o of list) {
      const ml = o?.spec?.selector?.matchLabels;
      const first = ml && typeof ml === 'object' ? Object.entries(ml)[0] : undefined;
      if (!first) { index.unkeyed.push(o); continue; }
      const key = `${first[0]}\u0000${String(first[1])}`;
      const l = index.keyed.get(key);
      if (l) l.push(o); else index.keyed.set(key, [o]);
    }
    selectorIndex.set(list, index);
  }
  const out = index.unkeyed.slice();
  for (const k of Object.keys(labels)) {
    const keyed = index.keyed.get(`${k}\u0000${String(labels[k])}`);
    if (keyed !== undefined) for (const o of keyed) out.push(o);
  }
  return out;
}
