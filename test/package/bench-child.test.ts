// scripts/bench-child.js is one measurement of `npm run bench:cli`: every mode the bench prints a figure for must run
// what its name says on the compiled library (a figure of a mode that silently judged nothing, or judged everything,
// would be a false bound in the bench's "what bounds it" lines).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt, ROOT } from './build';

const CHILD = path.join(ROOT, 'scripts', 'bench-child.js');

interface Measure { ms: number; cpuMs: number; mainCpuMs?: number; objects: number; rssMb: number; exit?: number }

let dir: string;
let file: string;

beforeAll(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-bench-child-'));
  file = path.join(dir, 'in.yaml');
  // A privileged Pod (blocking under the catalogue, not under the rules that cannot be switched off) and a ConfigMap.
  fs.writeFileSync(file, [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n  - name: c\n    image: "r.example/c@sha256:' +
      `${'0'.repeat(64)}"\n    securityContext: {privileged: true}\n`,
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, namespace: a}\ndata: {k: v}\n',
  ].join('---\n'));
}, 600_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function measure(mode: string): Measure {
  const r = spawnSync(process.execPath, [CHILD, mode, file], { encoding: 'utf8', cwd: ROOT });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const m: Measure = JSON.parse(r.stdout.trim());
  expect(m.cpuMs).toBeGreaterThan(0);
  return m;
}

test.each(['floor', 'floor-warm', 'read', 'cliread'])('%s reads both objects', mode => {
  expect(measure(mode).objects).toBe(2);
});

test.each(['text', 'sarif', 'text-warm'])('%s runs the whole catalogue (the privileged Pod blocks)', mode => {
  expect(measure(mode).exit).toBe(1);
});

test('minimal runs only the rules that cannot be switched off (the privileged Pod passes)', () => {
  expect(measure('minimal').exit).toBe(0);
});

test('an unknown mode is refused', () => {
  const r = spawnSync(process.execPath, [CHILD, 'nonsense', file], { encoding: 'utf8', cwd: ROOT });
  expect(r.status).not.toBe(0);
});
