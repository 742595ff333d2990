import { ObjectMemo } from '../../kube/cache';
import { bitsOf, Cidr, cidrText, Family, parseCidr } from './cidr';

/**
 * Exact set arithmetic on IPv4 / IPv6 addresses, and the public reach of a set: the evaluator behind every
 * "anywhere" decision (NetworkPolicy ipBlocks, FirewallMatrix source zones, NetworkPeer at construct time).
 *
 * ## What a set reaches
 * A set is held as raw addresses per family (sorted, disjoint, inclusive ranges): an ipBlock is its `cidr` minus its
 * `except` ranges, a rule or a policy the union of its ipBlocks. Its *effective* IPv4 space adds the IPv6 ranges that
 * carry IPv4 destinations (TRANSLATED_V6): IPv4-mapped `::ffff:0:0/96` (Go's `net.IPNet.Contains`, used by CNIs,
 * matches every IPv4 address against `::ffff:0.0.0.0/96`), the NAT64 well-known prefix `64:ff9b::/96` (RFC 6052; an
 * IPv6-only cluster behind NAT64, e.g. EKS IPv6, reaches every IPv4 address through it) and the RFC 8215 local-use
 * NAT64 prefix `64:ff9b:1::/48` (each /96 in it read as a /96 embedding). Its public reach is then the number of
 * addresses outside NON_PUBLIC_V4 / NON_PUBLIC_V6 (RFC 6890 special-purpose space: private, shared, loopback,
 * link-local, multicast, reserved, documentation, benchmarking, ULA, ...). IPv6 space that IANA has not allocated yet
 * (e.g. `4000::/2`) counts as public: the decision must not depend on today's allocations.
 *
 * ## "Anywhere"
 * A set is "anywhere" when it reaches MORE than ANYWHERE_V4 = 2^24 public IPv4 addresses (a /8 worth) or more than
 * ANYWHERE_V6 = 2^112 public IPv6 addresses (a /16 worth), however it is spelled: `0.0.0.0/0` minus a hundred /32
 * holes, a union of /8s, `::ffff:0:0/96`, halves, ... Why these numbers:
 * - No legitimate single peer is bigger. A /8 is the largest block ever assigned to one organisation (the legacy
 *   class A assignments; RIRs now assign far less). More than that spans several organisations — and the largest
 *   holders are clouds that rent addresses to anyone, so "all of AWS" is reachable by any attacker with a card.
 * - IPv6: IANA hands RIRs /12s; RIRs allocate operators /32s, large national operators around a /19 (e.g.
 *   2003::/19, 2a01:c000::/19, per the RIPE NCC registry). More than a /16 is eight such operators or more; the rare
 *   holder of more than that is accepted through a waiver. Below the threshold stays everything a real peer needs: a
 *   partner's /32 or /48, a cloud region's ranges, a public /8.
 * - Both are strict: exactly one public /8 (2^24 addresses) is not anywhere; one more address is.
 * Private and non-routable space never counts, so `10.0.0.0/8` + `172.16.0.0/12` + `192.168.0.0/16` + `fc00::/7` is not
 * "anywhere" (those are cluster-internal or VPC peers, judged by other rules).
 */

/** An inclusive range of addresses. */
export type Range = readonly [bigint, bigint];

/** A set of addresses: raw IPv4 and IPv6 ranges (each list sorted, disjoint, adjacent ranges merged). */
export interface AddressSet {
  readonly v4: readonly Range[];
  readonly v6: readonly Range[];
}

const ZERO = BigInt(0);
const ONE = BigInt(1);
const TWO = BigInt(2);
const V4_SPACE = (ONE << BigInt(32)) - ONE;

/** More public IPv4 addresses than this (a /8 worth) is "anywhere". */
export const ANYWHERE_V4 = ONE << BigInt(24);
/** More public IPv6 addresses than this (a /16 worth) is "anywhere". */
export const ANYWHERE_V6 = ONE << BigInt(112);
/** Human description of the threshold, for rule descriptions and messages. */
export const ANYWHERE_DESCRIPTION = 'more than a /8 worth of public IPv4 addresses (2^24) or a /16 worth of public IPv6 addresses (2^112), ' +
  'counted on the exact set (each cidr minus its except, all ipBlocks together; IPv4-mapped ::ffff:0:0/96 and NAT64 64:ff9b::/96 count as IPv4)';

