/**
 * The threat model of each example (examples/<name>.example.ts), as Markdown: docs/threat-model/<name>.md.
 * `npm run docs` writes them; test/threat/threat-model.test.ts keeps them in sync.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { THREAT_MODEL_JSON_SCHEMA } from '../lib/threat/report-schema';
import { ThreatModel } from '../lib/threat/threat-model';

export const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
export const THREAT_DOCS_DIR = path.join(__dirname, '..', 'docs', 'threat-model');
/** The published JSON Schema of the report, written from lib/threat/report-schema.ts. */
export const REPORT_SCHEMA_FILE = path.join(__dirname, '..', 'schemas', 'threat-model', 'report.schema.json');

/** The text of schemas/threat-model/report.schema.json. */
export function reportSchemaText(): string {
  return JSON.stringify(THREAT_MODEL_JSON_SCHEMA, null, 2) + '\n';
}

/** Example names (files examples/<name>.example.ts). */
export function exampleNames(): string[] {
  return fs.readdirSync(EXAMPLES_DIR).filter(f => f.endsWith('.example.ts')).map(f => f.replace(/\.example\.ts$/, '')).sort();
}

/** The threat model report of one example. */
export function exampleThreatModel(name: string): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'threat-')) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(EXAMPLES_DIR, `${name}.example.ts`)).build(app, new cdk.App());
  const quiet = process.env.CDK8S_HARDENED_QUIET;
  process.env.CDK8S_HARDENED_QUIET = '1';
  try {
    return ThreatModel.of(app, { title: `Threat model: the ${name} example` }).toMarkdown();
  } finally {
    if (quiet === undefined) delete process.env.CDK8S_HARDENED_QUIET; else process.env.CDK8S_HARDENED_QUIET = quiet;
  }
}

if (require.main === module) {
  fs.mkdirSync(THREAT_DOCS_DIR, { recursive: true });
  fs.writeFileSync(REPORT_SCHEMA_FILE, reportSchemaText());
  console.log('schemas/threat-model/report.schema.json');
  for (const name of exampleNames()) {
    fs.writeFileSync(path.join(THREAT_DOCS_DIR, `${name}.md`), exampleThreatModel(name));
    console.log(`docs/threat-model/${name}.md`);
  }
}
