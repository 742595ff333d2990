/**
 * The CLI's input and output: exit codes, the injectable io, and loading the operands (files, directories, stdin,
 * rendered kustomize). Shared by every command; main.ts re-exports it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tty from 'tty';
import { displayName } from './check';
import { TOOL_NAME } from './formatters';
import { expandOperands, InputError, LoadedObject, WalkNotes, appendAll, MAX_INPUT_BYTES, parseSource, readInputFile, STDIN_NAME, tooLarge } from './input';
import { helmMessage, renderedKind, renderKustomize } from './rendered';

/** Exit codes, independent of the output format. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

/** Where the CLI reads and writes; injectable so tests run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Read all of standard input (for the `-` operand). */
  readonly readStdin: () => Promise<Buffer>;
  readonly cwd: string;
  /**
   * Whether standard output is a terminal (colours are used only then, and never with NO_COLOR).
   * @default false
   */
  readonly isTTY?: boolean;
  /** Environment (NO_COLOR). @default process.env */
  readonly env?: { readonly [k: string]: string | undefined };
}

/** Exit status when the reader of standard output went away (`check ... | head`): 128 + SIGPIPE, as a shell tool. */
export const EXIT_BROKEN_PIPE = 141;

/**
 * A write to standard output or error failed. The reader went away (EPIPE, `| head`): end quietly with 141, as a shell
 * tool. Anything else (ENOBUFS from a pipe that cannot take more, EIO, ENOSPC on a redirect): one line naming the error
 * and exit 2 — never a stack trace, never a report cut short with exit 0 or 1.
 */
export function onOutputError(e: NodeJS.ErrnoException, exit: (code: number) => void, writeErr: (line: string) => void): void {
  if (e.code === 'EPIPE') {
    exit(EXIT_BROKEN_PIPE);
    return;
  }
  try {
    writeErr(`${TOOL_NAME}: error: writing the output failed (${e.code ?? e.message}); it is incomplete\n`);
  } catch {
    // standard error itself is gone: the exit code still tells
  }
  exit(EXIT_BAD_INPUT);
}

/**
 * A writer of one file descriptor that has written every byte when it returns. The CLI judges and reports
 * synchronously, object by object; process.stdout on Linux writes a pipe (a CI log, `| tee`) asynchronously, so nothing
 * drained while a check ran and the whole report waited in memory until the end: a 45 MB input's SARIF report ran a
 * 4 GB heap out. Here each chunk leaves the process before the next object is judged, and `check ... | head` ends as
 * soon as the reader goes. A full pipe (EAGAIN: libuv may have made the descriptor non-blocking) is waited for.
 * A failed write goes to `onError` once; later writes are dropped.
 */
export function fdWriter(fd: number, onError: (e: NodeJS.ErrnoException) => void): (text: string) => void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let failed = false;
  return text => {
    if (failed || text.length === 0) return;
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    let wait = 1;
    while (offset < bytes.length) {
      try {
        offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
        wait = 1;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          // The reader has not caught up: wait for it, 1 ms at first, up to 64 ms for one that has stopped reading.
          Atomics.wait(pause, 0, 0, wait);
          wait = Math.min(wait * 2, 64);
          continue;
        }
        failed = true;
        onError(e as NodeJS.ErrnoException);
        return;
      }
    }
  };
}

/** The process' own io: standard output and error written synchronously (fdWriter), failures per onOutputError. */
export function processIo(): CliIo {
  const stderrLine = (line: string) => {
    try {
      fs.writeSync(2, line);
    } catch {
      // standard error itself is gone: the exit code still tells
    }
  };
  const onError = (e: NodeJS.ErrnoException) => onOutputError(e, code => process.exit(code), stderrLine);
  return {
    stdout: fdWriter(1, onError),
    stderr: fdWriter(2, onError),
    readStdin: () => readStream(process.stdin),
    cwd: process.cwd(),
    // tty.isatty, not process.stdout.isTTY: creating process.stdout would make a pipe's descriptor non-blocking
    isTTY: tty.isatty(1),
    env: process.env,
  };
}

/** Read a stream fully, failing fast once it exceeds the input size limit. */
export function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > MAX_INPUT_BYTES) {
        reject(tooLarge(STDIN_NAME, size));
        (stream as any).destroy?.();
        return;
      }
      chunks.push(b);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Load every operand (files, directories, `-` for stdin) into objects. Throws InputError on bad input. */
