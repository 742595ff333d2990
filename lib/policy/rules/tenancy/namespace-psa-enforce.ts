import { IRule, RuleViolation, Severity, Stride } from '../../types';

const P = 'pod-security.kubernetes.io';

export const namespacePsaEnforce: IRule = {
  id: 'namespace-psa-enforce',
  title: 'Namespaces enforce a pinned Pod Security Standards level',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['Namespace'],
  description: 'Pod Security Admission only protects a namespace that carries the `pod-security.kubernetes.io/enforce` ' +
    'label. Without it (or with `privileged`) any pod — host namespaces, privileged containers — is admitted. The ' +
    'version must be pinned (`enforce-version: v1.28`): `latest` or unset changes the policy under you on upgrade.',
  remediation: 'Label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline) and enforce-version=v1.28 ' +
    '(IsolatedNamespace does this, plus audit and warn).',
  references: ['Kubernetes docs: Pod Security Admission (namespace labels)', 'CIS Kubernetes Benchmark 5.2.1: Ensure the cluster has at least one active policy control mechanism'],
  peers: [],
  threats: ['E3-policy-not-enforced'],
  admission: { notGenerated: 'judges Namespace labels against the profile; Pod Security admission itself enforces what the labels say' },
  check(obj) {
    const labels = obj?.metadata?.labels ?? {};
    const out: RuleViolation[] = [];
    const level = labels[`${P}/enforce`];
    if (level !== 'restricted' && level !== 'baseline') {
      out.push({ path: `metadata.labels["${P}/enforce"]`, message: `enforce level is ${JSON.stringify(level ?? null)}; must be restricted or baseline.` });
    }
    const version = labels[`${P}/enforce-version`];
    if (!/^v1\.\d+$/.test(String(version ?? ''))) {
      out.push({ path: `metadata.labels["${P}/enforce-version"]`, message: `enforce-version is ${JSON.stringify(version ?? null)}; pin a version such as v1.28.` });
    }
    return out;
  },
};
