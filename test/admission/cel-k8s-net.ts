/**
 * Kubernetes' IP and CIDR CEL libraries (k8s.io/apiserver/pkg/cel/library/ip.go and cidr.go, in the
 * ValidatingAdmissionPolicy environment for new expressions from Kubernetes 1.31) on @bufbuild/cel, for the
 * differential test. Implemented from the Kubernetes source and Go's net/netip, which the library wraps:
 *
 * - `ip(s)` / `isIP(s)`: netip.ParseAddr; a zone (`fe80::1%eth0`) and an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`)
 *   are errors. `cidr(s)` / `isCIDR(s)`: netip.ParsePrefix (no zone, prefix length without sign or leading zero, host
 *   bits ALLOWED: `cidr('192.168.0.1/24')` parses, `.masked()` clears them); an IPv4-mapped address is an error.
 *   IPv4 fields: decimal 0-255 without leading zeros. IPv6 fields: 1-4 hex digits, one `::` expanding to at least one
 *   field, an embedded IPv4 tail only in the last 32 bits.
 * - `<cidr>.containsIP(ip | string)`: netip.Prefix.Contains (masks; another family never matches).
 * - `<cidr>.containsCIDR(cidr | string)`: as fixed by kubernetes/kubernetes PR #130450 (masked comparison). Before that
 *   fix (in the 1.31 and 1.32 releases) it answered false for a CIDR inside another that does not start at the same
 *   address; the generated policies never call it (test/admission/netpol-metadata.test.ts checks that).
 * - `<cidr>.ip()`, `.masked()`, `.prefixLength()`, `string(<cidr>)`, `string(<ip>)`, `<ip>.family()`,
 *   `ip.isCanonical(s)`, `isUnspecified`, `isLoopback`, `isLinkLocalMulticast`, `isLinkLocalUnicast`, `isGlobalUnicast`.
 * - `<list(int)>.sum()` (k8s.io/apiserver/pkg/cel/library/lists.go: 0 for an empty list, int64 overflow is an error).
 *
 * IP and CIDR values are CEL maps tagged `__k8s_net` (bufbuild/cel has no opaque types): equality is the Go struct
 * equality (family, address, prefix length), `type()` is not `net.IP` / `net.CIDR` (the policies never ask).
 */
import { celFunc, celMethod, CelScalar, isCelMap, listType } from '@bufbuild/cel';

const TAG = '__k8s_net';
const MAX_INT64 = (1n << 63n) - 1n;

/** A parsed address: family and value (IPv6: 128 bits), zone ('' = none). */
export interface Addr { readonly family: 4 | 6; readonly value: bigint; readonly zone: string }

/** netip.ParseAddr: the address, or the error message. */
export function parseAddr(s: string): Addr | string {
  for (const ch of s) {
    if (ch === '.') return parseIPv4(s);
    if (ch === ':') return parseIPv6(s);
    if (ch === '%') return 'missing IPv6 address';
  }
  return 'unable to parse IP';
}

function parseIPv4(s: string): Addr | string {
  const fields = s.split('.');
  if (fields.length > 4) return 'IPv4 address too long';
  if (fields.length < 4) return 'IPv4 address too short';
  let value = 0n;
  for (const f of fields) {
    if (f === '') return 'IPv4 field must have at least one digit';
    if (!/^[0-9]+$/.test(f)) return 'unexpected character';
    if (f.length > 1 && f[0] === '0') return 'IPv4 field has octet with leading zero';
    if (f.length > 3 || Number(f) > 255) return 'IPv4 field has value >255';
    value = (value << 8n) + BigInt(Number(f));
  }
  return { family: 4, value, zone: '' };
}

/** A netip parse error with the rest of the input (Go's `(at "...")`). */
const at = (msg: string, rest: string) => `${msg} (at ${JSON.stringify(rest)})`;

function parseIPv6(input: string): Addr | string {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return 'zone must be a non-empty string';
  }
  const bytes = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return { family: 6, value: 0n, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off];
      if (!/[0-9a-fA-F]/.test(c)) break;
      if (off > 3) return at('each group must have 4 or less digits', s);
      acc = acc * 16 + parseInt(c, 16);
    }
    if (off === 0) return at('each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return at('embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) return at('too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const v4 = parseIPv4(s);
      if (typeof v4 === 'string') return v4;
      for (let k = 0; k < 4; k++) bytes[i + k] = Number((v4.value >> BigInt(24 - 8 * k)) & 255n);
      s = '';
      i += 4;
      break;
    }
    bytes[i] = acc >> 8;
    bytes[i + 1] = acc & 255;
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') return at('unexpected character, want colon', s);
    if (s.length === 1) return at('colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return at('multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return at('trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) return 'address string too short';
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) bytes[j + n] = bytes[j];
    for (let j = ellipsis; j < ellipsis + n; j++) bytes[j] = 0;
  } else if (ellipsis >= 0) {
    return 'the :: must expand to at least one field of zeros';
  }
  return { family: 6, value: bytes.reduce((a, b) => (a << 8n) + BigInt(b), 0n), zone };
}

