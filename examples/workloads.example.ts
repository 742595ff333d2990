import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ExposedPathType, HardenedChart, HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet, HardeningProfile,
  HealthCheck, NetworkPeer,
} from '../lib';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

/**
 * Every workload kind on the one hardened pod template: an API (Deployment) in front of a replicated database
 * (StatefulSet with per-pod volumes), a schema migration (Job), a nightly report (CronJob) and a node-level metrics agent
 * (DaemonSet). The API is exposed through an Ingress and a Gateway API HTTPRoute. Written to dist/workloads.k8s.yaml.
 *
 * Host access of a DaemonSet (read-only hostPath, host port, capability) is an opt-in that carries its own waiver with
 * an expiry of at most 90 days; it is shown in the README and tests rather than here, so the example never expires.
 */
export function build(app: App, _aws: cdk.App): void {
  const chart = new HardenedChart(app, 'workloads', { namespace: 'inventory' });
  new HardeningProfile(chart, 'profile', {
    allowedRegistries: ['registry.example.com'],
    defaultResources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
  });
  const dbCredentials = kplus.Secret.fromSecretName(chart, 'db-credentials', 'inventory-db-credentials');

  const db = new HardenedStatefulSet(chart, 'db', {
    image: `registry.example.com/inventory/postgres@${digest('a')}`,
    port: 5432,
    replicas: 3,
    resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '1Gi' },
    volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '50Gi', storageClassName: 'gp3-encrypted' }],
    secretMounts: [{ path: '/etc/postgres', secret: dbCredentials }],
    writablePaths: ['/tmp', '/var/run/postgresql'],
    readiness: HealthCheck.command(['/usr/bin/pg_isready', '-h', '127.0.0.1']),
    startup: HealthCheck.tcp(undefined, { failureThreshold: 30 }),   // replaying the WAL can take minutes
  });

  const api = new HardenedDeployment(chart, 'api', {
    image: `registry.example.com/inventory/api@${digest('b')}`,
    port: 8080,
    readiness: HealthCheck.httpGet('/ready'),
  });
  api.connectTo(db);

  // Exposure: an Ingress for the shop's own hosts (TLS with the cert-manager Secret, the internal nginx class) and an
  // HTTPRoute on the platform Gateway's HTTPS listener for the partner API. Each admits the port in the API's
  // NetworkPolicy from the controller's namespace (and, for the gateway, its proxy pods) only.
  api.expose({
    hosts: ['inventory.example.com'],
    paths: [{ path: '/api' }, { path: '/ready', pathType: ExposedPathType.EXACT }],
    controllerNamespace: 'ingress-nginx',
    ingress: { className: 'nginx-internal', tlsSecretName: 'inventory-tls' },
  });
  api.expose({
    name: 'api-partners',
    hosts: ['partners.inventory.example.com'],
    paths: [{ path: '/api/partners' }],
    controllerNamespace: 'gateway-system',
    controllerPodLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' },
    gateway: { gatewayName: 'public', gatewayNamespace: 'gateway-system', sectionName: 'https' },
  });

  const migrate = new HardenedJob(chart, 'migrate', {
    image: `registry.example.com/inventory/migrate@${digest('c')}`,
    args: ['up'],
    env: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: dbCredentials, key: 'password' }) },
    activeDeadlineSeconds: 900,
  });
  migrate.connectTo(db);

  const report = new HardenedCronJob(chart, 'report', {
    image: `registry.example.com/inventory/report@${digest('d')}`,
    schedule: '30 2 * * *',
    timeZone: 'Europe/Berlin',
    egressTo: [{ peer: NetworkPeer.ipBlock('198.51.100.0/24'), port: 443 }],   // the mail relay
  });
  report.connectTo(db);

  // A node-level agent: one pod per node, scraped by Prometheus on its pod IP; no host access at all.
  new HardenedDaemonSet(chart, 'node-metrics', {
    image: `registry.example.com/inventory/node-metrics@${digest('e')}`,
    port: 9100,
    resources: { cpuRequest: '50m', memoryRequest: '64Mi' },
    ingressFrom: [NetworkPeer.namespace('monitoring')],
    readiness: HealthCheck.httpGet('/metrics'),
    tolerations: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
  });
}
