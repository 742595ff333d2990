import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { CONFIG_FILE_NAME, CONFIG_SCHEMA } from './config-schema';
import { InputError } from './input';
import { RuleExclusion } from './selection';
import { ExternalWaiver, loadWaiversFile, parseWaiverEntries } from './waivers-file';

/** The settings of `.cdk8s-hardened.yaml`, with file references resolved (see CONFIG_SCHEMA). */
export interface HardenedConfig {
  /** The file they were read from (absolute). */
  readonly file: string;
  readonly kubeVersion?: string;
  readonly level?: string;
  readonly podSecurityVersion?: string;
  readonly allowedRegistries?: string[];
  readonly requireDigest?: boolean;
  readonly maxWaiverDays?: number;
  readonly maxReplicas?: number;
  readonly maxContainerCpu?: string;
  readonly maxContainerMemory?: string;
  readonly failOn?: string;
  readonly include?: string[];
  readonly exclude?: RuleExclusion[];
  readonly severityOverrides?: { [rule: string]: string };
  /** Globs, relative to the config file's directory. */
  readonly ignorePaths?: string[];
  readonly waivers?: ExternalWaiver[];
  /** Absolute path of the baseline file. */
  readonly baseline?: string;
}

/**
 * `.cdk8s-hardened.yaml` in `dir` or the closest directory above it, never above the repository (a directory holding
 * `.git`): a file in a shared parent (`/tmp`, a CI workspace) must not configure a checkout below it.
 */
