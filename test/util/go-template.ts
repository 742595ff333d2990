/**
 * The subset of Go's text/template that Polaris's check files use (test/vendor/polaris/checks), with Go's semantics:
 *
 * - actions `{{ pipeline }}`, `{{- ` / ` -}}` whitespace trimming, comments `{{/* *\/}}`;
 * - `if` / `else if` / `else` / `end`, `range $k, $v := pipeline` (maps in sorted key order, arrays by index);
 * - variables `$x := pipeline`, `$x = pipeline` (scoped to the enclosing if/range body, as in Go);
 * - field chains `.a.b`, `$x.a`, `(pipeline).a`, literals (strings, numbers, true, false, nil);
 * - functions `not`, `and`, `or` (short-circuit, returning an operand, Go 1.18+), `eq`, `ne`, `index`, `print`, `len`,
 *   and Polaris's `hasPrefix`, `hasSuffix`.
 *
 * Go's map semantics with the default `missingkey` option: a missing key yields "no value", which is false, prints as
 * `<no value>`, and field access on it yields "no value" again (no error). JSON null is Go's nil interface, which the
 * comparison functions treat the same way. `eq` of two values of different basic kinds is an error, as in Go.
 * Anything else (pipes, other functions, `with`, `define`) throws: a check file that needs it must not be half-read.
 */

/** Go's "no value" (an invalid reflect.Value): a missing map key. */
export const NO_VALUE: unique symbol = Symbol('no value');
type Value = unknown;

type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe }
  | { t: 'if'; branches: { cond: Pipe; body: Node[] }[]; otherwise?: Node[] }
  | { t: 'range'; keyVar?: string; valueVar?: string; pipe: Pipe; body: Node[]; otherwise?: Node[] };

interface Pipe {
  readonly decl?: { name: string; assign: boolean };
  readonly cmd: Cmd;
}
type Arg =
  | { t: 'field'; base: 'dot' | string | Pipe; path: string[] }
  | { t: 'lit'; value: Value }
  | { t: 'ident'; name: string };
interface Cmd { readonly args: Arg[] }

class TemplateError extends Error {}

/** Render `text` with `data` as dot. */
export function renderGoTemplate(text: string, data: Value, funcs: { [name: string]: (...args: Value[]) => Value } = {}): string {
  const nodes = parse(lex(text));
  const out: string[] = [];
  const scopes: Map<string, Value>[] = [new Map([['$', data]])];
  exec(nodes, data, scopes, out, funcs);
  return out.join('');
}

// ---- lexing: text and actions, trim markers applied ----

type Tok = { t: 'text'; text: string } | { t: 'action'; src: string };

function lex(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
    if (trimNext) chunk = chunk.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (chunk) toks.push({ t: 'text', text: chunk });
      break;
    }
    let start = open + 2;
    if (/^- /.test(text.slice(start, start + 2)) || text.slice(start, start + 2) === '-\t' || text.slice(start, start + 2) === '-\n') {
      chunk = chunk.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    if (chunk) toks.push({ t: 'text', text: chunk });
    // comments may contain "}}"-free text only up to "*/}}"
    const rest = text.slice(start).replace(/^[ \t\r\n]*/, '');
    let close: number;
    let src: string;
    if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', start);
      if (end < 0) throw new TemplateError('unclosed comment');
      close = text.indexOf('}}', end + 2);
      src = '';
      trimNext = /[ \t\r\n]-$/.test(text.slice(end + 2, close));
    } else {
      close = findClose(text, start);
      src = text.slice(start, close);
      if (/[ \t\r\n]-$/.test(src)) {
        trimNext = true;
        src = src.slice(0, -1);
      }
      toks.push({ t: 'action', src: src.trim() });
    }
    if (close < 0) throw new TemplateError('unclosed action');
    i = close + 2;
  }
  return toks;
}

