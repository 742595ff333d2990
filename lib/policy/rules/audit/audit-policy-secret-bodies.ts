import { bodyLeaks } from '../../../semantics/audit';
import { IRule, Severity, Stride } from '../../types';
import { onPolicy } from './audit-util';

export const auditPolicySecretBodies: IRule = {
  id: 'audit-policy-secret-bodies',
  title: 'Audit policies never log Secret, ConfigMap or token bodies',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['Policy'],
  description: 'At Request or RequestResponse level the audit log records request and response bodies: for Secrets, ConfigMaps, ' +
    'serviceaccounts/token and TokenReviews those are credentials, copied into every log store and archive. The policy is ' +
    'evaluated as kube-apiserver does (first matching rule wins; `*`, `x/*` — which also matches `x` —, `*/y` and group `*` ' +
    'wildcards; users, groups, verbs and namespaces are exact strings, so `verbs: ["*"]` matches nothing), over every request: ' +
    'every verb, user, group set, namespace and object name. The finding names the first rule that logs a body and a request it does so for.',
  remediation: 'Put `- level: Metadata` with resources secrets, configmaps, serviceaccounts/token (group "") and tokenreviews ' +
    '(authentication.k8s.io), without users, userGroups, verbs or namespaces, before any Request/RequestResponse rule that can ' +
    'match them (AuditPolicy does).',
  references: [
    'CIS Kubernetes Benchmark 3.2.2: Ensure that the audit policy covers key security concerns (Secrets, ConfigMaps, TokenReviews at Metadata)',
    'Kubernetes docs: Auditing — audit policy (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/)',
    'k8s.io/apiserver pkg/audit/policy/checker.go (rule matching)',
  ],
  peers: [],
  threats: ['I2-secrets-at-rest'],
  admission: { notGenerated: 'judges the API server\'s audit policy file, not an API object' },
  check: obj => onPolicy(obj, bodyLeaks),
};
