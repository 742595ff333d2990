import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { kubeDocuments, KubeYamlError } from '../policy/kube-yaml';
import { listItemsOf } from '../policy/kube-list';
import { KNOWN_KINDS } from './known-kinds';

/** Largest input accepted per file (or stdin), in bytes. */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;
/**
 * Alias expansion: go-yaml (kubectl) refuses a document in which aliases expand to more than 99% of its nodes (once it
 * has more than 1,000 nodes and 100 alias nodes), with a sliding lower ratio for larger documents; readKubeYaml applies
 * the same rule, so the limit is by expanded size, not by alias count (150 aliases of one scalar are fine).
 */
export const ALIAS_RULE = 'aliases may make up at most 99% of a document\'s expanded nodes (go-yaml\'s rule, as kubectl)';
/** File extensions read when a directory is given. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Display name of standard input in findings and SARIF. */
export const STDIN_NAME = '<stdin>';

/** Bad input: reported as one line `file:line: message`, exit code 2, no stack trace. */
export class InputError extends Error {
  constructor(public readonly file: string, public readonly line: number | undefined, public readonly detail: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.name = 'InputError';
  }
}

/** One parsed source (file or stdin). */
export interface Source {
  /** Name shown to users: path relative to cwd, or `<stdin>`. */
  readonly name: string;
  /** The decoded text, kept to compute positions of findings lazily (only documents with findings are re-parsed). */
  readonly text: string;
}

/** One Kubernetes object read from a source, and where its document is (for line numbers, computed on demand). */
export interface LoadedObject {
  readonly object: any;
  readonly source: Source;
  readonly documentIndex: number;
  /** Offsets [start, end) of the document in source.text and its first line. */
  readonly docStart: number;
  readonly docEnd: number;
  readonly docLine: number;
  /** Path of the object inside its document: '' for the document itself, `items[3]` for an item of a list. */
  readonly pathInDocument: string;
}

/**
 * Files a directory scan skips: `cdk8s synth` writes its validation report's construct metadata next to the manifests
 * (`dist/construct-metadata.json`), which is not a Kubernetes object. Named explicitly, it is still read (and refused).
 */
const NOT_MANIFESTS = ['construct-metadata.json'];

