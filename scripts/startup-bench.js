#!/usr/bin/env node
'use strict';
// `npm run bench:startup`: wall-clock start-up of the compiled CLI (`cdk8s-hardened check` on one small manifest),
// as an installed package runs it (build/, no ts-node). Goal: under 0.5 s. Prints min / median / max of N runs and,
// for scale, the same for `node -e 0` on this machine (load from other processes inflates both).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const runs = Number(process.env.RUNS || 10);
const built = path.join(root, 'build', 'lib', 'cli', 'main.js');
if (!fs.existsSync(built)) {
  console.error('startup-bench: run `npm run build` first (the installed package runs build/)');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-startup-'));
const file = path.join(dir, 'small.yaml');
fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\ndata: {x: y}\n');

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return `min ${samples[0].toFixed(3)} s, median ${samples[Math.floor(runs / 2)].toFixed(3)} s, max ${samples[runs - 1].toFixed(3)} s`;
}

try {
  // The compiled entry point directly, as the installed bin does outside a development checkout.
  const cli = ['-e', `process.argv.splice(1, 0, 'cdk8s-hardened'); require(${JSON.stringify(built)}).main()`, 'check', file];
  console.log(`cdk8s-hardened check (1 object), ${runs} runs: ${time(cli)}`);
  console.log(`node -e 0 (baseline),            ${runs} runs: ${time(['-e', '0'])}`);
  console.log(`load average: ${os.loadavg().map(l => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
