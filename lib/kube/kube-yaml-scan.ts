/**
 * The first reader of kube-yaml.ts: one pass over a document's characters for the block YAML that generators and people
 * write (`key: value`, `- item`, one-line flow collections such as `{ app: web }` and `[ALL]`, single-line quoted
 * scalars, comments), building each object directly and recording where each key and sequence item is (PositionTable)
 * so that findings are located without reading the document again.
 *
 * Objects are plain (with Object.prototype, like js-yaml's): giving each its null prototype here was measured to cost as
 * much as the copy the engine makes (Object.setPrototypeOf per object dominates), so that copy stays the one place.
 *
 * It reads only what it is sure of. Anything else — anchors, aliases, tags, merge keys, block or multi-line scalars,
 * escapes, duplicate keys, keys that are not plain strings (`yes:`, `1:`), explicit `?`/`:`, tabs, carriage returns,
 * control and non-characters, line breaks that YAML 1.1 knows (NEL, LS, PS), a more indented comment after a value,
 * `...`, directives, nesting it cannot follow — and it gives the document back (NOT_SCANNED) untouched: the readers
 * of kube-yaml.ts (js-yaml with go-yaml's resolver, then the precise path) decide, exactly as before. On what it
 * accepts, its value equals theirs (test/kube/kube-yaml-scan.test.ts compares them on generated and real documents).
 * Plain scalars resolve through go-yaml v2's resolver (go-yaml-resolve.ts), as on the other paths.
 */
import { HINT, RESOLVE_MAP, resolveUnchecked } from './go-yaml-resolve';

/** The scanner gave the document back: the other readers decide. */
export const NOT_SCANNED: unique symbol = Symbol('not-scanned');

/** Kind of the value under a key or sequence item in a PositionTable. */
const SCALAR = 0;
const MAP = 1;
const SEQ = 2;
/** Int32 slots per PositionTable entry: line, column, entries under it, kind of its value, key start, key end. */
const STRIDE = 6;

/**
 * Where the keys and sequence items of scanned documents are: one entry per key or item, in document order, each with
 * its line and column (1-based, in the whole input), the kind of its value, the number of entries under it and where
 * the key's text is in the input (typed arrays only: nothing for the garbage collector to trace).
 */
export class PositionTable {
  private data = new Int32Array(STRIDE * 4096);
  /** Keys whose text differs from what the input holds (single-quoted with `''`), by entry. */
  private readonly unlike = new Map<number, string>();
  /** Entries in use. */
  count = 0;

  constructor(private readonly text: string) {}

