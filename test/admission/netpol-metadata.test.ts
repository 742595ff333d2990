/**
 * network-policy-egress-cloud-metadata at admission (lib/admission/netpol-metadata.ts): the generated CEL, run on
 * @bufbuild/cel with Kubernetes' IP / CIDR library (cel-k8s-net.ts), against the TypeScript rule — on the attacker's
 * spellings, on thousands of generated ipBlocks near the metadata ranges, on UPDATE; the Kubernetes version gate; the
 * limit and its message; the cost estimate. A disagreement is allowed only where the policy denies and the input is in
 * a documented fail-closed class (FAIL_CLOSED).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { enforceableRuleIds, generatePolicies, generateRules, notEnforcedTable } from '../../lib/admission/generate';
import { EXCEPTS_BUDGET_MESSAGE, ipBlockOk, MAX_EXCEPTS, NETPOL_METADATA_MIN_KUBE_MINOR } from '../../lib/admission/netpol-metadata';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { addressText, parseCidr } from '../../lib/semantics/netreach';
import { compile, compileRule, toCel } from './cel-k8s';
import { estimateCost, PER_CALL_LIMIT, RUNTIME_BUDGET } from './cost';
import { v1SchemaErrors } from './v1-schema';

const ID = 'network-policy-egress-cloud-metadata';
const SETTINGS: PolicySettings = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const generated = (settings: PolicySettings = SETTINGS, sources: any[] = []) =>
  generateRules({ settings, apiVersion: 'v1', generatedOn: ON, ruleIds: [ID], waiverSources: sources })[0];
const policy = compileRule(generated());
const tsAdmits = (obj: any) => !evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(ID)], settings: SETTINGS, today: ON })
  .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
const np = (egress: any, spec: any = {}) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'egress', namespace: 'shop' },
  spec: { podSelector: {}, policyTypes: ['Egress'], egress, ...spec },
});
const block = (cidr: any, except?: any) => np([{ to: [{ ipBlock: except === undefined ? { cidr } : { cidr, except } }] }]);
const RANDOM_RUNS = 3000;
const PARTITION_RUNS = 400;
const POLICY_RUNS = 500;

const LOCAL_NAT64 = parseCidr('64:ff9b:1::/48')!;
/**
 * The documented fail-closed class: inputs the policy denies although the rule passes them. `except` counts over the
 * whole policy; the NAT64 local-use prefix is judged per /96 only for a cidr inside one /96.
 */
function failClosed(obj: any): string | undefined {
  const blocks = (obj.spec.egress ?? []).flatMap((r: any) => (r?.to ?? []).map((p: any) => p?.ipBlock).filter((b: any) => b && typeof b === 'object'));
  const excepts = blocks.reduce((n: number, b: any) => n + (Array.isArray(b.except) ? b.except.length : 0), 0);
  if (excepts > MAX_EXCEPTS) return 'more except entries than MAX_EXCEPTS';
  for (const b of blocks) {
    const c = parseCidr(b.cidr);
    const overlaps = c && c.family === 6 && c.start <= LOCAL_NAT64.end && c.end >= LOCAL_NAT64.start;
    if (c && overlaps && !(c.start >= LOCAL_NAT64.start && c.end <= LOCAL_NAT64.end && c.prefix >= 96)) {
      return 'overlaps 64:ff9b:1::/48 beyond one /96';
    }
  }
  return undefined;
}

/** CEL and TypeScript agree, or CEL denies an input of the documented fail-closed class. */
function verdicts(obj: any) {
  const cel = policy.admits(obj, 'shop');
  const ts = tsAdmits(obj);
  return { cel, ts, ok: cel === ts || (!cel && failClosed(obj) !== undefined) };
}

