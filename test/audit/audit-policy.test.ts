import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { App, Chart, JsonPatch } from 'cdk8s';
import { AuditLevel, AuditPolicy, AuditStage, Guard, KubeadmAuditConfig } from '../../lib';
import { evaluatePolicy, parseAuditPolicy, RequestAttributes } from '../../lib/semantics/audit';
import { synth, synthError } from '../util/synth';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'audit.k8s.io-v1-policy.schema.json'), 'utf-8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

/**
 * The level kube-apiserver assigns to a request under the synthesized policy: lib/semantics/audit, a port of
 * k8s.io/apiserver pkg/audit/policy/checker.go (tested against a naive reference in test/policy/audit-eval*.test.ts).
 */
function levelFor(policy: any, req: {
  user?: string; groups?: string[]; verb: string; group?: string; resource?: string; subresource?: string; namespace?: string; path?: string; name?: string;
}): string {
  const parsed = parseAuditPolicy(policy);
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.errors));
  const common = { user: req.user ?? 'alice', groups: req.groups ?? [], verb: req.verb };
  const attrs: RequestAttributes = req.path !== undefined
    ? { kind: 'nonResource', ...common, path: req.path }
    : { kind: 'resource', ...common, namespace: req.namespace ?? '', apiGroup: req.group ?? '', resource: req.resource!, subresource: req.subresource ?? '', name: req.name ?? '' };
  return evaluatePolicy(parsed.policy, attrs).level;
}

