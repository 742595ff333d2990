import { ApiObject, App, Chart } from 'cdk8s';
import { Guard, HardenedChart, HardenedDeployment, HardeningProfile, IsolatedNamespace, Waiver } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { daysFromNow, synth, synthError } from '../util/synth';

const find = (objects: any[], kind: string, name?: string) =>
  objects.filter(o => o.kind === kind && (name === undefined || o.metadata.name === name));

/** The error the constructor throws for these props; fails the test unless it is a HardeningError. */
const constructError = (props: any): Error => {
  try {
    new IsolatedNamespace(new Chart(new App(), 'c'), 'payments', props);
  } catch (e) {
    expect((e as Error).name).toBe('HardeningError');
    return e as Error;
  }
  throw new Error('expected the constructor to throw');
};

/** Synthesized objects of a namespace with these props (schema-valid, zero findings). */
const synthNamespace = (props: any, id = 'payments'): any[] => {
  const chart = new Chart(new App(), 'tenants');
  new IsolatedNamespace(chart, id, props);
  const objects = synth(chart);
  expectValidObjects(objects);
  expect(Guard.of(chart).findings()).toEqual([]);
  return objects;
};

const DEFAULT_TENANT_RULES = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'serviceaccounts'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['patch', 'update'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
];

describe('IsolatedNamespace defaults', () => {
  const chart = new Chart(new App(), 'tenants');
  new IsolatedNamespace(chart, 'payments');
  const objects = synth(chart);

  test('emits schema-valid objects and has zero findings', () => {
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'LimitRange/tenant-limits', 'Namespace/payments', 'NetworkPolicy/allow-dns-egress', 'NetworkPolicy/default-deny',
      'ResourceQuota/tenant-quota', 'ServiceAccount/default',
    ]);
  });

  test('PSA enforce/audit/warn = restricted, pinned to the profile version (default: follows kubeVersion 1.36 -> v1.36)', () => {
    const ns = find(objects, 'Namespace')[0];
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.36');
    }
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.annotations).toBeUndefined();
    expect(Object.keys(ns.metadata.labels).filter(k => k.includes('istio'))).toEqual([]);
  });

  test('every namespaced object is in the tenant namespace; nothing in kube-system', () => {
    for (const o of objects.filter(x => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('payments');
  });

  test('default deny for ingress and egress, DNS egress to kube-dns on UDP+TCP 53', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny')[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'NetworkPolicy', 'allow-dns-egress')[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  test('quota defaults, LoadBalancer and NodePort services forbidden', () => {
    expect(find(objects, 'ResourceQuota')[0].spec.hard).toEqual({
      'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.memory': '32Gi', 'pods': '100', 'services': '20',
      'services.loadbalancers': '0', 'services.nodeports': '0', 'secrets': '50', 'configmaps': '50',
      'persistentvolumeclaims': '10', 'requests.storage': '100Gi',
    });
  });

  test('limit range defaults', () => {
    expect(find(objects, 'LimitRange')[0].spec.limits).toEqual([{
      type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '256Mi' }, max: { cpu: '4', memory: '8Gi' },
    }]);
  });

  test('default ServiceAccount without token automount; no RBAC, pool, node isolation or mesh by default', () => {
    expect(find(objects, 'ServiceAccount', 'default')[0].automountServiceAccountToken).toBe(false);
    for (const kind of ['Role', 'RoleBinding', 'IPPool', 'PeerAuthentication']) expect(find(objects, kind)).toEqual([]);
  });
});