describe('the Kubernetes version gate', () => {
  test(`generated for 1.${NETPOL_METADATA_MIN_KUBE_MINOR}+ (and by default), listed with the reason below`, () => {
    expect(enforceableRuleIds(SETTINGS)).toContain(ID);
    for (const v of ['1.31', '1.34', 'latest']) expect([v, enforceableRuleIds({ ...SETTINGS, kubeVersion: v })]).toEqual([v, expect.arrayContaining([ID])]);
    for (const v of ['1.28', '1.29', '1.30']) {
      const settings = { ...SETTINGS, kubeVersion: v };
      expect(enforceableRuleIds(settings)).not.toContain(ID);
      expect(generateRules({ settings, apiVersion: v === '1.30' ? 'v1' : 'v1beta1', generatedOn: ON }).map(g => g.rule.id)).not.toContain(ID);
      expect(notEnforcedTable(settings)).toContain(`| ${ID} | generated for Kubernetes 1.31+ (--kube-version, the profile's kubeVersion; this run: ${v}): ` +
        'it needs Kubernetes\' IP/CIDR CEL library');
      expect(() => generateRules({ settings, apiVersion: 'v1', generatedOn: ON, ruleIds: [ID] })).toThrow(/network-policy-egress-cloud-metadata \(generated for Kubernetes 1\.31\+/);
    }
    expect(notEnforcedTable(SETTINGS)).not.toContain(`| ${ID} |`);
  });

  test('the policy matches NetworkPolicies (CREATE, UPDATE), validates against the 1.30 and 1.36 OpenAPI, and never calls containsCIDR', () => {
    const objs = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [ID] });
    expect(objs[0].spec.matchConstraints.resourceRules).toEqual([{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['networkpolicies'] }]);
    for (const release of ['1.30', '1.36'] as const) for (const o of objs) expect(v1SchemaErrors(o, release)).toEqual([]);
    const text = JSON.stringify(objs);
    // containsCIDR answered false for a CIDR inside another one not starting at the same address before kubernetes PR #130450
    expect(text).not.toContain('containsCIDR');
    expect(text).toContain('cidr(');
    expect(objs[0].metadata.annotations['hardened.cdk8s.io/updates']).toMatch(/^judged only when a field this rule reads changed/);
  });
});

