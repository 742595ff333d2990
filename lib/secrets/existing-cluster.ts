import { CfnCondition, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DNS1123 } from '../kube/k8s-syntax';
import { invalidProp } from './private/errors';

/** Options of {@link ExistingEksCluster.fromClusterAttributes} for the kubectl handler the library creates. */
export interface ExistingEksClusterOptions {
  /**
   * The namespaces the app applies manifests into through this cluster (`addManifest`, `addCdk8sChart`). The kubectl
   * handler's new role (when `kubectlProviderOptions.role` is not set) gets an EKS access entry with
   * `AmazonEKSAdminPolicy` scoped to exactly these namespaces: it can create, change and delete namespaced objects
   * there (RBAC included), and nothing cluster-wide. The namespaces must exist (a Namespace object is cluster-scoped).
   * @default - none: without a kubectl role, either this or `kubectlClusterAdminReason` is required
   */
  readonly kubectlNamespaces?: string[];
  /**
   * Why the kubectl handler's new role needs `AmazonEKSClusterAdminPolicy` (cluster scope): e.g. the app applies
   * Namespaces, CRDs or ClusterRoles. Kept in the construct's metadata.
   * @default - none: the handler is never cluster-admin without a recorded reason
   */
  readonly kubectlClusterAdminReason?: string;
}

/**
 * An existing EKS cluster (aws-eks-v2), imported by attributes so that `addManifest` / `addCdk8sChart` work on it.
 *
 * aws-cdk-lib 2.276's `eks.Cluster.fromClusterAttributes` ignores `kubectlProviderOptions` (only `kubectlProvider` is
 * read), so `addManifest` / `addCdk8sChart` on the imported cluster fail at synth with "Kubectl Provider is not defined
 * in this cluster". `ExistingEksCluster.fromClusterAttributes` builds the `eks.KubectlProvider` from those options and
 * imports the cluster with it.
 *
 * ```ts
 * const cluster = ExistingEksCluster.fromClusterAttributes(stack, 'Cluster', {
 *   clusterName: 'shop-prod',
 *   kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'Kubectl'), role: kubectlRole },
 *   openIdConnectProvider: iam.OidcProviderNative.fromOidcProviderArn(stack, 'Oidc', oidcProviderArn),
 * });
 * cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(chart));
 * ```
 */
