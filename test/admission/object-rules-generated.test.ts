/**
 * The non-pod rules added for issue 25 on generated objects: the generated CEL on @bufbuild/cel against the TypeScript
 * rule, including the spellings an attacker would try; UPDATE with oldObject; waivers; bootstrap bindings; wrong types.
 */
import * as fc from 'fast-check';
import { generateRules } from '../../lib/admission/generate';
import { impactOf } from '../../lib/admission/impact';
import { OBJECT_RULES } from '../../lib/admission/object-rules';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { BOOTSTRAP_EVERYONE_BINDINGS } from '../../lib/semantics/rbac/bootstrap-bindings';
import { compileRule, CompiledRule } from './cel-k8s';

const SETTINGS: PolicySettings = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const compiled = (id: string, sources: any[] = []) => compileRule(generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: [id], waiverSources: sources })[0]);
const tsAdmits = (id: string, obj: any) => {
  const judges = OBJECT_RULES.find(r => r.id === id)!.judges;
  return !evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get(id)], settings: SETTINGS, today: ON })
    .some(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE) && (!judges || judges(obj, f.path)));
};
const clone = (o: any) => JSON.parse(JSON.stringify(o));
/** CEL and TypeScript agree on every generated object; both verdicts occur. */
function agree(id: string, arb: fc.Arbitrary<any>, ns: (o: any) => string, runs = 300, seed = 25) {
  const r = compiled(id);
  const seen = new Set<boolean>();
  fc.assert(fc.property(arb, raw => {
    const o = clone(raw);
    const v = r.admits(o, ns(o));
    seen.add(v);
    expect([o, v]).toEqual([o, tsAdmits(id, o)]);
  }), { numRuns: runs, seed });
  expect(seen).toEqual(new Set([true, false]));
}
const waiver = (ruleId: string, path?: string) => JSON.stringify([{ ruleId, reason: 'reviewed exception, tracked in the platform backlog', owner: 'platform', expires: '2026-12-31', ...(path ? { path } : {}) }]);
const withWaiver = (o: any, ruleId: string, path?: string) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'hardened.cdk8s.io/waivers': waiver(ruleId, path) } } });