const ex4 = ['169.254.0.0/16', '100.100.100.200/32'];
const ex6 = ['fe80::/10', 'fd00:ec2::/112', '::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48'];
const SPELLINGS: [string, any, boolean][] = [
  ['0.0.0.0/0', block('0.0.0.0/0'), false],
  ['0.0.0.0/0 except the metadata ranges', block('0.0.0.0/0', ex4), true],
  ['128.0.0.0/1', block('128.0.0.0/1'), false],
  ['0.0.0.0/1 (holds 100.100.100.200)', block('0.0.0.0/1'), false],
  ['192.0.0.0/2 (no metadata)', block('192.0.0.0/2'), true],
  ['169.254.0.0/15', block('169.254.0.0/15'), false],
  ['169.254.0.0/15 except 169.254.0.0/16', block('169.254.0.0/15', ['169.254.0.0/16']), true],
  ['0.0.0.0/0 except 169.254.169.254 only', block('0.0.0.0/0', ['169.254.169.254/32', '100.100.100.200/32']), false],
  ['169.254.0.0/16 except 169.254.169.254 only', block('169.254.0.0/16', ['169.254.169.254/32']), false],
  ['except split in halves', block('0.0.0.0/0', ['169.254.0.0/17', '169.254.128.0/17', '100.100.100.200/32']), true],
  ['halves, one duplicated instead of the other', block('0.0.0.0/0', ['169.254.0.0/17', '169.254.0.0/17', '100.100.100.200/32']), false],
  ['duplicate excepts', block('0.0.0.0/0', [...ex4, ...ex4]), true],
  ['nested excepts', block('0.0.0.0/0', ['169.254.0.0/16', '169.254.169.0/24', '169.254.169.254/32', '100.100.100.200/32']), true],
  ['nested excepts with a hole', block('0.0.0.0/0', ['169.254.0.0/17', '169.254.169.0/24', '100.100.100.200/32']), false],
  ['quarters', block('169.254.0.0/16', ['169.254.0.0/18', '169.254.64.0/18', '169.254.128.0/18', '169.254.192.0/18']), true],
  ['three quarters', block('169.254.0.0/16', ['169.254.0.0/18', '169.254.64.0/18', '169.254.192.0/18']), false],
  ['::/0', block('::/0'), false],
  ['::/0 except all the IPv6 spellings', block('::/0', ex6), true],
  ['::/0 without fe80::/10', block('::/0', ex6.filter(x => x !== 'fe80::/10')), false],
  ['::/0 without fd00:ec2::/112', block('::/0', ex6.filter(x => x !== 'fd00:ec2::/112')), false],
  ['::/0 without ::ffff:0:0/96', block('::/0', ex6.filter(x => x !== '::ffff:0:0/96')), false],
  ['::/0 without 64:ff9b::/96', block('::/0', ex6.filter(x => x !== '64:ff9b::/96')), false],
  ['::/0 without 64:ff9b:1::/48', block('::/0', ex6.filter(x => x !== '64:ff9b:1::/48')), false],
  ['::/0 with ::ffff:0:0/96 spelled 0:0:0:0:0:FFFF:0:0/96', block('::/0', [...ex6.filter(x => x !== '::ffff:0:0/96'), '0:0:0:0:0:FFFF:0:0/96']), true],
  ['::/0 with ::ffff:0:0/96 spelled ::ffff:0.0.0.0/96', block('::/0', [...ex6.filter(x => x !== '::ffff:0:0/96'), '::ffff:0.0.0.0/96']), true],
  ['::/0 excepting only the mapped metadata', block('::/0', [...ex6.filter(x => x !== '::ffff:0:0/96'), '::ffff:169.254.0.0/112', '::ffff:100.100.100.200/128']), true],
  ['::/0 excepting ::/80 (contains all of ::ffff:0:0/96)', block('::/0', [...ex6.filter(x => x !== '::ffff:0:0/96'), '::/80']), true],
  ['::ffff:169.254.169.254/128', block('::ffff:169.254.169.254/128'), false],
  ['::ffff:a9fe:a9fe/128', block('::ffff:a9fe:a9fe/128'), false],
  ['::ffff:10.0.0.0/104', block('::ffff:10.0.0.0/104'), true],
  ['::ffff:0:0/96 except ::ffff:169.254.0.0/112 only', block('::ffff:0:0/96', ['::ffff:169.254.0.0/112']), false],
  ['::ffff:0:0/96 except both mapped metadata ranges', block('::ffff:0:0/96', ['::ffff:169.254.0.0/112', '::FFFF:100.100.100.200/128']), true],
  ['64:ff9b::/96', block('64:ff9b::/96'), false],
  ['64:ff9b::a9fe:a9fe/128', block('64:ff9b::169.254.169.254/128'), false],
  ['64:ff9b::/96 except the NAT64 metadata', block('64:ff9b::/96', ['64:ff9b::a9fe:0/112', '64:ff9b::6464:64c8/128']), true],
  ['one /96 of 64:ff9b:1::/48 with a private IPv4', block('64:ff9b:1::a0a:0/112'), true],
  ['one /96 of 64:ff9b:1::/48 with metadata', block('64:ff9b:1:0:0:1:a9fe:a9fe/128'), false],
  ['one /96 of 64:ff9b:1::/48, metadata excepted', block('64:ff9b:1:2:3:4::/96', ['64:ff9b:1:2:3:4:a9fe:0/112', '64:ff9b:1:2:3:4:6464:64c8/128']), true],
  ['one /96 of 64:ff9b:1::/48 (canonical text ending in ::), metadata excepted', block('64:ff9b:1::/96', ['64:ff9b:1::a9fe:0/112', '64:ff9b:1::6464:64c8/128']), true],
  ['one /96 of 64:ff9b:1::/48, one metadata range left', block('64:ff9b:1:0:0:5::/96', ['64:ff9b:1:0:0:5:a9fe:0/112']), false],
  ['one /96 of 64:ff9b:1::/48 (canonical text ending in :0:0), metadata excepted', block('64:ff9b:1:0:0:5::/96', ['64:ff9b:1::5:a9fe:0/112', '64:ff9b:1:0:0:5:6464:64c8/128']), true],
  ['one /96 of 64:ff9b:1::/48 (four fields before ::), metadata excepted', block('64:ff9b:1:9::/96', ['64:ff9b:1:9::a9fe:0/112', '64:ff9b:1:9:0:0:6464:64c8/128']), true],
  ['a /112 inside one /96 of 64:ff9b:1::/48 holding metadata, excepted', block('64:ff9b:1:9::a9fe:0/112', ['64:ff9b:1:9::a9fe:0/113', '64:ff9b:1:9::a9fe:8000/113']), true],
  ['FE80::/10 upper case', block('FE80::/10'), false],
  ['fe80::/10 except its halves', block('fe80::/10', ['fe80::/11', 'FEA0::/11']), true],
  ['fe80::/10 except its halves down to /24, one /24 left', block('fe80::/10', ['fe80::/11', 'fea0::/12', 'feb0::/13', 'feb8::/14', 'febc::/15', 'febe::/16', 'febf::/17', 'febf:8000::/18',
    'febf:c000::/19', 'febf:e000::/20', 'febf:f000::/21', 'febf:f800::/22', 'febf:fc00::/23', 'febf:fe00::/24']), false],
  ['fe80::1/128 only', block('fe80::1/128'), false],
  ['fd00:ec2::254/128', block('fd00:ec2::254/128'), false],
  ['fd00:ec2::/64 except the two metadata addresses', block('fd00:ec2::/64', ['fd00:ec2::254/128', 'fd00:ec2::23/128']), true],
  ['100.64.0.0/10 (Alibaba metadata)', block('100.64.0.0/10'), false],
  ['10.0.0.0/8', block('10.0.0.0/8'), true],
  ['host bits set', block('169.254.169.254/16'), false],
  ['host bits in an except (ignored)', block('0.0.0.0/0', ['169.254.1.0/16', '100.100.100.200/32']), false],
  ['leading zero in the prefix length', block('10.0.0.0/08'), false],
  ['leading zero in an except\'s prefix length (ignored)', block('0.0.0.0/0', ['169.254.0.0/016', '100.100.100.200/32']), false],
  ['leading zero in an octet', block('010.0.0.0/8'), false],
  ['a zone', block('fe80::%eth0/10'), false],
  ['non-string cidr', block(169254), false],
  ['no cidr', np([{ to: [{ ipBlock: { except: ['10.0.0.0/8'] } }] }]), false],
  ['non-list except', block('0.0.0.0/0', '169.254.0.0/16'), false],
  ['non-string excepts ignored', block('10.0.0.0/8', [1, true]), true],
  ['null ipBlock', np([{ to: [{ ipBlock: null }, { podSelector: {} }] }]), true],
  ['egress without to', np([{ ports: [{ port: 53, protocol: 'UDP' }] }]), false],
  ['egress with to: []', np([{ to: [] }]), false],
  ['only pod and namespace selectors', np([{ to: [{ podSelector: {} }, { namespaceSelector: {} }] }]), true],
  ['policyTypes [Ingress] only', block('0.0.0.0/0', undefined), true],
  ['no policyTypes (egress present)', np([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }], { policyTypes: undefined }), false],
  ['no spec', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'shop' } }, true],
  ['second rule reaches metadata', np([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ex4 } }] }, { to: [{ ipBlock: { cidr: '169.254.169.0/24' } }] }]), false],
];
// policyTypes [Ingress]: the egress rules have no effect
SPELLINGS.find(c => c[0] === 'policyTypes [Ingress] only')![1].spec.policyTypes = ['Ingress'];

