#!/usr/bin/env node
'use strict';
// Post-build step of `npm run build` (after jsii). Rewrites of the compiled build/lib, each on one line so that the
// inline source maps stay valid (the jsii assembly, the .d.ts files and the TypeScript sources are unchanged).
//
// cdk8s-plus: the code uses cdk8s-plus only for the L1 `k8s.Kube*` classes of stable v1 APIs and `IntOrString`; a
// project on cdk8s-plus-33 or -34 should not get a second cdk8s-plus. So `require("cdk8s-plus-28")` takes the first
// of cdk8s-plus-28 (the declared, optional peer; what jsii languages get), -34, -33 that is installed.
// test/package/cdk8s-plus.test.ts proves the manifests are identical with -28 and -33.
//
// aws-cdk-lib is an OPTIONAL peer dependency, so the compiled package must load without it for Kubernetes-only users:
//  1. every `const x = require("aws-cdk-lib...")` becomes a lazy proxy that requires the module on first use
//     (constructing an AWS construct, calling renderSecurityGroups), with an error naming the optional peer;
//  2. in the barrels (index.js), a module that still touches aws-cdk-lib while loading (e.g. module-level constants
//     built with CloudWatch filter patterns) is re-exported through lazy getters instead of `__exportStar(require())`.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const PEER = 'aws-cdk-lib';
const BUILD = path.join(__dirname, '..', 'build', 'lib');

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

// The helper is defined in each module so that `require` resolves from that module, as the original did.
const HELPER = 'const __lazyPeer = (id) => { let m; const load = () => { if (m === undefined) { try { m = require(id); } catch (e) { ' +
  'if (e && e.code === "MODULE_NOT_FOUND") { e.message = `cdk8s-hardened: this construct needs the optional peer dependency ' + PEER + ' ' +
  '(npm install ' + PEER + '): ${e.message}`; } throw e; } } return m; }; ' +
  'return new Proxy({}, { get: (_t, p) => load()[p], has: (_t, p) => p in load(), ownKeys: () => Reflect.ownKeys(load()), ' +
  'getOwnPropertyDescriptor: (_t, p) => { const d = Object.getOwnPropertyDescriptor(load(), p); return d && { ...d, configurable: true }; } }); };';

const REQUIRE_PEER = new RegExp(`^const (\\w+) = require\\("(${PEER}(?:/[\\w-]+)?)"\\);$`);

let lazyRequires = 0;
for (const file of jsFiles(BUILD)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let helped = lines.some(l => l.startsWith('const __lazyPeer = '));
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const m = REQUIRE_PEER.exec(lines[i]);
    if (!m) continue;
    lines[i] = `${helped ? '' : `${HELPER} `}const ${m[1]} = __lazyPeer("${m[2]}");`;
    helped = true;
    changed = true;
    lazyRequires++;
  }
  if (changed) fs.writeFileSync(file, lines.join('\n'));
}

const PLUS = ['cdk8s-plus-28', 'cdk8s-plus-34', 'cdk8s-plus-33'];
const PLUS_RESOLVER = `(() => { for (const id of ${JSON.stringify(PLUS)}) { try { return require(id); } catch (e) { ` +
  'if (!e || e.code !== "MODULE_NOT_FOUND" || !String(e.message).includes("\'" + id + "\'")) throw e; } } ' +
  'throw new Error("cdk8s-hardened needs cdk8s-plus: npm install cdk8s-plus-28 (cdk8s-plus-33 or cdk8s-plus-34 work too)"); })()';
const REQUIRE_PLUS = /^const (\w+) = require\("cdk8s-plus-28"\);$/;
let plusRequires = 0;
for (const file of jsFiles(BUILD)) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const m = REQUIRE_PLUS.exec(lines[i]);
    if (!m) continue;
    lines[i] = `const ${m[1]} = ${PLUS_RESOLVER};`;
    changed = true;
    plusRequires++;
  }
  if (changed) fs.writeFileSync(file, lines.join('\n'));
}

// Node code that makes aws-cdk-lib unresolvable, then requires argv[1] (exit 0 when it loads).
const BLOCK_AND_REQUIRE =
  'const M = require("module"); const r = M._resolveFilename;' +
  `M._resolveFilename = function (req, ...a) { if (req === "${PEER}" || req.startsWith("${PEER}/")) { const e = new Error("blocked " + req); e.code = "MODULE_NOT_FOUND"; throw e; } return r.call(this, req, ...a); };` +
  'require(process.argv[1]);';
const loadsWithoutPeer = file => {
  try {
    execFileSync(process.execPath, ['-e', BLOCK_AND_REQUIRE, file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

const EXPORT_STAR = /^__exportStar\(require\("(\.[\w./-]+)"\), exports\);$/;
const barrels = jsFiles(BUILD).filter(f => path.basename(f) === 'index.js')
  .sort((a, b) => b.split(path.sep).length - a.split(path.sep).length); // deepest first
let lazyExports = 0;
for (const barrel of barrels) {
  const lines = fs.readFileSync(barrel, 'utf8').split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const m = EXPORT_STAR.exec(lines[i]);
    if (!m) continue;
    const target = require.resolve(path.join(path.dirname(barrel), m[1]));
    if (loadsWithoutPeer(target)) continue;
    const names = Object.keys(require(target)).filter(k => k !== 'default' && k !== '__esModule');
    lines[i] = `for (const k of ${JSON.stringify(names)}) Object.defineProperty(exports, k, { enumerable: true, get: () => require("${m[1]}")[k] });`;
    changed = true;
    lazyExports++;
  }
  if (changed) fs.writeFileSync(barrel, lines.join('\n'));
}

const root = path.join(BUILD, 'index.js');
if (!loadsWithoutPeer(root)) {
  console.error(`optional-peers: build/lib/index.js still needs ${PEER} while loading`);
  process.exit(1);
}
if (process.env.OPTIONAL_PEERS_VERBOSE) console.log(`optional-peers: ${plusRequires} cdk8s-plus requires, ${lazyRequires} lazy aws-cdk-lib requires, ${lazyExports} lazy re-exports`);
