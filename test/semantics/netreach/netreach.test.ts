/**
 * lib/semantics/netreach: unit tests and fast-check property tests against naive references (brute force over small
 * universes of addresses, labels and ports).
 */
import * as fc from 'fast-check';
import {
  AddressSet, ANYWHERE_V4, countRanges, effective, intersectRanges, ipBlockSet, isAnywhere, isDnsPortsOnly, jointlySatisfiable, matches,
  matchesEveryNamespace, matchesEveryPod, namespaceNames, NAMESPACE_NAME_LABEL, NON_PUBLIC_V4, normalize, parseCidr,
  parseSelector, peerReach, publicReach, PUBLIC_V4_TOTAL, Range, rulePorts, sensitivePortsIn, subtractRanges, toCidrs,
  union, unionRanges,
} from '../../../lib/semantics/netreach';

const B = (n: number) => BigInt(n);
const v4 = (a: number) => [24, 16, 8, 0].map(s => (a >>> s) & 255).join('.');

describe('range arithmetic agrees with brute force on a 0-255 universe', () => {
  const range = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]): Range => [B(Math.min(a, b)), B(Math.max(a, b))]);
  const ranges = fc.array(range, { maxLength: 6 });
  const members = (rs: readonly Range[]) => {
    const s = new Set<number>();
    for (const [a, b] of rs) for (let i = Number(a); i <= Number(b); i++) s.add(i);
    return s;
  };
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

  test('normalize, union, subtract, intersect, count', () => {
    fc.assert(fc.property(ranges, ranges, (a, b) => {
      const na = normalize(a); const nb = normalize(b);
      const ma = members(a); const mb = members(b);
      expect(sorted(members(na))).toEqual(sorted(ma));
      // normalized: sorted, disjoint, not adjacent
      na.forEach((r, i) => { if (i > 0) expect(r[0] > na[i - 1][1] + B(1)).toBe(true); });
      expect(sorted(members(unionRanges(na, nb)))).toEqual(sorted(new Set([...ma, ...mb])));
      expect(sorted(members(subtractRanges(na, nb)))).toEqual(sorted(ma).filter(x => !mb.has(x)));
      expect(sorted(members(intersectRanges(na, nb)))).toEqual(sorted(ma).filter(x => mb.has(x)));
      expect(countRanges(na)).toBe(B(ma.size));
    }), { numRuns: 300 });
  });
});

