/**
 * CIDR parsing and the "anywhere" decision for the network rules: a thin view of lib/semantics/netreach (the shared
 * evaluators; see address-set.ts for the threshold and its justification).
 */
import { anywhereFamilies, AddressSet, ANYWHERE_DESCRIPTION, describeReach, Family, publicReach, Reach } from '../../../semantics/netreach';

export { cidrProblem, parseCidr, cidrText } from '../../../semantics/netreach';
export type { Cidr } from '../../../semantics/netreach';

/** Human description of the threshold, for rule descriptions. */
export const BROAD_DESCRIPTION = ANYWHERE_DESCRIPTION;

/** One source judged in a group: its addresses (undefined when its CIDR is invalid: other rules report it). */
export interface JudgedSource {
  readonly addresses?: AddressSet;
}

/** Why a source of a group is part of an "anywhere" set. */
export interface AnywhereSource {
  /** Index of the source in the group. */
  readonly index: number;
  /** True when the source alone reaches anywhere. */
  readonly alone: boolean;
  /** Message tail, e.g. ` (with the others it reaches 4,194,304,... public IPv4 addresses ...: counted as anywhere)`. */
  readonly reason: string;
}

/**
 * The sources of a group that make the group "anywhere": when the union of the group reaches anywhere in a family,
 * every source that contributes public addresses of that family. `together` names the rest of the group in messages
 * (e.g. `with the policy's other ipBlocks`), per source when it is a function.
 */
export function anywhereSources(
  group: readonly JudgedSource[], union: AddressSet, together: string | ((i: number) => string), literal: (i: number) => boolean,
): AnywhereSource[] {
  const total = publicReach(union);
  const families = anywhereFamilies(total);
  if (families.length === 0) return [];
  const out: AnywhereSource[] = [];
  group.forEach((src, index) => {
    if (!src.addresses) return;
    const own = publicReach(src.addresses);
    const family = families.find(f => count(own, f) > BigInt(0));
    if (family === undefined) return;
    const alone = anywhereFamilies(own).includes(family);
    const reason = alone
      ? (literal(index) ? '' : ` (it reaches ${describeReach(own, family)}: counted as anywhere)`)
      : ` (${typeof together === 'string' ? together : together(index)} it reaches ${describeReach(total, family)}: counted as anywhere)`;
    out.push({ index, alone, reason });
  });
  return out;
}

function count(r: Reach, f: Family): bigint {
  return f === 4 ? r.v4 : r.v6;
}

/** A literal "everything" CIDR with no except: 0.0.0.0/0 or ::/0 (messages need no explanation then). */
export function isLiteralAll(cidr: unknown, except?: unknown): boolean {
  return typeof cidr === 'string' && /\/0$/.test(cidr) && !(Array.isArray(except) && except.length > 0);
}
