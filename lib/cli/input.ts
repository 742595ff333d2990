import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { memo } from '../kube/cache';
import { listItemsOf } from '../kube/kube-list';
import { DEFAULT_KUBE_VERSION } from '../kube/kube-version';
import { KubeDocument, kubeDocuments, KubeYamlError, readKubeYaml } from '../kube/kube-yaml';
import { DocumentPositions } from '../kube/kube-yaml-scan';
import { unservedReason, isKubernetesGroup } from '../kube/served-kinds';
import { isConfigKind } from './config-kinds';
import { scanLocate } from './fast-locate';

/** js-yaml, loaded when a document the block scanner did not read first needs positions. */
let jsyamlLib: any;
function jsYaml(): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml 3 ships no types; its composer internals are used untyped
  return (jsyamlLib ??= require('js-yaml'));
}

/** Largest input accepted per file (or stdin), in bytes. */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;
/**
 * Alias expansion: go-yaml (kubectl) refuses a document in which aliases expand to more than 99% of its nodes (once it
 * has more than 1,000 nodes and 100 alias nodes), with a sliding lower ratio for larger documents; readKubeYaml applies
 * the same rule, so the limit is by expanded size, not by alias count (150 aliases of one scalar are fine).
 */
export const ALIAS_RULE = 'aliases may make up at most 99% of a document\'s expanded nodes (go-yaml\'s rule, as kubectl)';
/**
 * Deepest nesting of maps and lists read. kubectl refuses more than 10,000 levels (Go's encoding/json and go-yaml:
 * "exceeded max depth"); no Kubernetes object comes near 1,000, and the rules, waivers and locations are computed
 * recursively, so a deeper document is one clean input error of its file (the other files are still checked).
 */
export const MAX_NESTING_DEPTH = 1000;
export const NESTING_RULE = `nested deeper than ${MAX_NESTING_DEPTH.toLocaleString('en-US')} levels of maps/lists: not read ` +
  '(kubectl refuses past 10,000; no Kubernetes object needs this depth)';

/** True when maps/lists nest deeper than `limit` (iterative past 2,000 levels: any depth is measured without overflow). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  // Recursion bounded by the limit allocates nothing per node (every object read goes through here).
  if (limit <= 2000) return deeperThan(value, limit);
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
    } else {
      for (const k in v) {
        const x = (v as any)[k];
        if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
      }
    }
  }
  return false;
}

function deeperThan(v: unknown, limit: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (limit <= 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object' && deeperThan(x, limit - 1)) return true;
    }
    return false;
  }
  for (const k in v) {
    const x = (v as any)[k];
    if (x !== null && typeof x === 'object' && deeperThan(x, limit - 1)) return true;
  }
  return false;
}

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
  /** Where the document's keys and items are, recorded while it was read (absent when the block scanner did not read it). */
  readonly positions?: DocumentPositions;
  /** Read with ParseOptions.own by the block scanner: `object` is frozen, without prototypes or null fields (KubeDocument.ownFrozen). */
  readonly ownFrozen?: boolean;
}

/**
 * Files a directory scan skips: `cdk8s synth` writes its validation report's construct metadata next to the manifests
 * (`dist/construct-metadata.json`), which is not a Kubernetes object. Named explicitly, it is still read (and refused).
 */
const NOT_MANIFESTS = ['construct-metadata.json'];

/** Expand command-line operands (files, directories, `-`) into a sorted list of inputs. */
/** What a directory walk passed over or noticed (for `check --verbose`, and warnings that are always shown). */
export interface WalkNotes {
  /** Files and directories not read, each with the reason. */
  readonly skipped: string[];
  /** Symbolic links whose target lies outside the directory given on the command line (read, and said). */
  readonly leftTree: string[];
  /** Helm chart directories met inside a walk: not read (templates are not manifests), always said. */
  readonly charts?: string[];
}

export function expandOperands(operands: string[], cwd: string, notes?: WalkNotes): string[] {
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
      let root = abs;
      try {
        root = fs.realpathSync(abs);
      } catch {
        // keep abs
      }
      const display = (p: string) => {
        const rel = path.relative(cwd, p);
        return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
      };
      const walked = walk(abs, new Set(), notes ? { notes, root, display } : undefined);
      const found = walked.filter(f => {
        const ok = MANIFEST_EXTENSIONS.includes(path.extname(f).toLowerCase()) && !NOT_MANIFESTS.includes(path.basename(f));
        if (!ok && notes) {
          notes.skipped.push(`${display(f)}: ${NOT_MANIFESTS.includes(path.basename(f)) ? 'cdk8s construct metadata, not a manifest' : `not ${MANIFEST_EXTENSIONS.join('/')}`}`);
        }
        return ok;
      }).sort();
      if (found.length === 0) throw new InputError(op, undefined, `directory holds no ${MANIFEST_EXTENSIONS.join('/')} files`);
      appendAll(out, found);
    } else {
      out.push(abs);
    }
  }
  return out;
}

