import { rbacSubjectOf } from '../../../semantics/rbac';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { list, RBAC_GOOD_PRACTICES, RBAC_KINDS, rbacRules } from './rbac-util';

const FIELDS = ['apiGroups', 'resources', 'verbs', 'nonResourceURLs'] as const;
const wild = (v: string) => v === '*' || v.endsWith('/*') || v.startsWith('*/');

export const rbacWildcard: IRule = {
  id: 'rbac-wildcard',
  title: 'RBAC rules name exact API groups, resources and verbs (no wildcards)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: RBAC_KINDS,
  description: 'A `*` in apiGroups, resources or verbs grants every present and future resource or verb, including ' +
    'ones added later by CRDs (e.g. secrets-bearing custom resources) and verbs like escalate or impersonate. ' +
    '`*/subresource` grants that subresource of every resource. A `pods/*` entry grants nothing (RBAC has no prefix ' +
    'match on resources) but states an intent the API server does not honour, so it is reported too. A ClusterRole with ' +
    'an aggregationRule is judged by the rules it aggregates: a selector that matches cluster-admin (e.g. `{}`) is a wildcard.',
  remediation: 'Replace each `*` with the exact API groups, resources and verbs the subject needs; make aggregation ' +
    'selectors match only the ClusterRoles meant to be aggregated.',
  references: ['CIS Kubernetes Benchmark 5.1.3: Minimize wildcard use in Roles and ClusterRoles', RBAC_GOOD_PRACTICES],
  peers: ['kube-linter:wildcard-in-rules', 'polaris:rolebindingClusterAdminRole'],
  threats: ['I1-secret-read-through-permissions', 'E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
  check(obj, ctx) {
    const out: RuleViolation[] = [];
    for (const { rule, path } of rbacRules(obj)) {
      for (const field of FIELDS) {
        if (list(rule[field]).some(wild)) {
          out.push({ path: `${path}.${field}`, message: `${field} ${JSON.stringify(rule[field])} contains a wildcard.` });
        }
      }
    }
    const subject = obj?.kind === 'ClusterRole' && obj.aggregationRule ? rbacSubjectOf(obj, ctx.objects) : undefined;
    if (subject?.anchor) {
      const from = new Set<string>();
      for (const s of subject.rules) {
        if (FIELDS.some(f => s.rule[f].some(wild))) from.add(`${s.builtIn ? 'built-in ' : ''}ClusterRole "${s.role}"`);
      }
      if (from.size > 0) {
        out.push({ path: subject.anchor, message: `aggregates wildcard rules from ${[...from].join(', ')}.` });
      }
    }
    return out;
  },
};