describe('rbac-binding-privileged: bindings of everyone, exact subject names as the authorizer matches them', () => {
  const binding = (kind: string, subjects: any[], roleRef: any, metadata: any = {}) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}), ...metadata }, roleRef, subjects,
  });
  const r = compiled('rbac-binding-privileged');
  const name = fc.constantFrom('system:anonymous', 'system:authenticated', 'system:unauthenticated', 'System:Anonymous', ' system:anonymous', 'system:anonymous ',
    'system:authenticated\n', 'system:masters', 'system:serviceaccounts', 'system:serviceaccount:shop:default', 'alice', 'system:unauthenticated:x');
  const subject = fc.record({ kind: fc.constantFrom('User', 'Group', 'ServiceAccount'), name }).map(s => ({ ...s, ...(s.kind === 'ServiceAccount' ? { namespace: 'shop' } : { apiGroup: 'rbac.authorization.k8s.io' }) }));
  const roleRef = fc.record({ kind: fc.constantFrom('ClusterRole', 'Role'), name: fc.constantFrom('view', 'cluster-admin', 'system:discovery', 'system:public-info-viewer', 'system:basic-user', 'kubeadm:bootstrap-signer-clusterinfo') })
    .map(x => ({ apiGroup: 'rbac.authorization.k8s.io', ...x }));

  test('generated bindings: CEL and TypeScript (its everyone findings) agree', () => {
    agree('rbac-binding-privileged', fc.tuple(fc.constantFrom('RoleBinding', 'ClusterRoleBinding'), fc.array(subject, { maxLength: 3 }), roleRef)
      .map(([kind, subjects, ref]) => binding(kind, subjects, ref)), o => o.metadata.namespace ?? '', 400);
  });

  test('what the authorizer matches: User system:anonymous, Group system:authenticated / system:unauthenticated; other spellings match nobody and pass', () => {
    const view = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    const denied = [['User', 'system:anonymous'], ['Group', 'system:authenticated'], ['Group', 'system:unauthenticated']];
    for (const [kind, n] of denied) expect([kind, n, r.admits(binding('ClusterRoleBinding', [{ kind, name: n, apiGroup: 'rbac.authorization.k8s.io' }], view), '')]).toEqual([kind, n, false]);
    // as a Group, system:anonymous is no group the authenticator sets; as a User, system:authenticated is no user name
    const nobody = [['Group', 'system:anonymous'], ['User', 'system:authenticated'], ['User', 'system:unauthenticated'], ['Group', 'System:Authenticated'], ['Group', 'system:authenticated ']];
    for (const [kind, n] of nobody) {
      const b = binding('ClusterRoleBinding', [{ kind, name: n, apiGroup: 'rbac.authorization.k8s.io' }], view);
      expect([kind, n, r.admits(b, '')]).toEqual([kind, n, true]);
      expect(tsAdmits('rbac-binding-privileged', b)).toBe(true);
    }
  });

  test('Kubernetes\' and kubeadm\'s own bootstrap bindings are admitted, by both the policy and the rule; look-alikes are not', () => {
    for (const b of BOOTSTRAP_EVERYONE_BINDINGS) {
      const obj = {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: b.kind, metadata: { name: b.name, ...(b.namespace ? { namespace: b.namespace } : {}), labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...b.roleRef }, subjects: b.subjects.map(s => ({ apiGroup: 'rbac.authorization.k8s.io', ...s })),
      };
      expect([b.name, r.admits(obj, b.namespace ?? '')]).toEqual([b.name, true]);
      expect([b.name, tsAdmits('rbac-binding-privileged', obj)]).toEqual([b.name, true]);
      // the full rule passes them too (no cluster-admin, no masters)
      expect(evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get('rbac-binding-privileged')], settings: SETTINGS, today: ON })
        .filter(f => f.outcome === Outcome.FAIL)).toEqual([]);
    }
    const kubeadm = BOOTSTRAP_EVERYONE_BINDINGS.find(b => b.kind === 'RoleBinding')!;
    const base = binding('RoleBinding', [{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }],
      { apiGroup: 'rbac.authorization.k8s.io', ...kubeadm.roleRef }, { name: kubeadm.name, namespace: 'kube-public' });
    expect(r.admits(base, 'kube-public')).toBe(true);
    expect(r.admits({ ...base, metadata: { ...base.metadata, namespace: 'shop' } }, 'shop')).toBe(false);
    expect(r.admits({ ...base, roleRef: { ...base.roleRef, name: 'secret-reader' } }, 'kube-public')).toBe(false);
    expect(r.admits({ ...base, roleRef: { ...base.roleRef, kind: 'ClusterRole' } }, 'kube-public')).toBe(false);
    expect(r.admits({ ...base, subjects: [...base.subjects, { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }] }, 'kube-public')).toBe(false);
  });

  test('the rest of the rule is not judged at admission (cluster-admin to system:masters, the API server\'s own binding, is admitted); UPDATE and waivers', () => {
    const masters = binding('ClusterRoleBinding', [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }],
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, { name: 'cluster-admin' });
    expect(r.admits(masters, '')).toBe(true);
    const view = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    const anon = binding('RoleBinding', [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }], view);
    expect(r.messageOf(anon, 'shop')).toContain('RoleBinding b: subjects[1].name. Fix');
    // a label change on an existing binding of everyone is admitted; adding the subject is judged
    expect(r.admitsUpdate(anon, { ...anon, metadata: { ...anon.metadata, labels: { a: 'b' } } }, 'shop')).toBe(true);
    expect(r.admitsUpdate({ ...anon, subjects: [anon.subjects[0]] }, anon, 'shop')).toBe(false);
    // a waiver of subjects[1] covers exactly that subject
    const waived = withWaiver(anon, 'rbac-binding-privileged', 'subjects[1]');
    const w = compiled('rbac-binding-privileged', [waived]);
    expect(w.admits(waived, 'shop')).toBe(true);
    expect(tsAdmits('rbac-binding-privileged', waived)).toBe(true);
    const moved = { ...waived, subjects: [waived.subjects[1], waived.subjects[0]] };
    expect(w.admits(moved, 'shop')).toBe(false);
    expect(tsAdmits('rbac-binding-privileged', moved)).toBe(false);
    // the same subject twice: subjects[1] and subjects[2] are both findings; a waiver of [1] alone does not cover [2]
    const twice = { ...waived, subjects: [...waived.subjects, waived.subjects[1]] };
    expect(w.admits(twice, 'shop')).toBe(false);
    expect(tsAdmits('rbac-binding-privileged', twice)).toBe(false);
  });
});

