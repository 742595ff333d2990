/**
 * What the policies do to a live cluster, evaluated on @bufbuild/cel (cel-k8s.ts): UPDATE semantics (Pod Security
 * Admission's), system components, custom-resource carriers, wrong-typed values, messages.
 */
import { ADMISSION_KINDS, generatePolicies, generateRules, NOT_MATCHED_CARRIERS, SYSTEM_EXEMPTIONS } from '../../lib/admission/generate';
import { wellTyped } from '../../lib/admission/types-cel';
import { KNOWN_POD_CARRIERS, podSpecsOf } from '../../lib/kube/manifest';
import { PolicySettings } from '../../lib/policy/types';
import { compile, compileRule, CompiledRule, toCel } from './cel-k8s';

const SETTINGS: PolicySettings = { allowedRegistries: ['registry.example.com'], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const ON = '2026-06-15';
const RULES: { [id: string]: CompiledRule } = {};
for (const g of generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON })) RULES[g.rule.id] = compileRule(g);
const rule = (id: string) => RULES[id];

const GOOD_SC = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
const container = (name: string, sc: any = GOOD_SC, image = 'registry.example.com/app:1.0') => ({
  name, image, securityContext: sc, resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
});
const privilegedSpec = () => ({ containers: [container('app', { ...GOOD_SC, privileged: true })] });
const pod = (spec: any, metadata: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', ...metadata }, spec });
const deployment = (spec: any, metadata: any = {}, template: any = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', ...metadata },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, ...template }, spec } },
});
const clone = (o: any) => JSON.parse(JSON.stringify(o));
const every = (f: (r: CompiledRule) => boolean) => Object.values(RULES).filter(r => !f(r)).map(r => r.ruleId);

describe('UPDATE is judged only when a field the rule reads changed', () => {
  test.each([['Pod', pod(privilegedSpec())], ['Deployment', deployment(privilegedSpec())]])('%s: non-compliant, so CREATE is denied', (_k, obj) => {
    expect(rule('privileged-container').admits(obj, 'shop')).toBe(false);
  });

  const metadataOnly: [string, (o: any) => void][] = [
    ['a label change', o => { o.metadata.labels = { team: 'b' }; }],
    ['an annotation change', o => { o.metadata.annotations = { 'example.com/x': 'y' }; }],
    ['the garbage collector removing the foregroundDeletion finalizer', o => { o.metadata.finalizers = []; }],
    ['an ownerReferences change', o => { o.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u' }]; }],
    ['a status write on the main resource (CRDs without a status subresource)', o => { o.status = { phase: 'Running' }; }],
  ];
  test.each(metadataOnly)('Pod and Deployment: %s is admitted by every policy', (_what, change) => {
    for (const old of [pod(privilegedSpec(), { finalizers: ['foregroundDeletion'] }), deployment(privilegedSpec(), { finalizers: ['foregroundDeletion'] })]) {
      const next = clone(old);
      change(next);
      expect(every(r => r.admitsUpdate(old, next, 'shop'))).toEqual([]);
    }
  });

  test('Deployment: scaling, a rollout restart (template annotation) and a new label in the template are admitted', () => {
    const old = deployment(privilegedSpec());
    const next = clone(old);
    next.spec.replicas = 5;
    next.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-06-15T10:00:00Z' };
    next.spec.template.metadata.labels.version = 'v2';
    expect(every(r => r.admitsUpdate(old, next, 'shop'))).toEqual([]);
  });

  test('a change to a field the rule reads is judged: making a compliant container privileged, adding a privileged container', () => {
    const ok = deployment({ containers: [container('app')] });
    const bad = clone(ok);
    bad.spec.template.spec.containers[0].securityContext.privileged = true;
    expect(rule('privileged-container').admitsUpdate(ok, bad, 'shop')).toBe(false);
    const added = clone(ok);
    added.spec.template.spec.containers.push(container('side', { ...GOOD_SC, privileged: true }));
    expect(rule('privileged-container').admitsUpdate(ok, added, 'shop')).toBe(false);
    // an ephemeral container added through pods/ephemeralcontainers (kubectl debug) is an UPDATE of the Pod
    const p = pod({ containers: [container('app')] });
    const debugged = clone(p);
    debugged.spec.ephemeralContainers = [{ name: 'dbg', image: 'registry.example.com/busybox:1', securityContext: { privileged: true } }];
    expect(rule('privileged-container').admitsUpdate(p, debugged, 'shop')).toBe(false);
  });

  test('a change to a field another rule reads re-judges only that rule: an image bump is judged by the image rules', () => {
    const old = deployment({ containers: [container('app', { ...GOOD_SC, privileged: true })] });
    const next = clone(old);
    next.spec.template.spec.containers[0].image = 'nginx:latest';
    expect(rule('privileged-container').admitsUpdate(old, next, 'shop')).toBe(true);
    expect(rule('image-tag-latest').admitsUpdate(old, next, 'shop')).toBe(false);
    expect(rule('image-registry-allowed').admitsUpdate(old, next, 'shop')).toBe(false);
  });

  test('AppArmor: a changed AppArmor annotation of a Deployment template is judged; other template annotations are not', () => {
    const key = 'container.apparmor.security.beta.kubernetes.io/app';
    const old = deployment({ containers: [container('app')] }, {}, { annotations: { [key]: 'unconfined' } });
    const other = clone(old);
    other.spec.template.metadata.annotations['example.com/x'] = 'y';
    expect(rule('apparmor-profile').admitsUpdate(old, other, 'shop')).toBe(true);
    const added = deployment({ containers: [container('app')] });
    expect(rule('apparmor-profile').admitsUpdate(added, old, 'shop')).toBe(false);
  });

  test('an UPDATE that makes a custom resource\'s value wrong-typed is judged and denied', () => {
    const old = rollout({ containers: [container('app', { ...GOOD_SC, runAsUser: 1000 })] });
    const next = clone(old);
    next.spec.template.spec.containers[0].securityContext.runAsUser = '0';
    expect(rule('run-as-user-root').admitsUpdate(old, next, 'shop')).toBe(false);
  });

  test('every policy: DELETE is not an operation it matches; status and scale subresources are not resources it matches', () => {
    for (const p of generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON }).filter(o => o.kind === 'ValidatingAdmissionPolicy')) {
      for (const r of p.spec.matchConstraints.resourceRules) {
        expect(r.operations).toEqual(['CREATE', 'UPDATE']);
        // `*` is every resource but no subresource (admissionregistration Rule.resources: `*/*` would add them)
        expect(r.resources.some((x: string) => /\/(status|scale)$/.test(x) || x.endsWith('/*'))).toBe(false);
      }
    }
  });
});

