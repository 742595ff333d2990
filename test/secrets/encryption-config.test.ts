import { ApiObject, App, Duration } from 'cdk8s';
import { ApiServerEncryptionConfig, Guard } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { synth, synthError } from '../util/synth';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function config(props: Partial<ConstructorParameters<typeof ApiServerEncryptionConfig>[2]> = {}) {
  return new ApiServerEncryptionConfig(new App(), 'encryption', { keyArn: KEY, region: 'eu-west-1', ...props });
}

describe('defaults', () => {
  const chart = config();
  const objects = synth(chart);

  test('one EncryptionConfiguration, no metadata: KMS v2 first for secrets only, unix socket, 3s timeout, no identity', () => {
    expect(objects).toEqual([{
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{
        resources: ['secrets'],
        providers: [{ kms: { apiVersion: 'v2', name: 'aws-encryption-provider', endpoint: 'unix:///var/run/kmsplugin/socket.sock', timeout: '3s' } }],
      }],
    }]);
  });

  test('the guard checks the chart and the rule passes', () => {
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('kube-apiserver and aws-encryption-provider settings match the file (default path, socket, health port)', () => {
    expect(chart.configPath).toBe('/etc/kubernetes/encryption/encryption-config.yaml');
    expect(chart.socketPath).toBe('/var/run/kmsplugin/socket.sock');
    expect(chart.apiServerArgs).toEqual([
      '--encryption-provider-config=/etc/kubernetes/encryption/encryption-config.yaml',
      '--encryption-provider-config-automatic-reload=true',
    ]);
    expect(chart.encryptionProviderArgs).toEqual([`--key=${KEY}`, '--region=eu-west-1', '--listen=/var/run/kmsplugin/socket.sock', '--health-port=:8083']);
  });

  test('setup guide names the file, both flag sets and the IAM permissions', () => {
    const guide = chart.renderSetupGuide();
    expect(guide).toContain('`encryption.k8s.yaml` to `/etc/kubernetes/encryption/encryption-config.yaml`');
    for (const a of [...chart.apiServerArgs, ...chart.encryptionProviderArgs]) expect(guide).toContain(a);
    expect(guide).toContain('Mount `/var/run/kmsplugin`');
    expect(guide).toContain('kms:Decrypt');
  });
});

describe('options', () => {
  test('migration mode puts identity after KMS (never first); configmaps optional; custom socket, timeout, name, port, path', () => {
    const chart = config({
      migrationMode: true,
      encryptConfigMaps: true,
      socketPath: '/run/kms/plugin.sock',
      timeout: Duration.millis(1500),
      providerName: 'aws-kms-shop',
      healthPort: 9443,
      configPath: '/etc/kubernetes/enc.yaml',
    });
    const [obj] = synth(chart);
    expect(obj.resources).toEqual([{
      resources: ['secrets', 'configmaps'],
      providers: [
        { kms: { apiVersion: 'v2', name: 'aws-kms-shop', endpoint: 'unix:///run/kms/plugin.sock', timeout: '1500ms' } },
        { identity: {} },
      ],
    }]);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(chart.encryptionProviderArgs).toContain('--listen=/run/kms/plugin.sock');
    expect(chart.encryptionProviderArgs).toContain('--health-port=:9443');
    expect(chart.apiServerArgs[0]).toBe('--encryption-provider-config=/etc/kubernetes/enc.yaml');
  });

  test('another object that breaks the rule in the same chart fails synthesis naming the rule', () => {
    const chart = config();
    new ApiObject(chart, 'legacy', {
      apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration',
      resources: [{ resources: ['secrets'], providers: [{ identity: {} }] }],
    } as any);
    const msg = synthError(chart);
    expect(msg).toContain('encryption-config-provider-order');
    expect(msg).toContain('the first provider for secrets is "identity"');
  });
});

describe('errors', () => {
  test('an AWS CDK token as key ARN is a HardeningError (unresolved-token): this file never goes through CloudFormation', () => {
    let err: any;
    try { config({ keyArn: '${Token[TOKEN.42]}' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(HardeningError);
    expect(err.ruleId).toBe('unresolved-token');
    expect(err.field).toBe('props.keyArn');
    expect(err.message).toMatch(/^\[encryption\] props\.keyArn="\$\{Token\[TOKEN\.42\]\}" violates unresolved-token: .*control-plane nodes.* Fix: pass the concrete value/);
  });

  test.each([
    [{ keyArn: 'arn:aws:kms:eu-west-1:111122223333:alias/shop' }, /props\.keyArn=.*alias ARN: re-pointing the alias/],
    [{ keyArn: 'not-an-arn' }, /props\.keyArn="not-an-arn": is not a KMS key ARN/],
    [{ region: 'us-east-1' }, /props\.region="us-east-1": differs from the key's region "eu-west-1"/],
    [{ socketPath: 'kms.sock' }, /props\.socketPath="kms.sock": is not an absolute path/],
    [{ timeout: Duration.minutes(2) }, /props\.timeout="120000ms": must be between/],
    [{ healthPort: 70000 }, /props\.healthPort=70000: is not a TCP port/],
    [{ configPath: 'enc.yaml' }, /props\.configPath="enc.yaml"/],
    [{ providerName: 'bad name' }, /props\.providerName="bad name"/],
  ])('rejects %j', (props, pattern) => {
    expect(() => config(props as any)).toThrow(pattern);
  });
});
