import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App, Chart } from 'cdk8s';
import { FirewallMatrix, FlowPort, Guard, Zone } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';

const preset = (opts: Partial<Parameters<typeof FirewallMatrix.kubernetesControlPlane>[1]> = {}) =>
  FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24', ...opts });

const flowsOf = (m: FirewallMatrix) => m.flows.map(f => `${f.from} -> ${f.to} ${f.port.toString()}`);

describe('control-plane preset', () => {
  test('exact zones, ports and peers (stacked etcd)', () => {
    const m = preset();
    expect(m.zones.map(z => z.name)).toEqual(['control-plane', 'nodes', 'admins']);
    expect(flowsOf(m)).toEqual([
      'admins -> control-plane TCP 6443',
      'nodes -> control-plane TCP 6443',
      'control-plane -> control-plane TCP 6443',
      'control-plane -> control-plane TCP 2379-2380',
      'control-plane -> nodes TCP 10250',
      'control-plane -> control-plane TCP 10250',
      'control-plane -> control-plane TCP 10257',
      'control-plane -> control-plane TCP 10259',
    ]);
  });

  test('external etcd, load balancer and NodePorts only when asked', () => {
    const m = preset({ externalEtcd: true, loadBalancer: true, nodePorts: true });
    expect(flowsOf(m)).toEqual(expect.arrayContaining([
      'control-plane -> etcd TCP 2379-2380',
      'etcd -> etcd TCP 2380',
      'load-balancer -> control-plane TCP 6443',
      'load-balancer -> nodes TCP 10256',
      'load-balancer -> nodes TCP 30000-32767',
    ]));
    expect(flowsOf(preset()).some(f => f.includes('30000'))).toBe(false);
  });
});

describe('validation errors (construct time, catalogue rules)', () => {
  test.each([
    ['kubelet from 0.0.0.0/0', (m: FirewallMatrix) => m.addZone(Zone.cidr('internet', '0.0.0.0/0')).allow('internet', 'nodes', FlowPort.tcp(10250), 'debug'), 'firewall-sensitive-port-exposed'],
    ['scheduler from ::/0', (m: FirewallMatrix) => m.addZone(Zone.cidr('internet6', '::/0')).allow('internet6', 'control-plane', FlowPort.tcp(10259), 'debug'), 'firewall-sensitive-port-exposed'],
    ['etcd from nodes', (m: FirewallMatrix) => m.allow('nodes', 'control-plane', FlowPort.tcp(2379), 'calico datastore'), 'firewall-etcd-access'],
    ['all ports', (m: FirewallMatrix) => m.allow('admins', 'nodes', FlowPort.tcpRange(1, 65535), 'everything'), 'firewall-port-range'],
    ['invalid port', (m: FirewallMatrix) => m.allow('admins', 'nodes', FlowPort.tcp(70000), 'nothing'), 'firewall-port-range'],
    ['duplicate', (m: FirewallMatrix) => m.allow('admins', 'control-plane', FlowPort.tcp(6443), 'again'), 'firewall-flow-conflict'],
    ['overlap', (m: FirewallMatrix) => m.allow('admins', 'control-plane', FlowPort.tcpRange(6000, 7000), 'wide'), 'firewall-flow-conflict'],
    ['unknown zone', (m: FirewallMatrix) => m.allow('bastion', 'nodes', FlowPort.tcp(22), 'ssh'), 'firewall-flow-conflict'],
    ['duplicate zone', (m: FirewallMatrix) => m.addZone(Zone.hosts('nodes')), 'firewall-flow-conflict'],
  ] as [string, (m: FirewallMatrix) => void, string][])('%s', (_, change, ruleId) => {
    const m = preset();
    const before = m.flows.length + m.zones.length;
    expect(() => change(m)).toThrow(new RegExp(`FirewallMatrix\\(cluster\\)\\] .* violates ${ruleId}: .* Fix:`));
    expect(m.flows.length + m.zones.length).toBeLessThanOrEqual(before + 1);
  });

  test('a rejected change is undone, so the matrix stays valid', () => {
    const m = preset();
    expect(() => m.allow('admins', 'control-plane', FlowPort.tcp(6443), 'again')).toThrow();
    expect(flowsOf(m).filter(f => f === 'admins -> control-plane TCP 6443')).toHaveLength(1);
  });
});

