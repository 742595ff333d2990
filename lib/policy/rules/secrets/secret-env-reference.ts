import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const secretEnvReference: IRule = {
  id: 'secret-env-reference',
  title: 'Secrets are mounted as files, not exposed as environment variables',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.INFO,
  appliesTo: ['*'],
  description: 'A Secret read into an environment variable (`env[].valueFrom.secretKeyRef`, `envFrom[].secretRef`) is ' +
    'inherited by every child process, printed by crash handlers and debug endpoints, visible in `/proc/<pid>/environ` ' +
    'to anything sharing the process namespace, and cannot be rotated without a restart. Every container kind is ' +
    'judged (init and ephemeral containers too). Information (reported by `check` and in findings, not printed at ' +
    'synth): CIS 5.4.1 says "prefer", many images only read env, and cdk8s-plus apps commonly use it.',
  remediation: 'Mount the Secret as a volume (`secret` or projected volume, `readOnly: true`) and read the file; for images ' +
    'that only read env, waive with an owner and expiry.',
  references: ['CIS Kubernetes Benchmark 5.4.1: Prefer using Secrets as files over Secrets as environment variables',
    'Kubernetes docs: Good practices for Kubernetes Secrets'],
  peers: ['kube-linter:read-secret-from-env-var', 'kubesec:SecretsAsEnvironmentVariables'],
  threats: ['I2-secrets-at-rest'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        const env = c.container.env;
        if (Array.isArray(env)) {
          for (let i = 0; i < env.length; i++) {
            const e = env[i];
            if (e?.valueFrom?.secretKeyRef !== undefined && e.valueFrom.secretKeyRef !== null) {
              out.push({ path: `${c.path}.env[${i}].valueFrom.secretKeyRef`, message: `container "${c.name}" reads Secret ${JSON.stringify(e.valueFrom.secretKeyRef?.name)} into env var ${JSON.stringify(e?.name)}.` });
            }
          }
        }
        const envFrom = c.container.envFrom;
        if (Array.isArray(envFrom)) {
          for (let i = 0; i < envFrom.length; i++) {
            const e = envFrom[i];
            if (e?.secretRef !== undefined && e.secretRef !== null) {
              out.push({ path: `${c.path}.envFrom[${i}].secretRef`, message: `container "${c.name}" loads every key of Secret ${JSON.stringify(e.secretRef?.name)} into its environment.` });
            }
          }
        }
      }
      return out;
    });
  },
};
