/**
 * The audit rules judge the effective policy: each failing fixture is blamed on the rule index that causes the problem
 * (or on `rules` when a request falls through), with an example request; the CLI, the guard and the AuditPolicy
 * construct run the same catalogue rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { AuditPolicy, Catalogue, Guard, HardenedChart } from '../../lib';
import { cli } from '../cli/helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const load = (ruleId: string, file: string) => YAML.parse(fs.readFileSync(path.join(FIXTURES, ruleId, file), 'utf-8'));
const check = (ruleId: string, obj: any) => Catalogue.get(ruleId).check(obj, {} as any);

test.each([
  ['audit-policy-secret-bodies', 'fail-broad.yaml', ['rules[0]'], /core\/secrets/],
  ['audit-policy-secret-bodies', 'fail-group-wildcard.yaml', ['rules[0]'], /core\/configmaps/],
  ['audit-policy-secret-bodies', 'fail-partial-shield.yaml', ['rules[1]'], /core\/secrets in namespace any-namespace/],
  ['audit-policy-secret-bodies', 'fail-secrets-subresource-glob.yaml', ['rules[0]'], /core\/secrets /],
  ['audit-policy-secret-bodies', 'fail-shield-authenticated.yaml', ['rules[1]'], /no group the policy names/],
  ['audit-policy-secret-bodies', 'fail-shield-namespaces.yaml', ['rules[1]'], /level Request\)/],
  ['audit-policy-secret-bodies', 'fail-shield-resource-names.yaml', ['rules[1]'], /^rules\[1\].*`create core\/secrets/],
  ['audit-policy-secret-bodies', 'fail-shield-star-star.yaml', ['rules[1]'], /core\/secrets/],
  ['audit-policy-secret-bodies', 'fail-shield-too-late.yaml', ['rules[0]'], /create core\/secrets/],
  ['audit-policy-secret-bodies', 'fail-shield-verbs-star.yaml', ['rules[1]'], /core\/secrets/],
  ['audit-policy-secret-bodies', 'fail-token-subresource-glob.yaml', ['rules[1]'], /core\/serviceaccounts\/token/],
  ['audit-policy-secret-bodies', 'fail-docs-example.yaml', ['rules[5]', 'rules[7]'], /core\/configmaps in namespace kube-system/],
  ['audit-policy-writes-logged', 'fail-docs-example.yaml', ['rules[2]'], /core\/configmaps "controller-leader"/],
  ['audit-policy-writes-logged', 'fail-authenticated.yaml', ['rules[0]'], /groups system:authenticated/],
  ['audit-policy-writes-logged', 'fail-core-star.yaml', ['rules[1]'], /core\/anyresources/],
  ['audit-policy-writes-logged', 'fail-events-delete.yaml', ['rules[0]'], /`delete(collection)? core\/events/],
  ['audit-policy-writes-logged', 'fail-falls-through.yaml', ['rules'], /no rule matches `deletecollection/],
  ['audit-policy-writes-logged', 'fail-namespaces.yaml', ['rules[0]'], /in namespace (kube-system|default)/],
  ['audit-policy-writes-logged', 'fail-none-shadows-writes.yaml', ['rules[1]'], /`patch /],
  ['audit-policy-writes-logged', 'fail-omit-response-complete.yaml', ['rules[0]'], /ResponseComplete event is omitted/],
  ['audit-policy-writes-logged', 'fail-status-subresources.yaml', ['rules[0]'], /\/status /],
  ['audit-policy-catch-all', 'fail.yaml', ['rules'], /falls through/],
  ['audit-policy-catch-all', 'fail-authenticated-only.yaml', ['rules'], /no group the policy names.*falls through/],
  ['audit-policy-catch-all', 'fail-final-none.yaml', ['rules[1]'], /catch-all at None/],
  ['audit-policy-catch-all', 'fail-namespaces-only.yaml', ['rules'], /falls through/],
  ['audit-policy-catch-all', 'fail-none-reads.yaml', ['rules[0]'], /`get any\.example\.com\/anyresources/],
  ['audit-policy-catch-all', 'fail-none-urls.yaml', ['rules[0]'], /`get \/any /],
  ['audit-policy-catch-all', 'fail-resources-only.yaml', ['rules'], /`get \/any .*falls through/],
  ['audit-policy-valid', 'fail-bad-level.yaml', ['rules[0].level'], /supported values/],
  ['audit-policy-valid', 'fail-field-typo.yaml', ['rules[0].namespace'], /did you mean "namespaces"/],
  ['audit-policy-valid', 'fail-group-version.yaml', ['rules[0].resources[0].group'], /DNS subdomain/],
  ['audit-policy-valid', 'fail-no-rules.yaml', ['rules'], /0 rules/],
  ['audit-policy-valid', 'fail-urls-with-resources.yaml', ['rules[0].nonResourceURLs'], /both regular resources and non-resource URLs/],
  ['audit-policy-valid', 'fail-v1beta1.yaml', ['apiVersion'], /only audit\.k8s\.io\/v1/],
] as [string, string, string[], RegExp][])('%s %s -> %j', (ruleId, file, paths, message) => {
  const v = check(ruleId, load(ruleId, file));
  expect(v.map(x => x.path)).toEqual(paths);
  expect(v[0].message).toMatch(message);
  expect(v.every(x => !x.unevaluable)).toBe(true);
});

test('a policy kube-apiserver would refuse is unevaluable for the property rules (audit-policy-valid says why)', () => {
  const doc = load('audit-policy-valid', 'fail-urls-with-resources.yaml');
  for (const id of ['audit-policy-secret-bodies', 'audit-policy-writes-logged', 'audit-policy-catch-all']) {
    const v = check(id, doc);
    expect(v).toHaveLength(1);
    expect(v[0].unevaluable).toBe(true);
  }
});

test('an ignored field is judged as the API server applies it: the typo widens a None rule into a catch-all', () => {
  // `namespace:` is dropped, so `- level: None, verbs: [get]` applies to every namespace.
  expect(check('audit-policy-catch-all', load('audit-policy-valid', 'fail-field-typo.yaml')).map(v => v.path)).toEqual(['rules[0]']);
});

test('the guard blocks a raw Policy that shadows writes, naming the rule and an example', () => {
  const chart = new HardenedChart(new App(), 'raw');
  new ApiObject(chart, 'p', load('audit-policy-writes-logged', 'fail-core-star.yaml'));
  const f = Guard.of(chart).findings().filter(x => x.ruleId.startsWith('audit-'));
  expect(f.map(x => [x.ruleId, x.path])).toEqual([['audit-policy-writes-logged', 'rules[1]']]);
});

test('the CLI reports the same findings on a policy file', async () => {
  const file = path.join(FIXTURES, 'audit-policy-secret-bodies', 'fail-secrets-subresource-glob.yaml');
  const r = await cli(['check', file, '--format', 'json']);
  expect(r.code).toBe(1);
  const ids = JSON.stringify(JSON.parse(r.out));
  expect(ids).toContain('audit-policy-secret-bodies');
  expect(ids).toContain('rules[0]');
});

test('the default AuditPolicy passes every audit rule', () => {
  const chart = new AuditPolicy(new App(), 'audit');
  const [doc] = chart.toJson();
  for (const id of ['audit-policy-secret-bodies', 'audit-policy-writes-logged', 'audit-policy-catch-all', 'audit-policy-valid']) expect(check(id, doc)).toEqual([]);
  expect(Guard.of(chart).findings()).toEqual([]);
});