/** Files under `dir`, following symlinks to files and directories; a directory reached twice (a loop) is read once. */
function walk(dir: string, seen: Set<string> = new Set(), ctx?: { notes: WalkNotes; root: string; display: (p: string) => string }): string[] {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return [];
  }
  if (seen.has(real)) {
    ctx?.notes.skipped.push(`${ctx.display(dir)}: directory already read (symbolic link loop or a second link to it)`);
    return [];
  }
  seen.add(real);
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.name.startsWith('.') || entry.name === 'node_modules') {
      ctx?.notes.skipped.push(`${ctx.display(p)}: ${entry.name === 'node_modules' ? 'node_modules' : 'hidden'}, not searched`);
      continue;
    }
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = fs.statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (ctx) {
          const target = fs.realpathSync(p);
          const rel = path.relative(ctx.root, target);
          if (rel.startsWith('..') || path.isAbsolute(rel)) ctx.notes.leftTree.push(`${ctx.display(p)} -> ${target}`);
        }
      } catch {
        ctx?.notes.skipped.push(`${ctx.display(p)}: dangling symbolic link`);
        continue; // dangling link
      }
    }
    if (isDir && fs.existsSync(path.join(p, 'Chart.yaml'))) {
      // A Helm chart: its templates and values are not manifests until `helm template` renders them.
      ctx?.notes.charts?.push(ctx.display(p));
      continue;
    }
    if (isDir) appendAll(out, walk(p, seen, ctx));
    else if (isFile) out.push(p);
    else ctx?.notes.skipped.push(`${ctx.display(p)}: not a regular file`);
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

const UTF8 = new TextDecoder('utf-8');

/**
 * Parse one source into objects exactly as kubectl reads it (lib/kube/kube-yaml.ts), one document at a time and
 * without keeping any YAML tree; rejecting binary data, invalid UTF-8, what kubectl refuses, alias bombs and unknown kinds.
 */
export function parseSource(name: string, data: Buffer | string, options: ParseOptions = {}): LoadedObject[] {
  const out: LoadedObject[] = [];
  forEachObject(name, data, o => { out.push(o); }, options);
  return out;
}

/** How a source is read. */
export interface ParseOptions {
  /** Refuse objects whose apiVersion/kind the Kubernetes version does not serve. Default: true. */
  readonly validateKinds?: boolean;
  /** Kubernetes version the manifests are for (`1.28` … `1.36`, `latest`). Default: DEFAULT_KUBE_VERSION (1.36). */
  readonly kubeVersion?: string;
  /**
   * Objects the block scanner reads are made without prototypes and frozen (LoadedObject.ownFrozen): for a caller that
   * judges them as they are and never changes them (check). Default: false (plain objects).
   */
  readonly own?: boolean;
}

