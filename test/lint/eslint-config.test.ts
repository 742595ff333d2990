/**
 * Issue #31 (5): the lint rules that matter for correctness stay on where they matter. Reads the configuration eslint
 * computes for real files (`eslint --print-config`, no type program needed): the promise rules with type information
 * on the library and the CLI, the import order and line length everywhere, and no file set turning rules off wholesale.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const ERROR = 2;

function configOf(file: string): { rules: { [rule: string]: any }; languageOptions: any } {
  return JSON.parse(execFileSync(process.execPath, [ESLINT, '--print-config', file], { cwd: ROOT, encoding: 'utf8' }));
}
/** eslint --print-config writes severities as numbers: 0 off, 1 warn, 2 error. */
const severity = (entry: any): number => (Array.isArray(entry) ? entry[0] : entry);

const LIB = configOf('lib/policy/engine.ts');
const CLI = configOf('lib/cli/main.ts');
const TEST = configOf('test/cli/cli.test.ts');
const SCRIPT = configOf('scripts/bench.ts');

describe.each([['lib/policy/engine.ts', LIB], ['lib/cli/main.ts', CLI], ['test/cli/cli.test.ts', TEST], ['scripts/bench.ts', SCRIPT]])('%s', (_file, config) => {
  test.each(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises', '@typescript-eslint/await-thenable'])(
    '%s is an error, with type information', rule => {
      expect(severity(config.rules[rule])).toBe(ERROR);
      expect(config.languageOptions.parserOptions.project).toBe('./tsconfig.dev.json');
    });

  test('import order, no require(), max-len 160 and the formatting rules are errors', () => {
    expect(severity(config.rules['import-x/order'])).toBe(ERROR);
    expect(severity(config.rules['@typescript-eslint/no-require-imports'])).toBe(ERROR);
    expect(config.rules['@stylistic/max-len']).toEqual([ERROR, expect.objectContaining({ code: 160 })]);
    for (const rule of ['@stylistic/indent', '@stylistic/quotes', '@stylistic/semi', '@stylistic/comma-dangle', '@stylistic/no-trailing-spaces']) {
      expect([rule, severity(config.rules[rule])]).toEqual([rule, ERROR]);
    }
  });
});

test('tests and scripts turn off no more than the library does, except no-console (they print)', () => {
  const off = (config: { rules: { [rule: string]: any } }) =>
    Object.entries(config.rules).filter(([, v]) => severity(v) === 0).map(([k]) => k).sort();
  expect(off(TEST).filter(r => !off(LIB).includes(r))).toEqual(['no-console']);
  expect(off(SCRIPT)).toEqual(off(TEST));
});
