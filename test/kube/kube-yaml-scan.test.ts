/**
 * The block scanner (lib/kube/kube-yaml-scan.ts) reads documents before the js-yaml and precise readers of
 * kube-yaml.ts. Whatever it accepts must read exactly as those readers read it (they are compared with the real kubectl
 * in test/cli/kubectl-differential.test.ts); whatever it is not sure of it gives back. These tests compare
 * `kubeDocuments(text)` with `kubeDocuments(text, { scan: false })` (the readers behind the scanner) on the project's
 * fixtures, on thousands of mutated documents and on YAML 1.1-sensitive scalars, and the positions it records with the
 * parser-based locate on every path of every document it reads.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LoadedObject, locateByParsing, parseSource } from '../../lib/cli/input';
import { kubeDocuments, KubeYamlError, readKubeYaml } from '../../lib/kube/kube-yaml';

/** The whole reading of a stream: each document's offsets, line and value (with its types), or the error. */
function reading(text: string, scan: boolean, own = false): string {
  try {
    const out: unknown[] = [];
    for (const d of kubeDocuments(text, { scan, positions: scan, own })) out.push([d.start, d.end, d.line, d.value]);
    return 'OK ' + JSON.stringify(out, (_k, v) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v));
  } catch (e) {
    if (!(e instanceof KubeYamlError)) throw e;
    return `ERR ${e.line} ${e.message}`;
  }
}

/** Documents the scanner read (it recorded positions) and all non-empty documents. */
function scanned(text: string): { scanned: number; documents: number } {
  let s = 0;
  let n = 0;
  try {
    for (const d of kubeDocuments(text, { positions: true })) {
      if (d.value === null) continue;
      n++;
      if (d.positions) s++;
    }
  } catch {
    // refused: counted as read so far
  }
  return { scanned: s, documents: n };
}

function fixtureTexts(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(e.name)) out.push({ name: path.relative(process.cwd(), p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(__dirname, '..', 'fixtures'));
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const REALISTIC = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { app: web, "quoted key": 'it''s', tier: front-end }
  annotations:
    example.com/note: plain text # a comment
    example.com/empty:
    example.com/script: |
      #!/bin/sh
      echo "a: b" # not a comment

        indented
    example.com/stripped: |- # a comment
      one
      two

spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: app
        image: registry.example.com/app@sha256:0123456789abcdef
        args: [--port, "8080", -v, '2']
        command:
        - |
          sh -c 'run'
        - plain
        ports: [{ containerPort: 8080, protocol: TCP }]
        resources:
          requests: { cpu: 100m, memory: 128Mi }
          limits: { memory: 1Gi, ephemeral-storage: 1Gi }
        securityContext:
          runAsUser: 10001
          privileged: false
          capabilities: { drop: [ALL] }
        env:
          - name: A
            value: "x: y"
          - name: B
            value: ünïcödé 😀
      volumes: []
      nodeSelector: {}
`;

let seed = 20261206;
function rnd(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** What mutations insert: indicators, YAML 1.1 scalars, escapes, special characters, keys that reach prototypes. */
const INSERTS = [' ', '  ', '\n', '\n\n', '#', ' #', ' # c', ':', ': ', '-', '- ', '"', "'", '\t', '\r', '\r\n', '{', '}', '[', ']', ',', ', ',
  '&a ', '*a', '!!str ', '!', '|', '|-\n  x\n', '>', '?', '? ', '%', '@', '`', '~', 'yes', 'on', 'y', 'NO', '0x1F', '017', '0o17', '1e3', '.inf',
  '.nan', '<<', '<<: {a: 1}\n', '\\', '\\"', '\u0085', '\u2028', '\ufeff', '\u00e9', '\ud83d\ude00', '\ud83d', '\x01', '\x7f', '...', '---',
  'null', '__proto__', '__proto__: {polluted: true}\n', 'constructor: x\n', '0', '-0', '1_0', '2001-01-01', '""', "''", "''''", 'a: b\n', '\\n', '\\t', '\\\\', '"a\\"b"', '\\x41',
  '|\n', '|-\n', '|+\n', '|2\n', '>\n', '| # c\n', 'k: |\n  a\n\n  b\n', 'k: |-\n    x\n  y\n', 'k: |\n\n    x\n   \n', '- |\n  z\n',
  '    # deep\n', 'k: {a: b, c: [d, e]}\n', '  - x\n', '9007199254740993', '18446744073709551616', '100m', '1:20'];

function mutate(text: string): string {
  let t = text;
  const n = 1 + Math.floor(rnd() * 3);
  for (let j = 0; j < n; j++) {
    const r = rnd();
    const at = Math.floor(rnd() * t.length);
    if (r < 0.6) {
      t = t.slice(0, at) + pick(INSERTS) + t.slice(at);
    } else if (r < 0.8) {
      t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 3));
    } else {
      const ls = t.lastIndexOf('\n', at) + 1;
      let le = t.indexOf('\n', at);
      if (le < 0) le = t.length;
      const line = t.slice(ls, le);
      t = rnd() < 0.5 ? `${t.slice(0, le)}\n${line}${t.slice(le)}` : t.slice(0, ls) + (rnd() < 0.5 ? ' ' : '') + line.replace(/^ /, '') + t.slice(le);
    }
  }
  return t;
}

