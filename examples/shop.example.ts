import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedChart, HardenedDeployment, HardeningProfile, HealthCheck, NetworkPeer } from '../lib';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

/**
 * A realistic three-tier shop: storefront -> api -> payments, plus a background worker.
 * Written to dist/workload-shop.k8s.yaml.
 */
export function build(app: App, _aws: cdk.App): void {
  const chart = new HardenedChart(app, 'workload-shop', { namespace: 'shop' });
  new HardeningProfile(chart, 'profile', {
    allowedRegistries: ['registry.example.com'],
    defaultResources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
  });

  const dbCredentials = kplus.Secret.fromSecretName(chart, 'db-credentials', 'shop-db-credentials');
  const paymentsKey = kplus.Secret.fromSecretName(chart, 'payments-key', 'payments-provider-key');

  const payments = new HardenedDeployment(chart, 'payments', {
    image: `registry.example.com/shop/payments@${digest('1')}`,
    port: 8443,
    replicas: 3,
    runtimeClassName: 'gvisor',                       // card data: run in a sandbox
    secretMounts: [{ path: '/etc/payments', secret: paymentsKey }],
    readiness: HealthCheck.httpsGet('/healthz/ready'),                 // the service speaks only TLS on 8443
    liveness: HealthCheck.httpsGet('/healthz/live', undefined, { initialDelaySeconds: 5 }),
    egressTo: [{ peer: NetworkPeer.ipBlock('203.0.113.0/24'), port: 443 }], // the payment provider's range
  });

  const api = new HardenedDeployment(chart, 'api', {
    image: `registry.example.com/shop/api@${digest('2')}`,
    port: 8080,
    replicas: 3,
    resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    env: {
      LOG_LEVEL: kplus.EnvValue.fromValue('info'),
      DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: dbCredentials, key: 'password' }),
    },
    writablePaths: ['/tmp', '/var/cache/api'],
    egressTo: [{ peer: NetworkPeer.ipBlock('10.40.0.0/24'), port: 5432 }], // managed Postgres subnet
  });

  const storefront = new HardenedDeployment(chart, 'storefront', {
    image: `registry.example.com/shop/storefront@${digest('3')}`,
    port: 8080,
    ingressFrom: [NetworkPeer.namespace('ingress-nginx')],
  });

  // The worker reads its job queue ConfigMaps through the Kubernetes API: explicit, least-privilege access.
  const worker = new HardenedDeployment(chart, 'order-worker', {
    image: `registry.example.com/shop/worker@${digest('4')}`,
    port: 9090,
    apiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    // A token alone does not reach the API server: NetworkPolicies see the API server's endpoints
    // (`kubectl get endpoints kubernetes`: the control-plane hosts, 6443 here), so allow them explicitly.
    egressTo: [{ peer: NetworkPeer.ipBlock('10.0.0.0/24'), port: 6443 }],
  });

  storefront.connectTo(api);
  api.connectTo(payments);
  worker.connectTo(api);
}
