/**
 * Entry point of `npm run synth` (cdk8s synth): builds every example in this folder.
 * Each `*.example.ts` exports `build(k8s: cdk8s.App, aws: cdk.App)`; Kubernetes charts go to dist/,
 * AWS stacks to cdk.out/. Next to the manifests, each example gets its two HTML reports:
 * dist/<example>.check.html (`cdk8s-hardened check -f html`) and dist/<example>.threat-model.html (`report -f html`).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Chart, Yaml } from 'cdk8s';
import { run } from '../lib/cli/main';

const k8sApp = new App();
const awsApp = new cdk.App({ outdir: path.join(__dirname, '..', 'cdk.out') });

const chartsOf = new Map<string, Chart[]>();
const examples = fs.readdirSync(__dirname).filter(f => f.endsWith('.example.ts')).sort();
for (const file of examples) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, file));
  if (typeof mod.build !== 'function') throw new Error(`examples/${file} must export build(k8sApp, awsApp)`);
  const before = new Set(k8sApp.charts);
  mod.build(k8sApp, awsApp);
  chartsOf.set(file.replace(/\.example\.ts$/, ''), k8sApp.charts.filter(c => !before.has(c)));
}

k8sApp.synth();
awsApp.synth();

/** The HTML reports of one example, written by the CLI itself from the example's manifests. */
async function reports(name: string, charts: Chart[]): Promise<void> {
  const yaml = Yaml.stringify(...charts.flatMap(c => c.toJson()));
  const silent = { stdout: () => undefined, stderr: () => undefined, readStdin: async () => Buffer.from(yaml), cwd: k8sApp.outdir };
  if (yaml.trim() === '') return;
  await run(['check', '-f', 'html', '-o', `${name}.check.html`, '-'], silent);
  const code = await run(['report', '-f', 'html', '--title', `Threat model: the ${name} example`, '-o', `${name}.threat-model.html`, '-'], silent);
  if (code !== 0) throw new Error(`report -f html failed for the ${name} example (exit ${code})`);
}

void (async () => {
  for (const [name, charts] of chartsOf) await reports(name, charts);
})().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 1;
});
