import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import {
  ArchiveLockMode, EksAuditTrail, EksThreatDetection, HardenedNodeLaunchTemplate, TenantAccessEntry, TenantAccessLevel, EncryptedSecretsProvider,
  ExistingEksCluster, FirewallMatrix, LogsEncryptionKey, SecretsEncryptionKey, WorkloadIdentity,
} from '../../lib';

export const NAG_ENV = { account: '111122223333', region: 'eu-west-1' };
const OIDC_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LAYER_ARN = 'arn:aws:lambda:eu-west-1:111122223333:layer:kubectl:1';

/** The packs every AWS construct is judged by. */
export const PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/**
 * Every AWS construct of the library, with default and non-default options, each in a stack of its own (named after
 * what it shows), plus a control stack with a known finding per pack. Scaffolding that is not the library's (a VPC for
 * the kubectl handler and the security groups) lives under `<stack>/Fixture`.
 */
export function buildNagApp(outdir: string): cdk.App {
  const app = new cdk.App({ outdir, builtinCloudFormationValidation: false });
  const stack = (id: string) => new cdk.Stack(app, id, { env: NAG_ENV });

  // Secrets: the key with its defaults, a provider with Pod Identity and one with IRSA (an existing provider: no Lambda).
  {
    const s = stack('secrets-pod-identity');
    const provider = new EncryptedSecretsProvider(s, 'Secrets', { identity: WorkloadIdentity.podIdentity({ clusterName: 'shop-prod' }) });
    provider.addSecret('Db', { secretName: 'shop/db' }).grantRead({ namespace: 'shop', serviceAccountName: 'api' });
  }
  {
    const s = stack('secrets-irsa');
    const key = new SecretsEncryptionKey(s, 'Key', { alias: 'alias/shop/secrets', logGroupNames: ['/aws/eks/shop-prod/cluster'],
      admins: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/security-admin')] });
    const provider = new EncryptedSecretsProvider(s, 'Secrets', {
      encryptionKey: key,
      identity: WorkloadIdentity.irsaFromProvider(iam.OidcProviderNative.fromOidcProviderArn(s, 'Oidc', OIDC_ARN)),
    });
    provider.addSecret('Db', { secretName: 'shop/db', rotationDisabledReason: 'the database team rotates it in their stack (SEC-7)' })
      .grantRead({ namespace: 'shop', serviceAccountName: 'api' });
    const role = new iam.Role(s, 'FixtureControlPlane', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    key.grantEncryptionProvider(role);
  }
  {
    const s = stack('secrets-existing-key');
    const provider = new EncryptedSecretsProvider(s, 'Secrets', {
      existingKey: kms.Key.fromKeyArn(s, 'Key', KEY_ARN), identity: WorkloadIdentity.podIdentity({ clusterName: 'shop-prod' }),
    });
    const rotator = lambda.Function.fromFunctionArn(s, 'FixtureRotator', 'arn:aws:lambda:eu-west-1:111122223333:function:rotate-shop-db');
    provider.addSecret('Db', { secretName: 'shop/db', rotationLambda: rotator }).grantRead({ namespace: 'shop', serviceAccountName: 'api' });
  }
  // Audit trail: defaults; an existing cluster's log group with imported keys, GOVERNANCE with a reason, subscriptions.
  {
    const s = stack('audit-default');
    new EksAuditTrail(s, 'Trail', { clusterName: 'shop-prod', alarmEmails: ['oncall@example.com'] });
  }
  {
    const s = stack('audit-options');
    new EksAuditTrail(s, 'Trail', {
      clusterName: 'shop-dev',
      logGroup: logs.LogGroup.fromLogGroupName(s, 'Existing', '/aws/eks/shop-dev/cluster'),
      key: kms.Key.fromKeyArn(s, 'AuditKey', KEY_ARN),
      archiveLockMode: ArchiveLockMode.GOVERNANCE,
      archiveRetentionDays: 30,
      weakerArchiveLockReason: 'sandbox account: test data',
      alarmHttpsEndpoints: ['https://oncall.example.com/hooks/eks'],
      tamperAlarmsDisabledReason: 'organization trail alarms on these centrally (SEC-42)',
      keyAdmins: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/security-admin')],
    });
  }
  {
    const s = stack('audit-replica');
    new EksAuditTrail(s, 'Trail', {
      clusterName: 'shop-prod',
      archiveReplicaBucketArn: 'arn:aws:s3:::log-archive-eks-audit',
      archiveReplicaKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  }
  {
    const s = stack('logs-key');
    new LogsEncryptionKey(s, 'FlowLogsKey', { logGroupNames: ['/shop/vpc-flow-logs'] });
  }
  // ExistingEksCluster: with an existing kubectl role; without one (the library creates it and its access entry), in a VPC.
  {
    const s = stack('existing-cluster-role');
    ExistingEksCluster.fromClusterAttributes(s, 'Cluster', {
      clusterName: 'shop-prod',
      kubectlProviderOptions: {
        kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(s, 'Layer', LAYER_ARN),
        role: iam.Role.fromRoleArn(s, 'KubectlRole', 'arn:aws:iam::111122223333:role/eks-kubectl'),
      },
    });
  }
  {
    const s = stack('existing-cluster-no-role');
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'FixtureVpc', {
      vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-11111111', 'subnet-22222222'],
    });
    ExistingEksCluster.fromClusterAttributes(s, 'Cluster', {
      clusterName: 'shop-prod',
      vpc,
      clusterSecurityGroupId: 'sg-12345678',
      kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(s, 'Layer', LAYER_ARN), privateSubnets: vpc.privateSubnets },
    }, { kubectlNamespaces: ['shop', 'payments'] });
  }
  {
    const s = stack('existing-cluster-admin');
    ExistingEksCluster.fromClusterAttributes(s, 'Cluster', {
      clusterName: 'shop-prod', kubectlProviderOptions: { kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(s, 'Layer', LAYER_ARN) },
    }, { kubectlClusterAdminReason: 'the app applies Namespaces and CRDs' });
  }
  // EKS protections: GuardDuty (defaults, and runtime off with a reason), tenant access entries, node launch template.
  {
    const s = stack('eks-protections');
    new EksThreatDetection(s, 'GuardDuty');
    const c = eks.Cluster.fromClusterAttributes(s, 'FixtureCluster', { clusterName: 'shop-prod' });
    new TenantAccessEntry(s, 'TeamA', { cluster: c, principalArn: 'arn:aws:iam::111122223333:role/team-a', namespaces: ['team-a'] });
    new TenantAccessEntry(s, 'Auditors', { cluster: c, principalArn: 'arn:aws:iam::111122223333:role/auditors', namespaces: ['team-a'], accessLevel: TenantAccessLevel.VIEW });
    new HardenedNodeLaunchTemplate(s, 'Nodes');
  }
  {
    const s = stack('eks-guardduty-options');
    new EksThreatDetection(s, 'GuardDuty', { runtimeMonitoringDisabledReason: 'Fargate only (SEC-9)', findingPublishingFrequency: 'ONE_HOUR' });
  }
  // FirewallMatrix security groups.
  {
    const s = stack('firewall');
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'FixtureVpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'] });
    FirewallMatrix.kubernetesControlPlane('cluster', { adminCidr: '192.0.2.0/24' }).renderSecurityGroups(s, 'Groups', vpc);
  }
  // Control: one known finding per pack proves each pack runs.
  new s3.Bucket(stack('nag-control'), 'Unlogged');

  for (const pack of [new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app)]) {
    cdk.Validations.of(app).addPlugins(pack);
  }
  return app;
}

/** The unacknowledged findings of the report, as `<construct path> <rule id>` lines. */
export function findings(report: string): string[] {
  const out: string[] = [];
  for (const b of report.split(/\n\s*\n/)) {
    const paths = [...b.matchAll(/^ {3}(\S+) \S+$/gm)].map(m => m[1]).filter(p => !/\/Fixture/.test(p));
    const id = /Acknowledge with '([^']+)'/.exec(b)?.[1];
    for (const p of paths) if (id) out.push(`${p} ${id}`);
  }
  return [...new Set(out)].sort();
}
