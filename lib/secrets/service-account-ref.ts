/**
 * The Kubernetes identity secrets are delivered to: exactly one ServiceAccount in one namespace.
 *
 * Structural on purpose: a `HardenedDeployment` (which has `namespace` and `serviceAccountName`), an
 * `AwsSecretStore` (its `reader`) or a plain object literal all fit, without this folder importing them.
 */
export interface ServiceAccountRef {
  /**
   * Namespace of the ServiceAccount.
   * @default - none; constructs that must pin a namespace (IAM trust conditions, Kubernetes objects in a chart
   *            without a namespace) reject a missing one instead of guessing `default`
   */
  readonly namespace?: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
}
