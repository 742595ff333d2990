import { App, Chart, ApiObject, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { AdmissionApiVersion, AdmissionPolicies, HardeningProfile, EnforcementMode } from '../../lib';
import { NOT_AT_ADMISSION } from '../../lib/admission/cel-rules';
import { bakeWaivers, describeExemption, enforceableRuleIds, generatePolicies, generateRules, notEnforcedTable, SYSTEM_EXEMPTIONS } from '../../lib/admission/generate';
import { OBJECT_RULES } from '../../lib/admission/object-rules';
import { admissionRules } from '../../lib/admission/pod-rules';
import { run } from '../../lib/cli/main';
import { Catalogue } from '../../lib/policy/catalogue';
import { HardeningError } from '../../lib/policy/errors';
import { PolicySettings } from '../../lib/policy/types';
import { schemaErrors } from '../util/schema';
import { daysFromNow } from '../util/synth';
import { waiverSources } from './arbitrary';
import { estimateCost, PER_CALL_LIMIT, RUNTIME_BUDGET } from './cost';
import { v1SchemaErrors } from './v1-schema';

const SETTINGS: PolicySettings = { allowedRegistries: ['registry.example.com'], requireDigest: true, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const WAIVED = (annotation: any[], extra: any = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify(annotation) }, ...extra },
});
const W = (ruleId: string, expires = '2026-12-31', path?: string) => ({ ruleId, reason: 'accepted until the vendor ships a fix', owner: 'shop-team', expires, ...(path ? { path } : {}) });

describe('coverage of the catalogue', () => {
  test('every catalogue rule is enforced at admission or listed with a reason', () => {
    const enforced = new Set(enforceableRuleIds({ ...SETTINGS }));
    for (const id of Object.keys(NOT_AT_ADMISSION)) {
      expect(Catalogue.find(id)).toBeDefined();
      expect(enforced.has(id)).toBe(false);
    }
    const table = notEnforcedTable(SETTINGS);
    expect(table).not.toContain('not analysed');
    const partial = OBJECT_RULES.filter(r => r.partial).map(r => r.id);
    expect(partial).toEqual(['service-exposure', 'rbac-binding-privileged']);
    for (const r of Catalogue.all()) {
      if (!enforced.has(r.id)) expect(table).toContain(`| ${r.id} |`);
      else if (partial.includes(r.id)) expect(table).toContain(`| ${r.id} | partly generated: ${OBJECT_RULES.find(x => x.id === r.id)!.partial} |`);
      else expect(table).not.toContain(`| ${r.id} |`);
    }
    // the Pod Security Standards controls are all enforced at admission (proc-mount-restricted exists from v1.35)
    for (const r of Catalogue.all().filter(x => x.pssLevel && x.id !== 'proc-mount-restricted')) expect(enforced.has(r.id)).toBe(true);
    const latest = new Set(enforceableRuleIds({ ...SETTINGS, podSecurityVersion: 'latest' }));
    for (const r of Catalogue.all().filter(x => x.pssLevel)) expect(latest.has(r.id)).toBe(true);
  });

  test('--not-enforced with the defaults: probe-host, image-registry-allowed and image-digest are listed by the setting that generates them, never as "not analysed"', async () => {
    const out: string[] = [];
    const cli = async (...args: string[]) => {
      out.length = 0;
      expect(await run(['admission-policies', '--not-enforced', ...args], { stdout: (t: string) => out.push(t), stderr: () => undefined, readStdin: async () => Buffer.from(''), cwd: process.cwd() })).toBe(0);
      return out.join('');
    };
    // The default Kubernetes version (1.36) implies PSS v1.36: probe-host and proc-mount-restricted are generated and not listed.
    expect(await cli('--no-require-digest')).not.toContain('| probe-host |');
    expect(await cli('--no-require-digest')).not.toContain('| proc-mount-restricted |');
    expect(await cli('--no-require-digest', '--pss-version', 'v1.35', '--kube-version', '1.34'))
      .toMatch(/\| proc-mount-restricted \| a Pod Security Standards v1\.35\+ control on Kubernetes 1\.35\+ .*\(this run: v1\.35, 1\.34\) \|/);
    const table = await cli('--no-require-digest', '--kube-version', '1.28');
    expect(table).not.toContain('not analysed');
    expect(table).toMatch(/\| probe-host \| a Pod Security Standards v1\.34\+ control: generated with --pss-version v1\.34 or later \(podSecurityVersion; this run: v1\.28\) \|/);
    expect(table).toContain('| image-registry-allowed | generated when registries are given');
    expect(table).toContain('| image-digest | generated unless digests are not required');
    expect(table).not.toContain('| privileged-container |');
  });

  test('settings that make a rule a no-op leave it out; probe-host only from v1.34', () => {
    const ids = (s: Partial<PolicySettings>) => admissionRules({ ...SETTINGS, ...s }).map(r => r.id);
    expect(ids({ requireDigest: false })).not.toContain('image-digest');
    expect(ids({ allowedRegistries: [] })).not.toContain('image-registry-allowed');
    expect(ids({ podSecurityVersion: 'v1.33' })).not.toContain('probe-host');
    expect(ids({ podSecurityVersion: 'latest' })).toContain('probe-host');
    // proc-mount-restricted: only when the user-namespace relaxation is in force (PSS v1.35+ and Kubernetes 1.35+)
    expect(ids({ podSecurityVersion: 'v1.34' })).not.toContain('proc-mount-restricted');
    expect(ids({ podSecurityVersion: 'v1.35', kubeVersion: '1.34' })).not.toContain('proc-mount-restricted');
    expect(ids({ podSecurityVersion: 'v1.35', kubeVersion: '1.35' })).toContain('proc-mount-restricted');
    expect(ids({ podSecurityVersion: 'latest' })).toContain('proc-mount-restricted');
    expect(() => admissionRules({ ...SETTINGS, podSecurityVersion: 'v1.27' })).toThrow(/not a version/);
  });
});