describe('public reach agrees with brute force', () => {
  const nonPublic = NON_PUBLIC_V4.map(c => parseCidr(c)!);
  const isPublicV4 = (a: number) => !nonPublic.some(c => B(a) >= c.start && B(a) <= c.end);
  // Small blocks around the edges of the special-purpose ranges, where off-by-one errors live.
  const edges = ['9.255.255.0', '10.0.0.0', '10.255.255.0', '11.0.0.0', '100.63.255.0', '100.64.0.0', '100.127.255.0', '100.128.0.0',
    '126.255.255.0', '127.0.0.0', '169.254.0.0', '172.15.255.0', '172.16.0.0', '172.31.255.0', '172.32.0.0', '192.0.2.0', '192.0.3.0',
    '192.167.255.0', '192.168.0.0', '198.17.255.0', '198.18.0.0', '198.19.255.0', '198.20.0.0', '203.0.113.0', '223.255.255.0', '224.0.0.0',
    '255.255.255.0', '0.0.0.0', '1.0.0.0'].map(a => Number(parseCidr(`${a}/32`)!.start));
  const block = fc.record({ base: fc.constantFrom(...edges), offset: fc.integer({ min: -512, max: 512 }), prefix: fc.integer({ min: 23, max: 32 }) })
    .map(({ base, offset, prefix }) => {
      const size = 2 ** (32 - prefix);
      const start = Math.max(0, Math.min(2 ** 32 - size, Math.floor((base + offset) / size) * size));
      return { start, prefix, size };
    });
  const source = fc.record({ cidr: block, except: fc.array(fc.integer({ min: 0, max: 511 }), { maxLength: 3 }) });

  test('IPv4: union of ipBlocks (cidr minus except), counted address by address', () => {
    fc.assert(fc.property(fc.array(source, { minLength: 1, maxLength: 4 }), sources => {
      const admitted = new Set<number>();
      const sets: AddressSet[] = [];
      for (const s of sources) {
        // except: /32 hosts inside the block (the API server requires excepts inside the cidr)
        const holes = s.except.map(h => s.cidr.start + (h % s.cidr.size));
        sets.push(ipBlockSet(`${v4(s.cidr.start)}/${s.cidr.prefix}`, holes.map(h => `${v4(h)}/32`))!);
        for (let a = s.cidr.start; a < s.cidr.start + s.cidr.size; a++) if (!holes.includes(a)) admitted.add(a);
      }
      const expected = [...admitted].filter(isPublicV4).length;
      expect(publicReach(union(...sets))).toEqual({ v4: B(expected), v6: B(0) });
    }), { numRuns: 200 });
  });

  test('IPv4-mapped and NAT64 IPv6 ranges count as the IPv4 addresses they carry', () => {
    const prefixes = ['::ffff:', '64:ff9b::', '64:ff9b:1::'];
    fc.assert(fc.property(fc.constantFrom(...prefixes), block, (p, b) => {
      const cidr = `${p}${v4(b.start)}/${96 + b.prefix}`;
      let expected = 0;
      for (let a = b.start; a < b.start + b.size; a++) if (isPublicV4(a)) expected++;
      expect(publicReach(ipBlockSet(cidr)!)).toEqual({ v4: B(expected), v6: B(0) });
    }), { numRuns: 200 });
  });

  test('anywhere is monotone: adding sources never makes a set narrower', () => {
    const anyCidr = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 12 }))
      .map(([a, p]) => { const size = 2 ** (32 - p); return `${v4(Math.floor(a / size) * size)}/${p}`; });
    fc.assert(fc.property(fc.array(anyCidr, { minLength: 1, maxLength: 5 }), anyCidr, (cidrs, extra) => {
      const a = union(...cidrs.map(c => ipBlockSet(c)!));
      if (isAnywhere(a)) expect(isAnywhere(union(a, ipBlockSet(extra)!))).toBe(true);
      const r = publicReach(a).v4;
      expect(publicReach(union(a, ipBlockSet(extra)!)).v4 >= r).toBe(true);
    }), { numRuns: 200 });
  });
});

describe('address sets: unit', () => {
  test('public IPv4 space and the threshold', () => {
    expect(PUBLIC_V4_TOTAL).toBe(B(2 ** 32 - 592708608)); // 2^32 minus the NON_PUBLIC_V4 blocks (summed by hand)
    expect(ANYWHERE_V4).toBe(B(2 ** 24));
    expect(isAnywhere(ipBlockSet('3.0.0.0/8')!)).toBe(false);
    expect(isAnywhere(union(ipBlockSet('3.0.0.0/8')!, ipBlockSet('4.0.0.0/32')!))).toBe(true);
  });

  test('the NAT64 local-use prefix is read as /96 embeddings: a range over two /96s reaches what both halves carry', () => {
    // the last 2^31 addresses of one /96 and the first 2^31 of the next: 128.0.0.0/1 and 0.0.0.0/1
    const s = ipBlockSet('64:ff9b:1::1:8000:0/95');
    expect(s).toBeUndefined(); // host bits: not a CIDR
    const two = union(ipBlockSet('64:ff9b:1:0:0:0:8000:0/97')!, ipBlockSet('64:ff9b:1:0:0:1::/97')!);
    expect(effective(two).v4).toEqual([[B(0), B(2 ** 32 - 1)]]);
    // a whole /95 (two /96 blocks) minus one /96 is still one /96: every IPv4 address
    expect(isAnywhere(ipBlockSet('64:ff9b:1::/95', ['64:ff9b:1::/96'])!)).toBe(true);
  });

  test('toCidrs renders the exact set', () => {
    expect(toCidrs(ipBlockSet('0.0.0.0/0', ['128.0.0.0/1', '0.0.0.0/2'])!)).toEqual(['64.0.0.0/2']);
    expect(toCidrs(ipBlockSet('2001:db8::/32', ['2001:db8:8000::/33'])!)).toEqual(['2001:db8::/33']);
  });
});

