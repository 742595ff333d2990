#!/usr/bin/env node
'use strict';
// `cdk8s-hardened` command, and the cdk8s.yaml validation plugin (class HardenedValidation).
//
// An installed package runs the compiled JavaScript in build/ only; it never needs (or loads) ts-node.
// Only a development checkout of the repository may run lib/ from source: that is a directory with
// tsconfig.dev.json and lib/cli/*.ts (both excluded from the published tarball) that is not inside a
// node_modules folder. There, build/ is used when it is newer than every lib/**/*.ts, else lib/ is
// transpiled with ts-node (so a fresh clone works without `npm run build`).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function isDevCheckout(name) {
  return (
    !root.split(path.sep).includes('node_modules') &&
    fs.existsSync(path.join(root, 'tsconfig.dev.json')) &&
    fs.existsSync(path.join(root, 'lib', 'cli', `${name}.ts`))
  );
}

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
  if (!isDevCheckout(name)) {
    // Installed package: compiled JavaScript only.
    if (!fs.existsSync(built)) {
      throw new Error(`cdk8s-hardened: ${built} is missing; the package is incomplete (reinstall it)`);
    }
    return require(built);
  }
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource(path.join(root, 'lib'))) {
    return require(built);
  }
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  return require(path.join(root, 'lib', 'cli', `${name}.ts`));
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
