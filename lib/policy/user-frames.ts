import * as path from 'path';

/** This library's compiled or source directory (lib/ or build/lib/): frames inside it are not the user's. */
const LIBRARY_DIR = path.resolve(__dirname, '..');

const FRAME = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * The first stack frame in the user's code: not this library, not node_modules, not Node's internals. `file:line:col`
 * relative to the working directory, or undefined when no such frame exists.
 */
export function userFrame(stack: string | undefined, cwd: string = process.cwd()): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    let file = m[1];
    if (file.startsWith('file://')) file = file.slice('file://'.length);
    if (file.startsWith('node:') || !path.isAbsolute(file)) continue;
    if (file.startsWith(LIBRARY_DIR + path.sep) || file.split(path.sep).includes('node_modules')) continue;
    const rel = path.relative(cwd, file);
    return `${rel && !rel.startsWith('..') ? rel : file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * Replace an error's stack trace with its message and, where known, the one line of the user's code that led to it
 * (`    at <where> (<file:line:col>)`): a security finding is not a crash, and frames inside this library tell the
 * user nothing. Node prints `stack` for an uncaught error.
 */
export function withoutLibraryFrames(e: Error, where: string): void {
  const frame = userFrame(e.stack);
  const stack = `${e.name}: ${e.message}${frame ? `\n    at ${where} (${frame})` : ''}`;
  Object.defineProperty(e, 'stack', { value: stack, configurable: true, writable: true, enumerable: false });
}