/** The `}}` closing an action, skipping string literals. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === '`') {
      const q = c;
      i++;
      while (i < text.length && text[i] !== q) i += text[i] === '\\' && q === '"' ? 2 : 1;
      i++;
      continue;
    }
    if (text.startsWith('}}', i)) return i;
    i++;
  }
  return -1;
}

// ---- parsing ----

function parse(toks: Tok[]): Node[] {
  let pos = 0;
  const block = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < toks.length) {
      const tok = toks[pos++];
      if (tok.t === 'text') {
        nodes.push({ t: 'text', text: tok.text });
        continue;
      }
      const src = tok.src;
      const word = src.split(/\s+/)[0];
      if (terminators.includes(word) || (word === 'else' && terminators.includes('else'))) return { nodes, end: src };
      if (word === 'if') {
        const branches = [{ cond: parsePipe(src.slice(2)), body: [] as Node[] }];
        let otherwise: Node[] | undefined;
        for (;;) {
          const b = block(['end', 'else']);
          branches[branches.length - 1].body = b.nodes;
          if (b.end === 'end') break;
          const elseIf = /^else\s+if\s+(.*)$/s.exec(b.end);
          if (elseIf) {
            branches.push({ cond: parsePipe(elseIf[1]), body: [] });
            continue;
          }
          if (b.end !== 'else') throw new TemplateError(`unexpected {{${b.end}}}`);
          otherwise = block(['end']).nodes;
          break;
        }
        nodes.push({ t: 'if', branches, otherwise });
      } else if (word === 'range') {
        const m = /^range\s+(?:(\$\w*)\s*(?:,\s*(\$\w*))?\s*:=\s*)?(.*)$/s.exec(src);
        if (!m) throw new TemplateError(`bad range: ${src}`);
        const [keyVar, valueVar] = m[2] !== undefined ? [m[1], m[2]] : [undefined, m[1]];
        const b = block(['end', 'else']);
        let otherwise: Node[] | undefined;
        if (b.end !== 'end') otherwise = block(['end']).nodes;
        nodes.push({ t: 'range', keyVar, valueVar, pipe: parsePipe(m[3]), body: b.nodes, otherwise });
      } else if (['with', 'define', 'template', 'block', 'break', 'continue'].includes(word)) {
        throw new TemplateError(`{{${word}}} is not supported by this runner`);
      } else {
        nodes.push({ t: 'action', pipe: parsePipe(src) });
      }
    }
    if (terminators.length > 0) throw new TemplateError(`missing {{${terminators[0]}}}`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

function parsePipe(src: string): Pipe {
  const words = tokenizeArgs(src.trim());
  let decl: Pipe['decl'];
  if (words.length >= 2 && typeof words[0] === 'string' && words[0].startsWith('$') && (words[1] === ':=' || words[1] === '=')) {
    decl = { name: words[0], assign: words[1] === '=' };
    words.splice(0, 2);
  }
  if (words.includes('|')) throw new TemplateError('pipes are not supported by this runner');
  return { decl, cmd: { args: words.map(toArg) } };
}

type Word = string | { sub: string; path: string[] };

/** Split an action into words: literals, fields, identifiers, parenthesized sub-pipelines (with trailing fields). */
function tokenizeArgs(src: string): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '"') { j++; while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1; continue; }
        if (src[j] === '(') depth++;
        if (src[j] === ')' && --depth === 0) break;
      }
      const sub = src.slice(i + 1, j);
      i = j + 1;
      const fields = /^(\.[A-Za-z_][\w]*)*/.exec(src.slice(i))![0];
      i += fields.length;
      out.push({ sub, path: fields ? fields.slice(1).split('.') : [] });
      continue;
    }
    if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' && c === '"' ? 2 : 1;
      out.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const m = /^[^\s()]+/.exec(src.slice(i))!;
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