describe('IsolatedNamespace options', () => {
  test('all options: schema- and CRD-valid, zero findings', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { podSecurityVersion: 'v1.29' });
    const chart = new Chart(app, 'tenants', { namespace: 'leaky' }); // chart namespace must not leak onto cluster-scoped objects
    new IsolatedNamespace(chart, 'ns', {
      name: 'payments',
      allowSameNamespace: true,
      allowFromNamespaces: ['ingress-nginx', 'monitoring'],
      quota: { pods: 20, cpuRequests: '2', storage: '10Gi' },
      limits: { maxMemory: '2Gi' },
      tenantGroups: ['team-payments'],
      readableSecrets: ['payments-db'],
      ipPool: { cidr: '10.244.64.0/20' },
      nodeIsolation: { nodeSelector: { pool: 'payments' }, taintKey: 'dedicated' },
      meshMtlsStrict: true,
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    const ns = find(objects, 'Namespace')[0];
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.29');
    expect(ns.metadata.annotations).toEqual({
      'cni.projectcalico.org/ipv4pools': '["payments-pool"]',
      'scheduler.alpha.kubernetes.io/node-selector': 'pool=payments',
      'scheduler.alpha.kubernetes.io/defaultTolerations': '[{"key":"dedicated","operator":"Equal","value":"payments","effect":"NoSchedule"}]',
    });
    const pool = find(objects, 'IPPool')[0];
    expect(pool.metadata.namespace).toBeUndefined();
    expect(pool.spec).toMatchObject({ cidr: '10.244.64.0/20', blockSize: 26, ipipMode: 'Never', nodeSelector: 'pool == "payments"' });
    expect(find(objects, 'PeerAuthentication')[0]).toMatchObject({ metadata: { name: 'default', namespace: 'payments' }, spec: { mtls: { mode: 'STRICT' } } });
    expect(ns.metadata.labels['istio-injection']).toBe('enabled');
    expect(find(objects, 'NetworkPolicy', 'allow-istiod-egress')[0].metadata.namespace).toBe('payments');
    const role = find(objects, 'Role', 'tenant-developer')[0];
    expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['payments-db'] });
    expect(JSON.stringify(role.rules)).not.toMatch(/\*|pods\/exec|escalate|bind|impersonate/);
    expect(find(objects, 'RoleBinding')[0].subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'team-payments' }]);
    expect(find(objects, 'NetworkPolicy', 'allow-from-peer-namespaces')[0].spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
    for (const o of objects) expect(o.metadata.namespace === 'kube-system' || o.metadata.namespace === 'leaky').toBe(false);
    expect(find(objects, 'ResourceQuota')[0].spec.hard.pods).toBe('20');
  });

  test('a pod violating restricted placed in the namespace fails synth', () => {
    const chart = new Chart(new App(), 'tenants');
    new IsolatedNamespace(chart, 'payments');
    new ApiObject(chart, 'rogue', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'rogue', namespace: 'payments' },
      spec: { hostPID: true, containers: [{ name: 'c', image: 'registry.example.com/x@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] },
    } as any);
    const msg = synthError(chart);
    expect(msg).toContain('Pod payments/rogue');
    expect(msg).toContain('privileged-container');
  });

  test('a HardenedDeployment in the namespace synthesizes clean', () => {
    const chart = new HardenedChart(new App(), 'tenants');
    const ns = new IsolatedNamespace(chart, 'payments');
    new HardenedDeployment(chart, 'api', {
      namespace: ns.name, image: 'registry.example.com/api@sha256:' + 'b'.repeat(64), port: 8080,
      resources: { cpuRequest: '100m', memoryRequest: '128Mi' },
    });
    expectValidObjects(synth(chart));
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('LoadBalancers need a waiver on the Namespace', () => {
    const chart = new Chart(new App(), 'tenants');
    const ns = new IsolatedNamespace(chart, 'edge', { quota: { loadBalancers: 1 } });
    expect(synthError(chart)).toContain('namespace-resource-quota');
    Waiver.apply(ns.namespace, { ruleId: 'namespace-resource-quota', reason: 'edge gateway terminates partner mTLS on an NLB', owner: 'team-edge', expires: daysFromNow(30) });
    expect(() => synth(chart)).not.toThrow();
  });

  test.each([
    ['system namespace', { name: 'kube-system' }, /props\.name="kube-system" violates namespace-psa-enforce/],
    ['unpinned version', { podSecurityVersion: 'latest' }, /props\.podSecurityVersion="latest" violates namespace-psa-enforce/],
    ['negative quota', { quota: { pods: -1 } }, /props\.quota\.pods=-1 violates namespace-resource-quota/],
    ['secrets without groups', { readableSecrets: ['x'] }, /violates rbac-secrets-access/],
    ['wildcard secret', { tenantGroups: ['t'], readableSecrets: ['*'] }, /violates rbac-secrets-access/],
    ['system group', { tenantGroups: ['system:masters'] }, /violates rbac-escalation/],
    ['bad pool', { ipPool: { cidr: '10.0.0.0/30' } }, /props\.ipPool\.cidr="10\.0\.0\.0\/30"/],
  ] as [string, any, RegExp][])('construct-time error: %s', (_, props, expected) => {
    expect(constructError(props).message).toMatch(expected);
  });

  test('NodePorts need a waiver on the Namespace', () => {
    const chart = new Chart(new App(), 'tenants');
    const ns = new IsolatedNamespace(chart, 'edge', { quota: { nodePorts: 2 } });
    const msg = synthError(chart);
    expect(msg).toContain('namespace-resource-quota');
    expect(msg).toContain('services.nodeports to 0 (found ["2"])');
    Waiver.apply(ns.namespace, { ruleId: 'namespace-resource-quota', reason: 'bare-metal ingress exposes NodePorts to the external LB', owner: 'team-edge', expires: daysFromNow(30) });
    const objects = synth(chart);
    expect(find(objects, 'ResourceQuota')[0].spec.hard).toMatchObject({ 'services.nodeports': '2', 'services.loadbalancers': '0' });
  });
});

describe('IsolatedNamespace documented defaults', () => {
  test('name: the construct id, lower-cased', () => {
    const chart = new Chart(new App(), 'tenants');
    const ns = new IsolatedNamespace(chart, 'Payments');
    expect(ns.name).toBe('payments');
    expect(find(synth(chart), 'Namespace')[0].metadata.name).toBe('payments');
  });

  test('tenantRole: undefined without tenantGroups', () => {
    expect(new IsolatedNamespace(new Chart(new App(), 'c'), 'payments').tenantRole).toBeUndefined();
    expect(new IsolatedNamespace(new Chart(new App(), 'c'), 'payments', { tenantGroups: ['team'] }).tenantRole).toBeDefined();
  });

  test('readableSecrets: with only tenantGroups the Role has no rule on secrets at all', () => {
    const role = find(synthNamespace({ tenantGroups: ['team-payments'] }), 'Role', 'tenant-developer')[0];
    expect(role.rules).toEqual(DEFAULT_TENANT_RULES);
    expect(JSON.stringify(role.rules)).not.toMatch(/secrets|\*/);
  });

  test('tenantCanCreatePods: false by default (reads and scaling only); true adds create/delete on Jobs and CronJobs, reported as rbac-pod-create', () => {
    const rules = find(synthNamespace({ tenantGroups: ['team'] }), 'Role')[0].rules;
    for (const r of rules) {
      const writes = r.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v));
      expect(writes.length === 0 || r.resources.every((x: string) => x.endsWith('/scale'))).toBe(true);
    }
    expect(rules.find((r: any) => r.apiGroups[0] === 'batch').verbs).toEqual(['get', 'list', 'watch']);
    expect(find(synthNamespace({ tenantGroups: ['team'], tenantCanCreatePods: false }), 'Role')[0].rules).toEqual(rules);
    const chart = new Chart(new App(), 'tenants');
    new IsolatedNamespace(chart, 'payments', { tenantGroups: ['team'], tenantCanCreatePods: true });
    const role = find(synth(chart), 'Role')[0];
    expect(role.rules.find((r: any) => r.apiGroups[0] === 'batch').verbs).toEqual(['get', 'list', 'watch', 'create', 'delete']);
    // the one path the tenant Role may take, on request: a warning, never an error
    expect(Guard.of(chart).findings().map(f => [f.ruleId, f.severity, f.object.kind])).toEqual([['rbac-pod-create', 'warning', 'Role']]);
  });

  test('nodeIsolation.taintKey: without it there is no defaultTolerations annotation', () => {
    const ns = find(synthNamespace({ nodeIsolation: { nodeSelector: { 'node-pool': 'payments' } } }), 'Namespace')[0];
    expect(ns.metadata.annotations).toEqual({ 'scheduler.alpha.kubernetes.io/node-selector': 'node-pool=payments' });
  });

  test('unset quota and limit fields keep their defaults when others are set', () => {
    const objects = synthNamespace({ quota: { pods: 20 }, limits: { maxCpu: '2' } });
    expect(find(objects, 'ResourceQuota')[0].spec.hard).toMatchObject({ 'pods': '20', 'services': '20', 'services.nodeports': '0', 'requests.memory': '16Gi' });
    expect(find(objects, 'LimitRange')[0].spec.limits[0]).toMatchObject({ defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '256Mi' }, max: { cpu: '2', memory: '8Gi' } });
  });
});