describe('system components', () => {
  const policies = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON }).filter(o => o.kind === 'ValidatingAdmissionPolicy');
  const matches = (p: any, request: any) => (p.spec.matchConditions ?? []).every((m: any) => compile(m.expression)({ request: toCel(request) }) === true);

  test('by default every policy leaves out kube-system, kube-public and kube-node-lease, and says so', () => {
    for (const p of policies) {
      expect(p.spec.matchConstraints.namespaceSelector).toEqual({
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-public', 'kube-node-lease'] }],
      });
      expect(p.metadata.annotations['hardened.cdk8s.io/exemptions']).toContain('namespace kube-system: ');
      expect(p.metadata.annotations['hardened.cdk8s.io/exemptions']).toContain('group system:nodes: ');
    }
  });

  test('requests by nodes (mirror pods) are not matched; users, service accounts and requests without groups are', () => {
    const p = policies[0];
    expect(matches(p, { userInfo: { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] } })).toBe(false);
    expect(matches(p, { userInfo: { username: 'alice', groups: ['system:authenticated'] } })).toBe(true);
    expect(matches(p, { userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts'] } })).toBe(true);
    // a request without groups must not make the condition error (failurePolicy Fail would deny everything)
    expect(matches(p, { userInfo: { username: 'alice' } })).toBe(true);
    // a user named like a node but outside the group is judged
    expect(matches(p, { userInfo: { username: 'system:node:fake', groups: ['system:authenticated'] } })).toBe(true);
  });

  test('exemptSystem false judges them; then each exemption is listed one by one with its reason', () => {
    const all = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, exemptSystem: false,
      exemptions: [{ namespace: 'kube-system', reason: 'kube-proxy and the CNI need host access' }] })[0];
    expect(all.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system']);
    expect(all.spec.matchConditions).toBeUndefined();
    expect(all.metadata.annotations['hardened.cdk8s.io/exemptions']).toBe('namespace kube-system: kube-proxy and the CNI need host access');
    expect(SYSTEM_EXEMPTIONS.every(e => e.reason.length >= 20)).toBe(true);
  });
});

function rollout(spec: any) {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'shop' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: {}, spec } } };
}