describe('emitted objects', () => {
  test.each(['v1', 'v1beta1'] as const)('%s: a policy and a binding per rule, Deny, pods/ephemeralcontainers matched', v => {
    const objs = generatePolicies({ settings: SETTINGS, apiVersion: v, generatedOn: ON });
    const rules = generateRules({ settings: SETTINGS, apiVersion: v, generatedOn: ON });
    expect(objs).toHaveLength(rules.length * 2);
    for (const o of objs) expect(o.apiVersion).toBe(`admissionregistration.k8s.io/${v}`);
    const policy = objs.find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'hardened-privileged-container');
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.matchConstraints.resourceRules[0].resources).toEqual(['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'podtemplates']);
    // status and scale subresources are never matched, nor DELETE or CONNECT
    for (const r of policy.spec.matchConstraints.resourceRules) {
      expect(r.operations).toEqual(['CREATE', 'UPDATE']);
      expect(r.resources.filter((x: string) => x.includes('/'))).toEqual(r.apiGroups[0] === '' ? ['pods/ephemeralcontainers'] : []);
    }
    expect(policy.spec.validations[0].messageExpression).toContain('[privileged-container]');
    expect(policy.spec.validations[0].messageExpression).toContain('Fix: ');
    const binding = objs.find(o => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === 'hardened-privileged-container');
    expect(binding.spec).toEqual({ policyName: 'hardened-privileged-container', validationActions: ['Deny'] });
  });

  test('v1beta1 objects validate against the Kubernetes 1.28 OpenAPI schema', () => {
    const objs = generatePolicies({
      settings: SETTINGS, apiVersion: 'v1beta1', generatedOn: ON, waiverSources: waiverSources(),
      exemptions: [{ namespace: 'ops', reason: 'the ops team runs node debuggers here, reviewed monthly' }, { user: 'system:serviceaccount:kube-system:replicaset-controller', reason: 'accepted for this schema test only' }],
    });
    for (const o of objs) expect(schemaErrors(o)).toEqual([]);
  });

  test('v1 objects: every field emitted exists in admissionregistration.k8s.io/v1 (same shape as the 1.28 v1beta1 schema)', () => {
    // v1 (GA in 1.30) kept the v1beta1 fields the generator emits (failurePolicy, matchConstraints, matchConditions,
    // variables, validations; policyName, validationActions): checked against the v1beta1 schema with the version swapped,
    // plus the fields v1 requires.
    const objs = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, waiverSources: waiverSources() });
    for (const o of objs) {
      expect(schemaErrors({ ...o, apiVersion: 'admissionregistration.k8s.io/v1beta1' })).toEqual([]);
      if (o.kind === 'ValidatingAdmissionPolicyBinding') expect(o.spec.validationActions.length).toBeGreaterThan(0);
      else expect(o.spec.validations.every((x: any) => typeof x.expression === 'string')).toBe(true);
    }
  });

  test.each(['1.30', '1.36'] as const)('v1 objects validate against the Kubernetes %s OpenAPI definitions (vendored), strictly', release => {
    const objs = generatePolicies({
      settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, waiverSources: waiverSources(), audit: true, denyRules: ['privileged-container'],
      exemptions: [{ namespace: 'ops', reason: 'node debuggers of the ops team, reviewed monthly' }, { user: 'system:serviceaccount:ci:deployer', reason: 'accepted for this schema test only' }],
    });
    expect(objs.length).toBeGreaterThan(40);
    for (const o of objs) expect(v1SchemaErrors(o, release)).toEqual([]);
    // the validator rejects what the API server would: an unknown field, a wrong type
    const bad = JSON.parse(JSON.stringify(objs[0]));
    bad.spec.validations[0].severity = 'high';
    expect(v1SchemaErrors(bad, release).join()).toContain('(severity)');
    bad.spec.validations[0] = { expression: 42 };
    expect(v1SchemaErrors(bad, release).join()).toContain('must be string');
  });

  test('audit mode: Audit + Warn, never Deny; denyRules make those rules Deny (the rollout, rule by rule)', () => {
    const objs = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, audit: true });
    for (const b of objs.filter(o => o.kind === 'ValidatingAdmissionPolicyBinding')) expect(b.spec.validationActions).toEqual(['Audit', 'Warn']);
    const staged = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, audit: true, denyRules: ['privileged-container', 'host-namespaces'] });
    const deny = staged.filter(o => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.validationActions[0] === 'Deny').map(o => o.spec.policyName);
    expect(deny).toEqual(['hardened-host-namespaces', 'hardened-privileged-container']);
    // the default (enforce): every error rule denies; warning and info rules (pod-rules-extra.ts) warn
    const actions = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON }).filter(o => o.kind === 'ValidatingAdmissionPolicyBinding')
      .map(o => [o.metadata.labels['hardened.cdk8s.io/rule'], o.spec.validationActions.join('+')]);
    expect(actions.filter(([id, a]) => a !== (Catalogue.get(id).severity === 'error' ? 'Deny' : 'Audit+Warn'))).toEqual([]);
    expect(actions.filter(([, a]) => a === 'Audit+Warn').length).toBeGreaterThan(5);
  });

  test('exemptions are explicit and visible: namespaceSelector and matchConditions; with exemptSystem false none at all', () => {
    const plain = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, exemptSystem: false })[0];
    expect(plain.spec.matchConstraints.namespaceSelector).toBeUndefined();
    expect(plain.spec.matchConditions).toBeUndefined();
    expect(plain.metadata.annotations['hardened.cdk8s.io/exemptions']).toBe('none');
    const p = generatePolicies({
      settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, exemptSystem: false,
      exemptions: [{ namespace: 'kube-system', reason: 'kube-proxy and the CNI run privileged here' }, { user: 'system:serviceaccount:kube-system:daemon-set-controller', reason: 'creates the CNI pods from reviewed DaemonSets' }],
    })[0];
    expect(p.spec.matchConstraints.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] });
    expect(p.spec.matchConditions).toEqual([{ name: 'exempt-users', expression: "!(request.userInfo.username in ['system:serviceaccount:kube-system:daemon-set-controller'])" }]);
    expect(p.metadata.annotations['hardened.cdk8s.io/exemptions']).toBe('namespace kube-system: kube-proxy and the CNI run privileged here\n' +
      'user system:serviceaccount:kube-system:daemon-set-controller: creates the CNI pods from reviewed DaemonSets');
    // an exemption without a reason, with a wildcard, or naming two things is refused
    for (const e of [{ namespace: 'kube-system', reason: 'short' }, { namespace: 'kube-*', reason: 'all the system namespaces of the cluster' }, { namespace: 'a', user: 'b', reason: 'two things at once, which is ambiguous' }]) {
      expect(() => generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, exemptions: [e as any] })).toThrow(/exemption/);
    }
  });

  test('every expression stays inside the API server cost budgets', () => {
    let worst = 0;
    let worstPolicy = 0;
    for (const version of ['v1.28', 'v1.34']) {
      for (const g of generateRules({ settings: { ...SETTINGS, podSecurityVersion: version }, apiVersion: 'v1', generatedOn: ON, waiverSources: waiverSources() })) {
        // the waivers list of one object is at most the paths baked for one identity
        const groups = new Map<string, number>();
        for (const w of g.waivers) {
          const key = JSON.stringify([w.kind, w.namespace, w.name]);
          groups.set(key, (groups.get(key) ?? 0) + 1);
        }
        const waiverBound = Math.max(1, ...groups.values());
        // a rule with limits (netpol-metadata.ts): its rule validation is estimated within the limits it enforces (netpol-metadata.test.ts)
        const estimated = OBJECT_RULES.find(r => r.id === g.rule.id)?.limits ? g.validations.slice(0, -1) : g.validations;
        const costs = [...g.variables.map(v => estimateCost(v.expression, waiverBound)),
          ...estimated.flatMap(v => [estimateCost(v.expression, waiverBound), estimateCost(v.messageExpression, waiverBound)])];
        worst = Math.max(worst, ...costs);
        worstPolicy = Math.max(worstPolicy, costs.reduce((a, b) => a + b, 0));
        for (const c of costs) if (c >= PER_CALL_LIMIT) throw new Error(`${g.rule.id} at ${version}: estimated cost ${c} >= ${PER_CALL_LIMIT}`);
        expect(costs.reduce((a, b) => a + b, 0)).toBeLessThan(RUNTIME_BUDGET);
      }
    }

    console.log(`estimated worst-case cost: expression ${worst} (limit ${PER_CALL_LIMIT}), policy ${worstPolicy} (budget ${RUNTIME_BUDGET})`);
  });
});

