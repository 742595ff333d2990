/**
 * The published data model: every example's report validates against schemas/threat-model/report.schema.json, and
 * its Threat Dragon export against Threat Dragon's own v2 schema (vendored from OWASP/threat-dragon, see
 * schemas/threat-dragon/SOURCE.md), compiled the way Threat Dragon compiles it (Ajv 8, allowUnionTypes).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { THREAT_MODEL_JSON_SCHEMA, ThreatModel } from '../../lib';
import { exampleNames, REPORT_SCHEMA_FILE, reportSchemaText } from '../../scripts/threat-docs';
import { cli } from '../cli/helpers';

const ROOT = path.join(__dirname, '..', '..');
const reportSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'threat-model', 'report.schema.json'), 'utf-8'));
const dragonSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'threat-dragon', 'threat-dragon-v2.schema.json'), 'utf-8'));
const ajv = new Ajv({ allowUnionTypes: true, strict: false, allErrors: true });
const validateReport = ajv.compile(reportSchema);
const validateDragon = new Ajv({ allowUnionTypes: true }).compile(dragonSchema);

function exampleModel(name: string): ThreatModel {
  const app = new App();
  const quiet = process.env.CDK8S_HARDENED_QUIET;
  process.env.CDK8S_HARDENED_QUIET = '1';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(ROOT, 'examples', `${name}.example.ts`)).build(app, new cdk.App());
    return ThreatModel.of(app);
  } finally {
    if (quiet === undefined) delete process.env.CDK8S_HARDENED_QUIET; else process.env.CDK8S_HARDENED_QUIET = quiet;
  }
}

const models = new Map<string, ThreatModel>();
const model = (name: string) => {
  if (!models.has(name)) models.set(name, exampleModel(name));
  return models.get(name)!;
};

describe('report JSON Schema', () => {
  test('schemas/threat-model/report.schema.json is the published THREAT_MODEL_JSON_SCHEMA (run `npm run docs`)', () => {
    expect(fs.readFileSync(REPORT_SCHEMA_FILE, 'utf-8')).toBe(reportSchemaText());
    expect(reportSchema).toEqual(THREAT_MODEL_JSON_SCHEMA);
  });

  test.each(exampleNames())('the %s example\'s report validates, keeping assessments[].threatId/assetId/status', name => {
    const json = model(name).toJson();
    const ok = validateReport(json);
    expect(validateReport.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    for (const a of json.assessments) expect(typeof a.threatId === 'string' && typeof a.assetId === 'string' && typeof a.status === 'string').toBe(true);
  });

  test('the schema refuses what the model must never say: mitigated without evidence, an unknown status, a missing field', () => {
    const json = model('shop').toJson();
    const mitigated = json.assessments.findIndex((a: any) => a.status === 'mitigated');
    const bad1 = JSON.parse(JSON.stringify(json));
    bad1.assessments[mitigated].evidence = [];
    expect(validateReport(bad1)).toBe(false);
    const bad2 = JSON.parse(JSON.stringify(json));
    bad2.assessments[0].status = 'safe';
    expect(validateReport(bad2)).toBe(false);
    const bad3 = JSON.parse(JSON.stringify(json));
    delete bad3.assessments[0].assetId;
    expect(validateReport(bad3)).toBe(false);
    const bad4 = JSON.parse(JSON.stringify(json));
    bad4.extra = 1;
    expect(validateReport(bad4)).toBe(false);
  });
});

describe('OWASP Threat Dragon v2 export', () => {
  test.each(exampleNames())('the %s example\'s export validates against Threat Dragon\'s schema', name => {
    const td = model(name).toThreatDragon();
    const ok = validateDragon(td);
    expect(validateDragon.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('every assessment is a threat on its asset\'s cell, every flow connects two cells, boundaries are trust boundaries', () => {
    const m = model('shop');
    const td = m.toThreatDragon();
    const cells: any[] = td.detail.diagrams[0].cells;
    const threats = cells.flatMap(c => c.data?.threats ?? []);
    expect(threats.length).toBe(m.data.assessments.length);
    const ids = new Set(cells.map(c => c.id));
    for (const f of cells.filter(c => c.shape === 'flow')) {
      expect(ids.has(f.source.cell)).toBe(true);
      expect(ids.has(f.target.cell)).toBe(true);
    }
    expect(cells.filter(c => c.shape === 'trust-boundary-box').map(c => c.data.name)).toEqual(expect.arrayContaining(['Cluster', 'namespace shop']));
    const mitigated = threats.filter((t: any) => t.status === 'Mitigated').length;
    expect(mitigated).toBe(m.data.assessments.filter(a => a.status === 'mitigated').length);
    // Threat Dragon rejects what is not a model.
    expect(validateDragon({ version: '2.3.0', summary: {} })).toBe(false);
  });

  test('`cdk8s-hardened report -f threat-dragon` and `-f json` write documents that validate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-'));
    const file = path.join(dir, 'app.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'nginx' }] } },
    ] }));
    const td = await cli(['report', file, '-f', 'threat-dragon']);
    expect(validateDragon(JSON.parse(td.out))).toBe(true);
    const json = await cli(['report', file, '-f', 'json']);
    expect(validateReport(JSON.parse(json.out))).toBe(true);
  });
});
