// A consumer's cdk8s app, compiled with tsc against the INSTALLED cdk8s-hardened (its .d.ts and compiled JS).
// Uses every construct: Kubernetes manifests into dist/, AWS stacks into cdk.out/.
// CONSUMER_BAD=1 adds a privileged pod in a plain cdk8s Chart, which only the validation plugin sees.
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  ApiServerEncryptionConfig, AuditPolicy, AwsSecretStore, EksAuditTrail, EncryptedSecretsProvider, FirewallMatrix, FlowPort,
  HardenedChart, HardenedDeployment, HardeningProfile, IsolatedNamespace, KubeadmAuditConfig, SecretsEncryptionKey,
  WorkloadIdentity, Zone,
} from 'cdk8s-hardened';

declare const process: { env: Record<string, string | undefined> };

const app = new App();
const aws = new cdk.App({ outdir: 'cdk.out' });
const image = `registry.example.com/shop/api@sha256:${'a'.repeat(64)}`;

// Kubernetes
const chart = new HardenedChart(app, 'shop', { namespace: 'shop' });
new HardeningProfile(chart, 'profile', { allowedRegistries: ['registry.example.com'] });
new IsolatedNamespace(chart, 'tenant', { quota: { cpuRequests: '2', memoryRequests: '4Gi', memoryLimits: '8Gi', pods: 20 } });
new HardenedDeployment(chart, 'api', {
  image,
  port: 8080,
  resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
});
const store = new AwsSecretStore(chart, 'store', {
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::111122223333:role/shop-secrets-reader',
  serviceAccountName: 'shop-secrets-reader',
});
store.addExternalSecret('db', { remoteSecretName: 'shop/db', secretName: 'db-credentials', keys: [{ secretKey: 'password', property: 'password' }] });

const policy = new AuditPolicy(app, 'audit-policy');
void policy;
new KubeadmAuditConfig(app, 'audit-kubeadm');
new ApiServerEncryptionConfig(app, 'encryption-config', {
  keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  region: 'eu-west-1',
});

const matrix = FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24', controlPlaneCidr: '10.0.0.0/24', nodesCidr: '10.0.16.0/20' })
  .addZone(Zone.pods('web', 'shop', { 'app.kubernetes.io/name': 'web' }))
  .addZone(Zone.pods('api', 'shop', { 'app.kubernetes.io/name': 'api' }))
  .allow('web', 'api', FlowPort.tcp(8080), 'web calls the API');
matrix.renderNetworkPolicies(new HardenedChart(app, 'firewall'), 'policies');

if (process.env.CONSUMER_BAD) {
  const plain = new Chart(app, 'unguarded', { namespace: 'shop' });
  new ApiObject(plain, 'bad', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bad' },
    spec: { containers: [{ name: 'c', image, securityContext: { privileged: true } }] },
  });
}

// AWS
const stack = new cdk.Stack(aws, 'consumer', { env: { account: '111122223333', region: 'eu-west-1' } });
const key = new SecretsEncryptionKey(stack, 'Key', { alias: 'alias/consumer/secrets' });
const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
  encryptionKey: key,
  identity: WorkloadIdentity.irsa({
    oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE',
    oidcIssuer: 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE',
  }),
});
const db = provider.addSecret('Db', { secretName: 'shop/db' });
const reader = { namespace: 'shop', serviceAccountName: 'shop-secrets-reader' };
provider.roleFor(reader, { roleName: 'shop-secrets-reader' });
db.grantRead(reader);
new EksAuditTrail(stack, 'AuditTrail', { clusterName: 'shop-prod' });
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }] });
matrix.renderSecurityGroups(stack, 'Firewall', vpc);

app.synth();
aws.synth();