describe('the attacker\'s spellings: CEL gives the TypeScript verdict', () => {
  test.each(SPELLINGS.map(c => [c[0], c[1], c[2]] as const))('%s', (_name, obj, expected) => {
    expect(tsAdmits(obj)).toBe(expected);
    expect(policy.admits(obj, 'shop')).toBe(expected);
  });
});

describe('exact arithmetic on long except lists (ipBlockOk with a longer limit than the policy\'s)', () => {
  const judge = compile(`${ipBlockOk('b', 160)}`);
  const judged = (cidr: string, except: string[]) => judge({ b: toCel({ cidr, except }) });
  // fe80::/10 minus fe80::/128: one CIDR per level, /11 ... /128 (118 of them)
  const chain = (() => {
    const out: string[] = [];
    const start = parseCidr('fe80::/10')!.start;
    // at each length, the half that does not hold fe80::
    for (let len = 11; len <= 128; len++) out.push(`${addressText(6, start + (1n << BigInt(128 - len)))}/${len}`);
    return out;
  })();
  const hole = 'fe80::/128';

  test('118 excepts leaving one /128 of fe80::/10: the hole is found (2^-118 of the block)', () => {
    expect(chain).toHaveLength(118);
    expect(judged('fe80::/10', chain)).toBe(false);
    expect(judged('fe80::/10', [...chain, hole])).toBe(true);
    expect(judged('fe80::/10', [...chain, 'fe80::1/128'])).toBe(false);
    // the same with the TypeScript rule
    expect(tsAdmits(block('fe80::/10', chain))).toBe(false);
    expect(tsAdmits(block('fe80::/10', [...chain, hole]))).toBe(true);
  });

  test('an attacker\'s duplicates cannot fill the hole (equal excepts count once, whatever their spelling)', () => {
    const upper = chain.map(c => c.toUpperCase());
    expect(judged('fe80::/10', [...chain, ...chain.slice(0, 30)])).toBe(false);
    expect(judged('fe80::/10', [...chain, chain[117].replace('fe80', 'FE80:0000')])).toBe(false);
    expect(judged('fe80::/10', [...upper.slice(0, 20), ...chain.slice(20), hole])).toBe(true);
  });

  test('the generated policy denies more than MAX_EXCEPTS excepts with the budget message, even when the rule passes', () => {
    const obj = block('fe80::/10', [...chain, hole]);
    expect(tsAdmits(obj)).toBe(true);
    expect(policy.admits(obj, 'shop')).toBe(false);
    const budget = EXCEPTS_BUDGET_MESSAGE.replace(`[${ID}] `, `[${ID}] NetworkPolicy egress: `);
    expect(budget.startsWith(`[${ID}] NetworkPolicy egress: the egress ipBlocks of this NetworkPolicy list more than ${MAX_EXCEPTS} except entries`)).toBe(true);
    expect(policy.messageOf(obj, 'shop')).toBe(budget);
    // counted over the whole policy, only when egress is isolated
    const split = np([0, 1].map(k => ({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: Array.from({ length: MAX_EXCEPTS / 2 + k }, (_, i) => `10.${i}.0.0/16`) } }] })));
    expect(policy.messageOf(split, 'shop')).toBe(budget);
    expect(policy.admits({ ...split, spec: { ...split.spec, policyTypes: ['Ingress'] } }, 'shop')).toBe(true);
    const within = block('10.0.0.0/8', Array.from({ length: MAX_EXCEPTS }, (_, i) => `10.${i}.0.0/16`));
    expect(policy.admits(within, 'shop')).toBe(true);
  });
});

