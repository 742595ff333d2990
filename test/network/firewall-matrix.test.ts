import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App, Chart } from 'cdk8s';
import { FirewallMatrix, FlowPort, Guard, Zone } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
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
      'nodes -> nodes TCP 10250',
      'control-plane -> control-plane TCP 10250',
      'control-plane -> control-plane TCP 10257',
      'control-plane -> control-plane TCP 10259',
    ]);
  });

  test('kubelet API peers: the control plane everywhere, nodes to nodes (metrics-server); nothing else, no overlay, no egress out', () => {
    const m = preset({ externalEtcd: true, loadBalancer: true, nodePorts: true });
    expect(m.flows.filter(f => f.port.fromPort <= 10250 && f.port.toPort >= 10250).map(f => `${f.from} -> ${f.to}`).sort())
      .toEqual(['control-plane -> control-plane', 'control-plane -> nodes', 'nodes -> nodes']);
    expect(m.flows.find(f => f.from === 'nodes' && f.to === 'nodes')!.purpose).toMatch(/metrics-server/);
    // The preset models no CNI and no egress beyond the matrix's zones: the user adds those (README).
    expect(m.flows.filter(f => f.port.protocol === 'UDP')).toEqual([]);
    expect(m.flows.filter(f => f.to === 'admins')).toEqual([]);
    expect(m.flows.some(f => f.port.fromPort <= 443 && f.port.toPort >= 443)).toBe(false);
  });

  test('external etcd, load balancer and NodePorts only when asked', () => {
    const m = preset({ externalEtcd: true, loadBalancer: true, nodePorts: true });
    expect(m.zones.map(z => z.name)).toEqual(['control-plane', 'nodes', 'admins', 'etcd', 'load-balancer']);
    expect(flowsOf(m)).toEqual([
      'admins -> control-plane TCP 6443',
      'nodes -> control-plane TCP 6443',
      'control-plane -> control-plane TCP 6443',
      'control-plane -> etcd TCP 2379-2380',
      'etcd -> etcd TCP 2380',
      'control-plane -> nodes TCP 10250',
      'nodes -> nodes TCP 10250',
      'control-plane -> control-plane TCP 10250',
      'control-plane -> control-plane TCP 10257',
      'control-plane -> control-plane TCP 10259',
      'load-balancer -> control-plane TCP 6443',
      'load-balancer -> nodes TCP 10256',
      'load-balancer -> nodes TCP 30000-32767',
    ]);
    expect(flowsOf(preset({ nodePorts: true }))).toContain('admins -> nodes TCP 30000-32767');
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

  const SENSITIVE: [string, FlowPort, string][] = [
    ['etcd', FlowPort.tcpRange(2379, 2380), 'control-plane'],
    ['kubelet', FlowPort.tcp(10250), 'nodes'],
    ['kube-controller-manager', FlowPort.tcp(10257), 'control-plane'],
    ['kube-scheduler', FlowPort.tcp(10259), 'control-plane'],
  ];
  describe.each(['0.0.0.0/0', '::/0'])('any source %s', any => {
    test.each(SENSITIVE)('to %s is refused and undone', (name, port, to) => {
      const m = preset().addZone(Zone.cidr('internet', any));
      const before = flowsOf(m);
      expect(() => m.allow('internet', to, port, 'debug')).toThrow(new RegExp(
        '^\\[FirewallMatrix\\(cluster\\)\\] flows\\[9\\] .* at spec\\.flows\\[9\\]\\.from="internet" violates firewall-sensitive-port-exposed: ' +
        `zone "internet" \\(${any.replace(/[.]/g, '\\.')}\\) may reach the ${name} port.* Fix:`));
      expect(flowsOf(m)).toEqual(before);
    });
  });

  test('the API server port (6443) is refused from 0.0.0.0/0 on the control plane too (issue #27: an administrative port)', () => {
    const m = preset().addZone(Zone.cidr('internet', '0.0.0.0/0'));
    expect(() => m.allow('internet', 'control-plane', FlowPort.tcp(6443), 'public API endpoint')).toThrow(/firewall-sensitive-port-exposed: .*kube-apiserver port\(s\) 6443/);
    expect(flowsOf(m)).not.toContain('internet -> control-plane TCP 6443');
  });

  test.each([
    ['0.0.0.0/1 to the kubelet', ['0.0.0.0/1'], 'nodes', FlowPort.tcp(10250), /zone "z0" \(0\.0\.0\.0\/1\) may reach the kubelet port\(s\) 10250 on "nodes" \(it reaches 2,092,957,696 public IPv4 addresses \(56\.53% of public IPv4\), more than a \/8 worth \(2\^24\): counted as anywhere\)/],
    ['128.0.0.0/2 to etcd', ['128.0.0.0/2'], 'control-plane', FlowPort.tcp(2379), /etcd port\(s\) 2379-2380 .*more than a \/8 worth/],
    ['2000::/3 to the scheduler', ['2000::/3'], 'control-plane', FlowPort.tcp(10259), /kube-scheduler .*≈2\^125\.0 public IPv6 addresses, more than a \/16 worth/],
    ['two /8s that together cover 64.0.0.0/7 to the controller-manager', ['64.0.0.0/8', '65.0.0.0/8'], 'control-plane', FlowPort.tcp(10257),
      /zone "z1" \(65\.0\.0\.0\/8\) may reach the kube-controller-manager .* \(with zone\(s\) "z0" it reaches 33,554,432 public IPv4 addresses \(0\.9% of public IPv4\), more than a \/8 worth \(2\^24\): counted as anywhere\)/],
    ['0.0.0.0/1 + 128.0.0.0/1 to the kubelet', ['0.0.0.0/1', '128.0.0.0/1'], 'nodes', FlowPort.tcp(10250), /zone "z0" \(0\.0\.0\.0\/1\) may reach the kubelet port\(s\) 10250 on "nodes" \(it reaches 2,092,957,696/],
  ] as [string, string[], string, FlowPort, RegExp][])('broad sources count as anywhere: %s', (_, cidrs, to, port, message) => {
    const m = preset();
    cidrs.forEach((c, i) => m.addZone(Zone.cidr(`z${i}`, c)));
    const allowAll = () => cidrs.forEach((_c, i) => m.allow(`z${i}`, to, port, 'debug'));
    expect(allowAll).toThrow(message);
  });

  test.each(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8', '198.51.100.0/24', '3.0.0.0/8'])('private or narrow source %s may reach the kubelet', cidr => {
    const m = preset().addZone(Zone.cidr('vpn', cidr)).allow('vpn', 'nodes', FlowPort.tcp(10250), 'break-glass kubelet access');
    expect(flowsOf(m)).toContain('vpn -> nodes TCP 10250');
  });

  test.each([
    ['300.1.1.1/8', /octet "300" is not 0-255/],
    ['256.0.0.0/8', /octet "256" is not 0-255/],
    ['10.0.0.0/33', /prefix length "\/33" is not 0-32/],
    ['10.0.0.1/8', /host bits set: the network is 10\.0\.0\.0\/8/],
    ['192.0.2.7', /no prefix length/],
    ['10.0.0/8', /four octets/],
    ['010.0.0.0/8', /octet "010"/],
    [' 10.0.0.0/8', /is not an IPv4 or IPv6 address/],
    ['2001:db8::/129', /prefix length "\/129" is not 0-128/],
    ['2001:db8::1/32', /host bits set: the network is 2001:db8::\/32/],
    ['fe80::1%eth0/64', /is not an IPv4 or IPv6 address/],
    ['1:2:3:4:5:6:7:8:9/64', /is not an IPv4 or IPv6 address/],
    ['2001:db8:::/48', /is not an IPv4 or IPv6 address/],
    ['vpn', /no prefix length/],
  ])('invalid CIDR zone %j is refused and undone', (cidr, reason) => {
    const m = preset();
    let error: unknown;
    try { m.addZone(Zone.cidr('partner', cidr)); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(HardeningError);
    const err = error as HardeningError;
    expect(err.path).toBe('FirewallMatrix(cluster)');
    expect(err.field).toBe('zones[3] (partner) at spec.zones[3].cidr');
    expect(err.value).toBe(cidr);
    expect(err.ruleId).toBe('firewall-zone-invalid');
    expect(err.message).toMatch(reason);
    expect(err.message).toMatch(/Fix: Write CIDRs as network\/prefix/);
    expect(m.zones.map(z => z.name)).not.toContain('partner');
  });

  test('an empty CIDR zone is refused', () => {
    expect(() => preset().addZone(Zone.cidr('partner', ''))).toThrow(/spec\.zones\[3\]\.cidr=<unset> violates firewall-zone-invalid: CIDR zone "partner" has no cidr/);
  });

  test.each(['2001:db8::/32', '198.51.100.7/32', '::ffff:192.0.2.0/120', '2001:DB8:0:0:0:0:0:0/32', '0.0.0.0/0'])('valid CIDR zone %j is accepted', cidr => {
    expect(preset().addZone(Zone.cidr('partner', cidr)).zones.map(z => z.cidrBlock)).toContain(cidr);
  });

  test('preset CIDRs are validated too (admins, control plane, nodes)', () => {
    expect(() => FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/33' }))
      .toThrow(/zones\[2\] \(admins\) at spec\.zones\[2\]\.cidr="192\.0\.2\.0\/33" violates firewall-zone-invalid/);
    expect(() => preset({ nodesCidr: '10.0.16.1/20' })).toThrow(/zones\[1\] \(nodes\) at spec\.zones\[1\]\.cidr="10\.0\.16\.1\/20" violates firewall-zone-invalid: .*host bits/);
  });

  test.each([
    ['Bad_NS', /namespace "Bad_NS" is not a DNS-1123 label/],
    ['Shop', /namespace "Shop"/],
    ['-shop', /namespace "-shop"/],
    ['shop.prod', /namespace "shop\.prod"/],
    ['a'.repeat(64), /is not a DNS-1123 label/],
    ['', /namespace "" is not a DNS-1123 label/],
  ])('pods zone namespace %j is refused', (ns, reason) => {
    const m = preset();
    expect(() => m.addZone(Zone.pods('api', ns, { app: 'api' }))).toThrow(reason);
    expect(() => m.addZone(Zone.pods('api', ns))).toThrow(/spec\.zones\[3\]\.namespace=.* violates firewall-zone-invalid/);
    expect(m.zones.map(z => z.name)).not.toContain('api');
  });

  test.each([
    [{ 'bad key': 'api' }, /spec\.zones\[3\]\.labels\["bad key"\]="api" violates firewall-zone-invalid: .*label key "bad key"/],
    [{ 'Example.com/app': 'api' }, /label key "Example\.com\/app": prefix "Example\.com" is not a DNS-1123 subdomain/],
    [{ ['a'.repeat(64)]: 'api' }, /label key "a{64}"/],
    [{ app: '-api' }, /label "app": value "-api"/],
    [{ app: 'a'.repeat(64) }, /label "app": value "a{64}"/],
    [{ app: 'web app' }, /label "app": value "web app"/],
  ] as [{ [k: string]: string }, RegExp][])('pods zone labels %j are refused', (labels, reason) => {
    expect(() => preset().addZone(Zone.pods('api', 'shop', labels))).toThrow(reason);
  });

  test('valid namespaces and labels are accepted', () => {
    const m = preset()
      .addZone(Zone.pods('api', 'shop', { 'app.kubernetes.io/name': 'api', 'tier': '', 'version': 'v1.2_3' }))
      .addZone(Zone.pods('all-monitoring', 'a'.repeat(63)));
    expect(m.zones.map(z => z.namespace)).toEqual([undefined, undefined, undefined, 'shop', 'a'.repeat(63)]);
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
    // nodes -> nodes 10250 (metrics-server): the nodes group admits itself, and may send to itself
    const nodesSg = Object.keys(t.findResources('AWS::EC2::SecurityGroup')).find(k => k.includes('nodes'))!;
    const selfRef = { 'Fn::GetAtt': [nodesSg, 'GroupId'] };
    const description = 'metrics-server and other in-cluster clients to kubelet API on every node';
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: selfRef, SourceSecurityGroupId: selfRef, FromPort: 10250, ToPort: 10250, IpProtocol: 'tcp', Description: description });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: selfRef, DestinationSecurityGroupId: selfRef, FromPort: 10250, ToPort: 10250, IpProtocol: 'tcp', Description: description });
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
      'monitoring/cluster-allow-dns', 'monitoring/cluster-default-deny', 'monitoring/cluster-flow-11-egress',
      'shop/cluster-allow-dns', 'shop/cluster-default-deny', 'shop/cluster-flow-12-egress',
      'shop/cluster-flow-11-ingress', 'shop/cluster-flow-10-egress', 'shop/cluster-flow-10-ingress',
    ].sort());
    expect(objects.some(o => o.metadata.namespace === 'kube-system')).toBe(false);
  });

  test('cross-namespace peers use a namespaceSelector; host zones use their CIDR', () => {
    const { objects } = build();
    const scrape = objects.find(o => o.metadata.name === 'cluster-flow-11-ingress');
    expect(scrape.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    }]);
    const toApi = objects.find(o => o.metadata.name === 'cluster-flow-12-egress');
    expect(toApi.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 6443 }] }]);
  });

  test('a policy named flow-<n> is row #<n> of the document (same 1-based number, same zones, port and purpose)', () => {
    const { m, objects } = build();
    const rows = new Map(m.toMarkdownTable().split('\n').slice(2).map(r => {
      const cells = r.split(' | ');
      return [Number(cells[0].replace('| ', '')), r] as [number, string];
    }));
    const flows = objects.filter(o => /-flow-/.test(o.metadata.name));
    expect(flows).toHaveLength(5);
    for (const o of flows) {
      const [, n, direction] = /^cluster-flow-(\d+)-(ingress|egress)$/.exec(o.metadata.name)!;
      const f = m.flows[Number(n) - 1];
      expect(rows.get(Number(n))).toBe(`| ${n} | ${f.from} | ${f.to} | TCP | ${f.port.fromPort} | ${f.purpose} |`);
      expect(o.metadata.annotations['hardened.cdk8s.io/purpose']).toBe(f.purpose);
      expect(o.metadata.namespace).toBe(m.zones.find(z => z.name === (direction === 'ingress' ? f.to : f.from))!.namespace);
    }
    expect(rows.get(12)).toBe('| 12 | api | control-plane | TCP | 6443 | api watches ConfigMaps |');
    expect(objects.map(o => o.metadata.name)).toContain('cluster-flow-12-egress');
    expect(objects.map(o => o.metadata.name)).not.toContain('cluster-flow-0-ingress');
  });

  test('a pod flow to a hosts zone without a CIDR is refused, naming the flow by its document number', () => {
    const m = preset().addZone(Zone.pods('api', 'shop', { app: 'api' })).allow('api', 'nodes', FlowPort.tcp(9100), 'node exporter');
    let error: unknown;
    try { m.renderNetworkPolicies(new Chart(new App(), 'net'), 'policies'); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(HardeningError);
    expect((error as HardeningError).field).toBe('flows[9]');
    expect((error as HardeningError).message).toMatch(/pod flow #10 to or from hosts zone "nodes" needs the zone's CIDR/);
    expect(m.toMarkdownTable()).toContain('| 10 | api | nodes | TCP | 9100 | node exporter |');
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

describe('security groups: pod zones are rendered on the group of the hosts they run on', () => {
  const render = (m: FirewallMatrix, options?: { podHostsZone?: string }) => {
    const stack = new cdk.Stack(new cdk.App(), 'Pods');
    const sgs = m.renderSecurityGroups(stack, 'Firewall', new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }), options);
    const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
    const id = (zone: string) => ({ 'Fn::GetAtt': [stack.getLogicalId(sgs.securityGroup(zone).node.defaultChild as cdk.CfnElement), 'GroupId'] });
    /** Every rule of the stack (inline on the group or standalone), as `GroupId`-keyed property objects. */
    const rules = (type: 'Ingress' | 'Egress') => [
      ...Object.entries(t.findResources('AWS::EC2::SecurityGroup')).flatMap(([logicalId, r]: [string, any]) =>
        (r.Properties[`SecurityGroup${type}`] ?? []).map((x: any) => ({ GroupId: { 'Fn::GetAtt': [logicalId, 'GroupId'] }, ...x }))),
      ...Object.values(t.findResources(`AWS::EC2::SecurityGroup${type}`)).map((r: any) => r.Properties),
    ];
    return { stack, sgs, t, id, rules };
  };

  const shop = () => preset({ loadBalancer: true, controlPlaneCidr: '10.0.0.0/24', nodesCidr: '10.0.16.0/20' })
    .addZone(Zone.pods('web', 'shop', { app: 'web' }))
    .addZone(Zone.pods('api', 'shop', { app: 'api' }))
    .addZone(Zone.pods('prometheus', 'monitoring', { app: 'prometheus' }, { manageNamespace: false }))
    .addZone(Zone.cidr('postgres', '10.40.0.0/24', 'database subnet'))
    .addZone(Zone.cidr('partner', '198.51.100.0/24', 'partner range'))
    .allow('web', 'api', FlowPort.tcp(9000), 'web calls the API')                       // pod -> pod: NetworkPolicy only
    .allow('prometheus', 'api', FlowPort.tcp(9090), 'metrics scrape')                   // pod -> pod (peer): NetworkPolicy only
    .allow('api', 'postgres', FlowPort.tcp(5432), 'API to its database')                // pod -> CIDR
    .allow('partner', 'web', FlowPort.tcp(8443), 'partner webhooks to web')             // CIDR -> pod
    .allow('load-balancer', 'web', FlowPort.tcp(8080), 'load balancer to web (IP targets)') // hosts -> pod
    .allow('api', 'control-plane', FlowPort.tcp(6443), 'API watches ConfigMaps');       // pod -> hosts, same rule as a preset flow

  test('pod -> CIDR: egress on the nodes group; CIDR -> pod: ingress on the nodes group (described)', () => {
    const { t, id, rules } = render(shop());
    expect(rules('Egress')).toContainEqual({ GroupId: id('nodes'), CidrIp: '10.40.0.0/24', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'API to its database' });
    expect(rules('Ingress')).toContainEqual({ GroupId: id('nodes'), CidrIp: '198.51.100.0/24', IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, Description: 'partner webhooks to web' });
    t.resourceCountIs('AWS::EC2::SecurityGroup', 3);
  });

  test('hosts -> pod: ingress on the nodes group from the hosts group, egress on the hosts group to the nodes', () => {
    const { t, id } = render(shop());
    const rule = { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, Description: 'load balancer to web (IP targets)' };
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: id('nodes'), SourceSecurityGroupId: id('load-balancer'), ...rule });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: id('load-balancer'), DestinationSecurityGroupId: id('nodes'), ...rule });
  });

  test('flows landing on the same rule share it, its description joining their purposes (AWS refuses duplicates)', () => {
    const { id, rules } = render(shop());
    const toApiServer = (type: 'Ingress' | 'Egress') => rules(type).filter(r => r.FromPort === 6443 && (type === 'Ingress'
      ? JSON.stringify(r.GroupId) === JSON.stringify(id('control-plane')) && JSON.stringify(r.SourceSecurityGroupId) === JSON.stringify(id('nodes'))
      : JSON.stringify(r.GroupId) === JSON.stringify(id('nodes')) && JSON.stringify(r.DestinationSecurityGroupId) === JSON.stringify(id('control-plane'))));
    for (const type of ['Ingress', 'Egress'] as const) {
      expect(toApiServer(type).map(r => r.Description)).toEqual(['kubelets and pods to kube-apiserver; API watches ConfigMaps']);
    }
  });

  test('pod -> pod flows (owned or peer) add no security group rule', () => {
    const { rules } = render(shop());
    expect([...rules('Ingress'), ...rules('Egress')].filter(r => [9000, 9090].includes(r.FromPort))).toEqual([]);
  });

  test('every flow between a pod zone and a hosts or CIDR zone has its rules on the nodes group', () => {
    const m = shop();
    const { id, rules } = render(m);
    const pods = (name: string) => m.zones.find(z => z.name === name)!.kind === 'pods';
    const nodes = JSON.stringify(id('nodes'));
    const mixed = m.flows.filter(f => pods(f.from) !== pods(f.to));
    expect(mixed).toHaveLength(4);
    for (const f of mixed) {
      const onNodes = rules(pods(f.from) ? 'Egress' : 'Ingress')
        .filter(r => JSON.stringify(r.GroupId) === nodes && r.FromPort === f.port.fromPort && r.ToPort === f.port.toPort && r.Description.split('; ').includes(f.purpose));
      expect({ flow: `${f.from} -> ${f.to}`, rules: onNodes.length }).toEqual({ flow: `${f.from} -> ${f.to}`, rules: 1 });
    }
  });

  test('podHostsZone names the hosts zone pods run on; without it and without a "nodes" zone, pod flows out of the cluster throw', () => {
    const m = new FirewallMatrix('edge')
      .addZone(Zone.hosts('workers'))
      .addZone(Zone.pods('api', 'shop', { app: 'api' }))
      .addZone(Zone.cidr('postgres', '10.40.0.0/24'))
      .allow('api', 'postgres', FlowPort.tcp(5432), 'API to its database');
    let error: unknown;
    try { render(m); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(HardeningError);
    expect((error as HardeningError).field).toBe('flows[0]');
    expect((error as HardeningError).message).toMatch(/flow #1 joins pod zone "api" to a hosts or CIDR zone: pod traffic passes the security group of the hosts the pods run on, podHostsZone is not set and the matrix has no hosts zone "nodes"/);
    expect((error as HardeningError).message).toMatch(/Fix: name the hosts zone the pods run on: renderSecurityGroups\(scope, id, vpc, \{ podHostsZone: '<hosts zone>' \}\)/);

    const { id, rules } = render(m, { podHostsZone: 'workers' });
    expect(rules('Egress')).toContainEqual({ GroupId: id('workers'), CidrIp: '10.40.0.0/24', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'API to its database' });
  });

  test('pod-to-pod flows alone need no hosts zone', () => {
    const m = new FirewallMatrix('pods-only')
      .addZone(Zone.pods('web', 'shop', { app: 'web' })).addZone(Zone.pods('api', 'shop', { app: 'api' }))
      .allow('web', 'api', FlowPort.tcp(8080), 'web calls the API');
    expect(() => render(m)).not.toThrow();
  });

  test.each([
    ['an unknown zone', 'workers', /podHostsZone="workers" violates firewall-zone-invalid: no zone "workers" in the matrix/],
    ['a CIDR zone', 'admins', /podHostsZone="admins" violates firewall-zone-invalid: zone "admins" is a cidr zone, not the hosts zone pods run on/],
  ])('podHostsZone naming %s is refused', (_, zone, message) => {
    expect(() => render(preset(), { podHostsZone: zone })).toThrow(message);
  });

  test('the flows are judged again as the groups see them: ranges reaching a sensitive port on different pod zones reach it on the same nodes', () => {
    const m = preset()
      .addZone(Zone.pods('a', 'shop', { app: 'a' })).addZone(Zone.pods('b', 'shop', { app: 'b' }))
      .addZone(Zone.cidr('partner-a', '64.0.0.0/8')).addZone(Zone.cidr('partner-b', '65.0.0.0/8'))
      .allow('partner-a', 'a', FlowPort.tcp(10250), 'agent a')
      .allow('partner-b', 'b', FlowPort.tcp(10250), 'agent b'); // each /8 alone is narrow enough for the matrix
    expect(() => render(m)).toThrow(/flows\[9\]="partner-a -> a TCP 10250" violates firewall-sensitive-port-exposed: as security group rules \(pod zones are their hosts zone "nodes"\), flow #10: zone "partner-a" \(64\.0\.0\.0\/8\) may reach the kubelet port\(s\) 10250 on "nodes" \(with zone\(s\) "partner-b" it reaches 33,554,432 public IPv4 addresses/);
  });

  test('a pod zone named after an etcd client zone is still only nodes to the etcd group', () => {
    const m = preset({ controlPlaneCidr: '10.0.0.0/24' }).addZone(Zone.pods('etcd', 'kube-system', { app: 'etcd-backup' }))
      .allow('etcd', 'control-plane', FlowPort.tcp(2379), 'etcd backup job');
    expect(() => render(m)).toThrow(/flows\[9\]="etcd -> control-plane TCP 2379" violates firewall-etcd-access: .*flow #10: zone "nodes" may reach etcd ports on "control-plane"/);
  });
});

describe('pods zones in namespaces the matrix does not manage (manageNamespace: false)', () => {
  const build = () => {
    const m = preset({ controlPlaneCidr: '10.0.0.0/24' })
      .addZone(Zone.pods('api', 'shop', { app: 'api' }))
      .addZone(Zone.pods('prometheus', 'monitoring', { app: 'prometheus' }, { manageNamespace: false }))
      .addZone(Zone.cidr('alertmanager-relay', '10.50.0.0/24'))
      .allow('prometheus', 'api', FlowPort.tcp(9090), 'metrics scrape')
      .allow('api', 'prometheus', FlowPort.tcp(9091), 'API pushes to the pushgateway sidecar')
      .allow('prometheus', 'alertmanager-relay', FlowPort.tcp(9093), 'alerts to the relay');
    const chart = new Chart(new App(), 'net');
    Guard.of(chart);
    m.renderNetworkPolicies(chart, 'policies');
    return { m, chart, objects: synth(chart) };
  };

  test('nothing is written into the unmanaged namespace; the owned side of each flow admits or reaches the peer', () => {
    const { chart, objects } = build();
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(objects.map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'shop/cluster-allow-dns', 'shop/cluster-default-deny', 'shop/cluster-flow-10-ingress', 'shop/cluster-flow-11-egress',
    ]);
    const peer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } };
    expect(objects.find(o => o.metadata.name === 'cluster-flow-10-ingress').spec.ingress).toEqual([{ from: [peer], ports: [{ protocol: 'TCP', port: 9090 }] }]);
    expect(objects.find(o => o.metadata.name === 'cluster-flow-11-egress').spec.egress).toEqual([{ to: [peer], ports: [{ protocol: 'TCP', port: 9091 }] }]);
  });

  test('the document and the manifest say so; owned zones are unchanged', () => {
    const { m } = build();
    const zones = m.toManifest().spec.zones;
    expect(zones.find((z: any) => z.name === 'prometheus')).toEqual({ name: 'prometheus', kind: 'pods', namespace: 'monitoring', labels: { app: 'prometheus' }, manageNamespace: false,
      description: 'pods monitoring {"app":"prometheus"} (namespace not managed by the matrix: peer only)' });
    expect(zones.find((z: any) => z.name === 'api')).not.toHaveProperty('manageNamespace');
    expect(m.zones.find(z => z.name === 'api')!.manageNamespace).toBe(true);
    expect(m.toMarkdown()).toContain('| prometheus | pods | pods monitoring {"app":"prometheus"} (namespace not managed by the matrix: peer only) |');
  });

  test('a peer zone still goes through its hosts on the security groups (flows to address ranges)', () => {
    const { m } = build();
    const stack = new cdk.Stack(new cdk.App(), 'Peer');
    m.renderSecurityGroups(stack, 'Firewall', new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }));
    const nodes = Object.values(Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }).findResources('AWS::EC2::SecurityGroup'))
      .find((r: any) => /Worker nodes/.test(r.Properties.GroupDescription)) as any;
    expect(nodes.Properties.SecurityGroupEgress).toContainEqual({ CidrIp: '10.50.0.0/24', Description: 'alerts to the relay', FromPort: 9093, IpProtocol: 'tcp', ToPort: 9093 });
  });

  test.each([
    ['unmanaged first', [false, true]],
    ['managed first', [true, false]],
  ] as [string, boolean[]][])('zones of one namespace must agree (%s); the second is refused and undone', (_, [first, second]) => {
    const m = preset().addZone(Zone.pods('a', 'monitoring', { app: 'a' }, { manageNamespace: first }));
    let error: unknown;
    try { m.addZone(Zone.pods('b', 'monitoring', { app: 'b' }, { manageNamespace: second })); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(HardeningError);
    expect((error as HardeningError).field).toBe('zones[4] (b) at spec.zones[4].manageNamespace');
    expect((error as HardeningError).ruleId).toBe('firewall-zone-invalid');
    expect((error as HardeningError).message).toMatch(new RegExp(`namespace "monitoring" is ${first ? 'owned' : 'not owned'} by the matrix \\(zone "a"\\)`));
    expect(m.zones.map(z => z.name)).not.toContain('b');
    // other namespaces are independent
    expect(() => m.addZone(Zone.pods('c', 'shop', { app: 'c' }, { manageNamespace: second }))).not.toThrow();
  });

  test('a flow between two unmanaged pods zones would be enforced nowhere: refused and undone', () => {
    const m = preset()
      .addZone(Zone.pods('prometheus', 'monitoring', { app: 'prometheus' }, { manageNamespace: false }))
      .addZone(Zone.pods('grafana', 'grafana', { app: 'grafana' }, { manageNamespace: false }));
    expect(() => m.allow('grafana', 'prometheus', FlowPort.tcp(9090), 'dashboards')).toThrow(
      /flows\[9\] \(grafana -> prometheus TCP 9090\) at spec\.flows\[9\]=.* violates firewall-flow-conflict: grafana -> prometheus: both pods zones are in namespaces the matrix does not manage/);
    expect(m.flows).toHaveLength(9);
  });
});
