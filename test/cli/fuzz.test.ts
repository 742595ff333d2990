/**
 * Fuzz `check` with a fixed seed and a bounded budget: random bytes and mutated manifests never crash or hang it, the
 * exit code is 0, 1 or 2, and the output parses in the chosen format.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { cli } from './helpers';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
const GOOD = path.join(DIR, 'good.yaml');
fs.writeFileSync(GOOD, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok, namespace: shop }\ndata: { a: b }\n');

const MANIFEST = [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: api, namespace: shop }', 'spec:', '  replicas: 2',
  '  selector: { matchLabels: { app: api } }', '  template:', '    metadata: { labels: { app: api } }', '    spec:',
  '      containers:', '        - name: app', '          image: nginx:latest', '          securityContext: { privileged: true }',
  '---', 'apiVersion: v1', 'kind: List', 'items: [{ apiVersion: v1, kind: ConfigMap, metadata: { name: c }, data: { a: b } }]', '',
].join('\n');

/** Mutations of a real manifest: cut, duplicated, spliced with YAML punctuation, anchors, tags, BOMs, NULs. */
const mutated = fc.tuple(fc.nat(MANIFEST.length), fc.nat(MANIFEST.length),
  fc.constantFrom('', ':', '- ', '&a ', '*a', '<<: *a\n', '!!binary ', '{', ']', '"', "'", '\t', '---\n', '\n  ', '\u0000', '\ufeff', '%YAML 1.1\n', '? '))
  .map(([a, b, ins]) => Buffer.from(MANIFEST.slice(0, Math.min(a, b)) + ins + MANIFEST.slice(Math.min(a, b), Math.max(a, b)) + MANIFEST.slice(Math.max(a, b))));
const bytes = fc.uint8Array({ maxLength: 300 }).map(a => Buffer.from(a));
const boms = fc.constantFrom([0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], [0xff, 0xfe, 0, 0], [0, 0, 0xfe, 0xff]);
const withBom = fc.tuple(boms, fc.uint8Array({ maxLength: 60 }))
  .map(([bom, rest]) => Buffer.from([...bom, ...rest]));

function parseable(format: string, out: string): boolean {
  if (format === 'json' || format === 'sarif') {
    JSON.parse(out);
    return true;
  }
  if (format === 'junit') return out.startsWith('<?xml') && out.includes('<testsuites') && out.trimEnd().endsWith('</testsuites>');
  return typeof out === 'string';
}

const seen = new Map<string, number>();
afterAll(() => { if (process.env.FUZZ_STATS) console.log([...seen.entries()]); });
describe.each(['text', 'json', 'sarif', 'junit'])('fuzz: check -f %s', format => {
  test('random bytes, BOMs and mutated manifests: exit 0/1/2, no crash, parseable output', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.oneof(mutated, bytes, withBom), fc.boolean(), async (input, asStdin) => {
      // stdin alone, or a fuzzed file next to a good one (the report must still come out, with the input error in it)
      const file = path.join(DIR, `f${n++}.yaml`);
      if (!asStdin) fs.writeFileSync(file, input);
      const r = asStdin ? await cli(['check', '-', '-f', format], input) : await cli(['check', file, GOOD, '-f', format]);
      if (!asStdin) expect(r.out.length).toBeGreaterThan(0);
      expect([0, 1, 2]).toContain(r.code);
      seen.set(`${format}:${r.code}:${r.out.length > 0}`, (seen.get(`${format}:${r.code}:${r.out.length > 0}`) ?? 0) + 1);
      if (r.out.length > 0) expect(parseable(format, r.out)).toBe(true);
      expect(r.err).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    }), { seed: 20261130, numRuns: 60 });
  }, 120_000);
});
