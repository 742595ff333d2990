import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { cli } from '../cli/helpers';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The YAML an example synthesizes (in memory), as a user would pipe it to the CLI. */
export function exampleYaml(name: string): string {
  const quiet = process.env.CDK8S_HARDENED_QUIET;
  process.env.CDK8S_HARDENED_QUIET = '1';
  try {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'html-')) });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(EXAMPLES, `${name}.example.ts`)).build(app, new cdk.App());
    return app.synthYaml();
  } finally {
    if (quiet === undefined) delete process.env.CDK8S_HARDENED_QUIET; else process.env.CDK8S_HARDENED_QUIET = quiet;
  }
}

/** Both HTML pages of an example, produced by the CLI (`check -f html`, `report -f html`). */
export async function examplePages(name: string, yaml = exampleYaml(name)): Promise<{ check: string; report: string; json: any }> {
  const check = await cli(['check', '-f', 'html', '-'], yaml);
  const report = await cli(['report', '-f', 'html', '--title', `Threat model: the ${name} example`, '-'], yaml);
  const json = JSON.parse((await cli(['report', '-f', 'json', '-'], yaml)).out);
  if (report.code !== 0) throw new Error(`report -f html exited ${report.code}: ${report.err}`);
  return { check: check.out, report: report.out, json };
}