/**
 * Why a document marked ownFrozen is not what the engine would make of it (engine.ts adoptOwnFrozen), or undefined: every
 * map without a prototype and without a `__proto__` or null-valued field, every map and list frozen.
 */
function notOwnFrozen(v: unknown, at = '<root>'): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if (!Object.isFrozen(v)) return `${at}: not frozen`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const why = notOwnFrozen(v[i], `${at}[${i}]`);
      if (why) return why;
    }
    return undefined;
  }
  if (Object.getPrototypeOf(v) !== null) return `${at}: has a prototype`;
  for (const k of Reflect.ownKeys(v)) {
    const x = (v as any)[k];
    if (k === '__proto__') return `${at}: a __proto__ key`;
    if (x === null) return `${at}.${String(k)}: null`;
    const why = notOwnFrozen(x, `${at}.${String(k)}`);
    if (why) return why;
  }
  return undefined;
}

/** Documents of a stream read with `own`: how many were marked ownFrozen, and the first that is not what the mark says. */
function ownReading(text: string): { marked: number; wrong?: string } {
  let marked = 0;
  try {
    for (const d of kubeDocuments(text, { positions: true, own: true })) {
      if (!d.ownFrozen) continue;
      marked++;
      const why = notOwnFrozen(d.value);
      if (why) return { marked, wrong: `document at ${d.line}: ${why}` };
    }
  } catch {
    // refused: as without own (compared by reading())
  }
  return { marked };
}