describe('custom-resource carriers and PodTemplate', () => {
  const at = (path: string, value: any) => {
    const root: any = {};
    let cur = root;
    const steps = path.split('.');
    steps.slice(0, -1).forEach(s => { cur = cur[s] = {}; });
    cur[steps[steps.length - 1]] = value;
    return root;
  };
  test.each(ADMISSION_KINDS.map(k => [`${k.group || 'core'}/${k.kind}`, k]))('%s: the path matched is where the catalogue reads the pod spec; a privileged container there is denied', (_n, k) => {
    const obj = { apiVersion: k.group ? `${k.group}/v1` : 'v1', kind: k.kind, metadata: { name: 'x', namespace: 'shop' }, ...at(k.spec, privilegedSpec()) };
    const specs = podSpecsOf(obj).filter(s => !s.inferred);
    expect(specs.map(s => s.path)).toEqual([k.spec]);
    expect(specs[0].metadataPath).toBe(k.meta);
    expect(rule('privileged-container').admits(obj, 'shop')).toBe(false);
    expect(rule('privileged-container').messageOf(obj, 'shop')).toContain(`container "app" at ${k.spec}.containers[0].securityContext.privileged`);
    const policy = generatePolicies({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: ['privileged-container'] })[0];
    expect(policy.spec.matchConstraints.resourceRules.some((r: any) => r.apiGroups.includes(k.group) && r.resources.includes(k.resource))).toBe(true);
  });

  test('every carrier the catalogue knows is matched or listed with the reason', () => {
    for (const c of KNOWN_POD_CARRIERS) {
      const [group, kind] = c.includes('/') ? [c.slice(0, c.lastIndexOf('/')), c.slice(c.lastIndexOf('/') + 1)] : ['', c];
      const matched = ADMISSION_KINDS.some(k => k.kind === kind && (c.includes('/') ? k.group === group : ['', 'apps', 'batch'].includes(k.group)));
      if (!matched) expect([c, NOT_MATCHED_CARRIERS[c]]).toEqual([c, expect.stringMatching(/.{20}/)]);
      else expect(NOT_MATCHED_CARRIERS[c]).toBeUndefined();
    }
  });

  test('a Rollout without a template (workloadRef) has no pod spec to judge: admitted, as the catalogue finds none', () => {
    const r = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r', namespace: 'shop' }, spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } };
    expect(every(x => x.admits(r, 'shop'))).toEqual([]);
    expect(podSpecsOf(r)).toEqual([]);
  });
});

describe('type robustness: a wrong-typed value in a custom resource is denied, never admitted silently', () => {
  const C0 = 'container "app" at spec.template.spec.containers[0]';
  const spellings: [string, string, (s: any) => void, string][] = [
    ['runAsUser: "0"', 'run-as-user-root', s => { s.containers[0].securityContext.runAsUser = '0'; }, `${C0}.securityContext.runAsUser`],
    ['pod runAsUser: "0"', 'run-as-user-root', s => { s.securityContext = { runAsUser: '0' }; }, 'spec.template.spec.securityContext.runAsUser'],
    ['runAsUser: 0.5', 'run-as-user-root', s => { s.containers[0].securityContext.runAsUser = 0.5; }, `${C0}.securityContext.runAsUser`],
    ['privileged: "true"', 'privileged-container', s => { s.containers[0].securityContext.privileged = 'true'; }, `${C0}.securityContext.privileged`],
    ['hostNetwork: "true"', 'host-namespaces', s => { s.hostNetwork = 'true'; }, 'spec.template.spec.hostNetwork'],
    ['hostPID: 1', 'host-namespaces', s => { s.hostPID = 1; }, 'spec.template.spec.hostPID'],
    ['capabilities.add: "SYS_ADMIN" (a string, not a list)', 'capabilities-baseline', s => { s.containers[0].securityContext.capabilities = { add: 'SYS_ADMIN', drop: ['ALL'] }; },
      `${C0}.securityContext.capabilities.add`],
    // a list inside a container is named as the list
    ['hostPort: "80"', 'host-ports', s => { s.containers[0].ports = [{ containerPort: 80, hostPort: '80' }]; }, `${C0}.ports`],
    ['allowPrivilegeEscalation: "false"', 'allow-privilege-escalation', s => { s.containers[0].securityContext.allowPrivilegeEscalation = 'false'; },
      `${C0}.securityContext.allowPrivilegeEscalation`],
    ['containers as a map', 'privileged-container', s => { s.containers = { app: s.containers[0] }; }, 'spec.template.spec.containers'],
    ['securityContext as a string', 'privileged-container', s => { s.containers[0].securityContext = 'privileged'; }, `${C0}.securityContext`],
    ['image as a list', 'image-tag-latest', s => { s.containers[0].image = ['nginx:latest']; }, `${C0}.image`],
    ['a second container\'s runAsUser: "0"', 'run-as-user-root', s => { s.containers.push({ ...s.containers[0], name: 'side', securityContext: { ...GOOD_SC, runAsUser: '0' } }); },
      'container "side" at spec.template.spec.containers[1].securityContext.runAsUser'],
  ];
  test.each(spellings)('%s in a Rollout: %s denies naming the field, and the catalogue\'s type check agrees', (_what, id, change, field) => {
    const spec = { containers: [container('app')] };
    const good = rollout(clone(spec));
    expect(rule(id).admits(good, 'shop')).toBe(true);
    const bad = rollout(clone(spec));
    change(bad.spec.template.spec);
    expect(rule(id).admits(bad, 'shop')).toBe(false);
    expect(rule(id).messageOf(bad, 'shop')).toBe(`[${id}] Rollout r: ${field} has a value of the wrong type for the Kubernetes PodSpec (e.g. runAsUser: "0" instead of 0), ` +
      'read by this rule: it is denied, never judged by a comparison that a string would pass. Fix: write the field with its PodSpec type (integer, boolean, string, list or map).');
    expect(wellTyped(bad.spec.template.spec, bad.spec.template.metadata)).toBe(false);
    expect(wellTyped(good.spec.template.spec, good.spec.template.metadata)).toBe(true);
  });

  test('a carrier path that is not a map (spec.template: "x") is denied, naming the carrier path', () => {
    const r: any = rollout({});
    r.spec.template = 'x';
    expect(rule('privileged-container').admits(r, 'shop')).toBe(false);
    // the pod metadata under it is not a map either
    expect(rule('privileged-container').messageOf(r, 'shop')).toContain(': spec.template.spec (and 1 more) has a value of the wrong type');
  });
});

