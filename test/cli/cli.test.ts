import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { toBeValidSarifLog } from '@microsoft/jest-sarif';
import type * as sarif from 'sarif';
import { settingsFor } from '../../lib/cli/check';
import { MAX_INPUT_BYTES, parseSource } from '../../lib/cli/input';
import { readStream } from '../../lib/cli/main';
import { Catalogue } from '../../lib/policy/catalogue';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { cli, daysFromNow, FIXTURES, privilegedPod, REPO } from './helpers';

expect.extend({ toBeValidSarifLog });

const PRIVILEGED = 'test/fixtures/cli/privileged.yaml';
const CLEAN = 'test/fixtures/cli/clean.yaml';
const FORMATS = ['text', 'json', 'sarif', 'junit'];

function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-cli-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Bad input: exit 2, one clear line on stderr naming file (and line), no stack trace, nothing on stdout. */
async function expectBadInput(argv: string[], stdin: string | Buffer, ...expected: (string | RegExp)[]) {
  const r = await cli(argv, stdin);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  for (const e of expected) expect(r.err).toMatch(e);
  return r.err;
}

describe('check: exit codes are independent of the format', () => {
  test.each(FORMATS)('%s: clean input exits 0, findings exit 1', async format => {
    expect((await cli(['check', CLEAN, '--format', format])).code).toBe(0);
    expect((await cli(['check', PRIVILEGED, '--format', format])).code).toBe(1);
  });
});

describe('check --format text', () => {
  test('grouped per file and object: line:column, severity, rule, path; the fix once per rule; a table per rule', async () => {
    const r = await cli(['check', PRIVILEGED]);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(PRIVILEGED);
    expect(lines[1]).toBe('  Deployment shop/agent');
    const line = lines.find(l => l.includes('privileged-container'))!;
    expect(line).toMatch(/^ {4}26:13 +error {2}privileged-container {2}spec\.template\.spec\.containers\[0\]\.securityContext\.privileged: /);
    // The file and the object are not repeated on each finding.
    expect(lines.filter(l => l.includes(PRIVILEGED))).toHaveLength(1);
    // resources-requests has two findings: its fix is printed once.
    expect(lines.filter(l => l.startsWith('    ') && l.includes('resources-requests  '))).toHaveLength(2);
    expect(lines.filter(l => l.includes('fix: Set resources.requests.cpu'))).toHaveLength(1);
    // Failing findings first within an object.
    const firstWarning = lines.findIndex(l => / warning {2}/.test(l));
    const lastError = lines.map((l, i) => (/^ {4}\S+ +error {2}/.test(l) ? i : -1)).reduce((a, b) => Math.max(a, b));
    expect(lastError).toBeLessThan(firstWarning);
    // Summary table: one row per rule with severity and counts.
    expect(r.out).toMatch(/\nRULE +SEVERITY +FINDINGS +FAILING +WAIVED +BASELINED\n/);
    expect(r.out).toMatch(/\nresources-requests +error +2 +2 +0 +0\n/);
    const blocking = lines.filter(l => /^ {4}\S+ +error {2}/.test(l)).length;
    expect(blocking).toBeGreaterThanOrEqual(1);
    expect(r.out).toContain(`2 object(s) checked against ${Catalogue.all().length} rule(s): ${blocking} blocking finding(s)`);
    // Not a terminal: no colours.
    expect(r.out).not.toContain('\u001b[');
  });
});

