import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { HardenedValidation, PluginContext } from '../../lib/cli/plugin';
import { KIND_TABLE_MINORS, SERVED_KINDS } from '../../lib/kube/known-kinds';
import { isServed } from '../../lib/kube/served-kinds';
import { FIXTURES, REPO } from './helpers';

/** A fake cdk8s ValidationContext that records what the plugin reports. */
function fakeContext(manifests: string[]) {
  const violations: any[] = [];
  const logs: string[] = [];
  let status: string | undefined;
  let metadata: any;
  const context: PluginContext = {
    manifests,
    report: {
      addViolation: v => { violations.push(v); },
      submit: (s, m) => { status = s; metadata = m; },
    },
    logger: { log: m => { logs.push(m); } },
  };
  return { context, violations, logs, get status() { return status; }, get metadata() { return metadata; } };
}

/** A copy of a fixture in a temp dir (a blocked validation deletes the manifests it judged). */
function copyOf(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-plugin-'));
  const file = path.join(dir, name);
  fs.copyFileSync(path.join(FIXTURES, name), file);
  return file;
}

describe('HardenedValidation (cdk8s.yaml validation plugin)', () => {
  test('clean manifests: success, no violations', async () => {
    const fake = fakeContext([path.join(FIXTURES, 'clean.yaml')]);
    await new HardenedValidation().validate(fake.context);
    expect(fake.status).toBe('success');
    expect(fake.violations).toEqual([]);
    expect(fake.metadata).toMatchObject({ objects: '2', blocking: '0' });
  });

  test('findings: failure with one violation per rule naming resource, manifest, path and line', async () => {
    const manifest = copyOf('privileged.yaml');
    const fake = fakeContext([manifest]);
    await new HardenedValidation({}).validate(fake.context);
    expect(fake.status).toBe('failure');
    const v = fake.violations.find(x => x.ruleName.startsWith('privileged-container:'));
    expect(v.fix).toContain('securityContext.privileged');
    expect(v.violatingResources).toEqual([{
      resourceName: 'agent',
      manifestPath: manifest,
      locations: ['spec.template.spec.containers[0].securityContext.privileged (line 26): container "agent" sets privileged: true.'],
    }]);
  });

  test('properties: level and settings are applied', async () => {
    const fake = fakeContext([copyOf('privileged.yaml')]);
    await new HardenedValidation({ level: 'baseline', requireDigest: false, allowedRegistries: ['registry.example.com'] }).validate(fake.context);
    expect(fake.status).toBe('failure');
    expect(fake.violations.every(v => /^(privileged-container|[a-z-]+):/.test(v.ruleName))).toBe(true);
    expect(() => new HardenedValidation({ level: 'strict' })).toThrow(/properties.level="strict" must be "baseline" or "restricted"/);
  });

  test('a blocked validation removes every synthesized manifest (none is left for a CD system); clean ones stay', async () => {
    const bad = copyOf('privileged.yaml');
    const clean = copyOf('clean.yaml');
    const fake = fakeContext([bad, clean]);
    await new HardenedValidation().validate(fake.context);
    expect(fake.status).toBe('failure');
    expect(fs.existsSync(bad)).toBe(false);
    expect(fs.existsSync(clean)).toBe(false);
    expect(fake.logs.join('\n')).toContain('removed the 2 synthesized manifest(s)');
    const kept = copyOf('privileged.yaml');
    await new HardenedValidation({ removeBlockedManifests: false }).validate(fakeContext([kept]).context);
    expect(fs.existsSync(kept)).toBe(true);
    const ok = copyOf('clean.yaml');
    await new HardenedValidation().validate(fakeContext([ok]).context);
    expect(fs.existsSync(ok)).toBe(true);
  });

  test('bad input: failure with the file and line, no exception', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-plugin-'));
    const bad = path.join(dir, 'bad.k8s.yaml');
    fs.writeFileSync(bad, 'apiVersion: apps/v1\nkind: Nope\nmetadata: {name: a}\n');
    const fake = fakeContext([bad]);
    await new HardenedValidation().validate(fake.context);
    expect(fake.status).toBe('failure');
    expect(fake.logs.join('\n')).toMatch(/bad\.k8s\.yaml:1: document 0: unknown kind "Nope"/);
  });

  test('bin/cdk8s-hardened.js exports the plugin class when required (as cdk8s-cli loads it)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(REPO, 'bin', 'cdk8s-hardened.js'));
    const instance = new mod.HardenedValidation({});
    expect(typeof instance.validate).toBe('function');
  });

  test('cdk8s.yaml registers the plugin', () => {
    const config = fs.readFileSync(path.join(REPO, 'cdk8s.yaml'), 'utf8');
    expect(config).toMatch(/validations:\n(\s+#.*\n)*\s+- package: \.\/bin\/cdk8s-hardened\.js\n\s+version: 0\.1\.0\n\s+class: HardenedValidation/);
  });
});