describe('network-policy-allow-all-ingress: every spelling of "everyone"', () => {
  const NAME = 'kubernetes.io/metadata.name';
  const expr = fc.record({
    key: fc.constantFrom(NAME, 'team', 'kubernetes.io/metadata.namespace'),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
  }).map(e => ({ ...e, ...(['In', 'NotIn'].includes(e.operator) ? { values: ['shop', 'fresh'] } : {}) }));
  const selector = fc.record({
    matchLabels: fc.option(fc.dictionary(fc.constantFrom(NAME, 'app'), fc.constantFrom('shop', 'web'), { maxKeys: 1 }), { nil: undefined }),
    matchExpressions: fc.option(fc.array(expr, { maxLength: 2 }), { nil: undefined }),
  }, { requiredKeys: [] });
  const peer = fc.oneof(
    fc.record({ namespaceSelector: selector, podSelector: fc.option(selector, { nil: undefined }) }, { requiredKeys: ['namespaceSelector'] }),
    fc.record({ podSelector: selector }),
    fc.constant({ ipBlock: { cidr: '10.0.0.0/8' } }),
  );
  const rule = fc.record({ from: fc.option(fc.array(peer, { maxLength: 3 }), { nil: undefined }), ports: fc.constant([{ port: 8080 }]) }, { requiredKeys: ['ports'] });
  const np = (ingress: any[]) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress } });

  test('generated NetworkPolicies: CEL and TypeScript agree', () => {
    agree('network-policy-allow-all-ingress', fc.array(rule, { maxLength: 3 }).map(np), () => 'shop', 500);
  });

  test('UPDATE: a label change is admitted; opening a rule to everyone is judged; a waiver of one peer covers only it, duplicates included', () => {
    const r = compiled('network-policy-allow-all-ingress');
    const closed = np([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]);
    const open = np([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: {} }] }]);
    expect(r.admitsUpdate(open, { ...open, metadata: { ...open.metadata, labels: { a: 'b' } } }, 'shop')).toBe(true);
    expect(r.admitsUpdate(closed, open, 'shop')).toBe(false);
    expect(r.messageOf(open, 'shop')).toContain('NetworkPolicy np: spec.ingress[0].from[1]. Fix');
    const waived = withWaiver(open, 'network-policy-allow-all-ingress', 'spec.ingress[0].from[1]');
    const w = compiled('network-policy-allow-all-ingress', [waived]);
    expect(w.admits(waived, 'shop')).toBe(true);
    // the same rule twice: spec.ingress[1].from[1] is a finding the waiver does not cover
    const doubled = { ...waived, spec: { ...waived.spec, ingress: [waived.spec.ingress[0], waived.spec.ingress[0]] } };
    expect([w.admits(doubled, 'shop'), tsAdmits('network-policy-allow-all-ingress', doubled)]).toEqual([false, false]);
    const coveredBoth = withWaiver(doubled, 'network-policy-allow-all-ingress', 'spec.ingress');
    expect([compiled('network-policy-allow-all-ingress', [coveredBoth]).admits(coveredBoth, 'shop'), tsAdmits('network-policy-allow-all-ingress', coveredBoth)]).toEqual([true, true]);
  });
});

