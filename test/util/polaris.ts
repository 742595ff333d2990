/**
 * Polaris (FairwindsOps/polaris) schema checks, evaluated in TypeScript from the vendored check files
 * (test/vendor/polaris, see SOURCES.md) the way Polaris's Go code evaluates them (pkg/validator/schema.go,
 * pkg/config/schema.go, pkg/config/exemptions.go, pkg/kube/resource(s).go, pkg/validator/pdb_hpa_validator.go at the
 * vendored commit). Polaris is a Go binary that cannot be installed here; its checks are data.
 *
 * What is modelled:
 * - Resources: every object; one with a pod spec (found as Polaris's GetPodSpec walks `jobTemplate` / `spec` /
 *   `template`) is a controller. Resources are grouped by `<group>/<Kind>` (`Kind` for the core group).
 * - Targets: `Controller` (the raw object, controllers only), `PodSpec` and `PodTemplate` (once per controller),
 *   `Container` (each init container and container; `containers.include/exclude` of `container` / `initContainer`),
 *   `schemaTarget: PodSpec` of a Container check (the pod spec with that container only), any other target
 *   (`networking.k8s.io/Ingress`, `/ConfigMap`, ...) matching the object's kind as Polaris does (equal, or suffix
 *   `/<kind>` — the group is not compared). `controllers.include/exclude` by kind.
 * - Typed views: Polaris reads the pod spec and containers through Go's corev1 types (json.Unmarshal into the structs,
 *   json.Marshal back): fields the type lacks are dropped (types from the 1.28 OpenAPI spec), field names match
 *   case-insensitively, null fields are dropped, resource quantities are strings, a container always has `resources`,
 *   and zero values of the non-pointer `omitempty` fields the checks read are dropped (`typedPodSpec` below). The
 *   Controller target, PodTemplate target and additional schemas see the raw object, as in Polaris.
 * - Templating: `{{ }}` Go templates (test/util/go-template.ts) over the object plus `Polaris.PodSpec`,
 *   `Polaris.PodTemplate` and `Polaris.Container`; the result is read as YAML 1.1 (sigs.k8s.io/yaml); a template that
 *   renders blank is no schema.
 * - JSON Schema draft 2019-09 with ajv (Polaris uses qri-io/jsonschema); Go's `(?i)` regexp flag; the custom keywords
 *   `resourceMinimum` / `resourceMaximum` (Kubernetes quantities); `required:` left empty (YAML null) means none.
 * - `additionalSchemaStrings`: checked only when the main schema passes; passes when any object of that group/kind in the
 *   resource's namespace (or cluster-scoped) validates.
 * - `pdbMinAvailableGreaterThanHPAMinReplicas` (Go code, not a schema), ported.
 * - Severities and exemptions of default.yaml (namespace, controllerNames / containerNames by prefix) and the
 *   `polaris.fairwinds.com/exempt` / `polaris.fairwinds.com/<check>-exempt` annotations.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import * as YAML from 'yaml';
import { parseQuantity } from '../../lib/kube/k8s-syntax';
import { renderGoTemplate } from './go-template';

export const POLARIS_DIR = path.join(__dirname, '..', 'vendor', 'polaris');
/** Polaris's own check tests (test/checks/<check>/{success,failure}*.yaml), vendored. */
export const POLARIS_TESTS_DIR = path.join(POLARIS_DIR, 'test-checks');

/** One failed Polaris check. */
export interface PolarisFinding {
  readonly check: string;
  readonly severity: 'danger' | 'warning';
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Container name, for Container checks. */
  readonly container?: string;
  readonly message: string;
}

interface Check {
  readonly id: string;
  readonly target: string;
  readonly schemaTarget?: string;
  readonly failureMessage: string;
  readonly controllers: { include: string[]; exclude: string[] };
  readonly containers: { include: string[]; exclude: string[] };
  readonly template: string;
  readonly additional: { [groupKind: string]: string };
}

interface Resource {
  readonly kind: string;
  readonly groupKind: string;
  readonly name: string;
  readonly namespace: string;
  readonly annotations: { [k: string]: string };
  readonly object: any;
  readonly podSpec?: any;
  readonly podTemplate?: any;
}

interface Exemption {
  readonly namespace?: string;
  readonly controllerNames?: string[];
  readonly containerNames?: string[];
  readonly rules?: string[];
}