describe('generated ipBlocks near the metadata ranges (seeded)', () => {
  const seeds: [4 | 6, string][] = [
    [4, '169.254.169.254'], [4, '169.254.170.2'], [4, '169.254.0.0'], [4, '100.100.100.200'], [4, '0.0.0.0'], [4, '128.0.0.0'], [4, '10.0.0.0'],
    [6, 'fe80::1'], [6, 'fd00:ec2::254'], [6, 'fd00:ec2::23'], [6, '::ffff:a9fe:a9fe'], [6, '::ffff:a0a:0'], [6, '64:ff9b::a9fe:a9fe'], [6, '64:ff9b::6464:64c8'],
    [6, '64:ff9b:1:0:0:7:a9fe:a9fe'], [6, '64:ff9b:1::6464:64c8'], [6, '::'], [6, '2001:db8::'],
  ];
  const value = (family: 4 | 6, text: string) => parseCidr(`${text}/${family === 4 ? 32 : 128}`)!.start;
  const cidrAt = (family: 4 | 6, v: bigint, len: number) => {
    const w = family === 4 ? 32 : 128;
    const start = (v >> BigInt(w - len)) << BigInt(w - len);
    return { family, start, len };
  };
  /** A text for a block: canonical, upper case, IPv4-mapped dotted, or fully expanded. */
  const spell = (b: { family: 4 | 6; start: bigint; len: number }, style: number) => {
    const base = addressText(b.family, b.start);
    if (b.family === 4) return `${base}/${b.len}`;
    if (style === 1) return `${base.toUpperCase()}/${b.len}`;
    if (style === 2 && b.start >> 32n === 0xffffn) return `::ffff:${addressText(4, b.start & 0xffffffffn)}/${b.len}`;
    if (style === 3) return `${Array.from({ length: 8 }, (_, k) => ((b.start >> BigInt(112 - 16 * k)) & 0xffffn).toString(16).padStart(4, '0')).join(':')}/${b.len}`;
    return `${base}/${b.len}`;
  };
  const arb = fc.record({
    seed: fc.constantFrom(...seeds),
    len: fc.nat({ max: 128 }),
    style: fc.nat({ max: 3 }),
    excepts: fc.array(fc.record({
      seed: fc.constantFrom(...seeds), extra: fc.nat({ max: 40 }), style: fc.nat({ max: 3 }), noise: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
    }), { maxLength: 6 }),
    dup: fc.boolean(),
  }).map(r => {
    const [family, text] = r.seed;
    const w = family === 4 ? 32 : 128;
    const c = cidrAt(family, value(family, text), r.len % (w + 1));
    const excepts = r.excepts.map(e => {
      // an except inside the cidr: its prefix extended by `extra` bits, towards the except's seed when it lies inside
      const len = Math.min(w, c.len + 1 + (e.extra % (w - c.len + 1)));
      const [f2, t2] = e.seed;
      const inside = f2 === family && (value(f2, t2) >> BigInt(w - c.len)) === (c.start >> BigInt(w - c.len));
      const toward = inside ? value(f2, t2) : c.start | (e.noise & ((1n << BigInt(w - c.len)) - 1n));
      return spell(cidrAt(family, toward, Math.min(len, w)), e.style);
    });
    return block(spell(c, r.style), r.dup && excepts.length > 0 ? [...excepts, excepts[0]] : excepts);
  });

  test(`${RANDOM_RUNS} ipBlocks: every verdict is the TypeScript one, or a documented fail-closed denial; both verdicts occur`, () => {
    const seen = new Set<boolean>();
    let failClosedCount = 0;
    const stats: Record<string, number> = {};
    fc.assert(fc.property(arb, obj => {
      const v = verdicts(obj);
      seen.add(v.cel);
      if (v.cel !== v.ts) failClosedCount++;
      stats[`${v.ts}/${v.cel}`] = (stats[`${v.ts}/${v.cel}`] ?? 0) + 1;
      expect([obj.spec.egress[0].to[0].ipBlock, v]).toEqual([obj.spec.egress[0].to[0].ipBlock, { ...v, ok: true }]);
      // never a false admit
      expect(v.cel && !v.ts).toBe(false);
    }), { numRuns: RANDOM_RUNS, seed: 31 });
    expect(seen).toEqual(new Set([true, false]));
    expect(failClosedCount).toBeLessThan(300);
    // both verdicts, many times each; no policy admission that the rule refuses
    expect(stats['true/true']).toBeGreaterThan(800);
    expect(stats['false/false']).toBeGreaterThan(800);
    expect(stats['false/true']).toBeUndefined();
  });
  test(`${POLICY_RUNS} generated policies (several rules and peers, rules without to, selectors, null peers, each policyTypes): the TypeScript verdict`, () => {
    const ipBlock = arb.map(o => o.spec.egress[0].to[0].ipBlock);
    const peer = fc.oneof(ipBlock.map(b => ({ ipBlock: b })), fc.constant({ podSelector: {} }), fc.constant({ namespaceSelector: { matchLabels: { team: 'a' } } }));
    // a null peer beside others (alone, `to: [null]`, the API server's validation refuses it: "must specify a peer")
    const peers = fc.tuple(fc.array(peer, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([to, withNull]) => (withNull ? [...to, null] : to));
    const rule = fc.oneof({ weight: 6, arbitrary: peers.map(to => ({ to, ports: [{ port: 443 }] })) },
      { weight: 1, arbitrary: fc.constant({ ports: [{ port: 53, protocol: 'UDP' }] }) }, { weight: 1, arbitrary: fc.constant({ to: [] }) });
    const policyTypes = fc.constantFrom(undefined, ['Egress'], ['Ingress'], ['Ingress', 'Egress']);
    const seen = new Set<string>();
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 3 }), policyTypes, (egress, types) => {
      const obj = JSON.parse(JSON.stringify(np(egress, { policyTypes: types })));
      const v = verdicts(obj);
      seen.add(`${v.ts}/${v.cel}`);
      expect([obj.spec, v]).toEqual([obj.spec, { ...v, ok: true }]);
    }), { numRuns: POLICY_RUNS, seed: 25 });
    expect(seen.has('true/true') && seen.has('false/false')).toBe(true);
    expect(seen.has('false/true')).toBe(false);
  });
});

