/**
 * Node and control-plane rules: each failing fixture fails for the reason its comment gives (path and message), the
 * kubelet defaults are the ones of the kubelet source, kubeadm's flag semantics (defaults, last-wins, list append, Go
 * booleans) hold, and an audit patch marker cannot hide a weak configuration.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Catalogue } from '../../lib';
import { CONFIG_KINDS } from '../../lib/cli/config-kinds';
import { validateObject } from '../../lib/cli/input';
import { readKubeYaml } from '../../lib/kube/kube-yaml';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { goBool, KUBELET_DEFAULTS } from '../../lib/policy/rules/node/config-util';
import { isAuditPatch, KUBEADM_PATCH_ANNOTATION } from '../../lib/policy/rules/node/kubeadm-util';
import { goDurationSeconds } from '../../lib/policy/rules/node/kubelet-limits';
import { cli } from '../cli/helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const settings = { allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
const judge = (id: string, objects: any[]) => evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(id)], settings, today: '2026-01-01' })
  .filter(f => f.ruleId === id);
/** Read as kubectl and the components read it (sigs.k8s.io/yaml: YAML 1.1 booleans such as `on`, `no`). */
const load = (id: string, f: string) => readKubeYaml(fs.readFileSync(path.join(FIXTURES, id, f), 'utf-8')) as any[];

