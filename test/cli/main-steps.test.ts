/**
 * The steps of the CLI's `run` (issue 31, point 4), each on its own: building the program (its commands, in order, and
 * where a command's exit code goes) and turning what a run threw into an exit code and a message.
 */
import { CommanderError } from 'commander';
import { InputError } from '../../lib/cli/input';
import { buildProgram, CliIo, EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, exitCodeOf } from '../../lib/cli/main';
import { REPO, privilegedPod } from './helpers';

function recordingIo(stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: t => { out += t; },
    stderr: t => { err += t; },
    readStdin: async () => Buffer.from(stdin),
    cwd: REPO,
    out: () => out,
    err: () => err,
  };
}

describe('buildProgram', () => {
  test('the commands, in the order help lists them', () => {
    const program = buildProgram(recordingIo(), () => undefined);
    expect(program.commands.map(c => c.name())).toEqual(['check', 'report', 'rules', 'explain', 'config-schema', 'admission-policies']);
  });

  test('check hands its exit code to setExitCode (1 for a privileged pod, 0 for none)', async () => {
    const codes: number[] = [];
    const io = recordingIo(privilegedPod('p'));
    await buildProgram(io, c => { codes.push(c); }).parseAsync(['check', '--no-config', '-'], { from: 'user' });
    expect(codes).toEqual([EXIT_FINDINGS]);
    const clean: number[] = [];
    await buildProgram(recordingIo('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n'), c => { clean.push(c); })
      .parseAsync(['check', '--no-config', '-'], { from: 'user' });
    expect(clean).toEqual([EXIT_CLEAN]);
  });

  test('config-schema sets no exit code and writes to the io given', async () => {
    const io = recordingIo();
    const codes: number[] = [];
    await buildProgram(io, c => { codes.push(c); }).parseAsync(['config-schema'], { from: 'user' });
    expect(codes).toEqual([]);
    expect(JSON.parse(io.out()).$schema).toBeDefined();
  });
});

describe('exitCodeOf', () => {
  test('help and version are clean and print nothing more', () => {
    for (const code of ['commander.helpDisplayed', 'commander.version', 'commander.help']) {
      const io = recordingIo();
      expect(exitCodeOf(new CommanderError(0, code, ''), io)).toBe(EXIT_CLEAN);
      expect(io.err()).toBe('');
    }
  });

  test('a usage error is bad input, already printed by commander', () => {
    const io = recordingIo();
    expect(exitCodeOf(new CommanderError(1, 'commander.unknownOption', 'error: unknown option'), io)).toBe(EXIT_BAD_INPUT);
    expect(io.err()).toBe('');
  });

  test('bad input names the file and line', () => {
    const io = recordingIo();
    expect(exitCodeOf(new InputError('a.yaml', 3, 'not YAML'), io)).toBe(EXIT_BAD_INPUT);
    expect(io.err()).toBe('cdk8s-hardened: error: a.yaml:3: not YAML\n');
  });

  test('a file-system error names the path', () => {
    const io = recordingIo();
    const e = Object.assign(new Error('permission denied'), { code: 'EACCES', path: '/x/out.sarif' });
    expect(exitCodeOf(e, io)).toBe(EXIT_BAD_INPUT);
    expect(io.err()).toBe('cdk8s-hardened: error: /x/out.sarif: permission denied\n');
  });

  test('anything else is an internal error, with its message and no stack', () => {
    const io = recordingIo();
    expect(exitCodeOf(new TypeError('x is undefined'), io)).toBe(EXIT_BAD_INPUT);
    expect(io.err()).toBe('cdk8s-hardened: internal error: x is undefined\n');
    const thrown = recordingIo();
    expect(exitCodeOf('a string', thrown)).toBe(EXIT_BAD_INPUT);
    expect(thrown.err()).toBe('cdk8s-hardened: internal error: a string\n');
  });
});
