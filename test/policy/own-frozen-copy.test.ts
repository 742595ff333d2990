/**
 * The CLI judges its own frozen copy of each object (engine.ts ownFrozenCopy) without the engine's adoption walk. The
 * copy must be exactly what adoption makes of the object, and judged the same: a copy with a null field or a
 * `__proto__` key goes through adoption as before, and a polluted Object.prototype supplies nothing.
 */
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf, ownFrozenCopy } from '../../lib/policy/engine';
import { nullProto } from '../../lib/policy/own';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { PolicySettings } from '../../lib/policy/types';

const SETTINGS: PolicySettings = {
  allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'latest', kubeVersion: '1.36', maxWaiverDays: 90,
};

function pod(extra: any = {}): any {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 'a' } },
    spec: { containers: [{ name: 'c', image: 'nginx:1', securityContext: { privileged: true }, args: ['a', 'b'] }], ...extra },
  };
}

function everyLevel(v: any, f: (o: any) => void): void {
  if (v === null || typeof v !== 'object') return;
  f(v);
  for (const k of Object.keys(v)) everyLevel(v[k], f);
}

function judge(objects: any[], adopt: boolean) {
  return evaluate(objects.map((object, i) => ({ object, ref: objectRefOf(object, { file: 'f.yaml', documentIndex: i }) })), {
    rules: Catalogue.all(), knownRules: Catalogue.all(), settings: SETTINGS, today: '2026-12-06', adopt,
  }).map(f => ({ ...f, object: { ...f.object } }));
}

describe('ownFrozenCopy', () => {
  test('a deep copy: frozen, no prototypes on objects (arrays stay arrays), equal to the input, the input untouched', () => {
    const input = pod();
    const copy = ownFrozenCopy(input);
    expect(copy).not.toBe(input);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(input));
    everyLevel(copy, o => {
      expect(Object.isFrozen(o)).toBe(true);
      if (Array.isArray(o)) expect(Object.getPrototypeOf(o)).toBe(Array.prototype);
      else expect(Object.getPrototypeOf(o)).toBeNull();
    });
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.getPrototypeOf(input.spec)).toBe(Object.prototype);
  });

  test.each([
    ['plain', pod()],
    ['a null field (dropped by the engine, kept in the copy)', pod({ hostNetwork: null })],
    ['a null list item', pod({ tolerations: [null, { operator: 'Exists' }] })],
    ['a __proto__ key (data, never the prototype)', JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},'
      + '"spec":{"containers":[{"name":"c","image":"nginx:1","securityContext":{"__proto__":{"privileged":true}}}]}}')],
  ])('judged exactly as the copy adoption makes of it: %s', (_name, input) => {
    const viaCopy = judge([ownFrozenCopy(input)], true);
    const viaAdoption = judge([nullProto(input)], true);
    const viaFreshCopy = judge([JSON.parse(JSON.stringify(input))], false);
    expect(viaCopy).toEqual(viaAdoption);
    expect(viaCopy).toEqual(viaFreshCopy);
    expect(viaCopy.length).toBeGreaterThan(0);
  });

  test('a null field is kept in the copy (baseline digests read it) and the engine still judges without it', () => {
    const copy = ownFrozenCopy(pod({ hostNetwork: null }));
    expect(Object.prototype.hasOwnProperty.call(copy.spec, 'hostNetwork')).toBe(true);
    expect(copy.spec.hostNetwork).toBeNull();
    const findings = judge([copy], true);
    expect(findings.some(f => f.ruleId === 'privileged-container')).toBe(true);
    expect(findings.some(f => f.ruleId === 'host-namespaces')).toBe(false);
  });

  test('a polluted Object.prototype supplies no field to the copy or to the rules', () => {
    const clean = judge([ownFrozenCopy(pod())], true);
    const proto = Object.prototype as any;
    proto.hostPID = true;
    try {
      const copy = ownFrozenCopy(pod());
      expect(copy.spec.hostPID).toBeUndefined();
      expect(judge([copy], true)).toEqual(clean);
    } finally {
      delete proto.hostPID;
    }
  });
});
