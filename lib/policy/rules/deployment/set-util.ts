import { podSpecsOf, namespaceOf, PodSpecRef } from '../../manifest';

/** A pod template (or Pod) of the evaluated set, with the object carrying it. */
export interface PodInSet {
  readonly obj: any;
  readonly pod: PodSpecRef;
  readonly labels: { [k: string]: string };
}

const podIndex = new WeakMap<readonly any[], Map<string, PodInSet[]>>();

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
  return index.get(namespace) ?? [];
}

/** True if a label selector (matchLabels / matchExpressions) selects the labels; an empty selector selects everything. */
export function selectorSelects(selector: any, labels: { [k: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
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
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
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

const nameIndex = new WeakMap<readonly any[], Map<string, any>>();

/** The object of a list (from `objectsIn`) with this metadata.name; the list is indexed once. */
export function byName(list: readonly any[], name: unknown): any {
  let index = nameIndex.get(list);
  if (!index) {
    index = new Map();
    for (const o of list) if (typeof o?.metadata?.name === 'string' && !index.has(o.metadata.name)) index.set(o.metadata.name, o);
    nameIndex.set(list, index);
  }
  return typeof name === 'string' ? index.get(name) : undefined;
}