  /** A new entry (its value's kind and size are set by close); a key from text[keyStart, keyEnd), an item: keyStart -1. */
  add(line: number, column: number, keyStart: number, keyEnd: number): number {
    const i = this.count++;
    if ((i + 1) * STRIDE > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const d = this.data;
    const o = i * STRIDE;
    d[o] = line;
    d[o + 1] = column;
    d[o + 2] = 0;
    d[o + 3] = SCALAR;
    d[o + 4] = keyStart;
    d[o + 5] = keyEnd;
    return i;
  }

  /** A key whose text is not the input's. */
  addUnlike(line: number, column: number, key: string): number {
    const i = this.add(line, column, -2, -2);
    this.unlike.set(i, key);
    return i;
  }

  close(i: number, kind: number): void {
    this.data[i * STRIDE + 2] = this.count - i - 1;
    this.data[i * STRIDE + 3] = kind;
  }

  /** Forget the entries from `mark` on (a document given back). */
  truncate(mark: number): void {
    for (const k of this.unlike.keys()) if (k >= mark) this.unlike.delete(k);
    this.count = mark;
  }

  /**
   * Line and column of the deepest key or item on `parts` under the entry `root` (a document): a missing key or item,
   * or a path going on into a scalar, stops at the closest existing parent.
   */
  find(root: number, parts: readonly string[]): { line: number; column: number } {
    const d = this.data;
    let i = root;
    for (const part of parts) {
      const kind = d[i * STRIDE + 3];
      const last = i + d[i * STRIDE + 2];
      let c = i + 1;
      if (kind === MAP) {
        while (c <= last && !this.keyIs(c, part)) c += 1 + d[c * STRIDE + 2];
      } else if (kind === SEQ && /^\d+$/.test(part)) {
        for (let n = Number(part); n > 0 && c <= last; n--) c += 1 + d[c * STRIDE + 2];
      } else {
        break;
      }
      if (c > last) break;
      i = c;
    }
    return { line: d[i * STRIDE], column: d[i * STRIDE + 1] };
  }

  private keyIs(i: number, key: string): boolean {
    const from = this.data[i * STRIDE + 4];
    if (from === -2) return this.unlike.get(i) === key;
    return from >= 0 && this.data[i * STRIDE + 5] - from === key.length && this.text.startsWith(key, from);
  }
}

/** A scanned document's place in its PositionTable. */
export interface DocumentPositions {
  readonly table: PositionTable;
  readonly root: number;
}

class GiveBack {}
const GIVE_BACK = new GiveBack();
function giveBack(): never {
  throw GIVE_BACK;
}

// Scanner state (one document at a time; the scanner does not re-enter).
let S = '';
let p = 0;
let end = 0;
let line = 1;
/** Offset of the current line's first character. */
let ls = 0;
/** Indentation of the content line the scanner stopped at, -1 at the end of the document. */
let nextIndent = -1;
/** Kind of the value last read. */
let lastKind = SCALAR;
/** Where the text of the key last read is ([keyFrom, keyTo) of the input; keyFrom -2 when it differs from the input). */
let keyFrom = 0;
let keyTo = 0;
let table: PositionTable | undefined;
/** Build maps without a prototype and freeze every map and list when read (scanDocument's `own`). */
let own = false;
/** In `own` mode: no map field of the document read so far is null (the engine then judges it as it is). */
let clean = true;

/** Root entry of the last document scanned with a table. */
let lastRoot = -1;
/** Open maps and lists. */
let depth = 0;

/** Deepest nesting of maps and lists the scanner reads (deeper documents are given back). */
export const SCAN_MAX_DEPTH = 100;

function enter(): void {
  if (++depth > SCAN_MAX_DEPTH) giveBack();
}

/**
 * The value of the document text[start, stop) (`line`: its first line), or NOT_SCANNED. `positions`: record where
 * keys and items are.
 */
export function scanDocument(text: string, start: number, stop: number, firstLine: number, positions: PositionTable | undefined, ownObjects = false): unknown {
  own = ownObjects;
  clean = true;
  S = text;
  p = start;
  end = stop;
  line = firstLine;
  ls = start;
  table = positions;
  lastRoot = -1;
  depth = 0;
  const mark = positions ? positions.count : 0;
  try {
    const indent = nextContent(-1);
    if (indent < 0) return null; // only comments and blank lines: kubectl skips the document
    if (indent !== 0) giveBack();
    const root = positions ? positions.add(line, 1, -1, -1) : -1;
    const value = blockMap(0);
    if (nextIndent >= 0) giveBack();
    if (positions) {
      positions.close(root, MAP);
      lastRoot = root;
    }
    return value;
  } catch {
    // GIVE_BACK, or the stack of a document nested too deep: the other readers decide (and say what is wrong).
    if (positions) positions.truncate(mark);
    return NOT_SCANNED;
  } finally {
    S = '';
    table = undefined;
  }
}

/**
 * True when the last document was scanned with `own` and no map field of it is null: every map of it has no prototype,
 * no `__proto__` key, and is frozen, as is every list — what the engine judges without copying (engine.ts adoptOwnFrozen).
 */
export function lastDocumentOwnClean(): boolean {
  return own && clean;
}

/** Where the last document scanned with a table starts in it (-1 when it had none or was empty). */
export function lastDocumentRoot(): number {
  return lastRoot;
}

/** The line of the end of the last document scanned (1 + the line breaks before it), when it was read. */
export function lastDocumentEndLine(): number {
  return line;
}

/** Code units of a character outside printable ASCII that every reader takes as ordinary text, or 0. */
function wide(i: number): number {
  const c = S.charCodeAt(i);
  if (c >= 0xa0 && c <= 0xd7ff) return c === 0x2028 || c === 0x2029 ? 0 : 1;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = i + 1 < end ? S.charCodeAt(i + 1) : 0;
    return d >= 0xdc00 && d <= 0xdfff ? 2 : 0;
  }
  if (c >= 0xe000 && c <= 0xfffd) return c === 0xfeff ? 0 : 1;
  return 0;
}

