import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Catalogue } from '../policy/catalogue';
import { assertRule } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { HardeningProfile } from '../policy/profile';
import { RuleContext } from '../policy/types';
import { todayUtc } from '../policy/waiver-record';
import { ApiServerAuditOptions, auditFlags } from './apiserver';
import { ConfigFileObject } from './config-file';

/** How much of a request an audit rule records. */
export enum AuditLevel {
  /** Nothing. */
  NONE = 'None',
  /** Who, when, from where, verb and object — never bodies. */
  METADATA = 'Metadata',
  /** Metadata plus the request body. */
  REQUEST = 'Request',
  /** Metadata plus request and response bodies. */
  REQUEST_RESPONSE = 'RequestResponse',
}

/** Stages of a request that produce audit events. */
export enum AuditStage {
  /** As soon as the audit handler receives the request, before it is delegated down the handler chain. */
  REQUEST_RECEIVED = 'RequestReceived',
  /** Once the response headers are sent, before the body (only long-running requests such as watch). */
  RESPONSE_STARTED = 'ResponseStarted',
  /** Once the response body has been completed. */
  RESPONSE_COMPLETE = 'ResponseComplete',
  /** When a panic occurred while handling the request. */
  PANIC = 'Panic',
}

/** Resources of one API group an audit rule matches. */
export interface AuditResource {
  /** API group; '' is the core group. */
  readonly group: string;
  /**
   * Resources (`pods`, `pods/exec`, `*` / `*\/scale` wildcards as in the Kubernetes API).
   * @default - every resource of the group
   */
  readonly resources?: string[];
  /**
   * Naming objects narrows a rule; by default it covers every object of the resource, so nothing escapes it.
   * @default - every object
   */
  readonly resourceNames?: string[];
}

/**
 * One rule of an audit policy (audit.k8s.io/v1 PolicyRule). The first matching rule of the policy decides the level.
 */
export interface AuditRule {
  /** Level of matching events. */
  readonly level: AuditLevel;
  /**
   * An unfiltered rule matches every client, so nothing escapes it.
   * @default - every user
   */
  readonly users?: string[];
  /**
   * An unfiltered rule matches every client, so nothing escapes it.
   * @default - every group
   */
  readonly userGroups?: string[];
  /**
   * An unfiltered rule matches every verb, so nothing escapes it.
   * @default - every verb
   */
  readonly verbs?: string[];
  /** API groups and resources the rule matches. @default - every resource (unless nonResourceURLs is set) */
  readonly resources?: AuditResource[];
  /**
   * An unfiltered rule matches everywhere, so nothing escapes it; narrow only deliberately.
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /** Non-resource URL paths, `*` suffix wildcards. @default - none */
  readonly nonResourceURLs?: string[];
  /**
   * The policy omits RequestReceived, which duplicates every event without adding who/what.
   * @default - the policy's omitStages
   */
  readonly omitStages?: AuditStage[];
}

/** Props of an AuditPolicy. */
export interface AuditPolicyProps {
  /**
   * Rules added after the built-in protective rules (secret-bearing resources at Metadata, RBAC changes and pod exec/attach/
   * portforward at RequestResponse) and before the built-in write and catch-all rules, so they cannot re-expose secret bodies.
   * The effective policy is checked at construct time: a rule that leaves a write unlogged (None, or omitting
   * ResponseComplete/Panic) or acts as a catch-all at None is refused, naming `props.additionalRules[i]`.
   * @default - none
   */
  readonly additionalRules?: AuditRule[];
  /**
   * Level of the final catch-all rule. At least Metadata (`audit-policy-catch-all`): NONE is refused.
   * @default AuditLevel.METADATA — every request leaves a who/when/what record (non-repudiation)
   */
  readonly catchAllLevel?: AuditLevel;
  /**
   * Level for create/update/patch/delete on resources not covered earlier. At least Metadata
   * (`audit-policy-writes-logged`): NONE is refused.
   * @default AuditLevel.REQUEST — what was changed, without response bodies
   */
  readonly writeLevel?: AuditLevel;
  /**
   * Drop noisy system traffic (health checks, kube-proxy watches, node status reads, node lease heartbeats, leader
   * election, events). Never Secrets, ConfigMaps or tokens: those rules match no secret-bearing resource.
   * @default true — keeps the trail readable and cheap without losing user actions
   */
  readonly dropSystemNoise?: boolean;
}

