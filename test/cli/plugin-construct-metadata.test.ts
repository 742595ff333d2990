/**
 * End to end with the real cdk8s-cli ValidationContext / ValidationReport: the objects of one hardened workload share
 * metadata.name, yet a finding on one of them is reported at that object's construct (the guard's unique
 * construct-metadata keys, lib/policy/construct-metadata.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { HardenedChart, HardenedDeployment } from '../../lib';
import { HardenedValidation } from '../../lib/cli/plugin';
import { constructMetadataKey } from '../../lib/policy/construct-metadata';
import { IMAGE, RESOURCES } from '../workload/helpers';

// cdk8s-cli's own validation module (a dev dependency; its package "exports" do not list lib/plugins/validation, which
// holds ValidationReport and ValidationPlugin.loadConstructMetadata, so it is loaded by file).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require(path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'lib', 'plugins', 'validation.js'));

beforeAll(() => { jest.spyOn(console, 'log').mockImplementation(() => undefined); });
afterAll(() => { jest.restoreAllMocks(); });

function synthApp(recordConstructMetadata: boolean, namespace?: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-metadata-'));
  const app = new App({ outdir, recordConstructMetadata });
  const chart = new HardenedChart(app, 'shop', namespace ? { namespace } : {});
  const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, resources: RESOURCES });
  app.synth();
  const manifests = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
  return { outdir, app, chart, api, manifests, metadataFile: path.join(outdir, 'construct-metadata.json') };
}

/** What `cdk8s synth` does with a `validations:` entry: load the metadata file, build the context, run the plugin. */
async function runPlugin(manifests: string[], metadataFile: string | undefined, props = {}) {
  const metadata = metadataFile ? cli.ValidationPlugin.loadConstructMetadata(metadataFile) : {};
  const context = new cli.ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', metadata, false);
  await new HardenedValidation({ removeBlockedManifests: false, ...props }).validate(context);
  return { context, json: context.report.toJson() as { summary: any; violations: any[] }, text: String(context.report.toString()) };
}

describe('construct-metadata.json: unique keys per object', () => {
  const { app, outdir, metadataFile } = synthApp(true, 'shop');
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const contents = JSON.parse(fs.readFileSync(metadataFile, 'utf8'));

  test('keeps cdk8s\'s own version and name keys, and adds <apiVersion>/<kind>/<namespace>/<name> per object', () => {
    expect(contents.version).toBe('1.0.0');
    // cdk8s's own key: every object is named "api", the last written wins.
    expect(contents.resources.api).toBeDefined();
    const objects = app.charts.flatMap(c => c.toJson());
    expect(objects.map(o => o.metadata.name)).toEqual(objects.map(() => 'api'));
    const byPath = new Map<string, string>();
    for (const c of app.charts) {
      for (const o of c.node.findAll()) if ((o as any).toJson && (o as any).apiVersion) byPath.set(constructMetadataKey((o as any).toJson())!, o.node.path);
    }
    expect(byPath.size).toBe(objects.length);
    for (const [key, p] of byPath) expect(contents.resources[key]).toEqual({ path: p });
    expect(contents.resources['apps/v1/Deployment/shop/api']).toEqual({ path: 'shop/api/Deployment' });
    expect(contents.resources['v1/Service/shop/api']).toEqual({ path: 'shop/api/Service' });
  });

  test('the key format: `_` stands for no namespace; missing fields give no key', () => {
    expect(constructMetadataKey({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } })).toBe('v1/Namespace/_/team-a');
    expect(constructMetadataKey({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } })).toBe('apps/v1/Deployment/shop/web');
    expect(constructMetadataKey({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'x-' } })).toBeUndefined();
    expect(constructMetadataKey(null)).toBeUndefined();
  });

  test('an App without a guard is untouched: cdk8s\'s name keys only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-metadata-'));
    try {
      const plain = new App({ outdir: dir, recordConstructMetadata: true });
      new ApiObject(new Chart(plain, 'raw'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
      plain.synth();
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8'))).toEqual({ version: '1.0.0', resources: { cm: { path: 'raw/cm' } } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an App that does not record construct metadata gets no file', () => {
    const plain = synthApp(false);
    expect(fs.existsSync(plain.metadataFile)).toBe(false);
    fs.rmSync(plain.outdir, { recursive: true, force: true });
  });
});

describe('cdk8s-cli ValidationReport names the violating object\'s construct', () => {
  // The plugin is stricter than the guard here (another registry allow-list): only the Deployment violates
  // (image-registry-allowed judges pod templates); its Service, ServiceAccount, NetworkPolicy and PDB, all named "api", do not.
  const strict = { allowedRegistries: ['other.example.com'] };

  test.each([['shop'], [undefined]])('namespace %s', async namespace => {
    const { outdir, manifests, metadataFile } = synthApp(true, namespace);
    try {
      // cdk8s's own name key points at another object of the workload: the report would name the wrong construct.
      const nameOnly = JSON.parse(fs.readFileSync(metadataFile, 'utf8')).resources.api.path;
      expect(nameOnly).not.toBe('shop/api/Deployment');

      const { json, text } = await runPlugin(manifests, metadataFile, strict);
      expect(json.summary.status).toBe('failure');
      const v = json.violations.find((x: any) => x.ruleName.startsWith('image-registry-allowed:'))!;
      expect(v).toBeDefined();
      expect(v.violatingConstructs).toHaveLength(1);
      expect(v.violatingConstructs[0].constructPath).toBe('shop/api/Deployment');
      expect(v.violatingConstructs[0].resourceName).toBe(`apps/v1/Deployment/${namespace ?? '_'}/api`);
      expect(text).toContain('Construct Path: shop/api/Deployment');
      expect(text).not.toContain(`Construct Path: ${nameOnly}`);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('without the unique keys (metadata of a plain cdk8s App, or none) the plugin falls back to metadata.name', async () => {
    const { outdir, manifests, metadataFile } = synthApp(true, 'shop');
    try {
      const contents = JSON.parse(fs.readFileSync(metadataFile, 'utf8'));
      for (const k of Object.keys(contents.resources)) if (k.includes('/')) delete contents.resources[k];
      fs.writeFileSync(metadataFile, JSON.stringify(contents));
      const withNames = await runPlugin(manifests, metadataFile, strict);
      const v = withNames.json.violations.find((x: any) => x.ruleName.startsWith('image-registry-allowed:'))!;
      expect(v.violatingConstructs[0].resourceName).toBe('api');
      expect(v.violatingConstructs[0].constructPath).toBe(contents.resources.api.path);
      const none = await runPlugin(manifests, undefined, strict);
      const w = none.json.violations.find((x: any) => x.ruleName.startsWith('image-registry-allowed:'))!;
      expect(w.violatingConstructs[0]).toMatchObject({ resourceName: 'api', constructPath: undefined });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