function toArg(w: Word): Arg {
  if (typeof w !== 'string') return { t: 'field', base: parsePipe(w.sub), path: w.path };
  if (w.startsWith('"')) return { t: 'lit', value: JSON.parse(w) };
  if (w.startsWith('`')) return { t: 'lit', value: w.slice(1, -1) };
  if (w === 'true' || w === 'false') return { t: 'lit', value: w === 'true' };
  if (w === 'nil') return { t: 'lit', value: null };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(w)) return { t: 'lit', value: Number(w) };
  if (w === '.') return { t: 'field', base: 'dot', path: [] };
  if (w.startsWith('.')) return { t: 'field', base: 'dot', path: w.slice(1).split('.') };
  if (w.startsWith('$')) {
    const [name, ...path] = w.split('.');
    return { t: 'field', base: name, path };
  }
  if (/^[A-Za-z_]\w*$/.test(w)) return { t: 'ident', name: w };
  throw new TemplateError(`cannot read ${JSON.stringify(w)}`);
}

// ---- execution ----

function exec(nodes: Node[], dot: Value, scopes: Map<string, Value>[], out: string[], funcs: { [name: string]: (...args: Value[]) => Value }): void {
  for (const n of nodes) {
    if (n.t === 'text') {
      out.push(n.text);
    } else if (n.t === 'action') {
      const v = evalPipe(n.pipe, dot, scopes, funcs);
      if (!n.pipe.decl) out.push(printValue(v));
    } else if (n.t === 'if') {
      let done = false;
      for (const b of n.branches) {
        scopes.push(new Map());
        const truth = isTrue(evalPipe(b.cond, dot, scopes, funcs));
        if (truth) {
          exec(b.body, dot, scopes, out, funcs);
          done = true;
        }
        scopes.pop();
        if (done) break;
      }
      if (!done && n.otherwise) {
        scopes.push(new Map());
        exec(n.otherwise, dot, scopes, out, funcs);
        scopes.pop();
      }
    } else {
      const v = evalPipe(n.pipe, dot, scopes, funcs);
      const entries: [Value, Value][] = Array.isArray(v) ? v.map((x, i) => [i, x])
        : isMap(v) ? Object.keys(v).sort().map(k => [k, (v as any)[k]])
          : [];
      if (v !== NO_VALUE && v !== null && !Array.isArray(v) && !isMap(v)) throw new TemplateError(`range can't iterate over ${printValue(v)}`);
      if (entries.length === 0 && n.otherwise) {
        scopes.push(new Map());
        exec(n.otherwise, dot, scopes, out, funcs);
        scopes.pop();
      }
      for (const [k, x] of entries) {
        const scope = new Map<string, Value>();
        if (n.keyVar) scope.set(n.keyVar, k);
        if (n.valueVar) scope.set(n.valueVar, x);
        scopes.push(scope);
        exec(n.body, x, scopes, out, funcs);
        scopes.pop();
      }
    }
  }
}

