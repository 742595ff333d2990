/**
 * Issue 28: the docs compile test (scripts/doc-blocks.js, run by scripts/consumer-test.sh against the packed package)
 * finds every TypeScript block, and its failure message names the Markdown file and line of the block.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lib from '../../lib';
import { extract, mapOutput, write } from '../../scripts/doc-blocks';

const ROOT = path.join(__dirname, '..', '..');

describe('extract', () => {
  test('finds ts and typescript blocks with the line of their first code line, and the program mark', () => {
    const md = ['# t', '', '```ts program', "import { App } from 'cdk8s';", '```', 'text', '```typescript', 'const a = 1;', '```',
      '```sh', 'npm test', '```', '````ts', '```', 'nested', '````'].join('\n');
    expect(extract(md)).toEqual([
      { line: 4, program: true, code: "import { App } from 'cdk8s';" },
      { line: 8, program: false, code: 'const a = 1;' },
      { line: 14, program: false, code: '```\nnested' },
    ]);
  });
});

describe('write and mapOutput', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-blocks-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  // the names lib/ exports at run time (the consumer test uses the built package's, types included)
  const map = write(ROOT, out, new Set(Object.keys(lib)));

  test('every ts block of README.md and docs/ is written, standalone blocks as they are, fragments into the fixture', () => {
    const files = new Set(map.map(b => b.file));
    expect(files).toContain('README.md');
    expect(files).toContain(path.join('docs', 'guides', 'workloads.md'));
    const readmeBlocks = extract(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8'));
    expect(map.filter(b => b.file === 'README.md').length).toBe(readmeBlocks.length);
    const fragment = map.find(b => b.offset > 0)!;
    const text = fs.readFileSync(path.join(out, `${fragment.name}.ts`), 'utf-8').split('\n');
    // the fragment's first line sits at the fixture's `/// here`, with the cdk8s-hardened names it uses imported
    const source = fs.readFileSync(path.join(ROOT, fragment.file), 'utf-8').split('\n');
    expect(text[fragment.offset]).toBe(source[fragment.line - 1]);
    expect(text.some(l => l.startsWith('import {') && l.endsWith("from 'cdk8s-hardened';"))).toBe(true);
  });

  test('every program block is standalone (it is run as it is)', () => {
    expect(map.filter(b => b.program && b.offset !== 0)).toEqual([]);
    expect(map.filter(b => b.program).length).toBeGreaterThanOrEqual(5);
  });

  test('a compile error is reported at FILE.md:LINE:COL of the Markdown, in fragments and standalone blocks', () => {
    const fragment = map.find(b => b.offset > 0)!;
    const standalone = map.find(b => b.offset === 0)!;
    const tscOutput = [
      `${fragment.name}.ts(${fragment.offset + 2},7): error TS2304: Cannot find name 'x'.`,
      `doc-blocks/${standalone.name}.ts(1,10): error TS2305: Module has no exported member 'y'.`,
      `${fragment.name}.ts(1,1): error TS1005: in the fixture.`,
    ].join('\n');
    expect(mapOutput(out, tscOutput).split('\n')).toEqual([
      `${fragment.file}:${fragment.line + 1}:7: error TS2304: Cannot find name 'x'.`,
      `${standalone.file}:${standalone.line}:10: error TS2305: Module has no exported member 'y'.`,
      `${fragment.file}:${fragment.line - 1} (block; fixture line 1:1): error TS1005: in the fixture.`,
    ]);
  });

  test('every file of docs/fixtures/pending.json names a guide with TypeScript blocks (the list only shrinks)', () => {
    const pending = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'fixtures', 'pending.json'), 'utf-8'));
    const files = Object.keys(pending).filter(k => !k.startsWith('//'));
    expect(files.filter(f => !map.some(b => b.file === f))).toEqual([]);
    expect(files).not.toContain('README.md');
    // guides written for issue 28 are never pending
    for (const own of ['install', 'catalogue', 'workloads', 'isolated-namespace', 'waivers-and-profiles']) {
      expect(files).not.toContain(`docs/guides/${own}.md`);
    }
  });
});
