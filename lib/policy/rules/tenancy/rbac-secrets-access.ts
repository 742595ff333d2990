import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { list, RBAC_KINDS, rbacRules } from './rbac-util';

export const rbacSecretsAccess: IRule = {
  id: 'rbac-secrets-access',
  title: 'Secrets are readable only by name',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: RBAC_KINDS,
  description: 'get, list or watch on secrets without resourceNames reads every Secret in scope — including other ' +
    'workloads\' credentials and service account tokens. list and watch return secret values too.',
  remediation: 'Grant only `get` on secrets with `resourceNames` listing the secrets the subject needs; never list or watch.',
  references: ['CIS Kubernetes Benchmark 5.1.2: Minimize access to secrets', 'Kubernetes docs: RBAC good practices (listing secrets)'],
  check(obj) {
    const out: RuleViolation[] = [];
    for (const { rule, path } of rbacRules(obj)) {
      const resources = list(rule.resources);
      if (!resources.some(r => r === 'secrets' || r === '*')) continue;
      const groups = list(rule.apiGroups);
      if (!groups.some(g => g === '' || g === '*')) continue;
      const verbs = list(rule.verbs);
      const reads = verbs.filter(v => ['get', 'list', 'watch', '*'].includes(v));
      if (reads.length === 0) continue;
      const named = list(rule.resourceNames).length > 0;
      const bulk = reads.filter(v => v !== 'get');
      if (bulk.length > 0 || !named) {
        out.push({ path: `${path}.verbs`, message: `reads secrets with ${JSON.stringify(reads)}${named ? '' : ' without resourceNames'}.` });
      }
    }
    return out;
  },
};
