/**
 * Helpers to read Kubernetes objects as plain JSON. Internal to the policy engine and rules.
 */

/** Kinds that carry a pod spec, and where. */
const POD_SPEC_PATHS: { [kind: string]: string[] } = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Every kind that holds a pod template (or is a Pod). */
export const POD_KINDS: string[] = Object.keys(POD_SPEC_PATHS);

/** A located pod spec. */
export interface PodSpecRef {
  readonly spec: any;
  /** JSON path prefix, e.g. `spec.template.spec`. */
  readonly path: string;
  /** Pod-level metadata (annotations live here), e.g. `spec.template.metadata`. */
  readonly metadata: any;
  readonly metadataPath: string;
}

export function podSpecOf(obj: any): PodSpecRef | undefined {
  const segments = POD_SPEC_PATHS[obj?.kind];
  if (!segments) return undefined;
  let cur = obj;
  for (const s of segments) {
    cur = cur?.[s];
  }
  if (!cur || typeof cur !== 'object') return undefined;
  const metaSegments = [...segments.slice(0, -1), 'metadata'];
  let meta = obj;
  for (const s of metaSegments) meta = meta?.[s];
  return { spec: cur, path: segments.join('.'), metadata: meta ?? {}, metadataPath: metaSegments.join('.') };
}

/** A container of a pod spec with its JSON path. */
export interface ContainerRef {
  readonly container: any;
  readonly path: string;
  readonly field: 'containers' | 'initContainers' | 'ephemeralContainers';
  readonly name: string;
}

export function containersOf(pod: PodSpecRef): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: any, i: number) => out.push({
      container: c ?? {},
      path: `${pod.path}.${field}[${i}]`,
      field,
      name: String(c?.name ?? `#${i}`),
    }));
  }
  return out;
}

/**
 * Effective value of a securityContext field that exists at both pod and container level
 * (container wins), with the path where it was set.
 */
export function effective(pod: PodSpecRef, c: ContainerRef, field: string): { value: any; path: string } {
  const cv = c.container.securityContext?.[field];
  if (cv !== undefined && cv !== null) return { value: cv, path: `${c.path}.securityContext.${field}` };
  const pv = pod.spec.securityContext?.[field];
  if (pv !== undefined && pv !== null) return { value: pv, path: `${pod.path}.securityContext.${field}` };
  return { value: undefined, path: `${c.path}.securityContext.${field}` };
}

/** True for Windows pods (some restricted controls are exempt for `spec.os.name: windows`). */
export function isWindowsPod(pod: PodSpecRef): boolean {
  return pod.spec.os?.name === 'windows';
}

const TOKEN_STRING = '${Token[';

/** True when a value is (or contains) an unresolved AWS CDK / cdk8s token. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(TOKEN_STRING);
  // aws-cdk numeric tokens encode as numbers around -1.888e+289
  if (typeof value === 'number') return value < -1e288;
  return false;
}

/** JSON paths of every unresolved token inside a value. */
export function findUnresolved(value: unknown, path = ''): string[] {
  // Paths are built only for values that hold a token: almost every object holds none (a guard evaluates every object).
  return hasUnresolved(value) ? collectUnresolved(value, path) : [];
}

function hasUnresolved(value: unknown): boolean {
  if (isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(hasUnresolved);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isUnresolved(k) || hasUnresolved(v)) return true;
    }
  }
  return false;
}

function collectUnresolved(value: unknown, path: string): string[] {
  if (isUnresolved(value)) return [path || '.'];
  const out: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...collectUnresolved(v, `${path}[${i}]`)));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isUnresolved(k)) out.push(path ? `${path}.${k}` : k);
      out.push(...collectUnresolved(v, joinPath(path, k)));
    }
  }
  return out;
}

/** Append a key to a JSON path, bracket-quoting keys that are not identifiers. */
export function joinPath(path: string, key: string): string {
  const seg = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!path) return seg.startsWith('[') ? seg : seg;
  return seg.startsWith('[') ? `${path}${seg}` : `${path}.${seg}`;
}

/** Read a value at a dotted path (`a.b[0].c`). */
export function getPath(obj: any, path: string): any {
  const parts = path.match(/[^.[\]"]+|\["[^"]*"\]/g) ?? [];
  let cur = obj;
  for (const p of parts) {
    const key = p.startsWith('["') ? JSON.parse(p.slice(1, -1)) : p;
    if (cur === undefined || cur === null) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Cluster-scoped core kinds (never carry metadata.namespace). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'IngressClass', 'ClusterIssuer',
  'ConstraintTemplate', 'IPPool', 'ClusterSecretStore', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration',
]);

/** Namespace of a namespaced object as the API server would place it without `-n`: metadata.namespace or "default". */
export function namespaceOf(obj: any): string {
  return obj?.metadata?.namespace ?? 'default';
}

const byKindAndNamespace = new WeakMap<readonly any[], Map<string, any[]>>();

/**
 * The objects of one kind in one namespace of an evaluated set. The set is indexed once (the engine builds a fresh
 * array per evaluation), so cross-object rules stay linear in the number of objects.
 */
export function objectsIn(objects: readonly any[], kind: string, namespace: string): any[] {
  let index = byKindAndNamespace.get(objects);
  if (!index) {
    index = new Map();
    for (const o of objects) {
      if (typeof o?.kind !== 'string') continue;
      const key = `${o.kind}\u0000${namespaceOf(o)}`;
      const list = index.get(key);
      if (list) list.push(o); else index.set(key, [o]);
    }
    byKindAndNamespace.set(objects, index);
  }
  return index.get(`${kind}\u0000${namespace}`) ?? [];
}
