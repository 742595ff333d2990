/**
 * Locating a finding without re-reading its document: a scan of the document's lines for the keys and sequence items of
 * a JSON path, in plain block-style YAML (what generators and people write: `key: value`, `- item`), and with the `flow`
 * option also in flow collections that open and close on one line (`metadata: {name: a}`, `- {name: c, image: x}`).
 * Anything else on the way — other flow collections, anchors, aliases, tags, merge keys, complex or special keys, tabs,
 * JSON — gives up (undefined), and the caller re-reads the document with a YAML parser (input.ts). A location only
 * says where to look: it never decides a finding. test/cli/fast-locate.test.ts checks it against the parser on every
 * finding of the test inputs and of generated flow-style documents. What a scan of a document learnt (its lines, the
 * keys of its mappings, where it gave up) is kept until another document is scanned: the findings of one object come
 * one after the other.
 */

/** Keys that YAML 1.1 reads as something else than their text (a plain `yes:` is the key "true"). */
const SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+.0-9].*|<<)$/;
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

interface Line {
  /** Offset of the line start in the text. */
  start: number;
  /** Offset of the first character that is not a space. */
  content: number;
  end: number;
}

/**
 * The lines of the last document scanned, [0, lineCount) of a pool reused from document to document (an object's
 * findings are located one after the other; no allocation per line). lineCount -1: a tab in an indentation.
 */
const POOL: Line[] = [];
let last: { text: string; docStart: number; docEnd: number } | undefined;
let lineCount = 0;

/**
 * Where the scan gave up on the last document: the scan of `parts` gives up at part n-1 whatever follows (`longer`
 * false), or when descending below part n-1 (`longer`: only paths longer than n). The scan of a path depends only on
 * the document and the parts before the one it looks at, so a path with such a prefix gives up at the same point:
 * the other findings of an object written in flow style go to the parser without scanning its lines again.
 */
interface GaveUp { parts: readonly string[]; n: number; longer: boolean; flow: boolean }

/** A key of a block mapping: its line, offset, and what follows its colon; `child`: its value's block, once read. */
interface KeyLine {
  readonly line: number;
  readonly at: number;
  readonly rest: string;
  readonly restAt: number;
  child?: Block | null;
}

/** A block of lines [from, to) holding a mapping (keys at column `indent`) or a sequence (`- ` at `indent`). */
interface Block { from: number; to: number; indent: number; seq: boolean }

/**
 * What the scans of the last document learnt, for the next finding of the same object: where they gave up, the keys
 * of each block mapping read (null: not scannable), the flow collections read (by offset). Emptied with the document.
 */
let doc: { gaveUp: GaveUp[]; maps: Map<string, Map<string, KeyLine> | null>; flows: Map<number, Flow | undefined> } = {
  gaveUp: [], maps: new Map(), flows: new Map(),
};
let scanningFlow = false;

function knownToGiveUp(parts: readonly string[]): boolean {
  for (const g of doc.gaveUp) {
    if (g.flow !== scanningFlow || parts.length < g.n + (g.longer ? 1 : 0)) continue;
    let i = 0;
    while (i < g.n && parts[i] === g.parts[i]) i++;
    if (i === g.n) return true;
  }
  return false;
}

/** Record where the scan of `parts` gave up (see GaveUp); returns undefined, the scan's answer. */
function giveUp(parts: readonly string[], n: number, longer: boolean): undefined {
  if (doc.gaveUp.length < 64) doc.gaveUp.push({ parts: parts.slice(0, n), n, longer, flow: scanningFlow });
  return undefined;
}

/** Fill POOL with the lines of a document: [start, contentStart, end). Returns the count, or -1 for a tab in an indentation. */
function linesOf(text: string, docStart: number, docEnd: number): number {
  if (last && last.text === text && last.docStart === docStart && last.docEnd === docEnd) return lineCount;
  let n = 0;
  for (let s = docStart; s < docEnd;) {
    let e = text.indexOf('\n', s);
    if (e < 0 || e > docEnd) e = docEnd;
    let c = s;
    while (c < e && text.charCodeAt(c) === 32) c++;
    if (text.charCodeAt(c) === 9) { // a tab in the indentation
      n = -1;
      break;
    }
    const l = POOL[n];
    if (l) {
      l.start = s;
      l.content = c;
      l.end = e;
    } else {
      POOL.push({ start: s, content: c, end: e });
    }
    n++;
    s = e + 1;
  }
  last = { text, docStart, docEnd };
  lineCount = n;
  doc = { gaveUp: [], maps: new Map(), flows: new Map() };
  return n;
}

