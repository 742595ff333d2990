/**
 * Strict schema validation of synthesized objects:
 * - core objects against schemas/k8s-1.28-swagger.json (unknown fields are errors, as `kubectl --validate=strict`)
 * - custom resources against their CRD's openAPIV3Schema in schemas/crds/
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schemas');

let ajv: Ajv | undefined;
let gvkIndex: Map<string, string> | undefined;
const compiled = new Map<string, ValidateFunction>();

function tighten(node: any): any {
  if (Array.isArray(node)) return node.map(tighten);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = tighten(v);
  if (out.format === 'int-or-string' || out['x-kubernetes-int-or-string'] === true) {
    delete out.type; delete out.format;
    out.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function coreAjv(): { ajv: Ajv; index: Map<string, string> } {
  if (ajv && gvkIndex) return { ajv, index: gvkIndex };
  const swagger = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'k8s-1.28-swagger.json'), 'utf-8'));
  const defs = tighten(swagger.definitions);
  // Quantity serializes as string, numbers are accepted by the API server.
  defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'k8s', definitions: defs });
  gvkIndex = new Map();
  for (const [name, def] of Object.entries<any>(swagger.definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      gvkIndex.set(`${apiVersion}/${gvk.kind}`, name);
    }
  }
  return { ajv, index: gvkIndex };
}

let newest: { ajv: Ajv; index: Map<string, string> } | undefined;
/**
 * Kinds 1.28 does not serve (admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy, flowcontrol v1, ...): validated
 * against the newest vendored release, schemas/k8s-openapi/1.36.swagger.json.gz (strict, like the 1.28 spec).
 */
function newestValidator(key: string, cacheKey = key): ValidateFunction | undefined {
  if (!newest) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const zlib = require('zlib') as typeof import('zlib');
    const swagger = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(SCHEMA_DIR, 'k8s-openapi', '1.36.swagger.json.gz'))).toString('utf-8'));
    const defs = tighten(swagger.definitions);
    defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    const a = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    a.addSchema({ $id: 'k8s136', definitions: defs });
    const index = new Map<string, string>();
    for (const [name, def] of Object.entries<any>(swagger.definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) index.set(`${gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version}/${gvk.kind}`, name);
    }
    newest = { ajv: a, index };
  }
  const def = newest.index.get(key);
  if (!def) return undefined;
  const fn = newest.ajv.compile({ $ref: `k8s136#/definitions/${def}` });
  compiled.set(cacheKey, fn);
  return fn;
}

/** Load a CRD schema for apiVersion/kind from schemas/crds (undefined if none matches). */
function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `crd:${apiVersion}/${kind}`;
  if (compiled.has(key)) return compiled.get(key);
  const [group, version] = apiVersion.split('/');
  for (const file of fs.readdirSync(path.join(SCHEMA_DIR, 'crds')).filter(f => f.endsWith('.yaml'))) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(SCHEMA_DIR, 'crds', file), 'utf-8')).map(d => d.toJSON());
    for (const crd of docs) {
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec.group !== group || crd.spec.names.kind !== kind) continue;
      const v = crd.spec.versions.find((x: any) => x.name === version);
      if (!v) continue;
      const schema = tighten(v.schema.openAPIV3Schema);
      schema.properties.metadata = { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
      schema.properties.apiVersion = { type: 'string', const: apiVersion };
      schema.properties.kind = { type: 'string', const: kind };
      const { ajv: a } = coreAjv();
      const fn = a.compile(schema);
      compiled.set(key, fn);
      return fn;
    }
  }
  return undefined;
}

/**
 * Validation errors for one object (empty when valid). Throws if no schema knows the kind. `release: '1.36'` validates a
 * core kind against the 1.36 schema instead of 1.28 (fields added since, e.g. appArmorProfile, image volumes).
 */
export function schemaErrors(obj: any, release?: '1.36'): string[] {
  const { ajv: a, index } = coreAjv();
  const key = `${obj.apiVersion}/${obj.kind}`;
  let fn = release ? compiled.get(`${release}:${key}`) ?? newestValidator(key, `${release}:${key}`) : compiled.get(key);
  if (!fn) {
    const def = index.get(key);
    if (def) {
      fn = a.compile({ $ref: `k8s#/definitions/${def}` });
      compiled.set(key, fn);
    } else {
      fn = newestValidator(key) ?? crdValidator(obj.apiVersion, obj.kind);
    }
  }
  if (!fn) throw new Error(`no schema for ${key} (neither the k8s 1.28 spec, the 1.36 spec nor schemas/crds)`);
  if (fn(obj)) return [];
  return (fn.errors ?? []).map(e => `${obj.kind}/${obj.metadata?.name}: ${e.instancePath || '/'} ${e.message}${e.params && (e.params as any).additionalProperty ? ` (${(e.params as any).additionalProperty})` : ''}`);
}

/** Jest-friendly: throws with every error of every object. */
export function expectValidObjects(objects: any[]): void {
  const errors = objects.flatMap(o => schemaErrors(o));
  if (errors.length > 0) throw new Error(`schema validation failed:\n${errors.join('\n')}`);
}