const HANDLED = ['Controller', 'Container', 'PodSpec', 'PodTemplate'];
const POD_SPEC_FIELDS = ['jobTemplate', 'spec', 'template'];

/** A Go RE2 pattern as a JS RegExp: `(?i)` (only ever leading, or after `^`, in the checks) becomes the `i` flag. */
function goRegExp(pattern: string, u: string): RegExp {
  let p = pattern;
  let flags = u;
  if (/^\^?\(\?i\)/.test(p)) {
    p = p.replace('(?i)', '');
    flags += 'i';
  }
  if (p.includes('(?')) throw new Error(`unsupported Go regexp flag in ${pattern}`);
  return new RegExp(p, flags);
}
goRegExp.code = 'goRegExp';

export class Polaris {
  public readonly severities: { [check: string]: string };
  public readonly checks: Check[];
  private readonly exemptions: Exemption[];
  private readonly ajv: Ajv2019;
  private readonly compiled = new Map<string, ValidateFunction>();

  /**
   * Polaris with the vendored default configuration, or (Polaris's own check tests) given severities, no exemptions
   * and optional custom checks (id -> check YAML).
   */
  constructor(options: { severities?: { [check: string]: string }; customChecks?: { [id: string]: string } } = {}) {
    const config = YAML.parse(fs.readFileSync(path.join(POLARIS_DIR, 'default.yaml'), 'utf8'), { version: '1.1' });
    this.severities = options.severities ?? config.checks;
    this.exemptions = options.severities ? [] : (config.exemptions ?? []);
    this.checks = Object.keys(this.severities).sort().map(id => loadCheck(id, options.customChecks?.[id] ?? fs.readFileSync(path.join(POLARIS_DIR, 'checks', `${id}.yaml`), 'utf8')));
    this.ajv = new Ajv2019({ strict: false, allErrors: false, validateFormats: false, code: { regExp: goRegExp as any } });
    const range = (isMinimum: boolean) => (limit: unknown, data: unknown) => {
      const l = parseQuantity(typeof limit === 'number' ? String(limit) : limit);
      const d = parseQuantity(typeof data === 'number' ? String(data) : data);
      if (l === undefined || d === undefined) return false;
      return isMinimum ? d >= l : d <= l;
    };
    this.ajv.addKeyword({ keyword: 'resourceMinimum', validate: range(true) });
    this.ajv.addKeyword({ keyword: 'resourceMaximum', validate: range(false) });
  }

  /** Read manifests as Polaris reads a file (every YAML document) and audit them. */
  public auditYaml(text: string): PolarisFinding[] {
    return this.audit(YAML.parseAllDocuments(text, { version: '1.1' }).map(d => d.toJS()));
  }

  /** How many times each check ran (passed or failed) in the last audit. */
  public readonly runs = new Map<string, number>();

  /** Audit objects as `polaris audit --audit-path` audits a folder of manifests; every failed check. */
  public audit(objects: any[]): PolarisFinding[] {
    this.runs.clear();
    const resources = objects.filter(o => o && typeof o === 'object' && typeof o.kind === 'string').map(toResource);
    const byGroupKind = new Map<string, Resource[]>();
    for (const r of resources) byGroupKind.set(r.groupKind, [...(byGroupKind.get(r.groupKind) ?? []), r]);
    const findings: PolarisFinding[] = [];
    const report = (check: Check, r: Resource, container?: string) => findings.push({
      check: check.id, severity: this.severities[check.id] as any, kind: r.kind, namespace: r.namespace, name: r.name,
      ...(container !== undefined ? { container } : {}), message: check.failureMessage,
    });
    for (const r of resources) {
      if (r.podSpec) {
        for (const check of this.checks) if (this.actionable(check, r, 'Controller') && !this.apply(check, r, 'Controller', byGroupKind)) report(check, r);
        for (const check of this.checks) if (this.actionable(check, r, '') && !this.apply(check, r, '', byGroupKind)) report(check, r);
        for (const check of this.checks) if (this.actionable(check, r, 'PodSpec') && !this.apply(check, r, 'PodSpec', byGroupKind)) report(check, r);
        const containers = [
          ...(r.podSpec.initContainers ?? []).map((c: any) => ({ c, init: true })),
          ...(r.podSpec.containers ?? []).map((c: any) => ({ c, init: false })),
        ];
        for (const { c, init } of containers) {
          for (const check of this.checks) {
            if (this.actionable(check, r, 'Container', c.name, init) && !this.apply(check, r, 'Container', byGroupKind, c)) report(check, r, c.name);
          }
        }
      } else {
        for (const check of this.checks) if (this.actionable(check, r, '') && !this.apply(check, r, '', byGroupKind)) report(check, r);
      }
    }
    return findings;
  }