/**
 * From a line start: past blank and comment lines to the next content line; p at its first character. Returns (and
 * sets nextIndent to) its indentation, or -1 at the end. A comment line indented deeper than `deeper` (when >= 0) is
 * given back (a plain scalar could continue there in some readers).
 */
function nextContent(deeper: number): number {
  for (;;) {
    let q = p;
    while (q < end && S.charCodeAt(q) === 32) q++;
    if (q >= end) {
      p = end;
      return (nextIndent = -1);
    }
    const c = S.charCodeAt(q);
    if (c === 10) {
      line++;
      p = ls = q + 1;
      continue;
    }
    if (c === 35) {
      if (deeper >= 0 && q - ls > deeper) giveBack();
      p = q;
      skipComment();
      continue;
    }
    p = q;
    return (nextIndent = q - ls);
  }
}

/** p at `#`: past the comment and its line break (p at the next line start). */
function skipComment(): void {
  let i = p + 1;
  for (; i < end; i++) {
    const c = S.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 10) break;
    const n = wide(i);
    if (n === 0) giveBack();
    i += n - 1;
  }
  if (i < end) {
    line++;
    p = ls = i + 1;
  } else {
    p = end;
  }
}

/** Past spaces; returns the character there (NaN at the end). */
function skipSpaces(): number {
  while (p < end && S.charCodeAt(p) === 32) p++;
  return p < end ? S.charCodeAt(p) : NaN;
}

/** After a value: only spaces and a comment may follow on its line; then to the next content line. */
function endLine(deeper: number): void {
  const c = skipSpaces();
  if (p < end) {
    if (c === 35) {
      if (S.charCodeAt(p - 1) !== 32) giveBack();
      skipComment();
    } else if (c === 10) {
      line++;
      p = ls = p + 1;
    } else {
      giveBack();
    }
  }
  nextContent(deeper);
}

/** Characters that cannot start a plain scalar here (c-indicator, and space). */
function indicator(c: number): boolean {
  switch (c) {
    case 32: case 45: case 63: case 58: case 44: case 91: case 93: case 123: case 125: case 35:
    case 38: case 42: case 33: case 124: case 62: case 39: case 34: case 37: case 64: case 96:
      return true;
    default:
      return false;
  }
}

function isDash(): boolean {
  if (S.charCodeAt(p) !== 45) return false;
  if (p + 1 >= end) return true;
  const n = S.charCodeAt(p + 1);
  return n === 32 || n === 10;
}

function setKey(o: any, key: string, value: unknown): void {
  // Duplicate keys, and names Object.prototype has (`__proto__`, `constructor`), are left to the other readers. A map
  // without a prototype (own) inherits none of them: `__proto__` is still given back, as it is without `own`.
  if (o[key] !== undefined || (own && key === '__proto__')) giveBack();
  if (value === null) clean = false;
  o[key] = value;
}

/** A new map: without a prototype in `own` mode (made so before it is filled, which keeps it fast to read). */
function newMap(): any {
  const o = {};
  if (own) Object.setPrototypeOf(o, null);
  return o;
}

/** A map or list read whole: frozen in `own` mode. */
function done<T extends object>(v: T): T {
  return own ? Object.freeze(v) : v;
}

/**
 * True when go-yaml's resolver surely reads `s` (a plain scalar starting with a digit or a sign, not in its table) as a
 * string: it holds a character no integer, float or timestamp it knows can hold (`100m`, `128Mi`, `8080/TCP`).
 */
