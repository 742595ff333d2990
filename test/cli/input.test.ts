import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appendAll, expandOperands, parseSource } from '../../lib/cli/input';
import { cli } from './helpers';

describe('input: large valid inputs', () => {
  test('appendAll appends 300,000 items (push(...items) overflows the call stack at ~120,000)', () => {
    const items = Array.from({ length: 300_000 }, (_, i) => i);
    expect(() => [].push(...(items as never[]))).toThrow(RangeError);
    const target = [-1];
    appendAll(target, items);
    expect(target.length).toBe(300_001);
    expect(target[300_000]).toBe(299_999);
  });

  test('parseSource returns every document of a multi-document file, in order', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`;
    const objects = parseSource('many.yaml', Array.from({ length: 2_000 }, (_, i) => doc(i)).join('---\n'));
    expect(objects.length).toBe(2_000);
    expect(objects[1_999].object.metadata.name).toBe('c1999');
  });
});

describe('input: directory scans', () => {
  test('skip the construct-metadata.json cdk8s synth writes next to the manifests', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    fs.writeFileSync(path.join(dir, 'construct-metadata.json'), '{"version":"1"}');
    expect(expandOperands([dir], process.cwd())).toEqual([path.join(dir, 'app.k8s.yaml')]);
    expect(expandOperands([path.join(dir, 'construct-metadata.json')], process.cwd())).toEqual([path.join(dir, 'construct-metadata.json')]);
  });
});

describe('input: symlinks in directory scans', () => {
  test('are followed to files and directories, and a loop is read once', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-links-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-target-'));
    fs.writeFileSync(path.join(outside, 'real.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    fs.mkdirSync(path.join(outside, 'sub'));
    fs.writeFileSync(path.join(outside, 'sub', 'deep.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n');
    fs.symlinkSync(path.join(outside, 'real.yaml'), path.join(root, 'linked.yaml'));
    fs.symlinkSync(path.join(outside, 'sub'), path.join(root, 'linkdir'));
    fs.symlinkSync(root, path.join(outside, 'sub', 'loop')); // root -> linkdir -> loop -> root
    fs.symlinkSync(path.join(outside, 'missing.yaml'), path.join(root, 'dangling.yaml'));
    const found = expandOperands([root], process.cwd()).map(f => path.relative(root, f)).sort();
    expect(found).toEqual([path.join('linkdir', 'deep.yaml'), 'linked.yaml']);
  });
});

describe('input: a directory walk says what it skipped and when it leaves the tree', () => {
  test('notes: links leaving the tree, loops, dangling links, hidden, node_modules and non-manifest files', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-notes-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-outside-'));
    fs.writeFileSync(path.join(outside, 'real.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    fs.writeFileSync(path.join(root, 'inside.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n');
    fs.symlinkSync(path.join(outside, 'real.yaml'), path.join(root, 'linked.yaml'));
    fs.symlinkSync(path.join(root, 'inside.yaml'), path.join(root, 'same.yaml')); // stays in the tree
    fs.symlinkSync(root, path.join(root, 'loop'));
    fs.symlinkSync(path.join(outside, 'missing.yaml'), path.join(root, 'dangling.yaml'));
    fs.mkdirSync(path.join(root, '.git'));
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'hello');
    const notes = { skipped: [] as string[], leftTree: [] as string[] };
    const found = expandOperands([root], root, notes).map(f => path.relative(root, f)).sort();
    expect(found).toEqual(['inside.yaml', 'linked.yaml', 'same.yaml']);
    expect(notes.leftTree).toEqual([`linked.yaml -> ${fs.realpathSync(path.join(outside, 'real.yaml'))}`]);
    expect(notes.skipped.sort()).toEqual([
      '.git: hidden, not searched', 'dangling.yaml: dangling symbolic link',
      'loop: directory already read (symbolic link loop or a second link to it)', 'node_modules: node_modules, not searched', 'notes.txt: not .yaml/.yml/.json',
    ]);
  });

  test('check warns on a link leaving the tree and lists skipped files with --verbose', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-cli-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-cli-out-'));
    fs.writeFileSync(path.join(outside, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: x }\ndata: { a: b }\n');
    fs.symlinkSync(path.join(outside, 'cm.yaml'), path.join(root, 'cm.yaml'));
    fs.writeFileSync(path.join(root, 'README.md'), '# not a manifest');
    const quiet = await cli(['check', root]);
    expect(quiet.err).toContain('symbolic link leaves');
    expect(quiet.err).not.toContain('skipped');
    const verbose = await cli(['check', root, '--verbose']);
    expect(verbose.err).toContain(`skipped ${path.join(root, 'README.md')}: not .yaml/.yml/.json`);
  });
});