export function findConfig(dir: string): string | undefined {
  let d = path.resolve(dir);
  while (true) {
    const f = path.join(d, CONFIG_FILE_NAME);
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
    if (fs.existsSync(path.join(d, '.git'))) return undefined;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** A configuration anyone may write (world-writable, e.g. in /tmp) could switch rules off: refused. */
export function assertNotWorldWritable(file: string, display: string): void {
  if (process.platform === 'win32') return;
  const st = fs.statSync(file);
  if ((st.mode & 0o002) !== 0) {
    throw new InputError(display, undefined, 'is writable by every user, so anyone could change what is checked; make it writable by its owner only (chmod o-w) or pass --no-config');
  }
}

// --- A validator for the JSON Schema subset CONFIG_SCHEMA uses (the published schema is the one source of truth; the
// test suite checks with ajv that both agree, and that the schema uses no keyword outside this set). ---

/** JSON Schema keywords the runtime validator implements. */
export const SUPPORTED_KEYWORDS = new Set([
  '$schema', '$id', '$ref', 'title', 'description', 'type', 'properties', 'additionalProperties', 'required', 'enum',
  'pattern', 'minLength', 'minimum', 'items', 'oneOf', 'propertyNames', 'definitions',
]);

export interface SchemaError {
  /** Path of the offending value, e.g. ['exclude', 0, 'reason']. */
  readonly path: (string | number)[];
  readonly message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

/** Validate `value` against `schema` (the subset above); errors with their paths, the first per branch. */
export function validateSchema(value: unknown, schema: any, root: any = schema, at: (string | number)[] = []): SchemaError[] {
  if (schema.$ref) {
    const name = String(schema.$ref).replace(/^#\/definitions\//, '');
    return validateSchema(value, root.definitions[name], root, at);
  }
  const errors: SchemaError[] = [];
  const err = (message: string, p = at) => errors.push({ path: p, message });
  if (schema.type && !typeMatches(value, schema.type)) {
    err(`must be ${schema.type === 'object' ? 'a mapping' : schema.type === 'array' ? 'a list' : `a ${schema.type}`} (got ${typeOf(value)})`);
    return errors;
  }
  if (schema.enum && !schema.enum.includes(value)) err(`must be one of ${schema.enum.join(', ')} (got ${JSON.stringify(value)})`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) err(`must be at least ${schema.minLength} characters (got ${JSON.stringify(value)})`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) err(`${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) err(`must be at least ${schema.minimum} (got ${value})`);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validateSchema(v, schema.items, root, [...at, i])));
  if (typeOf(value) === 'object') {
    const obj = value as { [k: string]: unknown };
    for (const r of schema.required ?? []) if (!(r in obj)) err(`needs "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) {
        const e = validateSchema(k, schema.propertyNames, root, [...at, k]);
        if (e.length > 0) err(`key ${JSON.stringify(k)} is not valid: ${e[0].message}`, [...at, k]);
      }
      if (schema.properties && k in schema.properties) errors.push(...validateSchema(v, schema.properties[k], root, [...at, k]));
      else if (schema.additionalProperties === false) {
        err(`unknown key ${JSON.stringify(k)} (keys: ${Object.keys(schema.properties ?? {}).filter(p => p !== '$schema').join(', ')})`, [...at, k]);
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errors.push(...validateSchema(v, schema.additionalProperties, root, [...at, k]));
      }
    }
  }
  if (schema.oneOf) {
    const results = schema.oneOf.map((s: any) => validateSchema(value, s, root, at));
    const ok = results.filter((r: SchemaError[]) => r.length === 0).length;
    if (ok !== 1) {
      // The branch whose type fits explains best.
      const fit = schema.oneOf.findIndex((s: any) => !s.type || typeMatches(value, s.type));
      if (ok === 0 && fit >= 0) errors.push(...results[fit]);
      else err(ok === 0 ? `must be ${schema.oneOf.map((s: any) => s.type ?? 'a value').join(' or ')}` : 'matches more than one form');
    }
  }
  return errors;
}

/** Read, validate and resolve a configuration file. Any problem is bad input (exit 2) naming the file, line and key. */
export function loadConfig(file: string, display: string, cwd: string = process.cwd()): HardenedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(display, undefined, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'configuration file not found' : (e as Error).message);
  }
  assertNotWorldWritable(file, display);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(display, lc.linePos(doc.errors[0].pos[0]).line, `malformed YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const data: any = doc.toJS() ?? {};
  const lineOf = (p: (string | number)[]): number | undefined => {
    for (let n = p.length; n >= 0; n--) {
      const node: any = p.length === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
      const r = node?.range ?? (n === 0 ? (doc.contents as any)?.range : undefined);
      if (r) return lc.linePos(r[0]).line;
    }
    return undefined;
  };
  const errors = validateSchema(data, CONFIG_SCHEMA);
  if (errors.length > 0) {
    const e = errors[0];
    const key = e.path.map(k => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '') || '<file>';
    throw new InputError(display, lineOf(e.path), `${key} ${e.message} (schema: ${CONFIG_FILE_NAME}, see docs/guides/cli.md)`);
  }
  const dir = path.dirname(file);
  let waivers: ExternalWaiver[] | undefined;
  if (typeof data.waivers === 'string') {
    const wf = path.resolve(dir, data.waivers);
    waivers = loadWaiversFile(wf, displayPath(wf, cwd));
  } else if (Array.isArray(data.waivers)) {
    waivers = parseWaiverEntries(data.waivers, display, i => lineOf(['waivers', i]));
  }
  return {
    file,
    ...pick(data, ['kubeVersion', 'level', 'podSecurityVersion', 'allowedRegistries', 'requireDigest', 'maxWaiverDays', 'maxReplicas', 'maxContainerCpu', 'maxContainerMemory', 'failOn', 'include', 'exclude', 'severityOverrides', 'ignorePaths']),
    ...(waivers ? { waivers } : {}),
    ...(data.baseline ? { baseline: path.resolve(dir, data.baseline) } : {}),
  };
}

function pick(data: any, keys: string[]): any {
  const out: any = {};
  for (const k of keys) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

/** A glob (`*` within a segment, `**` across segments, `?` one character) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        i++;
        if (g[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  // A directory pattern covers what is below it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Does `file` (absolute) match any glob, relative to `base`? */
export function ignoredBy(globs: readonly RegExp[], file: string, base: string): boolean {
  const rel = path.relative(base, file).split(path.sep).join('/');
  return globs.some(g => g.test(rel));
}

/** A path relative to cwd when inside it, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const name = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return name.split(path.sep).join('/');
}
