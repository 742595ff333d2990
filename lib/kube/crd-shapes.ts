/**
 * Custom resources read by their CRD schema, not guessed: where the CustomResourceDefinition of an object is known (in
 * the input, or vendored for popular operators: crd-shapes-data.ts), its OpenAPI schema says which values are
 * PodSpec-, Container- and PodSecurityContext-shaped, and only those are judged as such (inference is not used).
 *
 * A schema node is
 * - a Container when it has `name`, a string `image` and a `securityContext` with container-only fields
 *   (capabilities, privileged, allowPrivilegeEscalation, readOnlyRootFilesystem, procMount);
 * - a PodSpec when it has a `containers` array of Containers;
 * - a PodSecurityContext when it has pod-only security fields (fsGroup, supplementalGroups, sysctls, ...) and no
 *   container-only ones.
 * - a container SecurityContext (outside a Container) when it has `capabilities` and other container-only fields: the
 *   operator applies it to its container (CloudNativePG Cluster spec.securityContext), so it is judged as that
 *   container's;
 * - opaque when it preserves unknown fields (`x-kubernetes-preserve-unknown-fields`): inference reads it.
 * Paths are patterns of expand() in manifest.ts: `.`-separated keys, `*` for each array item or map value.
 */
import { CrdShape, ShapeList } from './crd-shape-types';
import { CRD_SHAPES } from './crd-shapes-data';

export type { CrdShape, ShapeList } from './crd-shape-types';

const CONTAINER_ONLY = ['capabilities', 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'procMount'];
const POD_ONLY = ['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy', 'sysctls', 'seLinuxChangePolicy'];

const isObj = (v: any): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

function isContainerSchema(s: any): boolean {
  const p = s?.properties;
  if (!isObj(p) || !isObj(p.image) || !isObj(p.name)) return false;
  const sc = p.securityContext?.properties;
  return isObj(sc) && CONTAINER_ONLY.some(k => sc[k] !== undefined);
}

function classify(s: any): CrdShape | undefined {
  const p = s?.properties;
  if (!isObj(p)) return undefined;
  if (isContainerSchema(s)) return 'container';
  if (isObj(p.containers) && isContainerSchema(p.containers.items)) return 'podSpec';
  if (POD_ONLY.some(k => p[k] !== undefined) && !CONTAINER_ONLY.some(k => p[k] !== undefined)) return 'podSecurityContext';
  if (CONTAINER_ONLY.some(k => p[k] !== undefined) && isObj(p.capabilities)) return 'securityContext';
  return undefined;
}

/** The shaped values of a CRD version's openAPIV3Schema (metadata and status are not read). */
export function shapesOfSchema(schema: any): [string, CrdShape][] {
  const out: [string, CrdShape][] = [];
  // Iterative, so a deeply nested schema cannot exhaust the stack.
  const stack: [any, string, number][] = [];
  // x-kubernetes-preserve-unknown-fields: the schema does not say what is inside; inference reads it (never skipped).
  if (schema?.['x-kubernetes-preserve-unknown-fields'] === true) return [['', 'opaque']];
  const props = schema?.properties;
  if (isObj(props)) for (const k of Object.keys(props)) if (k !== 'metadata' && k !== 'status') stack.push([props[k], k, 1]);
  while (stack.length > 0) {
    const [s, path, depth] = stack.pop()!;
    if (!isObj(s) || depth > 100) continue;
    const shape = s['x-kubernetes-preserve-unknown-fields'] === true ? 'opaque' : classify(s);
    if (shape) {
      out.push([path, shape]);
      continue;
    }
    if (isObj(s.items)) stack.push([s.items, `${path}.*`, depth + 1]);
    if (isObj(s.additionalProperties)) stack.push([s.additionalProperties, `${path}.*`, depth + 1]);
    if (isObj(s.properties)) for (const k of Object.keys(s.properties)) stack.push([s.properties[k], `${path}.${k}`, depth + 1]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Shapes per `group/Kind` and version, from a CustomResourceDefinition object (apiextensions.k8s.io/v1). */
export function shapesOfCrd(crd: any): { key: string; versions: { [version: string]: ShapeList } } | undefined {
  const spec = crd?.spec;
  if (!isObj(spec) || typeof spec.group !== 'string' || typeof spec.names?.kind !== 'string' || !Array.isArray(spec.versions)) return undefined;
  const versions: { [version: string]: ShapeList } = {};
  for (const v of spec.versions) {
    if (!isObj(v) || typeof v.name !== 'string') continue;
    const schema = v.schema?.openAPIV3Schema;
    if (!isObj(schema)) continue;
    versions[v.name] = shapesOfSchema(schema);
  }
  return Object.keys(versions).length > 0 ? { key: `${spec.group}/${spec.names.kind}`, versions } : undefined;
}

/** Shapes of the objects whose CRD was in the input (set per object, so one run never changes another). */
const FROM_INPUT = new WeakMap<object, ShapeList>();

/**
 * Read the CustomResourceDefinitions among `objects` and attach the shapes of their schemas to the custom resources
 * among them (an input CRD wins over the vendored extract of the same kind).
 */
export function adoptInputCrds(objects: readonly any[]): void {
  let crds: Map<string, { [version: string]: ShapeList }> | undefined;
  for (const o of objects) {
    if (o?.kind === 'CustomResourceDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('apiextensions.k8s.io/')) {
      const s = shapesOfCrd(o);
      if (s) (crds ??= new Map()).set(s.key, s.versions);
    }
  }
  if (!crds) return;
  for (const o of objects) {
    if (!isObj(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
    const slash = o.apiVersion.indexOf('/');
    if (slash < 0) continue;
    const versions = crds.get(`${o.apiVersion.slice(0, slash)}/${o.kind}`);
    const shapes = versions?.[o.apiVersion.slice(slash + 1)];
    if (shapes) FROM_INPUT.set(o, shapes);
  }
}

/**
 * The shapes of a custom resource by its CRD schema (input CRD first, then the vendored extracts), or undefined when
 * its CRD is not known (then inference applies).
 */
export function crdShapesOf(obj: any): ShapeList | undefined {
  if (!isObj(obj)) return undefined;
  const own = FROM_INPUT.get(obj);
  if (own) return own;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return undefined;
  const slash = obj.apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const key = `${obj.apiVersion.slice(0, slash)}/${obj.kind}`;
  if (!Object.prototype.hasOwnProperty.call(CRD_SHAPES, key)) return undefined;
  const entry = CRD_SHAPES[key];
  const version = obj.apiVersion.slice(slash + 1);
  return Object.prototype.hasOwnProperty.call(entry.versions, version) ? entry.versions[version] : undefined;
}