describe('check --format json', () => {
  test('findings carry rule, outcome, blocking flag and location', async () => {
    const r = await cli(['check', PRIVILEGED, '--format', 'json']);
    const report = JSON.parse(r.out);
    expect(report.summary.objects).toBe(2);
    expect(report.summary.blocking).toBe(report.findings.filter((x: any) => x.blocking).length);
    expect(report.settings).toEqual({
      allowedRegistries: DEFAULT_PROFILE.allowedRegistries,
      requireDigest: DEFAULT_PROFILE.requireDigest,
      podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion,
      kubeVersion: DEFAULT_PROFILE.kubeVersion,
      maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
    });
    const f = report.findings.find((x: any) => x.ruleId === 'privileged-container');
    expect(f).toMatchObject({
      outcome: 'fail', severity: 'error', blocking: true,
      object: { kind: 'Deployment', name: 'agent', namespace: 'shop', file: PRIVILEGED, documentIndex: 1 },
      location: { file: PRIVILEGED, line: 26, column: 13 },
    });
  });

  test('--allowed-registry (repeatable) and --no-require-digest reach the rules settings', async () => {
    const r = await cli(['check', CLEAN, '--format', 'json', '--allowed-registry', 'registry.example.com', '--allowed-registry', 'ecr.example.com', '--no-require-digest']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).settings).toMatchObject({ allowedRegistries: ['registry.example.com', 'ecr.example.com'], requireDigest: false });
    const d = await cli(['check', CLEAN, '--format', 'json', '--require-digest']);
    expect(JSON.parse(d.out).settings.requireDigest).toBe(true);
  });

  test('settings default to the library defaults (DEFAULT_PROFILE)', () => {
    expect(settingsFor({})).toEqual({ allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.36', kubeVersion: '1.36', maxWaiverDays: 90 });
  });
});

describe('check --format sarif', () => {
  test('is a SARIF 2.1.0 log GitHub code scanning accepts, pointing at the offending YAML line', async () => {
    const r = await cli(['check', PRIVILEGED, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log: sarif.Log = JSON.parse(r.out);
    (expect(log) as any).toBeValidSarifLog(); // the SARIF 2.1.0 JSON schema (shipped by @microsoft/jest-sarif)
    (expect({ ...log, runs: [{ ...log.runs[0], tool: {} }] }) as any).not.toBeValidSarifLog(); // the matcher can fail
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('cdk8s-hardened');
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    const rules = run.tool.driver.rules!;
    expect(rules.map(x => x.id)).toEqual(Catalogue.all().map(x => x.id));
    for (const rule of rules) {
      expect(rule.shortDescription!.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription!.text.length).toBeGreaterThan(0);
      expect(rule.help!.text.length).toBeGreaterThan(0);
      expect(rule.help!.markdown!.length).toBeGreaterThan(0);
      expect(rule.properties!.tags!.some(t => t.startsWith('STRIDE/'))).toBe(true);
      expect(Number(rule.properties!['security-severity'])).toBeGreaterThan(0);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration!.level);
    }
    const priv = rules.find(x => x.id === 'privileged-container')!;
    expect(priv.properties!.tags).toEqual(expect.arrayContaining(['security', 'STRIDE/Elevation of privilege', 'pss/baseline']));
    expect(priv.properties!['security-severity']).toBe('9.0');

    const result = run.results!.find(x => x.ruleId === 'privileged-container')!;
    expect(result.level).toBe('error');
    expect(result.ruleIndex).toBe(rules.findIndex(x => x.id === 'privileged-container'));
    expect(result.message.text).toContain('Deployment/shop/agent');
    const loc = result.locations![0].physicalLocation!;
    expect(loc.artifactLocation!.uri).toBe(PRIVILEGED);
    expect(loc.region!.startLine).toBe(26);
    expect(loc.region!.startColumn).toBe(13);
    const lines = fs.readFileSync(path.join(REPO, PRIVILEGED), 'utf8').split('\n');
    expect(lines[loc.region!.startLine! - 1].trim()).toBe('privileged: true');
    for (const res of run.results!) {
      expect(res.ruleId).toBeTruthy();
      expect(res.locations![0].physicalLocation!.region!.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  test('a missing field points at its closest parent (the container)', async () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/c@sha256:${'a'.repeat(64)}\n`;
    const r = await cli(['check', '-', '--level', 'restricted', '--format', 'sarif'], pod);
    const log: sarif.Log = JSON.parse(r.out);
    (expect(log) as any).toBeValidSarifLog();
    const results = log.runs[0].results!;
    if (results.length > 0) {
      // restricted controls flag the container that lacks runAsNonRoot / allowPrivilegeEscalation (line 7)
      const lines = results.map(x => x.locations![0].physicalLocation!.region!.startLine);
      expect(lines.every(l => l === 7 || l === 6 || l === 5 || l === 1)).toBe(true);
      expect(lines).toContain(7);
      expect(results[0].locations![0].physicalLocation!.artifactLocation!.uri).toBe(encodeURI('<stdin>'));
    }
    expect(r.code).toBe(results.some(x => x.level === 'error') ? 1 : 0);
  });

  test('a waived finding is reported as an accepted in-source suppression and does not fail', async () => {
    const waiver = { ruleId: 'privileged-container', reason: 'node agent needs host devices for the GPU driver', owner: 'platform-team', expires: daysFromNow(30) };
    const r = await cli(['check', '-', '--format', 'sarif', '--level', 'baseline'], privilegedPod('gpu', [waiver]));
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out).runs[0].results.find((x: any) => x.ruleId === 'privileged-container');
    expect(res.suppressions).toEqual([expect.objectContaining({ kind: 'inSource', status: 'accepted' })]);
  });
});

describe('check --format junit', () => {
  test('one test case per object with findings; blocking findings are failures', async () => {
    const r = await cli(['check', PRIVILEGED, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="cdk8s-hardened"/);
    expect(r.out).toMatch(/<testsuite name="cdk8s-hardened check" tests="\d+" failures="1"/);
    expect(r.out).toContain(`<testcase classname="${PRIVILEGED}" name="Deployment shop/agent">`);
    expect(r.out).toMatch(/<failure message="[^"]*privileged-container[^"]*" type="error">/);
    const clean = await cli(['check', CLEAN, '--format', 'junit']);
    expect(clean.out).toContain('failures="0"');
    expect(clean.out).not.toContain('<failure');
  });
});

describe('check inputs', () => {
  test('stdin (`-`): Helm-style multi-document output with comments and empty documents', async () => {
    const helm = `---\n# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\n# Source: chart/templates/pod.yaml\n${privilegedPod('helm-pod')}`;
    const r = await cli(['check', '-', '--format', 'json'], helm);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.summary.objects).toBe(2);
    const f = report.findings.find((x: any) => x.ruleId === 'privileged-container');
    const expectedLine = helm.split('\n').findIndex(l => l.trim() === 'privileged: true') + 1;
    expect(expectedLine).toBe(20);
    expect(f.location).toEqual({ file: '<stdin>', line: expectedLine, column: 9 });
  });

  test('JSON input and `kind: List` (kubectl get -o json) are expanded per item', async () => {
    const r = await cli(['check', 'test/fixtures/cli/list.json', '--format', 'json', '--level', 'baseline']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.summary.objects).toBe(1);
    const f = report.findings.find((x: any) => x.ruleId === 'privileged-container');
    expect(f.location.line).toBe(13);
    expect(f.object.name).toBe('host-net');
  });

  test('typed lists of any group (DeploymentList, JobList) are expanded per item, as kubectl applies them', async () => {
    const list = `apiVersion: apps/v1
kind: DeploymentList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: { name: agent, namespace: ops }
  spec:
    selector: { matchLabels: { app: agent } }
    template:
      metadata: { labels: { app: agent } }
      spec:
        hostPID: true
        containers: [{ name: c, image: "registry.example.com/c@sha256:${'a'.repeat(64)}" }]
`;
    const r = await cli(['check', '-', '--format', 'json', '--level', 'baseline'], list);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.summary.objects).toBe(1);
    expect(report.findings.map((f: any) => [f.ruleId, f.object.kind, f.object.name, f.location.line])).toContainEqual(['host-namespaces', 'Deployment', 'agent', 12]);
  });

  test('directories are searched for .yaml/.yml/.json files', async () => {
    const r = await cli(['check', 'test/fixtures/cli', '--format', 'json']);
    expect(r.code).toBe(1);
    const files = new Set(JSON.parse(r.out).findings.map((f: any) => f.location.file));
    expect(files).toContain(PRIVILEGED);
    expect(files).toContain('test/fixtures/cli/list.json');
  });

  test('custom resources with dotted groups are accepted', async () => {
    const r = await cli(['check', 'test/fixtures/cli/crd.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 object(s) checked');
  });

  test('an expired waiver is a finding (exit 1)', async () => {
    const waiver = { ruleId: 'privileged-container', reason: 'node agent needs host devices for the GPU driver', owner: 'platform-team', expires: daysFromNow(-2) };
    const r = await cli(['check', '-', '--format', 'json'], privilegedPod('gpu', [waiver]));
    expect(r.code).toBe(1);
    const ids = JSON.parse(r.out).findings.filter((f: any) => f.blocking).map((f: any) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining(['privileged-container', 'waiver-expired']));
  });

  test('--level restricts the rules to the Pod Security Standards controls of that level', async () => {
    const b = JSON.parse((await cli(['check', CLEAN, '--level', 'baseline', '--format', 'json'])).out);
    const r = JSON.parse((await cli(['check', CLEAN, '--level', 'restricted', '--format', 'json'])).out);
    const unwaivable = Catalogue.all().filter(x => x.waivable === false).length;
    expect(unwaivable).toBeGreaterThanOrEqual(4);
    expect(b.summary.rules).toBe(Catalogue.podSecurityRules('baseline' as any).length + unwaivable);
    expect(r.summary.rules).toBe(Catalogue.podSecurityRules('restricted' as any).length + unwaivable);
    expect(b.level).toBe('baseline');
  });

  test('--level still reports expired, unused and invalid waivers, and accepts waivers of rules outside the level', async () => {
    const waiver = (ruleId: string, expires: string) => ({ ruleId, reason: 'node agent needs host devices for the GPU driver', owner: 'platform-team', expires });
    const ids = async (waivers: object[]) => {
      const r = await cli(['check', '-', '--format', 'json', '--level', 'baseline'], privilegedPod('gpu', waivers));
      return { code: r.code, ids: JSON.parse(r.out).findings.filter((f: any) => f.blocking).map((f: any) => f.ruleId).sort() };
    };
    expect(await ids([waiver('privileged-container', daysFromNow(-1))])).toEqual({ code: 1, ids: ['privileged-container', 'waiver-expired'] });
    expect(await ids([waiver('privileged-container', daysFromNow(10)), waiver('host-ports', daysFromNow(10))])).toEqual({ code: 1, ids: ['waiver-unused'] });
    expect(await ids([waiver('privileged-container', daysFromNow(10)), waiver('no-such-rule', daysFromNow(10))])).toEqual({ code: 1, ids: ['waiver-invalid'] });
    // image-digest is not a Pod Security control: not evaluated at this level, so its waiver is neither unknown nor unused.
    expect(await ids([waiver('privileged-container', daysFromNow(10)), waiver('image-digest', daysFromNow(10))])).toEqual({ code: 0, ids: [] });
  });
});

describe('bad input: exit 2, one clear message with file and line, no stack trace', () => {
  test('malformed YAML', async () => {
    const f = tmpFile('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
    await expectBadInput(['check', f], '', /bad\.yaml:\d+: malformed YAML/);
  });
  test('malformed JSON', async () => {
    const f = tmpFile('bad.json', '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {\n}\n');
    await expectBadInput(['check', f], '', /bad\.json:\d+: malformed YAML\/JSON/);
  });
  test('duplicate keys are read as kubectl reads them: the last one wins', async () => {
    const r = await cli(['check', '-', '--format', 'json'], 'apiVersion: v1\nkind: Pod\nkind: Service\nmetadata: {name: a}\nspec:\n  type: ClusterIP\n  type: NodePort\n  ports: [{port: 80}]\n');
    expect(r.err).toBe('');
    const report = JSON.parse(r.out);
    expect(report.summary.objects).toBe(1);
    expect(report.findings.every((f: any) => f.object.kind === 'Service')).toBe(true);
  });
  test('keys of different YAML types that read as one string are refused (kubectl keeps one of them at random)', async () => {
    await expectBadInput(['check', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  1: a\n  "1": b\n', /<stdin>:\d+: malformed YAML\/JSON .*at random/);
  });
  test('binary data (NUL bytes)', async () => {
    const f = tmpFile('image.yaml', Buffer.concat([Buffer.from('apiVersion: v1\nkind: Pod\n'), Buffer.from([0x89, 0x00, 0x01])]));
    await expectBadInput(['check', f], '', /image\.yaml:3: binary data/);
  });
  test('YAML alias bomb is refused quickly', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  ${levels.join('\n  ')}\n`;
    const start = Date.now();
    await expectBadInput(['check', '-'], bomb, /<stdin>:\d+: YAML alias expansion exceeds the limit in document 0 \(alias bomb\?\)/);
    expect(Date.now() - start).toBeLessThan(2000);
  });
  test('the alias limit is by expanded size, not alias count: 150 aliases of one scalar are fine', async () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n  v: &v value\n${Array.from({ length: 150 }, (_, i) => `  k${i}: *v`).join('\n')}\n`;
    const r = await cli(['check', '-'], cm);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
  test('nesting 10,000 levels deep is one clear line, not a crash', async () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  a: ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    await expectBadInput(['check', '-'], deep, /<stdin>:\d+: document 0: nested deeper than 1,000 levels/);
  });
  test('UTF-16 with a byte order mark is read as kubectl reads it (transcoded), not called binary', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const input of [le, be]) {
      const r = await cli(['check', '-', '--format', 'json'], input);
      expect(r.err).toBe('');
      expect(JSON.parse(r.out).summary.objects).toBe(2);
    }
  });
  test('invalid UTF-8 is read as kubectl reads it: each invalid sequence becomes U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "x'), Buffer.from([0xc3, 0x28]), Buffer.from('y'), Buffer.from([0xe2, 0x82]), Buffer.from('z"}\n')]);
    const objects = parseSource('bad-utf8.yaml', bytes);
    expect(objects[0].object.data.k).toBe('x\ufffd(y\ufffdz'); // kubectl label --local -o json prints the same
    expect((await cli(['check', '-'], bytes)).code).toBe(0);
  });
  test('object without apiVersion or kind', async () => {
    await expectBadInput(['check', '-'], 'metadata:\n  name: a\n', /<stdin>:1: document 0 has no apiVersion/);
    await expectBadInput(['check', '-'], '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n', /<stdin>:6: document 1 has no kind/);
  });
  test('unknown kind in a core group', async () => {
    await expectBadInput(['check', '-'], 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n', /<stdin>:1: .*unknown kind "Deploymnet" for apiVersion "apps\/v1".*Deployment/);
    await expectBadInput(['check', '-'], 'apiVersion: v1\nkind: Deployment\nmetadata: {name: a}\n', /unknown kind "Deployment" for apiVersion "v1"/);
  });
  test('core group version not served by the Kubernetes version, and undotted unknown groups', async () => {
    await expectBadInput(['check', '-'], 'apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: a}\n', /apiVersion "apps\/v2" is not served by Kubernetes 1.36 .*use apps\/v1/);
    await expectBadInput(['check', '--kube-version', '1.28', '-'], 'apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: a}\n', /apiVersion "apps\/v2" is not served by Kubernetes 1.28/);
    await expectBadInput(['check', '-'], 'apiVersion: foo/v1\nkind: Bar\nmetadata: {name: a}\n', /unknown apiVersion "foo\/v1"/);
  });
  test('a document that is not an object', async () => {
    await expectBadInput(['check', '-'], '- a\n- b\n', /<stdin>:1: document 0 is not a Kubernetes object/);
  });
  test('an oversized file is refused before it is read', async () => {
    const f = tmpFile('huge.yaml', '');
    fs.truncateSync(f, MAX_INPUT_BYTES + 1);
    await expectBadInput(['check', f], '', /huge\.yaml: input is 50\.0 MB, larger than the 50 MB limit/);
  });
  test('oversized stdin is refused while streaming', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const stream = Readable.from((function* () { for (let i = 0; i < 60; i++) yield chunk; })());
    await expect(readStream(stream)).rejects.toThrow(/<stdin>: input is \d+\.\d MB, larger than the 50 MB limit/);
  });
  test('missing file, empty directory, unknown option, bad level, unknown format', async () => {
    await expectBadInput(['check', 'no/such/file.yaml'], '', /no\/such\/file\.yaml: no such file or directory/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-empty-'));
    await expectBadInput(['check', empty], '', /directory holds no/);
    expect((await cli(['check', CLEAN, '--bogus'])).code).toBe(2);
    await expectBadInput(['check', CLEAN, '--level', 'privileged'], '', /"privileged" is not a Pod Security Standards level/);
    expect((await cli(['check', CLEAN, '--format', 'xml'])).code).toBe(2);
    expect((await cli(['check'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
  });
});

describe('rules and explain', () => {
  test('rules lists every rule with severity, PSS level and STRIDE', async () => {
    const r = await cli(['rules']);
    expect(r.code).toBe(0);
    for (const rule of Catalogue.all()) {
      expect(r.out).toMatch(new RegExp(`^${rule.id}\\s+${rule.severity}\\s+${rule.pssLevel ?? '-'}\\s+${rule.stride.join(', ')}$`, 'm'));
    }
  });
  test('rules --format json', async () => {
    const rules = JSON.parse((await cli(['rules', '--format', 'json'])).out);
    expect(rules.map((x: any) => x.id)).toEqual(Catalogue.all().map(x => x.id));
    const priv = rules.find((x: any) => x.id === 'privileged-container');
    expect(priv).toMatchObject({ severity: 'error', pssLevel: 'baseline', stride: ['Elevation of privilege', 'Tampering'] });
    expect(priv.remediation.length).toBeGreaterThan(0);
  });
  test('rules --level baseline', async () => {
    const rules = JSON.parse((await cli(['rules', '--level', 'baseline', '--format', 'json'])).out);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((x: any) => x.pssLevel === 'baseline')).toBe(true);
  });
  test('explain prints description, fix and references', async () => {
    const r = await cli(['explain', 'privileged-container']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('privileged-container: Containers must not run privileged');
    expect(r.out).toContain('STRIDE:       Elevation of privilege, Tampering');
    expect(r.out).toContain('Fix: Remove `securityContext.privileged: true`');
    expect(r.out).toContain('CIS Kubernetes Benchmark 5.2.2');
    expect(JSON.parse((await cli(['explain', 'privileged-container', '--format', 'json'])).out).id).toBe('privileged-container');
  });
  test('explain of an unknown rule exits 2 with suggestions', async () => {
    const err = await expectBadInput(['explain', 'privileged'], '', /unknown rule "privileged"/);
    expect(err).toContain('privileged-container');
  });
  test('--help exits 0', async () => {
    const r = await cli(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--allowed-registry');
  });
});

describe('bin/cdk8s-hardened.js as a child process', () => {
  const bin = path.join(REPO, 'bin', 'cdk8s-hardened.js');
  test('check --format sarif on a file exits 1 with a SARIF log', () => {
    const p = spawnSync(process.execPath, [bin, 'check', PRIVILEGED, '--format', 'sarif'], { cwd: REPO, encoding: 'utf8', timeout: 60000 });
    expect(p.status).toBe(1);
    const log = JSON.parse(p.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.some((r: any) => r.ruleId === 'privileged-container'
      && r.locations[0].physicalLocation.region.startLine === 26)).toBe(true);
  });
  test('a reader that closes the pipe early (`| head`) stops it quietly: exit 141, no stack trace', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ns}\nspec:\n  containers: [{name: c, image: "r.example.com/c:1"}]\n`).join('---\n');
    const file = tmpFile('many.yaml', many);
    const p = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" check "$2" | head -c 200 > /dev/null', process.execPath, bin, file], { cwd: REPO, encoding: 'utf8', timeout: 120000 });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(141);
  });
  test('bad input on stdin exits 2 with one line and no stack trace', () => {
    const p = spawnSync(process.execPath, [bin, 'check', '-'], { cwd: FIXTURES, input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n', encoding: 'utf8', timeout: 60000 });
    expect(p.status).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr.trim().split('\n')).toHaveLength(1);
    expect(p.stderr).toMatch(/^cdk8s-hardened: error: <stdin>:\d+: malformed YAML/);
  });
});

describe('SARIF artifact URIs', () => {
  test('relative paths stay relative; absolute paths become file:// URIs', async () => {
    const { artifactUri } = await import('../../lib/cli/formatters');
    expect(artifactUri('k8s/app.yaml')).toBe('k8s/app.yaml');
    expect(artifactUri('/tmp/a b.yaml')).toBe('file:///tmp/a%20b.yaml');
  });
});

describe('one bad file never hides the others; empty input is not a pass (issue 15)', () => {
  const bad = () => tmpFile('broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
  test('text: findings of the good file, an error line for the bad one, exit 2', async () => {
    const r = await cli(['check', bad(), PRIVILEGED]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/privileged-container/);
    expect(r.out).toMatch(/broken\.yaml:\d+: error: input: malformed YAML/);
    expect(r.out).toMatch(/1 input error\(s\)\.\n$/);
    expect(r.err).toMatch(/broken\.yaml:\d+: malformed YAML/);
  });
  test('json, sarif and junit carry the error entry next to the findings', async () => {
    const f = bad();
    const j = JSON.parse((await cli(['check', f, PRIVILEGED, '--format', 'json'])).out);
    expect(j.summary.inputErrors).toBe(1);
    expect(j.inputErrors[0]).toEqual({ file: expect.stringMatching(/broken\.yaml$/), line: expect.any(Number), message: expect.stringMatching(/malformed YAML/) });
    expect(j.findings.some((x: any) => x.ruleId === 'privileged-container')).toBe(true);
    const s = await cli(['check', f, PRIVILEGED, '--format', 'sarif']);
    expect(s.code).toBe(2);
    const run = JSON.parse(s.out).runs[0];
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0]).toMatchObject({ level: 'error', message: { text: expect.stringMatching(/malformed YAML/) } });
    expect(run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/broken\.yaml$/);
    expect(run.results.some((x: any) => x.ruleId === 'privileged-container')).toBe(true);
    const u = await cli(['check', f, PRIVILEGED, '--format', 'junit']);
    expect(u.code).toBe(2);
    expect(u.out).toMatch(/errors="1"/);
    expect(u.out).toMatch(/<error message="malformed YAML[^"]*" type="input">/);
    expect(u.out).toMatch(/<failure message="[^"]*privileged-container/);
  });
  test('a missing operand next to a good one is an error entry too', async () => {
    const r = await cli(['check', 'no/such/file.yaml', CLEAN, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).inputErrors[0]).toMatchObject({ file: 'no/such/file.yaml', message: 'no such file or directory' });
  });
  test('clean input next to nothing bad still exits 0; empty input exits 2 unless --allow-empty', async () => {
    expect((await cli(['check', CLEAN])).code).toBe(0);
    await expectBadInput(['check', '-'], '', /no Kubernetes objects found.*--allow-empty/);
    await expectBadInput(['check', '-'], '# only a comment\n---\n---\n', /no Kubernetes objects found/);
    const ok = await cli(['check', '-', '--allow-empty'], '');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('0 object(s) checked');
  });
});
