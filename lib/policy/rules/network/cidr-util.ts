import { isIPv4, isIPv6 } from 'net';

/**
 * Strict CIDR parsing and the "effectively anywhere" test shared by the firewall-matrix and NetworkPolicy rules.
 *
 * Threshold: the addresses a set of CIDRs admits (each `cidr` minus its `except` ranges, all of them together), leaving
 * out the ranges that are not on the public internet (NON_PUBLIC), are aggregated into CIDR blocks; if one of those
 * blocks is broader than /8 (IPv4) or /16 (IPv6), the set is treated as "any" (0.0.0.0/0, ::/0). So `0.0.0.0/0`,
 * `0.0.0.0/1`, `0.0.0.0/1` + `128.0.0.0/1` and 2000::/3 count as "any", while `10.0.0.0/8`, `fd00::/8`, a single public
 * /8 and anything narrower do not.
 */

/** A parsed, valid CIDR. */
export interface Cidr {
  readonly family: 4 | 6;
  /** First address. */
  readonly start: bigint;
  /** Last address (inclusive). */
  readonly end: bigint;
  readonly prefix: number;
}

/** Prefix lengths below these (broader blocks) mean "anywhere". */
export const BROAD_PREFIX: { readonly [family: number]: number } = { 4: 8, 6: 16 };

/** Human description of the threshold, for rule descriptions. */
export const BROAD_DESCRIPTION = 'broader than /8 (IPv4) or /16 (IPv6)';

const ZERO = BigInt(0);
const ONE = BigInt(1);
const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

/** Ranges that are not on the public internet (RFC 6890 special-purpose blocks that matter at these sizes). */
const NON_PUBLIC = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3',
  '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8',
].map(c => parseCidr(c) as Cidr);

function ipv4ToBigInt(addr: string): bigint {
  return addr.split('.').reduce((acc, o) => (acc << BigInt(8)) + BigInt(Number(o)), ZERO);
}

function ipv6ToBigInt(addr: string): bigint {
  let text = addr;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = Number(ipv4ToBigInt(v4[1]));
    text = text.slice(0, v4.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail === undefined ? [] : tail ? tail.split(':') : [];
  const parts = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return parts.reduce((acc, h) => (acc << BigInt(16)) + BigInt(parseInt(h, 16)), ZERO);
}

function toText(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24, 16, 8, 0].map(s => String(Number((value >> BigInt(s)) & BigInt(255)))).join('.');
  const hextets = [];
  for (let s = 112; s >= 0; s -= 16) hextets.push(Number((value >> BigInt(s)) & BigInt(0xffff)).toString(16));
  // Compress the longest run of zero hextets (at least two) to "::".
  let best = -1; let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && hextets[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
  }
  if (best < 0) return hextets.join(':');
  return `${hextets.slice(0, best).join(':')}::${hextets.slice(best + bestLen).join(':')}`;
}

/** `family` block of `prefix` bits starting at `start`, as text. */
export function cidrText(family: 4 | 6, start: bigint, prefix: number): string {
  return `${toText(family, start)}/${prefix}`;
}

/**
 * Why `value` is not a valid CIDR (IPv4 `a.b.c.d/n`, n 0-32, or IPv6 `x:x::x/n`, n 0-128, no host bits set),
 * or undefined when it is one.
 */
export function cidrProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string.';
  const slash = value.indexOf('/');
  if (slash < 0) return 'has no prefix length (write /32 or /128 for a single address).';
  const addr = value.slice(0, slash);
  const len = value.slice(slash + 1);
  let family: 4 | 6;
  if (isIPv4(addr)) family = 4;
  else if (isIPv6(addr) && !addr.includes('%')) family = 6;
  else if (/^[0-9.]+$/.test(addr)) {
    const octets = addr.split('.');
    const bad = octets.find(o => !/^(0|[1-9]\d{0,2})$/.test(o) || Number(o) > 255);
    return octets.length !== 4 ? `"${addr}" is not an IPv4 address (four octets).`
      : `"${addr}" is not an IPv4 address (octet "${bad}" is not 0-255 without leading zeros).`;
  } else return `"${addr}" is not an IPv4 or IPv6 address.`;
  const bits = bitsOf(family);
  if (!/^(0|[1-9]\d{0,2})$/.test(len) || Number(len) > bits) return `prefix length "/${len}" is not 0-${bits} (IPv${family}).`;
  const prefix = Number(len);
  const start = family === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
  const hostMask = (ONE << BigInt(bits - prefix)) - ONE;
  if ((start & hostMask) !== ZERO) return `has host bits set: the network is ${cidrText(family, start & ~hostMask, prefix)}.`;
  return undefined;
}

/** The parsed CIDR, or undefined when `value` is not a valid CIDR (see cidrProblem). */
export function parseCidr(value: unknown): Cidr | undefined {
  if (cidrProblem(value) !== undefined) return undefined;
  const text = value as string;
  const [addr, len] = text.split('/');
  const family: 4 | 6 = isIPv4(addr) ? 4 : 6;
  const prefix = Number(len);
  const bits = bitsOf(family);
  const start = family === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
  return { family, start, end: start + (ONE << BigInt(bits - prefix)) - ONE, prefix };
}