describe('AuditPolicy defaults', () => {
  const app = new App();
  const chart = new AuditPolicy(app, 'audit-policy');
  const [policy] = synth(chart);

  test('is a valid audit.k8s.io/v1 Policy without metadata, as its own chart, guard-clean', () => {
    expect(validate(policy)).toBe(true);
    expect(policy.metadata).toBeUndefined();
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(synth(chart)).toHaveLength(1);
  });

  test('omitStages RequestReceived and managed fields omitted', () => {
    expect(policy.omitStages).toEqual(['RequestReceived']);
    expect(policy.omitManagedFields).toBe(true);
  });

  test.each([
    ['secrets get by a user', { user: 'alice', verb: 'get', resource: 'secrets', namespace: 'shop' }, 'Metadata'],
    ['secrets create by a user', { user: 'alice', verb: 'create', resource: 'secrets', namespace: 'shop' }, 'Metadata'],
    ['configmaps update', { user: 'ci', verb: 'update', resource: 'configmaps', namespace: 'shop' }, 'Metadata'],
    ['tokenreviews', { user: 'system:kube-apiserver', verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' }, 'Metadata'],
    ['serviceaccounts/token', { user: 'system:node:n1', verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'shop' }, 'Metadata'],
    ['clusterrolebinding create', { user: 'alice', verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }, 'RequestResponse'],
    ['role patch', { user: 'alice', verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'shop' }, 'RequestResponse'],
    ['pods/exec', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop' }, 'RequestResponse'],
    ['pods/attach', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'attach', namespace: 'shop' }, 'RequestResponse'],
    ['pods/portforward', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'portforward', namespace: 'shop' }, 'RequestResponse'],
    ['deployment update', { user: 'ci', verb: 'update', group: 'apps', resource: 'deployments', namespace: 'shop' }, 'Request'],
    ['pod list', { user: 'alice', verb: 'list', resource: 'pods', namespace: 'shop' }, 'Metadata'],
    ['healthz', { user: 'system:anonymous', verb: 'get', path: '/healthz' }, 'None'],
    ['readyz detail', { user: 'system:anonymous', verb: 'get', path: '/readyz/etcd' }, 'None'],
    ['kube-proxy watch endpointslices', { user: 'system:kube-proxy', verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' }, 'None'],
    ['kubeadm kube-proxy (ServiceAccount) watch endpointslices', { user: 'system:serviceaccount:kube-system:kube-proxy', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'], verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' }, 'None'],
    ['kubeadm kube-proxy (ServiceAccount) watch services', { user: 'system:serviceaccount:kube-system:kube-proxy', verb: 'watch', resource: 'services' }, 'None'],
    ['kube-proxy ServiceAccount reading secrets is still logged', { user: 'system:serviceaccount:kube-system:kube-proxy', verb: 'get', resource: 'secrets', namespace: 'kube-system' }, 'Metadata'],
    ['another kube-system ServiceAccount watching endpointslices is still logged', { user: 'system:serviceaccount:kube-system:coredns', verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' }, 'Metadata'],
    ['node lease renewal (update)', { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'], verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, 'None'],
    ['node lease read (get)', { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'], verb: 'get', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, 'None'],
    ['node lease created by a node (registration)', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, 'Request'],
    ['node lease deleted by a node', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'delete', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, 'Request'],
    ['node lease updated by a non-node', { user: 'alice', groups: ['system:authenticated'], verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, 'Request'],
    ['a lease in another namespace updated by a node', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'shop' }, 'Request'],
    ['a node updating something else in kube-node-lease', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'update', resource: 'configmaps', namespace: 'kube-node-lease' }, 'Metadata'],
    ['node status get', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'get', resource: 'nodes' }, 'None'],
    ['leader election lease', { user: 'system:kube-scheduler', verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system' }, 'None'],
    ['events', { user: 'system:node:n1', verb: 'create', resource: 'events', namespace: 'shop' }, 'None'],
    ['a new CRD read', { user: 'alice', verb: 'get', group: 'example.com', resource: 'widgets', namespace: 'shop' }, 'Metadata'],
  ] as [string, any, string][])('%s -> %s', (_, req, level) => {
    expect(levelFor(policy, req)).toBe(level);
  });

  test('no rule before the Secret shield matches secret-bearing resources, and the shield precedes every body-logging rule', () => {
    const shield = policy.rules.findIndex((r: any) => JSON.stringify(r.resources ?? []).includes('"secrets"'));
    expect(shield).toBeGreaterThan(0);
    expect(policy.rules[shield].level).toBe('Metadata');
    for (const r of policy.rules.slice(0, shield)) {
      expect(r.level).toBe('None');
      // Every such rule names its resources, or only non-resource URLs (which never match resource requests).
      expect(r.resources !== undefined || r.nonResourceURLs !== undefined).toBe(true);
      const names = (r.resources ?? []).flatMap((g: any) => g.resources ?? ['*']);
      expect(names.filter((n: string) => ['*', 'secrets', 'configmaps', 'serviceaccounts/token', 'tokenreviews'].includes(n))).toEqual([]);
    }
    const firstBody = policy.rules.findIndex((r: any) => r.level === 'Request' || r.level === 'RequestResponse');
    expect(shield).toBeLessThan(firstBody);
  });

  test('the node-lease rule is narrow: system:nodes, get/update, leases in kube-node-lease only', () => {
    const lease = policy.rules.filter((r: any) => (r.namespaces ?? []).includes('kube-node-lease'));
    expect(lease).toEqual([{ level: 'None', userGroups: ['system:nodes'], verbs: ['get', 'update'], namespaces: ['kube-node-lease'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] }]);
  });

  // The API server matches the policy with the original user and the request's own attributes (authentication ->
  // audit -> impersonation filters, kubernetes/kubernetes#120677): an impersonated request is an ordinary event with
  // `impersonatedUser` set, and no event ever has the verb `impersonate`.
  test('no rule relies on an `impersonate` verb (it never reaches the audit policy)', () => {
    expect(JSON.stringify(policy.rules)).not.toContain('impersonate');
  });

  test.each([
    // alice runs `kubectl --as system:kube-proxy get --watch endpoints`: matched as alice, not as the dropped system user.
    ['alice impersonating kube-proxy (watch endpoints)', { user: 'alice', groups: ['system:authenticated'], verb: 'watch', resource: 'endpoints', namespace: 'default' }, 'Metadata'],
    // alice runs `kubectl --as bob create rolebinding ...`: the RBAC rule applies to the request itself.
    ['alice impersonating bob (create rolebinding)', { user: 'alice', verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: 'shop' }, 'RequestResponse'],
    ['alice impersonating bob (get secrets)', { user: 'alice', verb: 'get', resource: 'secrets', namespace: 'shop' }, 'Metadata'],
  ] as [string, any, string][])('impersonated request, evaluated as the impersonator: %s -> %s', (_, req, level) => {
    expect(levelFor(policy, req)).toBe(level);
    expect(level).not.toBe('None');
  });

  test('apiServerFlags: log backend with CIS rotation defaults', () => {
    expect(chart.apiServerFlags()).toEqual([
      '--audit-policy-file=/etc/kubernetes/audit/policy.yaml',
      '--audit-log-path=/var/log/kubernetes/audit/audit.log',
      '--audit-log-format=json',
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=10',
      '--audit-log-maxsize=100',
    ]);
  });

  test('apiServerFlags: webhook backend with batching', () => {
    expect(chart.apiServerFlags({ webhookConfigFile: '/etc/kubernetes/audit/webhook.kubeconfig', webhookBatchMaxWait: '10s' })).toEqual(expect.arrayContaining([
      '--audit-webhook-config-file=/etc/kubernetes/audit/webhook.kubeconfig',
      '--audit-webhook-mode=batch',
      '--audit-webhook-batch-max-size=400',
      '--audit-webhook-batch-max-wait=10s',
      '--audit-webhook-initial-backoff=10s',
    ]));
  });
});

describe('AuditPolicy options', () => {
  test('additional rules are typed and placed after the secret shield', () => {
    const chart = new AuditPolicy(new App(), 'audit', {
      additionalRules: [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['*'] }], namespaces: ['payments'], omitStages: [AuditStage.RESPONSE_STARTED] }],
    });
    const [policy] = synth(chart);
    expect(validate(policy)).toBe(true);
    expect(levelFor(policy, { user: 'alice', verb: 'get', resource: 'secrets', namespace: 'payments' })).toBe('Metadata');
    expect(levelFor(policy, { user: 'alice', verb: 'get', resource: 'pods', namespace: 'payments' })).toBe('RequestResponse');
  });

  test('dropSystemNoise: false keeps health checks (at the catch-all level)', () => {
    const [policy] = synth(new AuditPolicy(new App(), 'audit', { dropSystemNoise: false, catchAllLevel: AuditLevel.REQUEST }));
    expect(levelFor(policy, { user: 'system:anonymous', verb: 'get', path: '/healthz' })).toBe('Request');
  });

  // The construct check IS the catalogue rule, run on the effective policy; the error names the prop that produced
  // the offending rule, the rule id and a request the policy would treat wrongly.
  test.each([
    ['catchAllLevel NONE', { catchAllLevel: AuditLevel.NONE }, 'props.catchAllLevel', 'audit-policy-catch-all'],
    ['writeLevel NONE', { writeLevel: AuditLevel.NONE }, 'props.writeLevel', 'audit-policy-writes-logged'],
    ['an additional None rule on a write verb', { additionalRules: [{ level: AuditLevel.NONE, verbs: ['update'] }] }, 'props.additionalRules[0]', 'audit-policy-writes-logged'],
    ['an additional None rule for every authenticated user', { additionalRules: [{ level: AuditLevel.METADATA, namespaces: ['shop'] }, { level: AuditLevel.NONE, userGroups: ['system:authenticated'] }] }, 'props.additionalRules[1]', 'audit-policy-writes-logged'],
    ['an additional None rule on group "" resources "*"', { additionalRules: [{ level: AuditLevel.NONE, resources: [{ group: '', resources: ['*'] }] }] }, 'props.additionalRules[0]', 'audit-policy-writes-logged'],
    ['an additional None rule on every group, `*/status`', { additionalRules: [{ level: AuditLevel.NONE, resources: [{ group: '*', resources: ['*/status'] }] }] }, 'props.additionalRules[0]', 'audit-policy-writes-logged'],
    ['an additional rule omitting ResponseComplete', { additionalRules: [{ level: AuditLevel.METADATA, omitStages: [AuditStage.RESPONSE_COMPLETE] }] }, 'props.additionalRules[0]', 'audit-policy-writes-logged'],
    ['an additional None rule for every read', { additionalRules: [{ level: AuditLevel.NONE, verbs: ['get', 'list', 'watch'] }] }, 'props.additionalRules[0]', 'audit-policy-catch-all'],
    ['an additional None rule for every URL', { additionalRules: [{ level: AuditLevel.NONE, nonResourceURLs: ['*'] }] }, 'props.additionalRules[0]', 'audit-policy-catch-all'],
    ['an additional rule with a level outside the enum (untyped callers)', { additionalRules: [{ level: 'Everything' }] }, 'props.additionalRules[0]', 'audit-policy-valid'],
    ['an additional rule with URLs and namespaces', { additionalRules: [{ level: AuditLevel.METADATA, namespaces: ['a'], nonResourceURLs: ['/metrics'] }] }, 'props.additionalRules[0]', 'audit-policy-valid'],
    ['an additional rule with an unknown group spelling', { additionalRules: [{ level: AuditLevel.METADATA, resources: [{ group: 'apps/v1' }] }] }, 'props.additionalRules[0]', 'audit-policy-valid'],
  ] as [string, any, string, string][])('construct-time error: %s', (_, props, field, ruleId) => {
    expect(() => new AuditPolicy(new App(), 'audit', props)).toThrow(new RegExp(`\\[audit\\] ${field.replace(/[[\]]/g, '\\$&')}=.* violates ${ruleId}: `));
  });

  test('a later mutation of the synthesized Policy (JsonPatch) is judged by the guard on the written bytes', () => {
    const chart = new AuditPolicy(new App(), 'audit');
    chart.policy.addJsonPatch(JsonPatch.add('/rules/0', { level: 'None', resources: [{ group: '', resources: ['*'] }] }));
    chart.policy.addJsonPatch(JsonPatch.add('/rules/0', { level: 'RequestResponse', resources: [{ group: '*', resources: ['secrets/*'] }] }));
    const ids = Guard.of(chart).findings().map(f => `${f.ruleId} ${f.path}`);
    expect(ids).toEqual(expect.arrayContaining(['audit-policy-secret-bodies rules[0]', 'audit-policy-writes-logged rules[1]']));
    expect(synthError(chart)).toMatch(/audit-policy-writes-logged/);
  });

  test('narrow additional None rules (named resources or users, reads only) are accepted', () => {
    expect(() => new AuditPolicy(new App(), 'audit', {
      additionalRules: [
        { level: AuditLevel.NONE, verbs: ['get', 'list', 'watch'], resources: [{ group: 'metrics.k8s.io' }] },
        { level: AuditLevel.NONE, users: ['system:serviceaccount:monitoring:prometheus'], verbs: ['get', 'list', 'watch'] },
        { level: AuditLevel.NONE, nonResourceURLs: ['/metrics'] },
        { level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['secrets/*'] }] },
      ],
    })).not.toThrow();
  });

  test('writes to events stay logged: deleting events (hiding what happened) is a write like any other', () => {
    const [policy] = synth(new AuditPolicy(new App(), 'audit'));
    expect(levelFor(policy, { user: 'alice', verb: 'delete', resource: 'events', namespace: 'shop' })).toBe('Request');
    expect(levelFor(policy, { user: 'alice', verb: 'deletecollection', group: 'events.k8s.io', resource: 'events', namespace: 'shop' })).toBe('Request');
    expect(levelFor(policy, { user: 'alice', verb: 'list', resource: 'events', namespace: 'shop' })).toBe('None');
  });

  test('the default write rule at RequestResponse still never logs Secret bodies (shield first)', () => {
    const [policy] = synth(new AuditPolicy(new App(), 'audit', { writeLevel: AuditLevel.REQUEST_RESPONSE }));
    expect(levelFor(policy, { user: 'alice', verb: 'update', resource: 'secrets', namespace: 'x' })).toBe('Metadata');
  });

  test('additional rules come after the shield: even broad RequestResponse rules cannot log Secret bodies', () => {
    expect(() => new AuditPolicy(new App(), 'ok', { additionalRules: [{ level: AuditLevel.REQUEST_RESPONSE }] })).not.toThrow();
    const [policy] = synth(new AuditPolicy(new App(), 'ok2', { additionalRules: [{ level: AuditLevel.REQUEST_RESPONSE, users: ['alice'] }] }));
    expect(levelFor(policy, { user: 'alice', verb: 'get', resource: 'secrets', namespace: 'x' })).toBe('Metadata');
  });

  test.each([
    ['flags with short retention', () => new AuditPolicy(new App(), 'a').apiServerFlags({ maxAge: 7 }), /options\.maxAge=7 violates apiserver-audit-logging/],
    ['relative policy path', () => new AuditPolicy(new App(), 'a').apiServerFlags({ policyFile: 'policy.yaml' }), /options\.policyFile="policy.yaml" violates apiserver-audit-logging/],
    ['bad duration', () => new AuditPolicy(new App(), 'a').apiServerFlags({ webhookConfigFile: '/w', webhookBatchMaxWait: 'soon' }), /violates apiserver-audit-logging/],
  ] as [string, () => void, RegExp][])('construct-time error: %s', (_, fn, expected) => {
    expect(fn).toThrow(expected);
  });
});

describe('KubeadmAuditConfig', () => {
  test('ClusterConfiguration with extraArgs and read-only policy / log volumes, as its own file', () => {
    const chart = new KubeadmAuditConfig(new App(), 'audit-kubeadm');
    const [cfg] = synth(chart);
    // No name: only the patch marker, so the control-plane rules judge the configuration it is merged into.
    expect(cfg.metadata).toEqual({ annotations: { 'hardened.cdk8s.io/kubeadm-patch': 'audit: merge apiServer into the cluster ClusterConfiguration' } });
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(cfg).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta3',
      kind: 'ClusterConfiguration',
      metadata: cfg.metadata,
      apiServer: {
        extraArgs: {
          'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
          'audit-log-path': '/var/log/kubernetes/audit/audit.log',
          'audit-log-format': 'json',
          'audit-log-maxage': '30',
          'audit-log-maxbackup': '10',
          'audit-log-maxsize': '100',
        },
        extraVolumes: [
          { name: 'audit-policy', hostPath: '/etc/kubernetes/audit/policy.yaml', mountPath: '/etc/kubernetes/audit/policy.yaml', readOnly: true, pathType: 'File' },
          { name: 'audit-logs', hostPath: '/var/log/kubernetes/audit', mountPath: '/var/log/kubernetes/audit', readOnly: false, pathType: 'DirectoryOrCreate' },
        ],
      },
    });
  });

  test('v1beta4 renders extraArgs as a name/value list; webhook config is mounted', () => {
    const [cfg] = synth(new KubeadmAuditConfig(new App(), 'k', { kubeadmApiVersion: 'kubeadm.k8s.io/v1beta4', webhookConfigFile: '/etc/kubernetes/audit/webhook.kubeconfig' }));
    expect(cfg.apiServer.extraArgs).toContainEqual({ name: 'audit-webhook-mode', value: 'batch' });
    expect(cfg.apiServer.extraVolumes.map((v: any) => v.name)).toEqual(['audit-policy', 'audit-logs', 'audit-webhook']);
  });

  test('short retention is rejected', () => {
    expect(() => new KubeadmAuditConfig(new Chart(new App(), 'x'), 'k', { maxBackup: 1 })).toThrow(/options\.maxBackup=1 violates apiserver-audit-logging/);
  });
});
