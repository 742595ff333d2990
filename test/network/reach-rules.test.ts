/**
 * The network rules on every alternative spelling of "everything" (fixtures in test/fixtures/rules/<rule-id>/): exact
 * failing paths and the reason each message gives.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { Catalogue, HardenedChart, Outcome } from '../../lib';
import { EXIT_FINDINGS, run } from '../../lib/cli/main';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { synthError } from '../util/synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const failures = (ruleId: string, file: string) => {
  const obj = YAML.parse(fs.readFileSync(path.join(FIXTURES, ruleId, file), 'utf-8'));
  return evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' })
    .filter(f => f.outcome === Outcome.FAIL).map(f => ({ path: f.path, message: f.message }));
};

/** Failures of a multi-document fixture, evaluated as one set (cross-object rules see every document). */
const docFailures = (ruleId: string, file: string) => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(FIXTURES, ruleId, file), 'utf-8')).map(d => d.toJS());
  return evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' })
    .filter(f => f.outcome === Outcome.FAIL).map(f => ({ name: f.object.name, path: f.path, message: f.message }));
};

describe('network-policy-ipblock-any', () => {
  const rule = 'network-policy-ipblock-any';
  test.each([
    ['fail-holes.yaml', ['spec.ingress[0].from[0].ipBlock.cidr'], /^ingress from 0\.0\.0\.0\/0 \(it reaches 3,702,258,588 public IPv4 addresses \(99\.99% of public IPv4\)/],
    ['fail-many-slash8.yaml', Array.from({ length: 20 }, (_, i) => `spec.ingress[0].from[${i}].ipBlock.cidr`), /^ingress from 11\.0\.0\.0\/8 \(with the policy's other ipBlocks it reaches 335,544,320 public IPv4 addresses \(9\.06% of public IPv4\)/],
    ['fail-ipv4-mapped.yaml', ['spec.ingress[0].from[0].ipBlock.cidr'], /^ingress from ::ffff:0:0\/96 \(it reaches 3,702,258,688 public IPv4 addresses \(100% of public IPv4\)/],
    ['fail-ipv4-mapped-dotted.yaml', ['spec.ingress[0].from[0].ipBlock.cidr', 'spec.ingress[0].from[1].ipBlock.cidr'], /^ingress from ::ffff:0\.0\.0\.0\/97 \(it reaches 2,092,957,696/],
    ['fail-nat64.yaml', ['spec.ingress[0].from[0].ipBlock.cidr'], /^ingress from 64:ff9b::\/96 \(it reaches 3,702,258,688 public IPv4/],
    ['fail-v4-and-mapped.yaml', ['spec.ingress[0].from[0].ipBlock.cidr', 'spec.ingress[0].from[1].ipBlock.cidr'], /with the policy's other ipBlocks it reaches 33,554,432/],
  ])('%s', (file, paths, message) => {
    const f = failures(rule, file);
    expect(f.map(x => x.path)).toEqual(paths);
    expect(f[0].message).toMatch(message);
  });
  test('one public /8 and private space in any spelling pass', () => expect(failures(rule, 'pass-one-public-slash8.yaml')).toEqual([]));

  test('NetworkPolicies add up: ipBlocks of policies that can select the same pods are judged together', () => {
    expect(docFailures(rule, 'fail-across-policies.yaml')).toEqual([
      { name: 'partner-a', path: 'spec.ingress[0].from[0].ipBlock.cidr', message: expect.stringMatching(/^ingress from 3\.0\.0\.0\/8 \(with the ipBlocks of NetworkPolicy "partner-b" \(selecting the same pods\) it reaches 33,554,432 public IPv4/) },
      { name: 'partner-b', path: 'spec.ingress[0].from[0].ipBlock.cidr', message: expect.stringMatching(/^ingress from 4\.0\.0\.0\/8 \(with the ipBlocks of NetworkPolicy "partner-a"/) },
    ]);
    expect(docFailures(rule, 'pass-disjoint-policies.yaml')).toEqual([]);
    // pairwise, not jointly: each policy shares a pod with another one
    const pairwise = docFailures(rule, 'fail-across-policies-pairwise.yaml');
    expect(pairwise.map(f => f.name)).toEqual(['a', 'b', 'c']);
    expect(pairwise[0].message).toMatch(/^ingress from 3\.0\.0\.0\/8 \(with the ipBlocks of NetworkPolicy "(b|c)" \(selecting the same pods\) it reaches 33,554,432 public IPv4/);
  });
});

describe('network-policy-allow-all-ingress', () => {
  const rule = 'network-policy-allow-all-ingress';
  test.each([
    ['fail-exists-metadata-name.yaml', 'peer selects every pod in every namespace: namespaceSelector {kubernetes.io/metadata.name Exists} matches every namespace (every namespace has kubernetes.io/metadata.name).'],
    ['fail-notin.yaml', 'peer selects every pod in every namespace: namespaceSelector {kubernetes.io/metadata.name NotIn [kube-system, shop]} matches every namespace (every namespace has kubernetes.io/metadata.name).'],
    ['fail-doesnotexist.yaml', 'peer selects every pod in every namespace: namespaceSelector {quarantined DoesNotExist} matches every namespace and podSelector {app NotIn [db]} every pod.'],
    ['fail-empty-selectors.yaml', 'peer selects every pod in every namespace: namespaceSelector {} matches every namespace and podSelector {} every pod.'],
  ])('%s', (file, message) => {
    expect(failures(rule, file)).toEqual([{ path: 'spec.ingress[0].from[0]', message }]);
  });
  test('positive requirements pass', () => expect(failures(rule, 'pass-selectors.yaml')).toEqual([]));
});

describe('network-policy-allow-all-egress: DNS only is exactly 53 to kube-system', () => {
  const rule = 'network-policy-allow-all-egress';
  test.each([
    ['fail-dns-endport.yaml', [{ path: 'spec.egress[0]', message: 'egress rule has no `to`: it allows traffic to everywhere.' }]],
    ['fail-dns-endport-anywhere.yaml', [{ path: 'spec.egress[0].to[0].ipBlock.cidr', message: 'egress to 0.0.0.0/0.' }]],
    ['fail-dns-not-kube-system.yaml', [{ path: 'spec.egress[0].to[0]', message: 'peer selects every pod in every namespace: namespaceSelector {} matches every namespace.' }]],
    ['fail-dns-named-port.yaml', [{ path: 'spec.egress[0]', message: 'egress rule has no `to`: it allows traffic to everywhere.' }]],
    ['fail-dns-no-to.yaml', [{ path: 'spec.egress[0]', message: 'egress rule has no `to`: it allows traffic to everywhere.' }]],
    ['fail-exists-metadata-name.yaml', [{ path: 'spec.egress[0].to[0]', message: expect.stringMatching(/Exists} matches every namespace/) }]],
    ['fail-holes.yaml', [{ path: 'spec.egress[0].to[0].ipBlock.cidr', message: expect.stringMatching(/^egress to 0\.0\.0\.0\/0 \(it reaches 3,702,258,688 public IPv4 addresses \(100% of public IPv4\)/) }]],
    ['fail-ipv4-mapped.yaml', [{ path: 'spec.egress[0].to[0].ipBlock.cidr', message: expect.stringMatching(/^egress to ::ffff:0:0\/96 \(it reaches 3,702,258,688/) }]],
  ])('%s', (file, expected) => {
    expect(failures(rule, file)).toEqual(expected);
  });
  test('DNS to kube-system spelled with In, matchLabels and endPort 53 passes', () => expect(failures(rule, 'pass-dns-in.yaml')).toEqual([]));
});

describe('firewall-sensitive-port-exposed: nodes and CNI ports', () => {
  const rule = 'firewall-sensitive-port-exposed';
  test.each([
    ['fail-readonly-kubelet.yaml', ['kubelet read-only (unauthenticated) port(s) 10255']],
    ['fail-range-includes.yaml', ['kubelet port(s) 10250', 'kubelet read-only (unauthenticated) port(s) 10255', 'kube-proxy health port(s) 10256', 'kube-controller-manager port(s) 10257', 'kube-scheduler port(s) 10259']],
    ['fail-apiserver-on-nodes.yaml', ['kube-apiserver port(s) 6443']],
    ['fail-public-admin-ports.yaml', ['kube-apiserver port(s) 6443', 'SSH (administrative access) port(s) 22', 'RDP (administrative access) port(s) 3389', 'RDP (administrative access) port(s) 3389']],
    ['fail-cni-vxlan.yaml', ['VXLAN overlay (Calico, Canal: IANA port) port(s) 4789']],
    ['fail-cni-bgp.yaml', ['BGP (Calico, kube-router, Cilium BGP) port(s) 179']],
    ['fail-cni-wireguard.yaml', ['WireGuard (Calico, flannel) port(s) 51820-51821', 'Calico Typha port(s) 5473', 'Cilium health port(s) 4240', 'Geneve overlay port(s) 6081']],
    ['fail-nodeport.yaml', ['NodePort Services port(s) 30000-32767']],
    ['fail-ipv4-mapped.yaml', ['kubelet port(s) 10250']],
    ['fail-udp-kubelet.yaml', ['kubelet port(s) 10250']],
  ])('%s', (file, ports) => {
    const f = failures(rule, file);
    expect(f.map(x => /may reach the (.*) on "/.exec(x.message)![1]).sort()).toEqual([...ports].sort());
  });
  test('CNI ports between hosts zones and from narrow ranges, and a public API on the control plane, pass', () => {
    expect(failures(rule, 'pass-cni-between-hosts.yaml')).toEqual([]);
  });
});

describe('the CLI and the synth guard judge the same shapes (one evaluator behind the catalogue)', () => {
  const cases: [string, string][] = [
    ['network-policy-ipblock-any', 'fail-holes.yaml'],
    ['network-policy-ipblock-any', 'fail-ipv4-mapped.yaml'],
    ['network-policy-ipblock-any', 'fail-many-slash8.yaml'],
    ['network-policy-allow-all-ingress', 'fail-exists-metadata-name.yaml'],
    ['network-policy-allow-all-ingress', 'fail-notin.yaml'],
    ['firewall-sensitive-port-exposed', 'fail-readonly-kubelet.yaml'],
  ];

  test.each(cases)('cdk8s-hardened check: %s/%s exits 1 naming the rule', async (rule, file) => {
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => undefined, readStdin: async () => Buffer.from(''), cwd: process.cwd() };
    expect(await run(['check', path.join(FIXTURES, rule, file)], io)).toBe(EXIT_FINDINGS);
    expect(out).toContain(rule);
  });

  test.each(cases.filter(([rule]) => rule.startsWith('network-policy')))('synth guard: %s/%s as a raw ApiObject fails synthesis', (rule, file) => {
    const obj = YAML.parse(fs.readFileSync(path.join(FIXTURES, rule, file), 'utf-8'));
    const chart = new HardenedChart(new App(), 'raw', { namespace: 'shop' });
    new ApiObject(chart, 'np', obj);
    expect(synthError(chart)).toContain(rule);
  });
});
