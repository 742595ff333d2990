/**
 * `admission-policies --impact`: what Deny would refuse on a cluster dump. Its verdicts are the catalogue's rule
 * evaluation (a runtime dependency); here they are compared with the generated CEL on @bufbuild/cel (dev only).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { admissionKindOf, exemptionsOf, GenerateOptions, generatePolicies, generateRules } from '../../lib/admission/generate';
import { creatorOf, flattenObjects, formatImpact, impactContext, impactOf, judgeObject } from '../../lib/admission/impact';
import { OBJECT_RULES } from '../../lib/admission/object-rules';
import { run } from '../../lib/cli/main';
import { withoutNulls } from '../../lib/policy/engine';
import { PolicySettings } from '../../lib/policy/types';
import { compileRule } from './cel-k8s';

const SETTINGS: PolicySettings = { allowedRegistries: ['registry.example.com'], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const DUMP = path.join(__dirname, 'fixtures', 'cluster-dump.yaml');
const dump = () => YAML.parseAllDocuments(fs.readFileSync(DUMP, 'utf-8')).map(d => d.toJSON());
const options = (extra: Partial<GenerateOptions> = {}): GenerateOptions => ({ settings: SETTINGS, apiVersion: 'v1', generatedOn: '2026-06-15', waiverSources: flattenObjects(dump()), ...extra });

describe('impact report', () => {
  test('lists per policy the objects Deny would refuse; system components, mirror pods and waived objects (and what controllers create from them) are not', () => {
    const r = impactOf(dump(), options());
    const of = (id: string) => r.policies.find(p => p.ruleId === id)!.objects.map(o => `${o.kind} ${o.namespace}/${o.name}`);
    expect(of('privileged-container')).toEqual(['Deployment shop/bad', 'Rollout shop/canary']);
    // the wrong-typed runAsUser: "0" is refused by the type check of every policy
    for (const p of r.policies.filter(x => !OBJECT_RULES.some(o => o.id === x.ruleId))) expect(p.objects.map(o => o.name)).toContain('canary');
    expect(of('run-as-user-root')).toEqual(['Rollout shop/canary']);
    expect(r.policies.find(p => p.ruleId === 'run-as-user-root')!.objects[0].detail).toContain('wrong type');
    expect(r.exempt).toEqual({ 'namespace kube-system': 1, 'mirror pods (group system:nodes)': 1 });
    expect(r.unmatched).toBe(0);
    // the ClusterIP Service is judged by service-exposure and passes
    expect(r.judged).toBe(7);
    const text = formatImpact(r);
    expect(text).toContain('hardened-privileged-container (Deny) would refuse 2 objects:\n  Deployment shop/bad: spec.template.spec.containers[0].securityContext.privileged: container "app" sets privileged: true.\n' +
      '  Rollout shop/canary: spec.template.spec: a field of the pod spec has a value of the wrong type (denied by the type check)\n');
    expect(text).toContain('not judged (exempt): 1 in namespace kube-system');
  });

  test('with the system components included, kube-proxy and the mirror pod are listed: what enforcing them would break', () => {
    const r = impactOf(dump(), options({ exemptSystem: false }));
    const names = r.policies.find(p => p.ruleId === 'host-namespaces')!.objects.map(o => o.name);
    expect(names).toEqual(['kube-proxy', 'etcd-node-1', 'canary']);
  });

  test('in audit mode the policies would only warn; --deny-rule makes one Deny', () => {
    const r = impactOf(dump(), options({ audit: true, denyRules: ['privileged-container'] }));
    expect(r.policies.find(p => p.ruleId === 'privileged-container')!.action).toBe('Deny');
    expect(r.policies.find(p => p.ruleId === 'run-as-user-root')!.action).toBe('Audit+Warn');
  });

  test('the CLI prints the report and the exemptions, exit 1 when a Deny policy would refuse an object', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readStdin: async () => Buffer.from(''), cwd: process.cwd() };
    const code = await run(['admission-policies', '--pss-version', 'v1.34', '--allowed-registry', 'registry.example.com', '--no-require-digest',
      '--generated-on', '2026-06-15', path.relative(process.cwd(), DUMP), '--impact', path.relative(process.cwd(), DUMP)], io);
    expect(out.join('')).toContain('hardened-privileged-container (Deny) would refuse 2 objects:');
    expect(err.join('')).toContain('namespace kube-system: ');
    expect(code).toBe(1);
    const good: string[] = [];
    // audit mode (the first step of a rollout): nothing would be refused, the report says what would be warned about
    expect(await run(['admission-policies', '--audit', '--rule', 'host-process', '--impact', path.relative(process.cwd(), DUMP)], { ...io, stdout: (t: string) => good.push(t) })).toBe(0);
    expect(good.join('')).toContain('hardened-host-process (Audit+Warn) would warn about (Audit + Warn) 1 object:');
    // only the generated policy's kinds are judged: the Service of the dump is matched by no policy here
    expect(good.join('')).toContain('6 objects judged by 1 policies; 0 policies with Deny would refuse at least one.');
    expect(good.join('')).toContain('1 objects of kinds no policy matches.');
  });
});

describe('differential: the impact report gives the generated CEL\'s verdict', () => {
  const fixtures = (dir: string): any[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return fixtures(p);
    if (!/\.ya?ml$/.test(e.name)) return [];
    const text = fs.readFileSync(p, 'utf-8').replace(/\$\{DAYS_FROM_NOW:(-?\d+)\}/g, '2026-07-01');
    return YAML.parseAllDocuments(text).map(d => d.toJSON()).filter(o => o && typeof o === 'object');
  });

  test('on the cluster dump and every rule fixture of a matched kind, as created by its creator', () => {
    const objects = flattenObjects([...dump(), ...fixtures(path.join(__dirname, '..', 'fixtures', 'rules'))]).map(o => withoutNulls(o)).filter(o => admissionKindOf(o));
    const opts = options({ waiverSources: objects, exemptSystem: false });
    const ctx = impactContext(opts);
    const rules = generateRules(opts).map(compileRule);
    const disagreements: string[] = [];
    let denials = 0;
    for (const o of objects) {
      const v = judgeObject(o, ctx);
      if (!('refused' in v)) throw new Error('every object is judged here');
      // the request's namespace: an empty metadata.namespace means the client's (kubectl's default)
      const ns = typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '' ? o.metadata.namespace : 'default';
      const user = creatorOf(o);
      for (const r of rules) {
        const listed = v.refused[r.ruleId] !== undefined;
        let cel: boolean;
        try {
          cel = !r.admits(o, ns, user);
        } catch (e) {
          // an object the API server's schema rejects (e.g. a malformed fixture) can make a messageExpression error
          cel = true;
        }
        if (cel) denials++;
        if (listed !== cel) disagreements.push(`${r.ruleId} on ${o.kind} ${ns}/${o.metadata?.name}: impact ${listed ? 'refuses' : 'admits'}, CEL ${cel ? 'denies' : 'admits'}`);
      }
    }

    console.log(`impact vs CEL: ${objects.length} objects x ${rules.length} policies, ${denials} denials, ${disagreements.length} disagreements`);
    expect(exemptionsOf(opts)).toEqual([]);
    expect(denials).toBeGreaterThan(100);
    expect(disagreements).toEqual([]);
  });
});

describe('impact with profile maximums: who writes a ReplicaSet decides, as in the policy', () => {
  const rs = (name: string, owner?: object) => ({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: 'shop', ...(owner ? { ownerReferences: [owner] } : {}) },
    spec: { replicas: 10, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'registry.example.com/c' }] } } },
  });
  const deploymentOwner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true };
  const objects = [
    rs('web-5d9c', deploymentOwner), // the deployment controller's own ReplicaSet: follows its Deployment, admitted
    rs('copied', { ...deploymentOwner, controller: false }), // not the controller: created by a user, judged
    rs('rollout-abc', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u2', controller: true }),
    rs('plain'),
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: rs('web').spec },
  ];
  const opts = options({
    settings: { ...SETTINGS, maxReplicas: 3 }, ruleIds: ['profile-maximums'], waiverSources: [], exemptSystem: false,
  });

  test('the report lists exactly what the CEL denies for each object\'s creator; the controller-written ReplicaSet is admitted', () => {
    const ctx = impactContext(opts);
    const [rule] = generateRules(opts).map(compileRule);
    const verdicts = objects.map(o => {
      const v = judgeObject(o, ctx);
      if (!('refused' in v)) throw new Error('judged');
      return [o.metadata.name, v.refused['profile-maximums'] !== undefined, !rule.admits(o, 'shop', creatorOf(o))];
    });
    expect(verdicts).toEqual([
      ['web-5d9c', false, false],
      ['copied', true, true],
      ['rollout-abc', true, true],
      ['plain', true, true],
      ['web', true, true],
    ]);
    const report = formatImpact(impactOf(objects, opts));
    expect(report).toContain('hardened-profile-maximums (Deny) would refuse 4 objects:');
    expect(report).not.toContain('ReplicaSet shop/web-5d9c');
  });
});

describe('impact with the cloud-metadata NetworkPolicy policy: its except budget refuses as the CEL does', () => {
  const policy = (name: string, excepts: number) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' },
    spec: {
      podSelector: {}, policyTypes: ['Egress'],
      // 0.0.0.0/0 minus link-local and Alibaba's address, then more small excepts elsewhere: the rule passes it
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '100.100.100.200/32', ...Array.from({ length: excepts - 2 }, (_, i) => `10.${i}.0.0/16`)] } }] }],
    },
  });
  const opts = options({ ruleIds: ['network-policy-egress-cloud-metadata'], waiverSources: [], exemptSystem: false });

  test('32 excepts: judged (admitted); 33: refused for the budget, by the report and by the CEL alike', () => {
    const ctx = impactContext(opts);
    const [rule] = generateRules(opts).map(compileRule);
    const verdicts = [policy('in-budget', 32), policy('over-budget', 33)].map(o => {
      const v = judgeObject(o, ctx);
      if (!('refused' in v)) throw new Error('judged');
      return [o.metadata.name, v.refused['network-policy-egress-cloud-metadata']?.[0]?.message ?? 'admitted', !rule.admits(o, 'shop', 'alice')];
    });
    expect(verdicts[0]).toEqual(['in-budget', 'admitted', false]);
    expect(verdicts[1][0]).toBe('over-budget');
    expect(verdicts[1][1]).toMatch(/more than 32 except entries/);
    expect(verdicts[1][2]).toBe(true);
  });
});

describe('the documented cluster dump', () => {
  test('README and the admission guide dump every built-in resource a generated policy matches (Secrets left out on purpose)', () => {
    const all = generatePolicies(options({
      settings: { ...SETTINGS, requireDigest: true, kubeVersion: '1.36', podSecurityVersion: 'v1.36', maxReplicas: 3 }, exemptSystem: true,
    })) as any[];
    const builtIn = new Set(['', 'apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io']);
    const matched = new Set<string>();
    for (const p of all) {
      for (const r of p.spec?.matchConstraints?.resourceRules ?? []) {
        for (const g of r.apiGroups) for (const res of r.resources) if (builtIn.has(g) && !res.includes('/')) matched.add(res);
      }
    }
    matched.delete('secrets');
    for (const doc of ['README.md', path.join('docs', 'guides', 'admission.md')]) {
      const text = fs.readFileSync(path.join(__dirname, '..', '..', doc), 'utf8');
      const cmd = /kubectl get ([a-z,]+) -A -o yaml > cluster\.yaml/.exec(text);
      expect([doc, cmd !== null]).toEqual([doc, true]);
      const listed = new Set(cmd![1].split(','));
      expect([doc, [...matched].filter(r => !listed.has(r)).sort()]).toEqual([doc, []]);
      expect(listed.has('secrets')).toBe(false);
    }
  });
});
