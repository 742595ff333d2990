import { IConstruct } from 'constructs';
import { formatValue, HardeningError } from '../../policy/errors';
import { isUnresolved } from '../../policy/manifest';

/**
 * An invalid prop that mirrors no catalogue rule (e.g. an AWS-side setting). Same message shape as
 * HardeningError: construct path, field, bad value, what is wrong, fix.
 */
export function invalidProp(scope: IConstruct, field: string, value: unknown, message: string, fix: string): Error {
  const err = new Error(`[${scope.node.path}] ${field}=${formatValue(value)}: ${message} Fix: ${fix}`);
  err.name = 'ValidationError';
  return err;
}

/** The HardeningError for an AWS CDK token handed to a standalone Kubernetes manifest. */
export function unresolvedTokenError(scope: IConstruct, field: string, value: unknown, extra = ''): HardeningError {
  return new HardeningError({
    path: scope.node.path,
    field,
    value,
    ruleId: 'unresolved-token',
    message: `is an unresolved AWS CDK token (e.g. \`role.roleArn\`), which only CloudFormation can resolve: ` +
      `written to standalone YAML it is a literal "\${Token[...]}" string.${extra}`,
    fix: 'pass the concrete value (e.g. the ARN string built from the account id and the role name), or deploy this chart ' +
      'through the EKS cluster\'s `cluster.addCdk8sChart()` so CloudFormation resolves the reference.',
  });
}

/**
 * Registers a synth-time validation that names every prop holding an unresolved AWS CDK token. It runs when the
 * cdk8s App synthesizes (standalone YAML); `cluster.addCdk8sChart()` serializes the chart without cdk8s
 * validation, so tokens resolve there through CloudFormation.
 */
export function validateNoTokens(scope: IConstruct, fields: { [field: string]: unknown }): void {
  scope.node.addValidation({
    validate: () => tokensResolvedByCloudFormation.active ? [] : Object.entries(fields)
      .filter(([, v]) => containsToken(v))
      .map(([field, v]) => unresolvedTokenError(scope, field, v).message),
  });
}

/** Set while `ClusterManifest.fromChart()` renders a chart for CloudFormation, where tokens do resolve. */
export const tokensResolvedByCloudFormation = { active: false };

export function containsToken(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsToken);
  if (value && typeof value === 'object') return Object.values(value).some(containsToken);
  return isUnresolved(value);
}

/** DNS-1123 subdomain (names of most Kubernetes objects). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label (namespaces). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Go duration string as Kubernetes and its operators parse it (`1h`, `90s`, `1500ms`). */
export function goDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
