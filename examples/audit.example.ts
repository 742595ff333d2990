/**
 * Non-repudiation, two ways:
 * - self-managed (kubeadm): dist/audit-policy.k8s.yaml (the audit.k8s.io/v1 Policy file for --audit-policy-file) and
 *   dist/audit-kubeadm.k8s.yaml (ClusterConfiguration patch: audit flags + volumes), plus dist/audit-apiserver-flags.txt
 * - EKS: cdk.out/audit-eks.template.json — control-plane logging (api, audit, authenticator) into a pre-created
 *   KMS-encrypted log group, a WORM S3 archive (Object Lock COMPLIANCE) fed by Firehose, anomaly alarms and the trail's
 *   own health alarms (logging stopped, archive intake stopped, delivery failed or stale), mailed to the on-call list.
 *
 * CONSEQUENCE OF DEPLOYING THIS STACK: the archive bucket, its objects and the KMS key are RETAINED and the archived
 * events are under Object Lock COMPLIANCE for 365 days: no one, the account root included, can delete them (or the
 * bucket, which is never empty) before then; `cdk destroy` leaves them behind and the account keeps paying for them.
 * For a sandbox account, opt in explicitly to a deletable archive:
 *   archiveLockMode: ArchiveLockMode.GOVERNANCE, archiveRetentionDays: 1, weakerArchiveLockReason: 'sandbox: test data'
 * (then principals with s3:BypassGovernanceRetention can delete the objects).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { App } from 'cdk8s';
import { ArchiveLockMode, AuditLevel, AuditPolicy, EKS_AUDIT_LOG_TYPES, EksAuditTrail, KubeadmAuditConfig, LogsEncryptionKey } from '../lib';

export function build(app: App, aws: cdk.App): void {
  // --- kubeadm-style platform ------------------------------------------------------------------------------------
  const policy = new AuditPolicy(app, 'audit-policy', {
    additionalRules: [
      // The payments team wants full bodies of changes to its workloads (never Secrets: those stay at Metadata).
      { level: AuditLevel.REQUEST_RESPONSE, namespaces: ['payments'], verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
    ],
  });
  const kubeadm = new KubeadmAuditConfig(app, 'audit-kubeadm', { webhookConfigFile: '/etc/kubernetes/audit/webhook.kubeconfig' });
  fs.mkdirSync(app.outdir, { recursive: true });
  fs.writeFileSync(path.join(app.outdir, 'audit-apiserver-flags.txt'), policy.apiServerFlags({ webhookConfigFile: '/etc/kubernetes/audit/webhook.kubeconfig' }).join('\n') + '\n');
  void kubeadm;

  // --- EKS ------------------------------------------------------------------------------------------------------
  const stack = new cdk.Stack(aws, 'audit-eks', { env: { account: '111122223333', region: 'eu-west-1' } });
  const clusterName = 'shop-prod';
  const trail = new EksAuditTrail(stack, 'AuditTrail', {
    clusterName,
    // Defaults, spelled out: COMPLIANCE for 365 days (undeletable, see above), Glacier Instant Retrieval after 90 days,
    // expiry when the lock runs out.
    archiveLockMode: ArchiveLockMode.COMPLIANCE,
    archiveRetentionDays: 365,
    // Someone must receive the alarms (each address confirms its subscription).
    alarmEmails: ['security-oncall@example.com'],
  });
  // Flow logs in their own KMS-encrypted log group, with a key that CloudWatch Logs may use for that log group only.
  const flowLogsName = '/shop-prod/vpc-flow-logs';
  const flowLogsKey = new LogsEncryptionKey(stack, 'FlowLogsKey', { logGroupNames: [flowLogsName], alias: 'alias/shop-prod/flow-logs', description: 'VPC flow logs of shop-prod' });
  const flowLogs = new logs.LogGroup(stack, 'VpcFlowLogs', { logGroupName: flowLogsName, encryptionKey: flowLogsKey.key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: cdk.RemovalPolicy.RETAIN });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL, destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
  });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    clusterName,
    version: eks.KubernetesVersion.V1_33,
    vpc,
    vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    endpointAccess: eks.EndpointAccess.PRIVATE,
    defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
    clusterLogging: EKS_AUDIT_LOG_TYPES.map(t => t as eks.ClusterLoggingTypes),
  });
  // The encrypted, retained log group must exist before EKS creates an unencrypted one.
  cluster.node.addDependency(trail.logGroup);

  for (const policy of ['AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy']) {
    cdk.Validations.of(cluster.role).acknowledge({ id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
      reason: `EKS Auto Mode requires the AWS-managed ${policy} on the cluster role; AWS updates it as EKS calls new APIs.` });
  }
  for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly']) {
    cdk.Validations.of(cluster.node.findChild('ClusternodePoolRole')).acknowledge({ id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
      reason: `EKS Auto Mode nodes need the AWS-managed ${policy} to join the cluster and pull images; AWS keeps it current.` });
  }
  cdk.Validations.of(vpc).acknowledge({ id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
    reason: 'Nothing uses the default security group (EKS and the nodes get dedicated groups); closing it needs a custom-resource Lambda with its own findings.' });
  cdk.Validations.of(vpc.node.findChild('all').node.findChild('IAMRole')).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'CDK-generated flow-log role: its inline policy only lets VPC Flow Logs write to the one encrypted log group.' });
}
