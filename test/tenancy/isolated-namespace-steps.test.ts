/**
 * The steps of IsolatedNamespace (issue 31, point 4), each on its own: planIsolatedNamespace validates the props and
 * fills in the defaults without creating anything; renderIsolatedNamespace turns a plan into objects without judging
 * it; the constructor is exactly the one and then the other. resolveTenantApiFairness likewise for API fairness.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FlowControlApiVersion, HardeningProfile, IsolatedNamespace, IsolatedNamespaceProps } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { resolveTenantApiFairness } from '../../lib/tenancy/api-fairness';
import { IsolatedNamespacePlan, planIsolatedNamespace, renderIsolatedNamespace } from '../../lib/tenancy/isolated-namespace';

/** A scope inside a chart, and the profile an IsolatedNamespace there would resolve. */
function scopeIn(profile?: ConstructorParameters<typeof HardeningProfile>[2]) {
  const app = new App();
  if (profile) new HardeningProfile(app, 'profile', profile);
  const chart = new Chart(app, 'tenants');
  const scope = new Construct(chart, 'payments');
  return { chart, scope, profile: HardeningProfile.resolve(scope) };
}

function planError(props: IsolatedNamespaceProps): { error: HardeningError; children: number } {
  const { scope, profile } = scopeIn();
  try {
    planIsolatedNamespace(scope, 'payments', props, profile);
  } catch (e) {
    expect(e).toBeInstanceOf(HardeningError);
    return { error: e as HardeningError, children: scope.node.children.length };
  }
  throw new Error('expected planIsolatedNamespace to throw');
}

describe('planIsolatedNamespace (validate)', () => {
  test('the defaults, filled in; nothing created', () => {
    const { scope, profile } = scopeIn();
    const plan = planIsolatedNamespace(scope, 'Payments', {}, profile);
    expect(plan).toEqual({
      name: 'payments',
      podSecurityVersion: profile.podSecurityVersion,
      annotations: {},
      meshLabels: {},
      fairness: undefined,
      allowSameNamespace: false,
      peers: [],
      peerPorts: undefined,
      quota: {
        'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.memory': '32Gi', 'pods': '100', 'services': '20', 'services.loadbalancers': '0',
        'services.nodeports': '0', 'secrets': '50', 'configmaps': '50', 'persistentvolumeclaims': '10', 'requests.storage': '100Gi',
      },
      limits: { defaultCpuRequest: '100m', defaultMemoryRequest: '128Mi', defaultMemoryLimit: '256Mi', maxCpu: '4', maxMemory: '8Gi' },
      tenantGroups: [],
      tenantRules: [],
      ipPool: undefined,
      meshMtlsStrict: false,
    });
    expect(scope.node.children).toHaveLength(0);
  });

  test('normalizes: peer ports once each, the secret rule for readableSecrets, the IP pool on the isolated nodes, the mesh revision label', () => {
    const { scope, profile } = scopeIn();
    const plan = planIsolatedNamespace(scope, 'payments', {
      allowFromNamespaces: ['ingress'], allowFromNamespacesPorts: [8080, 8080, 9090], tenantGroups: ['devs'], readableSecrets: ['db'],
      ipPool: { cidr: '10.1.0.0/16' }, nodeIsolation: { nodeSelector: { pool: 'a' } }, meshMtlsStrict: true, meshRevision: 'stable',
    }, profile);
    expect(plan.peerPorts).toEqual([8080, 9090]);
    expect(plan.tenantRules[plan.tenantRules.length - 1]).toEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db'] });
    expect(plan.ipPool).toEqual({ cidr: '10.1.0.0/16', blockSize: 26, nodeSelector: 'pool == "a"' });
    expect(plan.annotations).toEqual({ 'cni.projectcalico.org/ipv4pools': '["payments-pool"]', 'scheduler.alpha.kubernetes.io/node-selector': 'pool=a' });
    expect(plan.meshLabels).toEqual({ 'istio.io/rev': 'stable' });
    expect(scope.node.children).toHaveLength(0);
  });

  test('a bad prop is a HardeningError naming the field, the value and the rule; nothing is created', () => {
    const { error, children } = planError({ allowFromNamespaces: ['Bad'] });
    expect(error.message).toMatch(/^\[tenants\/payments\] props\.allowFromNamespaces\[0\]="Bad" violates namespace-default-deny: is not a namespace name\./);
    expect(children).toBe(0);
  });

  test('several bad props: the first in the fixed order is reported (API fairness before peers before quota before RBAC)', () => {
    const bad = { apiFairness: { concurrencyShares: 0 }, allowFromNamespaces: ['Bad'], quota: { pods: -1 }, tenantGroups: ['system:masters'] };
    expect(planError(bad).error.field).toBe('props.apiFairness.concurrencyShares');
    expect(planError({ ...bad, apiFairness: undefined }).error.field).toBe('props.allowFromNamespaces[0]');
    expect(planError({ ...bad, apiFairness: undefined, allowFromNamespaces: undefined }).error.field).toBe('props.quota.pods');
    expect(planError({ tenantGroups: ['system:masters'] }).error.ruleId).toBe('rbac-escalation');
  });

  test('the profile\'s requireApiFairness and kubeVersion decide the fairness settings', () => {
    const { scope, profile } = scopeIn({ requireApiFairness: true, kubeVersion: '1.28' });
    expect(planIsolatedNamespace(scope, 'payments', {}, profile).fairness).toEqual({ apiVersion: FlowControlApiVersion.V1BETA3, shares: 10, borrowing: 0, precedence: 8000 });
  });
});

