#!/usr/bin/env node
'use strict';
// The TypeScript blocks of README.md and docs/**/*.md, compiled (and, when marked, run) as a user would: in the spirit
// of jsii-rosetta. scripts/consumer-test.sh runs it in a fresh project that installed the packed package:
//
//   node scripts/doc-blocks.js write <repo> <outDir>        writes <outDir>/block-NN.ts + blocks.json + tsconfig.json
//   node scripts/doc-blocks.js map <outDir> < tsc-output    rewrites tsc's block-NN.ts(l,c) into FILE.md:LINE:COL
//   node scripts/doc-blocks.js run <outDir>                 runs the compiled blocks marked ```ts program
//   node scripts/doc-blocks.js check <repo> <outDir> <tsc>  all three (what consumer-test.sh runs)
//
// A block is ```ts or ```typescript. A block with an `import` statement must be standalone: it is compiled as it is.
// A block without one is a fragment: it is compiled inside docs/fixtures/default.ts-fixture at the line `/// here`
// (the fixture imports the public API and declares the `app`, `chart`, `stack`... that fragments refer to), as
// jsii-rosetta does with its fixtures. ```ts program blocks must be standalone; they are run with `node` in a scratch
// directory, and must exit 0. Every error names the Markdown file and line of the block.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

function markdownFiles(repo) {
  const out = [path.join(repo, 'README.md')];
  const walk = dir => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(path.join(repo, 'docs'));
  return out;
}

/** The ```ts blocks of a Markdown text: { line (1-based, first code line), info, code }. */
function extract(text) {
  const blocks = [];
  let open;
  text.split('\n').forEach((line, i) => {
    const fence = /^(\s*)(```+|~~~+)\s*([^`\s]*)\s*(.*)$/.exec(line);
    if (open) {
      if (fence && fence[2].startsWith(open.fence) && !fence[3]) { blocks.push(open); open = undefined; } else open.lines.push(line);
      return;
    }
    if (fence) open = { fence: fence[2], lang: fence[3].toLowerCase(), info: fence[4].trim(), line: i + 2, lines: [] };
  });
  return blocks.filter(b => b.lang === 'ts' || b.lang === 'typescript')
    .map(b => ({ line: b.line, program: /\bprogram\b/.test(b.info), code: b.lines.join('\n') }));
}

const standalone = code => /^\s*import\s/m.test(code);

/** Every name cdk8s-hardened exports: the types of its jsii assembly and what its entry point exports at run time. */
function exportedNames(repo) {
  const names = new Set(Object.values(JSON.parse(fs.readFileSync(path.join(repo, '.jsii'), 'utf8')).types || {})
    .filter(t => !t.namespace).map(t => t.name));
  for (const k of Object.keys(require(path.join(repo, 'build', 'lib', 'index.js')))) names.add(k);
  return names;
}

/** `names`: the exported names to import into fragments (default: those of the built package, see exportedNames). */
function write(repo, outDir, names) {
  const exported = names || exportedNames(repo);
  const fixture = fs.readFileSync(path.join(repo, 'docs', 'fixtures', 'default.ts-fixture'), 'utf8').split('\n');
  const here = fixture.findIndex(l => l.trim() === '/// here');
  if (here < 0) throw new Error('docs/fixtures/default.ts-fixture has no `/// here` line');
  fs.mkdirSync(outDir, { recursive: true });
  const map = [];
  for (const file of markdownFiles(repo)) {
    const rel = path.relative(repo, file);
    for (const b of extract(fs.readFileSync(file, 'utf8'))) {
      const name = `block-${String(map.length + 1).padStart(2, '0')}`;
      let text; let offset;
      if (standalone(b.code)) { text = `${b.code}\nexport {};\n`; offset = 0; } else {
        if (b.program) throw new Error(`${rel}:${b.line - 1}: a \`ts program\` block must be standalone (import what it uses)`);
        const used = [...exported].filter(n => new RegExp(`\\b${n}\\b`).test(b.code)).sort();
        const imports = used.length ? `import { ${used.join(', ')} } from 'cdk8s-hardened';` : '';
        text = [...fixture.slice(0, here), b.code, ...fixture.slice(here + 1)].map(l => (l.trim() === '/// imports' ? imports : l)).join('\n');
        offset = here;
      }
      fs.writeFileSync(path.join(outDir, `${name}.ts`), text);
      map.push({ name, file: rel, line: b.line, offset, program: b.program, lines: b.code.split('\n').length });
    }
  }
  fs.writeFileSync(path.join(outDir, 'blocks.json'), JSON.stringify(map, null, 2));
  return map;
}

