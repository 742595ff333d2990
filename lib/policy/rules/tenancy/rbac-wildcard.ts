import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { list, RBAC_KINDS, rbacRules } from './rbac-util';

export const rbacWildcard: IRule = {
  id: 'rbac-wildcard',
  title: 'RBAC rules name exact API groups, resources and verbs (no wildcards)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: RBAC_KINDS,
  description: 'A `*` in apiGroups, resources or verbs grants every present and future resource or verb, including ' +
    'ones added later by CRDs (e.g. secrets-bearing custom resources) and verbs like escalate or impersonate.',
  remediation: 'Replace each `*` with the exact API groups, resources and verbs the subject needs.',
  references: ['CIS Kubernetes Benchmark 5.1.3: Minimize wildcard use in Roles and ClusterRoles', 'Kubernetes docs: RBAC good practices'],
  check(obj) {
    const out: RuleViolation[] = [];
    for (const { rule, path } of rbacRules(obj)) {
      for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) {
        if (list(rule[field]).some(v => v === '*' || v.endsWith('/*'))) {
          out.push({ path: `${path}.${field}`, message: `${field} ${JSON.stringify(rule[field])} contains a wildcard.` });
        }
      }
    }
    return out;
  },
};