function surelyString(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 0-9 + - . : _ space, a-f A-F (hex), o O x X (prefixes), T t Z (timestamps)
    if ((c >= 0x30 && c <= 0x3a) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x20) continue;
    const l = c | 0x20;
    if ((l >= 0x61 && l <= 0x66) || l === 0x6f || l === 0x78 || l === 0x74 || c === 0x5a) continue;
    return true;
  }
  return false;
}

/** A plain key or value as go-yaml reads it (the strings, booleans, numbers and nulls JSON has), or given back. */
function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  const hint = c < 128 ? HINT[c] : 0;
  if (hint === 0) {
    if (c === 60 && s === '<<') giveBack(); // a merge key
    return s;
  }
  if (c >= 0x31 && c <= 0x39 && s.length <= 15 && /^[0-9]+$/.test(s)) return Number(s); // a decimal int64
  const known = RESOLVE_MAP.get(s);
  if (known === undefined && (hint === 77 || ((hint === 68 || hint === 83) && surelyString(s)))) return s;
  const r = known ?? resolveUnchecked('', s);
  switch (r.tag) {
    case 'str':
    case 'timestamp':
    case 'bool':
      return r.v;
    case 'null':
      return null;
    case 'int':
    case 'uint':
      return Number(r.v);
    case 'float':
      if (!Number.isFinite(r.v)) giveBack();
      return r.v === 0 ? 0 : r.v;
    default:
      return giveBack();
  }
}

/** A plain key: only one go-yaml reads as the same string. */
function plainKey(s: string): string {
  const c = s.charCodeAt(0);
  const hint = c < 128 ? HINT[c] : 0;
  if (hint === 0) {
    if (c === 60 && s === '<<') giveBack();
    return s;
  }
  const known = RESOLVE_MAP.get(s);
  if (known === undefined && (hint === 77 || ((hint === 68 || hint === 83) && surelyString(s)))) return s;
  const r = known ?? resolveUnchecked('', s);
  if (r.tag !== 'str' && r.tag !== 'timestamp') giveBack();
  return s;
}

/** Escapes of double-quoted scalars read here: `\"`, `\\`, `\n`, `\t`. */
const ESCAPES: Record<number, string> = { 34: '"', 92: '\\', 110: '\n', 116: '\t' };