describe('security groups', () => {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'Net');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const m = preset({ loadBalancer: true });
  const sgs = m.renderSecurityGroups(stack, 'Firewall', vpc);
  const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });

  test('one SG per hosts zone, no allow-all outbound', () => {
    t.resourceCountIs('AWS::EC2::SecurityGroup', 3);
    expect(sgs.securityGroup('nodes')).toBeDefined();
    expect(() => sgs.securityGroup('admins')).toThrow(/only hosts zones/);
    for (const sg of Object.values(t.findResources('AWS::EC2::SecurityGroup'))) {
      for (const e of (sg as any).Properties.SecurityGroupEgress ?? []) expect(e.CidrIp).not.toBe('0.0.0.0/0');
    }
  });

  test('CIDR zone ingress rule with purpose as description', () => {
    const cp = Object.values(t.findResources('AWS::EC2::SecurityGroup')).find((r: any) => /control plane/.test(r.Properties.GroupDescription)) as any;
    expect(cp.Properties.SecurityGroupIngress).toContainEqual({ CidrIp: '192.0.2.0/24', Description: 'kubectl and API clients to kube-apiserver', FromPort: 6443, IpProtocol: 'tcp', ToPort: 6443 });
  });

  test('SG-to-SG flows: ingress on the destination and egress on the source, described', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 10250, ToPort: 10250, IpProtocol: 'tcp', Description: 'kube-apiserver to kubelet API (logs, exec, metrics)' });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 10250, ToPort: 10250, IpProtocol: 'tcp', Description: 'kube-apiserver to kubelet API (logs, exec, metrics)' });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 2379, ToPort: 2380, Description: Match.stringLikeRegexp('etcd') });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 10256, ToPort: 10256, Description: 'load balancer health checks to kube-proxy' });
  });

  test('no rule opens a sensitive port to 0.0.0.0/0', () => {
    const all = JSON.stringify([
      t.findResources('AWS::EC2::SecurityGroup'), t.findResources('AWS::EC2::SecurityGroupIngress'), t.findResources('AWS::EC2::SecurityGroupEgress'),
    ]);
    expect(all).not.toContain('0.0.0.0/0');
    expect(all).not.toContain('::/0');
  });
});

describe('NetworkPolicies and document', () => {
  const build = () => {
    const m = preset({ controlPlaneCidr: '10.0.0.0/24' })
      .addZone(Zone.pods('web', 'shop', { app: 'web' }))
      .addZone(Zone.pods('api', 'shop', { app: 'api' }))
      .addZone(Zone.pods('prometheus', 'monitoring', { app: 'prometheus' }))
      .allow('web', 'api', FlowPort.tcp(8080), 'storefront calls the API')
      .allow('prometheus', 'api', FlowPort.tcp(9090), 'metrics scrape')
      .allow('api', 'control-plane', FlowPort.tcp(6443), 'api watches ConfigMaps');
    const chart = new Chart(new App(), 'net');
    Guard.of(chart);
    m.renderNetworkPolicies(chart, 'policies');
    return { m, chart, objects: synth(chart) };
  };

  test('default deny + DNS per owned namespace, one policy per pod flow, schema-valid, zero findings', () => {
    const { chart, objects } = build();
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(objects.map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'monitoring/cluster-allow-dns', 'monitoring/cluster-default-deny', 'monitoring/cluster-flow-9-egress',
      'shop/cluster-allow-dns', 'shop/cluster-default-deny', 'shop/cluster-flow-10-egress',
      'shop/cluster-flow-9-ingress', 'shop/cluster-flow-8-egress', 'shop/cluster-flow-8-ingress',
    ].sort());
    expect(objects.some(o => o.metadata.namespace === 'kube-system')).toBe(false);
  });

  test('cross-namespace peers use a namespaceSelector; host zones use their CIDR', () => {
    const { objects } = build();
    const scrape = objects.find(o => o.metadata.name === 'cluster-flow-9-ingress');
    expect(scrape.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    }]);
    const toApi = objects.find(o => o.metadata.name === 'cluster-flow-10-egress');
    expect(toApi.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 6443 }] }]);
  });

  test('Markdown table and Mermaid diagram', () => {
    const { m } = build();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-'));
    const file = m.writeDocument(dir);
    const md = fs.readFileSync(file, 'utf-8');
    expect(path.basename(file)).toBe('cluster.md');
    expect(md).toContain('| 1 | admins | control-plane | TCP | 6443 | kubectl and API clients to kube-apiserver |');
    expect(md).toContain('| 4 | control-plane | control-plane | TCP | 2379-2380 |');
    expect(md).toContain('```mermaid\nflowchart LR');
    expect(md).toContain('  admins -->|"TCP 6443"| control_plane');
    expect(md).toContain('  admins(["admins<br/>192.0.2.0/24"])');
    expect(md).toContain('  web[["web<br/>ns shop"]]');
  });
});

test('the matrix document is checked by the same catalogue (with CloudFormation validation on)', () => {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'Full');
  preset().renderSecurityGroups(stack, 'Firewall', new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }));
  expect(() => Template.fromStack(stack)).not.toThrow();
});