/** IPv4 space that is not on the public internet (IANA IPv4 Special-Purpose Address Registry, RFC 6890 and updates). */
export const NON_PUBLIC_V4: readonly string[] = [
  '0.0.0.0/8', // "this network" (RFC 791)
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // shared address space / CGNAT (RFC 6598)
  '127.0.0.0/8', // loopback (RFC 1122)
  '169.254.0.0/16', // link-local, cloud metadata (RFC 3927)
  '172.16.0.0/12', // private (RFC 1918)
  '192.0.0.0/24', // IETF protocol assignments (RFC 6890)
  '192.0.2.0/24', // TEST-NET-1 (RFC 5737)
  '192.168.0.0/16', // private (RFC 1918)
  '198.18.0.0/15', // benchmarking (RFC 2544)
  '198.51.100.0/24', // TEST-NET-2 (RFC 5737)
  '203.0.113.0/24', // TEST-NET-3 (RFC 5737)
  '224.0.0.0/4', // multicast (RFC 5771)
  '240.0.0.0/4', // reserved, limited broadcast (RFC 1112, RFC 919)
];

/** IPv6 space that is not on the public internet (IANA IPv6 Special-Purpose Address Registry), after TRANSLATED_V6 is taken out. */
export const NON_PUBLIC_V6: readonly string[] = [
  '::/8', // reserved by IETF: unspecified, loopback, IPv4-compatible (RFC 4291); translated prefixes are counted as IPv4 first
  '100::/64', // discard-only (RFC 6666)
  '2001:2::/48', // benchmarking (RFC 5180)
  '2001:db8::/32', // documentation (RFC 3849)
  '3fff::/20', // documentation (RFC 9637)
  'fc00::/7', // unique local (RFC 4193)
  'fe80::/10', // link-local (RFC 4291)
  'fec0::/10', // deprecated site-local (RFC 3879)
  'ff00::/8', // multicast (RFC 4291)
];

/** IPv6 prefixes whose addresses are IPv4 destinations: each /96 in them carries an IPv4 address in its last 32 bits. */
export const TRANSLATED_V6: readonly string[] = [
  '::ffff:0:0/96', // IPv4-mapped (RFC 4291 2.5.5.2)
  '64:ff9b::/96', // NAT64 well-known prefix (RFC 6052)
  '64:ff9b:1::/48', // NAT64 local-use prefix (RFC 8215), read with /96 embeddings
];

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Sort and merge overlapping or adjacent ranges; drops inverted ones. */
export function normalize(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => s <= e).sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + ONE) { if (e > last[1]) last[1] = e; } else out.push([s, e]);
  }
  return out;
}

/** a ∪ b. */
export function unionRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  return normalize([...a, ...b]);
}

/** a \ b, for normalized inputs (one sweep). */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const [s0, e] of a) {
    let s = s0;
    while (j < b.length && b[j][1] < s) j++;
    let k = j;
    while (s <= e && k < b.length && b[k][0] <= e) {
      const [hs, he] = b[k];
      if (hs > s) out.push([s, hs - ONE]);
      if (he >= e) { s = e + ONE; break; }
      s = he + ONE;
      k++;
    }
    if (s <= e) out.push([s, e]);
  }
  return out;
}

/** a ∩ b, for normalized inputs. */
export function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0; let j = 0;
  while (i < a.length && j < b.length) {
    const s = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
    const e = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
    if (s <= e) out.push([s, e]);
    if (a[i][1] < b[j][1]) i++; else j++;
  }
  return out;
}

/** Number of addresses in normalized ranges. */
export function countRanges(ranges: readonly Range[]): bigint {
  return ranges.reduce((n, [s, e]) => n + (e - s + ONE), ZERO);
}

/** The empty set. */
export const EMPTY: AddressSet = Object.freeze({ v4: Object.freeze([]), v6: Object.freeze([]) });

/** The set of one parsed CIDR. */
export function cidrSet(c: Cidr): AddressSet {
  const r: Range[] = [[c.start, c.end]];
  return c.family === 4 ? { v4: r, v6: [] } : { v4: [], v6: r };
}

/** Union of sets. */
export function union(...sets: readonly AddressSet[]): AddressSet {
  return { v4: normalize(sets.flatMap(s => s.v4)), v6: normalize(sets.flatMap(s => s.v6)) };
}

/** a \ b. */
export function subtract(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: subtractRanges(a.v4, b.v4), v6: subtractRanges(a.v6, b.v6) };
}

/**
 * The addresses of an ipBlock-like source: `cidr` minus each `except` entry, or undefined when `cidr` is not a valid
 * CIDR. Invalid `except` entries (and a non-list `except`) are ignored: they do not narrow the set (the API server
 * would reject them; judging the widest reading is the safe side).
 */
export function ipBlockSet(cidr: unknown, except?: unknown): AddressSet | undefined {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  const holes = (Array.isArray(except) ? except : []).map(parseCidr).filter((x): x is Cidr => x !== undefined);
  return subtract(cidrSet(c), union(...holes.map(cidrSet)));
}

