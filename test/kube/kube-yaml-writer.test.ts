import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import fc from 'fast-check';
import { HardenedChart } from '../../lib';
import { readKubeYaml } from '../../lib/kube/kube-yaml';
import { writePlainDocument } from '../../lib/kube/kube-yaml-writer';

/**
 * The guard's fast writer must write exactly what `Yaml.stringify` (cdk8s) writes, and kubectl must read those bytes
 * back as exactly the document: the guard judges the document instead of re-reading the bytes.
 */
function check(doc: unknown): 'fast' | 'fallback' {
  const fast = writePlainDocument(doc);
  if (fast === undefined) return 'fallback';
  expect(fast).toBe(Yaml.stringify(doc));
  expect(readKubeYaml(fast)).toEqual([doc]);
  return 'fast';
}

// Strings an attacker (or an unlucky value) would use to make a plain scalar read as something else.
const TRICKY = [
  'yes', 'No', 'on', 'OFF', 'y', 'N', 'true', 'False', 'null', '~', '', ' ', 'a b', 'a: b', 'a:b', 'a #b', 'a#b', '#a',
  '<<', '=', '-', '- a', '?', '? a', ':', 'a:', '0777', '0o17', '0x1F', '0b101', '1_000', '1:20', '1:20.5', '190:20:30',
  '.inf', '-.Inf', '.nan', '1e3', '1E+3', '.5', '5.', '+1', '-1', '12', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '2001-1-2', '---', '--- a', '...', '%YAML', '@x', '`x', '!x', '&a', '*a', '|', '>', "'", '"', '[a]', '{a}', 'a,b',
  'a\nb', 'a\tb', '\u0085', '\u2028', '\ufeff', 'é', '日本', 'a\u0000b', 'x'.repeat(1100), 'registry.example.com/app:1.0',
  'app@sha256:0123', 'RuntimeDefault', '100m', '128Mi', 'app.kubernetes.io/name', 'http://a/b', 'a=b', '10.0.0.0/8',
];

const scalar = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9.\-_/:@]{0,20}$/),
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom(-0, Number.MAX_SAFE_INTEGER + 2, 1e21, 0.5),
);
const key = fc.oneof(fc.constantFrom(...TRICKY), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.\-_/]{0,12}$/));
const { tree } = fc.letrec(tie => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
}));
const doc = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 });
// Manifest-like documents: mostly strings that need no quoting, so the fast path itself is exercised in depth.
const kubeScalar = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.\-_/:@]{0,20}$/), fc.nat(), fc.boolean(), fc.constant(null));
const { kubeTree } = fc.letrec(tie => ({
  kubeTree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, kubeScalar, tie('kubeList'), tie('kubeMap')),
  kubeList: fc.array(tie('kubeTree'), { maxLength: 4 }),
  kubeMap: fc.dictionary(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.\-_/]{0,12}$/), tie('kubeTree'), { maxKeys: 5 }),
}));
const kubeDoc = fc.dictionary(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,8}$/), kubeTree, { minKeys: 1, maxKeys: 6 });