describe('ingress-controller-injection: annotations by effect, every prefix', () => {
  const key = fc.tuple(fc.constantFrom('nginx.ingress.kubernetes.io', 'custom.example.com', '', 'haproxy.org', 'haproxy-ingress.github.io', 'ingress.kubernetes.io', 'haproxy.com'),
    fc.constantFrom('server-snippet', 'configuration-snippet', 'mirror-target', 'auth-url', 'config-backend', 'backend-config-snippet', 'rewrite-target', 'permanent-redirect'))
    .map(([p, n]) => (p === '' ? n : `${p}/${n}`));
  const value = fc.constantFrom('https://auth.example.com/', 'http://x/;deny all;', '/x', 'a{b}', "it's", 'a\nb', 'a#b', 'a\\b', '`x`', 'plain');
  const kindOf = fc.constantFrom(['networking.k8s.io/v1', 'Ingress'], ['v1', 'Service']);

  test('generated Ingresses and Services: CEL and TypeScript agree', () => {
    agree('ingress-controller-injection', fc.tuple(kindOf, fc.dictionary(key, value, { maxKeys: 3 }))
      .map(([[apiVersion, kind], annotations]) => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop', annotations }, spec: {} })), () => 'shop', 400);
  });

  test('ConfigMap allow-snippet-annotations and Traefik plugins; a ConfigMap\'s own annotations are not judged', () => {
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, data: { 'allow-snippet-annotations': v } });
    agree('ingress-controller-injection', fc.constantFrom('true', 'True', ' TRUE\n', 'false', 'yes', '\u00a0true', '\u0085true', 'tru e').map(cm), () => 'ingress-nginx', 60);
    const r = compiled('ingress-controller-injection');
    expect(r.admits({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', annotations: { 'nginx.ingress.kubernetes.io/server-snippet': 'x' } } }, 'shop')).toBe(true);
    const mw = (apiVersion: string, spec: any) => ({ apiVersion, kind: 'Middleware', metadata: { name: 'm', namespace: 'shop' }, spec });
    expect(r.admits(mw('traefik.io/v1alpha1', { plugin: { evil: {} } }), 'shop')).toBe(false);
    expect(r.admits(mw('traefik.containo.us/v1alpha1', { plugin: {} }), 'shop')).toBe(false);
    expect(r.admits(mw('traefik.io/v1alpha1', { headers: {} }), 'shop')).toBe(true);
    expect(r.admits(mw('traefik.io/v1alpha1', 'plugin'), 'shop')).toBe(tsAdmits('ingress-controller-injection', mw('traefik.io/v1alpha1', 'plugin')));
  });

  test('UPDATE: adding a snippet to an existing Ingress is judged; a label change on one that has it is admitted', () => {
    const r = compiled('ingress-controller-injection');
    const plain = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x', namespace: 'shop', annotations: { a: 'b' } }, spec: {} };
    const snippet = { ...plain, metadata: { ...plain.metadata, annotations: { 'nginx.ingress.kubernetes.io/server-snippet': 'return 200;' } } };
    expect(r.admitsUpdate(plain, snippet, 'shop')).toBe(false);
    expect(r.admitsUpdate(snippet, { ...snippet, metadata: { ...snippet.metadata, labels: { a: 'b' } } }, 'shop')).toBe(true);
    expect(r.messageOf(snippet, 'shop')).toContain('Ingress x: metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]. Fix');
  });
});

describe('Ingress path types and classes, ExternalName, token Secrets', () => {
  test('ingress-path-type and ingress-class-explicit on generated Ingresses (whitespace as JavaScript trims it)', () => {
    const ws = fc.constantFrom('', ' ', '\t', '\u00a0', '\u0085', '\ufeff', '\u2028');
    const path = fc.record({ path: fc.constant('/'), pathType: fc.option(fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific', 'prefix'), { nil: undefined }) }, { requiredKeys: ['path'] });
    const ing = fc.record({
      rules: fc.array(fc.record({ http: fc.record({ paths: fc.array(path, { maxLength: 2 }) }) }, { requiredKeys: [] }), { maxLength: 2 }),
      cls: fc.option(fc.tuple(ws, fc.constantFrom('', 'nginx'), ws).map(x => x.join('')), { nil: undefined }),
      annotation: fc.option(fc.tuple(ws, fc.constantFrom('', 'nginx', 'true', 'TRUE', 'false'), ws).map(x => x.join('')), { nil: undefined }),
    }).map(({ rules, cls, annotation }) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', spec: { ...(cls !== undefined ? { ingressClassName: cls } : {}), rules },
      metadata: { name: 'x', namespace: 'shop', ...(annotation !== undefined ? { annotations: { 'kubernetes.io/ingress.class': annotation, 'nginx.ingress.kubernetes.io/use-regex': annotation } } : {}) },
    }));
    agree('ingress-path-type', ing, () => 'shop', 300);
    agree('ingress-class-explicit', ing, () => 'shop', 300);
  });

  test('service-external-name and service-account-token-secret on generated objects', () => {
    agree('service-external-name', fc.record({
      type: fc.option(fc.constantFrom('ExternalName', 'ClusterIP', 'externalname'), { nil: undefined }),
      externalName: fc.option(fc.constantFrom('', 'db.example.com'), { nil: undefined }),
    }, { requiredKeys: [] }).map(spec => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec })), () => 'shop', 100);
    agree('service-account-token-secret', fc.constantFrom('Opaque', 'kubernetes.io/service-account-token', 'kubernetes.io/Service-Account-Token', ' kubernetes.io/service-account-token')
      .map(type => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, type })), () => 'shop', 40);
  });

  test('secret-literal-data is not generated: in a cluster every Secret holds data, controllers\' (the rule\'s remediation) included', () => {
    expect(OBJECT_RULES.some(r => r.id === 'secret-literal-data')).toBe(false);
    expect(() => generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: ['secret-literal-data'] })).toThrow(/External Secrets Operator/);
  });
});

