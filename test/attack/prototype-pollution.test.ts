/**
 * Class 2 of issue #30: rule evaluation is independent of prototypes. A polluted Object.prototype cannot supply a
 * field the judged bytes do not hold, cannot waive a finding, and cannot add a waiver annotation.
 */
import { Catalogue } from '../../lib';
import { evaluate, isBlocking, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { parseWaivers } from '../../lib/policy/waiver-record';
import { daysFromNow } from '../cli/helpers';
import { expectBlockedEverywhere } from './layers';

const DIGEST = 'sha256:' + 'a'.repeat(64);
const BARE_POD = `
apiVersion: v1
kind: Pod
metadata: { name: bare, namespace: shop, annotations: { team: shop } }
spec:
  containers:
    - name: app
      image: registry.example.com/shop/app@${DIGEST}
`;

const SAFE_CONTEXT = {
  runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
  privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
};

/** Run `fn` with Object.prototype polluted by `props`; the pollution is removed afterwards whatever happens. */
async function polluted(props: { [k: string]: unknown }, fn: () => Promise<void> | void): Promise<void> {
  const proto = Object.prototype as any;
  for (const [k, v] of Object.entries(props)) Object.defineProperty(proto, k, { value: v, writable: true, configurable: true, enumerable: false });
  try {
    await fn();
  } finally {
    for (const k of Object.keys(props)) delete proto[k];
  }
}

const today = new Date().toISOString().slice(0, 10);
const judge = (docs: any[]) =>
  evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: Catalogue.all(), settings: { ...DEFAULT_PROFILE }, today });

describe('a polluted Object.prototype does not make a bare Pod pass', () => {
  test('inherited securityContext, resources and automount: blocked in app.synth(), the plugin and check', async () => {
    await polluted({
      securityContext: SAFE_CONTEXT,
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { 'memory': '64Mi', 'ephemeral-storage': '1Gi' } },
      automountServiceAccountToken: false,
    }, async () => {
      // The pollution is live: a plain object literal inherits it.
      expect(({} as any).securityContext).toBe(SAFE_CONTEXT);
      await expectBlockedEverywhere(BARE_POD, 'run-as-non-root', { waive: ['Pod/bare'] });
      await expectBlockedEverywhere(BARE_POD, 'allow-privilege-escalation');
      await expectBlockedEverywhere(BARE_POD, 'seccomp-restricted');
    });
  });

  test('an inherited `waiver` waives no finding', async () => {
    const waiver = { ruleId: 'run-as-non-root', reason: 'inherited from a polluted prototype', owner: 'nobody', expires: daysFromNow(7) };
    await polluted({ waiver }, async () => {
      const f = judge([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: `registry.example.com/shop/app@${DIGEST}` }] } }]);
      expect(f.filter(isBlocking).map(x => x.ruleId)).toContain('run-as-non-root');
      await expectBlockedEverywhere(BARE_POD, 'run-as-non-root');
    });
  });

  test('an inherited waiver annotation, or inherited waiver fields, are not waivers', async () => {
    const record = JSON.stringify([{ ruleId: 'run-as-non-root', reason: 'inherited from a polluted prototype', owner: 'nobody', expires: daysFromNow(7) }]);
    await polluted({ 'hardened.cdk8s.io/waivers': record, 'reason': 'inherited from a polluted prototype', 'owner': 'nobody', 'expires': daysFromNow(7) }, async () => {
      await expectBlockedEverywhere(BARE_POD, 'run-as-non-root');
      // A waiver that names only its rule is incomplete: the inherited reason, owner and expiry do not complete it.
      expect(parseWaivers({ metadata: { annotations: { 'hardened.cdk8s.io/waivers': '[{"ruleId":"run-as-non-root"}]' } } }).waivers).toEqual([]);
    });
  });

  test('without pollution the bare Pod is blocked the same way (the fixture is what is judged)', async () => {
    await expectBlockedEverywhere(BARE_POD, 'run-as-non-root');
  });

  test('rules see objects without a prototype; a "__proto__" key in the YAML is data', () => {
    let seen: any;
    const spy = { ...Catalogue.get('run-as-non-root'), id: 'spy', check: (o: any) => { seen = o; return []; } };
    evaluate([{ object: JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","__proto__":{"x":1}},"spec":{"containers":[]}}'), ref: { apiVersion: 'v1', kind: 'Pod', name: 'p' } }],
      { rules: [spy], settings: { ...DEFAULT_PROFILE }, today, adopt: true });
    expect(Object.getPrototypeOf(seen)).toBeNull();
    expect(Object.getPrototypeOf(seen.spec)).toBeNull();
    expect(Object.keys(seen.metadata)).toEqual(['name', '__proto__']);
    expect(seen.metadata.x).toBeUndefined();
  });
});
