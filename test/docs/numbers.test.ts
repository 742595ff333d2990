/**
 * Issue 28: numbers in the docs are generated or checked here, never only typed by hand. Each figure is read from the
 * Markdown and compared with its source: the catalogue, the peers list, the test that the sentence describes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Catalogue } from '../../lib';
import { markdownFiles } from '../../scripts/doc-blocks';
import { peerSections } from '../../scripts/peers-doc';

const ROOT = path.join(__dirname, '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf-8');
const num = (s: string) => Number(s.replace(/,/g, ''));

test('every "N rules" in README.md and docs/ is the size of the catalogue', () => {
  // docs/threat-model/ is generated per threat ("mitigated by 3 rules"), not about the catalogue
  const found = markdownFiles(ROOT).filter(f => !f.includes(`${path.sep}threat-model${path.sep}`)).flatMap(file => [...fs.readFileSync(file, 'utf-8').matchAll(/\b(\d[\d,]*) rules\b/g)]
    .map(m => `${path.relative(ROOT, file)}: ${m[1]}`));
  expect(found.length).toBeGreaterThanOrEqual(2);
  const n = Catalogue.all().length;
  expect(found.filter(f => num(f.split(': ')[1]) !== n)).toEqual([]);
});

test('the number of peer checks in catalogue.md is the number in docs/peers-source.md', () => {
  const m = /Each of the (\d[\d,]*) checks of kube-linter/.exec(read('docs/guides/catalogue.md'));
  expect(m).not.toBeNull();
  expect(num(m![1])).toBe(peerSections().flatMap(s => s.ids).length);
});

test('the writer test sizes in catalogue.md are those of the tests it names', () => {
  const doc = read('docs/guides/catalogue.md');
  const generated = /tested on (\d[\d,]*) generated documents/.exec(doc);
  const kubectl = /out of (\d[\d,]*) generated\s+ones/.exec(doc);
  expect(generated && kubectl).toBeTruthy();
  const runs = [...read('test/kube/kube-yaml-writer.test.ts').matchAll(/numRuns: (\d+), seed: 20261130/g)].map(m => Number(m[1]));
  expect(num(generated![1])).toBe(runs.reduce((a, b) => a + b, 0));
  const writer = read('test/cli/kubectl-differential.test.ts').split('fast writer: kubectl reads its bytes')[1];
  expect(Number(/for \(let i = 0; i < (\d+); i\+\+\)/.exec(writer)![1])).toBe(num(kubectl![1]));
});

test('the npm test figures in contributing.md are written by `npm run measure:test`', () => {
  // measure-test.js runs this suite to produce the figures: during that run the block may still be the placeholder
  if (process.env.CDK8S_HARDENED_MEASURING === '1') return;
  const doc = read('docs/guides/contributing.md');
  const block = doc.slice(doc.indexOf('<!-- measured:npm-test -->'), doc.indexOf('<!-- /measured:npm-test -->'));
  expect(block).toMatch(/Measured \d{4}-\d{2}-\d{2} by `npm run measure:test` \(exit code \d+\): \*\*\d+ min \d+ s\*\* wall time,\n\*\*\d+\.\d\d GB\*\* peak resident memory/);
});
