/**
 * The Pod Security Standards version reaches the CLI and the validation plugin: `check --pss-version` and the
 * plugin's `podSecurityVersion` property judge by that version; anything outside the supported set is bad input.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HardenedValidation, PluginContext } from '../../lib/cli/plugin';
import { cli } from './helpers';

const HOST_PROBE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: registry.example.com/app@sha256:${'a'.repeat(64)}
    readinessProbe:
      httpGet: {path: /, port: 8080, host: 169.254.169.254}
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`;

describe('check --pss-version', () => {
  test.each([
    [[], 1], [['--kube-version', '1.33'], 0], [['--kube-version', '1.34'], 1], [['--pss-version', 'v1.28'], 0], [['--pss-version', 'v1.33'], 0], [['--pss-version', 'v1.34'], 1],
    [['--pss-version', 'v1.35'], 1], [['--pss-version', 'v1.36'], 1], [['--kube-version', '1.35'], 1], [['--pss-version', 'latest'], 1],
  ])('%j exits %d on a probe with a host', async (flags, code) => {
    const r = await cli(['check', '-', '--level', 'baseline', '--format', 'json', ...flags as string[]], HOST_PROBE_POD);
    expect(r.code).toBe(code);
    const report = JSON.parse(r.out);
    expect(report.findings.filter((f: any) => f.blocking).map((f: any) => f.ruleId)).toEqual(code ? ['probe-host'] : []);
  });

  test.each(['v1.27', 'v1.37', 'v1.028', '1.34', ''])('%j is bad input (exit 2) naming the supported versions', async v => {
    const r = await cli(['check', '-', '--pss-version', v], HOST_PROBE_POD);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--pss-version');
    expect(r.err).toContain('v1.28 … v1.36 or latest');
  });
});

describe('validation plugin podSecurityVersion', () => {
  function run(props: any, text = HOST_PROBE_POD) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-'));
    const manifest = path.join(dir, 'pod.yaml');
    fs.writeFileSync(manifest, text);
    const violations: any[] = [];
    let status = '';
    const context: PluginContext = {
      manifests: [manifest],
      report: { addViolation: v => { violations.push(v); }, submit: s => { status = s; } },
      logger: { log: () => undefined },
    };
    return new HardenedValidation(props).validate(context).then(() => ({ status, rules: violations.map(v => v.ruleName.split(':')[0]) }));
  }

  test('a hostUsers: false pod running as root: refused at v1.34 and on a 1.34 cluster, admitted at v1.35 on 1.35 (restricted)', async () => {
    const pod = HOST_PROBE_POD.replace(/\n\s*readinessProbe:\n\s*httpGet: \{[^}]*\}/, '').replace('spec:\n', 'spec:\n  hostUsers: false\n')
      .replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n      runAsUser: 0\n      seccompProfile: {type: RuntimeDefault}');
    expect(pod).toContain('hostUsers: false');
    expect(pod).not.toContain('169.254.169.254');
    const ids = async (props: any) => (await run({ level: 'restricted', ...props }, pod)).rules.sort();
    expect(await ids({ podSecurityVersion: 'v1.34' })).toEqual(['run-as-user-root']);
    expect(await ids({ kubeVersion: '1.34', podSecurityVersion: 'v1.35' })).toEqual(['run-as-user-root']);
    expect(await ids({ kubeVersion: '1.35' })).toEqual([]);
    expect(await ids({})).toEqual([]);
  });

  test('judges by the property', async () => {
    expect(await run({ level: 'baseline', podSecurityVersion: 'v1.33' })).toEqual({ status: 'success', rules: [] });
    expect(await run({ level: 'baseline', podSecurityVersion: 'v1.34' })).toEqual({ status: 'failure', rules: ['probe-host'] });
    // default: follows kubeVersion (1.36 -> v1.36)
    expect(await run({ level: 'baseline' })).toEqual({ status: 'failure', rules: ['probe-host'] });
    expect(await run({ level: 'baseline', kubeVersion: '1.33' })).toEqual({ status: 'success', rules: [] });
  });

  test.each(['v1.37', 'latest ', 'v1.27'])('rejects %j at construction', v => {
    expect(() => new HardenedValidation({ podSecurityVersion: v })).toThrow(/properties\.podSecurityVersion=.*v1\.28 … v1\.36 or latest/);
  });
});
