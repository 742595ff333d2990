/**
 * A failed write of standard output ends the CLI with an exit code and one line, never a stack trace: EPIPE (the
 * reader went away, `| head`) quietly with 141; any other error (ENOBUFS, EIO, ENOSPC) with 2 and the error named.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, fdWriter, onOutputError } from '../../lib/cli/io';
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

describe('fdWriter: every byte written before it returns', () => {
  afterEach(() => jest.restoreAllMocks());

  test('partial writes are continued and a full pipe (EAGAIN) is waited for', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fdwriter-')), 'out');
    const fd = fs.openSync(file, 'w');
    const real = fs.writeSync;
    let calls = 0;
    jest.spyOn(fs, 'writeSync').mockImplementation(((f: number, b: Buffer, off: number, len: number) => {
      calls++;
      if (calls === 2 || calls === 3) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      return real(f, b, off, Math.min(len, 3)); // at most 3 bytes a call: a partial write every time
    }) as any);
    const errors: unknown[] = [];
    const write = fdWriter(fd, e => errors.push(e));
    write('héllo, ');
    write('');
    write('wörld\n');
    jest.restoreAllMocks();
    fs.closeSync(fd);
    expect(fs.readFileSync(file, 'utf8')).toBe('héllo, wörld\n');
    expect(errors).toEqual([]);
    expect(calls).toBeGreaterThan(5);
  });

  test('another error is reported once, and later writes are dropped', () => {
    let calls = 0;
    jest.spyOn(fs, 'writeSync').mockImplementation((() => {
      calls++;
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    }) as any);
    const errors: NodeJS.ErrnoException[] = [];
    const write = fdWriter(99, e => errors.push(e));
    write('a');
    write('b');
    expect(errors.map(e => e.code)).toEqual(['EIO']);
    expect(calls).toBe(1);
  });
});

/**
 * Resolves once a process has (all but) stopped using CPU for a second: at most one clock tick, as a writer polling a full
 * pipe every 64 ms uses (Linux /proc; its start-up and check keep it busy until then).
 */
async function idle(pid: number): Promise<void> {
  const cpu = () => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
  let last = cpu();
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const now = cpu();
    if (now - last <= 1) return;
    last = now;
  }
}

describe('the real process', () => {
  test('the report leaves the process as it is produced: a reader that stops reading stops the check', async () => {
    // A pipe holds 64 KiB. Before, process.stdout buffered the whole report in memory while the check ran (a 45 MB
    // input's SARIF ran a 4 GB heap out) and the check finished regardless of the reader.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-out-'));
    const input = path.join(dir, 'pods.yaml');
    fs.writeFileSync(input, Array.from({ length: 1500 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: { name: p${i}, namespace: a }\nspec:\n  containers: [{ name: c, image: nginx }]\n`).join('---\n'));
    const bin = path.join(REPO, 'bin', 'cdk8s-hardened.js');
    const child = spawn(process.execPath, [bin, 'check', input, '-f', 'sarif', '--write-baseline', path.join(dir, 'baseline.json')], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', d => { stderr += d; });
    child.stdout.pause();
    const exited = new Promise<number>(resolve => child.on('close', code => resolve(code ?? -1)));
    // Unread, the pipe fills and the writer waits: the child goes idle before the check reaches its end (the baseline
    // line). Before, it ran to the end (writing that line) and only then waited for the reader.
    try {
      await idle(child.pid!);
      await new Promise(resolve => setTimeout(resolve, 300)); // anything it wrote to stderr has arrived
      expect(stderr).not.toContain('to the baseline');
    } catch (e) {
      child.kill(); // nobody will read it
      throw e;
    }
    const chunks: Buffer[] = [];
    child.stdout.on('data', d => chunks.push(d));
    child.stdout.resume();
    const code = await exited;
    const sarif = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(sarif.runs[0].results.length).toBeGreaterThan(1500);
    expect(stderr).toMatch(/wrote \d+ finding\(s\) to the baseline/);
    expect(code).toBe(0);
  }, 120_000);

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