describe('IsolatedNamespace LimitRange consistency (the API server rejects defaults above max or requests above limits)', () => {
  test.each([
    ['default memory limit above max', { defaultMemoryLimit: '16Gi' }, /props\.limits\.defaultMemoryLimit="16Gi" violates namespace-resource-quota: exceeds maxMemory \(8Gi\)/],
    ['default memory request above default limit', { defaultMemoryRequest: '512Mi' }, /props\.limits\.defaultMemoryRequest="512Mi" violates namespace-resource-quota: exceeds defaultMemoryLimit \(256Mi\)/],
    ['max memory below the default limit', { maxMemory: '128Mi' }, /props\.limits\.defaultMemoryLimit="256Mi" violates namespace-resource-quota: exceeds maxMemory \(128Mi\)/],
    ['1Gi is more than 1G', { defaultMemoryLimit: '1Gi', maxMemory: '1G' }, /defaultMemoryLimit="1Gi" .*exceeds maxMemory \(1G\)/],
    ['plain bytes, one above 256Mi', { defaultMemoryLimit: '268435457', maxMemory: '256Mi' }, /defaultMemoryLimit="268435457" .*exceeds maxMemory/],
    ['fractional memory', { defaultMemoryRequest: '0.5Gi', defaultMemoryLimit: '500Mi' }, /defaultMemoryRequest="0\.5Gi" .*exceeds defaultMemoryLimit/],
    ['cpu request above max', { defaultCpuRequest: '5' }, /props\.limits\.defaultCpuRequest="5" violates namespace-resource-quota: exceeds maxCpu \(4\)/],
    ['millicores above max', { defaultCpuRequest: '4001m' }, /defaultCpuRequest="4001m" .*exceeds maxCpu \(4\)/],
    ['fractional cpu above max', { defaultCpuRequest: '2.5', maxCpu: '2' }, /defaultCpuRequest="2\.5" .*exceeds maxCpu \(2\)/],
    ['max cpu below the default request', { maxCpu: '50m' }, /defaultCpuRequest="100m" .*exceeds maxCpu \(50m\)/],
  ] as [string, any, RegExp][])('rejects %s', (_, limits, expected) => {
    expect(constructError({ limits }).message).toMatch(expected);
  });

  test.each([
    [{ defaultMemoryRequest: '1Gi', defaultMemoryLimit: '1024Mi', maxMemory: '1073741824' }],
    [{ defaultMemoryLimit: '1.5Gi', maxMemory: '1536Mi' }],
    [{ defaultMemoryRequest: '1000000k', defaultMemoryLimit: '1G', maxMemory: '1000M' }],
    [{ defaultMemoryLimit: '1024Gi', maxMemory: '1Ti' }],
    [{ defaultCpuRequest: '0.5', maxCpu: '500m' }],
    [{ defaultCpuRequest: '1k', maxCpu: '1000' }],
  ])('accepts equal quantities in different units: %j', limits => {
    const spec = find(synthNamespace({ limits }), 'LimitRange')[0].spec.limits[0];
    expect(spec.max).toMatchObject({ ...('maxCpu' in limits ? { cpu: (limits as any).maxCpu } : {}), ...('maxMemory' in limits ? { memory: (limits as any).maxMemory } : {}) });
  });

  test.each([
    ['unit typo', { limits: { maxMemory: '8gb' } }, /props\.limits\.maxMemory="8gb" violates namespace-resource-quota: is not a Kubernetes quantity/],
    ['negative', { limits: { defaultCpuRequest: '-1' } }, /props\.limits\.defaultCpuRequest="-1" violates namespace-resource-quota/],
    ['number instead of string', { quota: { cpuRequests: 8 } }, /props\.quota\.cpuRequests=8 violates namespace-resource-quota/],
    ['padded', { quota: { storage: ' 10Gi' } }, /props\.quota\.storage=" 10Gi" violates namespace-resource-quota/],
  ] as [string, any, RegExp][])('rejects an invalid quantity: %s', (_, props, expected) => {
    expect(constructError(props).message).toMatch(expected);
  });
});