/** Streaming form of parseSource: `visit` is called for each object as its document is read. */
export function forEachObject(name: string, data: Buffer | string, visit: (o: LoadedObject) => void, options: ParseOptions = {}): number {
  let text: string;
  if (typeof data === 'string') {
    if (Buffer.byteLength(data, 'utf8') > MAX_INPUT_BYTES) throw tooLarge(name, Buffer.byteLength(data, 'utf8'));
    text = data;
  } else {
    if (data.length > MAX_INPUT_BYTES) throw tooLarge(name, data.length);
    // UTF-32 byte order marks (FF FE 00 00, 00 00 FE FF): kubectl's BOMOverride knows UTF-8 and UTF-16 only.
    if (data.length >= 4 &&
      ((data[0] === 0xff && data[1] === 0xfe && data[2] === 0 && data[3] === 0) || (data[0] === 0 && data[1] === 0 && data[2] === 0xfe && data[3] === 0xff))) {
      throw new InputError(name, 1, 'UTF-32 encoded (byte order mark): kubectl reads UTF-8 and UTF-16 only; convert the file to UTF-8');
    }
    // kubectl (cli-runtime FileVisitor) transcodes UTF-16 with a byte order mark to UTF-8 before reading
    // (unicode.BOMOverride); so do we.
    if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
      const body = Buffer.from(data.subarray(2));
      if (data[0] === 0xfe) body.swap16.call(body.length % 2 === 0 ? body : body.subarray(0, body.length - 1));
      return forEachObject(name, body.toString('utf16le'), visit, options);
    }
    const nul = data.indexOf(0);
    if (nul >= 0) throw new InputError(name, lineOfOffset(data, nul), 'binary data (NUL byte) — not a YAML or JSON manifest');
    // kubectl decodes files through unicode.UTF8 with BOMOverride: invalid bytes become U+FFFD (one per maximal
    // invalid subsequence, as the WHATWG decoder does), a UTF-8 byte order mark is dropped.
    text = UTF8.decode(data);
  }
  if (text.indexOf('\0') >= 0) {
    throw new InputError(name, text.slice(0, text.indexOf('\0')).split('\n').length, 'binary data (NUL byte) — not a YAML or JSON manifest');
  }
  const source: Source = { name, text };
  let documentIndex = 0;
  let count = 0;
  let docLine = 1;
  const iterator = kubeDocuments(text, { positions: true, own: options.own === true });
  while (true) {
    let next: IteratorResult<KubeDocument>;
    try {
      next = iterator.next();
    } catch (e) {
      if (e instanceof RangeError || (e instanceof KubeYamlError && /nesting too deep|Maximum call stack size exceeded/.test(e.message))) {
        throw new InputError(name, (e as KubeYamlError).line ?? docLine, `document ${documentIndex}: ${NESTING_RULE}`);
      }
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
    if ((doc.nestingAtMost === undefined || doc.nestingAtMost > MAX_NESTING_DEPTH) && nestedDeeperThan(value, MAX_NESTING_DEPTH)) {
      throw new InputError(name, doc.line, `document ${index}: ${NESTING_RULE}`);
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(name, doc.line, `document ${index} is not a Kubernetes object (got ${Array.isArray(value) ? 'a list' : typeof value})`);
    }
    const items = listItemsOf(value);
    if (items !== undefined) {
      items.forEach((item: any, i: number) => {
        const o: LoadedObject = {
          object: item, source, documentIndex: index, docStart: doc.start, docEnd: doc.end, docLine: doc.line, pathInDocument: `items[${i}]`, positions: doc.positions,
          ownFrozen: doc.ownFrozen,
        };
        if (options.validateKinds !== false) {
          try {
            validateObject(item, name, doc.line, `document ${index} items[${i}]`, options.kubeVersion);
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
    if (options.validateKinds !== false) validateObject(value, name, doc.line, `document ${index}`, options.kubeVersion);
    // One literal of one shape (a spread here cost more than validating the object)
    visit({
      object: value, source, documentIndex: index, docStart: doc.start, docEnd: doc.end, docLine: doc.line, pathInDocument: '', positions: doc.positions,
      ownFrozen: doc.ownFrozen,
    });
    count++;
  }
  return count;
}

/**
 * Reject objects that are not Kubernetes objects or name an apiVersion/kind the Kubernetes version (default: the
 * newest supported) does not serve; a removed API is named with the release that removed it and its replacement.
 */
export function validateObject(obj: any, file: string, line: number, where: string, kubeVersion: string = DEFAULT_KUBE_VERSION): void {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new InputError(file, line, `${where} is not a Kubernetes object`);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion.length === 0) throw new InputError(file, line, `${where} has no apiVersion`);
  if (typeof kind !== 'string' || kind.length === 0) throw new InputError(file, line, `${where} has no kind`);
  const key = `${kubeVersion}\u0000${apiVersion}\u0000${kind}`;
  const verdict = KIND_VERDICTS.getOrCompute(key, () => kindVerdict(apiVersion, kind, kubeVersion));
  if (verdict !== '') throw new InputError(file, line, `${where}: ${verdict}`);
}

/** kindVerdict by Kubernetes version, apiVersion and kind (inputs repeat a few kinds many times). */
const KIND_VERDICTS = memo.byString<string>(10_000);

/** Why the Kubernetes version does not serve apiVersion/kind, or '' when it does (or it is a CRD's or a config kind). */
function kindVerdict(apiVersion: string, kind: string, kubeVersion: string): string {
  if (isConfigKind(apiVersion, kind)) return ''; // component configuration files (config-kinds.ts), not API objects
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  if (isKubernetesGroup(group)) return unservedReason(apiVersion, kind, kubeVersion) ?? '';
  if (!group.includes('.')) return `unknown apiVersion "${apiVersion}" (kind "${kind}"); custom resources use a dotted group such as example.com/v1`;
  return '';
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
  const parts = obj.pathInDocument ? [...segments(obj.pathInDocument), ...segments(jsonPath)] : segments(jsonPath);
  // Documents the block scanner read: where it recorded the keys and items while reading them.
  if (obj.positions) return obj.positions.table.find(obj.positions.root, parts);
  // Other plain block YAML, and flow collections written on one line (`metadata: {name: a}`): found by scanning the
  // document's lines (no re-read; the scan equals the parser or gives up, test/cli/fast-locate.test.ts); anything
  // else: the parser below.
  const fast = scanLocate(obj.source.text, obj.docStart, obj.docEnd, parts, { flow: true });
  if (fast) return { line: obj.docLine + fast.line - 1, column: fast.column };
  return locateByParsing(obj, parts);
}

/** `locate` by re-reading the document with a YAML parser (the reference the line scan is tested against). */
export function locateByParsing(obj: LoadedObject, parts: string[]): Location {
  const tree = documentTree(obj);
  const pos = tree?.find(parts);
  if (!tree || pos === undefined) return { line: obj.docLine, column: 1 };
  const lc = tree.lineCol(pos);
  return { line: obj.docLine + lc.line - 1, column: lc.column };
}

const SEGMENTS = new Map<string, string[]>();
/** `spec.containers[0]["a.b"]` -> ['spec', 'containers', '0', 'a.b'] (paths repeat across objects: cached). */
export function segments(jsonPath: string): string[] {
  if (!jsonPath) return [];
  let parts = SEGMENTS.get(jsonPath);
  if (!parts) {
    parts = (jsonPath.match(SEGMENT) ?? []).map(raw => (raw.startsWith('["') ? JSON.parse(raw.slice(1, -1)) as string : raw));
    if (SEGMENTS.size > 100_000) SEGMENTS.clear();
    SEGMENTS.set(jsonPath, parts);
  }
  return parts;
}

/** A document's positions: the offset of the deepest node on a path, and line/column of an offset. */
interface PositionTree {
  find(parts: string[]): number | undefined;
  lineCol(pos: number): { line: number; column: number };
}

/** Positions are computed only for documents that have findings: a small cache of re-read documents. */
const TREE_CACHE = new Map<string, PositionTree | null>();
const TREE_CACHE_SIZE = 32;
const treeKeys = new WeakMap<Source, string>();
let treeSeq = 0;

let lastTree: { source: Source; start: number; tree: PositionTree | null } | undefined;

function documentTree(obj: LoadedObject): PositionTree | null {
  if (lastTree && lastTree.source === obj.source && lastTree.start === obj.docStart) return lastTree.tree;
  const tree = cachedTree(obj);
  lastTree = { source: obj.source, start: obj.docStart, tree };
  return tree;
}

function cachedTree(obj: LoadedObject): PositionTree | null {
  let sk = treeKeys.get(obj.source);
  if (sk === undefined) {
    sk = String(treeSeq++);
    treeKeys.set(obj.source, sk);
  }
  const key = `${sk}:${obj.docStart}`;
  const hit = TREE_CACHE.get(key);
  if (hit !== undefined) return hit;
  const text = obj.source.text.slice(obj.docStart, obj.docEnd);
  const result = fastPositions(text) ?? yamlPositions(text);
  if (TREE_CACHE.size >= TREE_CACHE_SIZE) TREE_CACHE.delete(TREE_CACHE.keys().next().value as string);
  TREE_CACHE.set(key, result);
  return result;
}

function lineColFn(text: string): (pos: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  return (pos: number) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: pos - starts[lo] + 1 };
  };
}

interface PNode { start: number; end: number; kind: string | null; result: unknown; children: PNode[]; keys?: Map<string, [PNode, PNode | undefined]> }

let locateSchema: any;

/** Node positions from js-yaml's compose events (fast; the same reader the fast path of readKubeYaml uses). */
function fastPositions(text: string): PositionTree | null {
  if (!locateSchema) {
    const jsyaml = jsYaml();
    const any = new jsyaml.Type('tag:cdk8s-hardened,2026:locate', { kind: 'scalar', resolve: () => true, construct: (d: string) => d });
    locateSchema = new jsyaml.Schema({ include: [], implicit: [any], explicit: [] });
  }
  const top: PNode = { start: 0, end: 0, kind: null, result: null, children: [] };
  const stack: PNode[] = [top];
  try {
    jsYaml().load(text, {
      schema: locateSchema,
      json: true,
      listener: (event: string, state: any) => {
        if (event === 'open') {
          const n: PNode = { start: state.position, end: state.position, kind: null, result: null, children: [] };
          stack[stack.length - 1].children.push(n);
          stack.push(n);
        } else {
          const n = stack.pop()!;
          n.kind = state.kind;
          n.result = state.result;
          n.end = state.position;
        }
      },
    });
  } catch {
    return null;
  }
  const root = top.children[0];
  if (!root) return null;
  const skip = (p: number): number => {
    while (p < text.length) {
      const c = text[p];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '-' && /\s/.test(text[p + 1] ?? ' ')) p++;
      else if (c === '#') {
        const e = text.indexOf('\n', p);
        p = e < 0 ? text.length : e;
      } else break;
    }
    return p;
  };
  // js-yaml composes a flow collection met where a block key could start twice (the outer call keeps the inner result).
  const unwrap = (n: PNode | undefined): PNode | undefined => {
    while (n && n.children.length === 1 && n.kind !== 'scalar' && n.children[0].kind === n.kind && n.children[0].end === n.end &&
      skip(n.children[0].start) === skip(n.start)) n = n.children[0];
    return n;
  };
  const isKey = (n: PNode): boolean => {
    let p = n.end;
    while (text[p] === ' ' || text[p] === '\t') p++;
    return text[p] === ':';
  };
  const keyName = (n: PNode): string => {
    const r = n.result;
    if (typeof r !== 'string') return String(r);
    return String(readScalarKey(r));
  };
  return {
    lineCol: lineColFn(text),
    find(parts: string[]): number | undefined {
      let node: PNode | undefined = root;
      let pos = skip(root.start);
      for (const part of parts) {
        node = unwrap(node);
        if (!node) break;
        if (node.kind === 'mapping') {
          if (!node.keys) {
            const keys = new Map<string, [PNode, PNode | undefined]>();
            const ch = node.children;
            for (let i = 0; i < ch.length; i++) {
              if (!isKey(ch[i])) continue;
              const value = i + 1 < ch.length && !isKey(ch[i + 1]) ? ch[i + 1] : undefined;
              keys.set(keyName(ch[i]), [ch[i], value]); // the last wins, as in kubectl
            }
            node.keys = keys;
          }
          const found = node.keys.get(part);
          if (!found) break;
          pos = skip(found[0].start);
          node = found[1];
        } else if (node.kind === 'sequence' && /^\d+$/.test(part)) {
          const item: PNode | undefined = node.children[Number(part)];
          if (!item) break;
          pos = skip(item.start);
          node = item;
        } else {
          break;
        }
      }
      return pos;
    },
  };
}

/** A plain key as kubectl names it (`yes` -> "true", `0x10` -> "16"); other keys as written. */
const KEY_NAMES = new Map<string, string>();
function readScalarKey(raw: string): string {
  const c = raw.charCodeAt(0);
  // Only plain scalars starting like a YAML 1.1 bool/null/number can name a key differently.
  if (!(c >= 0x30 && c <= 0x39) && !'+-.yYnNtTfFoO~'.includes(raw[0] ?? '')) return raw;
  const hit = KEY_NAMES.get(raw);
  if (hit !== undefined) return hit;
  const name = readScalarKeyUncached(raw);
  if (KEY_NAMES.size < 10000) KEY_NAMES.set(raw, name);
  return name;
}

function readScalarKeyUncached(raw: string): string {
  try {
    const v = readKubeYaml(`${JSON.stringify(raw) === `"${raw}"` ? raw : JSON.stringify(raw)}: 0\n`)[0] as any;
    const k = v && typeof v === 'object' ? Object.keys(v)[0] : undefined;
    return k ?? raw;
  } catch {
    return raw;
  }
}

/** Fallback: the `yaml` package's tree. */
function yamlPositions(text: string): PositionTree | null {
  let root: any;
  let lineCounter: LineCounter;
  try {
    lineCounter = new LineCounter();
    root = parseDocument(text, { lineCounter, version: '1.1', uniqueKeys: false, prettyErrors: false }).contents;
  } catch {
    return null;
  }
  if (!root || !root.range) return null;
  return {
    lineCol: (pos: number) => {
      const lp = lineCounter.linePos(pos);
      return { line: lp.line, column: lp.col };
    },
    find(parts: string[]): number | undefined {
      let node: any = root;
      let pos = root.range[0];
      for (const key of parts) {
        if (isMap(node)) {
          let pair: any;
          for (const p of node.items as any[]) if ((isScalar(p.key) ? String(p.key.value) : String(p.key)) === key) pair = p;
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
      return pos;
    },
  };
}

/**
 * Append in place without spreading: `push(...items)` passes every item as an argument and overflows the call
 * stack beyond ~120,000 items (a large but valid manifest file).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
