import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { HardenedChart, HardenedDeployment, IsolatedNamespace, NetworkPeer } from '../lib';

/**
 * A platform team onboarding the payments tenant: an isolated namespace with its own Calico IP pool, dedicated nodes,
 * mesh mTLS and team RBAC, and the tenant's first workload in it. Written to dist/tenancy-payments.k8s.yaml.
 *
 * Cluster prerequisites: Istio installed with the CNI plugin (Pod Security `restricted` rejects istio-init) and an
 * Istio ingress gateway in `istio-ingress` (STRICT mTLS rejects a non-meshed ingress controller); the PodNodeSelector
 * and PodTolerationRestriction admission plugins for the node-isolation annotations (not available on EKS, where the
 * workload's own nodeSelector/tolerations below do the pinning); Calico for the IP pool.
 */
export function build(app: App, _aws: cdk.App): void {
  const chart = new HardenedChart(app, 'tenancy-payments');
  const tenant = new IsolatedNamespace(chart, 'payments', {
    // Namespace-wide, Prometheus may scrape only the sidecars' merged metrics port (15020, outside mTLS capture).
    allowFromNamespaces: ['monitoring'],
    allowFromNamespacesPorts: [15020],
    quota: { cpuRequests: '4', memoryRequests: '8Gi', memoryLimits: '16Gi', pods: 40 },
    tenantGroups: ['oidc:team-payments'],
    // Its own API Priority and Fairness level: its controllers cannot starve the API server for other tenants.
    // Its apiVersion follows the profile's kubeVersion (flowcontrol v1 on the default 1.36; v1beta3 on 1.28).
    apiFairness: {},
    readableSecrets: ['payments-db'],
    ipPool: { cidr: '10.244.64.0/20' },
    nodeIsolation: { nodeSelector: { 'node-pool': 'payments' }, taintKey: 'dedicated' },
    meshMtlsStrict: true, // PeerAuthentication STRICT, istio-injection: enabled, egress to istiod on 15012
  });

  new HardenedDeployment(chart, 'ledger', {
    namespace: tenant.name,
    image: `registry.example.com/payments/ledger@sha256:${'5'.repeat(64)}`,
    port: 8080,
    resources: { cpuRequest: '200m', memoryRequest: '256Mi' },
    ingressFrom: [NetworkPeer.namespace('istio-ingress')], // the meshed Istio ingress gateway
    nodeSelector: { 'node-pool': 'payments' },
    tolerations: [{ key: 'dedicated', value: 'payments', effect: 'NoSchedule' }],
  });
}
