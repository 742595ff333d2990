import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AwsExternalSecret, AwsSecretStore, Guard } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth, synthError } from '../util/synth';

const ROLE = 'arn:aws:iam::111122223333:role/shop-secrets-reader';

function chartWithStore(chartNamespace: string | null = 'shop', props: Partial<ConstructorParameters<typeof AwsSecretStore>[2]> = {}) {
  const chart = new Chart(new App(), 'shop', { namespace: chartNamespace ?? undefined });
  const store = new AwsSecretStore(chart, 'store', { region: 'eu-west-1', roleArn: ROLE, serviceAccountName: 'shop-secrets-reader', ...props });
  return { chart, store };
}

describe('AwsSecretStore + AwsExternalSecret', () => {
  const { chart, store } = chartWithStore();
  const db = store.addExternalSecret('db', {
    remoteSecretName: 'shop/db',
    secretName: 'db-credentials',
    keys: [{ secretKey: 'username', property: 'username' }, { secretKey: 'password', property: 'password' }, { secretKey: 'raw' }],
  });
  const objects = synth(chart);
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);

  test('every object is valid against the k8s 1.28 schema and the External Secrets CRDs (v1)', () => {
    expect(objects.map(o => `${o.apiVersion}/${o.kind}`).sort()).toEqual([
      'external-secrets.io/v1/ExternalSecret', 'external-secrets.io/v1/SecretStore', 'v1/ServiceAccount',
    ]);
    expectValidObjects(objects);
  });

  test('dedicated reader ServiceAccount: IRSA role annotation, regional STS, no token automount', () => {
    expect(byKind('ServiceAccount')).toEqual([{
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'shop-secrets-reader',
        namespace: 'shop',
        annotations: { 'eks.amazonaws.com/role-arn': ROLE, 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
      },
      automountServiceAccountToken: false,
    }]);
    expect(store.reader).toEqual({ namespace: 'shop', serviceAccountName: 'shop-secrets-reader' });
  });

  test('namespaced SecretStore (never ClusterSecretStore) named after the ServiceAccount, jwt auth with that ServiceAccount', () => {
    expect(byKind('SecretStore')).toEqual([{
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'shop-secrets-reader', namespace: 'shop' },
      spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'shop-secrets-reader' } } } } } },
    }]);
    expect(byKind('ClusterSecretStore')).toEqual([]);
  });

  test('ExternalSecret: only the listed keys, 1h refresh, operator-owned target, retained when the remote secret goes', () => {
    expect(byKind('ExternalSecret')).toEqual([{
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db-credentials', namespace: 'shop' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: 'shop-secrets-reader' },
        target: { name: 'db-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: [
          { secretKey: 'username', remoteRef: { key: 'shop/db', property: 'username' } },
          { secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } },
          { secretKey: 'raw', remoteRef: { key: 'shop/db' } },
        ],
      },
    }]);
  });

  test('no Secret object and no value anywhere in the output', () => {
    expect(byKind('Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/stringData|"data":\{/);
  });

  test('the target Secret is exposed as kplus.ISecret for env or volumes', () => {
    expect(db.secret.name).toBe('db-credentials');
    expect(db.secretName).toBe('db-credentials');
    expect(db.namespace).toBe('shop');
    const env = kplus.EnvValue.fromSecretValue({ secret: db.secret, key: 'password' });
    expect(env.valueFrom).toEqual({ secretKeyRef: { name: 'db-credentials', key: 'password' } });
  });

  test('the chart is guarded', () => {
    expect(Guard.of(chart).findings()).toEqual([]);
  });
});

describe('options', () => {
  test('explicit namespace and store name, custom refresh interval', () => {
    const { chart, store } = chartWithStore(null, { namespace: 'payments', name: 'aws' });
    new AwsExternalSecret(chart, 'api', { store, remoteSecretName: 'payments/api', secretName: 'api', keys: [{ secretKey: 'token' }], refreshInterval: Duration.minutes(15) });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(objects.every(o => o.metadata.namespace === 'payments')).toBe(true);
    expect(objects.find(o => o.kind === 'SecretStore').metadata.name).toBe('aws');
    expect(objects.find(o => o.kind === 'ExternalSecret').spec).toMatchObject({ refreshInterval: '15m', secretStoreRef: { name: 'aws' } });
  });
});