describe('IsolatedNamespace node isolation labels', () => {
  const sel = (nodeSelector: any, extra: any = {}) => ({ nodeIsolation: { nodeSelector, ...extra } });
  test.each([
    ['key with "=" and ","', sel({ 'a=b,c': 'x' }), /props\.nodeIsolation\.nodeSelector="a=b,c" violates metadata-valid: has a key that is not a label key/],
    ['value with "," and "="', sel({ a: 'b,c=d' }), /props\.nodeIsolation\.nodeSelector\["a"\]="b,c=d" violates metadata-valid: is not a label value/],
    ['empty key', sel({ '': 'x' }), /nodeSelector="" violates/],
    ['key starting with "-"', sel({ '-pool': 'x' }), /nodeSelector="-pool" violates/],
    ['key ending with "."', sel({ 'pool.': 'x' }), /nodeSelector="pool\." violates/],
    ['key name of 64 characters', sel({ ['k'.repeat(64)]: 'x' }), /has a key that is not a label key/],
    ['upper-case prefix', sel({ 'Example.com/pool': 'x' }), /nodeSelector="Example\.com\/pool" violates/],
    ['empty name after prefix', sel({ 'example.com/': 'x' }), /has a key that is not a label key/],
    ['two slashes', sel({ 'a/b/c': 'x' }), /has a key that is not a label key/],
    ['prefix of 257 characters', sel({ [`${'a'.repeat(63)}.`.repeat(4) + 'b/pool']: 'x' }), /has a key that is not a label key/],
    ['value with a space', sel({ pool: 'pay ments' }), /nodeSelector\["pool"\]="pay ments" violates/],
    ['value of 64 characters', sel({ pool: 'v'.repeat(64) }), /is not a label value/],
    ['value ending with "_"', sel({ pool: 'payments_' }), /is not a label value/],
    ['number value', sel({ pool: 1 }), /nodeSelector\["pool"\]=1 violates/],
    ['empty selector', sel({}), /props\.nodeIsolation\.nodeSelector=\{\} violates namespace-psa-enforce: is empty/],
    ['missing selector', { nodeIsolation: {} }, /props\.nodeIsolation\.nodeSelector=<unset> violates/],
    ['selector as a string', sel('pool=payments'), /props\.nodeIsolation\.nodeSelector="pool=payments" violates/],
    ['taint key with a space', sel({ pool: 'p' }, { taintKey: 'x y' }), /props\.nodeIsolation\.taintKey="x y" violates metadata-valid: is not a label key/],
    ['empty taint key', sel({ pool: 'p' }, { taintKey: '' }), /props\.nodeIsolation\.taintKey="" violates/],
    ['taint key with "="', sel({ pool: 'p' }, { taintKey: 'dedicated=true' }), /taintKey="dedicated=true" violates/],
    ['taint value with a quote', sel({ pool: 'p' }, { taintKey: 'k', taintValue: 'a"b' }), /props\.nodeIsolation\.taintValue=.* violates metadata-valid: is not a label value/],
    ['taint value with ","', sel({ pool: 'p' }, { taintKey: 'k', taintValue: 'a,b' }), /taintValue="a,b" violates/],
    ['taint value without taint key', sel({ pool: 'p' }, { taintValue: 'payments' }), /props\.nodeIsolation\.taintValue="payments" violates namespace-psa-enforce: is set without taintKey/],
  ] as [string, any, RegExp][])('rejects %s', (_, props, expected) => {
    expect(constructError(props).message).toMatch(expected);
  });

  test('accepts prefixed keys, 63-character names and empty values', () => {
    const nodeSelector = { 'example.com/node-pool': 'payments', 'node.kubernetes.io/instance-type': 'm5.large', 'Pool_1': '', ['k'.repeat(63)]: 'v'.repeat(63) };
    const objects = synthNamespace({ nodeIsolation: { nodeSelector, taintKey: 'example.com/dedicated', taintValue: '' } });
    expect(find(objects, 'Namespace')[0].metadata.annotations).toEqual({
      'scheduler.alpha.kubernetes.io/node-selector': `example.com/node-pool=payments,node.kubernetes.io/instance-type=m5.large,Pool_1=,${'k'.repeat(63)}=${'v'.repeat(63)}`,
      'scheduler.alpha.kubernetes.io/defaultTolerations': '[{"key":"example.com/dedicated","operator":"Equal","value":"","effect":"NoSchedule"}]',
    });
  });
});

