// Shared by the package tests: the jsii build (build/ and the .jsii assembly), rebuilt when missing or older than
// lib/ or imports/ sources, package.json or the post-build script. .ci/run builds before `npm test`, so in CI this never rebuilds.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const ASSEMBLY = path.join(ROOT, '.jsii');

function newest(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n = Math.max(n, newest(p));
    else if (e.name.endsWith('.ts')) n = Math.max(n, fs.statSync(p).mtimeMs);
  }
  return n;
}

/** Runs `npm run build` unless .jsii and build/ are newer than every source file. */
export function ensureBuilt(): void {
  const stamp = path.join(ROOT, 'build', 'lib', 'index.js');
  const sources = Math.max(newest(path.join(ROOT, 'lib')), newest(path.join(ROOT, 'imports')), fs.statSync(path.join(ROOT, 'package.json')).mtimeMs,
    fs.statSync(path.join(ROOT, 'scripts', 'optional-peers.js')).mtimeMs);
  const fresh = [ASSEMBLY, stamp].every(f => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sources);
  if (!fresh) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
}
