#!/usr/bin/env node
'use strict';
// `cdk8s-hardened` command, and the cdk8s.yaml validation plugin (class HardenedValidation).
// Loads compiled JS from build/ when it is present and up to date, else transpiles lib/ with ts-node
// (so it works from a fresh clone without `npm run build`).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function load(name) {
  const built = path.join(root, 'build', 'lib', 'cli', `${name}.js`);
  const source = path.join(root, 'lib', 'cli', `${name}.ts`);
  const haveSource = fs.existsSync(source);
  if (fs.existsSync(built) && (!haveSource || fs.statSync(built).mtimeMs >= newestSource(path.join(root, 'lib')))) {
    return require(built);
  }
  if (!haveSource) throw new Error(`cdk8s-hardened: neither ${built} nor ${source} exists`);
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  return require(source);
}

if (require.main === module) {
  load('main').main();
} else {
  module.exports = {
    get HardenedValidation() {
      return load('plugin').HardenedValidation;
    },
  };
}