describe('generated exact partitions of a metadata range, with a piece dropped, split again or duplicated (seeded)', () => {
  const targets: [4 | 6, string, string[]][] = [
    [4, '169.254.0.0/16', ['0.0.0.0/0', '169.254.0.0/16', '128.0.0.0/1']],
    [6, 'fe80::/10', ['::/0', 'fe80::/10', 'fe80::/9']],
    [6, '64:ff9b::a9fe:0/112', ['64:ff9b::/96', '64:ff9b::a9fe:0/112']],
    [6, '::ffff:a9fe:0/112', ['::ffff:0:0/96', '::ffff:a9fe:0/112', '::/0']],
  ];
  /** The other metadata ranges a cidr holds, excepted whole (so that only the partitioned range decides). */
  const rest = (family: 4 | 6, cidr: string, target: string) => ['169.254.0.0/16', '100.100.100.200/32', 'fe80::/10', 'fd00:ec2::/112', '::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48']
    .filter(r => r !== target && !(target.startsWith('::ffff') && r === '::ffff:0:0/96') && !(target.startsWith('64:ff9b::') && r === '64:ff9b::/96'))
    .filter(r => {
      const a = parseCidr(r)!;
      const c = parseCidr(cidr)!;
      return a.family === family && a.start >= c.start && a.end <= c.end && a.prefix > c.prefix;
    });

  const arb = fc.record({ t: fc.nat({ max: targets.length - 1 }), c: fc.nat({ max: 2 }), splits: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
    drop: fc.boolean(), dupe: fc.boolean(), upper: fc.boolean(), pick: fc.nat() }).map(r => {
    const [family, target, cidrs] = targets[r.t];
    const cidr = cidrs[r.c % cidrs.length];
    const w = family === 4 ? 32 : 128;
    const t = parseCidr(target)!;
    let pieces: { start: bigint; len: number }[] = [{ start: t.start, len: t.prefix }];
    for (const k of r.splits) {
      const splittable = pieces.filter(p => p.len < w);
      if (splittable.length === 0) break;
      // split deep: prefer the last piece, so that depths reach the family's width
      const p = splittable[k % 3 === 0 ? k % splittable.length : splittable.length - 1];
      const step = 1 + (k % Math.max(1, Math.min(14, w - p.len)));
      pieces = pieces.filter(x => x !== p);
      // p minus its first sub-block of length p.len + step: the siblings along the way, then the sub-block
      let start = p.start;
      for (let l = p.len + 1; l <= p.len + step; l++) pieces.push({ start: start + (1n << BigInt(w - l)), len: l });
      pieces.push({ start, len: p.len + step });
      start = p.start;
    }
    let texts = pieces.map(p => `${addressText(family, p.start)}/${p.len}`);
    if (target.startsWith('::ffff')) texts = texts.map((x, i) => (i % 2 === 0 ? x : `::ffff:${addressText(4, parseCidr(x)!.start & 0xffffffffn)}/${parseCidr(x)!.prefix}`));
    if (r.upper) texts = texts.map(x => x.toUpperCase());
    if (r.drop) texts.splice(r.pick % texts.length, 1);
    if (r.dupe) texts.push(texts[r.pick % texts.length]);
    return block(cidr, [...texts, ...rest(family, cidr, target)]);
  });

  test(`${PARTITION_RUNS} partitions through the policy: CEL and TypeScript agree, or the policy denies beyond MAX_EXCEPTS; both verdicts occur within it`, () => {
    const within = { admitted: 0, denied: 0 };
    fc.assert(fc.property(arb, obj => {
      const v = verdicts(obj);
      expect([obj.spec.egress[0].to[0].ipBlock, v]).toEqual([obj.spec.egress[0].to[0].ipBlock, { ...v, ok: true }]);
      expect(v.cel && !v.ts).toBe(false);
      if (obj.spec.egress[0].to[0].ipBlock.except.length <= MAX_EXCEPTS) {
        expect(v.cel).toBe(v.ts);
        within[v.cel ? 'admitted' : 'denied']++;
      }
    }), { numRuns: PARTITION_RUNS, seed: 118 });
    expect(within.admitted).toBeGreaterThan(40);
    expect(within.denied).toBeGreaterThan(40);
  });

  test('60 partitions of any length through ipBlockOk with a 200-entry limit: always the TypeScript verdict', () => {
    const judge = compile(ipBlockOk('b', 200));
    const seen = new Set<boolean>();
    let deep = 0;
    fc.assert(fc.property(arb, obj => {
      const b = obj.spec.egress[0].to[0].ipBlock;
      const cel = judge({ b: toCel(b) });
      seen.add(cel as boolean);
      if (b.except.length > MAX_EXCEPTS) deep++;
      expect([b, cel]).toEqual([b, tsAdmits(obj)]);
    }), { numRuns: 60, seed: 128 });
    expect(seen).toEqual(new Set([true, false]));
    expect(deep).toBeGreaterThan(5);
  });
});

