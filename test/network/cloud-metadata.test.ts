import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { FirewallMatrix, FlowPort, Guard, HardenedDeployment, IsolatedNamespace, NetworkPeer, Zone } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { metadataReach, networkPolicyEgressCloudMetadata as rule } from '../../lib/policy/rules/network/network-policy-egress-cloud-metadata';
import { ipBlockSet } from '../../lib/semantics/netreach';
import { synth, synthError } from '../util/synth';
import { IMAGE, MINIMAL } from '../workload/helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'rules', rule.id);
const settings = { allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
const judge = (objects: any[]) => evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [rule], settings, today: '2026-01-01' })
  .filter(f => f.ruleId === rule.id);
const load = (f: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIR, f), 'utf-8')).map(d => d.toJSON());

describe('metadataReach (the address-set evaluator)', () => {
  test.each([
    ['169.254.169.254/32', undefined, ['169.254.169.254/32']],
    ['0.0.0.0/0', ['169.254.169.254/32'], undefined],
    ['0.0.0.0/0', ['169.254.0.0/16', '100.100.100.200/32'], []],
    ['::ffff:169.254.170.2/128', undefined, ['169.254.170.2/32']],
    ['64:ff9b::a9fe:a9fe/128', undefined, ['169.254.169.254/32']],
    ['fd00:ec2::/64', undefined, ['fd00:ec2::23/128', 'fd00:ec2::254/128']],
    ['fe80::1/128', undefined, ['fe80::1/128']],
    ['10.0.0.0/8', undefined, []],
  ])('%s except %j', (cidr, except, expected) => {
    const got = metadataReach(ipBlockSet(cidr, except)!);
    if (expected === undefined) {
      // 0.0.0.0/0 minus only the IMDS address: the rest of link-local and Alibaba's metadata stay reachable.
      expect(got).toContain('100.100.100.200/32');
      expect(got).toContain('169.254.170.0/23');
      expect(got.join(' ')).not.toContain('169.254.169.254/32');
    } else {
      expect(got).toEqual(expected);
    }
  });
});

describe('fixtures name what they reach', () => {
  test.each([
    ['fail-any.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /egress to 0\.0\.0\.0\/0 reaches cloud metadata \/ link-local 100\.100\.100\.200\/32, 169\.254\.0\.0\/16/],
    ['fail-ecs-task.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /reaches cloud metadata \/ link-local 169\.254\.170\.2\/32/],
    ['fail-except-imds-only.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /except 169\.254\.169\.254\/32 reaches cloud metadata/],
    ['fail-except-in-other-block.yaml', 'spec.egress[1].to[0].ipBlock.cidr', /egress to 169\.254\.169\.0\/24 reaches/],
    ['fail-ipv4-mapped.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /169\.254\.169\.254\/32/],
    ['fail-nat64.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /169\.254\.169\.254\/32/],
    ['fail-ipv6-imds.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /fd00:ec2::254\/128/],
    ['fail-ipv6-ula.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /fd00:ec2::23\/128, fd00:ec2::254\/128/],
    ['fail-ipv6-mapped-left.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /100\.100\.100\.200\/32, 169\.254\.0\.0\/16/],
    ['fail-no-to.yaml', 'spec.egress[0]', /no `to`: it allows every destination/],
    ['fail-empty-to.yaml', 'spec.egress[0]', /no `to`/],
    ['fail-invalid-except.yaml', 'spec.egress[0].to[0].ipBlock.cidr', /169\.254\.0\.0\/16/],
  ])('%s', (file, at, message) => {
    const findings = judge(load(file));
    expect(findings.map(f => f.path)).toContain(at);
    expect(findings.find(f => f.path === at)!.message).toMatch(message);
  });

  test('only the offending peer is reported (the carved-out 0.0.0.0/0 next to it is not)', () => {
    expect(judge(load('fail-except-in-other-block.yaml')).map(f => f.path)).toEqual(['spec.egress[1].to[0].ipBlock.cidr']);
  });

  test('an unresolved cidr is unevaluable, not a pass', () => {
    const [np] = load('fail-imds-32.yaml');
    np.spec.egress[0].to[0].ipBlock.cidr = '${Token[TOKEN.12]}';
    const f = judge([np]);
    expect(f.map(x => x.outcome)).toEqual(['unevaluable']);
  });
});

describe('no construct allows cloud metadata by default', () => {
  test('IsolatedNamespace with its defaults', () => {
    const chart = new Chart(new App(), 'tenants');
    new IsolatedNamespace(chart, 'payments', {});
    expect(judge(synth(chart))).toEqual([]);
  });

  test('HardenedDeployment egress to a range that holds 169.254.169.254 fails synth with the rule id', () => {
    const chart = new Chart(new App(), 'apps');
    Guard.of(chart);
    new HardenedDeployment(chart, 'api', { ...MINIMAL, image: IMAGE, egressTo: [{ peer: NetworkPeer.ipBlock('169.254.0.0/16'), port: 80 }] });
    expect(synthError(chart)).toContain(rule.id);
  });

  test('FirewallMatrix CIDR zone on the metadata service fails synth with the rule id', () => {
    const m = new FirewallMatrix('meta')
      .addZone(Zone.pods('api', 'shop', { app: 'api' }))
      .addZone(Zone.cidr('imds', '169.254.169.254/32'))
      .allow('api', 'imds', FlowPort.tcp(80), 'credentials');
    const chart = new Chart(new App(), 'net');
    Guard.of(chart);
    m.renderNetworkPolicies(chart, 'policies');
    expect(synthError(chart)).toMatch(new RegExp(`${rule.id}.*169\\.254\\.169\\.254`));
  });
});
