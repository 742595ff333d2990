import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import { Catalogue } from '../../lib/policy/catalogue';
import { cli, daysFromNow, goodPod, privilegedPod } from './helpers';

expect.extend({ toBeValidSarifLog });

function tmpDir(files: { [name: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-ci-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const blockingLines = (out: string) => out.split('\n').filter(l => /^ {4}\S+ +error {2}/.test(l));

describe('--fail-on', () => {
  const dir = tmpDir({ 'app.yaml': goodPod('web') });
  test('default error: warnings alone pass; warning: they fail; the summary says so', async () => {
    const d = await cli(['check', 'app.yaml'], '', dir);
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/0 blocking finding\(s\), [1-9]\d* non-blocking/);
    const w = await cli(['check', 'app.yaml', '--fail-on', 'warning'], '', dir);
    expect(w.code).toBe(1);
    expect(w.out).toContain('(failing on warning and above)');
    const i = await cli(['check', 'app.yaml', '--fail-on', 'info', '-f', 'json'], '', dir);
    const report = JSON.parse(i.out);
    expect(report.failOn).toBe('info');
    expect(report.findings.filter((f: any) => f.blocking).length).toBe(report.findings.filter((f: any) => !f.waiver).length);
  });
  test('an unknown severity is a usage error', async () => {
    const r = await cli(['check', 'app.yaml', '--fail-on', 'critical'], '', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Allowed choices are error, warning, info/);
  });
});

describe('baseline', () => {
  test('write -> unchanged input passes -> a new privileged Pod fails alone; baselined ones listed apart', async () => {
    const dir = tmpDir({ 'app.yaml': privilegedPod('old') + '---\n' + goodPod('web') });
    const w = await cli(['check', 'app.yaml', '--write-baseline', 'baseline.json'], '', dir);
    expect(w.code).toBe(0);
    expect(w.err).toMatch(/wrote \d+ finding\(s\) to the baseline baseline\.json/);
    const base = JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'));
    expect(base.baselineFormat).toBe(1);
    const fp = base.findings.find((e: any) => e.ruleId === 'privileged-container');
    expect(fp.fingerprint).toBe('privileged-container|Pod|shop/old|spec.containers[0].securityContext.privileged');
    // No line numbers anywhere in the baseline.
    expect(JSON.stringify(base)).not.toMatch(/"line"/);

    const same = await cli(['check', 'app.yaml', '--baseline', 'baseline.json'], '', dir);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/Baselined \(\d+, accepted in the baseline; they do not fail\):/);
    expect(same.out).toMatch(/0 blocking finding\(s\), \d+ non-blocking, 0 waived, \d+ baselined/);

    // Reformatted and moved (other file name, other order, comments): still the same findings.
    fs.writeFileSync(path.join(dir, 'app.yaml'), '# moved\n' + goodPod('web') + '---\n\n\n' + privilegedPod('old'));
    expect((await cli(['check', 'app.yaml', '--baseline', 'baseline.json'], '', dir)).code).toBe(0);

    fs.writeFileSync(path.join(dir, 'new.yaml'), privilegedPod('intruder'));
    const r = await cli(['check', 'app.yaml', 'new.yaml', '--baseline', 'baseline.json'], '', dir);
    expect(r.code).toBe(1);
    const failing = blockingLines(r.out.split('\nBaselined')[0]);
    expect(failing.length).toBeGreaterThan(0);
    // Every failing finding is on the new Pod, none on the baselined one.
    const sections = r.out.split('\n  ');
    expect(sections.filter(s => s.startsWith('Pod shop/old'))).toEqual([]);
    expect(r.out).toContain('  Pod shop/intruder\n');
    expect(r.out).toMatch(/\n {2}app\.yaml:\d+ +error +privileged-container +Pod shop\/old at /);
  });

  test('a baselined finding whose object changed is new again', async () => {
    const dir = tmpDir({ 'app.yaml': privilegedPod('old') });
    await cli(['check', 'app.yaml', '--write-baseline', 'b.json'], '', dir);
    fs.writeFileSync(path.join(dir, 'app.yaml'), privilegedPod('old').replace('name: c\n', 'name: c2\n'));
    const r = await cli(['check', 'app.yaml', '--baseline', 'b.json', '-f', 'json'], '', dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.summary.baselined).toBe(0);
    expect(report.findings.find((f: any) => f.ruleId === 'privileged-container').blocking).toBe(true);
  });

  test('SARIF partialFingerprints are the baseline fingerprints; baselineState marks new and unchanged', async () => {
    const dir = tmpDir({ 'app.yaml': privilegedPod('old') });
    await cli(['check', 'app.yaml', '--write-baseline', 'b.json'], '', dir);
    const fps = JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).findings.map((e: any) => e.fingerprint).sort();
    fs.appendFileSync(path.join(dir, 'app.yaml'), '---\n' + privilegedPod('new'));
    const r = await cli(['check', 'app.yaml', '--baseline', 'b.json', '-f', 'sarif'], '', dir);
    const log = JSON.parse(r.out);
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results;
    const old = results.filter((x: any) => x.message.text.startsWith('Pod/shop/old'));
    expect(old.map((x: any) => x.partialFingerprints['cdk8sHardened/v1']).sort()).toEqual(fps);
    expect(old.every((x: any) => x.baselineState === 'unchanged')).toBe(true);
    expect(results.filter((x: any) => x.message.text.startsWith('Pod/shop/new')).every((x: any) => x.baselineState === 'new')).toBe(true);
  });

  test('waiver and token rules are never baselined; a bad baseline file is bad input', async () => {
    const dir = tmpDir({ 'app.yaml': privilegedPod('p', [{ ruleId: 'privileged-container', reason: 'legacy agent needs the host devices', owner: 'ops', expires: '2020-01-01' }]) });
    await cli(['check', 'app.yaml', '--write-baseline', 'b.json'], '', dir);
    const base = JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8'));
    expect(base.findings.map((e: any) => e.ruleId)).not.toContain('waiver-expired');
    const r = await cli(['check', 'app.yaml', '--baseline', 'b.json'], '', dir);
    expect(r.code).toBe(1);
    expect(blockingLines(r.out).map(l => l.trim().split(/\s+/)[2])).toEqual(['waiver-expired']);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"findings": 1}');
    const bad = await cli(['check', 'app.yaml', '--baseline', 'bad.json'], '', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.json: not a cdk8s-hardened baseline/);
  });
});

