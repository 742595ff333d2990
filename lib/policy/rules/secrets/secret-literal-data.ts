import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const secretLiteralData: IRule = {
  id: 'secret-literal-data',
  title: 'Secrets must not carry literal values in manifests',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['Secret'],
  description: 'A Secret with `data` or `stringData` in a synthesized manifest puts the value in the YAML file, the Git ' +
    'history, CI logs and every copy of the artifact (base64 is an encoding, not encryption). Secret values must come from ' +
    'a secrets manager at runtime (External Secrets Operator, Secrets Store CSI driver) so that only references are ' +
    'committed. There is no built-in exception: a non-sensitive value belongs in a ConfigMap, and a deliberate exception ' +
    'needs a waiver with a reason, owner and expiry.',
  remediation: 'Remove `data` / `stringData` and let External Secrets Operator (ExternalSecret -> SecretStore -> AWS Secrets ' +
    'Manager) or the Secrets Store CSI driver create the Secret. With cdk8s-hardened: `AwsSecretStore.addExternalSecret()`, ' +
    'then reference the target Secret by name (`kplus.Secret.fromSecretName`).',
  references: [
    'CIS Kubernetes Benchmark 5.4.2 (consider external secret storage)',
    'OWASP Kubernetes Top 10 K08: Secrets Management Failures',
    'DESIGN.md: secret values in CloudFormation templates or YAML: never; only references',
  ],
  peers: [],
  threats: ['I2-secrets-at-rest'],
  admission: { notGenerated: 'judges manifests, not the cluster: at admission every Secret carries its values in `data` — those that External Secrets ' +
    'Operator (the rule\'s own remediation), cert-manager, Helm\'s release storage and the token controller write included — and the API server ' +
    'has merged `stringData` into `data`; a policy cannot tell a literal committed in a manifest from a value a controller wrote, and denying them breaks the cluster' },
  check(obj) {
    const out: RuleViolation[] = [];
    for (const field of ['data', 'stringData']) {
      const value = obj[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push({ path: field, message: `Secret sets \`${field}\` to a literal (${Array.isArray(value) ? 'array' : typeof value}).` });
        continue;
      }
      const keys = Object.keys(value);
      if (keys.length === 0) continue;
      // Name the keys, never the values: findings end up in logs.
      out.push({ path: field, message: `Secret carries literal values in \`${field}\` (keys: ${keys.join(', ')}).` });
    }
    return out;
  },
};
