/**
 * Read Kubernetes manifests exactly as kubectl does.
 *
 * kubectl (k8s.io/cli-runtime StreamVisitor -> apimachinery YAMLOrJSONDecoder -> sigs.k8s.io/yaml YAMLToJSON on
 * go-yaml v2) does, per input stream:
 *  1. If the first non-space byte is `{`, the stream is a sequence of JSON values (Go encoding/json).
 *  2. Otherwise it cuts the stream into documents on lines that start with `---` (YAMLReader; anything but spaces or a
 *     comment after the `---` is refused: "invalid Yaml document separator"), without regard to YAML syntax.
 *  3. Each piece is decoded by go-yaml v2 (YAML 1.1 resolver, first document of the piece only) into
 *     map[interface{}]interface{}; merge keys `<<` are applied in document order (a later explicit key overrides a
 *     merged one and a later merge overrides an earlier explicit key); duplicate keys: the last one wins.
 *  4. sigs.k8s.io/yaml turns non-string keys into strings (int -> decimal, float -> strconv 'g' at 32-bit precision,
 *     bool -> true/false) and refuses null, uint64 and collection keys; encoding/json refuses NaN and infinities.
 *
 * Sources read (pinned): go-yaml v2 resolve.go/decode.go (github.com/go-yaml/yaml branch v2 @ 7649d45),
 * kubernetes-sigs/yaml yaml.go (@ aadfabb, go.yaml.in/yaml/v2 v2.4.2), kubectl v1.32 behaviour (differential test
 * test/cli/kubectl-differential.test.ts).
 *
 * Speed: documents are first read by a scanner of plain block YAML (kube-yaml-scan.ts), which gives back anything it is
 * not sure of. Those are read by js-yaml with a schema whose only type is go-yaml's plain-scalar resolver. Whenever a
 * document uses something where js-yaml and go-yaml could disagree (anchors/aliases, tags, merge keys, duplicate
 * keys, keys that are not strings, NaN/infinity, explicit `?`/`:` indicators, directives, or anything js-yaml
 * refuses) that document is re-read by the precise path: the `yaml` package's composer (syntax) and a port of
 * go-yaml v2's decoder (semantics, alias accounting included).
 */
import type { Alias, Document } from 'yaml';
import { Resolved, resolveUnchecked } from './go-yaml-resolve';
export { resolvePlainScalar } from './go-yaml-resolve';
import { DocumentPositions, lastDocumentEndLine, lastDocumentOwnClean, lastDocumentRoot, NOT_SCANNED, PositionTable, SCAN_MAX_DEPTH, scanDocument } from './kube-yaml-scan';

// The readers behind the block scanner load their parsers when a document first needs them.
let jsyamlLib: any;
function jsyaml(): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (jsyamlLib ??= require('js-yaml'));
}
let yamlLib: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlLib ??= require('yaml') as typeof import('yaml'));
}
const isAlias = (n: unknown): n is Alias => yaml().isAlias(n);
const isMap = (n: unknown): boolean => yaml().isMap(n);
const isScalar = (n: unknown): boolean => yaml().isScalar(n);
const isSeq = (n: unknown): boolean => yaml().isSeq(n);

/** Input kubectl refuses. `line` is 1-based in the whole input when known. */
export class KubeYamlError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'KubeYamlError';
  }
}

/** One document as kubectl cuts the stream. */
export interface KubeDocument {
  /** JSON value kubectl produces (null for an empty or `null` document, which kubectl skips). */
  readonly value: unknown;
  /** Offset of the document's first character in the input text. */
  readonly start: number;
  /** Offset just past the document. */
  readonly end: number;
  /** 1-based line of the document's first character. */
  readonly line: number;
  /** Where the document's keys and sequence items are, when asked for and the block scanner read it (kube-yaml-scan.ts). */
  readonly positions?: DocumentPositions;
  /** Maps and lists nest at most this deep in the value (known when the block scanner read the document). */
  readonly nestingAtMost?: number;
  /**
   * With the `own` option: the value's maps have no prototype and no `__proto__` key, no map field is null, and every
   * map and list is frozen (the block scanner read it so). Absent otherwise: then the value is plain JSON.
   */
  readonly ownFrozen?: boolean;
}