/**
 * A flow collection (`{a: b, c: [d, e]}`) that opens and closes on one line: the offsets of its keys and items. Only
 * plain keys that YAML reads as their text, plain and quoted scalars, and nested flow collections; anything else
 * (a tab, a comment, an anchor, alias or tag, a complex or empty entry, a collection spanning lines) gives up.
 */
type Flow = { readonly keys: Map<string, [number, Flow]> } | { readonly items: [number, Flow][] } | null;

/** Characters that cannot start a plain scalar here, or need the parser: - ? : , [ ] { } # & * ! | > ' " % @ ` */
const NOT_PLAIN_START = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map(c => c.charCodeAt(0)));

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === 32) i++;
  return i;
}

/** The flow collection or scalar at `i` (a flow context), and the offset after it; undefined to give up. */
function readFlowValue(text: string, i: number, end: number): { node: Flow; next: number } | undefined {
  const c = text.charCodeAt(i);
  if (c === 123 /* { */ || c === 91 /* [ */) return readFlowCollection(text, i, end);
  if (c === 34 /* " */) {
    for (let j = i + 1; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === 92 /* \ */) j++;
      else if (d === 34) return { node: null, next: j + 1 };
      else if (d === 9) return undefined;
    }
    return undefined;
  }
  if (c === 39 /* ' */) {
    for (let j = i + 1; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === 39) {
        if (text.charCodeAt(j + 1) === 39 && j + 1 < end) j++;
        else return { node: null, next: j + 1 };
      } else if (d === 9) return undefined;
    }
    return undefined;
  }
  if (i >= end || c <= 32 || NOT_PLAIN_START.has(c)) return undefined;
  // A plain scalar ends at , ] } or at `: ` (its key's colon); [ { # or a tab inside it: the parser decides.
  let j = i + 1;
  for (; j < end; j++) {
    const d = text.charCodeAt(j);
    if (d === 44 || d === 93 || d === 125) break;
    if (d === 91 || d === 123 || d === 9 || d === 35) return undefined;
    if (d === 58 /* : */) {
      const e = j + 1 < end ? text.charCodeAt(j + 1) : 32;
      if (e === 32 || e === 44 || e === 93 || e === 125 || e === 91 || e === 123 || e === 9) break;
    }
  }
  return { node: null, next: j };
}

function readFlowCollection(text: string, i: number, end: number): { node: Flow; next: number } | undefined {
  const map = text.charCodeAt(i) === 123;
  const close = map ? 125 : 93;
  const keys = new Map<string, [number, Flow]>();
  const items: [number, Flow][] = [];
  i = skipSpaces(text, i + 1, end);
  if (text.charCodeAt(i) === close && i < end) return { node: map ? { keys } : { items }, next: i + 1 };
  while (i < end) {
    const start = i;
    if (map) {
      // A plain key that YAML reads as its text, then `: ` and a value.
      let j = i;
      while (j < end && /[A-Za-z0-9_./-]/.test(text[j])) j++;
      const key = text.slice(i, j);
      if (!PLAIN_KEY.test(key) || SPECIAL.test(key) || text.charCodeAt(j) !== 58 || j + 1 >= end || text.charCodeAt(j + 1) !== 32) return undefined;
      const v = readFlowValue(text, skipSpaces(text, j + 1, end), end);
      if (!v) return undefined;
      keys.set(key, [start, v.node]); // the last wins, as in kubectl
      i = v.next;
    } else {
      const v = readFlowValue(text, i, end);
      if (!v) return undefined;
      items.push([start, v.node]);
      i = v.next;
    }
    i = skipSpaces(text, i, end);
    if (i >= end) return undefined;
    const d = text.charCodeAt(i);
    if (d === close) return { node: map ? { keys } : { items }, next: i + 1 };
    if (d !== 44 /* , */) return undefined;
    i = skipSpaces(text, i + 1, end);
    if (i >= end || text.charCodeAt(i) === close || text.charCodeAt(i) === 44) return undefined; // an empty entry
  }
  return undefined;
}

/**
 * The flow collection starting at `start` and ending on its line (`end`: the line end), followed by nothing but spaces
 * and a comment; undefined otherwise.
 */
function flowOnLine(text: string, start: number, end: number): Flow | undefined {
  if (text.charCodeAt(end - 1) === 13) end--;
  const r = readFlowCollection(text, start, end);
  if (!r) return undefined;
  const after = skipSpaces(text, r.next, end);
  if (after < end && !(text.charCodeAt(after) === 35 && after > r.next)) return undefined;
  return r.node;
}