describe('IsolatedNamespace props from JavaScript: HardeningError, never TypeError', () => {
  test.each([
    ['group that is not a string', { tenantGroups: [1] }, /props\.tenantGroups=\[1\] violates rbac-escalation: must be a list of strings/],
    ['groups as a string', { tenantGroups: 'team' }, /props\.tenantGroups="team" violates rbac-escalation/],
    ['secrets as a string', { tenantGroups: ['team'], readableSecrets: 'db' }, /props\.readableSecrets="db" violates rbac-secrets-access/],
    ['secret name with "..", not a DNS subdomain', { tenantGroups: ['team'], readableSecrets: ['a..b'] }, /props\.readableSecrets\[0\]="a\.\.b" violates rbac-secrets-access/],
    ['peers as a string', { allowFromNamespaces: 'monitoring' }, /props\.allowFromNamespaces="monitoring" violates namespace-default-deny/],
    ['name that is not a string', { name: 42 }, /props\.name=42 violates metadata-valid/],
    ['empty name', { name: '' }, /props\.name="" violates metadata-valid/],
    ['version that is not a string', { podSecurityVersion: ['v1.28'] }, /props\.podSecurityVersion=\["v1\.28"\] violates namespace-psa-enforce/],
  ] as [string, any, RegExp][])('rejects %s', (_, props, expected) => {
    expect(constructError(props).message).toMatch(expected);
  });
});

