/**
 * Byte-for-byte pins for refactors (issue 31, point 4): a construct's synthesized output and the error it throws for
 * every single bad prop and every pair of bad props are hashed (SHA-256) and compared with a golden file under
 * test/golden/. A pure refactor leaves the golden file unchanged: same output, same error messages, same order of
 * validation (a pair of bad props names whichever prop the construct checks first). A change of behaviour is accepted
 * explicitly by regenerating:  UPDATE_GOLDEN=1 npx jest <the pin test>
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** SHA-256 of a text, hex. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * What constructing with these props does: `ok`, or the error's class and message. aws-cdk-lib numbers its tokens
 * (`${Token[TOKEN.18]}`) with one counter for the whole process (a global shared by every test file in a jest worker):
 * the number is dropped, the token kept.
 */
export function outcome(build: () => unknown): string {
  try {
    build();
    return 'ok';
  } catch (e) {
    return `${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}`.replace(/\$\{Token\[(.*?)\.\d+\]\}/g, '${Token[$1]}');
  }
}

/**
 * The outcome of every single mutation and every pair of mutations (applied in list order), keyed by their
 * names, each as the first 16 hex digits of its SHA-256 (the golden file stays small; a changed case is named).
 */
export function mutationOutcomes<P>(mutations: ReadonlyArray<readonly [string, P]>, build: (mutations: P[]) => unknown): { [cases: string]: string } {
  const out: { [cases: string]: string } = {};
  const names = new Set<string>();
  for (const [name] of mutations) {
    if (names.has(name)) throw new Error(`mutation "${name}" listed twice`);
    names.add(name);
  }
  for (let i = 0; i < mutations.length; i++) {
    out[mutations[i][0]] = sha256(outcome(() => build([mutations[i][1]]))).slice(0, 16);
    for (let j = i + 1; j < mutations.length; j++) {
      out[`${mutations[i][0]} + ${mutations[j][0]}`] = sha256(outcome(() => build([mutations[i][1], mutations[j][1]]))).slice(0, 16);
    }
  }
  return out;
}

/** Compare `actual` with test/golden/<name>.json (or write it with UPDATE_GOLDEN=1). */
export function expectGolden(name: string, actual: unknown): void {
  const file = path.join(__dirname, '..', 'golden', `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
  expect(actual).toEqual(JSON.parse(fs.readFileSync(file, 'utf-8')));
}