describe('UPDATE, messages, waivers', () => {
  const bad = block('0.0.0.0/0', ['169.254.169.254/32']);

  test('a label change on a non-compliant NetworkPolicy is admitted; a change of its egress is judged', () => {
    expect(policy.admitsUpdate(bad, { ...bad, metadata: { ...bad.metadata, labels: { team: 'shop' }, finalizers: ['example.com/x'] } }, 'shop')).toBe(true);
    expect(policy.admitsUpdate(block('10.0.0.0/8'), bad, 'shop')).toBe(false);
    expect(policy.admitsUpdate(bad, block('10.0.0.0/8'), 'shop')).toBe(true);
    expect(policy.admitsUpdate(bad, { ...bad, spec: { ...bad.spec, policyTypes: ['Ingress', 'Egress'] } }, 'shop')).toBe(false);
  });

  test('the message names the rule, the object, the ipBlock path and the fix', () => {
    const rule = Catalogue.get(ID);
    const two = np([{ to: [{ podSelector: {} }] }, { to: [{ podSelector: {} }, { ipBlock: { cidr: '169.254.0.0/16' } }] }]);
    expect(policy.messageOf(two, 'shop')).toBe(`[${ID}] ${rule.title}: NetworkPolicy egress: spec.egress[1].to[1].ipBlock.cidr. Fix: ${rule.remediation}`);
    expect(policy.messageOf(np([{ ports: [{ port: 443 }] }]), 'shop')).toBe(`[${ID}] ${rule.title}: NetworkPolicy egress: spec.egress[0]. Fix: ${rule.remediation}`);
  });

  test('a baked waiver covers exactly its ipBlock', () => {
    const waived = (path: string) => ({
      ...bad, metadata: { ...bad.metadata, annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: ID, reason: 'node agent needs IMDS, tracked in PLAT-12', owner: 'platform', expires: '2026-12-31', path }]) } },
    });
    for (const [path, admitted] of [['spec.egress[0].to[0].ipBlock', true], ['spec.egress[0]', true], ['spec.egress[1]', false]] as const) {
      const obj = waived(path);
      expect([path, compileRule(generated(SETTINGS, [obj])).admits(obj, 'shop')]).toEqual([path, admitted]);
    }
  });
});

