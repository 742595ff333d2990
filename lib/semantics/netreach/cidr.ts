import { isIPv4, isIPv6 } from 'net';

/**
 * Strict CIDR parsing (IPv4 `a.b.c.d/n`, IPv6 `x:x::x/n`) as the Kubernetes API server and AWS read it: octets 0-255
 * without leading zeros, prefix 0-32 / 0-128 without leading zeros, no host bits, no zone index.
 */

/** IP family. */
export type Family = 4 | 6;

/** A parsed, valid CIDR. */
export interface Cidr {
  readonly family: Family;
  /** First address. */
  readonly start: bigint;
  /** Last address (inclusive). */
  readonly end: bigint;
  readonly prefix: number;
}

const ZERO = BigInt(0);
const ONE = BigInt(1);

/** Address width of a family. */
export const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);

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

/** An address as text (IPv6 compressed: longest run of two or more zero hextets as `::`). */
export function addressText(family: Family, value: bigint): string {
  if (family === 4) return [24, 16, 8, 0].map(s => String(Number((value >> BigInt(s)) & BigInt(255)))).join('.');
  const hextets = [];
  for (let s = 112; s >= 0; s -= 16) hextets.push(Number((value >> BigInt(s)) & BigInt(0xffff)).toString(16));
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
export function cidrText(family: Family, start: bigint, prefix: number): string {
  return `${addressText(family, start)}/${prefix}`;
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
  let family: Family;
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
  const family: Family = isIPv4(addr) ? 4 : 6;
  const prefix = Number(len);
  const bits = bitsOf(family);
  const start = family === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
  return { family, start, end: start + (ONE << BigInt(bits - prefix)) - ONE, prefix };
}
