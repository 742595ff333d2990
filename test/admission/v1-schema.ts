/**
 * Strict validation of admissionregistration.k8s.io/v1 objects against the vendored 1.30 / 1.36 definitions
 * (test/vendor/admissionregistration-v1, see its SOURCE.md): unknown fields are errors, as `kubectl --validate=strict`.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';

const cache = new Map<string, { [kind: string]: ValidateFunction }>();

function tighten(node: any): any {
  if (Array.isArray(node)) return node.map(tighten);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = tighten(v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Schema errors of a v1 ValidatingAdmissionPolicy or Binding for Kubernetes `release` ('1.30' | '1.36'). */
export function v1SchemaErrors(obj: any, release: '1.30' | '1.36'): string[] {
  let validators = cache.get(release);
  if (!validators) {
    const defs = tighten(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'admissionregistration-v1', `${release}.json`), 'utf-8')).definitions);
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'k8s', definitions: defs });
    validators = {};
    for (const kind of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']) {
      validators[kind] = ajv.compile({ $ref: `k8s#/definitions/io.k8s.api.admissionregistration.v1.${kind}` });
    }
    cache.set(release, validators);
  }
  if (obj.apiVersion !== 'admissionregistration.k8s.io/v1') return [`apiVersion ${obj.apiVersion} is not admissionregistration.k8s.io/v1`];
  const fn = validators[obj.kind];
  if (!fn) return [`no v1 definition for kind ${obj.kind}`];
  if (fn(obj)) return [];
  return (fn.errors ?? []).map(e => `${obj.kind}/${obj.metadata?.name}: ${e.instancePath || '/'} ${e.message}${(e.params as any)?.additionalProperty ? ` (${(e.params as any).additionalProperty})` : ''}`);
}
