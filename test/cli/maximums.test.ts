/**
 * The profile maximums (`profile-maximums`) as settings of every CI surface: `check` flags, the configuration file,
 * the cdk8s plugin's properties and `admission-policies` flags — the same names and validation as HardeningProfile.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { HardenedValidation, PluginContext } from '../../lib/cli/plugin';
import { cli, DIGEST, goodPod } from './helpers';

function tmpDir(files: { [name: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-max-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** A Deployment with `replicas` and one container asking for `cpu` / `memory`. */
function deployment(replicas: number, cpu = '100m', memory = '64Mi'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      automountServiceAccountToken: false
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: c
          image: registry.example.com/c@${DIGEST}
          resources: { requests: { cpu: ${cpu}, memory: ${memory} }, limits: { cpu: ${cpu}, memory: ${memory} } }
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }
`;
}

const maxFindings = (out: string) => JSON.parse(out).findings.filter((f: any) => f.ruleId === 'profile-maximums');

describe('check: --max-replicas, --max-container-cpu, --max-container-memory', () => {
  const dir = tmpDir({ 'app.yaml': deployment(30, '8', '16Gi') });

  test('default: no maximum, so the rule reports nothing', async () => {
    const r = await cli(['check', 'app.yaml', '-f', 'json', '--no-config'], '', dir);
    expect(maxFindings(r.out)).toEqual([]);
  });

  test('flags: each maximum is judged, blocking, with the path of the value', async () => {
    const r = await cli(['check', 'app.yaml', '-f', 'json', '--no-config', '--max-replicas', '20', '--max-container-cpu', '4', '--max-container-memory', '8Gi'], '', dir);
    expect(r.code).toBe(1);
    const paths = maxFindings(r.out).map((f: any) => f.path).sort();
    expect(paths).toEqual([
      'spec.replicas',
      'spec.template.spec.containers[0].resources.limits.cpu',
      'spec.template.spec.containers[0].resources.limits.memory',
      'spec.template.spec.containers[0].resources.requests.cpu',
      'spec.template.spec.containers[0].resources.requests.memory',
    ]);
    expect(maxFindings(r.out).every((f: any) => f.blocking)).toBe(true);
  });

  test('values at the maximum pass (the same quantity in another spelling too)', async () => {
    const r = await cli(['check', 'app.yaml', '-f', 'json', '--no-config', '--max-replicas', '30', '--max-container-cpu', '8000m', '--max-container-memory', '16384Mi'], '', dir);
    expect(maxFindings(r.out)).toEqual([]);
  });

  test.each([
    ['--max-replicas', '0'], ['--max-replicas', '-3'], ['--max-replicas', '2.5'], ['--max-replicas', 'ten'], ['--max-replicas', '1e3'],
    ['--max-container-cpu', '-1'], ['--max-container-cpu', '0'], ['--max-container-cpu', 'four'], ['--max-container-memory', '8GB'],
    ['--max-container-memory', '0Gi'],
  ])('%s %s is a usage error naming the flag (exit 2)', async (flag, value) => {
    const r = await cli(['check', 'app.yaml', '--no-config', flag, value], '', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${flag}: "${value}"`);
  });

  test('the configuration file sets them; a flag wins over the file', async () => {
    const cfg = tmpDir({ '.cdk8s-hardened.yaml': 'maxReplicas: 20\nmaxContainerCpu: "4"\nmaxContainerMemory: 8Gi\n', 'app.yaml': deployment(30) });
    const r = await cli(['check', 'app.yaml', '-f', 'json'], '', cfg);
    expect(maxFindings(r.out).map((f: any) => f.path)).toEqual(['spec.replicas']);
    const flag = await cli(['check', 'app.yaml', '-f', 'json', '--max-replicas', '40'], '', cfg);
    expect(maxFindings(flag.out)).toEqual([]);
  });

  test('the configuration file is validated: a non-quantity names the key and the line', async () => {
    const cfg = tmpDir({ '.cdk8s-hardened.yaml': 'kubeVersion: "1.36"\nmaxContainerMemory: lots\n', 'app.yaml': goodPod('web') });
    const r = await cli(['check', 'app.yaml'], '', cfg);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.cdk8s-hardened\.yaml:2: maxContainerMemory "lots" does not match/);
    const zero = tmpDir({ '.cdk8s-hardened.yaml': 'maxReplicas: 0\n', 'app.yaml': goodPod('web') });
    expect((await cli(['check', 'app.yaml'], '', zero)).code).toBe(2);
    const zeroQ = tmpDir({ '.cdk8s-hardened.yaml': 'maxContainerCpu: "0"\n', 'app.yaml': goodPod('web') });
    const z = await cli(['check', 'app.yaml'], '', zeroQ);
    expect(z.code).toBe(2);
    expect(z.err).toContain('maxContainerCpu: "0" is not a positive Kubernetes quantity');
  });
});