const bitsOf = (a: Addr) => (a.family === 4 ? 32 : 128);
const is4In6 = (a: Addr) => a.family === 6 && a.value >> 32n === 0xffffn;

/** A parsed prefix (host bits kept, as netip.Prefix). */
export interface Prefix { readonly addr: Addr; readonly bits: number }

/** netip.ParsePrefix: the prefix, or the error message. */
export function parsePrefix(s: string): Prefix | string {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return 'no \'/\'';
  const addr = parseAddr(s.slice(0, slash));
  if (typeof addr === 'string') return addr;
  if (addr.zone !== '') return 'IPv6 zones cannot be present in a prefix';
  const bitsStr = s.slice(slash + 1);
  if (bitsStr.length > 1 && (bitsStr[0] < '1' || bitsStr[0] > '9')) return `bad bits after slash: ${JSON.stringify(bitsStr)}`;
  if (!/^[0-9]+$/.test(bitsStr)) return `bad bits after slash: ${JSON.stringify(bitsStr)}`;
  const bits = Number(bitsStr);
  if (bits > bitsOf(addr)) return 'prefix length out of range';
  return { addr, bits };
}

/** Kubernetes' parseIPAddr (ip.go): no zone, not IPv4-mapped. */
export function k8sIP(s: string): Addr | string {
  const a = parseAddr(s);
  if (typeof a === 'string') return `IP Address ${JSON.stringify(s)} parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): ${a}`;
  if (a.zone !== '') return `IP address ${JSON.stringify(s)} with zone value is not allowed`;
  if (is4In6(a)) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  return a;
}

/** Kubernetes' parseCIDR (cidr.go): not IPv4-mapped (host bits allowed). */
export function k8sCIDR(s: string): Prefix | string {
  const p = parsePrefix(s);
  if (typeof p === 'string') return `network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): ${p}`;
  if (is4In6(p.addr)) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  return p;
}

function mask(p: Prefix): Prefix {
  const w = bitsOf(p.addr);
  const host = (1n << BigInt(w - p.bits)) - 1n;
  return { addr: { ...p.addr, value: p.addr.value & ~host }, bits: p.bits };
}

function contains(p: Prefix, a: Addr): boolean {
  if (p.addr.family !== a.family || a.zone !== '') return false;
  const w = bitsOf(p.addr);
  return (p.addr.value >> BigInt(w - p.bits)) === (a.value >> BigInt(w - p.bits));
}