describe('waivers baked at generation', () => {
  const rules = Catalogue.all();
  test('valid, unexpired waivers of matched kinds are baked with their exact annotation; expired ones are dropped', () => {
    const obj = WAIVED([W('privileged-container', '2026-06-15', 'spec.template.spec.containers[0]'), W('host-namespaces', '2026-06-14')]);
    const baked = bakeWaivers([obj], rules, ON);
    expect(baked).toEqual([{
      ruleId: 'privileged-container', kind: 'Deployment', group: 'apps', namespace: 'shop', name: 'web', path: 'spec.template.spec.containers[0]',
      expires: '2026-06-15', annotation: obj.metadata.annotations['hardened.cdk8s.io/waivers'],
    }]);
    // regenerating the next day drops it
    expect(bakeWaivers([obj], rules, '2026-06-16')).toEqual([]);
  });

  test('an annotation with an invalid entry, an unknown rule, an unwaivable rule or an unmatched kind bakes nothing', () => {
    expect(bakeWaivers([WAIVED([W('privileged-container'), { ruleId: 'host-ports', reason: 'short' }])], rules, ON)).toEqual([]);
    expect(bakeWaivers([WAIVED([W('no-such-rule')])], rules, ON)).toEqual([]);
    expect(bakeWaivers([WAIVED([W('waiver-invalid')])], rules, ON)).toEqual([]);
    expect(bakeWaivers([{ ...WAIVED([W('privileged-container')]), kind: 'Service', apiVersion: 'v1' }], rules, ON)).toEqual([]);
  });

  test('an object without a namespace is baked for the default namespace, never for any namespace', () => {
    const obj = WAIVED([W('privileged-container')]);
    delete (obj.metadata as any).namespace;
    expect(bakeWaivers([obj], rules, ON)[0].namespace).toBe('default');
    expect(bakeWaivers([obj], rules, ON, 'shop')[0].namespace).toBe('shop');
  });

  test('policy annotations make the window visible: generation date and earliest waiver expiry', () => {
    const objs = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, waiverSources: [WAIVED([W('privileged-container', '2026-07-01'), W('privileged-container', '2026-06-20', 'spec.template.spec.initContainers')])] });
    const p = objs.find(o => o.metadata.name === 'hardened-privileged-container' && o.kind === 'ValidatingAdmissionPolicy');
    expect(p.metadata.annotations).toMatchObject({ 'hardened.cdk8s.io/generated-on': ON, 'hardened.cdk8s.io/baked-waivers': '2', 'hardened.cdk8s.io/baked-waivers-valid-until': '2026-06-20' });
    const other = objs.find(o => o.metadata.name === 'hardened-host-ports' && o.kind === 'ValidatingAdmissionPolicy');
    expect(other.metadata.annotations['hardened.cdk8s.io/baked-waivers']).toBe('0');
    expect(other.spec.variables.find((v: any) => v.name === 'waivers').expression).toBe('[]');
  });
});