test.each([
  ['kubelet-authentication', 'fail-anonymous.yaml', 'authentication.anonymous.enabled', /anonymous requests are enabled/],
  ['kubelet-authentication', 'fail-anonymous-yaml11.yaml', 'authentication.anonymous.enabled', /anonymous requests are enabled/],
  ['kubelet-authentication', 'fail-anonymous-string.yaml', 'authentication.anonymous.enabled', /not a boolean: the kubelet refuses/],
  ['kubelet-authentication', 'fail-webhook-off.yaml', 'authentication.webhook.enabled', /webhook token authentication is disabled/],
  ['kubelet-authentication', 'fail-no-client-ca.yaml', 'authentication', /clientCAFile is not set/],
  ['kubelet-authentication', 'fail-case-spelling.yaml', 'authentication.x509', /clientCAFile is not set/],
  ['kubelet-authorization', 'fail-always-allow.yaml', 'authorization.mode', /AlwaysAllow/],
  ['kubelet-authorization', 'fail-lowercase.yaml', 'authorization.mode', /accepts only Webhook or AlwaysAllow/],
  ['kubelet-read-only-port', 'fail-10255.yaml', 'readOnlyPort', /readOnlyPort is 10255/],
  ['kubelet-read-only-port', 'fail-string.yaml', 'readOnlyPort', /not a number/],
  ['kubelet-protect-kernel-defaults', 'fail-missing.yaml', 'protectKernelDefaults', /not set \(default false\)/],
  ['kubelet-protect-kernel-defaults', 'fail-yaml11-no.yaml', 'protectKernelDefaults', /is false/],
  ['kubelet-certificate-rotation', 'fail-no-serving-bootstrap.yaml', 'serverTLSBootstrap', /not set \(default false\)/],
  ['kubelet-certificate-rotation', 'fail-feature-gate-off.yaml', 'featureGates.RotateKubeletServerCertificate', /feature gate is off/],
  ['kubelet-tls', 'fail-tls10.yaml', 'tlsMinVersion', /below TLS 1\.2/],
  ['kubelet-tls', 'fail-cbc.yaml', 'tlsCipherSuites', /weak or unknown suites: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256/],
  ['kubelet-tls', 'fail-no-suites.yaml', 'tlsCipherSuites', /not set/],
  ['kubelet-limits', 'fail-missing.yaml', 'podPidsLimit', /not set \(default -1\)/],
  ['kubelet-limits', 'fail-event-qps-zero.yaml', 'eventRecordQPS', /unlimited/],
  ['kubelet-limits', 'fail-idle-zero.yaml', 'streamingConnectionIdleTimeout', /never time out/],
  ['kubeadm-apiserver-anonymous-auth', 'fail-default.yaml', 'apiServer.extraArgs', /not set \(kube-apiserver default true\)/],
  ['kubeadm-apiserver-anonymous-auth', 'fail-last-wins.yaml', 'apiServer.extraArgs[1]', /"True"/],
  ['kubeadm-apiserver-anonymous-auth', 'fail-authn-config-open.yaml', 'apiServer.extraArgs[0]', /every path \(no conditions\)/],
  ['kubeadm-apiserver-anonymous-auth', 'fail-authn-config-extra-path.yaml', 'apiServer.extraArgs[0]', /reach \/api\./],
  ['kubeadm-apiserver-authorization', 'fail-appended.yaml', 'apiServer.extraArgs[1]', /Node,RBAC,AlwaysAllow includes AlwaysAllow/],
  ['kubeadm-apiserver-authorization', 'fail-rbac-only.yaml', 'apiServer.extraArgs[0]', /does not include Node/],
  ['kubeadm-apiserver-authorization', 'fail-token-file.yaml', 'apiServer.extraArgs[0]', /static bearer tokens/],
  ['kubeadm-apiserver-admission', 'fail-replaced.yaml', 'apiServer.extraArgs[0]', /leaves out NodeRestriction/],
  ['kubeadm-apiserver-admission', 'fail-disabled.yaml', 'apiServer.extraArgs["disable-admission-plugins"]', /turns ServiceAccount off/],
  ['kubeadm-apiserver-admission', 'fail-always-admit.yaml', 'apiServer.extraArgs[0]', /AlwaysAdmit/],
  ['kubeadm-profiling', 'fail-scheduler.yaml', 'scheduler.extraArgs', /kube-scheduler profiling is not set/],
  ['kubeadm-apiserver-tls', 'fail-weak-suite.yaml', 'apiServer.extraArgs[1]', /TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA/],
  ['kubeadm-etcd-tls', 'fail-client-cert-auth.yaml', 'etcd.local.extraArgs[0]', /clients connect without a certificate/],
  ['kubeadm-etcd-tls', 'fail-auto-tls.yaml', 'etcd.local.extraArgs["peer-auto-tls"]', /self-signed/],
  ['kubeadm-etcd-tls', 'fail-http-listen.yaml', 'etcd.local.extraArgs["listen-client-urls"]', /plaintext http:\/\/10\.0\.0\.5:2379/],
  ['kubeadm-etcd-tls', 'fail-external-http.yaml', 'etcd.external.endpoints[0]', /not https/],
  ['kubeadm-etcd-tls', 'fail-apiserver-blank.yaml', 'apiServer.extraArgs[0]', /etcd-certfile is empty/],
  ['kubeadm-service-account', 'fail-lookup.yaml', 'apiServer.extraArgs[0]', /deleted service accounts/],
  ['kubeadm-service-account', 'fail-shared-credentials.yaml', 'controllerManager.extraArgs["use-service-account-credentials"]', /share/],
  ['kubeadm-encryption-at-rest', 'fail-default.yaml', 'apiServer.extraArgs', /clear text/],
  ['kubeadm-bind-localhost', 'fail-ipv6-any.yaml', 'scheduler.extraArgs["bind-address"]', /"::": not loopback/],
  ['kubeadm-kubelet-extra-args', 'fail-anonymous.yaml', 'nodeRegistration.kubeletExtraArgs[0]', /anonymous-auth="1"/],
  ['kubeadm-kubelet-extra-args', 'fail-read-only-port.yaml', 'nodeRegistration.kubeletExtraArgs["read-only-port"]', /read-only port 10255/],
])('%s %s fails at %s', (id, file, at, message) => {
  const findings = judge(id, load(id, file));
  const f = findings.find(x => x.path === at);
  if (!f) throw new Error(`no finding at ${at}: ${JSON.stringify(findings.map(x => [x.path, x.message]))}`);
  expect(f.message).toMatch(message);
});

