/**
 * `npx ts-node --transpile-only scripts/bench-netreach.ts`: cost of the cross-policy "anywhere" decision
 * (network-policy-ipblock-any) on adversarial namespaces — thousands of NetworkPolicies with ipBlocks whose union is
 * anywhere, under selectors that all overlap, form disjoint groups, or overlap pairwise but not jointly — and of exact
 * set arithmetic on 0.0.0.0/0 minus 10,000 excepts. Not wired into `npm run bench` (scripts/bench.ts is shared).
 */
import { Catalogue } from '../lib';
import { evaluate, objectRefOf } from '../lib/policy/engine';
import { DEFAULT_PROFILE } from '../lib/policy/profile';
import { ipBlockSet, isAnywhere } from '../lib/semantics/netreach';

const SHAPES: [string, (i: number) => any][] = [
  ['{} / app=api (all overlap)', i => (i % 2 ? {} : { matchLabels: { app: 'api' } })],
  ['Exists on 7 keys (all overlap)', i => ({ matchExpressions: [{ key: `k${i % 7}`, operator: 'Exists' }] })],
  ['app=a0 / app=a1 (two disjoint groups)', i => ({ matchLabels: { app: `a${i % 2}` } })],
  ['x In pairs of 3 values (pairwise, not jointly)', i => ({ matchExpressions: [{ key: 'x', operator: 'In', values: [['1', '2'], ['2', '3'], ['1', '3']][i % 3] }] })],
];

for (const n of [2000, 5000]) {
  for (const [name, selector] of SHAPES) {
    const objs = Array.from({ length: n }, (_, i) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${i}`, namespace: 'shop' },
      spec: { podSelector: selector(i), policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: `${20 + (i >> 8)}.${i & 255}.0.0/16` } }] }] },
    }));
    const t = Date.now();
    const findings = evaluate(objs.map(o => ({ object: o, ref: objectRefOf(o) })), {
      rules: [Catalogue.get('network-policy-ipblock-any')], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01',
    });
    console.log(`${n} policies, ${name}: ${Date.now() - t} ms, ${findings.filter(f => f.outcome === 'fail').length} fail`);
  }
}
const excepts = Array.from({ length: 10000 }, (_, i) => `${1 + ((i >> 8) % 200)}.${i & 255}.7.0/24`);
const t = Date.now();
const anywhere = isAnywhere(ipBlockSet('0.0.0.0/0', excepts)!);
console.log(`0.0.0.0/0 minus 10,000 /24 excepts: anywhere=${anywhere} in ${Date.now() - t} ms`);
