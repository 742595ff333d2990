#!/usr/bin/env node
'use strict';
// One measurement of `npm run bench:cli` (scripts/bench.ts), printed as JSON: the compiled library in build/, as an
// installed package runs it (no ts-node: its compiler would sit in the heap that every GC walks, and transpiling the
// modules a run loads lazily would be counted). `npm run bench:cli` builds first.
//   node scripts/bench-child.js floor|read|cliread|text|sarif|minimal|floor-warm|text-warm FILE_OR_DIR
// floor: js-yaml's parse; read: readKubeYaml; cliread: the reading `check` does (kubectl's reading, positions of keys,
// kind validation; input.ts parseSource); minimal: `check` with only the rules that cannot be switched off;
// floor-warm, text-warm: the third run in the same process (two untimed runs first warm V8's compiled code).
// To profile one: node --cpu-prof scripts/bench-child.js text DIR/realistic-20k.yaml
const fs = require('fs');
const path = require('path');

const build = path.join(__dirname, '..', 'build', 'lib');
const [mode, file] = process.argv.slice(2);
const MODES = ['floor', 'read', 'cliread', 'text', 'sarif', 'minimal', 'floor-warm', 'text-warm'];
if (!MODES.includes(mode) || !file) {
  process.stderr.write(`usage: node scripts/bench-child.js ${MODES.join('|')} FILE_OR_DIR\n`);
  process.exit(2);
}
// the modules a run needs are loaded before the clock starts, as in a CLI process that has started
const { run } = require(path.join(build, 'cli', 'main.js'));
const { readKubeYaml } = require(path.join(build, 'kube', 'kube-yaml.js'));
const { parseSource } = require(path.join(build, 'cli', 'input.js'));
const jsyaml = require('js-yaml');

/**
 * CPU of this process' main thread, in ms (Linux /proc; undefined elsewhere). The rest of process.cpuUsage() is V8's
 * worker threads: its optimizing compiler and the parallel/concurrent parts of the garbage collector.
 */
function mainThreadCpuMs() {
  try {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

async function main() {
  // A directory input: every file in it (the --large inputs, many files of 20k objects each).
  const files = fs.statSync(file).isDirectory() ? fs.readdirSync(file).sort().map(f => path.join(file, f)) : [file];
  const datas = files.map(f => fs.readFileSync(f));
  const io = { stdout: () => undefined, stderr: () => undefined, readStdin: async () => Buffer.alloc(0), cwd: path.dirname(file) };
  const floor = () => {
    let n = 0;
    for (const data of datas) jsyaml.loadAll(data.toString('utf8'), () => { n++; }, { schema: jsyaml.CORE_SCHEMA });
    return n;
  };
  // The warm modes: two untimed runs first.
  for (let i = 0; i < 2; i++) {
    if (mode === 'floor-warm') floor();
    if (mode === 'text-warm') await run(['check', file, '--format', 'text'], io);
  }
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const t = process.hrtime.bigint();
  let objects = 0;
  let exit;
  if (mode === 'floor' || mode === 'floor-warm') {
    objects = floor();
  } else if (mode === 'read') {
    for (const data of datas) objects += readKubeYaml(data.toString('utf8')).length;
  } else if (mode === 'cliread') {
    files.forEach((f, i) => { objects += parseSource(f, datas[i], { own: true }).length; });
  } else if (mode === 'minimal') {
    // waiver-expired is one of the rules that cannot be switched off; --include keeps those only.
    exit = await run(['check', file, '--format', 'text', '--include', 'waiver-expired'], io);
    objects = -1;
  } else {
    exit = await run(['check', file, '--format', mode === 'text-warm' ? 'text' : mode], io);
    objects = -1;
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const main1 = mainThreadCpuMs();
  const mainCpuMs = main0 === undefined || main1 === undefined ? undefined : main1 - main0;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, cpuMs, mainCpuMs, objects, rssMb, exit }) + '\n');
}

main().catch(e => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(3);
});
