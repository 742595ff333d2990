/**
 * The harness's Kubernetes IP / CIDR CEL library (cel-k8s-net.ts) against Kubernetes' own test tables
 * (test/vendor/k8s-cel-net, see its SOURCE.md), and against the parsing rules of Go's net/netip that the policies
 * rely on (IPv4-mapped addresses, zones, leading zeros, host bits).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isCelError } from '@bufbuild/cel';
import { compile } from './cel-k8s';

interface Case { name: string; expr: string; expect: any }
const load = (f: string): Case[] => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'k8s-cel-net', f), 'utf-8'));
const run = (expr: string) => compile(expr)({});
const str = (v: unknown) => compile('string(v)')({ v });

describe.each(['ip_test.json', 'cidr_test.json'])('Kubernetes %s', file => {
  const cases = load(file);
  const modelled = cases.filter(c => !/== net\.(IP|CIDR)$/.test(c.expr));

  test('the table is complete (every case of the Go test) and only the two type-name cases are not modelled', () => {
    expect(cases.length).toBe(file === 'ip_test.json' ? 38 : 31);
    expect(cases.length - modelled.length).toBe(1);
  });

  test.each(modelled.map(c => [c.name, c] as const))('%s', (_name, c) => {
    const r = run(c.expr.replace(/"/g, '"'));
    const e = c.expect;
    if ('runtimeError' in e) {
      expect(isCelError(r)).toBe(true);
      expect(String((r as any).message)).toBe(e.runtimeError);
    } else if ('compileError' in e) {
      // cel-go rejects it when type-checking; @bufbuild/cel finds no overload when evaluating
      expect(isCelError(r)).toBe(true);
      expect(String((r as any).message)).toMatch(/no matching overload/);
    } else if ('bool' in e) expect(r).toBe(e.bool);
    else if ('int' in e) expect(r).toBe(BigInt(e.int));
    else if ('string' in e) expect(r).toBe(e.string);
    else if ('ip' in e || 'cidr' in e) {
      const kind = 'ip' in e ? 'ip' : 'cidr';
      expect(str(r)).toBe(e[kind]);
      expect(run(`${kind}("${e[kind]}") == ${c.expr}`)).toBe(true);
    } else throw new Error(`unknown expectation ${JSON.stringify(e)}`);
  });
});

describe('net/netip parsing as Kubernetes wraps it', () => {
  const isCIDR = (s: string) => run(`isCIDR(${JSON.stringify(s)})`);
  const isIP = (s: string) => run(`isIP(${JSON.stringify(s)})`);

  test('IPv4-mapped IPv6 addresses and prefixes are errors, in every spelling; other embedded IPv4 tails parse', () => {
    for (const s of ['::ffff:0:0/96', '::ffff:169.254.169.254/128', '0:0:0:0:0:ffff:a9fe:a9fe/128', '::FFFF:0.0.0.0/96', '0000::ffff:1.2.3.4/128']) expect([s, isCIDR(s)]).toEqual([s, false]);
    for (const s of ['::ffff:1.2.3.4', '::ffff:a9fe:a9fe']) expect([s, isIP(s)]).toEqual([s, false]);
    for (const s of ['::1.2.3.4/128', '64:ff9b::169.254.169.254/128', '1::ffff:0:0/96', '::fffe:0:0/95']) expect([s, isCIDR(s)]).toEqual([s, true]);
    expect(run('string(cidr("64:ff9b::169.254.0.0/112"))')).toBe('64:ff9b::a9fe:0/112');
  });

  test('zones, leading zeros, signs and out-of-range lengths are errors; host bits and upper case are not', () => {
    for (const s of ['fe80::/10%eth0', 'fe80::%eth0/10', '010.0.0.0/8', '10.0.0.0/08', '10.0.0.0/+8', '10.0.0.0/33', '::/129', '10.0.0.0', '10.0.0.0/', '1:2:3:4:5:6:7:8::/128', '::1:2:3:4:5:6:7:8/128', ' 10.0.0.0/8']) {
      expect([s, isCIDR(s)]).toEqual([s, false]);
    }
    for (const s of ['10.0.0.1/8', 'FE80::/10', 'fe80:0000::/10', '1:2:3:4:5:6:7::/128', '::2:3:4:5:6:7:8/128', '0.0.0.0/0', '::/0']) expect([s, isCIDR(s)]).toEqual([s, true]);
    expect(run('string(cidr("10.0.0.1/8").masked())')).toBe('10.0.0.0/8');
    expect(run('string(cidr("FE80:0000::/10"))')).toBe('fe80::/10');
    expect(run('cidr("10.0.0.1/8").masked() == cidr("10.0.0.1/8")')).toBe(false);
  });

  test('containsIP masks and never matches across families; canonical text compresses the first longest zero run', () => {
    expect(run('cidr("169.254.0.0/16").containsIP(cidr("169.254.169.0/24").ip())')).toBe(true);
    expect(run('cidr("::/0").containsIP(ip("10.0.0.1"))')).toBe(false);
    expect(run('cidr("0.0.0.0/0").containsIP(ip("::1"))')).toBe(false);
    expect(run('string(ip("64:ff9b:1:0:0:5:0:0"))')).toBe('64:ff9b:1::5:0:0');
    expect(run('string(ip("64:ff9b:1:1:1:1:0:0"))')).toBe('64:ff9b:1:1:1:1::');
    expect(run('string(ip("1:0:1:0:1:0:1:0"))')).toBe('1:0:1:0:1:0:1:0');
  });

  test('sum of a list of int: 0 when empty, an error on int64 overflow', () => {
    expect(run('[0].filter(x, x > 0).sum()')).toBe(0n);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(isCelError(run('[9223372036854775807, 1].sum()'))).toBe(true);
  });
});
