/*
 * profile-maximums has no admission policy: its `admission.notGenerated` reason states why. These tests pin the facts
 * that reason rests on, with the real components (the TypeScript rule, @bufbuild/cel, the policy generator), so the
 * reason fails its test when a fact changes and the rule can be generated.
 */
import { NOT_AT_ADMISSION } from '../../lib/admission/cel-rules';
import { enforceableRuleIds, generatePolicies } from '../../lib/admission/generate';
import { Catalogue } from '../../lib/policy/catalogue';
import { compile } from './cel-k8s';

const rule = Catalogue.get('profile-maximums');
const ctx = (settings: object): any => ({
  settings: { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.28', maxWaiverDays: 90, ...settings },
  objects: [], rules: [], today: '2026-01-01',
});
const pod = (cpu: unknown): any => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu } } }] },
});

describe('profile-maximums at admission: not generated, with the reason', () => {
  test('the catalogue lists the reason (not a "follow-up" placeholder)', () => {
    const reason = NOT_AT_ADMISSION['profile-maximums'];
    expect(reason).toMatch(/quantity\(\) library compares exact decimals/);
    expect(reason).toMatch(/horizontalpodautoscalers/);
    expect(reason).toMatch(/scale subresource/);
    expect(reason).not.toMatch(/follow-up/);
  });

  test('(1) the rule compares doubles: a value above the maximum by less than a double resolves passes', () => {
    const s = { maxContainerCpu: '4' };
    expect(rule.check(pod('4.00000000000000001'), ctx(s))).toEqual([]);
    expect(rule.check(pod('4.0000001'), ctx(s))).toHaveLength(1);
    // 2 equals 2000m by value, and an out-of-range number is a finding (not finite)
    expect(rule.check(pod('2000m'), ctx({ maxContainerCpu: '2' }))).toEqual([]);
    expect(rule.check(pod('1e400'), ctx(s))).toEqual([
      expect.objectContaining({ path: 'spec.containers[0].resources.limits.cpu', message: expect.stringContaining('"1e400"') }),
    ]);
  });

  test('(1) @bufbuild/cel reads an out-of-range double() as Infinity (cel-go: an evaluation error), so a differential test cannot show that path', () => {
    expect(compile("double('1e400')")({})).toBe(Infinity);
    expect(compile("double('4.00000000000000001') == 4.0")({})).toBe(true);
  });

  test('no policy is generated for the rule, even when the profile sets every maximum', () => {
    const policies = generatePolicies({
      settings: { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.28', maxWaiverDays: 90, maxReplicas: 3, maxContainerCpu: '2', maxContainerMemory: '1Gi' },
      apiVersion: 'v1', generatedOn: '2026-01-01',
    });
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.filter((p: any) => p.metadata.labels['hardened.cdk8s.io/rule'] === 'profile-maximums')).toEqual([]);
    expect(enforceableRuleIds({ allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.28', maxWaiverDays: 90, maxReplicas: 3 }))
      .not.toContain('profile-maximums');
  });
});
