/**
 * Secrets: KMS envelope encryption and least-privilege secret delivery.
 *
 * AWS (cdk.out/secrets-shop.template.json): a customer-managed KMS key (rotation, RETAIN, alias) that encrypts the
 * EKS cluster's Secrets and a Secrets Manager secret; one IRSA role that only the `shop/shop-secrets-reader`
 * ServiceAccount can assume and that reads only that secret.
 * Kubernetes (dist/secrets-shop.k8s.yaml): the reader ServiceAccount, a namespaced SecretStore, an ExternalSecret
 * (External Secrets Operator) that creates the `db-credentials` Secret, and a HardenedDeployment that reads that Secret
 * (a read-only volume and a secretKeyRef): only references, never a value.
 * Self-managed clusters (dist/secrets-encryption-config.k8s.yaml + .md): the kube-apiserver EncryptionConfiguration
 * with a KMS v2 provider first, and the aws-encryption-provider settings.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import {
  ApiServerEncryptionConfig, AwsSecretStore, EncryptedSecretsProvider, HardenedChart, HardenedDeployment, LogsEncryptionKey, SecretsEncryptionKey,
  WorkloadIdentity,
} from '../lib';

/** Account and region of the example (synth only). */
export const SECRETS_EXAMPLE_ENV = { account: '111122223333', region: 'eu-west-1' };

/**
 * ARN of the KMS key a self-managed cluster's aws-encryption-provider uses: after `cdk deploy`, take it from the
 * `SecretsKeyArn` output of the secrets-shop stack (the file lands on control-plane disks, so it must be concrete).
 */
export const SELF_MANAGED_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