describe('block scanner: reads exactly what the other readers read', () => {
  const fixtures = fixtureTexts();

  test('`own` reading (check): the same values; what it marks ownFrozen is frozen, prototype-free and without null fields', () => {
    const mismatches = fixtures.filter(f => reading(f.text, true, true) !== reading(f.text, false)).map(f => f.name);
    expect(mismatches).toEqual([]);
    const owns = fixtures.map(f => ownReading(f.text));
    expect(owns.filter(o => o.wrong).map(o => o.wrong)).toEqual([]);
    expect(owns.reduce((t, o) => t + o.marked, 0)).toBeGreaterThan(500); // not vacuous
    // A null field (here `example.com/empty:`), or a __proto__ key, leaves the document unmarked: the engine copies it.
    expect(ownReading(REALISTIC).marked).toBe(0);
    expect(ownReading(REALISTIC.replace('    example.com/empty:\n', '')).marked).toBe(1);
    expect(ownReading('a: 1\nb: {__proto__: 1}\n').marked).toBe(0);
    expect(ownReading('a: 1\nconstructor: {toString: 1}\n')).toEqual({ marked: 1 });
    const mutated: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const text = mutate(i % 3 === 0 ? REALISTIC : pick(fixtures.map(f => f.text).filter(t => t.length < 20_000)));
      const o = ownReading(text);
      if (o.wrong || reading(text, true, true) !== reading(text, false)) mutated.push(JSON.stringify(text));
    }
    expect(mutated.slice(0, 5)).toEqual([]);
  });

  test('every fixture file: same documents, lines, values and errors', () => {
    expect(fixtures.length).toBeGreaterThan(300);
    const mismatches = fixtures.filter(f => reading(f.text, true) !== reading(f.text, false)).map(f => f.name);
    expect(mismatches).toEqual([]);
    // Not vacuous: the scanner reads most fixture documents itself.
    const counts = fixtures.map(f => scanned(f.text));
    const s = counts.reduce((t, c) => t + c.scanned, 0);
    const n = counts.reduce((t, c) => t + c.documents, 0);
    expect(s / n).toBeGreaterThan(0.8);
  });

  test('2,500 mutated documents (fixtures and a realistic Deployment): same reading, many of them read by the scanner', () => {
    expect(scanned(REALISTIC)).toEqual({ scanned: 1, documents: 1 });
    const bases = [REALISTIC, ...fixtures.map(f => f.text).filter(t => t.length < 20_000)];
    const mismatches: string[] = [];
    let read = 0;
    for (let i = 0; i < 2500; i++) {
      const text = mutate(i % 3 === 0 ? REALISTIC : pick(bases));
      const a = reading(text, true);
      const b = reading(text, false);
      if (a !== b && mismatches.length < 5) mismatches.push(`${JSON.stringify(text)}\nscanner: ${a.slice(0, 300)}\nreaders: ${b.slice(0, 300)}`);
      if (scanned(text).scanned > 0) read++;
    }
    expect(mismatches).toEqual([]);
    expect(read).toBeGreaterThan(800);
  });

  test('YAML 1.1 and go-yaml scalars, as values and keys, in block and flow style', () => {
    const scalars = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'True', 'FALSE', 'yES', '~', 'null', 'Null', 'nULL', '0o17', '0O17',
      '017', '0x1F', '0X1f', '-0x1F', '+0x1F', '+12', '-12', '1_000', '1__0', '_1', '1_', '0b101', '-0b11', '0b', '0x', '0o', '08', '09.5', '019', '1e3',
      '1E-2', '1e+2', '.5', '-.5', '+.5', '.5_5', '1.', '0.', '-0', '-0.0', '1.0', '1.5e6', '.inf', '-.Inf', '+.INF', 'inf', '.nan', 'NaN', '1e400',
      '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-2-3', '2001-13-01', '12:30', '1:20:30', '9223372036854775807',
      '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '18446744073709551615', '18446744073709551616', '9007199254740993',
      '123456789012345', '1234567890123456', '0', '1', '100m', '128Mi', '1Gi', '8080/TCP', '1.5Gi', '0xZZ', '1e', '1d', '2001-01-01T00:00:00Z',
      '+1+1', '0T', '1_000x', '=', '<<x', 'x<<', 'a#b', 'a:b', 'http://x.example/a?b=c&d', '-a', '--', 'é', '.dockerconfigjson', '.x', 'ab cd'];
    const mismatches: string[] = [];
    for (const s of scalars) {
      for (const text of [`v: ${s}\n`, `${s}: v\n`, `m: {v: ${s}}\n`, `m: {${s}: v}\n`, `l: [${s}, x]\n`, `l:\n- ${s}\n`]) {
        const a = reading(text, true);
        const b = reading(text, false);
        if (a !== b) mismatches.push(`${JSON.stringify(text)}: scanner ${a}, readers ${b}`);
      }
    }
    expect(mismatches).toEqual([]);
    for (const text of ['a: "x\\"y\\\\z\\nw\\tq"\n', '"k\\"e\\ty": v\n', 'm: {"a\\\\": "\\"", b: ["\\n"]}\n', 'a: "\\x41\\/\\u00e9"\n', 'a: "\\\n  b"\n']) {
      expect(reading(text, true)).toBe(reading(text, false));
    }
    expect(readKubeYaml('a: "x\\"y\\\\z\\nw\\tq"\n')).toEqual([{ a: 'x"y\\z\nw\tq' }]);
    const blocks = ['a: |\n  x\n  y\n', 'a: |-\n  x\n\n', 'a: |\n\n  x\n\n\nb: 1\n', 'a: |\n    x\n  y\n', 'a: |\n   \n  x\n', 'a: |\n  x\n   \n',
      'a: |\n  x', 'a: |\nb: 1\n', 'a: |+\n  x\n\n', 'a: |2\n   x\n', 'a: >\n  x\n  y\n', 'l:\n- |\n  x\n- y\n', 'a: | # c\n  #x\n # y\nb: 2\n',
      'a: |\n  x\n    # deeper\n', 'a:\n  b: |\n   x\n  c: 1\n', 'a: |\n  x\n\ty\n', 'a: |#c\n  x\n', 'a: |\n  x\n...\n'];
    for (const text of blocks) expect(`${JSON.stringify(text)} ${reading(text, true)}`).toBe(`${JSON.stringify(text)} ${reading(text, false)}`);
    expect(readKubeYaml('a: |\n  x\n\n   y\nb: |-\n  z\n\n')).toEqual([{ a: 'x\n\n y\n', b: 'z' }]);
    expect(scanned('a: |\n  x\n\n   y\nb: |-\n  z\n\n').scanned).toBe(1);
    // The readings kubectl gives (test/cli/kubectl-differential.test.ts), through the scanner.
    expect(readKubeYaml('a: yes\nb: 0o17\nc: 017\nd: "yes"\ne: 100m\nf: 8080\ng: ~\nh: 1e3\n')).toEqual([
      { a: true, b: 15, c: 15, d: 'yes', e: '100m', f: 8080, g: null, h: 1000 },
    ]);
  });
});