describe('kube-yaml-writer', () => {
  test('byte-identical to Yaml.stringify and read back by kubectl as the document (generated, with tricky strings)', () => {
    let fast = 0;
    fc.assert(fc.property(doc, d => {
      if (check(d) === 'fast') fast++;
    }), { numRuns: 2000, seed: 20261130 });
    fc.assert(fc.property(kubeDoc, d => {
      if (check(d) === 'fast') fast++;
    }), { numRuns: 2000, seed: 20261130 });
    // The property is not vacuous: many generated documents take the fast path.
    expect(fast).toBeGreaterThan(1000);
  });

  test.each(TRICKY.map(s => [s]))('string %j as a value and as a key: written plain only when kubectl reads it back as that string', s => {
    check({ k: s });
    check({ [s]: 'v' });
    check({ a: [s, { [s]: [s] }] });
  });

  test.each([
    ['a nested map and sequences', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 'b' } }, data: { k: 'v' } }],
    ['sequences of sequences and empty collections', { a: [[1, [2, {}]], [], { b: [] }], c: {} }],
    ['maps inside sequences', { s: [{ a: 1, b: [{ c: null, d: true }] }] }],
  ])('fast path: %s', (_name, d) => {
    expect(check(d)).toBe('fast');
  });

  test.each([
    ['a string that would be quoted', { a: 'yes' }],
    ['a merge key', { '<<': { a: 1 } }],
    ['a multi-line string', { a: 'x\ny' }],
    ['a float', { a: 0.5 }],
    ['an integer beyond 2^53', { a: 2 ** 60 }],
    ['negative zero', { a: -0 }],
    ['undefined', { a: undefined }],
    ['a class instance', { a: new Date(0) }],
    ['an empty string', { a: '' }],
    ['a long key', { ['k'.repeat(1100)]: 1 }],
  ])('left to Yaml.stringify: %s', (_name, d) => {
    expect(writePlainDocument(d)).toBeUndefined();
  });

  test('top-level documents that are not non-empty maps are left to Yaml.stringify', () => {
    expect(writePlainDocument([1])).toBeUndefined();
    expect(writePlainDocument({})).toBeUndefined();
    expect(writePlainDocument('a')).toBeUndefined();
    expect(writePlainDocument(null)).toBeUndefined();
  });

  test('a document changed after its bytes were written (a retained toJson result) cannot change what is judged', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyw-'));
    const app = new App({ outdir });
    const shared: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky', namespace: 'ns' }, data: { mode: 'bad' } };
    class Leaky extends ApiObject {
      public toJson(): any { return shared; }
    }
    class Mutator extends ApiObject {
      public toJson(): any {
        shared.data.mode = 'good'; // runs after the first chart's file was written
        return super.toJson();
      }
    }
    new Leaky(new HardenedChart(app, 'first', { namespace: 'ns' }), 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky' } });
    new Mutator(new HardenedChart(app, 'second', { namespace: 'ns' }), 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' } });
    // The written document is frozen with its bytes: the later change fails instead of passing unseen.
    expect(() => app.synth()).toThrow(/read.only|not extensible/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('a shallow-frozen document whose nested value changes later is caught too', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyw-'));
    const app = new App({ outdir });
    const shared: any = Object.freeze({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky', namespace: 'ns' }, data: { mode: 'bad' } });
    class Leaky extends ApiObject {
      public toJson(): any { return shared; }
    }
    class Mutator extends ApiObject {
      public toJson(): any {
        shared.data.mode = 'good';
        return super.toJson();
      }
    }
    new Leaky(new HardenedChart(app, 'first', { namespace: 'ns' }), 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky' } });
    new Mutator(new HardenedChart(app, 'second', { namespace: 'ns' }), 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' } });
    expect(() => app.synth()).toThrow(/read.only|not extensible/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('a cyclic or very deep document is left to Yaml.stringify', () => {
    const cyclic: any = { a: { b: 'x' } };
    cyclic.a.self = cyclic;
    expect(writePlainDocument(cyclic)).toBeUndefined();
    let deep: any = { v: 'x' };
    for (let i = 0; i < 600; i++) deep = { d: deep };
    expect(writePlainDocument(deep)).toBeUndefined();
    let ok: any = { v: 'x' };
    for (let i = 0; i < 100; i++) ok = { d: ok };
    expect(check(ok)).toBe('fast');
  });

  test('a guarded synthesis writes the same bytes as plain cdk8s (fast and fallback documents in one file)', () => {
    const build = (guarded: boolean) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyw-'));
      const app = new App({ outdir });
      const chart = guarded ? new HardenedChart(app, 'c', { namespace: 'ns' }) : new Chart(app, 'c', { namespace: 'ns' });
      new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { k: 'v', n: 'x:y' } });
      new ApiObject(chart, 'quoted', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'quoted' }, data: { a: 'yes', b: 'x: y', c: 'multi\nline', d: '', e: '0777' } });
      app.synth();
      const files = fs.readdirSync(outdir);
      expect(files).toHaveLength(1);
      return fs.readFileSync(path.join(outdir, files[0]), 'utf8');
    };
    const guarded = build(true);
    expect(guarded).toBe(build(false));
    expect(guarded).toContain('a: "yes"');
    expect(readKubeYaml(guarded)[1]).toMatchObject({ data: { a: 'yes', b: 'x: y', c: 'multi\nline', d: '', e: '0777' } });
  });
});
