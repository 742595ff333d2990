/**
 * The library never rejects its own output: every object the examples (and the options below) synthesize, at every
 * Kubernetes version that serves its kind, is read by `check` and the validation plugin with no input error; and the
 * guard, `check` and the plugin reach the same outcome on the same bytes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { ApiObject, App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { AdmissionApiVersion, AdmissionPolicies, Guard, HardenedChart, HardeningProfile } from '../../lib';
import { checkObjects } from '../../lib/cli/check';
import { parseSource } from '../../lib/cli/input';
import { HardenedValidation, PluginContext } from '../../lib/cli/plugin';
import { SUPPORTED_KUBE_VERSIONS, kubeMinor } from '../../lib/kube/kube-version';
import { isKubernetesGroup, isServed } from '../../lib/kube/served-kinds';
import { isBlocking } from '../../lib/policy/engine';
import { synth } from '../util/synth';

const EXAMPLES = fs.readdirSync(path.join(__dirname, '..', '..', 'examples')).filter(f => f.endsWith('.example.ts')).sort();

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Served by Kubernetes 1.<minor> (custom resources and config files: by their CRD/file format, every version). */
function servedAt(o: any, minor: number): boolean {
  return !isKubernetesGroup(groupOf(o.apiVersion)) || isServed(o.apiVersion, o.kind, minor);
}

async function runPlugin(file: string, kubeVersion: string): Promise<{ violations: any[]; status?: string }> {
  const violations: any[] = [];
  let status: string | undefined;
  const context: PluginContext = {
    manifests: [file],
    report: { addViolation: v => { violations.push(v); }, submit: s => { status = s; } },
    logger: { log: () => undefined },
  };
  await new HardenedValidation({ kubeVersion, removeBlockedManifests: false }).validate(context);
  return { violations, status };
}

const key = (f: { ruleId: string; object: { kind: string; name: string; namespace?: string }; path: string }) =>
  `${f.ruleId} ${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name} ${f.path}`;

/** Charts of every example, and of the options not shown there, with their synthesized objects. */
function charts(): { name: string; chart: Chart; objects: any[] }[] {
  const out: { name: string; chart: Chart; objects: any[] }[] = [];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-output-'));
  for (const file of EXAMPLES) {
    const app = new App({ outdir });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(__dirname, '..', '..', 'examples', file)).build(app, new cdk.App({ outdir: path.join(outdir, 'cdk.out') }));
    for (const chart of app.charts) out.push({ name: `${file} ${chart.node.id}`, chart, objects: synth(chart) });
  }
  // Admission policies at each API version, on a release serving it (the profile says which).
  for (const [kube, api] of [['1.28', AdmissionApiVersion.V1BETA1], ['1.33', AdmissionApiVersion.V1BETA1], ['1.30', AdmissionApiVersion.V1], ['1.36', AdmissionApiVersion.V1]] as const) {
    const app = new App({ outdir });
    const chart = new HardenedChart(app, `admission-${kube}-${api}`);
    new HardeningProfile(chart, 'profile', { kubeVersion: kube });
    new AdmissionPolicies(chart, 'policies', { apiVersion: api });
    out.push({ name: `AdmissionPolicies ${api} at ${kube}`, chart, objects: synth(chart) });
  }
  // Objects the guard blocks (written with the escape hatch), so agreement is tested on findings, not only on none.
  const app = new App({ outdir });
  const chart = new HardenedChart(app, 'insecure');
  new ApiObject(chart, 'pod', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
    spec: { hostNetwork: true, containers: [{ name: 'c', image: 'nginx:1', securityContext: { privileged: true } }] },
  });
  new ApiObject(chart, 'deploy', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx:1', ports: [{ containerPort: 80, hostPort: 80 }] }] } } },
  });
  out.push({ name: 'insecure raw objects', chart, objects: chart.node.findAll().filter(ApiObject.isApiObject).map(o => (o as ApiObject).toJson()) });
  return out;
}

const ALL = charts();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-output-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the charts under test emit objects, among them ValidatingAdmissionPolicy v1 and v1beta1', () => {
  const kinds = new Set(ALL.flatMap(c => c.objects.map(o => `${o.apiVersion} ${o.kind}`)));
  expect(kinds).toContain('admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy');
  expect(kinds).toContain('admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding');
  expect(kinds).toContain('apps/v1 Deployment');
  expect(kinds).toContain('networking.k8s.io/v1 NetworkPolicy');
});

test('every object is served by the Kubernetes version of the profile that governs it', () => {
  for (const { name, chart, objects } of ALL) {
    const minor = kubeMinor(HardeningProfile.resolve(chart).kubeVersion)!;
    for (const o of objects) expect([name, o.apiVersion, o.kind, servedAt(o, minor)]).toEqual([name, o.apiVersion, o.kind, true]);
  }
});

describe.each(SUPPORTED_KUBE_VERSIONS.map(v => [v]))('Kubernetes %s', kube => {
  const minor = kubeMinor(kube)!;
  test.each(ALL.map(c => [c.name, c] as const))('%s: check and the plugin read every object this version serves', async (name, c) => {
    const objects = c.objects.filter(o => servedAt(o, minor));
    if (objects.length === 0) return;
    const file = path.join(dir, `${name.replace(/[^a-z0-9.]+/gi, '_')}-${kube}.yaml`);
    fs.writeFileSync(file, objects.map(o => YAML.stringify(o, { lineWidth: 0 })).join('---\n'));
    const loaded = parseSource(path.basename(file), fs.readFileSync(file), { kubeVersion: kube });
    expect(loaded).toHaveLength(objects.length);
    const plugin = await runPlugin(file, kube);
    expect(plugin.violations.filter(v => v.ruleName === 'input')).toEqual([]);
    expect(plugin.status).toBeDefined();
  });
});

describe('the guard, check and the plugin agree on each object', () => {
  test.each(ALL.map(c => [c.name, c] as const))('%s', async (name, c) => {
    const settings = HardeningProfile.settingsOf(c.chart);
    const file = path.join(dir, `${name.replace(/[^a-z0-9.]+/gi, '_')}-agree.yaml`);
    fs.writeFileSync(file, c.objects.map(o => YAML.stringify(o, { lineWidth: 0 })).join('---\n'));
    const guard = Guard.of(c.chart).findings().filter(isBlocking).map(key).sort();
    const checked = checkObjects(parseSource(path.basename(file), fs.readFileSync(file), { kubeVersion: settings.kubeVersion }), {
      allowedRegistries: settings.allowedRegistries, requireDigest: settings.requireDigest,
      podSecurityVersion: settings.podSecurityVersion, kubeVersion: settings.kubeVersion,
    });
    expect(checked.findings.filter(f => f.blocking).map(f => key(f.finding)).sort()).toEqual(guard);
    // The plugin, with the profile's settings, passes exactly when the guard does.
    const violations: any[] = [];
    let status: string | undefined;
    await new HardenedValidation({
      kubeVersion: settings.kubeVersion, podSecurityVersion: settings.podSecurityVersion,
      allowedRegistries: settings.allowedRegistries, requireDigest: settings.requireDigest, removeBlockedManifests: false,
    }).validate({ manifests: [file], report: { addViolation: v => { violations.push(v); }, submit: s => { status = s; } }, logger: { log: () => undefined } });
    expect(status).toBe(guard.length === 0 ? 'success' : 'failure');
    if (name === 'insecure raw objects') expect(guard.length).toBeGreaterThan(5);
  });
});
