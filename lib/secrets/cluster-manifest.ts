import { Chart } from 'cdk8s';
import { Guard, guardedChartJson } from '../policy/guard';

/**
 * Renders a guarded chart for an EKS cluster managed by CloudFormation:
 * `cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(chart))`.
 *
 * Every construct validation and every catalogue rule is enforced as in `cdk8s synth`, except that AWS CDK
 * tokens (`role.roleArn`, `secret.secretArn`, ...) are allowed: CloudFormation resolves them into `Fn::GetAtt` /
 * `Ref` inside the manifest. It marks the chart with `Guard.of(chart).allowCloudFormationTokens()` and validates only
 * this chart. The equivalent with aws-cdk-lib alone: call `Guard.of(chart).allowCloudFormationTokens()` yourself,
 * then `cluster.addCdk8sChart(id, chart)` (which validates every chart of the chart's cdk8s App).
 */
export class ClusterManifest {
  /** The chart's objects, validated, ready for `cluster.addManifest()`. Throws with every blocking finding. */
  public static fromChart(chart: Chart): any[] {
    // CloudFormation resolves the tokens: the guard keeps every rule but `unresolved-token`, and the constructs'
    // token checks read the same flag.
    Guard.of(chart).allowCloudFormationTokens();
    const errors: string[] = [];
    for (const c of chart.node.findAll()) {
      for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    }
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    // Serialized once: the JSON judged is the JSON returned.
    return guardedChartJson(chart);
  }

  private constructor() {}
}
