/**
 * audit.k8s.io/v1 Policy: the types the API server decodes and the checks it runs before using a policy file.
 *
 * Source: kubernetes/apiserver @ 24a394e516bf (k8s.io/apiserver), files
 *   pkg/apis/audit/v1/types.go            (Policy, PolicyRule, GroupResources field names and types)
 *   pkg/audit/policy/reader.go            (LoadPolicyFromBytes: strict decode, lenient fallback, v1 only, >= 1 rule)
 *   pkg/apis/audit/validation/validation.go (ValidatePolicy)
 * See SOURCES.md next to this file for the facts and how the evaluator uses them.
 */

/** How much of a request an audit event records, lowest first. */
export type AuditLevelName = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
/** Stages of a request that produce audit events. */
export type AuditStageName = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export const LEVELS: AuditLevelName[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const STAGES: AuditStageName[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** Level rank: None 0, Metadata 1, Request 2, RequestResponse 3. */
export function levelRank(level: AuditLevelName): number {
  return LEVELS.indexOf(level);
}

/** One GroupResources entry of a rule (missing fields as the API server sees them: empty). */
export interface GroupResources {
  /** '' is the core group; '*' every group. */
  readonly group: string;
  /** Empty: every resource of the group. */
  readonly resources: string[];
  /** Empty: every object. */
  readonly resourceNames: string[];
}

/** One PolicyRule, decoded (absent or null lists are empty, as in Go). */
export interface PolicyRule {
  readonly level: AuditLevelName;
  readonly users: string[];
  readonly userGroups: string[];
  readonly verbs: string[];
  readonly resources: GroupResources[];
  readonly namespaces: string[];
  readonly nonResourceURLs: string[];
  readonly omitStages: AuditStageName[];
  /** Unset: the policy default. */
  readonly omitManagedFields?: boolean;
}

/** A decoded, valid Policy. */
export interface AuditPolicyDoc {
  readonly rules: PolicyRule[];
  readonly omitStages: AuditStageName[];
  readonly omitManagedFields: boolean;
}

/** The result of reading a Policy object as kube-apiserver reads `--audit-policy-file`. */
export interface ParsedPolicy {
  /** The policy, when the API server would load it. */
  readonly policy?: AuditPolicyDoc;
  /** Why the API server would refuse to load it (it then does not start). Paths are JSON paths. */
  readonly errors: { path: string; message: string }[];
  /** Fields the API server ignores (strict decoding fails, the lenient fallback drops them with a warning). */
  readonly ignored: { path: string; message: string }[];
}

const POLICY_FIELDS = ['apiVersion', 'kind', 'metadata', 'rules', 'omitStages', 'omitManagedFields'];
const RULE_FIELDS = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'];
const GROUP_RESOURCES_FIELDS = ['group', 'resources', 'resourceNames'];

/** Is the object meant as an audit Policy (group audit.k8s.io, kind Policy)? Other `Policy` kinds (Kyverno...) are not. */
export function isAuditPolicyObject(obj: any): boolean {
  return obj?.kind === 'Policy' && typeof obj?.apiVersion === 'string' && obj.apiVersion.split('/')[0] === 'audit.k8s.io';
}

// validation.NameIsDNSSubdomain (apimachinery): lower-case RFC 1123 subdomain, at most 253 characters.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Read a Policy object as kube-apiserver reads its policy file: JSON field names are case-sensitive, unknown fields are
 * dropped (lenient fallback), a value of the wrong type fails decoding, absent or null lists are empty; then
 * ValidatePolicy, the v1-only group version check and the "at least one rule" check.
 */
export function parseAuditPolicy(obj: any): ParsedPolicy {
  const errors: { path: string; message: string }[] = [];
  const ignored: { path: string; message: string }[] = [];
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return { errors: [{ path: '', message: 'the policy is not an object' }], ignored };
  }
  if (obj.apiVersion !== 'audit.k8s.io/v1') {
    errors.push({ path: 'apiVersion', message: `apiVersion ${JSON.stringify(obj.apiVersion)} is not served: kube-apiserver loads only audit.k8s.io/v1 policies` });
  }
  unknownFields(obj, POLICY_FIELDS, '', ignored);
  const strings = (v: unknown, path: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) { errors.push({ path, message: `${path} must be a list of strings, got ${JSON.stringify(v)}` }); return []; }
    return v.map((x, i) => {
      if (x === null) return ''; // Go's JSON decoding leaves a null element at the zero value ""
      if (typeof x !== 'string') errors.push({ path: `${path}[${i}]`, message: `${path}[${i}] must be a string, got ${JSON.stringify(x)}` });
      return String(x);
    });
  };
  const stages = (v: unknown, path: string): AuditStageName[] => {
    const s = strings(v, path);
    s.forEach((x, i) => {
      if (!STAGES.includes(x as AuditStageName)) errors.push({ path: `${path}[${i}]`, message: `${path}[${i}] ${JSON.stringify(x)}: allowed stages are ${STAGES.join(',')}` });
    });
    return s as AuditStageName[];
  };
  const bool = (v: unknown, path: string): boolean | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') { errors.push({ path, message: `${path} must be a boolean, got ${JSON.stringify(v)}` }); return undefined; }
    return v;
  };

  const policyOmitStages = stages(obj.omitStages, 'omitStages');
  const policyOmitManagedFields = bool(obj.omitManagedFields, 'omitManagedFields') ?? false;
  let rawRules: any[] = [];
  if (obj.rules !== undefined && obj.rules !== null) {
    if (Array.isArray(obj.rules)) rawRules = obj.rules;
    else errors.push({ path: 'rules', message: `rules must be a list, got ${JSON.stringify(obj.rules)}` });
  }
  if (rawRules.length === 0) errors.push({ path: 'rules', message: 'the policy has no rules (kube-apiserver: "loaded illegal policy with 0 rules")' });

  const rules: PolicyRule[] = rawRules.map((r, i) => {
    const p = `rules[${i}]`;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      errors.push({ path: p, message: `${p} must be an object` });
      return { level: 'None', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [] } as PolicyRule;
    }
    unknownFields(r, RULE_FIELDS, p, ignored);
    let level: AuditLevelName = 'None';
    if (r.level === undefined || r.level === null || r.level === '') errors.push({ path: `${p}.level`, message: `${p}.level is required` });
    else if (typeof r.level !== 'string' || !LEVELS.includes(r.level as AuditLevelName)) errors.push({ path: `${p}.level`, message: `${p}.level ${JSON.stringify(r.level)}: supported values are ${LEVELS.join(', ')}` });
    else level = r.level as AuditLevelName;
    const resources: GroupResources[] = [];
    if (r.resources !== undefined && r.resources !== null) {
      if (!Array.isArray(r.resources)) errors.push({ path: `${p}.resources`, message: `${p}.resources must be a list of {group, resources, resourceNames}` });
      else r.resources.forEach((g: any, j: number) => {
        const gp = `${p}.resources[${j}]`;
        if (g === null || typeof g !== 'object' || Array.isArray(g)) { errors.push({ path: gp, message: `${gp} must be an object` }); return; }
        unknownFields(g, GROUP_RESOURCES_FIELDS, gp, ignored);
        let group = '';
        if (g.group !== undefined && g.group !== null) {
          if (typeof g.group !== 'string') errors.push({ path: `${gp}.group`, message: `${gp}.group must be a string, got ${JSON.stringify(g.group)}` });
          else group = g.group;
        }
        if (group !== '' && group !== '*' && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) {
          errors.push({ path: `${gp}.group`, message: `${gp}.group ${JSON.stringify(group)} is not a lower-case DNS subdomain (a group name without version)` });
        }
        const res = strings(g.resources, `${gp}.resources`);
        const names = strings(g.resourceNames, `${gp}.resourceNames`);
        if (names.length > 0 && res.length === 0) errors.push({ path: `${gp}.resourceNames`, message: `${gp}: using resourceNames requires at least one resource` });
        resources.push({ group, resources: res, resourceNames: names });
      });
    }
    const namespaces = strings(r.namespaces, `${p}.namespaces`);
    const urls = strings(r.nonResourceURLs, `${p}.nonResourceURLs`);
    urls.forEach((u, j) => {
      if (u === '*') return;
      if (!u.startsWith('/')) errors.push({ path: `${p}.nonResourceURLs[${j}]`, message: `non-resource URL rules must begin with a '/' character: ${JSON.stringify(u)}` });
      if (u !== '' && u.slice(0, -1).includes('*')) errors.push({ path: `${p}.nonResourceURLs[${j}]`, message: `non-resource URL wildcards '*' must be the final character of the rule: ${JSON.stringify(u)}` });
    });
    if (urls.length > 0 && (resources.length > 0 || namespaces.length > 0)) {
      errors.push({ path: `${p}.nonResourceURLs`, message: `${p}: rules cannot apply to both regular resources and non-resource URLs` });
    }
    const omf = bool(r.omitManagedFields, `${p}.omitManagedFields`);
    return {
      level,
      users: strings(r.users, `${p}.users`),
      userGroups: strings(r.userGroups, `${p}.userGroups`),
      verbs: strings(r.verbs, `${p}.verbs`),
      resources,
      namespaces,
      nonResourceURLs: urls,
      omitStages: stages(r.omitStages, `${p}.omitStages`),
      ...(omf === undefined ? {} : { omitManagedFields: omf }),
    };
  });
  if (errors.length > 0) return { errors, ignored };
  return { policy: { rules, omitStages: policyOmitStages, omitManagedFields: policyOmitManagedFields }, errors, ignored };
}

function unknownFields(obj: any, known: string[], path: string, out: { path: string; message: string }[]): void {
  for (const k of Object.keys(obj)) {
    if (known.includes(k)) continue;
    const p = path ? `${path}.${k}` : k;
    const near = known.find(f => f.toLowerCase() === k.toLowerCase() || f.toLowerCase() === `${k.toLowerCase()}s` || `${f.toLowerCase()}s` === k.toLowerCase());
    out.push({ path: p, message: `kube-apiserver ignores the unknown field ${JSON.stringify(k)} (field names are case-sensitive)${near ? `; did you mean ${JSON.stringify(near)}?` : ''}` });
  }
}
