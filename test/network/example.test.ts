import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as cdk8s from 'cdk8s';
import { build } from '../../examples/firewall.example';
import { build as buildShop } from '../../examples/shop.example';
import { FirewallMatrix, Guard, ZoneKind } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';

describe('firewall example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewall-example-'));
  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'dist') });
  const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
  const matrix: FirewallMatrix = build(k8sApp, awsApp);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('cdk-nag AwsSolutions: zero findings on the example stack', () => {
    // A control stack with a known finding proves the pack runs; the example stack must not appear in the report.
    const control = new cdk.Stack(awsApp, 'nag-control');
    const sg = new ec2.SecurityGroup(control, 'Open', { vpc: new ec2.Vpc(control, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    cdk.Validations.of(awsApp).addPlugins(new AwsSolutionsChecks(awsApp));
    let report = '';
    try { awsApp.synth(); } catch (e) { report = (e as Error).message; }
    expect(report).toContain('nag-control/');
    expect(report.split('\n').filter(l => l.includes('network-firewall/'))).toEqual([]);
  });

  test('NetworkPolicies: valid and guard-clean; document written next to the output', () => {
    const chart = k8sApp.charts.find(c => c.node.id === 'network-policies')!;
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(objects.filter(o => o.metadata.name.endsWith('default-deny')).map(o => o.metadata.namespace).sort()).toEqual(['shop']);
    const md = fs.readFileSync(path.join(outdir, 'dist', 'cluster.md'), 'utf-8');
    expect(md).toContain('Calico VXLAN overlay');
    expect(md).toContain('```mermaid');
  });

  test('the VXLAN overlay joins every pair of hosts zones both ways, so the control plane reaches pod IPs', () => {
    const overlay = matrix.flows.filter(f => f.port.toString() === 'UDP 4789').map(f => `${f.from} -> ${f.to}`).sort();
    expect(overlay).toEqual(['control-plane -> control-plane', 'control-plane -> nodes', 'nodes -> control-plane', 'nodes -> nodes']);
    // rendered as security group rules (on a stack of its own: the example's app carries the cdk-nag control stack)
    const stack = new cdk.Stack(new cdk.App(), 'overlay');
    const sgs = matrix.renderSecurityGroups(stack, 'Firewall', new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }));
    const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
    const id = (zone: string) => ({ 'Fn::GetAtt': [stack.getLogicalId(sgs.securityGroup(zone).node.defaultChild as cdk.CfnElement), 'GroupId'] });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: id('nodes'), SourceSecurityGroupId: id('control-plane'), IpProtocol: 'udp', FromPort: 4789, ToPort: 4789 });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: id('control-plane'), SourceSecurityGroupId: id('nodes'), IpProtocol: 'udp', FromPort: 4789, ToPort: 4789 });
  });

  test('the matrix writes nothing into monitoring (not its namespace): the scrape is an ingress allowance in shop', () => {
    const objects = synth(k8sApp.charts.find(c => c.node.id === 'network-policies')!);
    expect([...new Set(objects.map(o => o.metadata.namespace))]).toEqual(['shop']);
    const prometheus = matrix.zones.find(z => z.name === 'prometheus')!;
    expect(prometheus.manageNamespace).toBe(false);
    const n = matrix.flows.findIndex(f => f.from === 'prometheus' && f.to === 'order-worker') + 1;
    const scrape = objects.find(o => o.metadata.name === `cluster-flow-${n}-ingress`);
    expect(scrape.metadata.namespace).toBe('shop');
    expect(scrape.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'order-worker' } });
    expect(scrape.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    }]);
    expect(objects.map(o => o.metadata.name)).not.toContain(`cluster-flow-${n}-egress`);
  });

  test('pod flows to address ranges and hosts zones are also rules on the nodes group (pod traffic leaves through the nodes)', () => {
    const stack = new cdk.Stack(new cdk.App(), 'pod-egress');
    const sgs = matrix.renderSecurityGroups(stack, 'Firewall', new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }), { podHostsZone: 'nodes' });
    const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
    const id = (zone: string) => ({ 'Fn::GetAtt': [stack.getLogicalId(sgs.securityGroup(zone).node.defaultChild as cdk.CfnElement), 'GroupId'] });
    const nodes = Object.entries(t.findResources('AWS::EC2::SecurityGroup')).find(([k]) => JSON.stringify(id('nodes')).includes(`"${k}"`))![1] as any;
    expect(nodes.Properties.SecurityGroupEgress).toEqual(expect.arrayContaining([
      { CidrIp: '10.40.0.0/24', Description: 'shop API to its database', FromPort: 5432, IpProtocol: 'tcp', ToPort: 5432 },
      { CidrIp: '203.0.113.0/24', Description: 'payments to the payment provider', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]));
    // order-worker -> control-plane 6443 lands on the preset's nodes -> control-plane rule: one rule, both purposes
    const apiServer = { IpProtocol: 'tcp', FromPort: 6443, ToPort: 6443, Description: 'kubelets and pods to kube-apiserver; order worker reads its job-queue ConfigMaps (apiAccess)' };
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: id('nodes'), DestinationSecurityGroupId: id('control-plane'), ...apiServer });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: id('control-plane'), SourceSecurityGroupId: id('nodes'), ...apiServer });
    expect(Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r: any) => r.Properties.FromPort === 6443
      && JSON.stringify(r.Properties.SourceSecurityGroupId) === JSON.stringify(id('nodes')))).toHaveLength(1);
    // pod-to-pod flows (shop internals, the scrape) stay NetworkPolicy-only: the overlay carries them between nodes
    const podPorts = [8080, 8443, 9090];
    const nodesRules = [...nodes.Properties.SecurityGroupEgress, ...(nodes.Properties.SecurityGroupIngress ?? []),
      ...Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties).filter(r => JSON.stringify(r.GroupId) === JSON.stringify(id('nodes'))),
      ...Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r: any) => r.Properties).filter(r => JSON.stringify(r.GroupId) === JSON.stringify(id('nodes')))];
    expect(nodesRules.filter(r => podPorts.includes(r.FromPort))).toEqual([]);
  });

  test('each flow NetworkPolicy cluster-flow-<n>-* is row #<n> of dist/cluster.md', () => {
    const md = fs.readFileSync(path.join(outdir, 'dist', 'cluster.md'), 'utf-8');
    const objects = synth(k8sApp.charts.find(c => c.node.id === 'network-policies')!).filter(o => /-flow-/.test(o.metadata.name));
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      const n = Number(/^cluster-flow-(\d+)-(ingress|egress)$/.exec(o.metadata.name)![1]);
      const f = matrix.flows[n - 1];
      expect(md).toContain(`| ${n} | ${f.from} | ${f.to} | ${f.port.protocol} | ${f.port.fromPort} | ${o.metadata.annotations['hardened.cdk8s.io/purpose']} |`);
    }
    const apiServer = matrix.flows.findIndex(f => f.from === 'order-worker' && f.to === 'control-plane') + 1;
    expect(objects.map(o => o.metadata.name)).toContain(`cluster-flow-${apiServer}-egress`);
  });

  describe('pod-level flows match the workloads of examples/shop.example.ts', () => {
    const shopApp = new cdk8s.App({ outdir: path.join(outdir, 'shop') });
    buildShop(shopApp, new cdk.App({ outdir: path.join(outdir, 'shop-cdk.out') }));
    const shop = shopApp.charts.flatMap(c => synth(c)).filter(o => o.metadata?.namespace === 'shop');
    const deployments = shop.filter(o => o.kind === 'Deployment');
    const policies = shop.filter(o => o.kind === 'NetworkPolicy');
    const selects = (labels: { [k: string]: string }, podLabels: { [k: string]: string }) => Object.entries(labels).every(([k, v]) => podLabels[k] === v);
    /** The shop Deployment a pod zone selects (exactly one). */
    const deploymentOf = (zoneName: string) => {
      const z = matrix.zones.find(x => x.name === zoneName)!;
      const matches = deployments.filter(d => selects(z.labels!, d.spec.template.metadata.labels));
      expect(matches.map(d => d.metadata.name)).toHaveLength(1);
      return matches[0];
    };
    const shopZones = matrix.zones.filter(z => z.kind === ZoneKind.PODS && z.namespace === 'shop');
    const shopFlows = matrix.flows.filter(f => shopZones.some(z => z.name === f.from || z.name === f.to));

    test('every shop pod zone selects one of its Deployments, and every Deployment has a zone', () => {
      expect(shopZones.map(z => deploymentOf(z.name).metadata.name).sort()).toEqual(deployments.map(d => d.metadata.name).sort());
    });

    test('every flow into a shop workload targets its container port', () => {
      for (const f of shopFlows.filter(x => shopZones.some(z => z.name === x.to))) {
        const ports = deploymentOf(f.to).spec.template.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.containerPort));
        expect({ flow: `${f.from} -> ${f.to}`, ports: [f.port.fromPort, f.port.toPort] }).toEqual({ flow: `${f.from} -> ${f.to}`, ports: [ports[0], ports[0]] });
      }
      expect(shopFlows.map(f => `${f.from} -> ${f.to} ${f.port.toString()}`)).toContain('prometheus -> order-worker TCP 9090');
      expect(shopFlows.some(f => f.from === 'prometheus' && f.to === 'api')).toBe(false);
    });

    test('only workloads with Kubernetes API access (apiAccess: a RoleBinding for their ServiceAccount) reach the API server', () => {
      const bound = new Set(shop.filter(o => o.kind === 'RoleBinding').flatMap(b => b.subjects.filter((x: any) => x.kind === 'ServiceAccount').map((x: any) => x.name)));
      const toApiServer = shopFlows.filter(f => f.to === 'control-plane');
      expect(toApiServer.map(f => `${f.from} ${f.port.toString()}`)).toEqual(['order-worker TCP 6443']);
      for (const f of toApiServer) expect(bound).toContain(deploymentOf(f.from).spec.template.spec.serviceAccountName);
      expect(deployments.filter(d => bound.has(d.spec.template.spec.serviceAccountName)).map(d => d.metadata.name)).toEqual(['order-worker']);
    });

    test('shop pod-to-pod flows are the same both ways; egress out of the namespace matches the shop egress rules', () => {
      // pod-to-pod: each ingress rule of a shop NetworkPolicy that names shop pods is a matrix flow, and back
      const shopPeers: string[] = [];
      for (const np of policies) {
        const to = deployments.find(d => selects(np.spec.podSelector.matchLabels, d.spec.template.metadata.labels))!.metadata.name;
        for (const rule of np.spec.ingress ?? []) {
          for (const peer of rule.from.filter((p: any) => p.podSelector && !p.namespaceSelector)) {
            const from = deployments.find(d => selects(peer.podSelector.matchLabels, d.spec.template.metadata.labels))!.metadata.name;
            for (const p of rule.ports) shopPeers.push(`${from} -> ${to} ${p.protocol} ${p.port}`);
          }
        }
      }
      const zoneToDeployment = (name: string) => deploymentOf(name).metadata.name;
      const matrixPeers = shopFlows.filter(f => shopZones.some(z => z.name === f.from) && shopZones.some(z => z.name === f.to))
        .map(f => `${zoneToDeployment(f.from)} -> ${zoneToDeployment(f.to)} ${f.port.toString()}`);
      expect(matrixPeers.sort()).toEqual(shopPeers.sort());

      // egress to address ranges (database, payment provider, API server): the same CIDR and port in both
      const shopEgress: string[] = [];
      for (const np of policies) {
        const from = deployments.find(d => selects(np.spec.podSelector.matchLabels, d.spec.template.metadata.labels))!.metadata.name;
        for (const rule of np.spec.egress ?? []) {
          for (const peer of rule.to.filter((p: any) => p.ipBlock)) for (const p of rule.ports) shopEgress.push(`${from} -> ${peer.ipBlock.cidr} ${p.protocol} ${p.port}`);
        }
      }
      const matrixEgress = shopFlows.filter(f => !shopZones.some(z => z.name === f.to))
        .map(f => `${zoneToDeployment(f.from)} -> ${matrix.zones.find(z => z.name === f.to)!.cidrBlock} ${f.port.toString()}`);
      expect(matrixEgress.sort()).toEqual(shopEgress.sort());
    });
  });
});
