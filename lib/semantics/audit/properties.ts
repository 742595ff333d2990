/**
 * Properties of the EFFECTIVE audit policy, decided over every request (exact: see universe.ts).
 */
import { AuditDecision, decisionOf, RequestAttributes } from './evaluate';
import { AuditPolicyDoc, AuditStageName, levelRank, PolicyRule } from './policy';
import { outcomes, ResourceTarget } from './universe';

/** Resources whose request or response bodies carry credentials or configuration that must stay out of audit logs. */
export const BODY_SENSITIVE_TARGETS: (ResourceTarget & { what: string })[] = [
  { group: '', resource: 'secrets', subresource: '', what: 'Secret data' },
  { group: '', resource: 'configmaps', subresource: '', what: 'ConfigMap data (often credentials in practice)' },
  { group: '', resource: 'serviceaccounts', subresource: 'token', what: 'a minted ServiceAccount token (TokenRequest response)' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '', what: 'the bearer token under review' },
];

/** Verbs that change objects. */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Stages an event of a logged request must keep. ResponseComplete is the event of every ordinary request that
 * carries the response status (was the change made, denied, rejected?); Panic is the only event of a request whose
 * handler panicked. RequestReceived (a duplicate without the outcome) and ResponseStarted (only for long-running
 * requests, which still end with ResponseComplete) may be omitted.
 */
export const REQUIRED_STAGES: AuditStageName[] = ['ResponseComplete', 'Panic'];

/** Groups every ordinary client may hold: a None rule that matches them on unnamed resources is a catch-all at None. */
export const BROAD_GROUPS = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ level: 'None', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [], ...r });

/**
 * Writes that may go unlogged: control-plane heartbeats, about one per node or component every few seconds, that carry
 * no user action (after the kube-up/GKE audit policy). Nothing else: a create or delete of a lease, another namespace,
 * another identity, and deletion of events stay required.
 */