describe('IsolatedNamespace mesh mTLS STRICT (Istio sidecar mode)', () => {
  const ISTIOD_EGRESS = {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ protocol: 'TCP', port: 15012 }],
    }],
  };

  test('labels the namespace for injection (default revision) and allows egress to istiod on 15012 only', () => {
    const objects = synthNamespace({ meshMtlsStrict: true });
    const ns = find(objects, 'Namespace')[0];
    expect(ns.metadata.labels['istio-injection']).toBe('enabled');
    expect(ns.metadata.labels['istio.io/rev']).toBeUndefined();
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(find(objects, 'NetworkPolicy', 'allow-istiod-egress')[0]).toMatchObject({ metadata: { namespace: 'payments' }, spec: ISTIOD_EGRESS });
    expect(find(objects, 'NetworkPolicy', 'default-deny')[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'PeerAuthentication')[0]).toMatchObject({ metadata: { name: 'default', namespace: 'payments' }, spec: { mtls: { mode: 'STRICT' } } });
  });

  test('nothing is written into istio-system or kube-system', () => {
    for (const o of synthNamespace({ meshMtlsStrict: true, meshRevision: 'canary' })) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('payments');
    }
  });

  test('meshRevision: istio.io/rev instead of istio-injection (which would take precedence)', () => {
    const objects = synthNamespace({ meshMtlsStrict: true, meshRevision: '1-20-1' });
    const labels = find(objects, 'Namespace')[0].metadata.labels;
    expect(labels['istio.io/rev']).toBe('1-20-1');
    expect(labels['istio-injection']).toBeUndefined();
    // istiod of any revision: a revision tag on the namespace need not match the istiod pods' istio.io/rev label.
    expect(find(objects, 'NetworkPolicy', 'allow-istiod-egress')[0].spec).toEqual(ISTIOD_EGRESS);
  });

  test('without meshMtlsStrict: no injection label, no istiod egress, no PeerAuthentication', () => {
    const objects = synthNamespace({ meshMtlsStrict: false });
    expect(Object.keys(find(objects, 'Namespace')[0].metadata.labels).filter(k => k.includes('istio'))).toEqual([]);
    expect(find(objects, 'NetworkPolicy', 'allow-istiod-egress')).toEqual([]);
    expect(find(objects, 'PeerAuthentication')).toEqual([]);
  });

  test('a HardenedDeployment in a meshed namespace synthesizes clean (pod-level RuntimeDefault seccomp for injected containers)', () => {
    const chart = new HardenedChart(new App(), 'tenants');
    const ns = new IsolatedNamespace(chart, 'payments', { meshMtlsStrict: true });
    new HardenedDeployment(chart, 'api', {
      namespace: ns.name, image: 'registry.example.com/api@sha256:' + 'b'.repeat(64), port: 8080,
      resources: { cpuRequest: '100m', memoryRequest: '128Mi' },
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(find(objects, 'Deployment')[0].spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test.each([
    ['revision without meshMtlsStrict', { meshRevision: 'canary' }, /props\.meshRevision="canary" violates metadata-valid: is set without meshMtlsStrict/],
    ['revision with meshMtlsStrict false', { meshMtlsStrict: false, meshRevision: 'canary' }, /props\.meshRevision="canary" violates metadata-valid: is set without meshMtlsStrict/],
    ['empty revision', { meshMtlsStrict: true, meshRevision: '' }, /props\.meshRevision="" violates metadata-valid: is not a non-empty label value/],
    ['revision with "/"', { meshMtlsStrict: true, meshRevision: 'a/b' }, /props\.meshRevision="a\/b" violates metadata-valid/],
    ['revision of 64 characters', { meshMtlsStrict: true, meshRevision: 'r'.repeat(64) }, /is not a non-empty label value/],
    ['revision that is not a string', { meshMtlsStrict: true, meshRevision: 1 }, /props\.meshRevision=1 violates metadata-valid/],
  ] as [string, any, RegExp][])('rejects %s', (_, props, expected) => {
    expect(constructError(props).message).toMatch(expected);
  });
});

describe('IsolatedNamespace allowFromNamespacesPorts', () => {
  test('default: the peer namespaces reach every port (no ports in the rule)', () => {
    const rule = find(synthNamespace({ allowFromNamespaces: ['monitoring'] }), 'NetworkPolicy', 'allow-from-peer-namespaces')[0].spec.ingress[0];
    expect(rule).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] });
  });

  test('narrows the peer allowance to the listed TCP ports (duplicates once)', () => {
    const objects = synthNamespace({ allowFromNamespaces: ['ingress-nginx', 'monitoring'], allowFromNamespacesPorts: [8080, 9090, 8080] });
    expect(find(objects, 'NetworkPolicy', 'allow-from-peer-namespaces')[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }],
      }],
    });
  });

  test.each([
    ['ports without peers', { allowFromNamespacesPorts: [8080] }, /props\.allowFromNamespacesPorts=\[8080\] violates namespace-default-deny: is set without allowFromNamespaces/],
    ['empty list (would admit every port)', { allowFromNamespaces: ['m'], allowFromNamespacesPorts: [] }, /props\.allowFromNamespacesPorts=\[\] violates namespace-default-deny: must be a non-empty list/],
    ['a number instead of a list', { allowFromNamespaces: ['m'], allowFromNamespacesPorts: 8080 }, /props\.allowFromNamespacesPorts=8080 violates namespace-default-deny/],
    ['port 0', { allowFromNamespaces: ['m'], allowFromNamespacesPorts: [0] }, /props\.allowFromNamespacesPorts\[0\]=0 violates namespace-default-deny: is not a port number/],
    ['port 65536', { allowFromNamespaces: ['m'], allowFromNamespacesPorts: [80, 65536] }, /props\.allowFromNamespacesPorts\[1\]=65536 violates/],
    ['fractional port', { allowFromNamespaces: ['m'], allowFromNamespacesPorts: [80.5] }, /allowFromNamespacesPorts\[0\]=80\.5 violates/],
    ['port as a string', { allowFromNamespaces: ['m'], allowFromNamespacesPorts: ['8080'] }, /allowFromNamespacesPorts\[0\]="8080" violates/],
  ] as [string, any, RegExp][])('rejects %s', (_, props, expected) => {
    expect(constructError(props).message).toMatch(expected);
  });
});