/** p at a quote: the scalar, on one line (escapes: ESCAPES only). p past the closing quote. */
function quoted(q: number): string {
  const s = p + 1;
  let i = s;
  let out: string | undefined;
  let from = s;
  for (;;) {
    if (i >= end) giveBack();
    const c = S.charCodeAt(i);
    if (c === q) {
      if (q === 39 && i + 1 < end && S.charCodeAt(i + 1) === 39) {
        out = (out ?? '') + S.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      if (c === 92 && q === 34) {
        // The escapes every reader reads alike; any other (`\x41`, `\/`, `\` at the line end ...) is given back.
        const e = ESCAPES[S.charCodeAt(i + 1)];
        if (e === undefined || i + 1 >= end) giveBack();
        out = (out ?? '') + S.slice(from, i) + e;
        i += 2;
        from = i;
        continue;
      }
      i++;
      continue;
    }
    const n = wide(i);
    if (n === 0) giveBack(); // line break, tab, control character
    i += n;
  }
  p = i + 1;
  keyFrom = out === undefined ? s : -2;
  keyTo = i;
  return out === undefined ? S.slice(s, i) : out + S.slice(from, i);
}

/** p at a key of a block mapping: the key; p past its `:`. */
function blockKey(): string {
  const c = S.charCodeAt(p);
  if (c === 34 || c === 39) {
    const s = p;
    const k = quoted(c);
    if (p - s > 1000 || S.charCodeAt(p) !== 58) giveBack();
    p++;
    if (p < end) {
      const n = S.charCodeAt(p);
      if (n !== 32 && n !== 10) giveBack();
    }
    return k;
  }
  if (indicator(c) || (c === 46 && S.startsWith('...', p))) giveBack();
  const s = p;
  let q = p;
  for (;;) {
    if (q >= end) giveBack();
    const ch = S.charCodeAt(q);
    if (ch === 58) {
      if (q + 1 >= end) break;
      const n = S.charCodeAt(q + 1);
      if (n === 32 || n === 10) break;
      q++;
      continue;
    }
    if (ch >= 0x20 && ch < 0x7f) {
      if (ch === 35 && S.charCodeAt(q - 1) === 32) giveBack();
      q++;
      continue;
    }
    const n = wide(q);
    if (n === 0) giveBack(); // a line break before `:`, a tab, a control character
    q += n;
  }
  if (S.charCodeAt(q - 1) === 32 || q - s > 1000) giveBack();
  p = q + 1;
  keyFrom = s;
  keyTo = q;
  return plainKey(S.slice(s, q));
}

/** True when the line at p holds a block mapping key (`key:` followed by a space or the line end). */
function startsKey(): boolean {
  const c = S.charCodeAt(p);
  let q = p;
  if (c === 34 || c === 39) {
    for (q++; q < end; q++) {
      const ch = S.charCodeAt(q);
      if (ch === 10) return false;
      if (ch === 92 && c === 34) {
        q++;
        continue;
      }
      if (ch === c) {
        if (c === 39 && S.charCodeAt(q + 1) === 39) {
          q++;
          continue;
        }
        break;
      }
    }
    return S.charCodeAt(q + 1) === 58;
  }
  if (indicator(c)) return false;
  for (; q < end; q++) {
    const ch = S.charCodeAt(q);
    if (ch === 10) return false;
    if (ch === 58) {
      if (q + 1 >= end) return true;
      const n = S.charCodeAt(q + 1);
      if (n === 32 || n === 10) return true;
    } else if (ch === 35 && S.charCodeAt(q - 1) === 32) {
      return false;
    }
  }
  return false;
}

/** The table entry of the key last read. */
function entry(keyLine: number, column: number, key: string): number {
  return keyFrom >= 0 ? table!.add(keyLine, column, keyFrom, keyTo) : table!.addUnlike(keyLine, column, key);
}

/** p at the first key of a block mapping whose keys are at column `indent`. */
function blockMap(indent: number): any {
  enter();
  const o: any = newMap();
  for (;;) {
    const column = p - ls + 1;
    const keyLine = line;
    const key = blockKey();
    const at = table ? entry(keyLine, column, key) : -1;
    const c = skipSpaces();
    let value: unknown = null;
    let kind = SCALAR;
    if (p >= end || c === 10 || c === 35) {
      endLine(-1);
      const ni = nextIndent;
      if (ni > indent) {
        value = blockNode(ni);
        kind = lastKind;
      } else if (ni === indent && isDash()) {
        value = blockSeq(ni);
        kind = SEQ;
      }
    } else {
      value = inlineValue(indent);
      kind = lastKind;
    }
    setKey(o, key, value);
    if (at >= 0) table!.close(at, kind);
    const ni = nextIndent;
    if (ni === indent) continue;
    if (ni < indent) {
      depth--;
      return done(o);
    }
    giveBack();
  }
}

/** p at the first character of a content line indented `indent`, the value of the key above. */
function blockNode(indent: number): unknown {
  if (isDash()) {
    const v = blockSeq(indent);
    lastKind = SEQ;
    return v;
  }
  if (!startsKey()) giveBack();
  const v = blockMap(indent);
  lastKind = MAP;
  return v;
}

/** p at the `-` of the first item of a block sequence at column `indent`. */
function blockSeq(indent: number): unknown[] {
  enter();
  const out: unknown[] = [];
  for (;;) {
    p++;
    const c = skipSpaces();
    if (p >= end || c === 10 || c === 35) giveBack(); // `-` alone on its line
    if (isDash()) giveBack(); // `- - x`
    const column = p - ls;
    const at = table ? table.add(line, column + 1, -1, -1) : -1;
    let value: unknown;
    let kind: number;
    if (startsKey()) {
      value = blockMap(column);
      kind = MAP;
    } else {
      value = inlineValue(indent);
      kind = lastKind;
    }
    out.push(value);
    if (at >= 0) table!.close(at, kind);
    const ni = nextIndent;
    if (ni === indent && isDash()) continue;
    if (ni <= indent) {
      depth--;
      return done(out);
    }
    giveBack();
  }
}

/** p at a value on the line of its key or `-` (the block's column `indent`); then to the next content line. */
function inlineValue(indent: number): unknown {
  const c = S.charCodeAt(p);
  let v: unknown;
  if (c === 34 || c === 39) {
    v = quoted(c);
    lastKind = SCALAR;
  } else if (c === 123) {
    v = flowMap();
    lastKind = MAP;
  } else if (c === 91) {
    v = flowSeq();
    lastKind = SEQ;
  } else if (c === 124) {
    v = literal(indent);
    lastKind = SCALAR;
    nextContent(indent);
    return v;
  } else {
    if (indicator(c) && !(c === 45 && p + 1 < end && S.charCodeAt(p + 1) !== 32 && S.charCodeAt(p + 1) !== 10)) giveBack();
    v = plainBlock();
    lastKind = SCALAR;
  }
  endLine(indent);
  return v;
}

/**
 * p at `|` of a literal block scalar (`|` or `|-`; `|+`, indentation indicators and folded `>` are given back) in a
 * block whose column is `indent`: its content lines, indented alike deeper than `indent`, each ending with a line break
 * (a last line without one, lines of only spaces deeper than the content and leading empty lines deeper than it are
 * given back). Clipped: one final line break; stripped: none. p at the start of the line after it.
 */
function literal(indent: number): string {
  p++;
  let strip = false;
  if (S.charCodeAt(p) === 45) {
    strip = true;
    p++;
  }
  const h = skipSpaces();
  if (h === 35 && S.charCodeAt(p - 1) === 32) {
    skipComment();
  } else if (h === 10) {
    line++;
    p = ls = p + 1;
  } else {
    giveBack();
  }
  let n = -1;
  let leading = 0;
  let empty = 0;
  let out = '';
  while (p < end) {
    let q = p;
    while (q < end && S.charCodeAt(q) === 32) q++;
    if (q >= end) giveBack(); // spaces and no line break at the end
    const spaces = q - p;
    if (S.charCodeAt(q) === 10) {
      if (n < 0) leading = Math.max(leading, spaces);
      else if (spaces > n) giveBack();
      empty++;
      line++;
      p = ls = q + 1;
      continue;
    }
    if (n < 0) {
      if (spaces <= indent || leading > spaces) giveBack();
      n = spaces;
    }
    if (spaces < n) break;
    let e = q;
    for (; e < end; e++) {
      const c = S.charCodeAt(e);
      if (c >= 0x20 && c < 0x7f) continue;
      if (c === 10) break;
      const w = wide(e);
      if (w === 0) giveBack();
      e += w - 1;
    }
    if (e >= end) giveBack(); // the last line has no line break
    out += '\n'.repeat(empty) + S.slice(p + n, e) + '\n';
    empty = 0;
    line++;
    p = ls = e + 1;
  }
  if (n < 0) giveBack();
  return strip ? out.slice(0, -1) : out;
}

/** p at a plain scalar in a block: up to a comment or the line end (a `: ` in it is given back). */
function plainBlock(): unknown {
  const s = p;
  let q = p;
  for (; q < end; q++) {
    const ch = S.charCodeAt(q);
    if (ch >= 0x20 && ch < 0x7f) {
      if (ch === 58) {
        if (q + 1 >= end) giveBack();
        const n = S.charCodeAt(q + 1);
        if (n === 32 || n === 10) giveBack();
      } else if (ch === 35 && S.charCodeAt(q - 1) === 32) {
        break;
      }
      continue;
    }
    if (ch === 10) break;
    const n = wide(q);
    if (n === 0) giveBack();
    q += n - 1;
  }
  let e = q;
  while (S.charCodeAt(e - 1) === 32) e--;
  p = e;
  return plainValue(S.slice(s, e));
}

/** p at `{` of a flow mapping on one line. */
function flowMap(): any {
  enter();
  const o: any = newMap();
  p++;
  let c = skipSpaces();
  if (c === 125) {
    p++;
    depth--;
    return done(o);
  }
  for (;;) {
    const column = p - ls + 1;
    let key: string;
    if (c === 34 || c === 39) {
      key = quoted(c);
      if (S.charCodeAt(p) !== 58 || S.charCodeAt(p + 1) !== 32) giveBack();
      p++;
    } else {
      if (indicator(c)) giveBack();
      const s = p;
      let q = p;
      for (;;) {
        if (q >= end) giveBack();
        const ch = S.charCodeAt(q);
        if (ch === 58) {
          if (S.charCodeAt(q + 1) !== 32) giveBack();
          break;
        }
        if (ch >= 0x20 && ch < 0x7f) {
          if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125 || ch === 35 || ch === 34 || ch === 39) giveBack();
          q++;
          continue;
        }
        const n = wide(q);
        if (n === 0) giveBack();
        q += n;
      }
      if (S.charCodeAt(q - 1) === 32 || q - s > 1000) giveBack();
      key = plainKey(S.slice(s, q));
      keyFrom = s;
      keyTo = q;
      p = q + 1;
    }
    const at = table ? entry(line, column, key) : -1;
    const value = flowValue(skipSpaces());
    setKey(o, key, value);
    if (at >= 0) table!.close(at, lastKind);
    if (!nextFlowEntry(125)) return done(o);
    c = skipSpaces();
  }
}