/** How kubeDocuments reads. The option does not change what is read: the values are the same JSON. */
export interface KubeReadOptions {
  /** Record where keys and sequence items are (KubeDocument.positions), for documents the block scanner reads. */
  readonly positions?: boolean;
  /** false: every document is read by the readers behind the block scanner (the reference the scanner is tested against). */
  readonly scan?: boolean;
  /**
   * Documents the block scanner reads are built without prototypes and frozen (KubeDocument.ownFrozen), for a caller
   * that judges them as they are (the CLI's check: no copy of every object). The values are the same JSON.
   */
  readonly own?: boolean;
}

/** Every document of a stream, each value exactly the JSON kubectl would produce. Throws KubeYamlError. */
export function readKubeYaml(text: string): unknown[] {
  const out: unknown[] = [];
  for (const d of kubeDocuments(text)) out.push(d.value);
  return out;
}

/**
 * The documents of a stream, one at a time (a caller may judge and drop each before the next is parsed).
 * Throws KubeYamlError at the first document kubectl refuses.
 */
export function* kubeDocuments(text: string, options: KubeReadOptions = {}): Generator<KubeDocument> {
  if (isJsonStream(text)) {
    yield* jsonDocuments(text);
    return;
  }
  const lines = new LineIndex(text);
  const table = options.positions ? new PositionTable(text) : undefined;
  // Whole-text scans (native regex over the input once) for the readers behind the block scanner, made when one is needed.
  let checks: StreamChecks | undefined;
  for (const [start, end] of splitDocuments(text, lines)) {
    const line = lines.lineOf(start);
    const scanned = options.scan === false ? NOT_SCANNED : scanDocument(text, start, end, line, table, options.own === true);
    if (scanned !== NOT_SCANNED) {
      lines.known(end, lastDocumentEndLine());
      const root = lastDocumentRoot();
      const positions = table && root >= 0 ? { table, root } : undefined;
      // One shape for every document (no spread): ownFrozen is true or undefined.
      const ownFrozen = lastDocumentOwnClean() && scanned !== null ? true : undefined;
      yield { value: scanned, start, end, line, positions, nestingAtMost: SCAN_MAX_DEPTH, ownFrozen };
      continue;
    }
    checks ??= { printable: !hasNonPrintable(text), noBreaks: !YAML11_BREAKS.test(text), simple: !NEEDS_PRECISE.test(text) };
    const value = readOneDocument(text.slice(start, end), lines, start, checks);
    yield { value, start, end, line };
  }
}

interface StreamChecks { readonly printable: boolean; readonly noBreaks: boolean; readonly simple: boolean }

// ---------------------------------------------------------------------------------------------------------------
// Stream level: JSON sniffing and `---` splitting (k8s.io/apimachinery/pkg/util/yaml/decoder.go)

/** Incremental offset -> line mapping (documents are visited in order). */
class LineIndex {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  /** `offset` is known to be on `line` (a reader counted the line breaks before it). */
  known(offset: number, line: number): void {
    this.offset = offset;
    this.line = line;
  }

  lineOf(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    let i = this.text.indexOf('\n', this.offset);
    while (i >= 0 && i < offset) {
      this.line++;
      i = this.text.indexOf('\n', i + 1);
    }
    this.offset = offset;
    return this.line;
  }
}

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

function isJsonStream(text: string): boolean {
  const m = GO_SPACE.exec(text);
  return text.charCodeAt(m ? m[0].length : 0) === 0x7b; // '{'
}

