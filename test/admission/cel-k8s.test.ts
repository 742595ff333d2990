/** The Kubernetes CEL functions the differential test adds to @bufbuild/cel, checked against their definition. */
import * as fc from 'fast-check';
import { celEquals, celEqualsReference, compile, toCel } from './cel-k8s';

const json: fc.Arbitrary<any> = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(0, 1, 2, 1.5, -1), fc.boolean(), fc.constantFrom('', 'a', 'ALL', '1'),
    fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'name'), tie('value'), { maxKeys: 2 })),
})).value;

test('celEquals is CEL == (bufbuild) on JSON-decoded values', () => {
  fc.assert(fc.property(json, json, (a, b) => {
    const [x, y] = [toCel(a), toCel(b)];
    expect(celEquals(x, y)).toBe(celEqualsReference(x, y));
    expect(celEquals(x, x)).toBe(true);
  }), { numRuns: 500 });
});

test('list indexOf / lastIndexOf (k8s.io/apiserver/pkg/cel/library/lists.go): first and last index of an equal element, -1 when absent', () => {
  const run = (e: string, l: any) => compile(e)({ l: toCel(l) });
  expect(run("l.indexOf('b')", ['a', 'b', 'b'])).toBe(1n);
  expect(run("l.lastIndexOf('b')", ['a', 'b', 'b'])).toBe(2n);
  expect(run("l.indexOf('z')", ['a'])).toBe(-1n);
  expect(run('l.indexOf({"n": 1})', [{ n: 2 }, { n: 1 }])).toBe(1n);
  expect(run('l.indexOf(1.0)', [0, 1])).toBe(1n);
  // the strings extension keeps working on strings
  expect(run("'a@b'.indexOf('@')", [])).toBe(1n);
  expect(run("'a:b:c'.lastIndexOf(':')", [])).toBe(3n);
});

test('integers decode as int and other numbers as double, objects as maps, nulls are absent', () => {
  const run = (e: string, o: any) => compile(e)({ o: toCel(o) });
  expect(run('o.a == 1 && type(o.a) == int', { a: 1 })).toBe(true);
  expect(run('type(o.a) == double', { a: 1.5 })).toBe(true);
  expect(run('!has(o.b)', { b: null })).toBe(true);
});