describe('selectors: label-selector semantics', () => {
  const keys = ['a', 'b', NAMESPACE_NAME_LABEL];
  const values = ['x', 'y', 'z'];
  const requirement = fc.record({
    key: fc.constantFrom(...keys),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
  }).map(r => (r.operator === 'In' || r.operator === 'NotIn' ? r : { key: r.key, operator: r.operator }));
  const selector = fc.record({
    matchLabels: fc.option(fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 }), { nil: undefined }),
    matchExpressions: fc.option(fc.array(requirement, { maxLength: 3 }), { nil: undefined }),
  });
  const labels = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values, 'w'), { maxKeys: 3 });

  /** Naive reference: the Kubernetes documentation's wording, one clause per operator. */
  function naive(sel: any, l: { [k: string]: string }): boolean {
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
    for (const e of sel.matchExpressions ?? []) {
      const has = e.key in l;
      if (e.operator === 'In' && !(has && e.values.includes(l[e.key]))) return false;
      if (e.operator === 'NotIn' && has && e.values.includes(l[e.key])) return false;
      if (e.operator === 'Exists' && !has) return false;
      if (e.operator === 'DoesNotExist' && has) return false;
    }
    return true;
  }

  test('matches agrees with the reference', () => {
    fc.assert(fc.property(selector, labels, (sel, l) => {
      expect(matches(parseSelector(sel)!, l)).toBe(naive(sel, l));
    }), { numRuns: 500 });
  });

  test('"every namespace" holds exactly when every namespace the selector does not name is matched', () => {
    const unnamed = fc.stringMatching(/^[a-z]{1,6}$/).filter(n => !values.includes(n));
    fc.assert(fc.property(selector, unnamed, (sel, name) => {
      const every = matchesEveryNamespace(parseSelector(sel)!);
      // a namespace created tomorrow carries only its name label
      expect(naive(sel, { [NAMESPACE_NAME_LABEL]: name })).toBe(every);
    }), { numRuns: 500 });
  });

  test('"every pod" holds exactly when a pod with no labels is matched', () => {
    fc.assert(fc.property(selector, sel => {
      expect(matchesEveryPod(parseSelector(sel)!)).toBe(naive(sel, {}));
    }), { numRuns: 300 });
  });

  test('namespaceNames is an upper bound: every matched namespace is in it', () => {
    const names = fc.constantFrom(...values, 'w', 'kube-system');
    fc.assert(fc.property(selector, names, fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom(...values), { maxKeys: 2 }), (sel, name, extra) => {
      const bound = namespaceNames(parseSelector(sel)!);
      const ns = { ...extra, [NAMESPACE_NAME_LABEL]: name };
      if (bound !== undefined && naive(sel, ns)) expect(bound.has(name)).toBe(true);
    }), { numRuns: 500 });
  });

  test('jointlySatisfiable agrees with brute force over every labelling of the keys (absent, each value, or another)', () => {
    const options = [undefined, ...values, 'w'];
    const labellings: { [k: string]: string }[] = [];
    for (const a of options) for (const b of options) for (const c of options) {
      const l: { [k: string]: string } = {};
      if (a !== undefined) l.a = a;
      if (b !== undefined) l.b = b;
      if (c !== undefined) l[NAMESPACE_NAME_LABEL] = c;
      labellings.push(l);
    }
    fc.assert(fc.property(fc.array(selector, { minLength: 1, maxLength: 3 }), sels => {
      const expected = labellings.some(l => sels.every(sel => naive(sel, l)));
      expect(jointlySatisfiable(sels.map(sel => parseSelector(sel)!))).toBe(expected);
    }), { numRuns: 500 });
  });

  test.each([
    [{}, true],
    [{ matchLabels: {}, matchExpressions: [] }, true],
    [{ matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['kube-system', 'shop'] }] }, true],
    [{ matchExpressions: [{ key: 'quarantine', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, false],
    [{ matchLabels: { [NAMESPACE_NAME_LABEL]: 'shop' } }, false],
    [{ matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: ['shop'] }] }, false],
    // invalid requirements do not narrow: the widest reading
    [{ matchExpressions: [{ key: 'team', operator: 'exists' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'In', values: [] }] }, true],
  ])('namespace selector %j matches every namespace: %s', (sel, every) => {
    expect(matchesEveryNamespace(parseSelector(sel)!)).toBe(every);
  });

  test('namespaceNames: pinned by matchLabels or In, narrowed by NotIn, unbounded otherwise', () => {
    expect(namespaceNames(parseSelector({ matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } })!)).toEqual(new Set(['kube-system']));
    expect(namespaceNames(parseSelector({ matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: ['a', 'b'] }, { key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['b'] }] })!)).toEqual(new Set(['a']));
    expect(namespaceNames(parseSelector({ matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'Exists' }] })!)).toBeUndefined();
    expect(namespaceNames(parseSelector({ matchLabels: { team: 'dns' } })!)).toBeUndefined();
  });

  test('peers: podSelector alone is the policy namespace; selectors matching every namespace and pod are everyone', () => {
    expect(peerReach({ podSelector: {} }, 'shop')).toMatchObject({ everyone: false, namespaces: new Set(['shop']) });
    expect(peerReach({ namespaceSelector: {} }).everyone).toBe(true);
    expect(peerReach({ namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } }).everyone).toBe(false);
    expect(peerReach({ namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'Exists' }] } }).why)
      .toBe(`namespaceSelector {${NAMESPACE_NAME_LABEL} Exists} matches every namespace (every namespace has ${NAMESPACE_NAME_LABEL})`);
    expect(peerReach({ ipBlock: { cidr: '10.0.0.0/8' } })).toMatchObject({ ipBlock: true, everyone: false });
  });
});

