// Shared by the package tests: the jsii build (build/ and the .jsii assembly), rebuilt when missing or older than
// lib/ or imports/ sources, package.json or the post-build script. .ci/run builds before `npm test`, so in CI this never rebuilds.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
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

function isFresh(): boolean {
  const stamp = path.join(ROOT, 'build', 'lib', 'index.js');
  const sources = Math.max(newest(path.join(ROOT, 'lib')), newest(path.join(ROOT, 'imports')), fs.statSync(path.join(ROOT, 'package.json')).mtimeMs,
    fs.statSync(path.join(ROOT, 'scripts', 'optional-peers.js')).mtimeMs, fs.statSync(path.join(ROOT, 'scripts', 'peer-types.js')).mtimeMs);
  // The last file `npm run build` writes (scripts/peer-types.js): a build still running is never taken for a fresh one.
  const last = path.join(ROOT, 'build', 'lib', 'peer-types', 'cdk8s-plus.d.ts');
  return [ASSEMBLY, stamp, last].every(f => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sources);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs `npm run build` unless .jsii and build/ are newer than every source file. Jest runs the package test files in
 * parallel workers: a lock directory makes one of them build while the others wait, then re-check.
 */
export function ensureBuilt(): void {
  const lock = path.join(os.tmpdir(), `cdk8s-hardened-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 10 * 60_000;
  while (!isFresh()) {
    try {
      fs.mkdirSync(lock);
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      // A build that crashed leaves the lock behind: take it over after 10 minutes.
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      sleep(1000);
      continue;
    }
    try {
      if (!isFresh()) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