describe('object-default-namespace: every namespaced kind, as the API server places it', () => {
  const r = compiled('object-default-namespace');
  test('an empty or absent namespace is the request\'s; cluster-scoped kinds are not matched; the binding only warns', () => {
    const cm = (metadata: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...metadata } });
    expect(r.admits(cm({ namespace: 'default' }), 'default')).toBe(false);
    expect(r.admits(cm({}), 'default')).toBe(false);
    expect(r.admits(cm({ namespace: '' }), 'default')).toBe(false);
    expect(r.admits(cm({ namespace: 'shop' }), 'shop')).toBe(true);
    expect(r.admits({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } }, 'default')).toBe(false);
    expect(r.admits({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } }, '')).toBe(true);
    // namespaces cannot change: an UPDATE in default is admitted (no warning on every status-less write)
    expect(r.admitsUpdate(cm({ namespace: 'default' }), cm({ namespace: 'default', labels: { a: 'b' } }), 'default')).toBe(true);
    expect(Catalogue.get('object-default-namespace').severity).toBe('warning');
  });

  test('impact: a dump object without a namespace is placed in the default one', () => {
    const report = impactOf([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', namespace: 'shop' } }],
      { settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: ['object-default-namespace'] });
    expect(report.policies[0]).toMatchObject({ action: 'Audit+Warn', objects: [{ kind: 'ConfigMap', namespace: 'default', name: 'c', detail: expect.stringMatching(/^metadata\.namespace: /) }] });
  });
});

