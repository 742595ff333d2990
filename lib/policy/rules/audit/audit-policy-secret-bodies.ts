import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { CREDENTIAL_RESOURCES, isQuiet, logsBodies, matchesAll, mayMatch } from './audit-util';

export const auditPolicySecretBodies: IRule = {
  id: 'audit-policy-secret-bodies',
  title: 'Audit policies never log Secret or token bodies',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['Policy'],
  description: 'At Request or RequestResponse level the audit log records request and response bodies: for Secrets, ' +
    'serviceaccounts/token and TokenReviews those are credentials, copied into every log store and archive. The first ' +
    'matching rule decides: a broad body-level rule is only safe after a rule that logs these resources at Metadata (or None) ' +
    'for every user, verb and namespace.',
  remediation: 'Put `- level: Metadata` with resources secrets, serviceaccounts/token (group "") and tokenreviews ' +
    '(authentication.k8s.io) before any Request/RequestResponse rule that can match them (AuditPolicy does).',
  references: ['Kubernetes docs: Auditing (audit policy; do not log Secret bodies)', 'CIS Kubernetes Benchmark 3.2.2: audit policy covers key security concerns'],
  check(obj) {
    const rules = Array.isArray(obj?.rules) ? obj.rules : [];
    const out: RuleViolation[] = [];
    for (const target of CREDENTIAL_RESOURCES) {
      for (const [i, rule] of rules.entries()) {
        if (logsBodies(rule) && mayMatch(rule, target)) {
          out.push({ path: `rules[${i}].level`, message: `rule ${i} logs ${rule.level} bodies and can match ${target.group || 'core'}/${target.resource} before any rule keeps them at Metadata.` });
          break;
        }
        if (isQuiet(rule) && matchesAll(rule, target)) break;
      }
    }
    return out;
  },
};