describe('cost against the API server budgets (test/admission/cost.ts)', () => {
  /** One ipBlock with n except entries (every list the rule iterates is n long). */
  const perBlock = (n: number) => estimateCost(ipBlockOk('b'), 1, Math.max(1, n));

  /** How many more ipBlocks (without excepts) fit beside one ipBlock holding all MAX_EXCEPTS excepts. */
  const room = () => {
    const g = generated();
    const main = g.validations[g.validations.length - 1].expression;
    // the expression around the ipBlocks, each ipBlock's judgement counted apart
    const around = estimateCost(main.split(ipBlockOk('p.ipBlock')).join('true'));
    return { around, blocks: Math.floor((PER_CALL_LIMIT - around - perBlock(MAX_EXCEPTS)) / perBlock(1)) };
  };

  test(`one ipBlock with all ${MAX_EXCEPTS} excepts and dozens more ipBlocks stay inside the per-call limit and the policy budget`, () => {
    const g = generated();
    const { around, blocks } = room();
    expect(blocks).toBeGreaterThanOrEqual(40);
    const worst = around + perBlock(MAX_EXCEPTS) + blocks * perBlock(1);
    expect(worst).toBeLessThan(PER_CALL_LIMIT);
    const others = g.variables.map(v => estimateCost(v.expression)).concat(g.validations.slice(0, -1).map(v => estimateCost(v.expression)));
    expect(others.reduce((a, b) => a + b, worst)).toBeLessThan(RUNTIME_BUDGET);
  });

  test('the admission guide states the limit, the room, the version and the test sizes that these tests use', () => {
    const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'admission.md'), 'utf-8').replace(/\s+/g, ' ');
    expect(guide).toContain(`More than ${MAX_EXCEPTS} except entries over all the policy's egress ipBlocks`);
    expect(guide).toContain(`for one ipBlock with all ${MAX_EXCEPTS} excepts plus ${room().blocks} more ipBlocks`);
    expect(guide).toContain(`when \`kubeVersion\` (\`--kube-version\`, the profile's) is 1.${NETPOL_METADATA_MIN_KUBE_MINOR} or later`);
    expect(guide).toContain(`on ${SPELLINGS.length} attacker spellings`);
    expect(guide).toContain(`on ${RANDOM_RUNS.toLocaleString('en-US')} seeded ipBlocks`);
    expect(guide).toContain(`${PARTITION_RUNS} seeded exact partitions`);
    expect(guide).toContain(`on ${POLICY_RUNS} generated policies`);
    expect(guide).toContain('118 excepts that leave one /128 of fe80::/10 open are found');
  });

  test('a longer except list would not fit: twice MAX_EXCEPTS in one ipBlock is over the per-call limit', () => {
    expect(estimateCost(ipBlockOk('b', 2 * MAX_EXCEPTS), 1, 2 * MAX_EXCEPTS)).toBeGreaterThan(PER_CALL_LIMIT / 2);
  });
});