/** Secret-bearing resources: logged at Metadata only, never with bodies. */
export const SECRET_RESOURCES: AuditResource[] = [
  { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
  { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
];

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Catalogue rules every AuditPolicy satisfies at construct time (the same rules the guard and the CLI run). */
const AUDIT_POLICY_RULES = ['audit-policy-valid', 'audit-policy-secret-bodies', 'audit-policy-writes-logged', 'audit-policy-catch-all'];

/**
 * A hardened Kubernetes audit policy (audit.k8s.io/v1 Policy), as its own file: this chart holds only the Policy, without
 * metadata, so `cdk8s synth` writes `dist/<id>.k8s.yaml` to be copied to the API server's `--audit-policy-file`. It is an
 * API-server file, not something to `kubectl apply`. The construct and the guard check the effective policy (as
 * kube-apiserver evaluates it) with `audit-policy-valid`, `audit-policy-secret-bodies`, `audit-policy-writes-logged` and
 * `audit-policy-catch-all`.
 *
 * Impersonation (`kubectl --as`, `Impersonate-User` headers) is not a rule: the policy is matched against the original
 * user and the request's own verb and resource, so an impersonator cannot hide behind a dropped system identity, and an
 * `impersonate` verb never reaches the policy. Every impersonated request is logged (at least at the catch-all level)
 * with `user` = the impersonator and `impersonatedUser` = the identity acted as.
 */
export class AuditPolicy extends Chart {
  /** The rules in evaluation order (first match wins). */
  public readonly rules: AuditRule[];
  /** The Policy object. */
  public readonly policy: ApiObject;

  /** Builds the hardened rule list (system noise, secret metadata, RBAC and exec bodies, catch-all) and the Policy object. */
  constructor(scope: Construct, id: string, props: AuditPolicyProps = {}) {
    super(scope, id);
    Guard.of(this);
    const noise = props.dropSystemNoise ?? true;
    this.rules = [
      ...(noise ? SYSTEM_NOISE : []),
      { level: AuditLevel.METADATA, resources: SECRET_RESOURCES },
      { level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: 'rbac.authorization.k8s.io' }], verbs: WRITE_VERBS },
      { level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers'] }] },
      // No rule for impersonation: the API server evaluates the policy with the original (impersonating) user and the
      // attributes of the request itself, before the impersonation filter; it never produces an `impersonate`-verb
      // event (kubernetes/kubernetes#120677). An impersonated request is an ordinary event at the level of the rule
      // matching the impersonator, with `impersonatedUser` set (EksAuditTrail alarms on it).
      ...(props.additionalRules ?? []),
      { level: props.writeLevel ?? AuditLevel.REQUEST, verbs: WRITE_VERBS },
      { level: props.catchAllLevel ?? AuditLevel.METADATA },
    ];
    const doc = {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: [AuditStage.REQUEST_RECEIVED],
      omitManagedFields: true,
      rules: this.rules.map(renderRule),
    };
    // The catalogue's audit rules, at construct time, on the effective policy: an additional rule, writeLevel or
    // catchAllLevel that would log Secret bodies, leave writes unlogged or act as a catch-all at None is refused, naming
    // the prop that produced the offending rule.
    const origins: { field: string; value: unknown }[] = this.rules.map(() => ({ field: 'rules', value: '(built-in rule)' }));
    const extra = props.additionalRules ?? [];
    const firstExtra = this.rules.length - 2 - extra.length;
    extra.forEach((r, j) => { origins[firstExtra + j] = { field: `props.additionalRules[${j}]`, value: r }; });
    origins[this.rules.length - 2] = { field: 'props.writeLevel', value: props.writeLevel ?? AuditLevel.REQUEST };
    origins[this.rules.length - 1] = { field: 'props.catchAllLevel', value: props.catchAllLevel ?? AuditLevel.METADATA };
    const context: RuleContext = { settings: HardeningProfile.settingsOf(this), objects: [doc], rules: Catalogue.all(), today: todayUtc() };
    for (const ruleId of AUDIT_POLICY_RULES) {
      const first = Catalogue.get(ruleId).check(doc, context)[0];
      if (!first) continue;
      const m = /^rules\[(\d+)\]/.exec(first.path);
      const origin = m ? origins[Number(m[1])] : { field: 'props.additionalRules', value: extra };
      assertRule(this, ruleId, doc, origin.field, origin.value);
    }
    this.policy = new ConfigFileObject(this, 'Policy', doc);
  }

  /**
   * kube-apiserver flags that load this policy (copy the synthesized file to `options.policyFile`) and configure the
   * log file and/or webhook backend.
   */
  public apiServerFlags(options: ApiServerAuditOptions = {}): string[] {
    return auditFlags(this, options);
  }
}

function renderRule(r: AuditRule): any {
  return {
    level: r.level,
    ...(r.users ? { users: [...r.users] } : {}),
    ...(r.userGroups ? { userGroups: [...r.userGroups] } : {}),
    ...(r.verbs ? { verbs: [...r.verbs] } : {}),
    ...(r.resources ? {
      resources: r.resources.map(g => ({
        group: g.group,
        ...(g.resources ? { resources: [...g.resources] } : {}),
        ...(g.resourceNames ? { resourceNames: [...g.resourceNames] } : {}),
      })),
    } : {}),
    ...(r.namespaces ? { namespaces: [...r.namespaces] } : {}),
    ...(r.nonResourceURLs ? { nonResourceURLs: [...r.nonResourceURLs] } : {}),
    ...(r.omitStages ? { omitStages: [...r.omitStages] } : {}),
  };
}

/** System traffic dropped by default (after the GKE / kube-up audit policy): no secret-bearing resource. */
const SYSTEM_NOISE: AuditRule[] = [
  { level: AuditLevel.NONE, nonResourceURLs: ['/healthz*', '/readyz*', '/livez*', '/version'] },
  // kube-proxy authenticates as system:kube-proxy (a kubeconfig client certificate, as on kube-up) or as its
  // ServiceAccount (kubeadm's DaemonSet).
  { level: AuditLevel.NONE, users: ['system:kube-proxy', 'system:serviceaccount:kube-system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }] },
  { level: AuditLevel.NONE, userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  // Node heartbeats: every kubelet gets and updates its Lease in kube-node-lease about every 10 s. Only those: a
  // create or delete of a node lease, any other namespace's leases and any other identity stay logged.
  {
    level: AuditLevel.NONE,
    userGroups: ['system:nodes'],
    verbs: ['get', 'update'],
    namespaces: ['kube-node-lease'],
    resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
  },
  {
    level: AuditLevel.NONE,
    users: ['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
    verbs: ['get', 'update'],
    namespaces: ['kube-system'],
    resources: [{ group: '', resources: ['endpoints'] }, { group: 'coordination.k8s.io', resources: ['leases'] }],
  },
  { level: AuditLevel.NONE, users: ['system:apiserver'], verbs: ['get'], resources: [{ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] }] },
  // Event emission and reads; deleting events (hiding what happened) stays logged (audit-policy-writes-logged).
  { level: AuditLevel.NONE, verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'], resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
];
