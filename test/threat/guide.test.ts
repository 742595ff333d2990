/**
 * docs/guides/threat-model.md stays true: its TypeScript block compiles against the public API (as `cdk8s-hardened`),
 * and its excerpt of the shop example's report is still in docs/threat-model/shop.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs', 'guides', 'threat-model.md'), 'utf-8');

test('every ```ts block of the guide compiles against the public API', () => {
  const blocks = [...GUIDE.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
  expect(blocks.length).toBeGreaterThan(0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));
  const files = blocks.map((b, i) => {
    const f = path.join(dir, `block${i}.ts`);
    fs.writeFileSync(f, b);
    return f;
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT, paths: { 'cdk8s-hardened': ['lib/index.ts'], '*': ['node_modules/*', 'node_modules/@types/*'] },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter(d => d.file && files.includes(path.resolve(d.file.fileName)))
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
});

test('the excerpt of the shop report is in docs/threat-model/shop.md', () => {
  const excerpt = /<!-- excerpt:shop -->\n```\n([\s\S]*?)```/.exec(GUIDE)![1].trim().split('\n');
  const report = fs.readFileSync(path.join(ROOT, 'docs', 'threat-model', 'shop.md'), 'utf-8').split('\n');
  expect(excerpt.length).toBeGreaterThan(1);
  for (const line of excerpt) expect(report).toContain(line);
});
