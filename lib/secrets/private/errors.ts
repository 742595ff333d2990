import { IConstruct } from 'constructs';
import { isUnresolved } from '../../kube/manifest';
import { formatValue, HardeningError } from '../../policy/errors';
import { Guard } from '../../policy/guard';

/**
 * An invalid prop that mirrors no catalogue rule (e.g. an AWS-side setting). Same message shape as
 * HardeningError: construct path, field, bad value, what is wrong, fix.
 */
export function invalidProp(scope: IConstruct, field: string, value: unknown, message: string, fix: string): Error {
  const err = new Error(`[${scope.node.path}] ${field}=${formatValue(value)}: ${message} Fix: ${fix}`);
  err.name = 'ValidationError';
  return err;
}

/** The fix shared by every construct-level unresolved-token message (same wording as the catalogue rule). */
export const UNRESOLVED_TOKEN_FIX = 'pass the concrete value (e.g. the ARN string built from the account id and the role name); ' +
  'or, if CloudFormation deploys this chart (`cluster.addCdk8sChart(id, chart)` or ' +
  '`cluster.addManifest(id, ...ClusterManifest.fromChart(chart))` of an EKS cluster), call ' +
  '`Guard.of(chart).allowCloudFormationTokens()` so CloudFormation resolves the reference.';

/** The HardeningError for an AWS CDK token handed to a standalone Kubernetes manifest. */
export function unresolvedTokenError(scope: IConstruct, field: string, value: unknown, extra = '', fix = UNRESOLVED_TOKEN_FIX): HardeningError {
  return new HardeningError({
    path: scope.node.path,
    field,
    value,
    ruleId: 'unresolved-token',
    message: 'is an unresolved AWS CDK token (e.g. `role.roleArn`), which only CloudFormation can resolve: ' +
      `written to standalone YAML it is a literal "\${Token[...]}" string.${extra}`,
    fix,
  });
}

/**
 * Registers a synth-time validation that names every prop holding an unresolved AWS CDK token. It runs whenever the
 * chart is validated: `cdk8s synth` / `app.synth()` (standalone YAML), and also `cluster.addCdk8sChart()` (which calls
 * `chart.toJson()`) and `ClusterManifest.fromChart()`. Tokens are accepted only when the chart's guard has been told
 * that CloudFormation deploys it (`Guard.of(chart).allowCloudFormationTokens()`, which `ClusterManifest.fromChart()`
 * calls itself). The check runs at validation time, so that call may come before or after the constructs are added.
 */
export function validateNoTokens(scope: IConstruct, fields: { [field: string]: unknown }): void {
  // Attach (or find) the chart's guard now: validations must not add constructs while the tree is being validated.
  const guard = Guard.of(scope);
  scope.node.addValidation({
    // cdk8s (and ClusterManifest.fromChart) prefix every validation message with `[<construct path>]`: return the
    // message without its own path so the path is not printed twice.
    validate: () => guard.cloudFormationTokensAllowed ? [] : Object.entries(fields)
      .filter(([, v]) => containsToken(v))
      .map(([field, v]) => withoutPathPrefix(scope, unresolvedTokenError(scope, field, v).message)),
  });
}

/** A message of `invalidProp` / `HardeningError` without its leading `[<construct path>] `, for node validations. */
export function withoutPathPrefix(scope: IConstruct, message: string): string {
  const prefix = `[${scope.node.path}] `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export function containsToken(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsToken);
  if (value && typeof value === 'object') return Object.values(value).some(containsToken);
  return isUnresolved(value);
}

/** A Go duration string as Kubernetes and its operators parse it (`1h`, `90s`, `1500ms`). */
export function goDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