describe('known kinds (generated from the OpenAPI of each release, schemas/k8s-openapi)', () => {
  test('lib/kube/known-kinds.ts is in sync with schemas/k8s-openapi/*.swagger.json.gz', () => {
    for (const minor of KIND_TABLE_MINORS) {
      const swagger = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(REPO, 'schemas', 'k8s-openapi', `1.${minor}.swagger.json.gz`))).toString('utf8'));
      const expected = new Set<string>();
      for (const def of Object.values<any>(swagger.definitions)) {
        for (const g of def['x-kubernetes-group-version-kind'] ?? []) expected.add(`${g.group ? `${g.group}/${g.version}` : g.version} ${g.kind}`);
      }
      const actual = new Set<string>();
      for (const gv of Object.keys(SERVED_KINDS)) {
        for (const k of ['DeleteOptions', 'WatchEvent', ...SERVED_KINDS[gv].split(' ').map(e => e.split(':')[0])]) if (isServed(gv, k, minor)) actual.add(`${gv} ${k}`);
      }
      expect([...actual].sort()).toEqual([...expected].sort());
    }
    expect(isServed('apps/v1', 'Deployment', 36)).toBe(true);
    expect(isServed('v1', 'Deployment', 36)).toBe(false);
    expect(isServed('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 29)).toBe(false);
    expect(isServed('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 30)).toBe(true);
  });

  test('the CLI never loads the swagger at runtime', () => {
    for (const f of fs.readdirSync(path.join(REPO, 'lib', 'cli'))) {
      expect(fs.readFileSync(path.join(REPO, 'lib', 'cli', f), 'utf8')).not.toMatch(/(require|readFileSync|import)[^\n]*swagger/);
    }
  });
});

describe('HardenedValidation: the configuration file and the check settings', () => {
  test('the plugin names the configuration file it used; its settings apply; properties win', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-plugin-config-'));
    fs.writeFileSync(path.join(dir, '.cdk8s-hardened.yaml'), 'failOn: warning\nexclude:\n  - rule: workload-network-policy\n    reason: default deny is applied by the platform team\n');
    const manifest = copyOf('clean.yaml');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const fake = fakeContext([manifest]);
      await new HardenedValidation().validate(fake.context);
      expect(fake.logs).toContain('cdk8s-hardened: configuration: .cdk8s-hardened.yaml');
      expect(fake.metadata.config).toBe('.cdk8s-hardened.yaml');
      expect(fake.violations.map(v => v.ruleName)).not.toContainEqual(expect.stringMatching(/^workload-network-policy/));
      const strict = fakeContext([copyOf('clean.yaml')]);
      await new HardenedValidation({ failOn: 'error' }).validate(strict.context);
      expect(strict.status).toBe('success');
      const none = fakeContext([copyOf('clean.yaml')]);
      await new HardenedValidation({ config: '' }).validate(none.context);
      expect(none.logs).toContain('cdk8s-hardened: configuration: none (plugin properties and library defaults)');
    } finally {
      process.chdir(cwd);
    }
  });

  test('without level, allowedRegistries and requireDigest judge images (the README snippet): nginx:latest fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-plugin-nginx-'));
    const file = path.join(dir, 'app.k8s.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: c, image: "nginx:latest"}]\n');
    const fake = fakeContext([file]);
    await new HardenedValidation({ allowedRegistries: ['registry.example.com'], requireDigest: true }).validate(fake.context);
    const rules = fake.violations.map(v => v.ruleName.split(':')[0]);
    expect(rules).toEqual(expect.arrayContaining(['image-registry-allowed', 'image-digest']));
    // With level, they judge nothing, and the plugin says so.
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: c, image: "nginx:latest"}]\n');
    const leveled = fakeContext([file]);
    await new HardenedValidation({ level: 'restricted', allowedRegistries: ['registry.example.com'] }).validate(leveled.context);
    expect(leveled.logs.join('\n')).toMatch(/level restricted runs only the Pod Security Standards controls .* allowedRegistries and requireDigest judge nothing/);
  });
});
