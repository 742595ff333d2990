// What `npm pack` publishes: an allow-list (package.json `files`) of compiled JavaScript, declarations, the jsii
// assembly, bin/, README, LICENSE, CHANGELOG, plus the bundled runtime dependencies (jsii requires them bundled): commander, yaml, and js-yaml (the fast
// kubectl-compatible reader) with its own dependencies.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT } from './build';

interface PackResult {
  readonly files: ReadonlyArray<{ readonly path: string }>;
  readonly bundled: readonly string[];
}

let pack: PackResult;
let files: string[];

beforeAll(() => {
  ensureBuilt();
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  pack = JSON.parse(out)[0];
  files = pack.files.map(f => f.path);
}, 120_000);

const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^\.jsii$/,
  /^bin\/cdk8s-hardened\.js$/,
  /^build\/(lib|imports)\/[\w./-]+\.(js|d\.ts)$/,
  /^node_modules\/(commander|yaml|js-yaml|argparse|sprintf-js|esprima|@viz-js\/viz)\//,
];

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sourcesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.posix.join(dir, e.name)] : []);
}

describe('npm pack', () => {
  test('lists only allow-listed files', () => {
    expect(files.filter(f => !ALLOWED.some(re => re.test(f)))).toEqual([]);
  });

  test('holds no TypeScript source, tests, fixtures, scripts, schemas or examples', () => {
    const own = files.filter(f => !f.startsWith('node_modules/'));
    expect(own.filter(f => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
    expect(own.filter(f => /^(test|scripts|schemas|examples|imports|lib|docs|dist|\.ci)\//.test(f))).toEqual([]);
    expect(own.filter(f => /tsconfig|jest\.config|cdk8s\.yaml|\.tgz$|\.map$/.test(f))).toEqual([]);
  });

  test('holds the assembly, the command, the docs and the license', () => {
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.jsii', 'bin/cdk8s-hardened.js',
      'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cli/main.js', 'build/lib/cli/plugin.js',
    ]));
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });

  test('every lib/ and imports/ source ships as compiled .js and .d.ts', () => {
    const missing = [...sourcesUnder('lib'), ...sourcesUnder('imports')]
      .flatMap(src => ['.js', '.d.ts'].map(ext => `build/${src.replace(/\.ts$/, ext)}`))
      .filter(f => !files.includes(f));
    expect(missing).toEqual([]);
  });

  test('bundles exactly commander, js-yaml, yaml and @viz-js/viz (the HTML report\'s diagram renderer), declared under one key', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bundledDependencies).toBeUndefined();
    expect([...pkg.bundleDependencies].sort()).toEqual(['@viz-js/viz', 'commander', 'js-yaml', 'yaml']);
    expect([...pack.bundled].sort()).toEqual(['@viz-js/viz', 'argparse', 'commander', 'esprima', 'js-yaml', 'sprintf-js', 'yaml']);
    expect(files.some(f => f.startsWith('node_modules/commander/'))).toBe(true);
    expect(files.some(f => f.startsWith('node_modules/yaml/'))).toBe(true);
  });
});
