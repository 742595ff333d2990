/**
 * First-match evaluation of an audit Policy for one request, as kube-apiserver does it.
 * Port of k8s.io/apiserver pkg/audit/policy/checker.go @ 24a394e516bf (ruleMatches, ruleMatchesResource,
 * ruleMatchesNonResource, pathMatches, NewPolicyRuleEvaluator, isOmitManagedFields).
 */
import { AuditLevelName, AuditPolicyDoc, AuditStageName, PolicyRule, STAGES } from './policy';

/** Attributes of an authenticated request that the audit policy sees (authorizer.Attributes). */
interface RequestCommon {
  /** user.Info name of the authenticated (not the impersonated) user. */
  readonly user: string;
  /** user.Info groups. */
  readonly groups: string[];
  /** Kube verb (resource requests) or lower-case HTTP method (non-resource requests). */
  readonly verb: string;
}

/** A request for an API resource (/api/..., /apis/...). */
export interface ResourceRequest extends RequestCommon {
  readonly kind: 'resource';
  /** '' for cluster-scoped resources and for requests across all namespaces. */
  readonly namespace: string;
  /** API group; '' is the core group. */
  readonly apiGroup: string;
  readonly resource: string;
  /** '' when none. */
  readonly subresource: string;
  /** '' when the request names no object (list, create...). */
  readonly name: string;
}

/** A request for a non-resource URL (/healthz, /metrics, discovery...). */
export interface NonResourceRequest extends RequestCommon {
  readonly kind: 'nonResource';
  readonly path: string;
}

export type RequestAttributes = ResourceRequest | NonResourceRequest;

/** What the policy decides for a request (auditinternal.RequestAuditConfig plus the deciding rule). */
export interface AuditDecision {
  readonly level: AuditLevelName;
  /** Union of the policy's and the rule's omitStages, in stage order. */
  readonly omitStages: AuditStageName[];
  readonly omitManagedFields: boolean;
  /** Index of the first matching rule; -1 when no rule matches (level None, checker.go DefaultAuditLevel). */
  readonly ruleIndex: number;
}

/** pathMatches: `*`, exact, or a trailing-`*` prefix (every trailing `*` trimmed). */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

/** Does a GroupResources entry match (group, resource, subresource, name)? */
export function groupResourcesMatch(
  gr: { group: string; resources: string[]; resourceNames: string[] }, apiGroup: string, resource: string, subresource: string, name: string,
): boolean {
  if (gr.group !== apiGroup && gr.group !== '*') return false;
  if (gr.resources.length === 0) return true;
  const combined = subresource !== '' ? `${resource}/${subresource}` : resource;
  for (const res of gr.resources) {
    if (gr.resourceNames.length > 0 && !gr.resourceNames.includes(name)) continue;
    if (res === combined || res === '*') return true;
    if (subresource !== '' && res.startsWith('*/') && subresource === res.slice(2)) return true;
    if (res.endsWith('/*') && resource === res.slice(0, -2)) return true;
  }
  return false;
}

/** ruleMatches. Users, groups, verbs and namespaces are exact strings: `*` there is not a wildcard. */
export function ruleMatches(rule: PolicyRule, req: RequestAttributes): boolean {
  if (rule.users.length > 0 && !rule.users.includes(req.user)) return false;
  if (rule.userGroups.length > 0 && !req.groups.some(g => rule.userGroups.includes(g))) return false;
  if (rule.verbs.length > 0 && !rule.verbs.includes(req.verb)) return false;
  if (rule.namespaces.length > 0 || rule.resources.length > 0) {
    if (req.kind !== 'resource') return false;
    if (rule.namespaces.length > 0 && !rule.namespaces.includes(req.namespace)) return false;
    if (rule.resources.length === 0) return true;
    return rule.resources.some(gr => groupResourcesMatch(gr, req.apiGroup, req.resource, req.subresource, req.name));
  }
  if (rule.nonResourceURLs.length > 0) {
    if (req.kind !== 'nonResource') return false;
    return rule.nonResourceURLs.some(spec => pathMatches(req.path, spec));
  }
  return true;
}

/** The stages omitted for events of a rule: policy omitStages ∪ rule omitStages (NewPolicyRuleEvaluator). */
export function effectiveOmitStages(policy: AuditPolicyDoc, ruleIndex: number): AuditStageName[] {
  const rule = ruleIndex >= 0 ? policy.rules[ruleIndex] : undefined;
  const set = new Set<string>([...policy.omitStages, ...(rule?.omitStages ?? [])]);
  return STAGES.filter(s => set.has(s));
}

/** The decision for a rule index (-1: no rule matched). */
export function decisionOf(policy: AuditPolicyDoc, ruleIndex: number): AuditDecision {
  const rule = ruleIndex >= 0 ? policy.rules[ruleIndex] : undefined;
  return {
    level: rule ? rule.level : 'None',
    omitStages: effectiveOmitStages(policy, ruleIndex),
    omitManagedFields: rule?.omitManagedFields ?? policy.omitManagedFields,
    ruleIndex,
  };
}

/** EvaluatePolicyRule: the first matching rule decides. */
export function evaluatePolicy(policy: AuditPolicyDoc, req: RequestAttributes): AuditDecision {
  return decisionOf(policy, policy.rules.findIndex(r => ruleMatches(r, req)));
}
