import { memo } from './cache';
/*
 * Kubernetes name, label and quantity syntax, as the API server validates it. Internal (not exported from the
 * package): constructs use these to throw a HardeningError at construct time instead of synthesizing an object the
 * API server would reject.
 */

/** DNS-1123 label: names of objects and namespaces. */
export const DNS1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** DNS-1035 label: Service names (a letter first, as they become DNS names and env var prefixes). */
export const DNS1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** DNS-1123 subdomain: RuntimeClass, Secret and ConfigMap names, label key prefixes. */
export const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label value (also the name part of a label key when non-empty): at most 63 characters. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** Environment variable name (Kubernetes: C_IDENTIFIER relaxed to allow "-" and "."). */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Kubernetes quantity without sign: number, then a binary/decimal SI suffix or a decimal exponent. */
export const QUANTITY_PATTERN = '^([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)?$';
const QUANTITY = new RegExp(QUANTITY_PATTERN);
const DECIMAL_EXPONENT: { [suffix: string]: number } = { '': 0, 'm': -3, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
const BINARY_EXPONENT: { [suffix: string]: number } = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** The value of a quantity (cores or bytes), or undefined if it is not a finite unsigned quantity. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q !== 'string') return undefined;
  // Quantities repeat across containers and rules: cached (a pure function of the string, bounded).
  return QUANTITIES.getOrCompute(q, parseQuantityUncached);
}

const QUANTITIES = memo.byString<number | undefined>(10_000);

function parseQuantityUncached(q: string): number | undefined {
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const [, num, suffix = ''] = m;
  const own = (table: object) => Object.prototype.hasOwnProperty.call(table, suffix);
  const value = own(BINARY_EXPONENT)
    ? Number(num) * 2 ** BINARY_EXPONENT[suffix]
    // decimal scaling through the number literal, so '300m' and '0.3' parse to the same double
    : Number(`${num}e${own(DECIMAL_EXPONENT) ? DECIMAL_EXPONENT[suffix] : Number(suffix.slice(1))}`);
  return Number.isFinite(value) ? value : undefined;
}

/** A label value: empty, or at most 63 alphanumerics, "-", "_", "." starting and ending alphanumeric. */
export function isLabelValue(v: unknown): boolean {
  return typeof v === 'string' && LABEL_VALUE.test(v);
}

/** A label key (qualified name): `[dns-subdomain-prefix/]name`. */
export function isLabelKey(k: unknown): boolean {
  if (typeof k !== 'string') return false;
  // Called for every label and annotation key of every object: no split.
  const slash = k.indexOf('/');
  if (slash < 0) return k !== '' && LABEL_VALUE.test(k);
  if (k.indexOf('/', slash + 1) >= 0) return false;
  const name = k.slice(slash + 1);
  return name !== '' && LABEL_VALUE.test(name) && DNS1123_SUBDOMAIN.test(k.slice(0, slash));
}

/** A plain `{ key: value }` object (not null, not an array). */
export function isRecord(x: unknown): x is { [key: string]: unknown } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
