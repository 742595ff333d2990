/**
 * The cluster's communication matrix, rendered three ways by `npm run synth`:
 * - AWS security groups: cdk.out/network-firewall.template.json
 * - Kubernetes NetworkPolicies for the pod-level flows: dist/network-policies.k8s.yaml
 * - the matrix as a Markdown table and a Mermaid diagram: dist/cluster.md
 */
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App } from 'cdk8s';
import { FirewallMatrix, FlowPort, HardenedChart, Zone } from '../lib';

export function build(app: App, aws: cdk.App): void {
  const matrix = FirewallMatrix.kubernetesControlPlane('cluster', {
    adminCidr: '192.0.2.0/24',     // the admins' VPN range
    loadBalancer: true,
    controlPlaneCidr: '10.0.0.0/24',
    nodesCidr: '10.0.16.0/20',
  })
    // CNI overlay between nodes (Calico VXLAN), extending the preset.
    .allow('nodes', 'nodes', FlowPort.udp(4789), 'Calico VXLAN overlay')
    // Pod-level flows of the shop.
    .addZone(Zone.pods('storefront', 'shop', { 'app.kubernetes.io/name': 'storefront' }))
    .addZone(Zone.pods('api', 'shop', { 'app.kubernetes.io/name': 'api' }))
    .addZone(Zone.pods('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }))
    .allow('storefront', 'api', FlowPort.tcp(8080), 'storefront calls the shop API')
    .allow('prometheus', 'api', FlowPort.tcp(9090), 'metrics scrape')
    .allow('api', 'control-plane', FlowPort.tcp(6443), 'api watches its ConfigMaps');

  const stack = new cdk.Stack(aws, 'network-firewall', { env: { account: '111122223333', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
  });
  matrix.renderSecurityGroups(stack, 'Firewall', vpc);

  matrix.renderNetworkPolicies(new HardenedChart(app, 'network-policies'), 'matrix');
  matrix.writeDocument(app.outdir);
}