  /** resolveCheck's gates: exemption annotations, config severity and exemptions, the check's own target filters. */
  private actionable(check: Check, r: Resource, target: string, containerName = '', isInit = false): boolean {
    const exempt = (k: string) => String(r.annotations[k] ?? '').toLowerCase() === 'true';
    if (exempt('polaris.fairwinds.com/exempt') || exempt(`polaris.fairwinds.com/${check.id}-exempt`)) return false;
    const severity = this.severities[check.id];
    if (severity !== 'danger' && severity !== 'warning') return false;
    const matches = (names: string[] | undefined, s: string) => !names || names.length === 0 || names.some(n => s.startsWith(n));
    for (const e of this.exemptions) {
      if (e.namespace && e.namespace !== r.namespace) continue;
      if (!e.rules || e.rules.length === 0 || e.rules.includes(check.id)) {
        if (!matches(e.controllerNames, r.name)) continue;
        if (matches(e.containerNames, containerName)) return false;
      }
    }
    // SchemaCheck.IsActionable
    if (HANDLED.includes(target)) {
      if (!(check.target === 'PodTemplate' && target === 'PodSpec') && check.target !== target) return false;
    } else if (check.target !== r.kind && !check.target.endsWith(`/${r.kind}`)) {
      return false;
    }
    if (check.controllers.include.length > 0 && !check.controllers.include.includes(r.kind)) return false;
    if (check.controllers.exclude.includes(r.kind)) return false;
    if (check.target === 'Container') {
      const inc = check.containers.include;
      if (inc.length > 0 && !inc.some(i => (i === 'initContainer' && isInit) || (i === 'container' && !isInit))) return false;
      if (check.containers.exclude.some(x => (x === 'initContainer' && isInit) || (x === 'container' && !isInit))) return false;
    }
    return true;
  }

  /** applySchemaCheck: whether the check passes. */
  private apply(check: Check, r: Resource, target: string, byGroupKind: Map<string, Resource[]>, container?: any): boolean {
    this.runs.set(check.id, (this.runs.get(check.id) ?? 0) + 1);
    const podSpec = r.podSpec ? typedPodSpec(r.podSpec) : undefined;
    const input: any = JSON.parse(JSON.stringify(r.object));
    if (target === 'PodSpec' || target === 'Container') {
      input.Polaris = { PodSpec: podSpec, ...(r.podTemplate ? { PodTemplate: r.podTemplate } : {}) };
      if (target === 'Container') input.Polaris.Container = typedContainer(container);
    }
    const funcs = { hasPrefix: (s: any, p: any) => String(s).startsWith(String(p)), hasSuffix: (s: any, p: any) => String(s).endsWith(String(p)) };
    const schemaText = renderGoTemplate(check.template, input, funcs);
    const schema = schemaText.trim() === '' ? undefined : readSchema(schemaText);

    let passes: boolean;
    if (check.schemaTarget !== undefined) {
      if (check.schemaTarget !== 'PodSpec' || check.target !== 'Container') throw new Error(`Unknown combination of target (${check.target}) and schema target (${check.schemaTarget})`);
      // podCopy: the pod spec with InitContainers emptied (omitted) and this container as the only container
      passes = this.validate(schema, { ...podSpec, containers: [typedContainer(container)], initContainers: undefined });
    } else if (check.target === 'PodSpec') {
      passes = this.validate(schema, podSpec);
    } else if (check.target === 'PodTemplate') {
      passes = this.validate(schema, r.podTemplate ?? null);
    } else if (check.target === 'Container') {
      passes = this.validate(schema, typedContainer(container));
    } else if (schema !== undefined && JSON.stringify(schema) !== '{}') {
      passes = this.validate(schema, r.object);
    } else if (check.id === 'pdbMinAvailableGreaterThanHPAMinReplicas') {
      passes = pdbMinAvailableNotAboveHpaMinReplicas(r, byGroupKind);
    } else {
      passes = true;
    }

    for (const [groupKind, tmpl] of Object.entries(check.additional)) {
      if (!passes) break;
      const text = renderGoTemplate(tmpl, input, funcs);
      if (text.trim() === '') continue;
      const extra = readSchema(text);
      const namespace = r.kind === 'Namespace' ? r.name : r.namespace;
      const candidates = (byGroupKind.get(groupKind) ?? []).filter(o => o.namespace === '' || o.namespace === namespace);
      passes = candidates.some(o => this.validate(extra, o.object));
    }
    return passes;
  }