describe('configuration file', () => {
  test('found upward from the working directory, named on stderr, and its settings apply', async () => {
    const dir = tmpDir({
      '.cdk8s-hardened.yaml': 'kubeVersion: "1.30"\nfailOn: warning\nallowedRegistries: [registry.example.com]\nexclude:\n  - rule: workload-network-policy\n    reason: the namespace has a default-deny policy applied by the platform\n',
      'k8s/sub/app.yaml': goodPod('web'),
    });
    const r = await cli(['check', 'app.yaml', '-f', 'json'], '', path.join(dir, 'k8s', 'sub'));
    expect(r.err).toMatch(/configuration: .*\.cdk8s-hardened\.yaml/);
    const report = JSON.parse(r.out);
    expect(report.kubeVersion).toBe('1.30');
    expect(report.failOn).toBe('warning');
    expect(report.settings.allowedRegistries).toEqual(['registry.example.com']);
    expect(report.excluded).toEqual([{ rule: 'workload-network-policy', reason: 'the namespace has a default-deny policy applied by the platform' }]);
    expect(report.findings.map((f: any) => f.ruleId)).not.toContain('workload-network-policy');
    expect(report.summary.rules).toBe(Catalogue.all().length - 1);
    expect(r.code).toBe(1); // warnings fail with failOn: warning
    // Flags win over the file; --no-config ignores it.
    expect((await cli(['check', 'app.yaml', '--fail-on', 'error'], '', path.join(dir, 'k8s', 'sub'))).code).toBe(0);
    const none = await cli(['check', 'app.yaml', '--no-config', '-f', 'json'], '', path.join(dir, 'k8s', 'sub'));
    expect(JSON.parse(none.out).failOn).toBe('error');
    expect(none.err).toBe('');
  });

  test('the file\'s kubeVersion decides what is served and the PSS version, as --kube-version does (a flag wins)', async () => {
    const flow = 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: tenant\nspec:\n  priorityLevelConfiguration:\n    name: tenant\n';
    const dir = tmpDir({ '.cdk8s-hardened.yaml': 'kubeVersion: "1.28"\n', 'flow.yaml': flow });
    const old = await cli(['check', 'flow.yaml', '-f', 'json'], '', dir);
    expect(old.code).toBe(0);
    expect(JSON.parse(old.out).settings.podSecurityVersion).toBe('v1.28');
    const current = await cli(['check', 'flow.yaml', '--kube-version', '1.36'], '', dir);
    expect(current.code).toBe(2);
    expect(current.err).toMatch(/v1beta3 FlowSchema was removed in Kubernetes 1\.32/);
    const latest = await cli(['check', 'flow.yaml', '--kube-version', 'latest', '-f', 'json', '--allow-empty'], '', dir);
    expect(latest.code).toBe(2);
  });

  test.each([
    ['unknown key', 'failon: warning\n', /\.cdk8s-hardened\.yaml:1: failon unknown key "failon"/],
    ['bad severity', 'failOn: critical\n', /:1: failOn must be one of error, warning, info/],
    ['exclusion without a reason', 'exclude:\n  - rule: replicas-minimum\n', /:2: exclude\[0\] needs "reason"/],
    ['short reason', 'exclude:\n  - rule: replicas-minimum\n    reason: no\n', /:3: exclude\[0\]\.reason must be at least 20 characters/],
    ['bad kubeVersion', 'kubeVersion: "1.27"\n', /kubeVersion must be one of 1\.28/],
    ['unknown rule', 'include: [privileged-containers]\n', /unknown rule "privileged-containers"/],
    ['unwaivable rule excluded', 'exclude:\n  - rule: waiver-expired\n    reason: we do not want expiry checks at all here\n', /"waiver-expired" cannot be excluded/],
    ['error lowered', 'severityOverrides: { privileged-container: warning }\n', /"privileged-container" is an error and cannot be lowered to warning/],
    ['malformed YAML', 'failOn: [\n', /malformed YAML/],
  ])('%s: exit 2 naming file, line and key', async (_name, text, message) => {
    const dir = tmpDir({ '.cdk8s-hardened.yaml': text, 'app.yaml': goodPod('web') });
    const r = await cli(['check', 'app.yaml'], '', dir);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('severity overrides raise a rule (and fail it), or move it between warning and info', async () => {
    const dir = tmpDir({ 'app.yaml': goodPod('web'), 'c.yaml': 'severityOverrides:\n  pod-default-service-account: error\n  probes-configured: info\n' });
    const r = await cli(['check', 'app.yaml', '--config', 'c.yaml', '-f', 'json'], '', dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.findings.find((f: any) => f.ruleId === 'pod-default-service-account')).toMatchObject({ severity: 'error', blocking: true });
    expect(report.findings.find((f: any) => f.ruleId === 'probes-configured')).toMatchObject({ severity: 'info', blocking: false });
  });

  test('the search stops at the repository root; a world-writable configuration is refused', async () => {
    const dir = tmpDir({ '.cdk8s-hardened.yaml': 'failOn: info\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/app.yaml': goodPod('web') });
    const r = await cli(['check', 'app.yaml', '-f', 'json'], '', path.join(dir, 'repo'));
    expect(JSON.parse(r.out).failOn).toBe('error');
    expect(r.err).not.toContain('configuration:');
    fs.chmodSync(path.join(dir, '.cdk8s-hardened.yaml'), 0o666);
    const w = await cli(['check', 'repo/app.yaml'], '', dir);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/\.cdk8s-hardened\.yaml: is writable by every user/);
  });

  test('ignorePaths skips files by glob, relative to the config file', async () => {
    const dir = tmpDir({
      '.cdk8s-hardened.yaml': 'ignorePaths: ["vendor/**", "**/*.generated.yaml"]\n',
      'app.yaml': goodPod('web'), 'vendor/chart/bad.yaml': privilegedPod('v'), 'x/a.generated.yaml': privilegedPod('g'),
    });
    const r = await cli(['check', '.', '-v'], '', dir);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/skipped vendor\/chart\/bad\.yaml: ignorePaths/);
    expect(r.err).toMatch(/skipped x\/a\.generated\.yaml: ignorePaths/);
    // Without --verbose, still counted.
    expect((await cli(['check', '.'], '', dir)).err).toContain('2 file(s) of . skipped by ignorePaths (--verbose lists them)');
  });

  test('include keeps only the named rules plus the unwaivable ones', async () => {
    const dir = tmpDir({ 'app.yaml': privilegedPod('p') });
    const r = await cli(['check', 'app.yaml', '--include', 'privileged-container', '-f', 'json'], '', dir);
    const report = JSON.parse(r.out);
    expect([...new Set(report.findings.map((f: any) => f.ruleId))]).toEqual(['privileged-container']);
    expect(report.summary.rules).toBe(1 + Catalogue.all().filter(x => x.waivable === false).length);
  });

  test('the published schema equals the one the runtime validates with, and ajv agrees with the runtime validator', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CONFIG_SCHEMA } = require('../../lib/cli/config-schema');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SUPPORTED_KEYWORDS, validateSchema } = require('../../lib/cli/config');
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'cdk8s-hardened-config.schema.json'), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(CONFIG_SCHEMA)));
    expect((await cli(['config-schema'])).out).toBe(JSON.stringify(CONFIG_SCHEMA, null, 2) + '\n');
    // Every keyword the schema uses is one the runtime validator implements.
    const used = new Set<string>();
    const walk = (s: any, inProps = false) => {
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries(s)) {
        if (!inProps) used.add(k);
        if (k === 'properties' || k === 'definitions') for (const sub of Object.values(v as any)) walk(sub);
        else if (k === 'oneOf') for (const sub of v as any[]) walk(sub);
        else if (k === 'items' || k === 'additionalProperties' || k === 'propertyNames') walk(v);
      }
    };
    walk(CONFIG_SCHEMA);
    expect([...used].filter(k => !SUPPORTED_KEYWORDS.has(k))).toEqual([]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(CONFIG_SCHEMA);
    const w = { ruleId: 'host-namespaces', object: { kind: 'DaemonSet', name: 'x' }, reason: 'r'.repeat(20), owner: 'o', expires: '2026-01-01' };
    const cases: any[] = [
      {}, { failOn: 'warning' }, { failOn: 'x' }, { kubeVersion: '1.36' }, { kubeVersion: 1.3 }, { level: 'restricted' },
      { podSecurityVersion: 'v1.34' }, { podSecurityVersion: 'v1.27' }, { allowedRegistries: ['a'] }, { allowedRegistries: [''] },
      { allowedRegistries: 'a' }, { requireDigest: 'yes' }, { maxWaiverDays: 0 }, { maxWaiverDays: 30 }, { maxWaiverDays: 1.5 },
      { include: ['a-b'] }, { include: ['A'] }, { exclude: [{ rule: 'a', reason: 'x'.repeat(20) }] }, { exclude: [{ rule: 'a' }] },
      { exclude: [{ rule: 'a', reason: 'x'.repeat(20), extra: 1 }] }, { severityOverrides: { 'a-b': 'info' } },
      { severityOverrides: { A: 'info' } }, { severityOverrides: { a: 'fatal' } }, { ignorePaths: ['x/**'] }, { waivers: 'w.yaml' },
      { waivers: '' }, { waivers: [w] }, { waivers: [{ ...w, expires: '1/1/2026' }] }, { waivers: [{ ...w, object: { kind: 'X' } }] },
      { waivers: 3 }, { baseline: 'b.json' }, { unknown: 1 }, [], 'text', null, { $schema: 'x' },
    ];
    for (const c of cases) expect([JSON.stringify(c), validateSchema(c, CONFIG_SCHEMA).length === 0]).toEqual([JSON.stringify(c), validate(c)]);
  });
});

