#!/usr/bin/env node
'use strict';
// `npm run measure:test`: runs `npm test` (typecheck + the whole jest suite), samples the resident memory of its whole
// process tree (jest workers and the tools the tests start) every 250 ms from /proc, and writes wall time, peak memory
// and jest's summary into docs/guides/contributing.md between the `measured:npm-test` markers. So the figures there
// are generated, never typed by hand. It also lists output lines that look like noise (console.log blocks of tests,
// warnings of other tools), which `npm test` should not print. Linux only (/proc).
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const GUIDE = path.join(ROOT, 'docs', 'guides', 'contributing.md');
const START = '<!-- measured:npm-test -->';
const END = '<!-- /measured:npm-test -->';

function children() {
  const byParent = new Map();
  for (const pid of fs.readdirSync('/proc').filter(d => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(pid));
    } catch { /* exited */ }
  }
  return byParent;
}

function treeRssKb(root) {
  const byParent = children();
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch { /* exited */ }
    stack.push(...(byParent.get(pid) || []));
  }
  return total;
}

const started = Date.now();
const child = spawn('npm', ['test'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CDK8S_HARDENED_MEASURING: '1' } });
let output = '';
child.stdout.on('data', d => { output += d; process.stdout.write(d); });
child.stderr.on('data', d => { output += d; process.stderr.write(d); });
let peakKb = 0;
const timer = setInterval(() => { peakKb = Math.max(peakKb, treeRssKb(child.pid)); }, 250);
child.on('close', code => {
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  const summary = ['Test Suites:', 'Tests:'].map(k => (output.split('\n').find(l => l.startsWith(k)) || `${k} (none)`).trim().replace(/\s+/g, ' '));
  const noise = output.split('\n').filter(l => /console\.(log|warn|error)|Unknown option|DeprecationWarning|ExperimentalWarning/.test(l));
  const cpus = os.cpus();
  const line = [
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run measure:test\` (exit code ${code}): **${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s** wall time,`,
    `**${(peakKb / 1024 / 1024).toFixed(2)} GB** peak resident memory of the whole process tree (jest workers included),`,
    `on ${cpus.length} cores (${cpus[0] ? cpus[0].model.trim() : 'unknown CPU'}), Node ${process.version}, load average`,
    `${os.loadavg()[0].toFixed(1)} at the end. Jest: ${summary.join(' ')}. Output lines that look like noise: ${noise.length}.`,
  ].join('\n');
  const text = fs.readFileSync(GUIDE, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) { console.error(`measure-test: ${GUIDE} has no ${START} ... ${END} block`); process.exit(2); }
  fs.writeFileSync(GUIDE, `${text.slice(0, a + START.length)}\n${line}\n${text.slice(b)}`);
  console.log(`\nmeasure-test: ${line.replace(/\n/g, ' ')}`);
  if (noise.length) console.log(`measure-test: noise:\n${noise.join('\n')}`);
  process.exit(code === null ? 1 : code);
});