/** The set of a list of CIDR texts (all must be valid). */
export function setOf(cidrs: readonly string[]): AddressSet {
  return union(...cidrs.map(c => {
    const parsed = parseCidr(c);
    if (!parsed) throw new Error(`invalid CIDR ${c}`);
    return cidrSet(parsed);
  }));
}

const NON_PUBLIC = setOf([...NON_PUBLIC_V4, ...NON_PUBLIC_V6]);
const TRANSLATED = TRANSLATED_V6.map(c => parseCidr(c)!);
const TRANSLATED_SET = setOf(TRANSLATED_V6);
const BLOCK96 = ONE << BigInt(32);

/** The IPv4 destinations of IPv6 ranges inside TRANSLATED_V6 (last 32 bits of each /96). */
function translatedV4(v6: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const region of TRANSLATED) {
    for (const [s, e] of intersectRanges(v6, [[region.start, region.end]])) {
      const first = s / BLOCK96; const last = e / BLOCK96;
      const lo = s % BLOCK96; const hi = e % BLOCK96;
      if (first === last) out.push([lo, hi]);
      else if (last - first >= TWO) out.push([ZERO, V4_SPACE]);
      else out.push([lo, V4_SPACE], [ZERO, hi]);
    }
  }
  return normalize(out);
}

/** The set as destinations: IPv4 plus the IPv4 addresses its translated IPv6 ranges reach; IPv6 without those ranges. */
export function effective(s: AddressSet): AddressSet {
  return { v4: unionRanges(s.v4, translatedV4(s.v6)), v6: subtractRanges(s.v6, TRANSLATED_SET.v6) };
}

/** The public addresses a set reaches (effective addresses outside NON_PUBLIC_V4 / NON_PUBLIC_V6). */
export function publicPart(s: AddressSet): AddressSet {
  return subtract(effective(s), NON_PUBLIC);
}

/** How many public addresses a set reaches, per family. */
export interface Reach {
  readonly v4: bigint;
  readonly v6: bigint;
}

/** Sets are never changed once built (every operation returns a new one): their reach is computed once. */
const REACH = new ObjectMemo<AddressSet, Reach>();

/** Count the public addresses a set reaches. */
export function publicReach(s: AddressSet): Reach {
  let r = REACH.get(s);
  if (!r) {
    const p = publicPart(s);
    r = Object.freeze({ v4: countRanges(p.v4), v6: countRanges(p.v6) });
    REACH.set(s, r);
  }
  return r;
}

/** The families in which a reach is "anywhere" (more than ANYWHERE_V4 / ANYWHERE_V6). */
export function anywhereFamilies(r: Reach): Family[] {
  return [...(r.v4 > ANYWHERE_V4 ? [4 as const] : []), ...(r.v6 > ANYWHERE_V6 ? [6 as const] : [])];
}

/** True if the set reaches "anywhere" (see the module comment). */
export function isAnywhere(s: AddressSet): boolean {
  return anywhereFamilies(publicReach(s)).length > 0;
}

/** Total public IPv4 space (addresses outside NON_PUBLIC_V4). */
export const PUBLIC_V4_TOTAL = countRanges(subtractRanges([[ZERO, V4_SPACE]], setOf(NON_PUBLIC_V4).v4));

/** e.g. `33,554,432 public IPv4 addresses (0.9% of public IPv4), more than a /8 worth (2^24)`. */
export function describeReach(r: Reach, family: Family): string {
  if (family === 4) {
    const share = Number((r.v4 * BigInt(10000)) / PUBLIC_V4_TOTAL) / 100;
    return `${r.v4.toLocaleString('en-US')} public IPv4 addresses (${share}% of public IPv4), more than a /8 worth (2^24)`;
  }
  return `≈2^${log2(r.v6).toFixed(1)} public IPv6 addresses, more than a /16 worth (2^112)`;
}

function log2(n: bigint): number {
  if (n <= ZERO) return -Infinity;
  const bits = n.toString(2).length;
  const shift = Math.max(0, bits - 53);
  return Math.log2(Number(n >> BigInt(shift))) + shift;
}

/** The set as CIDR texts (largest aligned blocks), for messages and tests. */
export function toCidrs(s: AddressSet): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const bits = bitsOf(family);
    for (const [s0, e] of family === 4 ? s.v4 : s.v6) {
      let start = s0;
      while (start <= e) {
        let size = bits;
        while (size > 0) {
          const block = ONE << BigInt(size);
          if ((start & (block - ONE)) === ZERO && start + block - ONE <= e) break;
          size--;
        }
        out.push(cidrText(family, start, bits - size));
        start += ONE << BigInt(size);
      }
    }
  }
  return out;
}
