import { isAuditPolicyObject } from '../../../semantics/audit';
import { IRule, Severity, Stride } from '../../types';
import { readPolicy } from './audit-util';

export const auditPolicyValid: IRule = {
  id: 'audit-policy-valid',
  title: 'Audit policies load in kube-apiserver as written',
  stride: [Stride.REPUDIATION, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['Policy'],
  description: 'kube-apiserver refuses to start with a policy it cannot load (not audit.k8s.io/v1, no rules, a value of the wrong ' +
    'type, an unknown level or stage, a group with a version, nonResourceURLs together with resources or namespaces, resourceNames ' +
    'without resources, a `*` not at the end of a URL), and it silently drops fields it does not know (names are case-sensitive): a ' +
    '`namespace:` or `Users:` typo makes a rule match every namespace or user. Both are reported.',
  remediation: 'Write an audit.k8s.io/v1 Policy with only the documented fields (level, users, userGroups, verbs, resources ' +
    '{group, resources, resourceNames}, namespaces, nonResourceURLs, omitStages, omitManagedFields).',
  references: [
    'k8s.io/apiserver pkg/audit/policy/reader.go and pkg/apis/audit/validation/validation.go',
    'Kubernetes API: audit.k8s.io/v1 Policy (https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/)',
    'CIS Kubernetes Benchmark 3.2.1: Ensure that a minimal audit policy is created',
  ],
  peers: [],
  threats: ['R1-no-audit-trail'],
  admission: { notGenerated: 'judges the API server\'s audit policy file, not an API object' },
  check(obj) {
    if (!isAuditPolicyObject(obj)) return [];
    const p = readPolicy(obj);
    return [...p.errors, ...p.ignored].map(e => ({ path: e.path || 'rules', message: e.message }));
  },
};
