import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO } from './helpers';

/** Run a user's app as `cdk8s synth` runs it: a node process; its stderr is what the user sees. */
function runApp(name: string) {
  const file = path.join('test', 'fixtures', 'cli', 'apps', name);
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', file], { cwd: REPO, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' } });
}

const LIBRARY_FRAME = /\n\s+at .*(lib|build)[/\\](policy|workload|cli)[/\\]/;

describe('a blocked synthesis and a HardeningError print no stack frames', () => {
  test('blocked synthesis: the findings with their fix, no frames of the library, the line of the user\'s code, exit code 1', () => {
    const r = runApp('blocked-app.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cdk8s-hardened: \d+ finding\(s\) block synthesis of /);
    expect(r.stderr).toMatch(/Pod agent \(construct shop\/agent\) \(shop\.k8s\.yaml doc 0\) at spec\.containers\[0\]\.securityContext\.privileged: privileged-container — .* Fix: /);
    expect(r.stderr).not.toMatch(LIBRARY_FRAME);
    // The one location line is the user's own call.
    const at = r.stderr.split('\n').filter(l => /^\s+at /.test(l));
    expect(at).toEqual([expect.stringMatching(/^\s+at synthesis \(test\/fixtures\/cli\/apps\/blocked-app\.ts:\d+:\d+\)$/)]);
  });

  test('HardeningError at construct time: message with path, field, value, rule and fix; the user\'s line; no library frames', () => {
    const r = runApp('construct-error-app.ts');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('HardeningError: [shop/profile] props.maxWaiverDays=-3 violates waiver-expired: must be a positive integer');
    expect(r.stderr).not.toMatch(LIBRARY_FRAME);
    const at = r.stderr.split('\n').filter(l => /^\s+at /.test(l));
    expect(at).toEqual([expect.stringMatching(/^\s+at shop\/profile \(test\/fixtures\/cli\/apps\/construct-error-app\.ts:7:1\)( \{)?$/)]); // ` {`: the error's own fields, printed by Node after the stack
  });
});