/** Offset of the deepest node of `parts[from..]` inside a flow collection whose own node is at `at`. */
function inFlow(flow: Flow, parts: readonly string[], from: number, at: number): number {
  let node = flow;
  for (let q = from; q < parts.length && node !== null; q++) {
    const part = parts[q];
    let next: [number, Flow] | undefined;
    if ('keys' in node) next = node.keys.get(part);
    else if (/^\d+$/.test(part)) next = node.items[Number(part)];
    if (!next) break; // missing: the closest existing parent
    at = next[0];
    node = next[1];
  }
  return at;
}

function isBlank(text: string, l: Line): boolean {
  return l.content >= l.end || text.charCodeAt(l.content) === 35 /* # */ || (l.content + 1 === l.end && text.charCodeAt(l.content) === 13);
}

/**
 * The keys of the block mapping whose keys are at column `indent` on lines [from, to) of the last document (the first
 * key after a `- ` at `firstKeyAt` when not -1), the last of a repeated key winning; null when a line there is not a
 * plain `key: value` line. Read once per mapping and document.
 */
function keysOf(text: string, from: number, to: number, indent: number, firstKeyAt: number): Map<string, KeyLine> | null {
  const id = `${from},${to},${indent},${firstKeyAt}`;
  const known = doc.maps.get(id);
  if (known !== undefined) return known;
  const keys = new Map<string, KeyLine>();
  let result: Map<string, KeyLine> | null = keys;
  for (let j = from; j < to; j++) {
    const l = POOL[j];
    if (isBlank(text, l)) continue;
    const at = j === from && firstKeyAt >= 0 ? firstKeyAt : l.content;
    const col = at - l.start;
    if (col < indent) break;
    if (col > indent) continue;
    const lineText = text.slice(at, l.end).replace(/\r$/, '');
    if (lineText.startsWith('- ') || lineText === '-') continue; // an indentless sequence under the previous key
    const m = /^("(?:[^"\\]*)"|'(?:[^']*)'|[^\s:#'"{[\]},&*!|>%@`?-][^:#]*?)\s*:(?:\s|$)/.exec(lineText);
    if (!m) {
      result = null;
      break;
    }
    let key = m[1];
    if (key.startsWith('"') || key.startsWith('\'')) key = key.slice(1, -1);
    else if (!PLAIN_KEY.test(key) || SPECIAL.test(key)) {
      result = null;
      break;
    }
    keys.set(key, { line: j, at, rest: lineText.slice(m[0].length).trim(), restAt: at + m[0].length });
  }
  doc.maps.set(id, result);
  return result;
}

/**
 * The block holding the value of the key on line `found` (of a mapping at column `indent`, ending before line `to`):
 * the following lines indented deeper, or an indentless sequence at the key's column; null to give up.
 */
function valueBlock(text: string, found: number, to: number, indent: number): Block | null {
  const lines = POOL;
  let k = found + 1;
  while (k < to && isBlank(text, lines[k])) k++;
  if (k >= to) return null;
  const l = lines[k];
  const col = l.content - l.start;
  const dash = text.charCodeAt(l.content) === 45 && (l.content + 1 >= l.end || text.charCodeAt(l.content + 1) === 32);
  if (col < indent || (col === indent && !dash)) return null;
  let end = k + 1;
  while (end < to) {
    const e = lines[end];
    if (!isBlank(text, e)) {
      const c = e.content - e.start;
      const isDash = text.charCodeAt(e.content) === 45;
      if (c < indent || (c === indent && !(dash && col === indent && isDash))) break;
    }
    end++;
  }
  const v = text.charCodeAt(l.content);
  if (!dash && (v === 123 || v === 91 || v === 38 || v === 42 || v === 33)) return null;
  return { from: k, to: end, indent: col, seq: dash };
}

/** flowOnLine, read once per offset and document. */
function flowAt(text: string, start: number, end: number): Flow | undefined {
  if (doc.flows.has(start)) return doc.flows.get(start);
  const flow = flowOnLine(text, start, end);
  doc.flows.set(start, flow);
  return flow;
}

/** 1-based line (within the document) and column of the deepest node on `parts`, or undefined to use the parser. */
export function scanLocate(text: string, docStart: number, docEnd: number, parts: readonly string[],
  options?: { readonly flow?: boolean }): { line: number; column: number } | undefined {
  const count = linesOf(text, docStart, docEnd);
  if (count < 0) return undefined;
  scanningFlow = options?.flow === true;
  if (doc.gaveUp.length > 0 && knownToGiveUp(parts)) return undefined;
  const lines = POOL;
  const blank = (l: Line) => isBlank(text, l);
  // The document's first node.
  let i = 0;
  while (i < count && blank(lines[i])) i++;
  if (i >= count) return giveUp(parts, 0, false);
  const first = text.charCodeAt(lines[i].content);
  if (first === 123 /* { */ || first === 91 /* [ */ || first === 37 /* % */ || text.startsWith('---', lines[i].content) || lines[i].content !== lines[i].start) {
    return giveUp(parts, 0, false);
  }
  // Current node: a mapping whose keys are at column `indent`, on lines [from, to), the first key possibly after a `- `.
  let from = i;
  let to = count;
  let indent = 0;
  let firstKeyAt = -1; // offset of the first key when it follows `- ` on the item line
  let kind: 'map' | 'seq' = 'map';
  let pos = lines[i].content;
  let posLine = i;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (kind === 'map') {
      if (SPECIAL.test(part) || part.length === 0) return giveUp(parts, p + 1, false);
      const keys = keysOf(text, from, to, indent, firstKeyAt);
      // A complex key, a flow collection, a continuation line: leave it to the parser.
      if (keys === null) return giveUp(parts, p + 1, false);
      const key = keys.get(part);
      if (key === undefined) break; // missing: the closest existing parent
      const found = key.line;
      pos = key.at;
      posLine = found;
      if (p === parts.length - 1) break;
      const rest = key.rest;
      if (rest.length > 0 && !rest.startsWith('#')) {
        // Descending into an inline value: a flow collection on the key's line is read (flow option), else the parser.
        const r = rest.charCodeAt(0);
        const flow = scanningFlow && (r === 123 || r === 91) ? flowAt(text, skipSpaces(text, key.restAt, lines[found].end), lines[found].end) : undefined;
        if (flow === undefined) return giveUp(parts, p + 1, true);
        return { line: found + 1, column: inFlow(flow, parts, p + 1, pos) - lines[found].start + 1 };
      }
      if (key.child === undefined) key.child = valueBlock(text, found, to, indent);
      const child = key.child;
      if (child === null) return giveUp(parts, p + 1, true);
      from = child.from;
      to = child.to;
      indent = child.indent;
      firstKeyAt = -1;
      kind = child.seq ? 'seq' : 'map';
    } else {
      if (!/^\d+$/.test(part)) return giveUp(parts, p + 1, false);
      const n = Number(part);
      let seen = -1;
      let item = -1;
      for (let j = from; j < to; j++) {
        const l = lines[j];
        if (blank(l)) continue;
        const col = l.content - l.start;
        if (col < indent) break;
        if (col > indent) continue;
        if (text.charCodeAt(l.content) !== 45) return giveUp(parts, p + 1, false);
        if (++seen === n) {
          item = j;
          break;
        }
      }
      if (item < 0) break;
      const l = lines[item];
      let c = l.content + 1;
      while (c < l.end && text.charCodeAt(c) === 32) c++;
      const contentEnd = text.charCodeAt(l.end - 1) === 13 ? l.end - 1 : l.end;
      if (c >= contentEnd) return giveUp(parts, p + 1, false); // `-` alone on its line: leave it to the parser
      const v = text.charCodeAt(c);
      if (scanningFlow && (v === 123 || v === 91)) {
        // An item written as a flow collection on its line: read it (flow option).
        const flow = flowAt(text, c, l.end);
        if (flow === undefined) return giveUp(parts, p + 1, false);
        return { line: item + 1, column: inFlow(flow, parts, p + 1, c) - l.start + 1 };
      }
      if (v === 123 || v === 91 || v === 38 || v === 42 || v === 33 || v === 35 || v === 45 || v === 34 || v === 39) return giveUp(parts, p + 1, false);
      pos = c;
      posLine = item;
      if (p === parts.length - 1) break;
      // The item is a mapping whose first key follows the dash; its other keys are at the same column.
      let end = item + 1;
      while (end < to) {
        const e = lines[end];
        if (!blank(e) && e.content - e.start <= indent) break;
        end++;
      }
      from = item;
      to = end;
      indent = c - l.start;
      firstKeyAt = c;
      kind = 'map';
    }
  }
  return { line: posLine + 1, column: pos - lines[posLine].start + 1 };
}
