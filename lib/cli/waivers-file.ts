import * as fs from 'fs';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { WaiverRecord } from '../policy/types';
import { MIN_WAIVER_REASON, WAIVER_ANNOTATION, waiverProblems } from '../policy/waiver-record';
import { InputError, LoadedObject } from './input';

/** Which object a waivers-file entry covers: kind and name, and the namespace of a namespaced object. */
export interface WaiverObjectSelector {
  readonly kind: string;
  readonly name: string;
  /** @default - the object has no metadata.namespace (cluster-scoped, or a namespace left to `kubectl -n`) */
  readonly namespace?: string;
  /** @default - any apiVersion */
  readonly apiVersion?: string;
}

/** A waiver kept outside the manifest (`--waivers FILE`, config `waivers`): the Waiver record plus an object selector. */
export interface ExternalWaiver extends WaiverRecord {
  readonly object: WaiverObjectSelector;
  /** Where it was written (for messages). */
  readonly file: string;
  readonly line: number;
}

const ENTRY_KEYS = new Set(['ruleId', 'object', 'path', 'reason', 'owner', 'expires']);
const SELECTOR_KEYS = new Set(['kind', 'name', 'namespace', 'apiVersion']);

/** Validate waivers given as data (`lineOf(i)`: the line of entry i, when known). Malformed entries are bad input (exit 2). */
export function parseWaiverEntries(list: unknown, file: string, lineOf: (i: number) => number | undefined = () => undefined): ExternalWaiver[] {
  if (!Array.isArray(list)) throw new InputError(file, undefined, 'waivers must be a list of { ruleId, object: { kind, name, namespace? }, path?, reason, owner, expires }');
  return list.map((w: any, i: number) => {
    const line = lineOf(i);
    const fail = (msg: string) => new InputError(file, line, `waiver #${i}: ${msg}`);
    if (!w || typeof w !== 'object' || Array.isArray(w)) throw fail('must be a mapping');
    for (const k of Object.keys(w)) if (!ENTRY_KEYS.has(k)) throw fail(`unknown field "${k}" (fields: ${[...ENTRY_KEYS].join(', ')})`);
    const problems = waiverProblems(w);
    if (problems.length > 0) throw fail(`${problems.join('; ')} (reason >= ${MIN_WAIVER_REASON} characters, owner, expires YYYY-MM-DD — quote the date in YAML)`);
    const o = w.object;
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw fail('object must be { kind, name, namespace? } — the object the waiver covers');
    for (const k of Object.keys(o)) if (!SELECTOR_KEYS.has(k)) throw fail(`object: unknown field "${k}" (fields: kind, name, namespace, apiVersion)`);
    for (const k of ['kind', 'name'] as const) if (typeof o[k] !== 'string' || o[k].length === 0) throw fail(`object.${k} must be a non-empty string`);
    for (const k of ['namespace', 'apiVersion'] as const) if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k].length === 0)) throw fail(`object.${k}, when given, must be a non-empty string`);
    return {
      ruleId: w.ruleId, reason: w.reason, owner: w.owner, expires: w.expires, ...(w.path ? { path: w.path } : {}),
      object: { kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}) },
      file, line: line ?? 1,
    };
  });
}

/** Read a waivers file: YAML or JSON, a list of waivers or `{ waivers: [...] }`. */
export function loadWaiversFile(file: string, display: string): ExternalWaiver[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(display, undefined, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'waivers file not found' : (e as Error).message);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError(display, lc.linePos(e.pos[0]).line, `malformed YAML: ${e.message.split('\n')[0]}`);
  }
  let seq: any = doc.contents;
  if (isMap(seq)) {
    const keys = (seq.items as any[]).map(p => String(p.key?.value ?? p.key));
    if (keys.some(k => k !== 'waivers')) throw new InputError(display, undefined, 'a waivers file is a list of waivers or a mapping with the one key "waivers"');
    seq = seq.get('waivers', true);
  }
  if (seq === null || seq === undefined) return [];
  const items: any[] = isSeq(seq) ? seq.items : [];
  return parseWaiverEntries(doc.toJS()?.waivers ?? doc.toJS(), display, i => {
    const r = items[i]?.range;
    return r ? lc.linePos(r[0]).line : undefined;
  });
}

/** True when the selector names this object. */
export function selects(w: ExternalWaiver, object: any): boolean {
  const m = object?.metadata;
  if (!m || object.kind !== w.object.kind || m.name !== w.object.name) return false;
  if ((m.namespace || undefined) !== w.object.namespace) return false;
  return w.object.apiVersion === undefined || object.apiVersion === w.object.apiVersion;
}

/** An object with waivers appended to its annotation; the index of the first appended one (for messages). */
export interface Injected {
  readonly object: any;
  /** Index in the annotation of the first external waiver. */
  readonly first: number;
  readonly waivers: ExternalWaiver[];
}

/**
 * Add external waivers to an object's `hardened.cdk8s.io/waivers` annotation (a copy), so that the engine honours
 * them and the waiver rules (expired, unused, unknown rule, too long) judge them exactly as annotations. An object
 * whose own annotation is not a JSON array is left alone (it is a waiver-invalid finding already).
 */
export function inject(o: LoadedObject, waivers: ExternalWaiver[]): Injected | undefined {
  const obj = o.object;
  const raw = obj?.metadata?.annotations?.[WAIVER_ANNOTATION];
  let existing: unknown[] = [];
  if (raw !== undefined) {
    try {
      const parsed = JSON.parse(String(raw));
      if (!Array.isArray(parsed)) return undefined;
      existing = parsed;
    } catch {
      return undefined;
    }
  }
  const records = waivers.map(w => ({ ruleId: w.ruleId, reason: w.reason, owner: w.owner, expires: w.expires, ...(w.path ? { path: w.path } : {}) }));
  const object = {
    ...obj,
    metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [WAIVER_ANNOTATION]: JSON.stringify([...existing, ...records]) } },
  };
  return { object, first: existing.length, waivers };
}