describe('--waivers: manifests you do not own', () => {
  const vendor = privilegedPod('agent');
  const waiver = (extra: object = {}) => ({
    ruleId: 'privileged-container', object: { kind: 'Pod', namespace: 'shop', name: 'agent' },
    path: 'spec.containers[0].securityContext.privileged', reason: 'vendor agent needs the host devices (ticket SEC-42)', owner: 'platform', expires: daysFromNow(30), ...extra,
  });
  const yamlList = (ws: object[]) => `waivers:\n${ws.map(w => `  - ${JSON.stringify(w)}`).join('\n')}\n`;

  test('a waiver in a file covers the finding exactly as the annotation would', async () => {
    const dir = tmpDir({ 'vendor.yaml': vendor, 'w.yaml': yamlList([waiver()]) });
    const r = await cli(['check', 'vendor.yaml', '--waivers', 'w.yaml', '-f', 'json'], '', dir);
    const f = JSON.parse(r.out).findings.find((x: any) => x.ruleId === 'privileged-container');
    expect(f.waiver).toMatchObject({ owner: 'platform', reason: expect.stringContaining('SEC-42') });
    expect(f.blocking).toBe(false);
    // The annotation form gives the same verdict.
    const annotated = tmpDir({ 'a.yaml': privilegedPod('agent', [{ ...waiver(), object: undefined }]) });
    const a = JSON.parse((await cli(['check', 'a.yaml', '-f', 'json'], '', annotated)).out).findings.find((x: any) => x.ruleId === 'privileged-container');
    expect(a.waiver).toEqual(f.waiver);
  });

  test.each([
    ['expired', { expires: '2020-01-01' }, 'waiver-expired', /waiver in w\.yaml:2 for "privileged-container" \(owner platform\) expired on 2020-01-01/],
    ['unused (wrong path)', { path: 'spec.hostNetwork' }, 'waiver-unused', /waiver in w\.yaml:2 for "privileged-container" at spec\.hostNetwork matches no finding/],
    ['too long', { expires: daysFromNow(400) }, 'waiver-invalid', /waiver in w\.yaml:2 for "privileged-container" expires .* the profile allows at most 90/],
    ['selecting no object', { object: { kind: 'Pod', namespace: 'other', name: 'agent' } }, 'waiver-unused', /waiver in w\.yaml:2 for "privileged-container" selects no object/],
  ])('%s: the same error as an annotation, pointing at the waivers file', async (_n, extra, rule, message) => {
    const dir = tmpDir({ 'vendor.yaml': vendor, 'w.yaml': yamlList([waiver(extra)]) });
    const r = await cli(['check', 'vendor.yaml', '--waivers', 'w.yaml', '-f', 'json'], '', dir);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.out).findings.find((x: any) => x.ruleId === rule);
    expect(f).toBeDefined();
    expect(f.message).toMatch(message);
    expect(f.location).toEqual({ file: 'w.yaml', line: 2, column: 1 });
    expect(f.blocking).toBe(true);
  });

  test('maxWaiverDays from the config applies to file waivers; inline waivers in the config work too', async () => {
    const dir = tmpDir({
      '.cdk8s-hardened.yaml': `maxWaiverDays: 10\nwaivers:\n  - ${JSON.stringify(waiver())}\n`,
      'vendor.yaml': vendor,
    });
    const r = await cli(['check', 'vendor.yaml', '-f', 'json'], '', dir);
    const f = JSON.parse(r.out).findings.find((x: any) => x.ruleId === 'waiver-invalid');
    expect(f.message).toMatch(/the profile allows at most 10/);
    expect(f.location.file).toBe('.cdk8s-hardened.yaml');
  });

  test('a malformed entry is bad input naming file and line', async () => {
    const dir = tmpDir({ 'vendor.yaml': vendor, 'w.yaml': yamlList([waiver(), { ...waiver(), reason: 'short' }]) });
    const r = await cli(['check', 'vendor.yaml', '--waivers', 'w.yaml'], '', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/w\.yaml:3: waiver #1: reason must be at least 20 characters/);
  });
});