/** [start, end) of each document: the text between separator lines, empty leading pieces skipped as kubectl does. */
function splitDocuments(text: string, lines: LineIndex): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let docStart = 0;
  let pos = text.startsWith('---') ? 0 : text.indexOf('\n---');
  if (pos > 0) pos += 1;
  while (pos >= 0) {
    // `pos` is the start of a line beginning with `---`.
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const rest = eol === pos + 3 ? '' : text.slice(pos + 3, eol).trim();
    if (rest.length > 0 && rest[0] !== '#') {
      throw new KubeYamlError(`invalid Yaml document separator: ${rest}`, lines.lineOf(pos));
    }
    if (pos > docStart) out.push([docStart, pos]);
    docStart = Math.min(eol + 1, text.length);
    pos = text.indexOf('\n---', eol >= text.length ? text.length : eol);
    if (pos >= 0) pos += 1;
  }
  if (docStart < text.length) out.push([docStart, text.length]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON streams (Go encoding/json: duplicate keys, last wins)

function* jsonDocuments(text: string): Generator<KubeDocument> {
  const lines = new LineIndex(text);
  let i = 0;
  const n = text.length;
  while (true) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) return;
    const start = i;
    const end = jsonValueEnd(text, i);
    if (end < 0) throw new KubeYamlError(`json: offset ${i}: invalid or unterminated JSON value`, lines.lineOf(i));
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch (e) {
      throw new KubeYamlError(`json: offset ${start}: ${(e as Error).message}`, lines.lineOf(start));
    }
    try {
      value = normalizeJson(value);
    } catch (e) {
      // Go's encoding/json (kubectl) refuses nesting past 10,000 levels ("exceeded max depth"); JavaScript's stack ends earlier.
      if (e instanceof RangeError) throw new KubeYamlError('json: nesting too deep (refused here past a few thousand levels; kubectl refuses past 10,000)', lines.lineOf(start));
      throw e;
    }
    yield { value, start, end, line: lines.lineOf(start) };
    i = end;
  }
}

