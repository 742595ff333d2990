/**
 * The pod-spec and token walks read objects without a prototype (the engine's frozen copies) by their keys (for-in,
 * key tests before field reads) and objects with one (callers outside the engine) field by field. Both readings must
 * find the same pods, at the same paths, in the same order: checked on every YAML file of the test suite, each object
 * read both ways. objectsIn's two indexes (by kind then namespace; the joined key when a kind holds a NUL) and getPath's
 * two readings (plain dotted keys; brackets and quotes) are checked here too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSource } from '../../lib/cli/input';
import { checkPods, containersOf, findUnresolved, getPath, objectsIn, podSpecsOf, PodSpecRef } from '../../lib/kube/manifest';
import { ownFrozenCopy } from '../../lib/policy/engine';
import { privilegedContainer } from '../../lib/policy/rules/pod-security/privileged-container';

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : yamlFiles(p);
    return /\.ya?ml$/.test(e.name) && !/golden/.test(p) ? [p] : [];
  });
}

/** What a rule can read of a pod: everything but the object identities. */
function summary(pods: PodSpecRef[]): unknown[] {
  return pods.map(p => ({
    path: p.path, metadataPath: p.metadataPath, shape: p.shape, source: p.source, inferred: p.inferred, batch: p.batch,
    remap: p.remap, spec: JSON.stringify(p.spec), metadata: JSON.stringify(p.metadata),
    containers: containersOf(p).map(c => [c.path, c.field, c.name, JSON.stringify(c.container)]),
  }));
}