describe('ports', () => {
  const entry = fc.record({
    protocol: fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP'), { nil: undefined }),
    port: fc.option(fc.oneof(fc.constantFrom(52, 53, 54), fc.integer({ min: 1, max: 65535 }), fc.constant('dns')), { nil: undefined }),
    endPort: fc.option(fc.oneof(fc.constantFrom(53, 54, 65535), fc.integer({ min: 1, max: 65535 })), { nil: undefined }),
  });

  /** Naive reference: enumerate (protocol, port) pairs each entry may open; a named port may be any number. */
  function opened(ports: any[]): Set<string> | 'named-or-all' {
    if (ports.length === 0) return 'named-or-all';
    const out = new Set<string>();
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      if (p.port === undefined || typeof p.port === 'string') return 'named-or-all';
      const end = p.endPort === undefined ? p.port : p.endPort >= p.port ? p.endPort : 65535;
      for (let n = p.port; n <= Math.min(end, 60); n++) out.add(`${proto}/${n}`);
      if (end > 60) out.add(`${proto}/>60`);
    }
    return out;
  }

  test('DNS only = the opened ports are UDP/TCP 53 and nothing else', () => {
    fc.assert(fc.property(fc.array(entry, { maxLength: 3 }), ports => {
      const o = opened(ports);
      const dns = o !== 'named-or-all' && [...o].every(x => x === 'UDP/53' || x === 'TCP/53');
      expect(isDnsPortsOnly(ports)).toBe(dns);
    }), { numRuns: 500 });
  });

  test('a rule opens every port of its range; no ports means every port of every protocol', () => {
    expect(rulePorts([{ port: 53, endPort: 65535 }])).toEqual([{ protocol: 'TCP', from: 53, to: 65535 }]);
    expect(rulePorts(undefined).map(r => r.protocol)).toEqual(['TCP', 'UDP', 'SCTP']);
    expect(rulePorts([{ protocol: 'SCTP' }])).toEqual([{ protocol: 'SCTP', from: 1, to: 65535 }]);
    expect(rulePorts([{ port: 'dns', protocol: 'UDP' }])).toEqual([{ protocol: 'UDP', from: 1, to: 65535, name: 'dns' }]);
    expect(isDnsPortsOnly([{ port: 53, endPort: 53, protocol: 'UDP' }])).toBe(true);
    expect(isDnsPortsOnly([{ port: 53, protocol: 'SCTP' }])).toBe(false);
  });

  test('sensitive ports: ranges that include one count; 6443, SSH and RDP on every zone (the API server zones included)', () => {
    expect(sensitivePortsIn(10000, 10300, 'nodes').map(s => s.from)).toEqual([10250, 10255, 10256, 10257, 10259]);
    expect(sensitivePortsIn(6443, 6443, 'control-plane').map(s => s.from)).toEqual([6443]);
    expect(sensitivePortsIn(6443, 6443, 'load-balancer').map(s => s.from)).toEqual([6443]);
    expect(sensitivePortsIn(1, 1024, 'bastion').map(s => s.from)).toEqual([22, 179]);
    expect(sensitivePortsIn(3000, 4000, 'windows').map(s => s.from)).toEqual([3389]);
    expect(sensitivePortsIn(6443, 6443, 'nodes').map(s => s.from)).toEqual([6443]);
    expect(sensitivePortsIn(1, 65535, 'nodes').length).toBeGreaterThanOrEqual(19);
    expect(sensitivePortsIn(443, 443, 'nodes')).toEqual([]);
  });
});