  private validate(schema: any, data: unknown): boolean {
    if (schema === undefined) return true;
    const key = JSON.stringify(schema);
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(prepareSchema(schema));
      this.compiled.set(key, fn);
    }
    // JSON round trip: Go validates the marshalled bytes (undefined fields vanish)
    return fn(data === undefined ? null : JSON.parse(JSON.stringify(data)));
  }
}

function loadCheck(id: string, text: string): Check {
  const raw = YAML.parse(text, { version: '1.1' });
  const list = (x: any) => ({ include: x?.include ?? [], exclude: x?.exclude ?? [] });
  const additional: { [k: string]: string } = { ...(raw.additionalSchemaStrings ?? {}) };
  for (const [k, v] of Object.entries(raw.additionalSchemas ?? {})) additional[k] = JSON.stringify(v);
  return {
    id,
    target: raw.target ?? '',
    ...(raw.schemaTarget ? { schemaTarget: raw.schemaTarget } : {}),
    failureMessage: raw.failureMessage ?? raw.FailureMessage ?? '',
    controllers: list(raw.controllers),
    containers: list(raw.containers),
    template: raw.schemaString ?? (raw.schema !== undefined ? JSON.stringify(raw.schema) : ''),
    additional,
  };
}

/** A templated schema as Go reads it (sigs.k8s.io/yaml: YAML 1.1, JSON is YAML). */
function readSchema(text: string): any {
  return YAML.parse(text, { version: '1.1' });
}

/** Draft 2019-09 for ajv: `$schema` is implied; `required:` left empty (null) requires nothing (as qri-io reads it). */
function prepareSchema(node: any): any {
  if (Array.isArray(node)) return node.map(prepareSchema);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema') continue;
    if (k === 'required' && (v === null || v === undefined)) continue;
    out[k] = prepareSchema(v);
  }
  return out;
}

function toResource(obj: any): Resource {
  const object = JSON.parse(JSON.stringify(obj));
  if (!object.metadata?.creationTimestamp) {
    if (object.metadata) delete object.metadata.creationTimestamp;
    delete object.status;
  }
  const apiVersion = String(object.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return {
    kind: object.kind,
    groupKind: group ? `${group}/${object.kind}` : object.kind,
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    annotations: object.metadata?.annotations ?? {},
    object,
    podSpec: getPodSpec(object),
    podTemplate: getPodTemplate(object),
  };
}

/** kube.GetPodSpec: the first of jobTemplate / spec / template at each level, until a map with `containers`. */
function getPodSpec(y: any): any {
  for (const child of POD_SPEC_FIELDS) {
    if (y && typeof y === 'object' && child in y) return getPodSpec(y[child]);
  }
  return y && typeof y === 'object' && 'containers' in y ? y : undefined;
}

/** kube.GetPodTemplate: the map whose `spec` holds `containers` (the Pod itself, or spec.template, ...). */
function getPodTemplate(y: any): any {
  const spec = y?.spec;
  if (spec && typeof spec === 'object' && !Array.isArray(spec) && 'containers' in spec) return y;
  for (const f of POD_SPEC_FIELDS) {
    if (y && typeof y === 'object' && f in y) return getPodTemplate(y[f]);
  }
  return undefined;
}

/** Non-pointer `omitempty` scalars of corev1.PodSpec the checks can read: a zero value is not marshalled. */
const POD_OMITEMPTY = ['restartPolicy', 'dnsPolicy', 'serviceAccountName', 'serviceAccount', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC',
  'hostname', 'subdomain', 'schedulerName', 'priorityClassName'];
/** The same for corev1.Container and ContainerPort. */
const CONTAINER_OMITEMPTY = ['image', 'workingDir', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'stdin', 'stdinOnce', 'tty'];
const PORT_OMITEMPTY = ['name', 'hostPort', 'protocol', 'hostIP'];

let definitions: { [name: string]: any } | undefined;
function swagger(): { [name: string]: any } {
  definitions ??= JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'k8s-1.28-swagger.json'), 'utf8')).definitions;
  return definitions!;
}

