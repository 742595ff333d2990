/**
 * A validated FirewallMatrix cannot be changed behind validation: zones, flows and ports are frozen snapshots read once,
 * the renderers read only the matrix's private validated state, and rendering NetworkPolicies puts the chart under the guard.
 */
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App, Chart } from 'cdk8s';
import { Flow, FirewallMatrix, FlowPort, Zone } from '../../lib';
import { synth, synthError } from '../util/synth';

const preset = () => FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24', nodesCidr: '10.0.16.0/20' });

/** The CIDR ingress rules of a rendered stack, as `cidr port` strings. */
function cidrIngress(m: FirewallMatrix): string[] {
  const stack = new cdk.Stack(new cdk.App(), 'S');
  m.renderSecurityGroups(stack, 'Firewall', new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }));
  const t = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
  return Object.values(t.findResources('AWS::EC2::SecurityGroup')).flatMap((r: any) => (r.Properties.SecurityGroupIngress ?? []))
    .filter((x: any) => x.CidrIp || x.CidrIpv6).map((x: any) => `${x.CidrIp ?? x.CidrIpv6} ${x.FromPort}`).sort();
}

describe('zones, flows and ports are frozen; what was validated is what is rendered', () => {
  test('zones and ports are frozen objects: assigning a field throws', () => {
    const zone = Zone.cidr('partner', '198.51.100.0/24');
    const port = FlowPort.tcp(443);
    expect(() => { (zone as any).cidrBlock = '0.0.0.0/0'; }).toThrow(TypeError);
    expect(() => { (port as any).fromPort = 1; }).toThrow(TypeError);
    const pods = Zone.pods('api', 'shop', { app: 'api' });
    expect(() => { (pods.labels as any).app = 'other'; }).toThrow(TypeError);
  });

  test('the caller\'s labels object is copied: changing it after addZone changes no policy', () => {
    const labels: { [k: string]: string } = { 'app.kubernetes.io/name': 'api' };
    const m = preset().addZone(Zone.pods('api', 'shop', labels)).allow('nodes', 'api', FlowPort.tcp(8080), 'kubelet probes');
    labels['app.kubernetes.io/name'] = 'bad key!'; // would fail firewall-zone-invalid
    delete labels['app.kubernetes.io/name'];       // an empty selector: every pod of the namespace
    const chart = new Chart(new App(), 'net');
    m.renderNetworkPolicies(chart, 'p');
    const ingress = synth(chart).find(o => o.metadata.name === 'cluster-flow-10-ingress');
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
  });

  test('a zone whose getter answers differently later is read once: the validated CIDR is the rendered one', () => {
    let reads = 0;
    const sly = Object.create(Zone.prototype, {
      name: { get: () => 'sly' }, kind: { get: () => 'cidr' }, description: { get: () => 'partner' },
      cidrBlock: { get: () => (reads++ === 0 ? '198.51.100.0/24' : '0.0.0.0/0') },
      manageNamespace: { get: () => true },
    });
    const m = preset().addZone(sly).allow('sly', 'nodes', FlowPort.tcp(10250), 'partner reads kubelet');
    expect(m.toManifest().spec.zones.find((z: any) => z.name === 'sly').cidr).toBe('198.51.100.0/24');
    expect(cidrIngress(m)).toContain('198.51.100.0/24 10250');
    expect(cidrIngress(m).some(r => r.startsWith('0.0.0.0/0'))).toBe(false);
  });

  test('a port whose getter answers differently later is read once', () => {
    let reads = 0;
    const sly = Object.create(FlowPort.prototype, {
      protocol: { get: () => 'TCP' }, fromPort: { get: () => (reads++ === 0 ? 443 : 10250) }, toPort: { get: () => 443 },
    });
    const m = preset().addZone(Zone.cidr('internet', '0.0.0.0/0')).allow('internet', 'nodes', sly, 'HTTPS ingress');
    expect(m.flows.map(f => `${f.from} ${f.port.fromPort}-${f.port.toPort}`)).toContain('internet 443-443');
    expect(cidrIngress(m)).toEqual(['0.0.0.0/0 443', '192.0.2.0/24 6443']);
  });

  test('the zones and flows handed out are copies of frozen entries', () => {
    const m = preset();
    m.flows.push({ from: 'admins', to: 'nodes', port: FlowPort.tcp(10250), purpose: 'sneak' } as Flow);
    m.zones.pop();
    expect(m.flows.length).toBe(9);
    expect(m.zones.map(z => z.name)).toEqual(['control-plane', 'nodes', 'admins']);
    expect(() => { (m.flows[0] as any).to = 'nodes'; }).toThrow(TypeError);
    expect(() => { (m as any).name = 'other'; }).toThrow(TypeError);
    const doc = m.toManifest();
    doc.spec.flows.push({ from: 'admins', to: 'nodes', protocol: 'TCP', fromPort: 10250, toPort: 10250, purpose: 'sneak' });
    expect(m.toManifest().spec.flows.length).toBe(9);
  });

  test('a subclass that overrides the getters cannot change what is rendered', () => {
    class Sly extends FirewallMatrix {
      public get flows(): Flow[] { return [{ from: 'admins', to: 'nodes', port: FlowPort.tcp(10250), purpose: 'sneak' }]; }
    }
    const m = new Sly('cluster').addZone(Zone.hosts('nodes')).addZone(Zone.cidr('admins', '0.0.0.0/0'));
    expect(m.toManifest().spec.flows).toEqual([]);
    expect(cidrIngress(m)).toEqual([]);
  });
});

describe('rendering NetworkPolicies puts the chart under the guard', () => {
  test('a plain chart gets the guard, which judges the rendered policies', () => {
    const m = preset().addZone(Zone.cidr('internet', '0.0.0.0/0')).addZone(Zone.pods('web', 'shop', { app: 'web' }))
      .allow('internet', 'web', FlowPort.tcp(8443), 'public HTTPS straight to pods');
    const chart = new Chart(new App(), 'plain');
    m.renderNetworkPolicies(chart, 'p');
    expect(chart.node.tryFindChild('HardeningGuard')).toBeDefined();
    expect(synthError(chart)).toMatch(/network-policy-ipblock-any/);
  });
});