type Range = [bigint, bigint];

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Range[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + ONE) { if (e > last[1]) last[1] = e; } else out.push([s, e]);
  }
  return out;
}

function subtract(ranges: Range[], holes: Range[]): Range[] {
  let out = ranges;
  for (const [hs, he] of holes) {
    out = out.flatMap(([s, e]): Range[] => {
      if (he < s || hs > e) return [[s, e]];
      const parts: Range[] = [];
      if (hs > s) parts.push([s, hs - ONE]);
      if (he < e) parts.push([he + ONE, e]);
      return parts;
    });
  }
  return out;
}

/** The largest aligned CIDR blocks a range decomposes into, with their prefix. */
function blocks(family: 4 | 6, [s0, e]: Range): { start: bigint; prefix: number }[] {
  const bits = bitsOf(family);
  const out: { start: bigint; prefix: number }[] = [];
  let s = s0;
  while (s <= e) {
    let size = bits;
    while (size > 0) {
      const blockSize = ONE << BigInt(size);
      if ((s & (blockSize - ONE)) === ZERO && s + blockSize - ONE <= e) break;
      size--;
    }
    out.push({ start: s, prefix: bits - size });
    s += ONE << BigInt(size);
  }
  return out;
}

/** One entry of a set of admitted addresses: a CIDR minus optional exceptions (a NetworkPolicy ipBlock, a zone). */
export interface AddressSource {
  readonly cidr: unknown;
  readonly except?: unknown;
}

/**
 * For a set of address sources judged together, the sources that make the set "any": index -> the broadest block of
 * the set's aggregated addresses that the source falls in and that holds a public block broader than the threshold
 * (e.g. `0.0.0.0/0` for `0.0.0.0/1` + `128.0.0.0/1`). Invalid CIDRs are ignored (other rules report them); invalid
 * exceptions are ignored, i.e. they do not narrow the source.
 */
export function broadSources(sources: readonly AddressSource[]): Map<number, string> {
  const result = new Map<number, string>();
  for (const family of [4, 6] as const) {
    const admitted: { index: number; ranges: Range[] }[] = [];
    sources.forEach((src, index) => {
      const c = parseCidr(src.cidr);
      if (!c || c.family !== family) return;
      const holes = (Array.isArray(src.except) ? src.except : []).map(parseCidr).filter((x): x is Cidr => x?.family === family).map((x): Range => [x.start, x.end]);
      admitted.push({ index, ranges: subtract([[c.start, c.end]], holes) });
    });
    if (admitted.length === 0) continue;
    const union = merge(admitted.flatMap(a => a.ranges));
    const nonPublic = NON_PUBLIC.filter(n => n.family === family).map((n): Range => [n.start, n.end]);
    const broadPublic = subtract(union, nonPublic).flatMap(r => blocks(family, r)).filter(b => b.prefix < BROAD_PREFIX[family]).map(b => blockRange(family, b));
    // Any aligned block inside a range lies inside one block of the range's canonical decomposition.
    const containers = union.flatMap(r => blocks(family, r))
      .filter(b => { const [s, e] = blockRange(family, b); return broadPublic.some(([ps, pe]) => s <= ps && pe <= e); })
      .sort((a, b) => a.prefix - b.prefix);
    // Only sources that contribute public addresses to a broad block are attributed: a private range admitted next
    // to 0.0.0.0/0 is not itself "anywhere".
    const overlaps = (x: Range[], y: Range[]) => x.some(([xs, xe]) => y.some(([ys, ye]) => xs <= ye && ys <= xe));
    for (const a of admitted) {
      const hit = containers.find(b => {
        const range = blockRange(family, b);
        return overlaps(a.ranges, [range]) && overlaps(a.ranges, broadPublic.filter(([ps, pe]) => range[0] <= ps && pe <= range[1]));
      });
      if (hit) result.set(a.index, cidrText(family, hit.start, hit.prefix));
    }
  }
  return result;
}

function blockRange(family: 4 | 6, b: { start: bigint; prefix: number }): Range {
  return [b.start, b.start + (ONE << BigInt(bitsOf(family) - b.prefix)) - ONE];
}

/** True if this one CIDR is "any" by the threshold above (0.0.0.0/0, ::/0, 0.0.0.0/1, 2000::/3, ...). */
export function isBroadCidr(cidr: unknown): boolean {
  return broadSources([{ cidr }]).size > 0;
}

/**
 * Message tail explaining why `cidr` counts as anywhere: empty for a literal /0; `together` names what it is combined with
 * (e.g. `with zone "b"`) when the union, not the CIDR alone, is broad.
 */
export function anywhereReason(cidr: string, block: string, together?: string): string {
  const limit = `/${BROAD_PREFIX[block.includes(':') ? 6 : 4]}`;
  if (together) return ` (${together} it covers ${block}, broader than ${limit}: counted as anywhere)`;
  if (/\/0$/.test(cidr)) return '';
  return ` (${block === cidr ? cidr : `it covers ${block}, which`} is broader than ${limit}: counted as anywhere)`;
}
