import { ApiObject, Chart } from 'cdk8s';
import { blocking, formatFinding } from '../policy/engine';
import { Guard } from '../policy/guard';
import { EnforcementMode, HardeningProfile } from '../policy/profile';
import { tokensResolvedByCloudFormation } from './private/errors';

/** The catalogue rule that CloudFormation makes moot: it resolves AWS CDK tokens at deploy time. */
const TOKEN_RULE = 'unresolved-token';
/** How the guard's chart validation report starts (lib/policy/guard.ts). */
const GUARD_REPORT = 'cdk8s-hardened: ';

/**
 * Renders a guarded chart for an EKS cluster managed by CloudFormation:
 * `cluster.addManifest('shop-secrets', ...ClusterManifest.fromChart(chart))`.
 *
 * Every construct validation and every catalogue rule is enforced as in `cdk8s synth`, except that AWS CDK
 * tokens (`role.roleArn`, `secret.secretArn`, ...) are allowed: CloudFormation resolves them into `Fn::GetAtt` /
 * `Ref` inside the manifest. (`cluster.addCdk8sChart()` calls `chart.toJson()`, which runs the cdk8s validation of
 * standalone YAML, so a guarded chart holding tokens fails there.)
 */
export class ClusterManifest {
  /** The chart's objects, validated, ready for `cluster.addManifest()`. Throws with every blocking finding. */
  public static fromChart(chart: Chart): any[] {
    const errors: string[] = [];
    tokensResolvedByCloudFormation.active = true;
    try {
      for (const c of chart.node.findAll()) {
        for (const e of c.node.validate()) {
          // The guard reports on the chart node; it is evaluated below, without the token rule.
          if (c === chart && e.startsWith(GUARD_REPORT)) continue;
          errors.push(`[${c.node.path}] ${e}`);
        }
      }
    } finally {
      tokensResolvedByCloudFormation.active = false;
    }
    const findings = blocking(Guard.of(chart).findings()).filter(f => f.ruleId !== TOKEN_RULE);
    if (findings.length > 0 && HardeningProfile.resolve(chart).mode === EnforcementMode.ENFORCE) {
      errors.push(`cdk8s-hardened: ${findings.length} finding(s) block chart ${chart.node.path}:\n` + findings.map(f => `  - ${formatFinding(f)}`).join('\n'));
    }
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    return chart.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
      .map(o => o.toJson());
  }

  private constructor() {}
}
