/**
 * A failed write of standard output ends the CLI with an exit code and one line, never a stack trace: EPIPE (the
 * reader went away, `| head`) quietly with 141; any other error (ENOBUFS, EIO, ENOSPC) with 2 and the error named.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, onOutputError } from '../../lib/cli/io';
import { REPO } from './helpers';

const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`write ${code}`), { code });

describe('onOutputError', () => {
  test.each(['ENOBUFS', 'EIO', 'ENOSPC'])('%s: one line naming the error, exit 2', code => {
    const exits: number[] = [];
    const lines: string[] = [];
    onOutputError(err(code), c => exits.push(c), l => lines.push(l));
    expect(exits).toEqual([EXIT_BAD_INPUT]);
    expect(lines).toEqual([`cdk8s-hardened: error: writing the output failed (${code}); it is incomplete\n`]);
  });

  test('EPIPE: quietly, exit 141', () => {
    const exits: number[] = [];
    const lines: string[] = [];
    onOutputError(err('EPIPE'), c => exits.push(c), l => lines.push(l));
    expect(exits).toEqual([EXIT_BROKEN_PIPE]);
    expect(lines).toEqual([]);
  });

  test('standard error gone too: the exit code still tells', () => {
    const exits: number[] = [];
    onOutputError(err('EIO'), c => exits.push(c), () => { throw err('EPIPE'); });
    expect(exits).toEqual([EXIT_BAD_INPUT]);
  });
});

describe('the real process', () => {
  test('`check ... | head -c 100`: exit 141, no stack trace', () => {
    const pods = Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: { name: p${i}, namespace: a }\nspec:\n  containers: [{ name: c, image: nginx }]\n`).join('---\n');
    const bin = path.join(REPO, 'bin', 'cdk8s-hardened.js');
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(bin)} check - | head -c 100 >/dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`], {
      input: pods, encoding: 'utf8', cwd: REPO, maxBuffer: 1 << 26,
    });
    expect(r.stderr).toContain(`rc=${EXIT_BROKEN_PIPE}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
