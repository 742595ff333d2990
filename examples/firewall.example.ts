/**
 * The cluster's communication matrix, rendered three ways by `npm run synth`:
 * - AWS security groups: cdk.out/network-firewall.template.json (pod flows to and from hosts and address ranges included,
 *   on the nodes' group)
 * - Kubernetes NetworkPolicies for the pod-level flows: dist/network-policies.k8s.yaml
 * - the matrix as a Markdown table and a Mermaid diagram: dist/cluster.md
 */
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App } from 'cdk8s';
import { FirewallMatrix, FlowPort, HardenedChart, Zone } from '../lib';

export function build(app: App, aws: cdk.App): FirewallMatrix {
  const matrix = FirewallMatrix.kubernetesControlPlane('cluster', {
    adminCidr: '192.0.2.0/24',     // the admins' VPN range
    loadBalancer: true,
    controlPlaneCidr: '10.0.0.0/24',
    nodesCidr: '10.0.16.0/20',
  })
    // CNI overlay (Calico VXLAN, UDP 4789) between every host running calico-node, both ways: nodes and control plane,
    // so the control plane reaches pod IPs (admission webhooks, aggregated APIs such as metrics-server).
    .allow('nodes', 'nodes', FlowPort.udp(4789), 'Calico VXLAN overlay between nodes')
    .allow('control-plane', 'nodes', FlowPort.udp(4789), 'Calico VXLAN overlay: control plane to pods (webhooks, aggregated APIs)')
    .allow('nodes', 'control-plane', FlowPort.udp(4789), 'Calico VXLAN overlay: nodes to control-plane hosts')
    .allow('control-plane', 'control-plane', FlowPort.udp(4789), 'Calico VXLAN overlay between control-plane hosts')
    // Node egress to image registries / VPC endpoints (443) is not in the preset: add it, e.g.
    // .addZone(Zone.cidr('vpc-endpoints', '10.0.64.0/24')).allow('nodes', 'vpc-endpoints', FlowPort.tcp(443), 'image pulls')
    // Pod-level flows of the shop (examples/shop.example.ts): its workloads (selected by app.kubernetes.io/name) and ports.
    // The matrix owns the shop namespace (default deny + DNS + one policy per flow side). ingress-nginx -> storefront stays
    // with the shop's own NetworkPolicies.
    // Prometheus lives in `monitoring`, which this matrix does not own: an owned pod zone there would default-deny the
    // whole namespace and cut Prometheus off from everything not listed here (API discovery, other scrape targets,
    // Alertmanager, Grafana). `manageNamespace: false` makes it a peer only: the scrape is admitted by an ingress policy
    // in `shop`; Prometheus's own egress stays with the monitoring namespace's owner.
    .addZone(Zone.pods('storefront', 'shop', { 'app.kubernetes.io/name': 'storefront' }))
    .addZone(Zone.pods('api', 'shop', { 'app.kubernetes.io/name': 'api' }))
    .addZone(Zone.pods('payments', 'shop', { 'app.kubernetes.io/name': 'payments' }))
    .addZone(Zone.pods('order-worker', 'shop', { 'app.kubernetes.io/name': 'order-worker' }))
    .addZone(Zone.pods('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }, { manageNamespace: false }))
    .addZone(Zone.cidr('postgres', '10.40.0.0/24', 'Managed Postgres subnet'))
    .addZone(Zone.cidr('payment-provider', '203.0.113.0/24', "The payment provider's range"))
    .allow('storefront', 'api', FlowPort.tcp(8080), 'storefront calls the shop API')
    .allow('order-worker', 'api', FlowPort.tcp(8080), 'order worker calls the shop API')
    .allow('api', 'payments', FlowPort.tcp(8443), 'shop API calls payments (TLS)')
    .allow('api', 'postgres', FlowPort.tcp(5432), 'shop API to its database')
    .allow('payments', 'payment-provider', FlowPort.tcp(443), 'payments to the payment provider')
    // Only the order worker has Kubernetes API access (apiAccess: ConfigMaps); the API server listens on 6443.
    .allow('order-worker', 'control-plane', FlowPort.tcp(6443), 'order worker reads its job-queue ConfigMaps (apiAccess)')
    .allow('prometheus', 'order-worker', FlowPort.tcp(9090), 'metrics scrape of the order worker (its port 9090)');

  const stack = new cdk.Stack(aws, 'network-firewall', { env: { account: '111122223333', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
  });
  // Pod flows to and from address ranges (api -> postgres, payments -> payment provider) and hosts zones also become rules
  // on the `nodes` group: pod traffic leaves through the nodes' interfaces (podHostsZone, default 'nodes').
  matrix.renderSecurityGroups(stack, 'Firewall', vpc, { podHostsZone: 'nodes' });

  matrix.renderNetworkPolicies(new HardenedChart(app, 'network-policies'), 'matrix');
  matrix.writeDocument(app.outdir);
  return matrix;
}