describe('messages name the rule, the object, the container, the field and the fix', () => {
  test('container and field of the first violation, and how many more', () => {
    const d = deployment({ containers: [container('app'), container('side', { ...GOOD_SC, privileged: true }), container('third', { ...GOOD_SC, privileged: true })] });
    const m = rule('privileged-container').messageOf(d, 'shop')!;
    expect(m).toBe('[privileged-container] Containers must not run privileged: Deployment web: container "side" at ' +
      'spec.template.spec.containers[1].securityContext.privileged (and 1 more). Fix: Remove `securityContext.privileged: true` (or set it to false). ' +
      'Grant the one capability or device the workload needs instead.');
  });

  test('pod-level fields, lists and init containers', () => {
    expect(rule('host-namespaces').messageOf(pod({ hostPID: true, containers: [container('app')] }), 'shop')).toContain(': Pod p: spec.hostPID. Fix: ');
    expect(rule('host-path-volumes').messageOf(pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }], containers: [container('app')] }), 'shop')).toContain('Pod p: spec.volumes. Fix');
    expect(rule('memory-limit').messageOf(pod({ containers: [container('app')], initContainers: [{ name: 'init', image: 'registry.example.com/i:1' }] }), 'shop'))
      .toContain('container "init" at spec.initContainers[0].resources.limits.memory');
    expect(rule('run-as-non-root').messageOf(pod({ containers: [container('app', { ...GOOD_SC, runAsNonRoot: undefined })] }), 'shop'))
      .toContain('container "app" at spec.containers[0].securityContext.runAsNonRoot');
    expect(rule('capabilities-baseline').messageOf(pod({ containers: [container('app', { ...GOOD_SC, capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } })] }), 'shop'))
      .toContain('container "app" at spec.containers[0].securityContext.capabilities.add');
  });

  test('a waived container is not the one named', () => {
    const waiver = JSON.stringify([{ ruleId: 'privileged-container', reason: 'accepted until the vendor ships a fix', owner: 'shop', expires: '2026-12-31', path: 'spec.template.spec.containers[0]' }]);
    const d = deployment({ containers: [container('app', { ...GOOD_SC, privileged: true }), container('side', { ...GOOD_SC, privileged: true })] },
      { annotations: { 'hardened.cdk8s.io/waivers': waiver } });
    const r = compileRule(generateRules({ settings: SETTINGS, apiVersion: 'v1', generatedOn: ON, ruleIds: ['privileged-container'], waiverSources: [d] })[0]);
    expect(r.messageOf(d, 'shop')).toContain('container "side" at spec.template.spec.containers[1].securityContext.privileged. Fix');
  });
});
