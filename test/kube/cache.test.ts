import * as fs from 'fs';
import * as path from 'path';
import { memo, ObjectMemo, StringMemo } from '../../lib/kube/cache';

describe('memo.once', () => {
  test('computes on first use only, and again after a throw', () => {
    let calls = 0;
    const value = memo.once(() => ({ n: ++calls }));
    expect(calls).toBe(0);
    expect(value()).toBe(value());
    expect(calls).toBe(1);
    let fail = true;
    const flaky = memo.once(() => {
      if (fail) throw new Error('not yet');
      return 'ok';
    });
    expect(flaky).toThrow('not yet');
    fail = false;
    expect(flaky()).toBe('ok');
  });
});

describe('memo.byObject', () => {
  test('one result per key object, by identity (an equal copy is another key)', () => {
    const m = memo.byObject<readonly number[], number>();
    expect(m).toBeInstanceOf(ObjectMemo);
    let calls = 0;
    const sum = (xs: readonly number[]) => (calls++, xs.reduce((a, b) => a + b, 0));
    const list = [1, 2, 3];
    expect(m.getOrCompute(list, sum)).toBe(6);
    expect(m.getOrCompute(list, sum)).toBe(6);
    expect(m.getOrCompute([1, 2, 3], sum)).toBe(6);
    expect(calls).toBe(2);
    expect([m.has(list), m.get(list), m.get([1, 2, 3])]).toEqual([true, 6, undefined]);
  });

  test('a falsy result is cached too', () => {
    const m = memo.byObject<object, number>();
    let calls = 0;
    const key = {};
    m.getOrCompute(key, () => (calls++, 0));
    m.getOrCompute(key, () => (calls++, 0));
    expect(calls).toBe(1);
  });
});

describe('memo.byString', () => {
  test('holds at most maxEntries: emptied when full, results unchanged', () => {
    const m = memo.byString<number>(3);
    expect(m).toBeInstanceOf(StringMemo);
    let calls = 0;
    const len = (s: string) => (calls++, s.length);
    for (const s of ['a', 'bb', 'ccc']) m.getOrCompute(s, len);
    expect(m.size).toBe(3);
    expect(m.getOrCompute('bb', len)).toBe(2);
    expect(calls).toBe(3);
    // A fourth key empties the cache first: the bound holds whatever the input.
    expect(m.getOrCompute('dddd', len)).toBe(4);
    expect(m.size).toBe(1);
    expect([m.has('a'), m.getOrCompute('a', len), calls]).toEqual([false, 1, 5]);
    // Re-setting a held key does not empty it.
    m.set('a', 1);
    expect(m.size).toBe(2);
    for (let i = 0; i < 1000; i++) m.set(`k${i}`, i);
    expect(m.size).toBeLessThanOrEqual(3);
  });

  test('refuses a bound that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, NaN]) expect(() => memo.byString(bad)).toThrow(/positive bound/);
  });
});

describe('the library caches go through the helper', () => {
  /** Every .ts file of lib/. */
  function files(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
    });
  }
  const LIB = path.join(__dirname, '..', '..', 'lib');

  test('no module-level Map or WeakMap is a cache outside cache.ts (state and constant tables are listed)', () => {
    // Module-level maps that hold state a construct registered, or constant tables: not caches.
    // By variable name (the file is named in the failure), so that moving a file changes nothing here.
    const NOT_CACHES = new Set([
      'applied' /* waiver.ts */, 'FROM_INPUT' /* crd-shapes.ts */, 'GUARDS' /* the guard */, 'PROFILES' /* profile.ts */,
      'RESOLVE_MAP' /* kube-yaml.ts */, 'STATE' /* firewall-matrix.ts */, 'REGISTRY' /* formatters.ts */,
      // Caches left as they are: the CLI's source-position caches (input.ts: a FIFO of 32 trees, its keys, two bounded
      // string maps), whose eviction order is part of their speed.
      'SEGMENTS', 'TREE_CACHE', 'treeKeys', 'KEY_NAMES',
    ]);
    const found: string[] = [];
    for (const f of files(LIB)) {
      if (path.basename(f) === 'cache.ts') continue;
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/^(?:export )?(?:const|let) (\w+)\s*(?::[^=\n]*)?=\s*new (?:Weak)?Map\b/gm)) {
        if (!NOT_CACHES.has(m[1])) found.push(`${path.relative(LIB, f)}:${m[1]}`);
      }
    }
    expect(found).toEqual([]);
  });
});