/** Expand command-line operands (files, directories, `-`) into a sorted list of inputs. */
export function expandOperands(operands: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const op of operands) {
    if (op === '-') {
      out.push('-');
      continue;
    }
    const abs = path.resolve(cwd, op);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new InputError(op, undefined, 'no such file or directory');
    }
    if (st.isDirectory()) {
      const found = walk(abs).filter(f => MANIFEST_EXTENSIONS.includes(path.extname(f).toLowerCase()) && !NOT_MANIFESTS.includes(path.basename(f))).sort();
      if (found.length === 0) throw new InputError(op, undefined, `directory holds no ${MANIFEST_EXTENSIONS.join('/')} files`);
      appendAll(out, found);
    } else {
      out.push(abs);
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) appendAll(out, walk(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Read a file with the size limit applied before reading. */
export function readInputFile(file: string, display: string): Buffer {
  const size = fs.statSync(file).size;
  if (size > MAX_INPUT_BYTES) throw tooLarge(display, size);
  return fs.readFileSync(file);
}

export function tooLarge(display: string, size: number): InputError {
  return new InputError(display, undefined,
    `input is ${(size / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_INPUT_BYTES / 1024 / 1024} MB limit; split it into smaller files`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse one source into objects exactly as kubectl reads it (lib/policy/kube-yaml.ts), one document at a time and
 * without keeping any YAML tree; rejecting binary data, invalid UTF-8, what kubectl refuses, alias bombs and unknown kinds.
 */
export function parseSource(name: string, data: Buffer | string, options: { validateKinds?: boolean } = {}): LoadedObject[] {
  const out: LoadedObject[] = [];
  forEachObject(name, data, o => { out.push(o); }, options);
  return out;
}

/** Streaming form of parseSource: `visit` is called for each object as its document is read. */
export function forEachObject(name: string, data: Buffer | string, visit: (o: LoadedObject) => void, options: { validateKinds?: boolean } = {}): number {
  let text: string;
  if (typeof data === 'string') {
    if (Buffer.byteLength(data, 'utf8') > MAX_INPUT_BYTES) throw tooLarge(name, Buffer.byteLength(data, 'utf8'));
    text = data;
  } else {
    if (data.length > MAX_INPUT_BYTES) throw tooLarge(name, data.length);
    const nul = data.indexOf(0);
    if (nul >= 0) throw new InputError(name, lineOfOffset(data, nul), 'binary data (NUL byte) — not a YAML or JSON manifest');
    try {
      text = UTF8.decode(data);
    } catch {
      throw new InputError(name, undefined, 'invalid UTF-8 — kubectl refuses it (yaml: invalid leading UTF-8 octet)');
    }
  }
  if (text.indexOf('\0') >= 0) {
    throw new InputError(name, text.slice(0, text.indexOf('\0')).split('\n').length, 'binary data (NUL byte) — not a YAML or JSON manifest');
  }
  const source: Source = { name, text };
  let documentIndex = 0;
  let count = 0;
  let docLine = 1;
  const iterator = kubeDocuments(text);
  while (true) {
    let next: IteratorResult<any>;
    try {
      next = iterator.next();
    } catch (e) {
      if (!(e instanceof KubeYamlError)) throw e;
      const line = e.line ?? docLine;
      if (/excessive aliasing/.test(e.message)) {
        throw new InputError(name, line, `YAML alias expansion exceeds the limit in document ${documentIndex} (alias bomb?): ${ALIAS_RULE}`);
      }
      throw new InputError(name, line, `malformed YAML/JSON (document ${documentIndex}): ${firstLine(e.message)}`);
    }
    if (next.done) break;
    const doc = next.value;
    docLine = doc.line;
    const index = documentIndex++;
    const value: any = doc.value;
    if (value === null || value === undefined) continue; // empty or `null` document: kubectl skips it
    const at = { docStart: doc.start, docEnd: doc.end, docLine: doc.line };
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(name, doc.line, `document ${index} is not a Kubernetes object (got ${Array.isArray(value) ? 'a list' : typeof value})`);
    }
    const items = listItemsOf(value);
    if (items !== undefined) {
      items.forEach((item: any, i: number) => {
        const o: LoadedObject = { object: item, source, documentIndex: index, ...at, pathInDocument: `items[${i}]` };
        if (options.validateKinds !== false) {
          try {
            validateObject(item, name, doc.line, `document ${index} items[${i}]`);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            throw new InputError(name, locate(o, '')?.line ?? doc.line, e.detail); // the item's own line, computed only now
          }
        }
        visit(o);
        count++;
      });
      continue;
    }
    if (value.items !== undefined && value.items !== null) {
      throw new InputError(name, doc.line, `document ${index}: \`items\` is not a list (kubectl reads any object with items as a list)`);
    }
    if (options.validateKinds !== false) validateObject(value, name, doc.line, `document ${index}`);
    visit({ object: value, source, documentIndex: index, ...at, pathInDocument: '' });
    count++;
  }
  return count;
}

/** Reject objects that are not Kubernetes objects or name a kind Kubernetes 1.28 does not serve. */
export function validateObject(obj: any, file: string, line: number, where: string): void {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new InputError(file, line, `${where} is not a Kubernetes object`);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion.length === 0) throw new InputError(file, line, `${where} has no apiVersion`);
  if (typeof kind !== 'string' || kind.length === 0) throw new InputError(file, line, `${where} has no kind`);
  const known = KNOWN_KINDS[apiVersion];
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  if (known !== undefined) {
    if (!` ${known} `.includes(` ${kind} `)) {
      throw new InputError(file, line, `${where}: unknown kind "${kind}" for apiVersion "${apiVersion}" (Kubernetes 1.28 serves: ${known.split(' ').filter(k => !k.endsWith('List') && k !== 'WatchEvent' && k !== 'DeleteOptions').join(', ')})`);
    }
    return;
  }
  if (isCoreGroup(group)) {
    throw new InputError(file, line, `${where}: apiVersion "${apiVersion}" is not served by Kubernetes 1.28 (kind "${kind}")`);
  }
  if (!group.includes('.')) {
    throw new InputError(file, line, `${where}: unknown apiVersion "${apiVersion}" (kind "${kind}"); custom resources use a dotted group such as example.com/v1`);
  }
}

let coreGroups: Set<string> | undefined;
function isCoreGroup(group: string): boolean {
  if (!coreGroups) {
    coreGroups = new Set(Object.keys(KNOWN_KINDS).map(gv => (gv.includes('/') ? gv.split('/')[0] : '')));
  }
  return coreGroups.has(group);
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function lineOfOffset(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 10) line++;
  return line;
}

/** Line and column (1-based) of the deepest YAML node on a finding's JSON path. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

const SEGMENT = /[^.[\]"]+|\["(?:[^"\\]|\\.)*"\]/g;

/**
 * Map a finding's JSON path (`spec.containers[0].securityContext.privileged`) to the line/column of
 * the YAML node. For a map key the key's position is used; a missing field maps to its closest
 * existing parent (e.g. the container that lacks `runAsNonRoot`).
 */
export function locate(obj: LoadedObject, jsonPath: string): Location | undefined {
  const parsed = documentTree(obj);
  if (!parsed) return { line: obj.docLine, column: 1 };
  let node: any = parsed.root;
  if (!node || !node.range) return { line: obj.docLine, column: 1 };
  let pos = node.range[0];
  const full = obj.pathInDocument ? (jsonPath ? `${obj.pathInDocument}.${jsonPath}` : obj.pathInDocument) : jsonPath;
  const parts = full ? (full.match(SEGMENT) ?? []) : [];
  for (const raw of parts) {
    const key = raw.startsWith('["') ? JSON.parse(raw.slice(1, -1)) : raw;
    if (isMap(node)) {
      let pair: any;
      for (const p of node.items as any[]) if ((isScalar(p.key) ? String(p.key.value) : String(p.key)) === key) pair = p; // the last wins, as in kubectl
      if (!pair) break;
      pos = pair.key?.range?.[0] ?? pos;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(key)) {
      const item: any = node.items[Number(key)];
      if (!item) break;
      pos = item.range?.[0] ?? pos;
      node = item;
    } else {
      break;
    }
    if (!node) break;
  }
  const lp = parsed.lineCounter.linePos(pos);
  return { line: obj.docLine + lp.line - 1, column: lp.col };
}

/** Positions are computed only for documents that have findings: a small cache of re-parsed documents. */
const TREE_CACHE = new Map<string, { root: any; lineCounter: LineCounter } | null>();
const TREE_CACHE_SIZE = 32;
const treeKeys = new WeakMap<Source, string>();
let treeSeq = 0;

function documentTree(obj: LoadedObject): { root: any; lineCounter: LineCounter } | null {
  let sk = treeKeys.get(obj.source);
  if (sk === undefined) {
    sk = String(treeSeq++);
    treeKeys.set(obj.source, sk);
  }
  const key = `${sk}:${obj.docStart}`;
  const hit = TREE_CACHE.get(key);
  if (hit !== undefined) return hit;
  let result: { root: any; lineCounter: LineCounter } | null = null;
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(obj.source.text.slice(obj.docStart, obj.docEnd), { lineCounter, version: '1.1', uniqueKeys: false, prettyErrors: false });
    result = { root: doc.contents, lineCounter };
  } catch {
    result = null;
  }
  if (TREE_CACHE.size >= TREE_CACHE_SIZE) TREE_CACHE.delete(TREE_CACHE.keys().next().value as string);
  TREE_CACHE.set(key, result);
  return result;
}

/**
 * Append in place without spreading: `push(...items)` passes every item as an argument and overflows the call
 * stack beyond ~120,000 items (a large but valid manifest file).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
