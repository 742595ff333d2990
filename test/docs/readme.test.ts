/**
 * Issue 28: the README is short, and what it shows is true. Its first program runs (against lib/, here; against the
 * packed package in scripts/consumer-test.sh) and writes the YAML it quotes; the mistake it shows throws exactly the
 * error it quotes; the fix constructs. Links of the README and of the guides written for it resolve.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as lib from '../../lib';
import { extract } from '../../scripts/doc-blocks';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

/** Fenced blocks of a language, in order. */
function fenced(text: string, lang: string): string[] {
  const out: string[] = [];
  let open: string[] | undefined;
  let openLang = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      if (open) { if (openLang === lang) out.push(open.join('\n')); open = undefined; } else { open = []; openLang = line.slice(3).trim().split(/\s+/)[0]; }
    } else open?.push(line);
  }
  return out;
}

/** Runs a TypeScript block with `cdk8s-hardened` resolved to lib/, its App writing into `outdir`. */
function runBlock(code: string, outdir: string): void {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the block's own require(): its module ids are only known at run time
  const req = (id: string) => (id === 'cdk8s-hardened' ? lib : require(id));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    new Function('require', 'exports', js)(req, {});
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = previous;
  }
}

describe('README', () => {
  test('is at most 300 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(300);
  });

  test('shows the two commands, and the three ways to install', () => {
    expect(README).toContain('npm ci && npm run synth');
    expect(README).toContain('npm ci && npm test');
    expect(README).toContain('`npm install cdk8s-hardened`');
    expect(README).toMatch(/npm pack.*npm install \.\.\/cdk8s-hardened\/cdk8s-hardened-\d+\.\d+\.\d+\.tgz/);
    expect(README).toContain('git clone https://github.com/cdk8s-hardened/cdk8s-hardened.git');
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;
    expect(README).toContain(`cdk8s-hardened-${version}.tgz`);
  });

  test('the first program writes the YAML the README quotes', () => {
    const program = extract(README).find(b => b.program)!;
    expect(program.code).toContain("from 'cdk8s-hardened'");
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    try {
      runBlock(program.code, outdir);
      const written = fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf-8');
      const [quoted] = fenced(README, 'yaml');
      expect(written).toContain(quoted);
      for (const kind of ['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']) {
        expect(written).toContain(`\nkind: ${kind}\n`);
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the blocked mistake throws exactly the error the README quotes, and the fix constructs', () => {
    const blocks = extract(README).filter(b => !b.program);
    const mistake = blocks.find(b => b.code.includes("image: 'nginx:1.27'"))!;
    const fix = blocks.find(b => b.code.includes("image: 'nginx@sha256:"))!;
    const [quoted] = fenced(README, 'text');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    try {
      let error: Error | undefined;
      try { runBlock(mistake.code, outdir); } catch (e) { error = e as Error; }
      expect(error).toBeDefined();
      expect(`${error!.name}: ${error!.message}`).toBe(quoted.trim());
      expect((error as any).ruleId).toBe('image-digest');
      expect(() => runBlock(fix.code, outdir)).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('links', () => {
  // README and the guides written with it (the other guides are moved sections their owners are rewriting).
  const FILES = ['README.md', 'docs/README.md', 'docs/guides/install.md', 'docs/guides/catalogue.md', 'docs/guides/workloads.md',
    'docs/guides/isolated-namespace.md', 'docs/guides/waivers-and-profiles.md', 'docs/guides/performance.md', 'docs/guides/contributing.md',
    'CONTRIBUTING.md', 'docs/contributing/adding-a-rule.md'];
  test.each(FILES)('%s: every relative link names an existing file', file => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf-8');
    const broken = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map(m => m[1])
      .filter(target => !/^[a-z]+:/.test(target))
      .filter(target => !fs.existsSync(path.join(ROOT, path.dirname(file), target)));
    expect(broken).toEqual([]);
  });

  test('the README links every guide of docs/guides/ through docs/README.md, which lists each one', () => {
    const index = fs.readFileSync(path.join(ROOT, 'docs', 'README.md'), 'utf-8');
    const guides = fs.readdirSync(path.join(ROOT, 'docs', 'guides')).filter(f => f.endsWith('.md'));
    expect(guides.filter(g => !index.includes(`(guides/${g})`))).toEqual([]);
    expect(README).toContain('(docs/README.md)');
  });
});