function isMap(v: Value): v is { [k: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function evalPipe(p: Pipe, dot: Value, scopes: Map<string, Value>[], funcs: { [name: string]: (...args: Value[]) => Value }): Value {
  const v = evalCmd(p.cmd, dot, scopes, funcs);
  if (p.decl) {
    if (p.decl.assign) {
      const scope = [...scopes].reverse().find(s => s.has(p.decl!.name));
      if (!scope) throw new TemplateError(`undefined variable: ${p.decl.name}`);
      scope.set(p.decl.name, v);
    } else {
      scopes[scopes.length - 1].set(p.decl.name, v);
    }
  }
  return v;
}

function evalCmd(c: Cmd, dot: Value, scopes: Map<string, Value>[], funcs: { [name: string]: (...args: Value[]) => Value }): Value {
  const [head, ...rest] = c.args;
  if (head === undefined) throw new TemplateError('empty command');
  if (head.t === 'ident') {
    const arg = (a: Arg) => evalArg(a, dot, scopes, funcs);
    switch (head.name) {
      case 'and': {
        let v: Value = NO_VALUE;
        for (const a of rest) { v = arg(a); if (!isTrue(v)) return v; }
        return v;
      }
      case 'or': {
        let v: Value = NO_VALUE;
        for (const a of rest) { v = arg(a); if (isTrue(v)) return v; }
        return v;
      }
      case 'not': return !isTrue(arg(one(rest)));
      case 'eq': return eq(arg(rest[0]), ...rest.slice(1).map(arg));
      case 'ne': return !eq(arg(rest[0]), arg(rest[1]));
      case 'len': {
        const v = arg(one(rest));
        if (typeof v === 'string' || Array.isArray(v)) return v.length;
        if (isMap(v)) return Object.keys(v).length;
        throw new TemplateError(`len of ${printValue(v)}`);
      }
      case 'index': {
        let v = arg(rest[0]);
        for (const a of rest.slice(1)) {
          const k = arg(a);
          if (v === NO_VALUE || v === null) throw new TemplateError('index of untyped nil');
          if (isMap(v)) v = Object.prototype.hasOwnProperty.call(v, k as string) ? v[k as string] : null; // zero value of interface{}: nil
          else if (Array.isArray(v) && typeof k === 'number') {
            if (k < 0 || k >= v.length) throw new TemplateError(`index out of range: ${k}`);
            v = v[k];
          } else throw new TemplateError(`can't index ${printValue(v)} with ${printValue(k)}`);
        }
        return v;
      }
      case 'print': {
        const vals = rest.map(arg);
        return vals.map((v, i) => (i > 0 && typeof v !== 'string' && typeof vals[i - 1] !== 'string' ? ' ' : '') + printValue(v)).join('');
      }
      default: {
        const f = funcs[head.name];
        if (!f) throw new TemplateError(`function "${head.name}" not defined`);
        return f(...rest.map(arg));
      }
    }
  }
  if (rest.length > 0) throw new TemplateError('arguments given to a non-function');
  return evalArg(head, dot, scopes, funcs);
}

function one(args: Arg[]): Arg {
  if (args.length !== 1) throw new TemplateError(`wrong number of args: ${args.length}`);
  return args[0];
}

function evalArg(a: Arg, dot: Value, scopes: Map<string, Value>[], funcs: { [name: string]: (...args: Value[]) => Value }): Value {
  if (a.t === 'lit') return a.value;
  if (a.t === 'ident') return evalCmd({ args: [a] }, dot, scopes, funcs);
  let v: Value;
  if (a.base === 'dot') v = dot;
  else if (typeof a.base === 'string') {
    const scope = [...scopes].reverse().find(s => s.has(a.base as string));
    if (!scope) throw new TemplateError(`undefined variable: ${a.base}`);
    v = scope.get(a.base);
  } else v = evalPipe(a.base, dot, scopes, funcs);
  for (const f of a.path) {
    if (v === NO_VALUE) return NO_VALUE; // field of "no value": no value, no error (missingkey=default)
    if (v === null) throw new TemplateError(`nil pointer evaluating interface {}.${f}`);
    if (!isMap(v)) throw new TemplateError(`can't evaluate field ${f} in type ${typeof v}`);
    v = Object.prototype.hasOwnProperty.call(v, f) ? v[f] : NO_VALUE;
  }
  return v;
}

/** Go's truth: false for no value, nil, false, 0, "", and empty maps and slices. */
export function isTrue(v: Value): boolean {
  if (v === NO_VALUE || v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

function basicKind(v: Value): string {
  if (v === NO_VALUE || v === null || v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'string';
  return 'other';
}

/** Go's `eq`: true when arg1 equals any later argument; an error for values of different basic kinds (neither nil). */
function eq(a: Value, ...others: Value[]): boolean {
  if (others.length === 0) throw new TemplateError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of others) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      // JSON numbers decode to float64 in Go maps; int literal vs float64 field is a kind mismatch in Go too, but both
      // sides here come from the same decoder, so compare numbers by value.
      if ((k1 === 'int' || k1 === 'float') && (k2 === 'int' || k2 === 'float')) { if (a === b) return true; continue; }
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new TemplateError(`incompatible types for comparison: ${printValue(a)} and ${printValue(b)}`);
      continue;
    }
    if (k1 === 'other' || k1 === 'invalid') throw new TemplateError('non-comparable types');
    if (a === b) return true;
  }
  return false;
}

/** How Go's template prints a value (fmt %v); no value prints as `<no value>`. */
export function printValue(v: Value): string {
  if (v === NO_VALUE || v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map(k => `${k}:${printValue(v[k])}`).join(' ')}]`;
  return String(v);
}