describe('custom resources (Gateway API, Istio, OpenShift): wrong types are denied naming the field; well-typed objects get the TypeScript verdict', () => {
  test('gateway-listener-tls: Gateway API (exact protocols) and Istio (case-insensitive as JavaScript upper-cases, ſ included)', () => {
    const listener = fc.record({
      name: fc.constant('l'), protocol: fc.option(fc.constantFrom('HTTPS', 'https', 'TLS', 'HTTP', 'TCP', 'UDP'), { nil: undefined }),
      tls: fc.option(fc.record({ mode: fc.option(fc.constantFrom('Terminate', 'Passthrough', 'terminate'), { nil: undefined }), certificateRefs: fc.option(fc.constantFrom([], [{ name: 'c' }]), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined }),
    }, { requiredKeys: ['name'] });
    agree('gateway-listener-tls', fc.tuple(fc.constantFrom(['gateway.networking.k8s.io/v1', 'Gateway'], ['gateway.networking.k8s.io/v1', 'ListenerSet'], ['gateway.networking.x-k8s.io/v1alpha1', 'XListenerSet']), fc.array(listener, { maxLength: 3 }))
      .map(([[apiVersion, kind], listeners]) => ({ apiVersion, kind, metadata: { name: 'g', namespace: 'infra' }, spec: { listeners } })), () => 'infra', 300);
    const server = fc.record({
      port: fc.record({ number: fc.constant(443), protocol: fc.option(fc.constantFrom('HTTPS', 'https', 'httpſ', 'TLS', 'tlſ', 'HTTP', 'http', 'TCP', 'HTTP2', 'GRPC'), { nil: undefined }) }, { requiredKeys: ['number'] }),
      tls: fc.option(fc.record({ mode: fc.option(fc.constantFrom('SIMPLE', ''), { nil: undefined }), httpsRedirect: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined }),
    }, { requiredKeys: ['port'] });
    agree('gateway-listener-tls', fc.array(server, { maxLength: 3 }).map(servers => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'infra' }, spec: { servers } })), () => 'infra', 300);
  });

  test('istio-peer-authentication-mtls and scc-privileged on generated objects', () => {
    const mode = fc.option(fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET', 'permissive', 'Disable'), { nil: undefined });
    agree('istio-peer-authentication-mtls', fc.record({
      mtls: fc.option(fc.record({ mode }, { requiredKeys: [] }), { nil: undefined }),
      portLevelMtls: fc.option(fc.dictionary(fc.constantFrom('8080', '9090'), fc.record({ mode }, { requiredKeys: [] }), { maxKeys: 2 }), { nil: undefined }),
    }, { requiredKeys: [] }).map(spec => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'shop' }, spec })), () => 'shop', 300);
    const flag = fc.option(fc.boolean(), { nil: undefined });
    agree('scc-privileged', fc.record({
      allowPrivilegedContainer: flag, allowHostNetwork: flag, allowHostPorts: flag, allowHostDirVolumePlugin: flag,
      allowedCapabilities: fc.option(fc.array(fc.constantFrom('*', 'NET_BIND_SERVICE', 'all'), { maxLength: 3 }), { nil: undefined }),
    }, { requiredKeys: [] }).map(f => ({ apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', metadata: { name: 'scc' }, ...f })), () => '', 300);
  });

  const wrong: [string, string, any, string][] = [
    ['protocol: ["HTTPS"] (String() of a list would read HTTPS)', 'gateway-listener-tls',
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'infra' }, spec: { servers: [{ port: { number: 443, protocol: ['HTTPS'] }, tls: { mode: 'SIMPLE' } }] } },
      'spec.servers[0].port.protocol'],
    ['certificateRefs: "c" (a string)', 'gateway-listener-tls',
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'infra' }, spec: { listeners: [{ name: 'l', protocol: 'HTTPS', tls: { certificateRefs: 'c' } }] } },
      'spec.listeners[0].tls.certificateRefs'],
    ['mode: 1', 'istio-peer-authentication-mtls',
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'shop' }, spec: { portLevelMtls: { 9090: { mode: 1 } } } },
      'spec.portLevelMtls["9090"].mode'],
    ['allowPrivilegedContainer: "true"', 'scc-privileged',
      { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', metadata: { name: 'scc' }, allowPrivilegedContainer: 'true' },
      'allowPrivilegedContainer'],
  ];
  test.each(wrong)('%s: denied by the type check, the message names the field', (_what, id, obj, field) => {
    const r: CompiledRule = compiled(id);
    expect(r.admits(obj, obj.metadata.namespace ?? '')).toBe(false);
    expect(r.messageOf(obj, obj.metadata.namespace ?? '')).toBe(`[${id}] ${obj.kind} ${obj.metadata.name}: field ${field} has a value of the wrong type for its schema: ` +
      'it is denied, never judged by a comparison that another type would pass. Fix: write the field with its documented type (string, boolean, list or map).');
  });
});
