/**
 * Rule evaluation reads own properties only. A polluted `Object.prototype` (a dependency that assigns
 * `Object.prototype.securityContext = {...}`, or a `__proto__` merge bug anywhere in the process) must not supply a
 * value the judged bytes do not hold: every object a rule sees is a null-prototype object (engine.ts), and the records
 * the engine reads beside them (waiver and exception annotations, findings, settings) are read through these helpers.
 */

/** True when `key` is an own property of `o` (never an inherited one). */
export function hasOwn(o: unknown, key: string): boolean {
  return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, key);
}

/** The own property `key` of `o`, or undefined (never an inherited value). */
export function own(o: unknown, key: string): any {
  return hasOwn(o, key) ? (o as any)[key] : undefined;
}

/**
 * A new empty object without a prototype, that stays fast to read once filled and frozen. V8 gives objects made by
 * `Object.create(null)` a dictionary, and an object whose prototype is taken away after it was filled a shape of its
 * own once frozen: either way every property read of every rule goes through the slow path (about 10-50x slower,
 * measured: scripts/bench.ts). An empty object losing its prototype first, then filled, shares its shapes with every
 * object filled with the same keys in the same order.
 */
export function emptyOwn(): any {
  const o = {};
  Object.setPrototypeOf(o, null);
  return o;
}

/**
 * A deep copy of JSON-like data whose objects have no prototype (arrays stay arrays); a `__proto__` key is plain data.
 * Made with emptyOwn: fast to read.
 */
export function nullProto(value: any): any {
  if (Array.isArray(value)) return value.map(nullProto);
  if (value === null || typeof value !== 'object') return value;
  const out = emptyOwn();
  // On an object without a prototype, `out.__proto__ = v` creates an own property (there is no inherited setter).
  for (const k of Object.keys(value)) out[k] = nullProto(value[k]);
  return out;
}

/**
 * nullProto(value), freezing `value` itself on the way (in place, prototypes kept, frozen objects descended into too),
 * in one pass. For acyclic data only (the fast YAML writer's documents: it refuses cycles).
 */
export function frozenNullProto(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  Object.freeze(value);
  if (Array.isArray(value)) return value.map(frozenNullProto);
  const out = emptyOwn();
  for (const k of Object.keys(value)) out[k] = frozenNullProto(value[k]);
  return out;
}

/** `JSON.parse`, with every object of the result without a prototype (a `__proto__` key is plain data). */
export function parseJsonOwn(text: string): any {
  return nullProto(JSON.parse(text));
}
