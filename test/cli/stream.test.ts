import { checkObjects, streamCheck } from '../../lib/cli/check';
import { renderStreamTo, renderTo } from '../../lib/cli/formatters';
import { parseSource } from '../../lib/cli/input';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, evaluateEach } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';

const pod = (i: number, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: p${i}, namespace: ns}
spec:
  containers: [{name: c, image: "registry.example.com/c:1"${extra}}]
`;
const SETTINGS = { allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
const text = Array.from({ length: 50 }, (_, i) => pod(i)).join('---\n');

describe('check streams its findings', () => {
  test('findings are produced object by object as they are iterated, not all up front', () => {
    const stream = streamCheck(parseSource('pods.yaml', text), { today: '2026-11-30' });
    expect(stream.counts.findings).toBe(0);
    const it = stream.findings[Symbol.iterator]();
    const first = it.next();
    expect(first.done).toBe(false);
    // Nothing is kept or counted ahead of the consumer.
    expect(stream.counts.findings).toBe(1);
    let n = 1;
    for (let r = it.next(); !r.done; r = it.next()) n++;
    expect(stream.counts.findings).toBe(n);
    expect(n % 50).toBe(0);
  });

  test('the engine judges the next object only when the findings of the previous one have been taken', () => {
    const judged: string[] = [];
    const spy = { ...Catalogue.all()[0], id: 'spy', appliesTo: ['*'], check: (o: any) => { judged.push(o.metadata.name); return []; } };
    const objects = parseSource('pods.yaml', text).map(o => ({ object: o.object, ref: { apiVersion: 'v1', kind: 'Pod', name: o.object.metadata.name } }));
    const it = evaluateEach(objects, { rules: [spy as any], settings: SETTINGS, today: '2026-11-30' });
    expect(judged).toEqual([]);
    it.next();
    expect(judged).toEqual(['p0']);
    it.next();
    expect(judged).toEqual(['p0', 'p1']);
  });

  test('the stream yields exactly what checkObjects collects, with locations, and renders the same text and SARIF', () => {
    const collected = checkObjects(parseSource('pods.yaml', text), { today: '2026-11-30' });
    const streamed = [...streamCheck(parseSource('pods.yaml', text), { today: '2026-11-30' }).findings];
    expect(streamed).toEqual(collected.findings);
    expect(streamed.every(f => f.location !== undefined && f.location.line >= 1)).toBe(true);
    for (const format of ['text', 'sarif', 'json', 'junit'] as const) {
      let a = '';
      let b = '';
      renderTo(format, checkObjects(parseSource('pods.yaml', text), { today: '2026-11-30' }), c => { a += c; });
      renderStreamTo(format, streamCheck(parseSource('pods.yaml', text), { today: '2026-11-30' }), c => { b += c; });
      expect(b).toBe(a);
    }
  });

  test('counts are blocking and waived findings as the summary line states them', () => {
    const stream = streamCheck(parseSource('pods.yaml', text), { today: '2026-11-30' });
    let out = '';
    renderStreamTo('text', stream, c => { out += c; });
    expect(out).toMatch(new RegExp(`50 object\\(s\\) checked against \\d+ rule\\(s\\): ${stream.counts.blocking} blocking finding\\(s\\)`));
    expect(stream.counts.blocking).toBeGreaterThan(0);
  });
});

describe('engine adopt option', () => {
  const settings = { allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
  const obj = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data: { k: 'v' } });

  test('without it the caller\'s objects are copied and left unfrozen', () => {
    const o = obj();
    evaluate([{ object: o, ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' } }], { rules: Catalogue.all(), settings, today: '2026-11-30' });
    expect(Object.isFrozen(o)).toBe(false);
  });

  test('with it a null-free object is frozen in place (no copy), and an object with nulls is still copied', () => {
    const o = obj();
    evaluate([{ object: o, ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' } }], { rules: Catalogue.all(), settings, today: '2026-11-30', adopt: true });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.metadata)).toBe(true);
    const withNull: any = { ...obj(), data: { k: null } };
    evaluate([{ object: withNull, ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' } }], { rules: Catalogue.all(), settings, today: '2026-11-30', adopt: true });
    expect(Object.isFrozen(withNull)).toBe(false);
  });

  test('a rule sees the same object either way (null fields removed)', () => {
    const seen: any[] = [];
    const spy = { ...Catalogue.all()[0], id: 'spy', appliesTo: ['*'], check: (o: any) => { seen.push(o); return []; } };
    for (const adopt of [false, true]) {
      evaluate([{ object: { ...obj(), data: { k: null, j: 'x' } }, ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' } }],
        { rules: [spy as any], settings, today: '2026-11-30', adopt });
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0].data).toEqual({ j: 'x' });
    expect(Object.isFrozen(seen[0]) && Object.isFrozen(seen[1])).toBe(true);
  });
});