describe('errors', () => {
  test('no namespace anywhere: rejected, the IAM trust pins one', () => {
    expect(() => chartWithStore(null)).toThrow(/^\[shop\/store\] props\.namespace=<unset>: .* Fix: set `namespace`/);
  });

  test.each([
    [{ roleArn: 'shop-secrets-reader' }, /props\.roleArn="shop-secrets-reader": is not an IAM role ARN/],
    [{ serviceAccountName: 'Reader' }, /props\.serviceAccountName="Reader" violates metadata-valid: is not a valid Kubernetes name/],
    [{ name: 'a_b' }, /props\.name="a_b"/],
  ])('store rejects %j', (props, pattern) => {
    expect(() => chartWithStore('shop', props as any)).toThrow(pattern);
  });

  test.each([
    [{ keys: [] }, /props\.keys=\[\]: lists no key/],
    [{ keys: [{ secretKey: 'a' }, { secretKey: 'a' }] }, /props\.keys\[1\]\.secretKey="a": is listed twice/],
    [{ keys: [{ secretKey: 'a b' }] }, /props\.keys\[0\]\.secretKey="a b"/],
    [{ refreshInterval: Duration.seconds(10) }, /props\.refreshInterval="10s": is shorter than one minute/],
    [{ secretName: 'DB' }, /props\.secretName="DB"/],
    [{ remoteSecretName: '' }, /props\.remoteSecretName="": is empty/],
  ])('external secret rejects %j', (props, pattern) => {
    const { store } = chartWithStore();
    expect(() => store.addExternalSecret('x', { remoteSecretName: 'shop/db', secretName: 'db', keys: [{ secretKey: 'k' }], ...(props as any) })).toThrow(pattern);
  });

  test('an ExternalSecret in another chart than its store is rejected', () => {
    const { store } = chartWithStore();
    const other = new Chart(new App(), 'other', { namespace: 'shop' });
    expect(() => new AwsExternalSecret(other, 'x', { store, remoteSecretName: 'shop/db', secretName: 'db', keys: [{ secretKey: 'k' }] }))
      .toThrow(/props\.store="shop\/store": the store is in another chart/);
  });

  test('an AWS CDK token in standalone YAML fails synthesis naming the prop, the rule and both fixes', () => {
    const { chart, store } = chartWithStore('shop', { roleArn: '${Token[TOKEN.77]}' });
    store.addExternalSecret('db', { remoteSecretName: '${Token[TOKEN.78]}', secretName: 'db', keys: [{ secretKey: 'k' }] });
    const msg = synthError(chart);
    expect(msg).toContain('[shop/store] props.roleArn="${Token[TOKEN.77]}" violates unresolved-token');
    expect(msg).toContain('[shop/store/db] props.remoteSecretName="${Token[TOKEN.78]}" violates unresolved-token');
    expect(msg).toContain('Guard.of(chart).allowCloudFormationTokens()');
    expect(msg).toContain('cluster.addCdk8sChart(id, chart)');
    expect(msg).not.toContain('[shop/store] [shop/store]');
  });

  test('Guard.of(chart).allowCloudFormationTokens() also lifts the construct-level token checks (before or after the constructs)', () => {
    const { chart, store } = chartWithStore('shop', { roleArn: '${Token[TOKEN.77]}' });
    store.addExternalSecret('db', { remoteSecretName: '${Token[TOKEN.78]}', secretName: 'db', keys: [{ secretKey: 'k' }] });
    expect(synthError(chart)).toContain('violates unresolved-token');
    Guard.of(chart).allowCloudFormationTokens();
    const objects = synth(chart);
    expect(objects.find(o => o.kind === 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('${Token[TOKEN.77]}');
  });

  test('a Secret with literal data next to the store fails synthesis (secret-literal-data) without echoing the value', () => {
    const { chart } = chartWithStore();
    new kplus.Secret(chart, 'leak', { stringData: { password: 'hunter2-do-not-print' } });
    const msg = synthError(chart);
    expect(msg).toContain('secret-literal-data');
    expect(msg).toContain('keys: password');
    expect(msg).not.toContain('hunter2-do-not-print');
  });
});
