import { IRule, Severity, Stride } from '../../types';

export const auditPolicyCatchAll: IRule = {
  id: 'audit-policy-catch-all',
  title: 'Audit policies end with a catch-all rule at Metadata or above',
  stride: [Stride.REPUDIATION],
  severity: Severity.WARNING,
  appliesTo: ['Policy'],
  description: 'Requests that match no rule are not audited at all. Without a final unrestricted rule at Metadata (or higher), ' +
    'new resources — CRDs added later — leave no record of who did what.',
  remediation: 'End the rules with `- level: Metadata` (no users, groups, verbs, resources or namespaces).',
  references: ['Kubernetes docs: Auditing (audit policy)', 'Seed: non-repudiation needs API-server audit logs'],
  check(obj) {
    const rules = Array.isArray(obj?.rules) ? obj.rules : [];
    const last = rules[rules.length - 1];
    const unrestricted = last && ['users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs'].every(k => !Array.isArray(last[k]) || last[k].length === 0);
    if (unrestricted && last.level !== 'None') return [];
    return [{ path: rules.length ? `rules[${rules.length - 1}]` : 'rules', message: 'the policy has no final catch-all rule at Metadata or above.' }];
  },
};
