import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

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
   * already has an EKS access entry with cluster-admin access (the least surprise on an existing cluster). Without a
   * role, the provider's new role gets an access entry with `AmazonEKSClusterAdminPolicy` (cluster scope), as aws-cdk-lib
   * does for a new cluster; the cluster's authentication mode must then allow access entries (API or
   * API_AND_CONFIG_MAP). For a cluster with a private endpoint, set `privateSubnets` (and `vpc` in the attributes).
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: eks.ClusterAttributes): eks.ICluster {
    if (attrs.kubectlProvider || !attrs.kubectlProviderOptions) {
      return eks.Cluster.fromClusterAttributes(scope, id, attrs);
    }
    const options = attrs.kubectlProviderOptions;
    const holder = new Construct(scope, id);
    const bare = eks.Cluster.fromClusterAttributes(holder, 'Attributes', { ...attrs, kubectlProviderOptions: undefined });
    const provider = new eks.KubectlProvider(holder, 'KubectlProvider', { cluster: bare, ...options });
    const cluster = eks.Cluster.fromClusterAttributes(holder, 'Cluster', { ...attrs, kubectlProviderOptions: undefined, kubectlProvider: provider });
    if (!options.role) {
      const access = new eks.AccessEntry(holder, 'KubectlProviderAccess', {
        cluster,
        principal: provider.role!.roleArn,
        accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })],
      });
      // Every manifest, chart or patch added to the cluster (its children) is applied only once the provider may talk
      // to the cluster: a dependency of a construct covers every resource under it at synth time.
      cluster.node.addDependency(access);
    }
    return cluster;
  }

  private constructor() {}
}