export function build(k8sApp: cdk8s.App, awsApp: App): void {
  const stack = new cdk.Stack(awsApp, 'secrets-shop', { env: SECRETS_EXAMPLE_ENV });
  // A native AWS::IAM::OIDCProvider instead of a Lambda-backed custom resource.
  stack.node.setContext('@aws-cdk/aws-eks:useNativeOidcProvider', true);

  // --- AWS: the key, the cluster that encrypts its Secrets with it, the secret and the reader role -------------
  const key = new SecretsEncryptionKey(stack, 'SecretsKey', { alias: 'alias/shop/secrets' });
  new cdk.CfnOutput(stack, 'SecretsKeyArn', { value: key.keyArn });

  // Flow logs get a key of their own: the secrets key admits no log group (whoever reads logs must not hold the key that
  // decrypts Secrets).
  const flowLogsName = '/shop/vpc-flow-logs';
  const flowLogsKey = new LogsEncryptionKey(stack, 'FlowLogsKey', { logGroupNames: [flowLogsName], alias: 'alias/shop/flow-logs' });
  const flowLogs = new logs.LogGroup(stack, 'VpcFlowLogs', {
    logGroupName: flowLogsName,
    encryptionKey: flowLogsKey.key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: cdk.RemovalPolicy.RETAIN,
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'egress', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false, cidrMask: 26 },
      { name: 'nodes', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
  });

  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33,
    vpc,
    vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
    endpointAccess: eks.EndpointAccess.PRIVATE,
    secretsEncryptionKey: key.key, // envelope encryption of Secrets in etcd with the customer-managed key
    clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR],
  });

  const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
    encryptionKey: key,
    identity: WorkloadIdentity.irsa({
      oidcProviderArn: cluster.openIdConnectProvider.openIdConnectProviderArn,
      oidcIssuer: cluster.openIdConnectProvider.openIdConnectProviderIssuer,
    }),
  });
  const db = provider.addSecret('DbCredentials', {
    secretName: 'shop/db',
    description: 'Credentials of the shop database user',
    // The database lives outside this stack; its owner rotates the password there (addRotationSchedule with the DB).
    // External Secrets refreshes hourly, so a rotated value reaches pods without a redeploy.
    rotationDisabledReason: 'shop/db belongs to a database outside this stack; its owner rotates it there',
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ username: 'shop' }),
      generateStringKey: 'password',
      excludePunctuation: true,
      passwordLength: 32,
    },
  });
  const reader = { namespace: 'shop', serviceAccountName: 'shop-secrets-reader' };
  const role = provider.roleFor(reader, { roleName: 'shop-secrets-reader' });
  db.grantRead(reader);

  acknowledgeNagFindings(cluster, vpc, db.secret);

  // --- Kubernetes: reader ServiceAccount, SecretStore, ExternalSecret ------------------------------------------
  const chart = new HardenedChart(k8sApp, 'secrets-shop', { namespace: 'shop' });
  const store = new AwsSecretStore(chart, 'store', {
    region: SECRETS_EXAMPLE_ENV.region,
    roleArn: role.roleArnForManifests!, // a plain ARN string: this YAML is applied on its own, outside CloudFormation
    serviceAccountName: reader.serviceAccountName,
  });
  const dbCredentials = store.addExternalSecret('db', {
    remoteSecretName: db.secretName,
    secretName: 'db-credentials',
    keys: [{ secretKey: 'username', property: 'username' }, { secretKey: 'password', property: 'password' }],
  });

  // --- Kubernetes: the workload that consumes the operator-created Secret (by name; never a value here) --------
  new HardenedDeployment(chart, 'api', {
    image: `registry.example.com/shop/api@sha256:${'a'.repeat(64)}`,
    port: 8080,
    resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    // The password as a read-only file (mode 0440): environment variables are inherited by every child process and
    // end up in crash dumps and debug output; a mounted Secret is not, and picks up a refreshed value without a restart.
    secretMounts: [{ path: '/etc/db', secret: dbCredentials.secret }],
    // A non-sensitive key as an environment variable (a secretKeyRef, resolved by the kubelet).
    env: { DB_USERNAME: kplus.EnvValue.fromSecretValue({ secret: dbCredentials.secret, key: 'username' }) },
  });

  // --- Self-managed clusters: kube-apiserver EncryptionConfiguration (its own file) ---------------------------
  const encryption = new ApiServerEncryptionConfig(k8sApp, 'secrets-encryption-config', {
    keyArn: SELF_MANAGED_KEY_ARN,
    region: SECRETS_EXAMPLE_ENV.region,
  });
  fs.mkdirSync(k8sApp.outdir, { recursive: true });
  fs.writeFileSync(path.join(k8sApp.outdir, 'secrets-encryption-config.md'), encryption.renderSetupGuide());
}

/** Each cdk-nag finding that is accepted, with its reason. Everything else is fixed in the constructs above. */
function acknowledgeNagFindings(cluster: eks.Cluster, vpc: ec2.Vpc, secret: IConstruct): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  for (const policy of ['AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy']) {
    ack(cluster.role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
      `EKS Auto Mode requires the AWS-managed ${policy} on the cluster role; AWS updates it as EKS calls new APIs.`);
  }
  const nodeRole = cluster.node.findChild('ClusternodePoolRole');
  for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly']) {
    ack(nodeRole, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
      `EKS Auto Mode nodes need the AWS-managed ${policy} to join the cluster and pull images; AWS keeps it current.`);
  }
  ack(cluster, 'CloudFormation-Validate::W9009',
    'aws-eks-v2 writes EncryptionConfig.Resources: [secrets]; the property is deprecated (EKS encrypts all API data) but still accepted and harmless.');
  for (const subnet of vpc.publicSubnets) {
    ack(subnet, 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'Public subnets hold only the NAT gateway (no public IPs on launch); nodes sit in private subnets and egress through NAT.');
  }
  ack(vpc, 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
    'Nothing uses the default security group (EKS and the nodes get dedicated groups); closing it needs a custom-resource Lambda with its own findings.');
  ack(vpc.node.findChild('all').node.findChild('IAMRole'), 'NIST.800.53.R5-IAMNoInlinePolicy',
    'CDK-generated flow-log role: its inline policy only lets VPC Flow Logs write to the one encrypted log group.');
  void secret; // rotation: `rotationDisabledReason` on the secret above
}