/** netip.Addr.String. */
export function addrString(a: Addr): string {
  const v4 = (v: bigint) => [24, 16, 8, 0].map(k => String(Number((v >> BigInt(k)) & 255n))).join('.');
  if (a.family === 4) return v4(a.value);
  const zone = a.zone ? `%${a.zone}` : '';
  if (is4In6(a)) return `::ffff:${v4(a.value & 0xffffffffn)}${zone}`;
  const g = Array.from({ length: 8 }, (_, k) => Number((a.value >> BigInt(112 - 16 * k)) & 0xffffn));
  let best = -1; let bestLen = 0;
  for (let k = 0; k < 8; k++) {
    let j = k;
    while (j < 8 && g[j] === 0) j++;
    if (j - k > bestLen && j - k >= 2) { best = k; bestLen = j - k; }
    k = Math.max(k, j - 1);
  }
  const hex = (xs: number[]) => xs.map(x => x.toString(16)).join(':');
  return (best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`) + zone;
}

const ipValue = (a: Addr): any => new Map<string, unknown>([[TAG, 'ip'], ['family', BigInt(a.family)], ['value', a.value.toString()]]);
const cidrValue = (p: Prefix): any => new Map<string, unknown>([[TAG, 'cidr'], ['family', BigInt(p.addr.family)], ['value', p.addr.value.toString()], ['bits', BigInt(p.bits)]]);

function asNet(v: any, kind: 'ip' | 'cidr'): any {
  if (!isCelMap(v) || v.get(TAG) !== kind) return undefined;
  const addr: Addr = { family: Number(v.get('family')) as 4 | 6, value: BigInt(v.get('value') as string), zone: '' };
  return kind === 'ip' ? addr : { addr, bits: Number(v.get('bits')) };
}

const err = (m: string): never => { throw new Error(m); };
const D = CelScalar.DYN;

function ipOf(x: any): Addr | string | undefined {
  if (typeof x === 'string') return k8sIP(x);
  return asNet(x, 'ip');
}

function cidrOf(x: any): Prefix | string | undefined {
  if (typeof x === 'string') return k8sCIDR(x);
  return asNet(x, 'cidr');
}

/** The library as @bufbuild/cel functions. */
export const K8S_NET_FUNCS = [
  celFunc('ip', [CelScalar.STRING], D, (s: string) => { const a = k8sIP(s); return typeof a === 'string' ? err(a) : ipValue(a); }),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s: string) => typeof k8sIP(s) !== 'string'),
  celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (s: string) => { const a = k8sIP(s); return typeof a === 'string' ? err(a) : addrString(a) === s; }),
  celFunc('cidr', [CelScalar.STRING], D, (s: string) => { const p = k8sCIDR(s); return typeof p === 'string' ? err(p) : cidrValue(p); }),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s: string) => typeof k8sCIDR(s) !== 'string'),
  celFunc('string', [D], CelScalar.STRING, (x: any) => {
    const a = asNet(x, 'ip');
    if (a) return addrString(a);
    const p = asNet(x, 'cidr');
    if (p) return `${addrString(p.addr)}/${p.bits}`;
    return err('found no matching overload for \'string\'');
  }),
  celMethod('family', D, [], CelScalar.INT, function (this: any) { const a = asNet(this, 'ip'); return a ? BigInt(a.family) : err('no such overload: family'); }),
  ...([
    ['isUnspecified', (a: Addr) => a.value === 0n],
    ['isLoopback', (a: Addr) => (a.family === 4 ? a.value >> 24n === 127n : a.value === 1n)],
    ['isLinkLocalMulticast', (a: Addr) => (a.family === 4 ? a.value >> 8n === 0xe00000n : ((a.value >> 112n) & 0xff0fn) === 0xff02n)],
    ['isLinkLocalUnicast', (a: Addr) => (a.family === 4 ? a.value >> 16n === 0xa9fen : a.value >> 118n === 0x3fan)],
    ['isGlobalUnicast', (a: Addr) => {
      if (a.family === 4 && (a.value === 0n || a.value === 0xffffffffn)) return false;
      const loopback = a.family === 4 ? a.value >> 24n === 127n : a.value === 1n;
      const multicast = a.family === 4 ? a.value >> 28n === 0xen : a.value >> 120n === 0xffn;
      const linkLocal = a.family === 4 ? a.value >> 16n === 0xa9fen : a.value >> 118n === 0x3fan;
      return !(a.family === 6 && a.value === 0n) && !loopback && !multicast && !linkLocal;
    }],
  ] as [string, (a: Addr) => boolean][]).map(([name, fn]) => celMethod(name, D, [], CelScalar.BOOL, function (this: any) {
    const a = asNet(this, 'ip');
    return a ? fn(a) : err(`no such overload: ${name}`);
  })),
  celMethod('containsIP', D, [D], CelScalar.BOOL, function (this: any, x: any) {
    const p = asNet(this, 'cidr');
    const a = ipOf(x);
    if (!p || a === undefined) return err('no such overload: containsIP');
    return typeof a === 'string' ? err(a) : contains(p, a);
  }),
  celMethod('containsCIDR', D, [D], CelScalar.BOOL, function (this: any, x: any) {
    const p = asNet(this, 'cidr');
    const q = cidrOf(x);
    if (!p || q === undefined) return err('no such overload: containsCIDR');
    if (typeof q === 'string') return err(q);
    return p.bits <= q.bits && contains(p, q.addr);
  }),
  celMethod('ip', D, [], D, function (this: any) { const p = asNet(this, 'cidr'); return p ? ipValue(p.addr) : err('no such overload: ip'); }),
  celMethod('masked', D, [], D, function (this: any) { const p = asNet(this, 'cidr'); return p ? cidrValue(mask(p)) : err('no such overload: masked'); }),
  celMethod('prefixLength', D, [], CelScalar.INT, function (this: any) { const p = asNet(this, 'cidr'); return p ? BigInt(p.bits) : err('no such overload: prefixLength'); }),
  celMethod('sum', listType(CelScalar.INT), [], CelScalar.INT, function (this: any) {
    let total = 0n;
    for (const x of this) {
      total += x;
      if (total > MAX_INT64 || total < -MAX_INT64 - 1n) return err('integer overflow');
    }
    return total;
  }),
];
