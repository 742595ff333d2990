/**
 * go-yaml v2's resolver for plain scalars (resolve.go, github.com/go-yaml/yaml branch v2 @ 7649d45): what an untagged
 * (or tagged) plain scalar reads as. Shared by the readers of kube-yaml.ts and the block scanner of kube-yaml-scan.ts.
 */

export const MERGE = Symbol('merge');
export type Resolved =
  | { tag: 'null'; v: null }
  | { tag: 'bool'; v: boolean }
  | { tag: 'int'; v: bigint }
  | { tag: 'uint'; v: bigint }
  | { tag: 'float'; v: number }
  | { tag: 'timestamp'; v: string }
  | { tag: 'merge'; v: typeof MERGE }
  | { tag: 'str'; v: string };

export const RESOLVE_MAP = new Map<string, Resolved>();
for (const [v, l] of [[true, 'y Y yes Yes YES true True TRUE on On ON'], [false, 'n N no No NO false False FALSE off Off OFF']] as const) {
  for (const s of l.split(' ')) RESOLVE_MAP.set(s, { tag: 'bool', v });
}
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, { tag: 'null', v: null });
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, { tag: 'float', v: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) RESOLVE_MAP.set(s, { tag: 'float', v: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, { tag: 'float', v: -Infinity });
RESOLVE_MAP.set('<<', { tag: 'merge', v: MERGE }); // unreachable in resolve() ('<' has no hint), kept as in go-yaml

/** resolveTable: 'S' sign, 'D' digit, 'M' in map, '.' float. */
export const HINT = new Uint8Array(128);
HINT[0x2b] = HINT[0x2d] = 83; // S
for (let c = 0x30; c <= 0x39; c++) HINT[c] = 68; // D
for (const c of 'yYnNtTfFoO~') HINT[c.charCodeAt(0)] = 77; // M
HINT[0x2e] = 46; // .

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go strconv.ParseUint(s, 0, 64) digits part (no sign), or undefined. */
function goParseUintBase0(s: string): bigint | undefined {
  let base = 10;
  let digits = s;
  if (s.length >= 2 && s[0] === '0') {
    const p = s[1].toLowerCase();
    if (p === 'x') { base = 16; digits = s.slice(2); } else if (p === 'o') { base = 8; digits = s.slice(2); } else if (p === 'b') { base = 2; digits = s.slice(2); } else { base = 8; digits = s.slice(1); }
  }
  return parseDigits(digits, base);
}

function parseDigits(digits: string, base: number): bigint | undefined {
  if (digits.length === 0) return undefined;
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!re.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const v = BigInt(prefix + digits);
  return v <= UINT64_MAX ? v : undefined;
}

/** Go strconv.ParseInt(s, 0, 64). */
function goParseInt(s: string, base = 0): bigint | undefined {
  let neg = false;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  const u = base === 0 ? goParseUintBase0(body) : parseDigits(body, base);
  if (u === undefined) return undefined;
  const v = neg ? -u : u;
  return v >= INT64_MIN && v <= INT64_MAX ? v : undefined;
}

/** Go's underscoreOK (strconv): underscores only between digits (or after a base prefix). */
function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Go strconv.ParseFloat(s, 64) for the decimal strings go-yaml hands it; undefined on error (incl. overflow). */
function goParseFloatDecimal(s: string): number | undefined {
  let t = s;
  if (t.includes('_')) {
    if (!underscoreOK(t)) return undefined;
    t = t.replace(/_/g, '');
  }
  if (!/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(t)) return undefined;
  const v = Number(t);
  if (!Number.isFinite(v)) return undefined; // ErrRange
  return v;
}

export function resolveUnchecked(tag: string, input: string): Resolved {
  const c = input.length === 0 ? 0 : input.charCodeAt(0);
  const hint = input.length === 0 ? 78 : c < 128 ? HINT[c] : 0;
  if (hint !== 0 && tag !== 'str' && tag !== 'binary') {
    const item = RESOLVE_MAP.get(input);
    if (item) return item;
    if (hint === 46) {
      const f = goParseFloatDecimal(input);
      if (f !== undefined) return { tag: 'float', v: f };
    } else if (hint === 68 || hint === 83) {
      if (tag === '' || tag === 'timestamp') {
        if (isGoTimestamp(input)) return { tag: 'timestamp', v: input };
      }
      const plain = input.includes('_') ? input.replace(/_/g, '') : input;
      const iv = goParseInt(plain);
      if (iv !== undefined) return { tag: 'int', v: iv };
      if (plain[0] !== '+' && plain[0] !== '-') {
        const uv = goParseUintBase0(plain);
        if (uv !== undefined) return { tag: 'uint', v: uv };
      }
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = goParseFloatDecimal(plain);
        if (f !== undefined) return { tag: 'float', v: f };
      }
      if (plain.startsWith('0b')) {
        const b = goParseInt(plain.slice(2), 2);
        if (b !== undefined) return { tag: 'int', v: b };
        const ub = plain[2] === '+' || plain[2] === '-' ? undefined : parseDigits(plain.slice(2), 2);
        if (ub !== undefined) return { tag: 'uint', v: ub };
      } else if (plain.startsWith('-0b')) {
        const b = goParseInt('-' + plain.slice(3), 2);
        if (b !== undefined) return { tag: 'int', v: b };
      }
    }
  }
  return { tag: 'str', v: input };
}

/** The string go-yaml v2 reads an untagged plain scalar `s` as, or undefined when it reads another type (or a merge key). */
export function resolvePlainScalar(s: string): string | undefined {
  if (s === '<<') return undefined;
  const r = resolveUnchecked('', s);
  return r.tag === 'str' ? r.v : undefined;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** go-yaml v2 parseTimestamp: the layouts "2006-1-2T15:4:5.999999999Z07:00" (T or t), "2006-1-2 15:4:5.999999999", "2006-1-2". */
function isGoTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  if (m[4] === undefined) return true;
  if (m[4] === ' ' ? m[9] !== undefined : m[9] === undefined) return false;
  if (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[7]) > 59) return false;
  if (m[9] && m[9] !== 'Z' && (Number(m[9].slice(1, 3)) > 23 || Number(m[9].slice(4)) > 59)) return false;
  return true;
}
