import { describeRequest, describeSources, grantOf, rbacSubjectOf } from '../../../semantics/rbac';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { rbacForm } from './openshift-rbac';
import { EFFECTIVE_NOTE, RBAC_GOOD_PRACTICES, RBAC_GRANT_KINDS } from './rbac-util';

export const rbacSecretsAccess: IRule = {
  id: 'rbac-secrets-access',
  title: 'Secrets are readable only by name',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: RBAC_GRANT_KINDS,
  description: 'get, list or watch on secrets without resourceNames reads every Secret in scope — including other ' +
    'workloads\' credentials and service account tokens. list and watch return secret values too. The built-in `edit` ' +
    'and `admin` roles read every Secret of the namespace they are bound in.' + EFFECTIVE_NOTE,
  remediation: 'Grant only `get` on secrets with `resourceNames` listing the secrets the subject needs; never list or watch. ' +
    'Bind `view` (no Secrets) rather than `edit` or `admin`.',
  references: ['CIS Kubernetes Benchmark 5.1.2: Minimize access to secrets', `${RBAC_GOOD_PRACTICES} (listing secrets)`],
  peers: ['kube-linter:access-to-secrets'],
  threats: ['I1-secret-read-through-permissions'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
  check(written, ctx) {
    const { obj, pathOf } = rbacForm(written); // an authorization.openshift.io binding in its RBAC form (openshift-rbac.ts)
    const subject = rbacSubjectOf(obj, ctx.objects);
    if (!subject) return [];
    const self = obj.kind === 'Role' || obj.kind === 'ClusterRole' ? String(obj.metadata?.name ?? '') : undefined;
    const rules = subject.rules.map(s => s.rule);
    const out: RuleViolation[] = [];
    const where = subject.scope === 'namespace' ? ` in namespace "${subject.namespace}"` : ' cluster-wide';
    const bulk = ['list', 'watch'].map(verb => ({ verb, g: grantOf(rules, { verb, apiGroup: '', resource: 'secrets' }, true) }))
      .filter(x => x.g.anyName || x.g.names.length > 0);
    const get = grantOf(rules, { verb: 'get', apiGroup: '', resource: 'secrets' }, true);
    const bad = [...bulk, ...(get.anyName ? [{ verb: 'get', g: get }] : [])];
    if (bad.length === 0) return [];
    const indexes = [...new Set(bad.flatMap(b => b.g.ruleIndexes))].sort((a, b) => a - b);
    const own = indexes.map(i => subject.rules[i]).find(s => s.role === self && !s.builtIn);
    const path = own ? `rules[${own.index}].verbs` : subject.anchor ?? 'rules';
    const verbs = bad.map(b => describeRequest({ verb: b.verb, apiGroup: '', resource: 'secrets' }));
    const agg = subject.aggregatesInto.length > 0 ? `; it aggregates into ${subject.aggregatesInto.map(n => `"${n}"`).join(', ')}, so every binding of those grants it too` : '';
    out.push({
      path: pathOf(path),
      message: `${subject.what} grants ${verbs.join(', ')}${get.anyName ? ' without resourceNames' : ''}${where} (${describeSources(subject, indexes, self)})${agg}.`,
    });
    return out;
  },
};
