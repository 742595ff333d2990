import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cdk8s from 'cdk8s';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from '../../examples/firewall.example';
import { Guard } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';

describe('firewall example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'firewall-example-'));
  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'dist') });
  const awsApp = new cdk.App({ outdir: path.join(outdir, 'cdk.out') });
  build(k8sApp, awsApp);
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
    expect(objects.filter(o => o.metadata.name.endsWith('default-deny')).map(o => o.metadata.namespace).sort()).toEqual(['monitoring', 'shop']);
    const md = fs.readFileSync(path.join(outdir, 'dist', 'cluster.md'), 'utf-8');
    expect(md).toContain('Calico VXLAN overlay');
    expect(md).toContain('```mermaid');
  });
});