describe('renderIsolatedNamespace (render)', () => {
  const PLAN: IsolatedNamespacePlan = {
    name: 'shop', podSecurityVersion: 'v1.31', annotations: {}, meshLabels: { 'istio-injection': 'enabled' }, allowSameNamespace: false,
    peers: ['ingress'], peerPorts: [8443], quota: { pods: '7' }, tenantGroups: [], tenantRules: [],
    limits: { defaultCpuRequest: '10m', defaultMemoryRequest: '16Mi', defaultMemoryLimit: '32Mi', maxCpu: '1', maxMemory: '1Gi' }, meshMtlsStrict: true,
  };

  test('a plan becomes its objects, in a fixed order, exactly as planned', () => {
    const chart = new Chart(new App(), 'c');
    const rendered = renderIsolatedNamespace(new Construct(chart, 'shop'), PLAN);
    const objects = chart.toJson();
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns-egress', 'NetworkPolicy/allow-from-peer-namespaces', 'ResourceQuota/tenant-quota',
      'LimitRange/tenant-limits', 'ServiceAccount/default', 'PeerAuthentication/default', 'NetworkPolicy/allow-istiod-egress',
    ]);
    expect(objects[0].metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce-version': 'v1.31', 'istio-injection': 'enabled' });
    expect(objects[3].spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8443 }]);
    expect(objects[4].spec.hard).toEqual({ pods: '7' });
    expect(rendered.tenantRole).toBeUndefined();
    expect(rendered.namespace.toJson().metadata.name).toBe('shop');
  });

  test('the constructor is plan, then render: the same manifests', () => {
    const props: IsolatedNamespaceProps = { allowSameNamespace: true, tenantGroups: ['devs'], apiFairness: {}, ipPool: { cidr: '10.2.0.0/16' } };
    const byConstruct = new Chart(new App(), 'c');
    new IsolatedNamespace(byConstruct, 'payments', props);
    const { chart, scope, profile } = scopeIn();
    renderIsolatedNamespace(scope, planIsolatedNamespace(scope, 'payments', props, profile));
    expect(chart.toJson()).toEqual(byConstruct.toJson());
  });
});

describe('resolveTenantApiFairness (validate)', () => {
  test('defaults by Kubernetes version; a bad field is a HardeningError; nothing is created', () => {
    const { scope } = scopeIn();
    expect(resolveTenantApiFairness(scope, {})).toEqual({ apiVersion: FlowControlApiVersion.V1, shares: 10, borrowing: 0, precedence: 8000 });
    expect(resolveTenantApiFairness(scope, {}, '1.28').apiVersion).toBe(FlowControlApiVersion.V1BETA3);
    expect(() => resolveTenantApiFairness(scope, { borrowingLimitPercent: 101 })).toThrow(/props\.apiFairness\.borrowingLimitPercent=101 violates tenant-api-fairness/);
    expect(scope.node.children).toHaveLength(0);
  });
});