describe('AdmissionPolicies construct', () => {
  test('documented default apiVersion: the one the profile\'s kubeVersion serves (v1 from 1.30, v1beta1 on 1.28/1.29)', () => {
    const versions = (kubeVersion?: string) => {
      const app = Testing.app();
      const chart = new Chart(app, 'cluster');
      if (kubeVersion) new HardeningProfile(chart, 'profile', { kubeVersion });
      new AdmissionPolicies(chart, 'admission', { rules: ['privileged-container'] });
      return [...new Set(Testing.synth(chart).map((o: any) => o.apiVersion))];
    };
    expect(versions()).toEqual(['admissionregistration.k8s.io/v1']);
    expect(versions('1.30')).toEqual(['admissionregistration.k8s.io/v1']);
    expect(versions('1.29')).toEqual(['admissionregistration.k8s.io/v1beta1']);
    expect(versions('1.28')).toEqual(['admissionregistration.k8s.io/v1beta1']);
  });

  test('emits the policies into its chart with the waivers of the app, judged by the effective profile', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new HardeningProfile(chart, 'profile', { allowedRegistries: ['registry.example.com'], podSecurityVersion: 'v1.34', kubeVersion: '1.33' });
    const workloads = new Chart(app, 'shop');
    new ApiObject(workloads, 'web', { ...WAIVED([W('privileged-container', '2099-01-01')]), spec: {} } as any);
    const policies = new AdmissionPolicies(chart, 'admission', { apiVersion: AdmissionApiVersion.V1BETA1 });
    expect(policies.ruleIds).toContain('probe-host');
    expect(policies.ruleIds).toContain('image-registry-allowed');
    const out = Testing.synth(chart);
    const names = out.filter(o => o.kind === 'ValidatingAdmissionPolicy').map(o => o.metadata.name);
    expect(names).toEqual(policies.ruleIds.map(r => `hardened-${r}`));
    const p = out.find(o => o.metadata.name === 'hardened-privileged-container' && o.kind === 'ValidatingAdmissionPolicy');
    expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
    expect(p.spec.variables.find((v: any) => v.name === 'waivers').expression).toContain("object.metadata.name == 'web'");
    for (const o of out) expect(schemaErrors(o)).toEqual([]);
  });

  test('defaults in the synthesized output: system namespaces and mirror pods exempt (and said so); exemptSystemComponents false and exemptions; denyRules', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new AdmissionPolicies(chart, 'admission', { rules: ['privileged-container'] });
    const p = Testing.synth(chart).find(o => o.kind === 'ValidatingAdmissionPolicy');
    expect(p.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system', 'kube-public', 'kube-node-lease']);
    expect(p.spec.matchConditions.map((m: any) => m.name)).toEqual(['exempt-groups']);
    expect(p.metadata.annotations['hardened.cdk8s.io/exemptions'].split('\n')).toHaveLength(4);
    const chart2 = new Chart(app, 'cluster2');
    new AdmissionPolicies(chart2, 'admission', {
      rules: ['privileged-container'], exemptSystemComponents: false,
      exemptions: [{ namespace: 'kube-system', reason: 'kube-proxy and the CNI run privileged here' }, { user: 'system:serviceaccount:ops:debugger', reason: 'the on-call debugger, reviewed monthly' }],
    });
    const q = Testing.synth(chart2).find(o => o.kind === 'ValidatingAdmissionPolicy');
    expect(q.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system']);
    expect(q.spec.matchConditions).toEqual([{ name: 'exempt-users', expression: "!(request.userInfo.username in ['system:serviceaccount:ops:debugger'])" }]);
    expect(q.metadata.annotations['hardened.cdk8s.io/exemptions']).toBe('namespace kube-system: kube-proxy and the CNI run privileged here\nuser system:serviceaccount:ops:debugger: the on-call debugger, reviewed monthly');
  });

  test('an audit-mode profile with denyRules: those rules Deny, the rest Audit + Warn', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new HardeningProfile(chart, 'profile', { mode: EnforcementMode.AUDIT, exception: { reason: 'second week of the rollout, findings collected', owner: 'platform', expires: daysFromNow(30) } } as any);
    new AdmissionPolicies(chart, 'admission', { rules: ['privileged-container', 'host-ports'], denyRules: ['host-ports'] });
    const bindings = Testing.synth(chart).filter(o => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(bindings.map(b => [b.spec.policyName, b.spec.validationActions])).toEqual([['hardened-privileged-container', ['Audit', 'Warn']], ['hardened-host-ports', ['Deny']]]);
  });

  test('an audit-mode profile binds Audit + Warn', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new HardeningProfile(chart, 'profile', { mode: EnforcementMode.AUDIT, exception: { reason: 'first week of the rollout, findings collected', owner: 'platform', expires: daysFromNow(30) } } as any);
    new AdmissionPolicies(chart, 'admission', { rules: ['privileged-container'] });
    const out = Testing.synth(chart);
    expect(out.find(o => o.kind === 'ValidatingAdmissionPolicyBinding').spec.validationActions).toEqual(['Audit', 'Warn']);
  });

  test('a rule that cannot be judged at admission, or a wildcard exemption, is a HardeningError', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    expect(() => new AdmissionPolicies(chart, 'a', { rules: ['workload-network-policy'] })).toThrow(HardeningError);
    expect(() => new AdmissionPolicies(chart, 'b', { exemptions: [{ namespace: 'kube-*', reason: 'every system namespace of the cluster' }] })).toThrow(/wildcards/);
    expect(() => new AdmissionPolicies(chart, 'c', { exemptions: [{ namespace: 'ops', reason: 'short' }] })).toThrow(/props.exemptions\[0\].*20 characters/s);
    expect(() => new AdmissionPolicies(chart, 'd', { denyRules: ['workload-network-policy'] })).toThrow(/props.denyRules/);
  });
});