test('kubelet defaults the rules assume are the kubelet source defaults (config file v1beta1)', () => {
  expect(KUBELET_DEFAULTS['authentication.anonymous.enabled']).toBe(false);
  expect(KUBELET_DEFAULTS['authentication.webhook.enabled']).toBe(true);
  expect(KUBELET_DEFAULTS['authorization.mode']).toBe('Webhook');
  expect(KUBELET_DEFAULTS.readOnlyPort).toBe(0);
  expect(KUBELET_DEFAULTS.podPidsLimit).toBe(-1);
  expect(KUBELET_DEFAULTS.eventRecordQPS).toBe(50);
  // An empty KubeletConfiguration passes exactly the rules whose defaults are safe.
  const empty = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' };
  const failing = Catalogue.all().filter(r => r.id.startsWith('kubelet-')).filter(r => judge(r.id, [empty]).length > 0).map(r => r.id);
  expect(failing).toEqual(['kubelet-authentication', 'kubelet-protect-kernel-defaults', 'kubelet-certificate-rotation', 'kubelet-tls', 'kubelet-seccomp-default', 'kubelet-limits']);
});

test('other KubeletConfiguration or ClusterConfiguration groups are not judged', () => {
  expect(judge('kubelet-read-only-port', [{ apiVersion: 'example.com/v1', kind: 'KubeletConfiguration', metadata: { name: 'x' }, readOnlyPort: 10255 }])).toEqual([]);
  expect(judge('kubeadm-profiling', [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'ClusterConfiguration', metadata: { name: 'x' } }])).toEqual([]);
});

test('Go booleans and durations as the components parse them', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(goBool(t)).toBe(true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(goBool(f)).toBe(false);
  for (const bad of ['yes', 'on', 'tRUE', '']) expect(goBool(bad)).toBeUndefined();
  expect(goDurationSeconds('4h0m0s')).toBe(14400);
  expect(goDurationSeconds('5m')).toBe(300);
  expect(goDurationSeconds('0s')).toBe(0);
  expect(goDurationSeconds('1.5h')).toBe(5400);
  expect(goDurationSeconds('5 m')).toBeUndefined();
});

describe('the audit patch marker', () => {
  const patch = (apiServer: any, extra: any = {}) => ({
    apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', metadata: { annotations: { [KUBEADM_PATCH_ANNOTATION]: 'audit' } }, apiServer, ...extra,
  });
  const audit = { extraArgs: [{ name: 'audit-policy-file', value: '/etc/kubernetes/audit/policy.yaml' }], extraVolumes: [{ name: 'audit-policy', hostPath: '/x', mountPath: '/x' }] };

  test('an audit-only patch is left to the configuration it is merged into', () => {
    expect(isAuditPatch(patch(audit))).toBe(true);
    expect(judge('kubeadm-profiling', [patch(audit)])).toEqual([]);
    expect(judge('kubeadm-apiserver-anonymous-auth', [patch(audit)])).toEqual([]);
  });

  test.each([
    ['a non-audit flag', patch({ extraArgs: [...audit.extraArgs, { name: 'anonymous-auth', value: 'true' }] })],
    ['a non-audit volume', patch({ ...audit, extraVolumes: [{ name: 'hostroot', hostPath: '/', mountPath: '/host' }] })],
    ['another section', patch(audit, { etcd: { local: { extraArgs: [{ name: 'client-cert-auth', value: 'false' }] } } })],
    ['another apiServer field', patch({ ...audit, certSANs: ['evil'] })],
  ])('a marked document with %s is judged as a whole configuration', (_, doc) => {
    expect(isAuditPatch(doc)).toBe(false);
    expect(judge('kubeadm-profiling', [doc]).length).toBeGreaterThan(0);
  });
});

describe('check reads the config kinds', () => {
  test('every registered config kind is accepted as input', () => {
    for (const [apiVersion, kinds] of Object.entries(CONFIG_KINDS)) {
      for (const kind of kinds) expect(() => validateObject({ apiVersion, kind }, 'f.yaml', 1, 'document 0')).not.toThrow();
    }
  });

  test('the issue\'s KubeletConfiguration fails `check` with the kubelet rules (exit 1)', async () => {
    const yaml = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n' +
      'authorization:\n  mode: AlwaysAllow\nreadOnlyPort: 10255\n';
    const r = await cli(['check', '-', '--format', 'json'], yaml);
    const ids = new Set(JSON.parse(r.out).findings.map((f: any) => f.ruleId));
    expect(r.code).toBe(1);
    for (const id of ['kubelet-authentication', 'kubelet-authorization', 'kubelet-read-only-port']) expect(ids.has(id)).toBe(true);
  }, 60000);
});