export async function loadOperands(operands: string[], io: CliIo, options: { kubeVersion?: string } = {}): Promise<LoadedObject[]> {
  const inputs = expandOperands(operands, io.cwd);
  const objects: LoadedObject[] = [];
  let stdinRead = false;
  for (const input of inputs) {
    if (input === '-') {
      if (stdinRead) throw new InputError(STDIN_NAME, undefined, '`-` (stdin) given more than once');
      stdinRead = true;
      const data = await io.readStdin();
      appendAll(objects, parseSource(STDIN_NAME, data, { kubeVersion: options.kubeVersion }));
    } else {
      const name = displayName(input, io.cwd);
      appendAll(objects, parseSource(name, readInputFile(input, name), { kubeVersion: options.kubeVersion }));
    }
  }
  return objects;
}

/**
 * Load every operand, continuing past bad ones: one bad file never hides the findings of the others.
 * Each bad operand (missing, unreadable, refused) becomes an error entry.
 */
export async function loadOperandsTolerant(operands: string[], io: CliIo,
  options: { verbose?: boolean; kubeVersion?: string; ignored?: (file: string) => boolean; own?: boolean } = {},
): Promise<{ objects: LoadedObject[]; errors: InputError[] }> {
  // own: objects frozen and without prototypes where the block scanner reads them (ParseOptions.own), for check
  const parse = { kubeVersion: options.kubeVersion, own: options.own === true };
  const objects: LoadedObject[] = [];
  const errors: InputError[] = [];
  let stdinRead = false;
  for (const operand of operands) {
    let inputs: string[];
    const notes: WalkNotes = { skipped: [], leftTree: [], charts: [] };
    try {
      // A Helm chart or a kustomization is not manifests until rendered: say how (Helm), or render it (kustomize).
      const abs = operand === '-' ? undefined : path.resolve(io.cwd, operand);
      const rendered = abs && fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? renderedKind(abs) : undefined;
      if (rendered === 'helm') throw new InputError(operand, undefined, helmMessage(operand));
      if (rendered === 'kustomize') {
        const name = `${displayName(abs!, io.cwd)} (kubectl kustomize)`;
        const out = renderKustomize(abs!, operand);
        io.stderr(`${TOOL_NAME}: ${operand} is a kustomization: checking what \`kubectl kustomize ${operand}\` renders\n`);
        appendAll(objects, parseSource(name, out, parse));
        continue;
      }
      inputs = expandOperands([operand], io.cwd, notes);
      // A directory walk never leaves the tree it was given without saying so; what it passed over, with --verbose.
      for (const l of notes.leftTree) io.stderr(`${TOOL_NAME}: warning: ${l}: symbolic link leaves ${operand} (read)\n`);
      for (const c of notes.charts ?? []) {
        io.stderr(`${TOOL_NAME}: warning: ${c}: Helm chart not read (templates are not manifests); check it with: helm template my-release ${c} | ${TOOL_NAME} check -\n`);
      }
      if (options.verbose) for (const k of notes.skipped) io.stderr(`${TOOL_NAME}: skipped ${k}\n`);
      if (options.ignored) {
        const kept = inputs.filter(i => i === '-' || !options.ignored!(i));
        if (options.verbose) {
          for (const i of inputs) if (!kept.includes(i)) io.stderr(`${TOOL_NAME}: skipped ${displayName(i, io.cwd)}: ignorePaths\n`);
        } else if (kept.length < inputs.length) {
          // Never silent: what ignorePaths hides is counted on every run.
          io.stderr(`${TOOL_NAME}: ${inputs.length - kept.length} file(s) of ${operand} skipped by ignorePaths (--verbose lists them)\n`);
        }
        inputs = kept;
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
      continue;
    }
    for (const input of inputs) {
      try {
        if (input === '-') {
          if (stdinRead) throw new InputError(STDIN_NAME, undefined, '`-` (stdin) given more than once');
          stdinRead = true;
          appendAll(objects, parseSource(STDIN_NAME, await io.readStdin(), parse));
        } else {
          const name = displayName(input, io.cwd);
          appendAll(objects, parseSource(name, readInputFile(input, name), parse));
        }
      } catch (e) {
        if (e instanceof InputError) {
          errors.push(e);
          continue;
        }
        const err = e as NodeJS.ErrnoException;
        if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
          errors.push(new InputError(input === '-' ? STDIN_NAME : displayName(input, io.cwd), undefined, err.message));
          continue;
        }
        throw e;
      }
    }
  }
  return { objects, errors };
}
