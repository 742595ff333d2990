/**
 * Any depth of nesting is one clean input error of its file, never an internal error, and the other files' findings
 * are still reported (issue #24: a JSON file nested ~7,000 levels printed "internal error: Maximum call stack size exceeded").
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_NESTING_DEPTH, nestedDeeperThan, parseSource } from '../../lib/cli/input';
import { run } from '../../lib/cli/main';

const N = 100_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deep-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const GOOD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: good, namespace: n}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    securityContext: {privileged: true}\n';
const DEEP: { [file: string]: string } = {
  'deep.json': `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":${'['.repeat(N)}${']'.repeat(N)}}}`,
  'deep-objects.json': `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"x":${'{"a":'.repeat(N)}1${'}'.repeat(N)}}`,
  'deep-flow.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\n`,
  'deep-flow-seq.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx: ${'['.repeat(N)}${']'.repeat(N)}\n`,
  'deep-block-seq.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx:\n  ${'- '.repeat(N)}1\n`,
  'deep-block-map.yaml': (() => {
    let s = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx:\n';
    for (let i = 0; i < 5000; i++) s += `${' '.repeat(i + 1)}a:\n`;
    return `${s}${' '.repeat(5001)}b: 1\n`;
  })(),
};
for (const [f, text] of Object.entries(DEEP)) fs.writeFileSync(path.join(dir, f), text);
fs.writeFileSync(path.join(dir, 'good.yaml'), GOOD);

async function check(args: string[]) {
  let out = '';
  let err = '';
  const code = await run(['check', ...args], { stdout: t => { out += t; }, stderr: t => { err += t; }, readStdin: async () => Buffer.alloc(0), cwd: dir });
  return { code, out, err };
}

test.each(Object.keys(DEEP))('%s (100,000 levels; block maps 5,000): one clean input error, and the good file beside it is still checked', async file => {
  const r = await check([file, 'good.yaml', '-f', 'json']);
  expect(r.code).toBe(2);
  expect(r.err).not.toMatch(/internal error|Maximum call stack|\n\s+at /);
  expect(r.err).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+: document 0: nested deeper than 1,000 levels of maps/lists: not read \\(kubectl refuses past 10,000`));
  expect(r.err.trim().split('\n')).toHaveLength(1);
  const report = JSON.parse(r.out);
  expect(report.findings.some((f: any) => f.ruleId === 'privileged-container' && f.object.name === 'good')).toBe(true);
  expect(report.inputErrors).toEqual([expect.objectContaining({ file, message: expect.stringMatching(/nested deeper than/) })]);
});

test('a directory holding a deep file: the good file\'s findings print (text)', async () => {
  const r = await check(['.']);
  expect(r.code).toBe(2);
  // Text output is grouped per file and object (file header, then line:column, severity, rule).
  expect(r.out).toMatch(/^good\.yaml$/m);
  expect(r.out).toMatch(/^\s+\d+:\d+\s+error\s+privileged-container\s/m);
  expect(r.err.trim().split('\n')).toHaveLength(Object.keys(DEEP).length);
});

test('the limit: 1,000 levels are refused, fewer are read', () => {
  const nested = (n: number) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"x":${'['.repeat(n)}${']'.repeat(n)}}`;
  expect(parseSource('ok.json', nested(MAX_NESTING_DEPTH - 2))).toHaveLength(1);
  expect(() => parseSource('deep.json', nested(MAX_NESTING_DEPTH))).toThrow(/deep\.json:1: document 0: nested deeper than 1,000 levels/);
  expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
  expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
});

test('report: the same clean error', async () => {
  let err = '';
  const code = await run(['report', 'deep.json'], { stdout: () => undefined, stderr: t => { err += t; }, readStdin: async () => Buffer.alloc(0), cwd: dir });
  expect(code).toBe(2);
  expect(err).toMatch(/deep\.json:1: document 0: nested deeper than 1,000 levels/);
});
