/**
 * RBAC rule matching exactly as the API server's RBAC authorizer does it (kubernetes/kubernetes
 * plugin/pkg/auth/authorizer/rbac/rbac.go `RuleAllows` and pkg/apis/rbac/v1/evaluation_helpers.go):
 *
 * - verbs: `*` or the exact verb;
 * - apiGroups: `*` or the exact group (`""` is the core group);
 * - resources: `*`, the exact `resource` or `resource/subresource`, or `*\/subresource` for any resource's
 *   subresource. Nothing else is a pattern: `pods/*` matches no request (there is no `pods/*` subresource), and `*`
 *   matches subresources too;
 * - resourceNames: empty matches every name, otherwise the exact name. Requests without a name (create of a new
 *   object, list/watch without a `metadata.name` field selector, deletecollection) match only rules without
 *   resourceNames;
 * - nonResourceURLs: `*`, the exact path, or a prefix ending in `*`.
 *
 * Pure functions over plain JSON; no construct imports.
 */

/** A PolicyRule with every list present (absent or malformed lists are empty, as the API server defaults them). */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A resource request, as the authorizer sees it. */
export interface ResourceRequest {
  readonly verb: string;
  /** API group, `""` for the core group. */
  readonly apiGroup: string;
  /** Plural resource, e.g. `pods`. */
  readonly resource: string;
  /** Subresource, e.g. `exec`. @default - none */
  readonly subresource?: string;
  /** Object name; `""` or absent when the request has none (create, list, deletecollection). */
  readonly name?: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Read one rule of a Role/ClusterRole as the API server would store it. */
export function normalizeRule(raw: any): PolicyRule {
  const o = raw && typeof raw === 'object' ? raw : {};
  return {
    apiGroups: strings(o.apiGroups),
    resources: strings(o.resources),
    verbs: strings(o.verbs),
    resourceNames: strings(o.resourceNames),
    nonResourceURLs: strings(o.nonResourceURLs),
  };
}

/** Read the `rules` list of a Role/ClusterRole. */
export function normalizeRules(raw: unknown): PolicyRule[] {
  return Array.isArray(raw) ? raw.map(normalizeRule) : [];
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some(v => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some(g => g === '*' || g === group);
}

export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combinedResource) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some(u => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

/** Does one rule allow a resource request? */
export function ruleAllows(rule: PolicyRule, req: ResourceRequest): boolean {
  const sub = req.subresource ?? '';
  const combined = sub ? `${req.resource}/${sub}` : req.resource;
  return verbMatches(rule, req.verb) && apiGroupMatches(rule, req.apiGroup) &&
    resourceMatches(rule, combined, sub) && resourceNameMatches(rule, req.name ?? '');
}

/** Does one rule allow a non-resource request (e.g. `get /metrics`)? */
export function ruleAllowsNonResource(rule: PolicyRule, verb: string, path: string): boolean {
  return verbMatches(rule, verb) && nonResourceURLMatches(rule, path);
}

/** Does any rule of the set allow the request? */
export function rulesAllow(rules: readonly PolicyRule[], req: ResourceRequest): boolean {
  return rules.some(r => ruleAllows(r, req));
}

/**
 * Which objects a rule set lets a subject act on for a request shape with a name: every object, some named objects,
 * or none. `named: false` is a request without a name (create of a new object, deletecollection), which no rule with
 * resourceNames allows.
 */
export interface Grant {
  /** True when some rule allows the request for every name. */
  readonly anyName: boolean;
  /** Names allowed by rules with resourceNames (empty when anyName or nothing is allowed). */
  readonly names: readonly string[];
  /** Indexes of the rules that allow it. */
  readonly ruleIndexes: readonly number[];
}

/** The names a rule set allows a request shape on (see Grant). */
export function grantOf(rules: readonly PolicyRule[], req: Omit<ResourceRequest, 'name'>, named: boolean): Grant {
  let anyName = false;
  const names = new Set<string>();
  const ruleIndexes: number[] = [];
  rules.forEach((rule, i) => {
    const sub = req.subresource ?? '';
    const combined = sub ? `${req.resource}/${sub}` : req.resource;
    if (!verbMatches(rule, req.verb) || !apiGroupMatches(rule, req.apiGroup) || !resourceMatches(rule, combined, sub)) return;
    if (rule.resourceNames.length === 0) {
      anyName = true;
      ruleIndexes.push(i);
    } else if (named) {
      rule.resourceNames.forEach(n => names.add(n));
      ruleIndexes.push(i);
    }
  });
  return { anyName, names: anyName ? [] : [...names].sort(), ruleIndexes };
}

/** True when the grant allows anything. */
export function granted(g: Grant): boolean {
  return g.anyName || g.names.length > 0;
}

/**
 * Cluster-scoped resources (group/resource). A Role, or a ClusterRole bound by a RoleBinding, applies only to requests
 * in its namespace, so it grants nothing on these; except `namespaces`, whose requests carry the namespace's own name
 * as their namespace (a RoleBinding in `shop` that grants `update namespaces` lets its subjects update namespace `shop`).
 */
export const CLUSTER_SCOPED_RESOURCES: ReadonlySet<string> = new Set([
  '/nodes', '/persistentvolumes', '/namespaces', '/componentstatuses',
  'rbac.authorization.k8s.io/clusterroles', 'rbac.authorization.k8s.io/clusterrolebindings',
  'certificates.k8s.io/certificatesigningrequests', 'certificates.k8s.io/signers', 'certificates.k8s.io/clustertrustbundles',
  'admissionregistration.k8s.io/validatingwebhookconfigurations', 'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies', 'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingadmissionpolicies', 'admissionregistration.k8s.io/mutatingadmissionpolicybindings',
  'apiextensions.k8s.io/customresourcedefinitions', 'apiregistration.k8s.io/apiservices',
  'storage.k8s.io/storageclasses', 'storage.k8s.io/csidrivers', 'storage.k8s.io/csinodes', 'storage.k8s.io/volumeattachments',
  'scheduling.k8s.io/priorityclasses', 'node.k8s.io/runtimeclasses', 'networking.k8s.io/ingressclasses',
  'flowcontrol.apiserver.k8s.io/flowschemas', 'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
  'authentication.k8s.io/tokenreviews', 'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews', 'authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews',
  // impersonation is checked cluster-wide (no namespace on the attributes)
  '/users', '/groups', 'authentication.k8s.io/uids', 'authentication.k8s.io/userextras',
]);

/** Where a rule set applies: cluster-wide (ClusterRoleBinding) or in one namespace (Role, or RoleBinding of a ClusterRole). */
export type RbacScope = 'cluster' | 'namespace';

/** True when a rule set applied in `scope` can reach this resource at all. */
export function reachableIn(scope: RbacScope, apiGroup: string, resource: string): boolean {
  if (scope === 'cluster') return true;
  if (apiGroup === '' && resource === 'namespaces') return true;
  return !CLUSTER_SCOPED_RESOURCES.has(`${apiGroup}/${resource}`);
}
