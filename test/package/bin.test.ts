// bin/cdk8s-hardened.js chooses between compiled build/ and lib/ via ts-node. An installed package must always take
// build/ (ts-node is a dev dependency, absent from installs); only a development checkout may run lib/ from source.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BIN = path.join(__dirname, '..', '..', 'bin', 'cdk8s-hardened.js');

interface Layout {
  readonly devMarker: boolean;
  readonly buildAge: 'older' | 'newer' | 'missing';
  readonly underNodeModules?: boolean;
}

/** A package directory with bin/, a stub build/lib/cli/{main,plugin}.js and lib/cli/*.ts sources. */
const created: string[] = [];
afterAll(() => created.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function makePackage(layout: Layout): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-bin-'));
  created.push(base);
  const root = layout.underNodeModules ? path.join(base, 'node_modules', 'cdk8s-hardened') : path.join(base, 'pkg');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.copyFileSync(BIN, path.join(root, 'bin', 'cdk8s-hardened.js'));
  fs.mkdirSync(path.join(root, 'lib', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'lib', 'cli', 'main.ts'), 'export function main() { console.log("source"); }\n');
  fs.writeFileSync(path.join(root, 'lib', 'cli', 'plugin.ts'), 'export class HardenedValidation {}\n');
  if (layout.devMarker) fs.writeFileSync(path.join(root, 'tsconfig.dev.json'), '{}\n');
  if (layout.buildAge !== 'missing') {
    const dir = path.join(root, 'build', 'lib', 'cli');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.js'), 'exports.main = () => console.log("built");\n');
    fs.writeFileSync(path.join(dir, 'plugin.js'), 'exports.HardenedValidation = class BuiltValidation {};\n');
    // Installs give every file a fresh timestamp: the "older" build must still win outside a dev checkout.
    const when = layout.buildAge === 'older' ? new Date(Date.now() - 3600_000) : new Date(Date.now() + 3600_000);
    fs.utimesSync(path.join(dir, 'main.js'), when, when);
  }
  return root;
}

function run(root: string): { status: number | null; out: string } {
  // NODE_PATH cleared so that ts-node cannot be found from the temp directory (as in a production install).
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'cdk8s-hardened.js')], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: '' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('bin/cdk8s-hardened.js', () => {
  test('installed package (no tsconfig.dev.json) uses build/ even when lib/*.ts look newer', () => {
    const r = run(makePackage({ devMarker: false, buildAge: 'older' }));
    expect(r.out.trim()).toBe('built');
    expect(r.status).toBe(0);
  });

  test('a package under node_modules uses build/ even if it ships a tsconfig.dev.json', () => {
    const r = run(makePackage({ devMarker: true, buildAge: 'older', underNodeModules: true }));
    expect(r.out.trim()).toBe('built');
  });

  test('installed package without build/ fails with a clear message, never by looking for ts-node', () => {
    const r = run(makePackage({ devMarker: false, buildAge: 'missing' }));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('is missing; the package is incomplete');
    expect(r.out).not.toContain('ts-node');
  });

  test('development checkout: up-to-date build/ is used', () => {
    const r = run(makePackage({ devMarker: true, buildAge: 'newer' }));
    expect(r.out.trim()).toBe('built');
  });

  test('development checkout: stale build/ falls back to lib/ through ts-node', () => {
    // ts-node is not resolvable from the temp directory, so the attempt shows as a failed require of ts-node.
    const r = run(makePackage({ devMarker: true, buildAge: 'older' }));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("Cannot find module 'ts-node'");
  });

  test('required as a module (cdk8s-cli plugin loading) it exposes HardenedValidation from build/', () => {
    const root = makePackage({ devMarker: false, buildAge: 'older' });
    const out = execFileSync(
      process.execPath,
      ['-e', `console.log(require(${JSON.stringify(path.join(root, 'bin', 'cdk8s-hardened.js'))}).HardenedValidation.name)`],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('BuiltValidation');
  });
});