/** End offset of the JSON value starting at i (an object, array, string or bare token). */
function jsonValueEnd(text: string, i: number): number {
  const c = text[i];
  if (c !== '{' && c !== '[') {
    if (c === '"') {
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '"') return j + 1;
      }
      return -1;
    }
    let j = i;
    while (j < text.length && /[^\s{}[\],"]/.test(text[j])) j++;
    return j > i ? j : -1;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (ch === '"') {
      for (j++; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '"') break;
      }
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

function normalizeJson(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = normalizeJson(v[i]);
    return v;
  }
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) (v as any)[k] = normalizeJson((v as any)[k]);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// One document

/** Characters libyaml refuses anywhere in the input ("control characters are not allowed"). */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const NON_PRINTABLE_BMP = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
function hasNonPrintable(s: string): boolean {
  return NON_PRINTABLE_BMP.test(s) || (SURROGATE.test(s) && NON_PRINTABLE.test(s));
}
/**
 * Constructs the fast path leaves to the precise path: directives, explicit keys/values, empty keys, tab indentation,
 * escapes js-yaml reads but libyaml refuses (`\/`) or that js-yaml may read differently.
 */
const NEEDS_PRECISE = /^%|(?:^|[\s,[{])[?:](?=[\s,\]}]|$)|^ *\t|-[ ]*\t|\\[^0abt\tnvfre "\\NLP_xuU\r\n]/m;
/** NEL, LS, PS: line breaks in YAML 1.1 (libyaml), ordinary characters to js-yaml and the `yaml` package. */
const YAML11_BREAKS = /[\u0085\u2028\u2029]/;

function readOneDocument(chunk: string, lines: LineIndex, start: number, checks: StreamChecks): unknown {
  const bad = checks.printable ? null : NON_PRINTABLE.exec(chunk);
  if (bad) throw new KubeYamlError('yaml: control characters are not allowed', lines.lineOf(start + bad.index));
  const brk = checks.noBreaks ? null : YAML11_BREAKS.exec(chunk);
  if (brk) {
    // Refused rather than guessed: libyaml folds these as line breaks, which changes keys and values.
    throw new KubeYamlError('yaml: NEL (U+0085), LS (U+2028) and PS (U+2029) are line breaks to kubectl (YAML 1.1); ' +
      'cdk8s-hardened does not read them: replace them', lines.lineOf(start + brk.index));
  }
  if (checks.simple || !NEEDS_PRECISE.test(chunk)) {
    const fast = fastRead(chunk);
    if (fast !== FALLBACK) return fast;
  }
  try {
    return preciseRead(chunk);
  } catch (e) {
    if (e instanceof RangeError) {
      // go-yaml refuses nesting past 10,000 levels ("exceeded max depth of 10000"); JavaScript's stack ends earlier.
      throw new KubeYamlError('yaml: nesting too deep (refused here past a few thousand levels; kubectl refuses past 10,000)', lines.lineOf(start));
    }
    if (e instanceof KubeYamlError) {
      throw new KubeYamlError(e.message, e.line !== undefined ? lines.lineOf(start) + e.line - 1 : lines.lineOf(start));
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fallback signals of the fast paths

const FALLBACK: unique symbol = Symbol('fallback');
class FallbackSignal {}
const FALLBACK_SIGNAL = new FallbackSignal();

/** go-yaml v2 resolve(tag, in): tag '' for an untagged plain scalar. Throws KubeYamlError when the tag does not fit. */
function goResolve(tag: string, input: string): Resolved {
  const r = resolveUnchecked(tag, input);
  if (tag === '' || tag === r.tag || tag === 'str' || tag === 'binary') return r;
  if (tag === 'float' && r.tag === 'int') return { tag: 'float', v: Number(r.v) };
  throw new KubeYamlError(`yaml: cannot decode !!${r.tag} \`${input}\` as a !!${tag}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Fast path: js-yaml, with go-yaml's resolver as its only type

/** Set by the plain-scalar constructor when the value would need a check if it were a mapping key. */
let keySensitive = false;

const GO_PLAIN_TAG = 'tag:cdk8s-hardened,2026:go-plain';
let goSchema: any;
function schema(): any {
  if (!goSchema) {
    const goPlain = new (jsyaml().Type)(GO_PLAIN_TAG, {
      kind: 'scalar',
      resolve: () => true,
      construct: (data: string) => {
        if (data === '<<') throw FALLBACK_SIGNAL; // a merge key (go-yaml's isMerge, not its resolver)
        const r = resolveUnchecked('', data);
        switch (r.tag) {
          case 'str':
          case 'timestamp':
            return r.v;
          case 'bool':
            return r.v;
          case 'null':
            keySensitive = true;
            return null;
          case 'int': {
            const n = Number(r.v);
            if (!Number.isSafeInteger(n)) keySensitive = true;
            return n;
          }
          case 'uint':
            keySensitive = true;
            return Number(r.v);
          case 'float':
            if (!Number.isFinite(r.v)) throw FALLBACK_SIGNAL;
            keySensitive = true;
            return r.v === 0 ? 0 : r.v;
          default:
            throw FALLBACK_SIGNAL; // merge key
        }
      },
    });
    goSchema = new (jsyaml().Schema)({ include: [], implicit: [goPlain], explicit: [] });
  }
  return goSchema;
}

function listener(event: string, state: any): void {
  if (event !== 'close') return;
  if (state.anchor !== null) throw FALLBACK_SIGNAL;
  const tag = state.tag;
  if (tag !== null && tag !== GO_PLAIN_TAG) throw FALLBACK_SIGNAL;
  const kind = state.kind;
  if (keySensitive || (kind !== 'scalar' && kind !== null)) {
    keySensitive = false;
    // A mapping key is followed by ':' on its line (explicit keys never reach the fast path).
    const input: string = state.input;
    let p: number = state.position;
    let ch = input.charCodeAt(p);
    while (ch === 0x20 || ch === 0x09) ch = input.charCodeAt(++p);
    if (ch === 0x3a) throw FALLBACK_SIGNAL;
  }
}

function fastRead(chunk: string): unknown | typeof FALLBACK {
  keySensitive = false;
  try {
    const v = jsyaml().load(chunk, { schema: schema(), listener });
    return v === undefined ? null : v;
  } catch {
    // FallbackSignal, or anything js-yaml refuses (duplicate keys, unknown tags, syntax it reads differently):
    // the precise path decides.
    return FALLBACK;
  } finally {
    keySensitive = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Precise path: `yaml` composer + a port of go-yaml v2's decoder and sigs.k8s.io/yaml's JSON conversion

class GoFloat { constructor(readonly v: number) {} }
class GoInt { constructor(readonly v: bigint, readonly unsigned: boolean) {} }
/** map[interface{}]interface{}: typed key identity -> [key, value]. */
class GoMap { readonly entries = new Map<string, [unknown, unknown]>(); }

function keyIdentity(k: unknown): string {
  if (k === null) return 'n';
  if (typeof k === 'string') return 's' + k;
  if (typeof k === 'boolean') return k ? 'bt' : 'bf';
  if (k instanceof GoInt) return (k.unsigned ? 'u' : 'i') + k.v.toString();
  if (k instanceof GoFloat) return 'f' + (Number.isNaN(k.v) ? 'NaN' + Math.random() : String(k.v)); // NaN != NaN in a Go map
  return 'x' + Math.random();
}

interface DecodeState {
  doc: Document.Parsed;
  decodeCount: number;
  aliasCount: number;
  aliasDepth: number;
  active: Set<unknown>;
}

const ALIAS_RATIO_LOW = 400000;
const ALIAS_RATIO_HIGH = 4000000;
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_HIGH) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW));
}

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
function shortTag(tag: string | undefined): string {
  if (!tag) return '';
  return tag.startsWith(YAML_TAG_PREFIX) ? tag.slice(YAML_TAG_PREFIX.length) : tag;
}

function lineOfNode(st: DecodeState, node: any): number | undefined {
  const r = node?.range;
  if (!r) return undefined;
  const src: string = (st.doc as any).__src;
  let line = 1;
  for (let i = src.indexOf('\n'); i >= 0 && i < r[0]; i = src.indexOf('\n', i + 1)) line++;
  return line;
}

function fail(st: DecodeState, node: any, msg: string): never {
  const line = lineOfNode(st, node);
  throw new KubeYamlError(line !== undefined ? `yaml: line ${line}: ${msg}` : `yaml: ${msg}`, line);
}

function isPlainImplicit(node: any): boolean {
  const tag: string | undefined = node.tag;
  return (!tag && node.type === 'PLAIN') || tag === '!';
}

function isMergeKey(node: any): boolean {
  if (!isScalar(node) || node.value !== '<<') return false;
  return isPlainImplicit(node) || node.tag === YAML_TAG_PREFIX + 'merge';
}

function unmarshal(st: DecodeState, node: any, into?: GoMap): unknown {
  st.decodeCount++;
  if (st.aliasDepth > 0) st.aliasCount++;
  if (st.aliasCount > 100 && st.decodeCount > 1000 && st.aliasCount / st.decodeCount > allowedAliasRatio(st.decodeCount)) {
    fail(st, node, 'document contains excessive aliasing');
  }
  if (isAlias(node)) {
    const target = (node as Alias).resolve(st.doc);
    if (target === undefined) fail(st, node, `unknown anchor '${(node as Alias).source}' referenced`);
    if (st.active.has(node)) fail(st, node, `anchor '${(node as Alias).source}' value contains itself`);
    st.active.add(node);
    st.aliasDepth++;
    const v = unmarshal(st, target, into);
    st.aliasDepth--;
    st.active.delete(node);
    return v;
  }
  if (node === null || node === undefined || isScalar(node)) return scalar(st, node);
  if (isMap(node)) {
    const out = into ?? new GoMap();
    for (const pair of node.items as any[]) {
      if (!node.flow) checkIndentation(st, pair.key);
      if (isMergeKey(pair.key)) {
        merge(st, pair.value, out);
        continue;
      }
      const k = unmarshal(st, pair.key);
      if (k instanceof GoMap || Array.isArray(k)) fail(st, pair.key, 'invalid map key');
      const v = unmarshal(st, pair.value);
      out.entries.set(keyIdentity(k), [k, v]);
    }
    return out;
  }
  if (isSeq(node)) {
    const arr: unknown[] = [];
    for (const item of node.items) {
      if (!node.flow) checkIndentation(st, item);
      arr.push(unmarshal(st, item));
    }
    return arr;
  }
  return scalar(st, node);
}

function merge(st: DecodeState, node: any, out: GoMap): void {
  const wantMap = () => fail(st, node, 'map merge requires map or sequence of maps as the value');
  const targetOf = (n: any) => (isAlias(n) ? (n as Alias).resolve(st.doc) : n);
  if (isMap(node)) {
    unmarshal(st, node, out);
  } else if (isAlias(node)) {
    if (!isMap(targetOf(node))) wantMap();
    unmarshal(st, node, out);
  } else if (isSeq(node)) {
    const items = node.items as any[];
    for (let i = items.length - 1; i >= 0; i--) {
      if (!isMap(targetOf(items[i]))) wantMap();
      unmarshal(st, items[i], out);
    }
  } else {
    wantMap();
  }
}

/** libyaml: block indentation is spaces only ("found character that cannot start any token"). */
function checkIndentation(st: DecodeState, node: any): void {
  const at = node?.range?.[0];
  if (at === undefined) return;
  const src: string = (st.doc as any).__src;
  const ls = src.lastIndexOf('\n', at - 1) + 1;
  let i = ls;
  while (i < at && (src[i] === ' ' || src[i] === '\t')) i++;
  if (src.slice(ls, i).includes('\t') && (i === at || src[i] === '-' || src[i] === '?' || src[i] === ':')) {
    fail(st, node, 'found character that cannot start any token');
  }
  // Nor after a block sequence's '-' (libyaml: tabs are whitespace only where a simple key is not allowed).
  let j = at - 1;
  while (j >= ls && (src[j] === ' ' || src[j] === '\t')) j--;
  if (j >= ls && src[j] === '-' && src.slice(j + 1, at).includes('\t')) fail(st, node, 'found character that cannot start any token');
}

/** go-yaml's double-quoted escapes (scannerc.go); `\/` and the like are refused. */
function checkEscapes(st: DecodeState, node: any): void {
  const r = node.range;
  if (!r) return;
  const src: string = (st.doc as any).__src.slice(r[0], r[1]);
  const re = /\\(.)/gs;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    const c = m[1];
    if ('0abt\tnvfre "\'\\NLP_\r\n'.includes(c)) continue;
    const len = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : -1;
    if (len < 0) fail(st, node, 'found unknown escape character while parsing a quoted scalar');
    const hex = src.slice(m.index + 2, m.index + 2 + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(st, node, 'did not find expected hexdecimal number while parsing a quoted scalar');
    const cp = parseInt(hex, 16);
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) fail(st, node, 'found invalid Unicode character escape code while parsing a quoted scalar');
    re.lastIndex = m.index + 2 + len;
  }
}

function scalar(st: DecodeState, node: any): unknown {
  if (node && node.type === 'QUOTE_DOUBLE') checkEscapes(st, node);
  const value: string = node == null ? '' : node.source ?? String(node.value ?? '');
  const rawTag: string | undefined = node == null ? undefined : node.tag;
  const implicit = node == null ? true : isPlainImplicit(node);
  let r: Resolved;
  if (!rawTag && !implicit) {
    r = { tag: 'str', v: value };
  } else {
    const known = rawTag && rawTag !== '!' && rawTag.startsWith(YAML_TAG_PREFIX) ? shortTag(rawTag) : undefined;
    if (rawTag && known === undefined) return value; // custom or non-specific tag: the string, unresolved
    const tag = known ?? '';
    if (tag === 'binary') {
      const clean = value.replace(/[\r\n]/g, '');
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) fail(st, node, '!!binary value contains invalid base64 data');
      return goBytesToString(Buffer.from(clean, 'base64'));
    }
    if (!['', 'str', 'bool', 'int', 'float', 'null', 'timestamp'].includes(tag)) return value; // !!merge, !!set ... on a scalar
    try {
      r = goResolve(tag, value);
    } catch (e) {
      fail(st, node, (e as Error).message.replace(/^yaml: /, ''));
    }
  }
  switch (r.tag) {
    case 'null': return null;
    case 'bool': return r.v;
    case 'int': return new GoInt(r.v, false);
    case 'uint': return new GoInt(r.v, true);
    case 'float': return new GoFloat(r.v);
    case 'timestamp': return value;
    case 'merge': return '<<';
    default: return r.v;
  }
}

/** Go's string(bytes) then encoding/json: each invalid UTF-8 byte becomes U+FFFD. */
function goBytesToString(b: Buffer): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    let cp = 0;
    if (c < 0x80) { out += String.fromCharCode(c); i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; } else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; } else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; } else { out += '\ufffd'; i++; continue; }
    let ok = i + n < b.length + 0 && i + n <= b.length - 1 + 1;
    for (let j = 1; ok && j <= n; j++) {
      const cc = b[i + j];
      if (cc === undefined || (cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    if (ok && ((n === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (!ok) { out += '\ufffd'; i++; continue; }
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return out;
}

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest decimal that reads back as the same float32. */
function formatFloat32g(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  const x = Math.fround(f);
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = x.toExponential(p - 1);
    if (Math.fround(Number(s)) === x) {
      const [mant, e] = s.split('e');
      digits = mant.replace('-', '').replace('.', '');
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const sign = x < 0 ? '-' : '';
  // Go %g with the shortest precision switches to %e when exp < -4 || exp >= 6 (eprec is 6 when shortest).
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ea = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${ea < 10 ? '0' + ea : ea}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** sigs.k8s.io/yaml convertToJSONableObject + encoding/json. */
function toJson(st: DecodeState, v: unknown, node: any): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof GoInt) return Number(v.v);
  if (v instanceof GoFloat) {
    if (!Number.isFinite(v.v)) {
      throw new KubeYamlError(`error converting YAML to JSON: json: unsupported value: ${Number.isNaN(v.v) ? 'NaN' : v.v > 0 ? '+Inf' : '-Inf'}`);
    }
    return v.v === 0 ? 0 : v.v;
  }
  if (Array.isArray(v)) return v.map(x => toJson(st, x, node));
  if (v instanceof GoMap) {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, string>();
    for (const [id, [k, val]] of v.entries) {
      let ks: string;
      if (typeof k === 'string') ks = k;
      else if (typeof k === 'boolean') ks = k ? 'true' : 'false';
      else if (k instanceof GoInt && !k.unsigned) ks = k.v.toString();
      else if (k instanceof GoFloat) ks = formatFloat32g(k.v);
      else {
        const type = k === null ? '%!s(<nil>)' : k instanceof GoInt ? 'uint64' : typeof k;
        throw new KubeYamlError(`error converting YAML to JSON: unsupported map key of type: ${type}, key: ${k === null ? '<nil>' : String((k as any).v ?? k)}`);
      }
      const prior = seen.get(ks);
      if (prior !== undefined && prior !== id) {
        // Go ranges over the map in random order: kubectl keeps either value, so no one can say what it sends.
        throw new KubeYamlError(`error converting YAML to JSON: keys of different YAML types both read as "${ks}" (kubectl keeps one of them at random); quote the keys or remove one`);
      }
      seen.set(ks, id);
      Object.defineProperty(out, ks, { value: toJson(st, val, node), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

function preciseRead(chunk0: string): unknown {
  // go-yaml reads `\'` in a double-quoted scalar as `'`; the `yaml` package refuses it: rewrite exactly those escapes.
  let chunk = chunk0;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return preciseReadOnce(chunk);
    } catch (e) {
      const at = (e as any).escapeAt;
      if (typeof at !== 'number') throw e;
      chunk = chunk.slice(0, at) + '\\x27' + chunk.slice(at + 2);
    }
  }
  return preciseReadOnce(chunk);
}

function preciseReadOnce(chunk: string): unknown {
  const { Composer, Parser } = yaml();
  const parser = new Parser();
  const composer = new Composer({ version: '1.1', schema: 'failsafe', uniqueKeys: false, merge: false, strict: false, stringKeys: false } as any);
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(parser.parse(chunk), true)) {
    doc = d as Document.Parsed;
    break;
  }
  if (!doc) return null;
  (doc as any).__src = chunk;
  const err = doc.errors[0];
  if (err && /Invalid escape sequence \\'/.test(err.message)) {
    const at = chunk.lastIndexOf("\\'", err.pos[1]);
    if (at >= err.pos[0] - 1) throw Object.assign(new Error('escape'), { escapeAt: at });
  }
  if (err) {
    const before = chunk.slice(0, err.pos[0]);
    const line = before.split('\n').length;
    throw new KubeYamlError(`yaml: line ${line}: ${err.message.split('\n')[0]}`, line);
  }
  const st: DecodeState = { doc, decodeCount: 1, aliasCount: 0, aliasDepth: 0, active: new Set() };
  const root = doc.contents;
  if (root === null || root === undefined) return null;
  const v = unmarshal(st, root);
  return toJson(st, v, root);
}