describe('admission-policies command', () => {
  const io = (out: string[], err: string[]) => ({ stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readStdin: async () => Buffer.from(''), cwd: process.cwd() });
  test('writes v1beta1 YAML that validates, with waivers read from manifests', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['admission-policies', '--kube-version', '1.33', '--api-version', 'v1beta1', '--pss-version', 'v1.34', '--rule', 'host-namespaces',
      '--exempt-namespace', 'ops=node debuggers of the ops team, reviewed monthly', 'test/fixtures/rules/host-namespaces'], io(out, err));
    // the exemptions in force are printed: the system ones by default, then the given one
    expect(err.join('')).toBe('admission-policies: not judged (policies\' namespaceSelector / matchConditions, annotation hardened.cdk8s.io/exemptions):\n' +
      SYSTEM_EXEMPTIONS.map(e => `  ${describeExemption(e)}\n`).join('') + '  namespace ops: node debuggers of the ops team, reviewed monthly\n');
    expect(code).toBe(0);
    const docs = YAML.parseAllDocuments(out.join('')).map(d => d.toJSON());
    expect(docs.map(d => d.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    for (const d of docs) expect(schemaErrors(d)).toEqual([]);
  });

  test('--not-enforced prints the table; a bad rule or version is exit 2', async () => {
    const out: string[] = [];
    expect(await run(['admission-policies', '--not-enforced'], io(out, []))).toBe(0);
    expect(out.join('')).toContain('| workload-network-policy |');
    expect(await run(['admission-policies', '--rule', 'workload-network-policy'], io([], []))).toBe(2);
    expect(await run(['admission-policies', '--pss-version', 'v1.99'], io([], []))).toBe(2);
  });
});

