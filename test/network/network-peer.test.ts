/**
 * NetworkPeer / HardenedDeployment refuse "anywhere" ingress at construct time through the same rules (and so the same
 * netreach evaluators) as the guard and the CLI: however it is spelled, alone or with the workload's other peers.
 */
import { HardenedDeployment, NetworkPeer } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { synth } from '../util/synth';
import { byKind, MINIMAL, newChart } from '../workload/helpers';

const holes = Array.from({ length: 100 }, (_, i) => `8.8.${i}.1/32`);

describe('ingress peers that reach anywhere are refused at construct time', () => {
  test.each([
    ['0.0.0.0/0 minus a hundred /32 holes', [NetworkPeer.ipBlock('0.0.0.0/0', holes)], /ingressFrom="0\.0\.0\.0\/0" violates network-policy-ipblock-any: ingress from 0\.0\.0\.0\/0 \(it reaches 3,702,258,588 public IPv4 addresses/],
    ['IPv4-mapped ::ffff:0:0/96', [NetworkPeer.ipBlock('::ffff:0:0/96')], /ingressFrom="::ffff:0:0\/96" violates network-policy-ipblock-any: ingress from ::ffff:0:0\/96 \(it reaches 3,702,258,688 public IPv4 addresses \(100% of public IPv4\)/],
    ['NAT64 64:ff9b::/96', [NetworkPeer.ipBlock('64:ff9b::/96')], /violates network-policy-ipblock-any/],
    ['two public /8s, each fine alone', [NetworkPeer.ipBlock('3.0.0.0/8'), NetworkPeer.ipBlock('4.0.0.0/8')],
      /ingressFrom="ipBlock 4\.0\.0\.0\/8" violates network-policy-ipblock-any: ingress from 3\.0\.0\.0\/8 \(with the policy's other ipBlocks it reaches 33,554,432 public IPv4 addresses/],
    ['a /8 natively and a /8 IPv4-mapped', [NetworkPeer.ipBlock('3.0.0.0/8'), NetworkPeer.ipBlock('::ffff:4.0.0.0/104')], /violates network-policy-ipblock-any/],
  ] as [string, NetworkPeer[], RegExp][])('%s', (_, ingressFrom, message) => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ingressFrom })).toThrow(message);
  });

  test('the union is checked on allowIngressFrom too, naming the path, the rule and the fix', () => {
    const api = new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ingressFrom: [NetworkPeer.ipBlock('3.0.0.0/8')] });
    let error: HardeningError | undefined;
    try { api.allowIngressFrom(NetworkPeer.ipBlock('5.0.0.0/8')); } catch (e) { error = e as HardeningError; }
    expect(error).toBeInstanceOf(HardeningError);
    expect(error!.message).toMatch(/^\[test\/api\] ingressFrom="ipBlock 5\.0\.0\.0\/8" violates network-policy-ipblock-any: .* Fix: Admit the ingress controller/);
    // the refused peer is not kept
    const policy = byKind(synthChart(api), 'NetworkPolicy')[0];
    expect(policy.spec.ingress.map((r: any) => r.from[0].ipBlock.cidr)).toEqual(['3.0.0.0/8']);
  });

  test('one public /8, private ranges in any spelling, and narrow public ranges together are accepted', () => {
    const api = new HardenedDeployment(newChart(), 'api', {
      ...MINIMAL,
      ingressFrom: [NetworkPeer.ipBlock('3.0.0.0/8'), NetworkPeer.ipBlock('10.0.0.0/8'), NetworkPeer.ipBlock('::ffff:172.16.0.0/108'),
        NetworkPeer.ipBlock('198.51.100.0/24'), NetworkPeer.ipBlock('0.0.0.0/0', ['0.0.0.0/1', '128.0.0.0/1'])],
    });
    expect(byKind(synthChart(api), 'NetworkPolicy')[0].spec.ingress).toHaveLength(5);
  });

  test('egress to anywhere stays a warning for the guard (port-scoped egress to the internet is a legitimate need)', () => {
    // Cloud metadata and link-local space excepted: egress reaching them is an error (network-policy-egress-cloud-metadata).
    const api = new HardenedDeployment(newChart(), 'api', { ...MINIMAL, egressTo: [{ peer: NetworkPeer.ipBlock('0.0.0.0/0', [...holes, '169.254.0.0/16', '100.100.100.200/32']), port: 443 }] });
    expect(byKind(synthChart(api), 'NetworkPolicy')[0].spec.egress[1].to[0].ipBlock.cidr).toBe('0.0.0.0/0');
  });

  test('the except list is copied: emptying it afterwards changes nothing', () => {
    const except = ['0.0.0.0/1', '128.0.0.0/1'];
    const peer = NetworkPeer.ipBlock('0.0.0.0/0', except);
    const api = new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ingressFrom: [peer] });
    except.length = 0;
    expect(byKind(synthChart(api), 'NetworkPolicy')[0].spec.ingress[0].from[0].ipBlock.except).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
    expect(() => { (peer as any).cidr = '0.0.0.0/0'; }).toThrow(TypeError);
  });
});

function synthChart(d: HardenedDeployment): any[] {
  return synth(d.node.scope as any);
}
