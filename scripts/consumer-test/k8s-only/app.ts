// A Kubernetes-only consumer on cdk8s-plus-33: no aws-cdk-lib and no cdk8s-plus-28 installed (optional peers of
// cdk8s-hardened, which uses the cdk8s-plus the project has).
import { App } from 'cdk8s';
import {
  ApiServerEncryptionConfig, AuditPolicy, FirewallMatrix, FlowPort, HardenedChart, HardenedDeployment, HardeningProfile,
  IsolatedNamespace, KubeadmAuditConfig, Zone,
} from 'cdk8s-hardened';
import * as kplus from 'cdk8s-plus-33';

const app = new App();
const chart = new HardenedChart(app, 'shop', { namespace: 'shop' });
new HardeningProfile(chart, 'profile', { allowedRegistries: ['registry.example.com'] });
new IsolatedNamespace(chart, 'tenant', {});
new HardenedDeployment(chart, 'api', {
  image: `registry.example.com/shop/api@sha256:${'a'.repeat(64)}`,
  port: 8080,
  resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
  secretMounts: [{ path: '/etc/db', secret: kplus.Secret.fromSecretName(chart, 'db', 'db-credentials') }],
  env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
});
new AuditPolicy(app, 'audit-policy');
new KubeadmAuditConfig(app, 'audit-kubeadm');
new ApiServerEncryptionConfig(app, 'encryption-config', {
  keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  region: 'eu-west-1',
});
FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24', controlPlaneCidr: '10.0.0.0/24', nodesCidr: '10.0.16.0/20' })
  .addZone(Zone.pods('web', 'shop', { 'app.kubernetes.io/name': 'web' }))
  .addZone(Zone.pods('api', 'shop', { 'app.kubernetes.io/name': 'api' }))
  .allow('web', 'api', FlowPort.tcp(8080), 'web calls the API')
  .renderNetworkPolicies(new HardenedChart(app, 'firewall'), 'policies');
app.synth();