describe('cdk8s plugin: maxReplicas, maxContainerCpu, maxContainerMemory properties', () => {
  function fakeContext(manifests: string[]) {
    const violations: any[] = [];
    let status: string | undefined;
    const context: PluginContext = {
      manifests,
      report: { addViolation: v => { violations.push(v); }, submit: s => { status = s; } },
      logger: { log: () => {} },
    };
    return { context, violations, get status() { return status; } };
  }

  test('a property judges the same as the flag; an invalid one is a configuration failure', async () => {
    const dir = tmpDir({ 'app.k8s.yaml': deployment(30) });
    const manifest = path.join(dir, 'app.k8s.yaml');
    const ok = fakeContext([manifest]);
    await new HardenedValidation({ config: '', maxReplicas: 30 }).validate(ok.context);
    expect(ok.violations.filter(v => v.ruleName.startsWith('profile-maximums'))).toEqual([]);
    const over = fakeContext([manifest]);
    await new HardenedValidation({ config: '', maxReplicas: 20, removeBlockedManifests: false }).validate(over.context);
    expect(over.status).toBe('failure');
    expect(over.violations.find(v => v.ruleName.startsWith('profile-maximums'))?.violatingResources[0].locations[0]).toMatch(/^spec\.replicas/);
    const bad = fakeContext([manifest]);
    await new HardenedValidation({ config: '', maxContainerCpu: 'lots' }).validate(bad.context);
    expect(bad.status).toBe('failure');
    expect(bad.violations[0].recommendation).toContain('--max-container-cpu: "lots" is not a positive Kubernetes quantity');
  });
});

describe('admission-policies: the maximums as flags', () => {
  const policies = async (args: string[]) => {
    const r = await cli(['admission-policies', ...args]);
    return { ...r, docs: YAML.parseAllDocuments(r.out).map(d => d.toJSON()) };
  };

  test('without a maximum no profile-maximums policy; with one it is generated with the maximum in its CEL', async () => {
    const none = await policies([]);
    expect(none.docs.map((d: any) => d.metadata.name)).not.toContain('hardened-profile-maximums');
    const some = await policies(['--max-replicas', '20', '--max-container-memory', '8Gi']);
    expect(some.code).toBe(0);
    const p = some.docs.find((d: any) => d.kind === 'ValidatingAdmissionPolicy' && d.metadata.name === 'hardened-profile-maximums');
    expect(p).toBeDefined();
    const cel = JSON.stringify(p.spec.validations);
    expect(cel).toContain('double(object.spec.replicas) <= 2e+1');
    expect(cel).toContain((8 * 2 ** 30).toExponential());
    expect(some.docs.some((d: any) => d.kind === 'ValidatingAdmissionPolicyBinding' && d.spec.policyName === 'hardened-profile-maximums')).toBe(true);
  });

  test('--not-enforced lists it as partly generated once a maximum is set', async () => {
    const r = await cli(['admission-policies', '--not-enforced', '--max-container-cpu', '4']);
    expect(r.out).toMatch(/\| profile-maximums \| partly generated: /);
  });

  test('an invalid maximum is a usage error naming the flag', async () => {
    const r = await cli(['admission-policies', '--max-replicas', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--max-replicas: "0" must be a positive whole number');
  });
});
