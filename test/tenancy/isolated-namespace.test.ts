import { ApiObject, App, Chart } from 'cdk8s';
import { Guard, HardenedChart, HardenedDeployment, HardeningProfile, IsolatedNamespace, Waiver } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { daysFromNow, synth, synthError } from '../util/synth';

const find = (objects: any[], kind: string, name?: string) =>
  objects.filter(o => o.kind === kind && (name === undefined || o.metadata.name === name));

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

  test('PSA enforce/audit/warn = restricted, pinned to the profile version v1.28', () => {
    const ns = find(objects, 'Namespace')[0];
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.28');
    }
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.annotations).toBeUndefined();
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
    expect(() => new IsolatedNamespace(new Chart(new App(), 'c'), 'payments', props)).toThrow(expected);
  });
});
