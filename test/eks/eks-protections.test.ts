import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { EksThreatDetection, HardenedNodeLaunchTemplate, TenantAccessEntry, TenantAccessLevel } from '../../lib';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const stack = () => new cdk.Stack(new cdk.App({ builtinCloudFormationValidation: false }), 'S', { env: ENV });

describe('EksThreatDetection (GuardDuty)', () => {
  test('defaults: EKS audit-log and runtime monitoring on, GuardDuty manages the agent add-on, 15-minute publishing', () => {
    const s = stack();
    new EksThreatDetection(s, 'GuardDuty');
    Template.fromStack(s).hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: [
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
        { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] },
      ],
    });
  });

  test('each protection is off only with a recorded reason', () => {
    const s = stack();
    const d = new EksThreatDetection(s, 'GuardDuty', { runtimeMonitoringDisabledReason: 'Fargate only: no nodes (SEC-9)' });
    const detector = Object.values<any>(Template.fromStack(s).findResources('AWS::GuardDuty::Detector'))[0];
    expect(detector.Properties.Features[0].Status).toBe('ENABLED');
    expect(detector.Properties.Features[1].Status).toBe('DISABLED');
    expect(d.node.metadata.find(m => m.type === 'cdk8s-hardened:runtimeMonitoringDisabledReason')?.data).toBe('Fargate only: no nodes (SEC-9)');
    expect(() => new EksThreatDetection(stack(), 'G', { auditLogMonitoringDisabledReason: '' })).toThrow(/props\.auditLogMonitoringDisabledReason="": must say why/);
    expect(() => new EksThreatDetection(stack(), 'G', { findingPublishingFrequency: 'DAILY' })).toThrow(/props\.findingPublishingFrequency="DAILY"/);
  });
});

describe('TenantAccessEntry', () => {
  const cluster = (s: cdk.Stack) => eks.Cluster.fromClusterAttributes(s, 'Cluster', { clusterName: 'shop-prod' });

  test('namespace-scoped AmazonEKSEditPolicy by default; VIEW on request; never cluster scope', () => {
    const s = stack();
    const c = cluster(s);
    new TenantAccessEntry(s, 'TeamA', { cluster: c, principalArn: 'arn:aws:iam::111122223333:role/team-a', namespaces: ['team-a'] });
    new TenantAccessEntry(s, 'Auditors', { cluster: c, principalArn: 'arn:aws:iam::111122223333:role/auditors', namespaces: ['team-a', 'team-b'], accessLevel: TenantAccessLevel.VIEW });
    const entries = Object.values<any>(Template.fromStack(s).findResources('AWS::EKS::AccessEntry')).map(e => e.Properties);
    expect(entries.map(e => e.PrincipalArn)).toEqual(['arn:aws:iam::111122223333:role/team-a', 'arn:aws:iam::111122223333:role/auditors']);
    expect(entries[0].AccessPolicies[0].AccessScope).toEqual({ Type: 'namespace', Namespaces: ['team-a'] });
    expect(JSON.stringify(entries[0].AccessPolicies[0].PolicyArn)).toContain('AmazonEKSEditPolicy');
    expect(JSON.stringify(entries[1].AccessPolicies[0].PolicyArn)).toContain('AmazonEKSViewPolicy');
    for (const e of entries) expect(JSON.stringify(e)).not.toMatch(/"cluster"|AdminPolicy/);
  });

  test.each([[[]], [['kube-system']], [['Team-A']], [['']]])('namespaces %j are refused', namespaces => {
    const s = stack();
    expect(() => new TenantAccessEntry(s, 'T', { cluster: cluster(s), principalArn: 'arn:aws:iam::111122223333:role/t', namespaces })).toThrow(/\[S\/T\] props\.namespaces/);
  });

  test('an access level outside the enum (e.g. a cluster admin policy name) is refused', () => {
    const s = stack();
    expect(() => new TenantAccessEntry(s, 'T', { cluster: cluster(s), principalArn: 'arn:aws:iam::111122223333:role/t', namespaces: ['t'], accessLevel: 'AmazonEKSClusterAdminPolicy' as any }))
      .toThrow(/props\.accessLevel="AmazonEKSClusterAdminPolicy"/);
  });
});

describe('HardenedNodeLaunchTemplate', () => {
  test('IMDSv2 required, hop limit 1, metadata endpoint on, detailed monitoring', () => {
    const s = stack();
    new HardenedNodeLaunchTemplate(s, 'Nodes');
    const lt = Object.values<any>(Template.fromStack(s).findResources('AWS::EC2::LaunchTemplate'))[0];
    expect(lt.Properties.LaunchTemplateData.MetadataOptions).toEqual({ HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1, HttpTokens: 'required' });
    expect(lt.Properties.LaunchTemplateData.Monitoring).toEqual({ Enabled: true });
    expect(lt.Properties.LaunchTemplateName).toBeUndefined(); // default: generated
  });
});