/**
 * After an entry of a flow collection closed by `close`: at `,` moves onto the next entry and answers true; at `close`
 * moves past it, leaves the collection and answers false; anything else (a trailing comma too) is given back.
 */
function nextFlowEntry(close: number): boolean {
  let c = skipSpaces();
  if (c === 44) {
    p++;
    c = skipSpaces();
    if (c === close) giveBack(); // a trailing comma
    return true;
  }
  if (c !== close) giveBack();
  p++;
  depth--;
  return false;
}

/** p at `[` of a flow sequence on one line. */
function flowSeq(): unknown[] {
  enter();
  const out: unknown[] = [];
  p++;
  let c = skipSpaces();
  if (c === 93) {
    p++;
    depth--;
    return done(out);
  }
  for (;;) {
    const at = table ? table.add(line, p - ls + 1, -1, -1) : -1;
    out.push(flowValue(c));
    if (at >= 0) table!.close(at, lastKind);
    if (!nextFlowEntry(93)) return done(out);
    c = skipSpaces();
  }
}

/** p at a value inside a flow collection (c: its first character). */
function flowValue(c: number): unknown {
  if (c === 123) {
    const v = flowMap();
    lastKind = MAP;
    return v;
  }
  if (c === 91) {
    const v = flowSeq();
    lastKind = SEQ;
    return v;
  }
  lastKind = SCALAR;
  if (c === 34 || c === 39) return quoted(c);
  if (indicator(c) && !(c === 45 && p + 1 < end && !' ,]}\n'.includes(S[p + 1]))) giveBack();
  const s = p;
  let q = p;
  for (;;) {
    if (q >= end) giveBack();
    const ch = S.charCodeAt(q);
    if (ch >= 0x20 && ch < 0x7f) {
      if (ch === 44 || ch === 93 || ch === 125) break;
      if (ch === 58 || ch === 35 || ch === 91 || ch === 123 || ch === 34 || ch === 39) giveBack();
      q++;
      continue;
    }
    const n = wide(q);
    if (n === 0) giveBack(); // the line end inside a flow collection, a tab, a control character
    q += n;
  }
  let e = q;
  while (S.charCodeAt(e - 1) === 32) e--;
  if (e === s) giveBack();
  p = e;
  return plainValue(S.slice(s, e));
}
