/**
 * Every module-level cache of the library goes through this helper, so that each one states its lifetime and none can
 * change a result (each caches a pure function of its key). Three lifetimes:
 *
 * - `memo.once(compute)`: computed on first use, then kept for the life of the process. For data that never changes
 *   once loaded: the frozen catalogue, vendored tables.
 * - `memo.byObject<K, V>()`: a result derived from an object, held weakly, so it lives exactly as long as its key.
 *   The key is usually one evaluation's object list (`context.objects`): the engine never changes that list while the
 *   rules run, and drops it, with every index built from it, when the evaluation ends. A key must not be mutated
 *   after a result was computed from it.
 * - `memo.byString<V>(maxEntries)`: a pure function of a string (a YAML scalar, a version, an apiVersion), kept for
 *   the process and bounded: emptied when it reaches `maxEntries`, so input (an attacker's included) cannot grow it
 *   without limit.
 *
 * Caches of state (what a construct registered: profiles, waivers, guards) are not caches in this sense and keep
 * their own WeakMaps.
 */

/** A cache of results keyed by an object, held weakly (see the module comment). */
export class ObjectMemo<K extends object, V> {
  private readonly map = new WeakMap<K, V>();

  public get(key: K): V | undefined {
    return this.map.get(key);
  }

  public has(key: K): boolean {
    return this.map.has(key);
  }

  public set(key: K, value: V): this {
    this.map.set(key, value);
    return this;
  }

  /** The cached result for `key`, computed by `compute` on the first call. */
  public getOrCompute(key: K, compute: (key: K) => V): V {
    const cached = this.map.get(key); // one lookup when the value is there (has() only for a cached undefined)
    if (cached !== undefined || this.map.has(key)) return cached as V;
    const value = compute(key);
    this.map.set(key, value);
    return value;
  }
}

/** A bounded cache of results keyed by a string (see the module comment). */
export class StringMemo<V> {
  private readonly map = new Map<string, V>();

  constructor(public readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`cdk8s-hardened: a string cache needs a positive bound, not ${maxEntries}`);
  }

  /** Entries held now (at most `maxEntries`). */
  public get size(): number {
    return this.map.size;
  }

  public get(key: string): V | undefined {
    return this.map.get(key);
  }

  public has(key: string): boolean {
    return this.map.has(key);
  }

  /** Hold `value` for `key`; a full cache is emptied first. */
  public set(key: string, value: V): this {
    if (!this.map.has(key) && this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(key, value);
    return this;
  }

  /** The cached result for `key`, computed by `compute` on the first call (and again after the cache was emptied). */
  public getOrCompute(key: string, compute: (key: string) => V): V {
    const cached = this.map.get(key); // one lookup when the value is there (has() only for a cached undefined)
    if (cached !== undefined || this.map.has(key)) return cached as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}

/** The three cache lifetimes (see the module comment). */
export const memo = {
  /** A value computed on first use and kept for the process. */
  once<V>(compute: () => V): () => V {
    let done = false;
    let value: V;
    return () => {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    };
  },
  /** Results keyed by an object, living as long as the key. */
  byObject<K extends object, V>(): ObjectMemo<K, V> {
    return new ObjectMemo<K, V>();
  },
  /** Results keyed by a string, kept for the process, emptied when `maxEntries` are held. */
  byString<V>(maxEntries: number): StringMemo<V> {
    return new StringMemo<V>(maxEntries);
  },
};
