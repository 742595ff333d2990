/**
 * Locating a finding without re-reading its document: a scan of the document's lines for the keys and sequence items of
 * a JSON path, in plain block-style YAML (what generators and people write: `key: value`, `- item`). Anything else on
 * the way — flow collections, anchors, aliases, tags, merge keys, complex or special keys, tabs, JSON — gives up
 * (undefined), and the caller re-reads the document with a YAML parser (input.ts). A location only says where to look:
 * it never decides a finding. test/cli/fast-locate.test.ts checks it against the parser on every finding of the test
 * inputs.
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
interface GaveUp { parts: readonly string[]; n: number; longer: boolean }
let gaveUp: GaveUp[] = [];

function knownToGiveUp(parts: readonly string[]): boolean {
  for (const g of gaveUp) {
    if (parts.length < g.n + (g.longer ? 1 : 0)) continue;
    let i = 0;
    while (i < g.n && parts[i] === g.parts[i]) i++;
    if (i === g.n) return true;
  }
  return false;
}

/** Record where the scan of `parts` gave up (see GaveUp); returns undefined, the scan's answer. */
function giveUp(parts: readonly string[], n: number, longer: boolean): undefined {
  if (gaveUp.length < 64) gaveUp.push({ parts: parts.slice(0, n), n, longer });
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
  gaveUp = [];
  return n;
}

/** 1-based line (within the document) and column of the deepest node on `parts`, or undefined to use the parser. */
export function scanLocate(text: string, docStart: number, docEnd: number, parts: readonly string[]): { line: number; column: number } | undefined {
  const count = linesOf(text, docStart, docEnd);
  if (count < 0) return undefined;
  if (gaveUp.length > 0 && knownToGiveUp(parts)) return undefined;
  const lines = POOL;
  const blank = (l: Line) => l.content >= l.end || text.charCodeAt(l.content) === 35 /* # */ || (l.content + 1 === l.end && text.charCodeAt(l.content) === 13);
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
      let found = -1;
      let foundAt = -1;
      let rest = '';
      for (let j = from; j < to; j++) {
        const l = lines[j];
        if (blank(l)) continue;
        const at = j === from && firstKeyAt >= 0 ? firstKeyAt : l.content;
        const col = at - l.start;
        if (col < indent) break;
        if (col > indent) continue;
        const lineText = text.slice(at, l.end).replace(/\r$/, '');
        if (lineText.startsWith('- ') || lineText === '-') continue; // an indentless sequence under the previous key
        const m = /^("(?:[^"\\]*)"|'(?:[^']*)'|[^\s:#'"{[\]},&*!|>%@`?-][^:#]*?)\s*:(?:\s|$)/.exec(lineText);
        // A complex key, a flow collection, a continuation line: leave it to the parser.
        if (!m) return giveUp(parts, p + 1, false);
        let key = m[1];
        if (key.startsWith('"') || key.startsWith('\'')) key = key.slice(1, -1);
        else if (!PLAIN_KEY.test(key) || SPECIAL.test(key)) return giveUp(parts, p + 1, false);
        if (key === part) {
          found = j;
          foundAt = at;
          rest = lineText.slice(m[0].length).trim();
        }
      }
      if (found < 0) break; // missing: the closest existing parent
      pos = foundAt;
      posLine = found;
      if (p === parts.length - 1) break;
      if (rest.length > 0 && !rest.startsWith('#')) return giveUp(parts, p + 1, true); // descending into an inline value
      // The value's block: the following lines indented deeper, or an indentless sequence at the key's column.
      let k = found + 1;
      while (k < to && blank(lines[k])) k++;
      if (k >= to) return giveUp(parts, p + 1, true);
      const l = lines[k];
      const col = l.content - l.start;
      const dash = text.charCodeAt(l.content) === 45 && (l.content + 1 >= l.end || text.charCodeAt(l.content + 1) === 32);
      if (col < indent || (col === indent && !dash)) return giveUp(parts, p + 1, true);
      let end = k + 1;
      while (end < to) {
        const e = lines[end];
        if (!blank(e)) {
          const c = e.content - e.start;
          const isDash = text.charCodeAt(e.content) === 45;
          if (c < indent || (c === indent && !(dash && col === indent && isDash))) break;
        }
        end++;
      }
      from = k;
      to = end;
      indent = col;
      firstKeyAt = -1;
      kind = dash ? 'seq' : 'map';
      const v = text.charCodeAt(l.content);
      if (!dash && (v === 123 || v === 91 || v === 38 || v === 42 || v === 33)) return giveUp(parts, p + 1, true);
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
