/**
 * Entry point of `npm run synth` (cdk8s synth): builds every example in this folder.
 * Each `*.example.ts` exports `build(k8s: cdk8s.App, aws: cdk.App)`; Kubernetes charts go to dist/,
 * AWS stacks to cdk.out/.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';

const k8sApp = new App();
const awsApp = new cdk.App({ outdir: path.join(__dirname, '..', 'cdk.out') });

const examples = fs.readdirSync(__dirname).filter(f => f.endsWith('.example.ts')).sort();
for (const file of examples) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, file));
  if (typeof mod.build !== 'function') throw new Error(`examples/${file} must export build(k8sApp, awsApp)`);
  mod.build(k8sApp, awsApp);
}

k8sApp.synth();
awsApp.synth();