/** A deep copy with prototypes (what a caller outside the engine hands in). */
function withPrototypes(v: any): any {
  if (Array.isArray(v)) return v.map(withPrototypes);
  if (v === null || typeof v !== 'object') return v;
  const out: any = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: withPrototypes(v[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('pod specs and tokens: objects with and without a prototype read the same', () => {
  const objects: any[] = [];
  for (const file of yamlFiles(path.join(__dirname, '..'))) {
    try {
      for (const o of parseSource(file, fs.readFileSync(file), { validateKinds: false })) objects.push(o.object);
    } catch {
      // files that are not manifests (or malformed on purpose) are another test's business
    }
  }

  test('the corpus holds pods of known carriers, inferred pods and fragments', () => {
    const sources = new Set(objects.flatMap(o => podSpecsOf(ownFrozenCopy(o)).map(p => (p.inferred ? 'inferred' : p.shape))));
    expect([...sources].sort()).toEqual(['fragment', 'inferred', 'pod']);
    expect(objects.length).toBeGreaterThan(1000);
  });

  test('podSpecsOf and findUnresolved', () => {
    let withPods = 0;
    let withTokens = 0;
    for (const o of objects) {
      const own = ownFrozenCopy(o);
      const plain = withPrototypes(o);
      expect(Object.getPrototypeOf(own)).toBeNull();
      expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
      const a = summary(podSpecsOf(own));
      expect(summary(podSpecsOf(plain))).toEqual(a);
      if (a.length > 0) withPods++;
      const tokens = findUnresolved(own);
      expect(findUnresolved(plain)).toEqual(tokens);
      if (tokens.length > 0) withTokens++;
    }
    expect(withPods).toBeGreaterThan(300);
    expect(withTokens).toBeGreaterThan(0);
  });

  test('an object without any pod-shaped field holds no pod, of any kind; one such field anywhere is looked at', () => {
    const cm = ownFrozenCopy({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { containers: 'x' } });
    expect(podSpecsOf(cm)).toEqual([]);
    const hidden = ownFrozenCopy({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' },
      data: { deep: [{ x: { containers: [{ name: 'a', image: 'busybox', securityContext: { privileged: true } }] } }] },
    });
    expect(podSpecsOf(hidden).map(p => [p.path, p.inferred])).toEqual([['data.deep[0].x', true]]);
  });

  test('a privileged container spelled as a fragment, deep, after a null, or alone is still judged through the CLI reading', () => {
    // The same insecure effect written other ways than a PodSpec: each must pass mayHoldPodWithin's quick walk.
    const text = [
      'apiVersion: example.com/v1\nkind: Baz\nmetadata: {name: a, namespace: x}\nspec:\n  deep: {a: {b: [{c: {steps: [{image: x, securityContext: {privileged: true}}]}}]}}\n',
      'apiVersion: example.com/v1\nkind: Bar\nmetadata: {name: b, namespace: x}\nspec:\n  containers: [null, {name: c, image: x, securityContext: {privileged: true}}]\n',
      'apiVersion: example.com/v1\nkind: Qux\nmetadata: {name: c, namespace: x}\nspec:\n  sidecar: {container: {image: x, securityContext: {privileged: true}}}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: x}\nextra:\n  - script: {image: x, securityContext: {privileged: true}}\n',
    ].join('---\n');
    const found = parseSource('x.yaml', text, { own: true, validateKinds: false })
      .map(o => privilegedContainer.check(ownFrozenCopy(o.object), { settings: { podSecurityVersion: 'v1.36', kubeVersion: '1.36' } } as any).map(v => v.path));
    expect(found).toEqual([
      ['spec.deep.a.b[0].c.steps[0].securityContext.privileged'],
      ['spec.containers[1].securityContext.privileged'],
      ['spec.sidecar.container.securityContext.privileged'],
      ['extra[0].script.securityContext.privileged'],
    ]);
  });
});

describe('findUnresolved', () => {
  test('a token in a key, a string, a number, at any depth; paths only where one is', () => {
    const T = '${Token[X.1]}';
    const o = ownFrozenCopy({ a: { b: [1, { [T]: 'v' }] }, c: `x${T}`, d: -1.8881545897087626e+289, e: 'plain' });
    expect(findUnresolved(o)).toEqual(['a.b[1].${Token[X.1]}', 'c', 'd']);
    expect(findUnresolved(ownFrozenCopy({ a: { b: ['Token', '${Token'] } }))).toEqual([]);
  });
});

describe('getPath', () => {
  const o = { a: { 'b': [{ c: 1 }], 'x.y': { z: 2 }, '': { e: 3 } } };
  test.each([
    ['a.b', o.a.b], ['a.b[0].c', 1], ['a["x.y"].z', 2], ['a..b', o.a.b], ['', o], ['a.missing.c', undefined], ['a.b.c', undefined],
    ['.a', o.a], ['a.', o.a],
  ])('%s', (p, want) => {
    expect(getPath(o, p)).toBe(want);
  });
});

describe('objectsIn', () => {
  const sa = (name: string, namespace?: any, kind = 'ServiceAccount') => ({ kind, metadata: { name, ...(namespace !== undefined ? { namespace } : {}) } });

  test('by kind and namespace (unset = default; a non-string namespace reads as its text)', () => {
    const objects = [sa('a', 'n'), sa('b'), sa('c', 'n'), sa('d', 5), { kind: 'Role', metadata: { name: 'r', namespace: 'n' } }, { metadata: {} }];
    expect(objectsIn(objects, 'ServiceAccount', 'n').map(o => o.metadata.name)).toEqual(['a', 'c']);
    expect(objectsIn(objects, 'ServiceAccount', 'default').map(o => o.metadata.name)).toEqual(['b']);
    expect(objectsIn(objects, 'ServiceAccount', '5').map(o => o.metadata.name)).toEqual(['d']);
    expect(objectsIn(objects, 'Role', 'default')).toEqual([]);
    expect(objectsIn(objects, 'Role', 'n')).toHaveLength(1);
  });

  test('kinds holding a NUL keep the answers of the joined `kind NUL namespace` key', () => {
    const odd = [sa('x', 'b', 'ServiceAccount\u0000a'), sa('y', 'n')];
    expect(objectsIn(odd, 'ServiceAccount', 'a\u0000b').map(o => o.metadata.name)).toEqual(['x']);
    expect(objectsIn(odd, 'ServiceAccount', 'n').map(o => o.metadata.name)).toEqual(['y']);
    const plain = [sa('x', 'a\u0000b'), sa('y', 'n')];
    expect(objectsIn(plain, 'ServiceAccount\u0000a', 'b').map(o => o.metadata.name)).toEqual(['x']);
    expect(objectsIn(plain, 'ServiceAccount', 'a\u0000b').map(o => o.metadata.name)).toEqual(['x']);
  });
});

describe('checkPods drops a finding whose `path NUL message` key it already holds', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const f = (path: string, message: string) => ({ path, message });
  const kept = (found: { path: string; message: string }[]) => checkPods(pod, () => found).map(v => [v.path, v.message]);

  test('the same path and message twice (a leading dot is no difference)', () => {
    expect(kept([f('a', 'm'), f('a', 'm'), f('a', 'n'), f('b', 'm')])).toEqual([['a', 'm'], ['a', 'n'], ['b', 'm']]);
    expect(kept([f('.spec.x', 'm'), f('spec.x', 'm')])).toEqual([['spec.x', 'm']]);
  });

  test('many findings (compared by key past the first few)', () => {
    const many = Array.from({ length: 20 }, (_, i) => f(`p${i % 11}`, 'm'));
    expect(kept(many)).toEqual(Array.from({ length: 11 }, (_, i) => [`p${i}`, 'm']));
  });

  test('a NUL in a path: the joined keys decide, as they always did', () => {
    expect(kept([f('a\u0000b', 'c'), f('a', 'b\u0000c'), f('a', 'b\u0000c')])).toEqual([['a\u0000b', 'c']]);
    expect(kept([f('a', 'b\u0000c'), f('a\u0000b', 'c')])).toEqual([['a', 'b\u0000c']]);
  });
});