describe('output', () => {
  const dir = tmpDir({ 'app.yaml': privilegedPod('p') + '---\n' + goodPod('web') });

  test('--quiet prints only failing findings and the summary line', async () => {
    const r = await cli(['check', 'app.yaml', '--quiet'], '', dir);
    expect(r.code).toBe(1);
    const findingLines = r.out.split('\n').filter(l => /^ {4}\d+:\d+ /.test(l));
    expect(findingLines.length).toBeGreaterThan(0);
    expect(findingLines.every(l => /^ {4}\S+ +error {2}/.test(l))).toBe(true);
    expect(r.out).not.toContain('Pod shop/web'); // no failing finding on it
    expect(r.out).not.toContain('RULE ');
  });

  test('colours only on a terminal, never with NO_COLOR', async () => {
    const run = async (isTTY: boolean, env: any) => {
      let out = '';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await require('../../lib/cli/main').run(['check', 'app.yaml'], { stdout: (t: string) => { out += t; }, stderr: () => {}, readStdin: async () => Buffer.from(''), cwd: dir, isTTY, env });
      return out;
    };
    expect(await run(true, {})).toContain('\u001b[31m');
    expect(await run(true, { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(await run(false, {})).not.toContain('\u001b[');
  });

  test('-f github: workflow commands with file, line, col and title; escaped', async () => {
    const r = await cli(['check', 'app.yaml', '-f', 'github'], '', dir);
    expect(r.code).toBe(1);
    const line = r.out.split('\n').find(l => l.includes('privileged-container'))!;
    expect(line).toMatch(/^::error file=app\.yaml,line=\d+,col=\d+,title=privileged-container%3A [^:]+::Pod shop\/p at spec\.containers\[0\]\.securityContext\.privileged: .*%0AFix: /);
    expect(r.out).toMatch(/^::warning file=app\.yaml,line=\d+,col=\d+,title=/m);
    for (const l of r.out.trim().split('\n').slice(0, -1)) expect(l).toMatch(/^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+)?,title=[^:]+::[^\n\r]*$/);
  });

  test('-f gitlab: Code Quality issues with unique fingerprints; failing ones are blockers', async () => {
    const r = await cli(['check', 'app.yaml', '-f', 'gitlab'], '', dir);
    const issues = JSON.parse(r.out);
    expect(Array.isArray(issues)).toBe(true);
    for (const i of issues) {
      expect(i).toEqual(expect.objectContaining({
        description: expect.any(String), check_name: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: expect.stringMatching(/^(info|minor|major|critical|blocker)$/), location: { path: 'app.yaml', lines: { begin: expect.any(Number) } },
      }));
    }
    expect(new Set(issues.map((i: any) => i.fingerprint)).size).toBe(issues.length);
    expect(issues.find((i: any) => i.check_name === 'privileged-container').severity).toBe('blocker');
  });
});

describe('rendered input', () => {
  test('a Helm chart directory: exit 2 with how to pipe helm template', async () => {
    const dir = tmpDir({ 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n' });
    const r = await cli(['check', 'chart'], '', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('chart: is a Helm chart (Chart.yaml)');
    expect(r.err).toContain('helm template my-release chart --values values.yaml | cdk8s-hardened check -');
    expect(r.err).not.toContain('[object Object]');
  });

  test('a chart inside a walked directory is skipped with a warning, the rest is checked', async () => {
    const dir = tmpDir({ 'charts/c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'charts/c/templates/x.yaml': '{{ bad', 'app.yaml': goodPod('web') });
    const r = await cli(['check', '.'], '', dir);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: charts\/c: Helm chart not read .* helm template my-release charts\/c \| cdk8s-hardened check -/);
  });

  test('a kustomization is rendered with the real kubectl kustomize (patches applied, namespace set)', async () => {
    const dir = tmpDir({
      'k/kustomization.yaml': 'namespace: shop\nresources: [pod.yaml]\npatches:\n  - target: { kind: Pod, name: web }\n    patch: |-\n      - op: replace\n        path: /spec/containers/0/securityContext/allowPrivilegeEscalation\n        value: true\n',
      'k/pod.yaml': goodPod('web').replace('  namespace: shop\n', ''),
    });
    const r = await cli(['check', 'k', '-f', 'json'], '', dir);
    expect(r.err).toContain('k is a kustomization: checking what `kubectl kustomize k` renders');
    const report = JSON.parse(r.out);
    const f = report.findings.find((x: any) => x.ruleId === 'allow-privilege-escalation');
    expect(f).toMatchObject({ blocking: true, object: { namespace: 'shop', name: 'web' }, location: { file: 'k (kubectl kustomize)' } });
    expect(r.code).toBe(1);
  });

  test('kustomize runs offline: a remote base is not fetched', async () => {
    const dir = tmpDir({ 'k/kustomization.yaml': 'resources:\n  - https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/simple-pod.yaml\n  - github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1\n' });
    const r = await cli(['check', 'k'], '', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/k: is a kustomization, and `kubectl kustomize k` failed: /);
  });

  test('a broken kustomization: exit 2 with kustomize\'s message', async () => {
    const dir = tmpDir({ 'k/kustomization.yaml': 'resources: [missing.yaml]\n' });
    const r = await cli(['check', 'k'], '', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/k: is a kustomization, and `kubectl kustomize k` failed: .*missing\.yaml/);
  });
});