describe('waivers follow the objects a controller creates from the waived one', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileRule } = require('./cel-k8s');
  const container = (privileged: boolean) => ({ name: 'app', image: 'registry.example.com/app:1', securityContext: { privileged } });
  const deployment = WAIVED([W('privileged-container', '2026-12-31', 'spec.template.spec.containers[0]')]);
  const cron = {
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'shop', annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([W('privileged-container', '2026-12-31', 'spec.jobTemplate.spec.template.spec')]) } },
  };
  const rule = compileRule(generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, waiverSources: [deployment, cron], ruleIds: ['privileged-container'] })[0]);
  const owned = (kind: string, ownerKind: string, ownerName: string, spec: any, name = 'x') => ({
    apiVersion: kind === 'Pod' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1', kind,
    metadata: { name, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: ownerKind, name: ownerName, uid: 'u', controller: true }] },
    spec,
  });
  const rsController = 'system:serviceaccount:kube-system:replicaset-controller';
  const podSpec = (c0: boolean, c1 = false) => ({ containers: [container(c0), { ...container(c1), name: 'side' }] });

  test('Deployment -> ReplicaSet (deployment-controller) -> Pod (replicaset-controller), at the rewritten path', () => {
    const rs = owned('ReplicaSet', 'Deployment', 'web', { selector: {}, template: { spec: podSpec(true) } }, 'web-7d9f8b');
    expect(rule.admits(rs, 'shop', 'system:serviceaccount:kube-system:deployment-controller')).toBe(true);
    const pod = owned('Pod', 'ReplicaSet', 'web-7d9f8b', podSpec(true), 'web-7d9f8b-abcde');
    expect(rule.admits(pod, 'shop', rsController)).toBe(true);
    // the waiver covers containers[0] only
    expect(rule.admits(owned('Pod', 'ReplicaSet', 'web-7d9f8b', podSpec(false, true)), 'shop', rsController)).toBe(false);
  });

  test('the same objects from a user, another namespace, another owner or a non-controller reference are judged without it', () => {
    const pod = owned('Pod', 'ReplicaSet', 'web-7d9f8b', podSpec(true));
    expect(rule.admits(pod, 'shop', 'alice')).toBe(false);
    expect(rule.admits(pod, 'other', rsController)).toBe(false);
    expect(rule.admits(owned('Pod', 'ReplicaSet', 'web-x-7d9f8b', podSpec(true)), 'shop', rsController)).toBe(false);
    expect(rule.admits(owned('Pod', 'ReplicaSet', 'webby-7d9f8b', podSpec(true)), 'shop', rsController)).toBe(false);
    const notController = owned('Pod', 'ReplicaSet', 'web-7d9f8b', podSpec(true));
    notController.metadata.ownerReferences[0].controller = false;
    expect(rule.admits(notController, 'shop', rsController)).toBe(false);
    const rs = owned('ReplicaSet', 'Deployment', 'web', { selector: {}, template: { spec: podSpec(true) } });
    expect(rule.admits(rs, 'shop', 'alice')).toBe(false);
  });

  test('CronJob -> Job (cronjob-controller) -> Pod (job-controller)', () => {
    const job = owned('Job', 'CronJob', 'nightly', { template: { spec: podSpec(true, true) } }, 'nightly-29000000');
    expect(rule.admits(job, 'shop', 'system:serviceaccount:kube-system:cronjob-controller')).toBe(true);
    const pod = owned('Pod', 'Job', 'nightly-29000000', podSpec(true, true));
    expect(rule.admits(pod, 'shop', 'system:serviceaccount:kube-system:job-controller')).toBe(true);
    expect(rule.admits(owned('Pod', 'Job', 'nightly-x', podSpec(true)), 'shop', 'system:serviceaccount:kube-system:job-controller')).toBe(false);
  });
});

describe('the updates annotation says which metadata a policy judges', () => {
  const note = (id: string) => generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON })
    .find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.labels['hardened.cdk8s.io/rule'] === id)!.metadata.annotations['hardened.cdk8s.io/updates'];

  test('a rule that reads no metadata: metadata-only changes are admitted', () => {
    expect(note('privileged-container')).toBe('judged only when a field this rule reads changed; metadata-only changes, status and scale are admitted; DELETE is not matched');
  });

  test('a rule that reads annotations names them, and never claims every metadata change is admitted', () => {
    for (const id of ['ingress-tls', 'ingress-path-type', 'ingress-class-explicit', 'ingress-controller-injection']) {
      expect([id, note(id)]).toEqual([id, expect.stringContaining('including the metadata metadata.annotations')]);
      expect(note(id)).not.toContain('metadata-only changes');
    }
    expect(note('apparmor-profile')).toContain("the pod's AppArmor annotations (container.apparmor.security.beta.kubernetes.io/*)");
  });
});