export class ExistingEksCluster {
  /**
   * `eks.Cluster.fromClusterAttributes`, plus a kubectl provider when `kubectlProviderOptions` is set (and
   * `kubectlProvider` is not). The provider's Lambda acts with `kubectlProviderOptions.role`: pass an existing role that
   * already has an EKS access entry (the least surprise on an existing cluster). Without a role, the provider's new role
   * gets an access entry scoped to what the app applies: `AmazonEKSAdminPolicy` on `options.kubectlNamespaces`, or
   * `AmazonEKSClusterAdminPolicy` only with `options.kubectlClusterAdminReason`; the cluster's authentication mode must
   * allow access entries (API or API_AND_CONFIG_MAP). The handler runs in the cluster's VPC when one is given
   * (`privateSubnets`, or the private subnets of `attrs.vpc`): the endpoint must then be reachable from those subnets.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: eks.ClusterAttributes, options: ExistingEksClusterOptions = {}): eks.ICluster {
    if (attrs.kubectlProvider || !attrs.kubectlProviderOptions) {
      return eks.Cluster.fromClusterAttributes(scope, id, attrs);
    }
    const holder = new Construct(scope, id);
    const namespaces = options.kubectlNamespaces;
    const reason = options.kubectlClusterAdminReason;
    const given = attrs.kubectlProviderOptions;
    if (!given.role) {
      if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
        throw invalidProp(holder, 'options.kubectlClusterAdminReason', reason, 'must say why the kubectl handler needs cluster admin.', 'e.g. "the app applies Namespaces and CRDs".');
      }
      if (namespaces !== undefined && reason !== undefined) {
        throw invalidProp(holder, 'options.kubectlNamespaces', namespaces, 'is set together with kubectlClusterAdminReason: the handler gets one scope.', 'keep one of them.');
      }
      if (namespaces === undefined && reason === undefined) {
        throw invalidProp(holder, 'options', {}, 'the kubectl handler\'s new role would be cluster-admin (AmazonEKSClusterAdminPolicy) without a recorded reason.',
          'name the namespaces the app applies into (kubectlNamespaces: ["shop"]), pass an existing kubectl role (kubectlProviderOptions.role), '
          + 'or record why it needs cluster admin (kubectlClusterAdminReason).');
      }
      for (const [i, ns] of (namespaces ?? []).entries()) {
        if (typeof ns !== 'string' || !DNS1123.test(ns)) {
          throw invalidProp(holder, `options.kubectlNamespaces[${i}]`, ns, 'is not a namespace name.', 'use a DNS-1123 label, e.g. "shop".');
        }
      }
      if (namespaces !== undefined && namespaces.length === 0) {
        throw invalidProp(holder, 'options.kubectlNamespaces', namespaces, 'is empty: the handler could apply nothing.', 'name the namespaces the app applies into.');
      }
    }
    // In the cluster's VPC when one is given.
    const privateSubnets = given.privateSubnets ?? (attrs.vpc && attrs.vpc.privateSubnets.length > 0 ? attrs.vpc.privateSubnets : undefined);
    if (privateSubnets && !given.securityGroup && !given.securityGroups && !attrs.clusterSecurityGroupId) {
      throw invalidProp(holder, 'attrs.clusterSecurityGroupId', undefined, 'is needed: the kubectl handler runs in the cluster\'s VPC and reaches the API endpoint through the cluster security group.',
        'pass clusterSecurityGroupId (cluster.clusterSecurityGroupId of the existing cluster) or kubectlProviderOptions.securityGroup.');
    }
    const providerOptions: eks.KubectlProviderOptions = { ...given, privateSubnets };
    const bare = eks.Cluster.fromClusterAttributes(holder, 'Attributes', { ...attrs, kubectlProviderOptions: undefined });
    const provider = new eks.KubectlProvider(holder, 'KubectlProvider', { cluster: bare, ...providerOptions });
    const cluster = eks.Cluster.fromClusterAttributes(holder, 'Cluster', { ...attrs, kubectlProviderOptions: undefined, kubectlProvider: provider });
    // A current runtime: aws-cdk-lib 2.276 pins the handler to Python 3.13; the newest Python this aws-cdk-lib knows.
    const handler = provider.node.tryFindChild('Handler');
    const cfnHandler = handler?.node.defaultChild as lambda.CfnFunction | undefined;
    if (cfnHandler) cfnHandler.runtime = latestPython().name;
    acknowledgeKubectlProvider(holder, cfnHandler, given.role, privateSubnets !== undefined);
    if (!given.role) {
      const accessPolicies = namespaces
        ? [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSAdminPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces })]
        : [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })];
      if (reason !== undefined) holder.node.addMetadata('cdk8s-hardened:kubectlClusterAdminReason', reason);
      const access = new eks.AccessEntry(holder, 'KubectlProviderAccess', { cluster, principal: provider.role!.roleArn, accessPolicies });
      // Every manifest, chart or patch added to the cluster (its children) is applied only once the provider may talk
      // to the cluster: a dependency of a construct covers every resource under it at synth time.
      cluster.node.addDependency(access);
    }
    return cluster;
  }

  private constructor() {}
}

/** The newest Python runtime of the installed aws-cdk-lib (what cdk-nag's AwsSolutions-L1 calls current). */
function latestPython(): lambda.Runtime {
  const versions = lambda.Runtime.ALL.filter(r => r.family === lambda.RuntimeFamily.PYTHON && /^python3\.\d+$/.test(r.name) && !r.isVariable);
  return versions.sort((a, b) => Number(a.name.split('.')[1]) - Number(b.name.split('.')[1])).pop() ?? lambda.Runtime.PYTHON_3_13;
}

/**
 * The cdk-nag findings on aws-cdk-lib's KubectlProvider (its handler, the custom-resource framework Lambda and their
 * roles), each acknowledged with its reason. They are aws-cdk-lib internals this library cannot change.
 */
function acknowledgeKubectlProvider(holder: Construct, handler: lambda.CfnFunction | undefined, role: iam.IRole | undefined, inVpc: boolean): void {
  const ack = (id: string, reason: string, scope: Construct = holder) => Validations.of(scope).acknowledge({ id, reason });
  const managed = 'aws-cdk-lib\'s KubectlProvider attaches this AWS-managed policy to its handler role (CloudWatch Logs, ENIs in the VPC, pulling its image); the library cannot replace it.';
  for (const p of ['service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole', 'AmazonEC2ContainerRegistryReadOnly']) {
    ack(`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`, managed);
  }
  if (handler) {
    const stack = Stack.of(handler);
    // The handler role's ECR Public policy is conditional (a CfnCondition of aws-cdk-lib); cdk-nag names it with the
    // condition's logical id.
    for (const c of handler.node.scope!.node.findAll().filter((x): x is CfnCondition => x instanceof CfnCondition)) {
      ack(`AwsSolutions-IAM4[Policy::{"Fn::If":["${stack.getLogicalId(c)}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]`, managed);
    }
    ack(`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(handler)}.Arn>:*]`, 'The custom-resource framework may invoke any version of the one kubectl handler (aws-cdk-lib Provider framework).');
  }
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
    ack(`${pack}-IAMNoInlinePolicy`, 'aws-cdk-lib writes the grants of the kubectl handler, the framework Lambda and the kubectl role as inline default policies; each names only this cluster or the one handler.');
    if (pack !== 'PCI.DSS.321') {
      ack(`${pack}-LambdaConcurrency`, 'CloudFormation custom-resource handlers run once per deployment change; reserved concurrency would only let a parallel deployment fail.');
      ack(`${pack}-LambdaDLQ`, 'CloudFormation invokes the custom-resource handlers synchronously and records their failure in the stack events; there is no asynchronous event to lose.');
    }
    if (!inVpc) {
      ack(`${pack}-LambdaInsideVPC`, 'The cluster attributes name no VPC (a public API endpoint): the handler reaches the endpoint over the internet with IAM authentication; give vpc and clusterSecurityGroupId to run it in the VPC.');
    }
  }
  if (role) {
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
      Validations.of(role).acknowledge({ id: `${pack}-IAMNoInlinePolicy`, reason: 'aws-cdk-lib\'s KubectlProvider adds eks:DescribeCluster on this one cluster to the kubectl role as an inline policy.' });
    }
  }
}