/**
 * `value` decoded into the Go type `def` and marshalled back (encoding/json): fields the type does not have are dropped
 * (a pod-level `securityContext.privileged` does not exist in PodSecurityContext), field names match
 * case-insensitively as Go's decoder does, null fields are dropped, quantities are strings. Types from the 1.28 OpenAPI
 * spec (schemas/k8s-1.28-swagger.json).
 */
function goTyped(value: any, schema: any): any {
  if (value === null || value === undefined) return undefined;
  if (schema?.$ref) {
    const name = String(schema.$ref).replace('#/definitions/', '');
    if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return String(value);
    return goTyped(value, swagger()[name]);
  }
  if (schema?.type === 'array' || (schema?.items && Array.isArray(value))) {
    return Array.isArray(value) ? value.map(v => goTyped(v, schema.items) ?? null) : undefined;
  }
  if (schema?.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    const props = Object.keys(schema.properties);
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      const name = props.includes(k) ? k : props.find(p => p.toLowerCase() === k.toLowerCase());
      if (name === undefined) continue;
      const typed = goTyped(v, schema.properties[name]);
      if (typed !== undefined) out[name] = typed;
    }
    return out;
  }
  if (schema?.additionalProperties && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, goTyped(v, schema.additionalProperties)]).filter(([, v]) => v !== undefined));
  }
  return value;
}

function dropZero(o: any, keys: string[]): any {
  const out = { ...o };
  for (const k of keys) if (out[k] === '' || out[k] === false || out[k] === 0) delete out[k];
  return out;
}

/** A container as Polaris sees it: json.Marshal of a corev1.Container (always with `resources`). */
export function typedContainer(c: any): any {
  const out = dropZero(goTyped(c ?? {}, { $ref: '#/definitions/io.k8s.api.core.v1.Container' }) ?? {}, CONTAINER_OMITEMPTY);
  out.resources ??= {};
  if (Array.isArray(out.ports)) out.ports = out.ports.map((p: any) => dropZero(p, PORT_OMITEMPTY));
  return out;
}

/** A pod spec as Polaris sees it: json.Marshal of a corev1.PodSpec. */
export function typedPodSpec(spec: any): any {
  const out = dropZero(goTyped(spec, { $ref: '#/definitions/io.k8s.api.core.v1.PodSpec' }) ?? {}, POD_OMITEMPTY);
  out.containers = (out.containers ?? []).map(typedContainer);
  if (Array.isArray(out.initContainers) && out.initContainers.length > 0) out.initContainers = out.initContainers.map(typedContainer);
  else delete out.initContainers;
  return out;
}

/** pdb_hpa_validator.go: a Deployment's PDB minAvailable must not exceed its HPA's minReplicas. */
function pdbMinAvailableNotAboveHpaMinReplicas(r: Resource, byGroupKind: Map<string, Resource[]>): boolean {
  const labels = r.object.spec?.template?.metadata?.labels ?? {};
  const pdb = (byGroupKind.get('policy/PodDisruptionBudget') ?? []).map(p => p.object)
    .find(p => p.spec?.selector && Object.entries(p.spec.selector.matchLabels ?? {}).some(([k, v]) => labels[k] === v));
  const hpa = (byGroupKind.get('autoscaling/HorizontalPodAutoscaler') ?? []).map(h => h.object)
    .find(h => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === r.object.metadata?.name);
  if (!pdb || !hpa) return true;
  const minAvailable = pdb.spec?.minAvailable;
  if (minAvailable === undefined || minAvailable === null) return true;
  const hpaMin = hpa.spec?.minReplicas;
  let value: number;
  if (typeof minAvailable === 'number') {
    value = minAvailable;
  } else {
    const m = /^(-?\d+)%$/.exec(String(minAvailable));
    if (!m) return true;
    if (typeof hpaMin !== 'number') return true;
    value = Math.ceil((Number(m[1]) * hpaMin) / 100);
  }
  return !(typeof hpaMin === 'number' && value > hpaMin);
}
