import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { AwsSecretProviderClass, Guard, HardenedDeployment, WorkloadIdentityType } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth, synthError } from '../util/synth';
import { MINIMAL } from '../workload/helpers';

function chart(namespace: string | null = 'shop') {
  return new Chart(new App(), 'shop', { namespace: namespace ?? undefined });
}

describe('AwsSecretProviderClass', () => {
  test('a SecretProviderClass for AWS Secrets Manager, valid against the CRD; defaults: Pod Identity, whole-value file, name from id', () => {
    const c = chart();
    const spc = new AwsSecretProviderClass(c, 'Db-Secrets', { region: 'eu-west-1', secrets: [{ secretName: 'shop/db' }] });
    const objects = synth(c);
    expectValidObjects(objects);
    expect(objects).toHaveLength(1);
    const [obj] = objects;
    expect(obj).toMatchObject({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'db-secrets', namespace: 'shop' },
      spec: { provider: 'aws', parameters: { region: 'eu-west-1', usePodIdentity: 'true' } },
    });
    expect(obj.spec.secretObjects).toBeUndefined(); // never synced into a Kubernetes Secret (etcd)
    expect(YAML.parse(obj.spec.parameters.objects)).toEqual([{ objectName: 'shop/db', objectType: 'secretsmanager', objectAlias: 'shop_db' }]);
    expect(spc.fileNames).toEqual(['shop_db']);
  });

  test('JSON keys to their own files; IRSA leaves usePodIdentity out; explicit name and namespace', () => {
    const c = chart(null);
    const spc = new AwsSecretProviderClass(c, 'x', {
      region: 'us-east-1', namespace: 'payments', name: 'ledger-secrets', identity: WorkloadIdentityType.IRSA,
      secrets: [
        { secretName: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:payments/db-AbCdEf', fileName: 'db.json', keys: [{ key: 'password', fileName: 'db-password' }] },
        { secretName: 'payments/api-key' },
      ],
    });
    const [obj] = synth(c);
    expect(obj.metadata).toEqual({ name: 'ledger-secrets', namespace: 'payments' });
    expect(obj.spec.parameters.usePodIdentity).toBeUndefined();
    expect(YAML.parse(obj.spec.parameters.objects)).toEqual([
      { objectName: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:payments/db-AbCdEf', objectType: 'secretsmanager', objectAlias: 'db.json',
        jmesPath: [{ path: 'password', objectAlias: 'db-password' }] },
      { objectName: 'payments/api-key', objectType: 'secretsmanager', objectAlias: 'payments_api-key' },
    ]);
    expect(spc.fileNames).toEqual(['db.json', 'db-password', 'payments_api-key']);
  });

  test('a plain secret name is its own file name (no objectAlias: the provider rejects an alias equal to a name); JSON, not YAML 1.2', () => {
    const c = chart();
    new AwsSecretProviderClass(c, 'spc', { region: 'eu-west-1', secrets: [{ secretName: 'yes' }, { secretName: 'db-creds', keys: [{ key: 'password', fileName: 'password' }] }] });
    const [obj] = synth(c);
    expect(JSON.parse(obj.spec.parameters.objects)).toEqual([
      { objectName: 'yes', objectType: 'secretsmanager' },
      { objectName: 'db-creds', objectType: 'secretsmanager', jmesPath: [{ path: 'password', objectAlias: 'password' }] },
    ]);
  });

  test.each([
    ['no namespace anywhere', null, {}, /props\.namespace=<unset> violates metadata-valid: is not a namespace name/],
    ['no secrets', 'shop', { secrets: [] }, /props\.secrets=\[\]: lists no secret/],
    ['bad region', 'shop', { region: 'Europe' }, /props\.region="Europe": is not an AWS region/],
    ['file name with a slash', 'shop', { secrets: [{ secretName: 'a', fileName: '../etc/passwd' }] }, /props\.secrets\[0\]\.fileName="\.\.\/etc\/passwd": is not a plain file name/],
    ['duplicate file', 'shop', { secrets: [{ secretName: 'a/b' }, { secretName: 'x', fileName: 'a_b' }] }, /props\.secrets\[1\]\.fileName="a_b": is used twice/],
    ['empty key', 'shop', { secrets: [{ secretName: 'a', keys: [{ key: '', fileName: 'k' }] }] }, /props\.secrets\[0\]\.keys\[0\]\.key="": is empty/],
    ['file name equal to another secret\'s name', 'shop', { secrets: [{ secretName: 'api', fileName: 'db' }, { secretName: 'db', fileName: 'db.json' }] }, /props\.secrets\[0\]\.fileName="db": equals the name of another secret/],
    ['key file name equal to a secret name', 'shop', { secrets: [{ secretName: 'api', keys: [{ key: 'k', fileName: 'db' }] }, { secretName: 'db', fileName: 'db.json' }] }, /props\.secrets\[0\]\.keys\[0\]\.fileName="db": equals the name of a secret/],
    ['ARN of another region', 'shop', { secrets: [{ secretName: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf' }] }, /props\.secrets\[0\]\.secretName=.*is in region "us-east-1", not the class's region "eu-west-1"/],
    ['bad name', 'shop', { name: 'Bad_Name' }, /props\.name="Bad_Name" violates metadata-valid: is not a valid Kubernetes name/],
  ])('%s is refused at construct time with path, field, value and fix', (_n, ns, props, re) => {
    const c = chart(ns as string | null);
    expect(() => new AwsSecretProviderClass(c, 'spc', { region: 'eu-west-1', secrets: [{ secretName: 'shop/db' }], ...props as any }))
      .toThrow(new RegExp(`^\\[shop/spc\\] ${re.source}.* Fix: `));
  });

  test('an unresolved AWS CDK token in the secret name fails synth, unless CloudFormation deploys the chart', () => {
    const c = chart();
    expect(() => new AwsSecretProviderClass(c, 'x', { region: 'eu-west-1', secrets: [{ secretName: '${Token[TOKEN.42]}' }] }))
      .toThrow(/props\.secrets\[0\]\.fileName=<unset>: cannot be derived from a secret name that is an unresolved token/);
    new AwsSecretProviderClass(c, 'spc', { region: 'eu-west-1', secrets: [{ secretName: '${Token[TOKEN.42]}', fileName: 'db.json' }] });
    expect(synthError(c)).toMatch(/props\.secrets\[0\]\.secretName=.*violates unresolved-token/);
    Guard.of(c).allowCloudFormationTokens();
    expect(() => synth(c)).not.toThrow();
  });
});

describe('HardenedDeployment secretProviderMounts', () => {
  test('mounts the class read-only through the CSI driver; the guard finds nothing', () => {
    const c = chart();
    const spc = new AwsSecretProviderClass(c, 'db', { region: 'eu-west-1', secrets: [{ secretName: 'shop/db', keys: [{ key: 'password', fileName: 'password' }] }] });
    new HardenedDeployment(c, 'api', { ...MINIMAL, secretProviderMounts: [{ path: '/mnt/secrets', secretProviderClass: spc }] });
    const objects = synth(c);
    expectValidObjects(objects);
    expect(Guard.of(c).findings().filter(f => f.outcome === 'fail')).toEqual([]);
    const pod = objects.find(o => o.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secrets-store-0', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'db' } } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secrets-store-0', mountPath: '/mnt/secrets', readOnly: true });
    expect(objects.filter(o => o.kind === 'Secret')).toEqual([]);
  });

  test('a class from another namespace, a bad reference or a clashing path is a HardeningError', () => {
    const c = chart();
    const other = new AwsSecretProviderClass(c, 'db', { region: 'eu-west-1', namespace: 'billing', secrets: [{ secretName: 'shop/db' }] });
    expect(() => new HardenedDeployment(c, 'a', { ...MINIMAL, secretProviderMounts: [{ path: '/mnt/s', secretProviderClass: other }] }))
      .toThrow(/props\.secretProviderMounts\[0\]\.secretProviderClass\.namespace="billing" violates pod-spec-valid: is not the workload's namespace "shop"/);
    expect(() => new HardenedDeployment(c, 'b', { ...MINIMAL, secretProviderMounts: [{ path: '/mnt/s', secretProviderClass: { name: 'Bad Name' } }] }))
      .toThrow(/props\.secretProviderMounts\[0\]\.secretProviderClass=.*is not a SecretProviderClass with a valid name/);
    expect(() => new HardenedDeployment(c, 'd', { ...MINIMAL, secretProviderMounts: [{ path: '/tmp', secretProviderClass: { name: 'x' } }] }))
      .toThrow(/props\.secretProviderMounts\[0\]\.path="\/tmp" violates read-only-root-filesystem: is mounted twice/);
  });
});
