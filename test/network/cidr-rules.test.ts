/**
 * CIDR validation and the "effectively anywhere" threshold shared by firewall-sensitive-port-exposed,
 * network-policy-ipblock-any and network-policy-allow-all-egress; zone validation (firewall-zone-invalid).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Catalogue, Outcome } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { cidrProblem, parseCidr } from '../../lib/policy/rules/network/cidr-util';
import { ipBlockSet, isAnywhere, union } from '../../lib/semantics/netreach';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

function failures(ruleId: string, obj: any): { path: string; message: string }[] {
  return evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(ruleId)], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' })
    .filter(f => f.outcome === Outcome.FAIL)
    .map(f => ({ path: f.path, message: f.message }));
}

const fixture = (ruleId: string, file: string) => YAML.parse(fs.readFileSync(path.join(FIXTURES, ruleId, file), 'utf-8'));
const paths = (ruleId: string, file: string) => failures(ruleId, fixture(ruleId, file)).map(f => f.path).sort();

const ingress = (...blocks: any[]) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: blocks.map(b => ({ ipBlock: typeof b === 'string' ? { cidr: b } : b })) }] },
});

describe('cidrProblem / parseCidr', () => {
  test.each([
    '0.0.0.0/0', '10.0.0.0/8', '192.0.2.7/32', '255.255.255.255/32', '::/0', '::1/128', '2001:db8::/32', 'fd00::/8',
    '2001:DB8::/32', '::ffff:192.0.2.0/120', '1:2:3:4:5:6:7:8/128',
  ])('%j is valid', c => {
    expect(cidrProblem(c)).toBeUndefined();
    expect(parseCidr(c)).toBeDefined();
  });

  test.each([
    ['300.1.1.1/8', 'octet "300" is not 0-255'],
    ['1.2.3.4/33', 'prefix length "/33" is not 0-32 (IPv4)'],
    ['1.2.3.4/-1', 'prefix length "/-1"'],
    ['1.2.3.4/08', 'prefix length "/08"'],
    ['1.2.3.4/', 'prefix length "/"'],
    ['1.2.3.4', 'no prefix length'],
    ['10.0.0.1/8', 'host bits set: the network is 10.0.0.0/8'],
    ['01.2.3.4/32', 'octet "01"'],
    ['1.2.3/24', 'four octets'],
    ['::/129', 'prefix length "/129" is not 0-128 (IPv6)'],
    ['2001:db8::1/32', 'host bits set: the network is 2001:db8::/32'],
    ['fe80::1%eth0/64', 'is not an IPv4 or IPv6 address'],
    ['1:2:3:4:5:6:7:8:9/64', 'is not an IPv4 or IPv6 address'],
    ['gggg::/16', 'is not an IPv4 or IPv6 address'],
    ['10.0.0.0/8 ', 'prefix length "/8 "'],
  ])('%j is invalid: %s', (c, reason) => {
    expect(cidrProblem(c)).toContain(reason);
    expect(parseCidr(c)).toBeUndefined();
  });

  test.each([undefined, null, 8, {}, ['10.0.0.0/8']])('%j is not a string', v => expect(cidrProblem(v)).toBe('is not a string.'));
});

describe('threshold: more than a /8 worth of public IPv4 or a /16 worth of public IPv6 is "anywhere"', () => {
  const broad = (...sources: any[]) => isAnywhere(union(...sources.map(x => (typeof x === 'string' ? ipBlockSet(x) : ipBlockSet(x.cidr, x.except))!)));
  test.each([
    '0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '64.0.0.0/2', '0.0.0.0/4', '2.0.0.0/7', '::/0', '::/1', '2000::/3', '2000::/15', 'fc00::/6',
    '::ffff:0:0/96', '::ffff:0.0.0.0/97', '64:ff9b::/96', '64:ff9b:1::/96',
  ])('%s is anywhere', c => expect(broad(c)).toBe(true));

  test.each([
    '10.0.0.0/8', '3.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '192.0.2.0/24', '198.51.100.7/32',
    '0.0.0.0/7', // 0.0.0.0/8 is not routable: only 1.0.0.0/8 (exactly 2^24) is public
    '224.0.0.0/3', // multicast and reserved
    'fc00::/7', 'fd00::/8', 'fe80::/10', '2001:db8::/32', '2001::/16', '2000::/16',
    '::ffff:10.0.0.0/104', '::ffff:3.0.0.0/104', // mapped private range, one mapped public /8
  ])('%s is not anywhere', c => expect(broad(c)).toBe(false));

  test('unions count: two public /8s, 0.0.0.0/0 minus a hundred /32 holes, halves', () => {
    expect(broad('64.0.0.0/8', '65.0.0.0/8')).toBe(true);
    expect(broad('3.0.0.0/8', '3.0.0.0/8')).toBe(false);
    expect(broad({ cidr: '0.0.0.0/0', except: Array.from({ length: 100 }, (_, i) => `8.8.${i}.1/32`) })).toBe(true);
    expect(broad('0.0.0.0/1', '128.0.0.0/1')).toBe(true);
    expect(broad('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fd00::/8')).toBe(false);
  });

  test('except ranges narrow a source; invalid ones do not', () => {
    expect(broad({ cidr: '0.0.0.0/0', except: ['0.0.0.0/1', '128.0.0.0/1'] })).toBe(false);
    expect(broad({ cidr: '0.0.0.0/1', except: ['0.0.0.0/2', '64.0.0.0/3', '96.0.0.0/4', '112.0.0.0/5', '120.0.0.0/6', '124.0.0.0/7'] })).toBe(false);
    expect(broad({ cidr: '0.0.0.0/0', except: ['bogus', '0.0.0.0/33'] })).toBe(true);
    expect(ipBlockSet('not-a-cidr')).toBeUndefined();
  });
});

describe('network-policy-ipblock-any', () => {
  const rule = 'network-policy-ipblock-any';

  test('0.0.0.0/1 alone, and 0.0.0.0/1 + 128.0.0.0/1 together, fail at each ipBlock', () => {
    expect(failures(rule, ingress('0.0.0.0/1'))).toEqual([
      { path: 'spec.ingress[0].from[0].ipBlock.cidr', message: 'ingress from 0.0.0.0/1 (it reaches 2,092,957,696 public IPv4 addresses (56.53% of public IPv4), more than a /8 worth (2^24): counted as anywhere).' },
    ]);
    expect(paths(rule, 'fail-halves.yaml')).toEqual(['spec.ingress[0].from[0].ipBlock.cidr', 'spec.ingress[0].from[1].ipBlock.cidr']);
  });

  test('ipBlocks of different ingress rules are judged together', () => {
    const f = failures(rule, fixture(rule, 'fail-union.yaml'));
    expect(f.map(x => x.path)).toEqual(['spec.ingress[0].from[0].ipBlock.cidr', 'spec.ingress[1].from[0].ipBlock.cidr']);
    expect(f[0].message).toBe("ingress from 2.0.0.0/8 (with the policy's other ipBlocks it reaches 33,554,432 public IPv4 addresses (0.9% of public IPv4), more than a /8 worth (2^24): counted as anywhere).");
  });

  test('literal 0.0.0.0/0 and ::/0 keep their message; except does not save 0.0.0.0/0 minus private ranges', () => {
    expect(failures(rule, ingress('0.0.0.0/0', '::/0')).map(f => f.message)).toEqual(['ingress from 0.0.0.0/0.', 'ingress from ::/0.']);
    // a private range admitted next to 0.0.0.0/0 is not itself "anywhere": only the broad peer is reported
    expect(failures(rule, ingress('0.0.0.0/0', '10.1.0.0/16', 'fd00::/8', '2000::/3')).map(f => f.path))
      .toEqual(['spec.ingress[0].from[0].ipBlock.cidr', 'spec.ingress[0].from[3].ipBlock.cidr']);
    expect(paths(rule, 'fail-except.yaml')).toEqual(['spec.ingress[0].from[0].ipBlock.cidr']);
    expect(failures(rule, ingress('2000::/3'))[0].message).toBe('ingress from 2000::/3 (it reaches ≈2^125.0 public IPv6 addresses, more than a /16 worth (2^112): counted as anywhere).');
  });

  test('invalid cidr and except entries fail; unresolved tokens are unevaluable', () => {
    expect(failures(rule, fixture(rule, 'fail-invalid-cidr.yaml'))).toEqual([
      { path: 'spec.ingress[0].from[0].ipBlock.cidr', message: 'ingress ipBlock "300.1.1.1/8" is not a valid CIDR: "300.1.1.1" is not an IPv4 address (octet "300" is not 0-255 without leading zeros).' },
      { path: 'spec.ingress[0].from[1].ipBlock.cidr', message: 'ingress ipBlock "10.0.0.1/8" is not a valid CIDR: has host bits set: the network is 10.0.0.0/8.' },
      { path: 'spec.ingress[0].from[1].ipBlock.except[0]', message: 'ipBlock except "10.0.0.0/33" is not a valid CIDR: prefix length "/33" is not 0-32 (IPv4).' },
    ]);
    const token = evaluate([{ object: ingress('${Token[TOKEN.12]}'), ref: objectRefOf(ingress()) }], { rules: [Catalogue.get(rule)], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' });
    expect(token.map(f => f.outcome)).toEqual([Outcome.UNEVALUABLE]);
  });

  test('normal private CIDRs, ULA and a narrow public range pass', () => {
    expect(failures(rule, fixture(rule, 'pass-private.yaml'))).toEqual([]);
    expect(failures(rule, ingress({ cidr: '10.0.0.0/16', except: ['10.0.5.0/24'] }))).toEqual([]);
  });
});

describe('network-policy-allow-all-egress uses the same threshold', () => {
  const rule = 'network-policy-allow-all-egress';
  test('egress to 0.0.0.0/1 + 128.0.0.0/1 is reported, private ranges are not', () => {
    expect(paths(rule, 'fail-broad-cidr.yaml')).toEqual(['spec.egress[0].to[0].ipBlock.cidr', 'spec.egress[0].to[1].ipBlock.cidr']);
    expect(failures(rule, fixture(rule, 'pass-private.yaml'))).toEqual([]);
  });

  test('port 53 is DNS only towards kube-system: to 0.0.0.0/0 it is a tunnel to any resolver', () => {
    const dns = fixture(rule, 'pass-private.yaml');
    dns.spec.egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 53, protocol: 'UDP' }] });
    expect(failures(rule, dns)).toEqual([{ path: 'spec.egress[1].to[0].ipBlock.cidr', message: 'egress to 0.0.0.0/0.' }]);
  });
});

describe('firewall-sensitive-port-exposed fixtures', () => {
  const rule = 'firewall-sensitive-port-exposed';
  test.each([
    ['fail-broad-prefix.yaml', ['spec.flows[3].from'], /zone "half-internet" \(0\.0\.0\.0\/1\) may reach the kubelet port\(s\) 10250 on "nodes" \(it reaches 2,092,957,696 public IPv4 addresses/],
    ['fail-union.yaml', ['spec.flows[3].from', 'spec.flows[4].from'], /zone "partner-a" \(64\.0\.0\.0\/8\) may reach the kube-controller-manager port\(s\) 10257 on "control-plane" \(with zone\(s\) "partner-b" it reaches 33,554,432 public IPv4 addresses/],
    ['fail-v6-broad.yaml', ['spec.flows[3].from'], /kube-scheduler port\(s\) 10259 .*≈2\^125\.0 public IPv6 addresses, more than a \/16 worth/],
    ['fail-kubelet.yaml', ['spec.flows[3].from', 'spec.flows[4].from'], /^zone "internet" \(0\.0\.0\.0\/0\) may reach the NodePort Services port\(s\) 30000-32767 on "nodes"\.$/],
  ])('%s', (file, expected, message) => {
    const f = failures(rule, fixture(rule, file));
    expect(f.map(x => x.path).sort()).toEqual(expected);
    expect(f[0].message).toMatch(message);
  });

  test('private and narrow sources pass', () => {
    expect(failures(rule, fixture(rule, 'pass-private.yaml'))).toEqual([]);
  });
});

describe('firewall-zone-invalid fixtures', () => {
  const rule = 'firewall-zone-invalid';
  test.each([
    ['fail-cidr-octet.yaml', ['spec.zones[4].cidr']],
    ['fail-cidr-prefix-and-host-bits.yaml', ['spec.zones[4].cidr', 'spec.zones[5].cidr', 'spec.zones[6].cidr']],
    ['fail-cidr-v6.yaml', ['spec.zones[4].cidr', 'spec.zones[5].cidr', 'spec.zones[6].cidr']],
    ['fail-namespace.yaml', ['spec.zones[4].namespace']],
    ['fail-labels.yaml', ['spec.zones[4].labels["app.kubernetes.io/name"]', 'spec.zones[4].labels["bad key!"]']],
    ['fail-kind.yaml', ['spec.zones[4].kind', 'spec.zones[5].cidr']],
  ])('%s fails at exactly %j', (file, expected) => {
    expect(paths(rule, file)).toEqual(expected);
  });

  test('valid zones pass (IPv4, IPv6, mapped, /32, prefixed label keys, empty label values, no labels)', () => {
    expect(failures(rule, fixture(rule, 'pass.yaml'))).toEqual([]);
  });

  test('a zone without a name, and labels that are not a map, fail', () => {
    const doc = fixture(rule, 'pass.yaml');
    doc.spec.zones.push({ kind: 'hosts' }, { name: 'x', kind: 'pods', namespace: 'shop', labels: ['app'] }, { name: 'y', kind: 'pods', namespace: 'shop', labels: { app: 1 } });
    expect(failures(rule, doc).map(f => f.path)).toEqual(['spec.zones[8].name', 'spec.zones[9].labels', 'spec.zones[10].labels.app']);
  });
});
