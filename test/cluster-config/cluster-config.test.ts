import { ApiObject, App, Chart } from 'cdk8s';
import { ApiServerEncryptionConfig, Catalogue, Guard, HardenedKubeadmConfig, HardenedKubeletConfiguration, TlsMinimumVersion } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { synth, synthError } from '../util/synth';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const settings = { allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
const NODE_RULES = Catalogue.all().filter(r => r.id.startsWith('kubelet-') || r.id.startsWith('kubeadm-'));
const judgeAll = (objects: any[]) => evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: NODE_RULES, settings, today: '2026-01-01' });
const flags = (list: { name: string; value: string }[]) => Object.fromEntries(list.map(a => [a.name, a.value]));

describe('HardenedKubeletConfiguration', () => {
  const chart = new Chart(new App(), 'node');
  new HardenedKubeletConfiguration(chart, 'kubelet'); // puts its chart under the guard
  const [cfg] = synth(chart);

  test('documented defaults in the output; no metadata; every kubelet rule passes', () => {
    expect(cfg.metadata).toBeUndefined();
    expect(cfg.authentication).toEqual({ anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } });
    expect(cfg.authorization).toEqual({ mode: 'Webhook' });
    expect(cfg).toMatchObject({ readOnlyPort: 0, protectKernelDefaults: true, rotateCertificates: true, serverTLSBootstrap: true, seccompDefault: true,
      podPidsLimit: 4096, eventRecordQPS: 50, streamingConnectionIdleTimeout: '5m', tlsMinVersion: 'VersionTLS12' });
    expect(cfg.tlsCipherSuites.every((s: string) => s.startsWith('TLS_ECDHE_') && /GCM|CHACHA20/.test(s))).toBe(true);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(judgeAll([cfg])).toEqual([]);
  });

  test('its chart is guarded: a raw insecure KubeletConfiguration next to it fails synth', () => {
    const c = new Chart(new App(), 'n');
    new HardenedKubeletConfiguration(c, 'k');
    new ApiObject(c, 'raw', { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', readOnlyPort: 10255 } as any);
    expect(synthError(c)).toMatch(/kubelet-read-only-port/);
  });

  test('TLS 1.3 leaves the suites to Go', () => {
    const c = new Chart(new App(), 'n');
    new HardenedKubeletConfiguration(c, 'k', { tlsMinVersion: TlsMinimumVersion.TLS_1_3 });
    const [o] = synth(c);
    expect(o.tlsMinVersion).toBe('VersionTLS13');
    expect(o.tlsCipherSuites).toBeUndefined();
  });

  test.each([
    [{ podPidsLimit: -1 }, /props\.podPidsLimit.*violates kubelet-limits.*podPidsLimit is -1/s],
    [{ eventRecordQps: 0 }, /violates kubelet-limits.*eventRecordQPS is 0: event creation is unlimited/s],
    [{ streamingConnectionIdleTimeout: '0s' }, /violates kubelet-limits.*never time out/s],
    [{ clientCaFile: 'ca.crt' }, /props\.clientCaFile.*kubelet-authentication.*absolute file path/s],
  ])('%j is refused naming the rule', (props, message) => {
    expect(() => new HardenedKubeletConfiguration(new Chart(new App(), 'n'), 'k', props as any)).toThrow(message);
  });

  test('the sysctls protectKernelDefaults needs are published', () => {
    expect(HardenedKubeletConfiguration.REQUIRED_SYSCTLS).toContain('vm.overcommit_memory = 1');
    expect(HardenedKubeletConfiguration.REQUIRED_SYSCTLS).toContain('kernel.keys.root_maxbytes = 25000000');
  });
});

describe('HardenedKubeadmConfig', () => {
  const app = new App();
  const enc = new ApiServerEncryptionConfig(app, 'enc', { keyArn: KEY, region: 'eu-west-1' });
  const kubeadm = new HardenedKubeadmConfig(app, 'kubeadm', { kubernetesVersion: 'v1.36.0', encryptionConfig: enc });
  const objects = synth(kubeadm);
  const byKind = (k: string) => objects.find(o => o.kind === k);
  const cc = byKind('ClusterConfiguration');
  const api = flags(cc.apiServer.extraArgs);

  test('emits ClusterConfiguration, InitConfiguration, KubeletConfiguration, AuthenticationConfiguration without metadata', () => {
    expect(objects.map(o => `${o.apiVersion}/${o.kind}`)).toEqual([
      'kubeadm.k8s.io/v1beta4/ClusterConfiguration', 'kubeadm.k8s.io/v1beta4/InitConfiguration',
      'kubelet.config.k8s.io/v1beta1/KubeletConfiguration', 'apiserver.config.k8s.io/v1beta1/AuthenticationConfiguration',
    ]);
    expect(objects.every(o => o.metadata === undefined)).toBe(true);
    expect(cc.kubernetesVersion).toBe('v1.36.0');
  });

  test('zero findings from the guard and from every node rule; apiserver-audit-logging passes too', () => {
    expect(Guard.of(kubeadm).findings()).toEqual([]);
    expect(judgeAll(objects)).toEqual([]);
  });

  test('CIS flags of the API server, controller manager and scheduler', () => {
    expect(api).toMatchObject({
      'authentication-config': '/etc/kubernetes/authn/authentication-config.yaml', 'authorization-mode': 'Node,RBAC', 'enable-admission-plugins': 'NodeRestriction',
      'profiling': 'false', 'tls-min-version': 'VersionTLS12', 'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
      'encryption-provider-config': '/etc/kubernetes/encryption/encryption-config.yaml', 'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
      'audit-log-maxage': '30', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100',
    });
    expect(api['anonymous-auth']).toBeUndefined(); // the AuthenticationConfiguration configures anonymous: both would stop the API server
    for (const c of ['controllerManager', 'scheduler']) expect(flags(cc[c].extraArgs)).toMatchObject({ 'profiling': 'false', 'bind-address': '127.0.0.1', 'tls-min-version': 'VersionTLS12' });
    expect(cc.etcd).toBeUndefined(); // kubeadm's local etcd: TLS and client-cert auth for clients and peers
  });

  test('the files it names are mounted read-only, logs and the KMS socket read-write', () => {
    const vols = Object.fromEntries(cc.apiServer.extraVolumes.map((v: any) => [v.name, v]));
    expect(Object.keys(vols)).toEqual(['authn-config', 'encryption-config', 'kms-socket', 'audit-policy', 'audit-logs']);
    for (const n of ['authn-config', 'encryption-config', 'audit-policy']) expect(vols[n]).toMatchObject({ readOnly: true, pathType: 'File' });
    expect(vols['kms-socket']).toMatchObject({ hostPath: '/var/run/kmsplugin', readOnly: false });
  });

  test('anonymous requests reach only health checks and (default) kubeadm token discovery', () => {
    expect(byKind('AuthenticationConfiguration').anonymous).toEqual({ enabled: true, conditions: [
      { path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }, { path: '/api/v1/namespaces/kube-public/configmaps/cluster-info' }] });
    const [, , , authn] = synth(new HardenedKubeadmConfig(new App(), 'k', { kubernetesVersion: 'v1.33.2', encryptionProviderConfigFile: '/etc/kubernetes/enc/config.yaml', allowTokenDiscovery: false }));
    expect(authn.anonymous.conditions.map((c: any) => c.path)).toEqual(['/livez', '/readyz', '/healthz']);
  });

  test.each([
    [{ kubernetesVersion: 'v1.31.4', encryptionProviderConfigFile: '/e.yaml' }, /props\.kubernetesVersion="v1\.31\.4" violates kubeadm-apiserver-anonymous-auth: is older than 1\.32/],
    [{ kubernetesVersion: 'latest', encryptionProviderConfigFile: '/e.yaml' }, /violates kubeadm-apiserver-anonymous-auth: is not a Kubernetes release version/],
    [{ kubernetesVersion: 'v1.36.0' }, /props\.encryptionConfig.*violates kubeadm-encryption-at-rest/s],
    [{ kubernetesVersion: 'v1.36.0', encryptionProviderConfigFile: 'enc.yaml' }, /props\.encryptionProviderConfigFile="enc\.yaml" violates kubeadm-encryption-at-rest/],
    [{ kubernetesVersion: 'v1.36.0', encryptionProviderConfigFile: '/e.yaml', audit: { maxAge: 7 } }, /options\.maxAge=7 violates apiserver-audit-logging/],
  ])('%j is refused naming the rule', (props, message) => {
    expect(() => new HardenedKubeadmConfig(new App(), 'k', props as any)).toThrow(message);
  });

  test('`check` on the written file sees zero findings (kubeadm ignores the AuthenticationConfiguration document)', () => {
    const written = synth(new HardenedKubeadmConfig(new App(), 'k', { kubernetesVersion: 'v1.36.0', encryptionProviderConfigFile: '/etc/kubernetes/enc/config.yaml', tlsMinVersion: TlsMinimumVersion.TLS_1_3 }));
    expect(judgeAll(written)).toEqual([]);
    expect(flags(written[0].apiServer.extraArgs)['tls-cipher-suites']).toBeUndefined();
  });
});