/** tsc output with block-NN.ts(l,c) positions rewritten to FILE.md:LINE:COL (fixture lines named as such). */
function mapOutput(outDir, output) {
  const map = JSON.parse(fs.readFileSync(path.join(outDir, 'blocks.json'), 'utf8'));
  return output.replace(/(?:[^\s(]*[\\/])?(block-\d+)\.(?:ts|js)[(:](\d+)[,:](\d+)\)?/g, (all, name, l, c) => {
    const b = map.find(x => x.name === name);
    if (!b) return all;
    const inBlock = Number(l) - 1 - b.offset;
    if (inBlock < 0 || inBlock >= b.lines) return `${b.file}:${b.line - 1} (block; fixture line ${l}:${c})`;
    return `${b.file}:${b.line + inBlock}:${c}`;
  });
}

function run(outDir) {
  const map = JSON.parse(fs.readFileSync(path.join(outDir, 'blocks.json'), 'utf8'));
  let failed = 0;
  for (const b of map.filter(x => x.program)) {
    const cwd = fs.mkdtempSync(path.join(outDir, `${b.name}-run-`));
    const r = spawnSync(process.execPath, [path.join(outDir, 'js', `${b.name}.js`)], { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: path.join(cwd, 'dist') } });
    if (r.status !== 0) {
      failed++;
      console.error(`${b.file}:${b.line - 1}: the program block exited ${r.status}:\n${mapOutput(outDir, `${r.stdout}${r.stderr}`)}`);
    } else {
      console.log(`${b.file}:${b.line - 1}: program ran (exit 0)`);
    }
  }
  return failed;
}

/**
 * write + compile with `tsc` (no skipLibCheck) + run the programs. Errors in files of docs/fixtures/pending.json are
 * reported but do not fail; a pending file without errors fails (remove it from the list). Returns the exit code.
 */
function check(repo, outDir, tsc) {
  const map = write(repo, outDir);
  fs.writeFileSync(path.join(outDir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2020', module: 'commonjs', strict: true, types: ['node'], lib: ['es2022', 'esnext.disposable'], outDir: 'js' },
    include: ['*.ts'],
  }, null, 2));
  const r = spawnSync(tsc, ['-p', path.join(outDir, 'tsconfig.json')], { encoding: 'utf8' });
  const lines = mapOutput(outDir, `${r.stdout}${r.stderr}`).split('\n');
  const pending = JSON.parse(fs.readFileSync(path.join(repo, 'docs', 'fixtures', 'pending.json'), 'utf8'));
  // tsc writes continuation lines indented under their error: keep them with it.
  const errors = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    if (/^\s/.test(line) && errors.length) errors[errors.length - 1] += `\n${line}`; else errors.push(line);
  }
  const fileOf = e => (/^([^:(]+\.md):/.exec(e) || [])[1];
  const failing = errors.filter(e => !pending[fileOf(e)]);
  const parked = errors.filter(e => pending[fileOf(e)]);
  let code = 0;
  if (failing.length) {
    console.error(`doc-blocks: ${failing.length} compile errors in TypeScript blocks of the docs:\n${failing.join('\n')}`);
    code = 1;
  }
  for (const file of Object.keys(pending).filter(f => !f.startsWith('//'))) {
    if (!map.some(b => b.file === file)) continue;
    const n = parked.filter(e => fileOf(e) === file).length;
    if (n === 0) { console.error(`doc-blocks: ${file} compiles now: remove it from docs/fixtures/pending.json`); code = 1; } else {
      console.log(`doc-blocks: ${file}: ${n} compile errors left (pending, ${pending[file]}):\n${parked.filter(e => fileOf(e) === file).map(e => `  ${e}`).join('\n')}`);
    }
  }
  if (code === 0 && r.status !== 0 && !parked.length) { console.error(`doc-blocks: tsc failed:\n${r.stdout}${r.stderr}`); code = 1; }
  console.log(`doc-blocks: ${map.length} TypeScript blocks from ${new Set(map.map(b => b.file)).size} files compiled (${map.filter(b => b.offset === 0).length} standalone, ${map.length - map.filter(b => b.offset === 0).length} fragments in the fixture)`);
  if (run(outDir)) code = 1;
  return code;
}

module.exports = { extract, markdownFiles, write, mapOutput, check };

if (require.main === module) {
  const [cmd, a, b] = process.argv.slice(2);
  if (cmd === 'write') {
    const map = write(path.resolve(a), path.resolve(b));
    console.log(`${map.length} TypeScript blocks (${map.filter(x => x.offset === 0).length} standalone, ${map.filter(x => x.program).length} programs) from ${new Set(map.map(x => x.file)).size} files`);
  } else if (cmd === 'map') {
    process.stdout.write(mapOutput(path.resolve(a), fs.readFileSync(0, 'utf8')));
  } else if (cmd === 'check') {
    process.exit(check(path.resolve(a), path.resolve(b), process.argv[5]));
  } else if (cmd === 'run') {
    process.exit(run(path.resolve(a)) ? 1 : 0);
  } else {
    console.error('usage: doc-blocks.js write <repo> <outDir> | map <outDir> | run <outDir>');
    process.exit(2);
  }
}
