#!/usr/bin/env node
'use strict';
// Post-build step of `npm run build` (after jsii and scripts/optional-peers.js). Rewrites the compiled DECLARATIONS
// (build/lib/**/*.d.ts) so that they type-check, without `skipLibCheck`, in any project the runtime supports:
//
//  - a cdk8s-plus-33 or -34 project without cdk8s-plus-28 (the runtime already takes whichever of -28, -34, -33 is
//    installed: scripts/optional-peers.js);
//  - a project without aws-cdk-lib (an optional peer: only the AWS constructs need it).
//
// Design (docs/guides/install.md, "Types"): the public API and the jsii assembly are unchanged, so Python, Java, .NET
// and Go (which always depend on cdk8s-plus-28 and aws-cdk-lib: jsii has no optional dependencies) are unaffected.
// Only what TypeScript reads changes:
//
//  1. `import * as kplus from 'cdk8s-plus-28'` becomes an import of build/lib/peer-types/cdk8s-plus.d.ts, generated
//     here with one type per member the declarations use (`kplus.ISecret`, `kplus.EnvValue`, ...). Each is the type of
//     the FIRST cdk8s-plus the project has, in the runtime's order (-28, -34, -33): a cdk8s-plus-33 project checks
//     `secretMounts: [{ secret }]` against cdk8s-plus-33's own `ISecret`, so `secret: 'not-a-secret'` is still a type
//     error. A missing package is detected without an error: its import (under `@ts-ignore`) has the error type,
//     which is assignable to the brand below, while a real type is not. With no cdk8s-plus at all the type is `never`.
//  2. Each `import ... from 'aws-cdk-lib...'` gets a `// @ts-ignore` line: with aws-cdk-lib installed the AWS
//     constructs are fully typed; without it their AWS-typed members are unchecked (they cannot be used anyway: they
//     need an aws-cdk-lib Stack), and nothing else is affected.
//
// The step fails the build on a form it does not handle (named imports from cdk8s-plus-28, `kplus.a.b`), so a new use
// cannot silently escape. scripts/consumer-test.sh proves both projects type-check, and that wrong props are errors.
const fs = require('fs');
const path = require('path');

const BUILD = path.join(__dirname, '..', 'build', 'lib');
const SHIM_DIR = path.join(BUILD, 'peer-types');
const PLUS = ['cdk8s-plus-28', 'cdk8s-plus-34', 'cdk8s-plus-33'];
const AWS_IMPORT = /^import .* from ['"]aws-cdk-lib(\/[\w-]+)?['"];$/;
const PLUS_NS_IMPORT = /^import \* as (\w+) from ['"]cdk8s-plus-28['"];$/;
const IGNORE = '// @ts-ignore optional peer (scripts/peer-types.js)';

function dtsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? (p === SHIM_DIR ? [] : dtsFiles(p)) : e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Lines of declaration code (not inside comments), with their index. */
function codeLines(lines) {
  const out = [];
  let inComment = false;
  lines.forEach((line, i) => {
    let code = '';
    let s = line;
    while (s.length) {
      if (inComment) {
        const end = s.indexOf('*/');
        if (end < 0) { s = ''; break; }
        inComment = false; s = s.slice(end + 2);
      } else {
        const start = s.indexOf('/*');
        const lineComment = s.indexOf('//');
        if (lineComment >= 0 && (start < 0 || lineComment < start)) { code += s.slice(0, lineComment); s = ''; break; }
        if (start < 0) { code += s; s = ''; break; }
        code += s.slice(0, start); inComment = true; s = s.slice(start + 2);
      }
    }
    out.push({ i, code });
  });
  return out;
}

const members = new Set();
let awsImports = 0;
let plusImports = 0;
for (const file of dtsFiles(BUILD)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.some(l => l === IGNORE)) continue; // already rewritten (the step is idempotent)
  let changed = false;
  const out = [];
  const aliases = [];
  for (const { i, code } of codeLines(lines)) {
    const line = lines[i];
    if (AWS_IMPORT.test(line.trim())) { out.push(IGNORE, line); awsImports++; changed = true; continue; }
    const ns = PLUS_NS_IMPORT.exec(line.trim());
    if (ns) {
      const rel = path.relative(path.dirname(file), path.join(SHIM_DIR, 'cdk8s-plus')).split(path.sep).join('/');
      out.push(`import * as ${ns[1]} from '${rel.startsWith('.') ? rel : `./${rel}`}';`);
      aliases.push(ns[1]);
      plusImports++; changed = true;
      continue;
    }
    if (/from ['"]cdk8s-plus-28['"]|import\(['"]cdk8s-plus-28['"]\)/.test(code)) {
      throw new Error(`${file}:${i + 1}: scripts/peer-types.js handles only \`import * as x from 'cdk8s-plus-28'\` in declarations: ${line.trim()}`);
    }
    out.push(line);
  }
  for (const alias of aliases) {
    for (const { i, code } of codeLines(out)) {
      if (out[i].startsWith('import ')) continue;
      for (const m of code.matchAll(new RegExp(`\\b${alias}\\.(\\w+)(\\.\\w+)?`, 'g'))) {
        if (m[2]) throw new Error(`${file}:${i + 1}: scripts/peer-types.js cannot map the nested cdk8s-plus type ${m[0]}; use a top-level member`);
        members.add(m[1]);
      }
    }
  }
  if (changed) fs.writeFileSync(file, out.join('\n'));
}

fs.mkdirSync(SHIM_DIR, { recursive: true });
const shim = [
  '// Generated by scripts/peer-types.js: each cdk8s-plus type the declarations use, taken from the first cdk8s-plus',
  `// the project has (${PLUS.join(', ')}; the order the runtime uses). A missing package is detected without an`,
  '// error: its import has the error type, which is assignable to the brand; a real type is not.',
  ...PLUS.map((id, n) => `// @ts-ignore optional peer\nimport type * as p${n} from '${id}';`),
  'declare const absent: unique symbol;',
  'type Or<T, F> = [T] extends [{ readonly [absent]: true }] ? F : T;',
  ...[...members].sort().map(m => `export type ${m} = ${PLUS.reduceRight((acc, _id, n) => `Or<p${n}.${m}, ${acc}>`, 'never')};`),
  'export {};',
  '',
].join('\n');
if (fs.existsSync(path.join(SHIM_DIR, 'cdk8s-plus.d.ts')) && plusImports === 0 && awsImports === 0) {
  console.log('peer-types: declarations already rewritten');
} else {
  fs.writeFileSync(path.join(SHIM_DIR, 'cdk8s-plus.d.ts'), shim);
  console.log(`peer-types: ${awsImports} aws-cdk-lib imports marked optional, ${plusImports} cdk8s-plus imports mapped (${[...members].sort().join(', ')})`);
}
