/**
 * Non-repudiation, two ways:
 * - self-managed (kubeadm): dist/audit-policy.k8s.yaml (the audit.k8s.io/v1 Policy file for --audit-policy-file) and
 *   dist/audit-kubeadm.k8s.yaml (ClusterConfiguration patch: audit flags + volumes), plus dist/audit-apiserver-flags.txt
 * - EKS: cdk.out/audit-eks.template.json — control-plane logging (api, audit, authenticator) into a pre-created
 *   KMS-encrypted log group, a WORM S3 archive (Object Lock COMPLIANCE) fed by Firehose, and anomaly alarms.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { App } from 'cdk8s';
import { AuditLevel, AuditPolicy, EKS_AUDIT_LOG_TYPES, EksAuditTrail, KubeadmAuditConfig } from '../lib';

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
  const trail = new EksAuditTrail(stack, 'AuditTrail', { clusterName });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
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
}
