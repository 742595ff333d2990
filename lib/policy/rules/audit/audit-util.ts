import { ObjectMemo } from '../../../kube/cache';
import { AuditPolicyDoc, isAuditPolicyObject, parseAuditPolicy, ParsedPolicy, PropertyViolation } from '../../../semantics/audit';
import { RuleViolation } from '../../types';

const parsed = new ObjectMemo<object, ParsedPolicy>();

/** Parse once per object: the audit rules share one reading of the Policy, as kube-apiserver reads it. */
export function readPolicy(obj: any): ParsedPolicy {
  if (obj === null || typeof obj !== 'object') return parseAuditPolicy(obj);
  let p = parsed.get(obj);
  if (!p) { p = parseAuditPolicy(obj); parsed.set(obj, p); }
  return p;
}

/**
 * Run a property over an audit.k8s.io Policy. Other `Policy` kinds (e.g. Kyverno's) are not audit policies: no finding.
 * A policy the API server would refuse cannot be judged: one unevaluable violation (audit-policy-valid reports why).
 */
export function onPolicy(obj: any, property: (policy: AuditPolicyDoc) => PropertyViolation[]): RuleViolation[] {
  if (!isAuditPolicyObject(obj)) return [];
  const p = readPolicy(obj);
  if (!p.policy) {
    return [{ path: p.errors[0].path || 'rules', message: `kube-apiserver would refuse this policy (${p.errors[0].message}); see audit-policy-valid.`, unevaluable: true }];
  }
  return property(p.policy).map(v => ({ path: v.ruleIndex < 0 ? 'rules' : `rules[${v.ruleIndex}]`, message: v.message }));
}
