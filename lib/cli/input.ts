import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments, ParsedNode } from 'yaml';
import { KNOWN_KINDS } from './known-kinds';

/** Largest input accepted per file (or stdin), in bytes. */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;
/** Most alias dereferences allowed per YAML document (defeats "billion laughs" alias bombs). */
export const MAX_ALIAS_COUNT = 100;
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
  readonly lineCounter: LineCounter;
}

/** One Kubernetes object read from a source, with the YAML node it came from (for line numbers). */
export interface LoadedObject {
  readonly object: any;
  readonly source: Source;
  readonly documentIndex: number;
  /** The YAML node of the object (document root, or an item of a `kind: List`). */
  readonly node: Node | undefined;
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

/** Parse one source into objects, rejecting binary data, malformed YAML/JSON, alias bombs and unknown kinds. */
export function parseSource(name: string, data: Buffer | string, options: { validateKinds?: boolean } = {}): LoadedObject[] {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (buf.length > MAX_INPUT_BYTES) throw tooLarge(name, buf.length);
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    throw new InputError(name, lineOfOffset(buf, nul), 'binary data (NUL byte) — not a YAML or JSON manifest');
  }
  const text = buf.toString('utf8');
  const lineCounter = new LineCounter();
  const source: Source = { name, lineCounter };
  // YAML 1.1, as kubectl reads manifests (sigs.k8s.io/yaml): `privileged: yes` is the boolean true there, and must be here.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.1' });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [docs as any];
  const out: LoadedObject[] = [];
  list.forEach((doc, documentIndex) => {
    const err = doc.errors[0];
    if (err) {
      const line = lineCounter.linePos(err.pos[0]).line;
      throw new InputError(name, line, `malformed YAML/JSON (document ${documentIndex}): ${firstLine(err.message)}`);
    }
    const docLine = doc.contents ? lineOf(lineCounter, doc.contents) : lineCounter.linePos(doc.range[0]).line;
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      if (/alias/i.test(msg)) {
        throw new InputError(name, docLine, `YAML alias expansion exceeds ${MAX_ALIAS_COUNT} (alias bomb?) in document ${documentIndex}`);
      }
      throw new InputError(name, docLine, `cannot read document ${documentIndex}: ${firstLine(msg)}`);
    }
    if (value === null || value === undefined) return; // empty document (e.g. trailing `---`)
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(name, docLine, `document ${documentIndex} is not a Kubernetes object (got ${Array.isArray(value) ? 'a list' : typeof value})`);
    }
    const root = doc.contents ?? undefined;
    // `kind: List` and typed lists of any group (DeploymentList, JobList, ...): kubectl applies their items.
    if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) && value.spec === undefined)) {
      const itemsNode = isMap(root) ? root.get('items', true) : undefined;
      (value.items ?? []).forEach((item: any, i: number) => {
        const node = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
        const line = node ? lineOf(lineCounter, node) : docLine;
        if (options.validateKinds !== false) validateObject(item, name, line, `document ${documentIndex} items[${i}]`);
        out.push({ object: item, source, documentIndex, node });
      });
      return;
    }
    if (options.validateKinds !== false) validateObject(value, name, docLine, `document ${documentIndex}`);
    out.push({ object: value, source, documentIndex, node: root as Node | undefined });
  });
  return out;
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

function lineOf(lc: LineCounter, node: Node | ParsedNode): number {
  return node.range ? lc.linePos(node.range[0]).line : 1;
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
  let node: any = obj.node;
  if (!node || !node.range) return undefined;
  let pos = node.range[0];
  const parts = jsonPath ? (jsonPath.match(SEGMENT) ?? []) : [];
  for (const raw of parts) {
    const key = raw.startsWith('["') ? JSON.parse(raw.slice(1, -1)) : raw;
    if (isMap(node)) {
      const pair: any = node.items.find((p: any) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
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
  const lp = obj.source.lineCounter.linePos(pos);
  return { line: lp.line, column: lp.col };
}

/**
 * Append in place without spreading: `push(...items)` passes every item as an argument and overflows the call
 * stack beyond ~120,000 items (a large but valid manifest file).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