export const WRITE_EXEMPTIONS: { rule: PolicyRule; why: string }[] = [
  {
    rule: rule({ userGroups: ['system:nodes'], verbs: ['update', 'patch'], namespaces: ['kube-node-lease'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'], resourceNames: [] }] }),
    why: 'kubelet node-lease heartbeat',
  },
  {
    rule: rule({
      users: ['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
      verbs: ['update'], namespaces: ['kube-system'],
      resources: [{ group: 'coordination.k8s.io', resources: ['leases'], resourceNames: [] }, { group: '', resources: ['endpoints'], resourceNames: [] }],
    }),
    why: 'control-plane leader-election renewal',
  },
  {
    rule: rule({ verbs: ['create', 'update', 'patch'], resources: [{ group: '', resources: ['events'], resourceNames: [] }, { group: 'events.k8s.io', resources: ['events'], resourceNames: [] }] }),
    why: 'event emission (deleting events stays required)',
  },
];

/** A request the policy treats against a property, with the rule that decides it. */
export interface PropertyViolation {
  /** The first matching rule (-1: no rule matches). */
  readonly ruleIndex: number;
  readonly decision: AuditDecision;
  /** One request that gets this decision. */
  readonly example: RequestAttributes;
  readonly message: string;
}

/** Is an event recorded, with its outcome? Level above None and the required stages kept. */
export function isLogged(d: AuditDecision): boolean {
  return d.level !== 'None' && REQUIRED_STAGES.every(s => !d.omitStages.includes(s));
}

/** Human-readable request, e.g. `update coordination.k8s.io/leases "x" in namespace kube-node-lease by user alice (groups system:nodes)`. */
export function describeRequest(r: RequestAttributes): string {
  const who = `by user ${r.user}${r.groups.length ? ` (groups ${r.groups.join(', ')})` : ' (no group the policy names)'}`;
  const verb = r.verb === '' ? '(empty verb)' : r.verb;
  if (r.kind === 'nonResource') return `${verb} ${r.path} ${who}`;
  const res = `${r.apiGroup === '' ? 'core' : r.apiGroup}/${r.resource}${r.subresource ? `/${r.subresource}` : ''}`;
  const name = r.name ? ` ${JSON.stringify(r.name)}` : '';
  const where = r.namespace === '' ? ' (cluster-wide / all namespaces)' : ` in namespace ${r.namespace}`;
  return `${verb} ${res}${name}${where} ${who}`;
}

function where(d: AuditDecision, r: RequestAttributes): string {
  const req = `\`${describeRequest(r)}\``;
  return d.ruleIndex < 0 ? `no rule matches ${req} (level None)`
    : `rules[${d.ruleIndex}] (level ${d.level}${d.omitStages.length ? `, omitStages ${d.omitStages.join(',')}` : ''}) is the first rule to match ${req}`;
}

/** Requests on Secrets, ConfigMaps, serviceaccounts/token and TokenReviews logged above Metadata (one per deciding rule). */
export function bodyLeaks(policy: AuditPolicyDoc): PropertyViolation[] {
  const out = new Map<number, PropertyViolation>();
  for (const t of BODY_SENSITIVE_TARGETS) {
    for (const [i, example] of outcomes(policy, { kinds: ['resource'], targets: [t] })) {
      const d = decisionOf(policy, i);
      if (levelRank(d.level) <= levelRank('Metadata') || out.has(i)) continue;
      out.set(i, { ruleIndex: i, decision: d, example, message: `${where(d, example)}: it would log ${t.what} in the request/response body.` });
    }
  }
  return [...out.values()].sort((a, b) => a.ruleIndex - b.ruleIndex);
}

/** Writes (create, update, patch, delete, deletecollection) not logged, outside WRITE_EXEMPTIONS (one per deciding rule). */
export function unloggedWrites(policy: AuditPolicyDoc): PropertyViolation[] {
  const out: PropertyViolation[] = [];
  for (const [i, example] of outcomes(policy, { kinds: ['resource'], verbs: WRITE_VERBS, exclude: WRITE_EXEMPTIONS.map(e => e.rule) })) {
    const d = decisionOf(policy, i);
    if (isLogged(d)) continue;
    const why = d.level === 'None' ? 'a write that is not logged' : `a write whose ${REQUIRED_STAGES.filter(s => d.omitStages.includes(s)).join(' and ')} event is omitted, so its outcome is not logged`;
    out.push({ ruleIndex: i, decision: d, example, message: `${where(d, example)}: ${why}.` });
  }
  return out.sort((a, b) => a.ruleIndex - b.ruleIndex);
}

/**
 * Catch-all gaps: (a) requests no rule matches (the API server's default is None), and (b) requests outside everything
 * the policy names (an unnamed user holding at most the BROAD_GROUPS, an unnamed API group/resource/namespace/name or
 * path, any verb) that are not logged — a None rule acting as a catch-all, e.g. for resources added later.
 */
export function catchAllGaps(policy: AuditPolicyDoc): PropertyViolation[] {
  const out = new Map<number, PropertyViolation>();
  const unmatched = outcomes(policy).get(-1);
  if (unmatched) {
    const d = decisionOf(policy, -1);
    out.set(-1, { ruleIndex: -1, decision: d, example: unmatched, message: `no rule matches \`${describeRequest(unmatched)}\`: it falls through at level None, unlogged.` });
  }
  for (const [i, example] of outcomes(policy, { unnamed: true, broadGroups: BROAD_GROUPS })) {
    const d = decisionOf(policy, i);
    if (isLogged(d) || out.has(i)) continue;
    out.set(i, { ruleIndex: i, decision: d, example, message: `${where(d, example)}, a request the policy names nowhere, and does not log it: the rule acts as a catch-all at None.` });
  }
  return [...out.values()].sort((a, b) => a.ruleIndex - b.ruleIndex);
}
