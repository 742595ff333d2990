/**
 * Issue 31: everything about a rule is in its file, and every catalogue rule is complete everywhere (fixtures, docs,
 * threat, admission decision, peers, STRIDE, severity, remediation, description). The tables other modules read
 * (THREATS[].rules, THREAT_RULE_LINKS, NOT_AT_ADMISSION, RBAC_GRANT_RULE_IDS, peersOf) are derived from the rules'
 * own fields. docs/contributing/adding-a-rule.md lists exactly the checks of the checker.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NOT_AT_ADMISSION, notAtAdmissionReason } from '../../lib/admission/cel-rules';
import { Catalogue } from '../../lib/policy/catalogue';
import { peersOf } from '../../lib/policy/peers/mapping';
import { RBAC_GRANT_RULE_IDS } from '../../lib/policy/rules/tenancy';
import { IRule, Severity, Stride } from '../../lib/policy/types';
import { controlKindsOf, rulesOfThreat, THREAT_RULE_LINKS } from '../../lib/threat/rule-links';
import { THREATS } from '../../lib/threat/threats';
import { COMPLETENESS_CHECKS, CompletenessEnv, completenessProblems, LIMITS, projectEnv } from './rule-completeness';

const env = projectEnv();
const rules = Catalogue.all();
const PAGE = path.join(__dirname, '..', '..', 'docs', 'contributing', 'adding-a-rule.md');

test('every catalogue rule is complete everywhere', () => {
  expect(rules.flatMap(r => completenessProblems(r, env))).toEqual([]);
});

describe('the checker names what is missing', () => {
  // One complete rule with CEL, one with a reason for having none.
  const withCel = Catalogue.get('privileged-container');
  const withReason = Catalogue.get('workload-network-policy');
  test('the two base rules are complete, one with CEL and one with a reason', () => {
    expect(env.celRuleIds.has(withCel.id)).toBe(true);
    expect(withCel.admission).toBeUndefined();
    expect(env.celRuleIds.has(withReason.id)).toBe(false);
    expect(completenessProblems(withCel, env)).toEqual([]);
    expect(completenessProblems(withReason, env)).toEqual([]);
  });

  const worldWithout = (change: Partial<CompletenessEnv>): CompletenessEnv => ({ ...env, ...change });
  // A rule changed in memory is also written so in its file.
  const fileAlsoWrites = (field: string) => worldWithout({ ruleFileText: id => `${env.ruleFileText(id)}\n  ${field}: …\n` });
  // [check, rule, world, what the problem says]: each takes one fact away from a complete rule.
  const cases: [string, IRule, CompletenessEnv, RegExp][] = [
    ['file', withCel, worldWithout({ ruleFileText: () => undefined }), /no file lib\/policy\/rules\/<area>\/privileged-container\.ts/],
    ['file', withCel, worldWithout({ ruleFileText: () => "export const x = { id: 'privileged-containers' };" }), /does not define the rule/],
    ['file', withReason, worldWithout({ ruleFileText: id => env.ruleFileText(id)!.replace(/^\s+admission: .*$/m, '') }), /admission not written in/],
    ['fixtures', withCel, worldWithout({ fixtureFiles: () => ['pass.yaml', 'fail-notes.txt'] }), /no fail\*\.yaml in test\/fixtures\/rules\/privileged-container\//],
    ['fixtures', withCel, worldWithout({ fixtureFiles: () => ['fail.yaml'] }), /no pass\*\.yaml/],
    ['docs', withCel, worldWithout({ rulesDoc: '# Rule catalogue\n\n## privileged-container-old\n' }), /docs\/rules\.md has no "## privileged-container" section/],
    ['threats', { ...withCel, threats: undefined }, env, /names no threat/],
    ['threats', { ...withCel, threats: ['E1-container-escape', 'E9-made-up'] }, env, /unknown threats E9-made-up/],
    ['threats', { ...withCel, threatEvidence: ['I5-cloud-metadata-credentials'] }, fileAlsoWrites('threatEvidence'), /threatEvidence names I5-cloud-metadata-credentials/],
    ['admission', { ...withCel, admission: { notGenerated: 'cross-object: needs the pods of the namespace' } }, fileAlsoWrites('admission'), /has CEL in lib\/admission and an `admission.notGenerated` reason/],
    ['admission', { ...withReason, admission: undefined }, env, /has no CEL in lib\/admission and no `admission.notGenerated` reason/],
    ['admission', { ...withReason, admission: { notGenerated: ' ' } }, env, /no `admission.notGenerated` reason/],
    ['peers', { ...withCel, peers: undefined }, env, /declares no `peers`/],
    ['peers', { ...withCel, peers: ['kube-linter:privileged-container', 'kube-linter:privileged'] }, env, /peers kube-linter:privileged are not in docs\/peers-source\.md/],
    ['stride', { ...withCel, stride: [] }, env, /names no STRIDE category/],
    ['stride', { ...withCel, stride: ['Sneaking' as Stride] }, env, /stride Sneaking is not a STRIDE category/],
    ['stride', { ...withCel, stride: [Stride.TAMPERING, Stride.TAMPERING] }, env, /twice/],
    ['severity', { ...withCel, severity: 'fatal' as Severity }, env, /severity "fatal" is not one of error, warning, info/],
    ['remediation', { ...withCel, remediation: 'Fix it.' }, env, /has no remediation/],
    ['description', { ...withCel, description: 'Bad.', references: [] }, env, /lacks a description \(at least 41 characters\), a reference$/],
  ];
  test.each(cases.map(([check, rule, world, message], i) => [`${check} #${i}`, check, rule, world, message] as const))(
    '%s: only that check fails, naming the fact', (_, check, rule, world, message) => {
      const problems = completenessProblems(rule, world);
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(`${rule.id}: ${check}: `)).toBe(true);
      expect(problems[0]).toMatch(message);
    });

  test('every check of the checker is shown failing above', () => {
    expect([...new Set(cases.map(c => c[0]))]).toEqual(COMPLETENESS_CHECKS.map(c => c.name));
  });

  test('a new rule written without its facts is reported on every check', () => {
    const bare: IRule = {
      id: 'made-up-incomplete-rule',
      title: 'Short',
      stride: [],
      severity: 'fatal' as Severity,
      appliesTo: ['Pod'],
      description: '',
      remediation: '',
      references: [],
      check: () => [],
    };
    const problems = completenessProblems(bare, env);
    expect(problems.map(p => p.split(': ')[1])).toEqual(COMPLETENESS_CHECKS.map(c => c.name));
    expect(problems).toContain('made-up-incomplete-rule: fixtures: no fail*.yaml and no pass*.yaml in test/fixtures/rules/made-up-incomplete-rule/');
    expect(problems).toContain('made-up-incomplete-rule: admission: has no CEL in lib/admission and no `admission.notGenerated` reason (at least 20 characters)');
  });
});

describe('the tables other modules read are derived from the rules\' own fields', () => {
  test('THREATS[].rules: the rules whose `threats` names the threat, in catalogue order', () => {
    for (const t of THREATS) {
      expect(t.rules).toEqual(rules.filter(r => (r.threats ?? []).includes(t.id)).map(r => r.id));
      expect(rulesOfThreat(t)).toEqual(t.rules);
    }
  });

  test('THREAT_RULE_LINKS: every (rule, threat) pair, evidence exactly where `threatEvidence` says', () => {
    const expected = rules.flatMap(r => (r.threats ?? []).map(t => (r.threatEvidence?.includes(t) ? [r.id, t] : [r.id, t, false])));
    expect(THREAT_RULE_LINKS).toEqual(expected);
    const e6 = THREATS.find(t => t.id === 'E6-node-and-control-plane-configuration')!;
    expect(controlKindsOf(e6)).toEqual(expect.arrayContaining(['KubeletConfiguration', 'ClusterConfiguration']));
    // tenant-api-fairness passes vacuously without the profile setting: findings only, its kinds are no evidence.
    const d3 = THREATS.find(t => t.id === 'D3-control-plane-denial-of-service')!;
    expect(Catalogue.get('tenant-api-fairness').threatEvidence).toBeUndefined();
    expect(controlKindsOf(d3)).toEqual(d3.controls);
  });

  test('NOT_AT_ADMISSION and notAtAdmissionReason: each rule\'s `admission.notGenerated`', () => {
    const expected = Object.fromEntries(rules.filter(r => r.admission).map(r => [r.id, r.admission!.notGenerated]));
    expect(NOT_AT_ADMISSION).toEqual(expected);
    for (const r of rules.filter(x => x.admission)) expect(notAtAdmissionReason(r.id)).toBe(r.admission!.notGenerated);
    expect(notAtAdmissionReason('a-custom-rule')).toMatch(/^not analysed for admission yet/);
  });

  test('RBAC_GRANT_RULE_IDS: the rules with `judgesRbacGrants`, in catalogue order, each judging Roles', () => {
    expect(RBAC_GRANT_RULE_IDS).toEqual(rules.filter(r => r.judgesRbacGrants).map(r => r.id));
    expect(RBAC_GRANT_RULE_IDS).toContain('rbac-wildcard');
    for (const id of RBAC_GRANT_RULE_IDS) expect(Catalogue.get(id).appliesTo).toContain('Role');
  });

  test('peersOf: the rule\'s own `peers`', () => {
    for (const r of rules) expect(peersOf(r)).toEqual(r.peers);
  });
});

describe('docs/contributing/adding-a-rule.md', () => {
  const page = fs.readFileSync(PAGE, 'utf-8');

  test('lists exactly the checks of the meta-test, in order', () => {
    const block = /<!-- checks -->\n([\s\S]*?)<!-- \/checks -->/.exec(page);
    expect(block).not.toBeNull();
    const listed = [...block![1].matchAll(/^\d+\. \*\*([a-z-]+)\*\*/gm)].map(m => m[1]);
    expect(listed).toEqual(COMPLETENESS_CHECKS.map(c => c.name));
  });

  test('quotes the checker\'s limits, and no other number, in the list of checks', () => {
    const block = /<!-- checks -->\n([\s\S]*?)<!-- \/checks -->/.exec(page)![1];
    const numbers = [...block.replace(/^\d+\. /gm, '').matchAll(/\d+/g)].map(m => Number(m[0]));
    expect(numbers).toEqual([LIMITS.admissionReason, LIMITS.remediation, LIMITS.title, LIMITS.description]);
  });

  test('names the fields and files a rule needs', () => {
    for (const s of ['threats', 'threatEvidence', 'admission', 'notGenerated', 'peers', 'judgesRbacGrants', 'test/fixtures/rules/', 'npm run docs',
      'lib/admission/cel-rules.ts', 'lib/admission/object-rules.ts', 'docs/peers-source.md', 'lib/threat/threats.ts', 'test/policy/rule-completeness.test.ts']) {
      expect(`${s}: ${page.includes(s)}`).toBe(`${s}: true`);
    }
  });
});