describe('block scanner: security properties kept', () => {
  test('__proto__ and constructor keys are own data, never a prototype', () => {
    for (const text of ['a: 1\n__proto__:\n  polluted: yes\n', 'a: {__proto__: {polluted: yes}}\n', 'constructor: x\nb:\n  - __proto__: {polluted: 1}\n']) {
      const [v] = readKubeYaml(text) as any[];
      expect(reading(text, true)).toBe(reading(text, false));
      const holders = [v, v.a, v.b?.[0]].filter(x => x && typeof x === 'object' && !Array.isArray(x));
      for (const h of holders) expect(Object.getPrototypeOf(h)).toBe(Object.prototype);
      expect(({} as any).polluted).toBeUndefined();
      const owner = [v, v.a, v.b?.[0]].find(x => x && Object.prototype.hasOwnProperty.call(x, '__proto__'));
      if (text.includes('__proto__')) expect(Object.getOwnPropertyDescriptor(owner, '__proto__')?.value).toEqual({ polluted: text.includes('yes') ? true : 1 });
    }
  });

  test('duplicate keys: the last wins, as kubectl reads them (block and flow)', () => {
    expect(readKubeYaml('a: 1\nb: 2\na: 3\n')).toEqual([{ a: 3, b: 2 }]);
    expect(readKubeYaml('m: {x: 1, x: 2}\n')).toEqual([{ m: { x: 2 } }]);
    expect(() => readKubeYaml('a: 1\n"1": 2\n1: 3\n')).toThrow(KubeYamlError); // keys of two types reading as "1"
  });

  test('an alias bomb is still refused (anchors go to the readers that count expansions)', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(() => readKubeYaml(lines.join('\n') + '\n')).toThrow(/excessive aliasing/);
  });

  test('control characters, YAML 1.1 line breaks and tabs are refused or read exactly as before', () => {
    for (const text of ['a: x\x01y\n', 'a: x\u0085y\n', 'a:\n\tb: 1\n', 'a: "x\ty"\n', 'a: 1 # c\x7f\n', 'a: \ud800\n']) {
      expect(reading(text, true)).toBe(reading(text, false));
    }
    expect(() => readKubeYaml('a: x\u2028y\n')).toThrow(/line breaks to kubectl/);
  });
});

describe('block scanner: positions recorded while reading', () => {
  function allPaths(v: any, pre: string[], out: string[][]): void {
    out.push(pre);
    if (Array.isArray(v)) {
      v.forEach((x, i) => allPaths(x, [...pre, String(i)], out));
      out.push([...pre, String(v.length)], [...pre, 'x']);
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) allPaths(v[k], [...pre, k], out);
      out.push([...pre, 'missingKey'], [...pre, '0']);
    } else {
      out.push([...pre, 'deeper']);
    }
  }

  test('every path of every scanned fixture document (and missing ones) locates where the parser locates it', () => {
    const texts = [REALISTIC, ...fixtureTexts().map(f => f.text)];
    const mismatches: string[] = [];
    let compared = 0;
    for (const text of texts) {
      let i = 0;
      let objects: LoadedObject[];
      try {
        objects = parseSource('x.yaml', text, { validateKinds: false });
      } catch {
        continue;
      }
      for (const o of objects) {
        i++;
        if (!o.positions) continue;
        const paths: string[][] = [];
        allPaths(o.object, [], paths);
        for (const parts of paths.slice(0, 2000)) {
          const want = locateByParsing({ ...o, positions: undefined }, [...(o.pathInDocument ? ['items', o.pathInDocument.slice(6, -1)] : []), ...parts]);
          const got = o.positions.table.find(o.positions.root, [...(o.pathInDocument ? ['items', o.pathInDocument.slice(6, -1)] : []), ...parts]);
          compared++;
          if ((want.line !== got.line || want.column !== got.column) && mismatches.length < 5) {
            mismatches.push(`document ${i} ${JSON.stringify(parts)}: parser ${want.line}:${want.column}, table ${got.line}:${got.column}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(20_000);
  });
});
