import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import * as cdk8s from 'cdk8s';
import { build } from '../../examples/secrets.example';
import { Guard, Severity } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';

/** examples/secrets.example.ts, built into fresh apps: cdk-nag clean, manifests valid, no secret values. */
describe('secrets example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-example-'));
  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'dist') });
  const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
  build(k8sApp, awsApp);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('cdk-nag AwsSolutions and NIST 800-53 R5: zero unacknowledged findings in the example stack', () => {
    // A control stack with a known finding proves both packs run; the example stack must not appear in the report.
    const control = new cdk.Stack(awsApp, 'nag-control', { env: { account: '111122223333', region: 'eu-west-1' } });
    new secretsmanager.Secret(control, 'Unrotated');
    Validations.of(awsApp).addPlugins(new AwsSolutionsChecks(awsApp));
    Validations.of(awsApp).addPlugins(new NIST80053R5Checks(awsApp));
    let report = '';
    try { awsApp.synth(); } catch (e) { report = (e as Error).message; }
    expect(report).toContain('nag-control/Unrotated');
    expect(report).toMatch(/AwsSolutions-SMG4/);
    expect(report).toMatch(/NIST\.800\.53\.R5-SecretsManagerRotationEnabled/);
    const lines = report.split('\n').filter(l => l.includes('secrets-shop/'));
    expect(lines).toEqual([]);
  });

  test('the example template holds no secret value, only generated ones and references', () => {
    const template = fs.readFileSync(path.join(outdir, 'cdk.out', 'secrets-shop.template.json'), 'utf-8');
    expect(template).not.toContain('"SecretString"');
    expect(template).toContain('"GenerateSecretString"');
  });

  test('the HardenedDeployment consumes the Secret the ExternalSecret creates (secretKeyRef and a read-only secret volume)', () => {
    const objects = synth(k8sApp.charts.find(c => c.node.id === 'secrets-shop')!);
    const externalSecret = objects.find(o => o.kind === 'ExternalSecret');
    const target = externalSecret.spec.target.name;
    expect(target).toBe('db-credentials');
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.metadata.namespace).toBe(externalSecret.metadata.namespace);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.env).toContainEqual({ name: 'DB_USERNAME', valueFrom: { secretKeyRef: { name: target, key: 'username' } } });
    const volume = pod.volumes.find((v: any) => v.secret);
    expect(volume.secret).toEqual({ secretName: target, defaultMode: 0o440 });
    expect(container.volumeMounts).toContainEqual({ name: volume.name, mountPath: '/etc/db', readOnly: true });
    // Every key the workload reads is one the ExternalSecret writes.
    const keys = externalSecret.spec.data.map((d: any) => d.secretKey);
    for (const e of container.env.filter((x: any) => x.valueFrom?.secretKeyRef)) expect(keys).toContain(e.valueFrom.secretKeyRef.key);
    // Only references: no Secret object (the operator owns it) and no value anywhere.
    expect(objects.some(o => o.kind === 'Secret')).toBe(false);
  });

  test('Kubernetes output: valid objects, guard clean, only references', () => {
    const shop = k8sApp.charts.find(c => c.node.id === 'secrets-shop')!;
    const objects = synth(shop);
    expectValidObjects(objects);
    expect(objects.map(o => o.kind).sort()).toEqual(['Deployment', 'ExternalSecret', 'NetworkPolicy', 'PodDisruptionBudget', 'SecretStore', 'Service', 'ServiceAccount', 'ServiceAccount']);
    expect(objects.find(o => o.kind === 'ServiceAccount' && o.metadata.name === 'shop-secrets-reader').metadata.annotations['eks.amazonaws.com/role-arn'])
      .toBe('arn:aws:iam::111122223333:role/shop-secrets-reader');
    expect(Guard.of(shop).findings().filter(f => f.severity === Severity.ERROR && !f.waiver)).toEqual([]);

    const enc = k8sApp.charts.find(c => c.node.id === 'secrets-encryption-config')!;
    const [config] = synth(enc);
    expect(config.kind).toBe('EncryptionConfiguration');
    expect(Guard.of(enc).findings()).toEqual([]);
    expect(fs.readFileSync(path.join(outdir, 'dist', 'secrets-encryption-config.md'), 'utf-8')).toContain('--encryption-provider-config=');
  });
});

describe('secrets example keys', () => {
  test('VPC flow logs are not encrypted with the secrets key, and the secrets key admits no log group', () => {
    const awsApp = new cdk.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-keys-')), builtinCloudFormationValidation: false } as any);
    build(new cdk8s.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-keys-dist-')) }), awsApp);
    const t = Template.fromStack(awsApp.node.findChild('secrets-shop') as cdk.Stack, { skipCyclicalDependenciesCheck: true });
    const keys = Object.entries<any>(t.findResources('AWS::KMS::Key'));
    const secretsKeyId = keys.find(([id]) => id.startsWith('SecretsKey'))![0];
    const flowLogs = Object.values<any>(t.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/shop/vpc-flow-logs' } }))[0];
    expect(flowLogs.Properties.KmsKeyId['Fn::GetAtt'][0]).not.toBe(secretsKeyId);
    expect(flowLogs.Properties.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^FlowLogsKey/);
    const secretsKey = keys.find(([id]) => id === secretsKeyId)![1];
    expect(JSON.stringify(secretsKey.Properties.KeyPolicy)).not.toContain('logs.');
    expect(JSON.stringify(secretsKey.Properties.KeyPolicy)).not.toContain('"kms:*"');
  });
});
