import { FirewallMatrix, FlowPort, Zone } from '../../lib';

/**
 * Issue #27: administrative ports (SSH 22, RDP 3389, the API server 6443, the kubelet 10250 / 10255, etcd 2379-2380) and
 * any range containing them are refused from public address space however it is written, judged by the same
 * address-set evaluator as NetworkPolicies (unions across zones and rules, ::/0, IPv4-mapped IPv6, more than 2^24
 * public IPv4 addresses).
 */
const preset = (adminCidr = '192.0.2.0/24') => FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr, nodesCidr: '10.0.16.0/20' });

const ADMIN_PORTS: Array<[string, FlowPort]> = [
  ['SSH', FlowPort.tcp(22)],
  ['RDP', FlowPort.tcp(3389)],
  ['kube-apiserver', FlowPort.tcp(6443)],
  ['kubelet', FlowPort.tcp(10250)],
  ['kubelet read-only', FlowPort.tcp(10255)],
  ['etcd', FlowPort.tcpRange(2379, 2380)],
  ['etcd', FlowPort.tcp(2380)],
  ['SSH', FlowPort.tcpRange(1, 1024)],
  ['RDP', FlowPort.tcpRange(3000, 4000)],
  ['SSH', FlowPort.udp(22)],
  ['RDP', FlowPort.udp(3389)],
];

/** Single zones that are "anywhere". */
const ANYWHERE_ONE_ZONE = ['0.0.0.0/0', '::/0', '::ffff:0:0/96', '64:ff9b::/96', '0.0.0.0/1', '2000::/3', '2.0.0.0/7'];

describe.each(['nodes', 'control-plane'])('administrative ports on %s', to => {
  test.each(ANYWHERE_ONE_ZONE.flatMap(cidr => ADMIN_PORTS.map(([name, port]) => [cidr, name, port] as const)))(
    'from %s to %s (%o) is refused', (cidr, name, port) => {
      const m = preset().addZone(Zone.cidr('internet', cidr));
      expect(() => m.allow('internet', to, port, 'admin')).toThrow(new RegExp(`firewall-sensitive-port-exposed: .*${name.replace(/[()]/g, '.')}`));
      expect(m.flows.some(f => f.from === 'internet')).toBe(false);
    });

  test.each(ADMIN_PORTS)('halves in two zones (0.0.0.0/1 + 128.0.0.0/1) to %s are refused on the second flow', (_name, port) => {
    const m = preset().addZone(Zone.cidr('low', '0.0.0.0/1')).addZone(Zone.cidr('high', '128.0.0.0/1'));
    // 0.0.0.0/1 alone is already more than 2^24 public addresses: refused on its own.
    expect(() => m.allow('low', to, port, 'admin')).toThrow(/firewall-sensitive-port-exposed/);
  });

  test('two public /8s in two zones (2 x 2^24 public addresses): the second flow is refused as a union', () => {
    const m = preset().addZone(Zone.cidr('a', '11.0.0.0/8')).addZone(Zone.cidr('b', '12.0.0.0/8'));
    m.allow('a', to, FlowPort.tcp(22), 'one /8 is not anywhere');
    expect(() => m.allow('b', to, FlowPort.tcp(22), 'two /8s are')).toThrow(/firewall-sensitive-port-exposed: zone "b" .*with zone\(s\) "a"/);
    // The same two zones on a port that is not administrative are fine.
    m.allow('b', to, FlowPort.tcp(8443), 'app');
  });

  test('a partner /24 and private ranges may reach SSH', () => {
    const m = preset().addZone(Zone.cidr('vpn', '198.51.100.0/24')).addZone(Zone.cidr('corp', '10.0.0.0/8'));
    m.allow('vpn', to, FlowPort.tcp(22), 'bastion');
    m.allow('corp', to, FlowPort.tcp(3389), 'jump hosts');
    expect(m.flows.filter(f => f.port.fromPort === 22 || f.port.fromPort === 3389)).toHaveLength(2);
  });
});

describe("the preset's adminCidr", () => {
  test.each(['0.0.0.0/0', '::/0', '0.0.0.0/1', '128.0.0.0/1', '::ffff:0:0/96', '2000::/3'])('%s is refused at the preset', cidr => {
    expect(() => preset(cidr)).toThrow(new RegExp(`\\[FirewallMatrix\\(cluster\\)\\] options\\.adminCidr="${cidr.replace(/[.:/]/g, m => `\\${m}`)}" violates firewall-sensitive-port-exposed: .* Fix:`));
  });

  test.each(['192.0.2.0/24', '10.0.0.0/8', '198.51.100.7/32', '2001:db8::/32'])('%s is accepted', cidr => {
    expect(preset(cidr).flows.find(f => f.from === 'admins')?.port.fromPort).toBe(6443);
  });
});
