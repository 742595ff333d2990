/**
 * Pure generator: catalogue rules -> ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding objects (plain JSON).
 *
 * WAIVERS. CEL has no clock and cannot parse JSON, and an annotation on an incoming object is written by whoever
 * creates it: honouring `hardened.cdk8s.io/waivers` as found in a request would let any user able to create a pod
 * waive the policy for it. So waivers are reviewed at GENERATION time: every valid waiver (waiverProblems() empty,
 * rule waivable, `expires >= generatedOn`) found on the objects given to the generator (the chart, or the manifests the
 * CLI reads) is baked into that rule's policy as an entry (kind, namespace, name, the exact annotation value, rule id,
 * path prefix). At admission the entry covers an object only when kind, namespace and name match and the object
 * carries byte-for-byte the same annotation value; then it covers the findings whose JSON path the waiver's path
 * prefixes, exactly as the guard's pathCovered(). Expiry: a waiver valid on the generation date stays honoured until
 * the policies are regenerated (the window is at most the time between regenerations; each policy carries the date
 * it was generated and the earliest expiry among its waivers in annotations, so the window is visible); regeneration
 * after `expires` drops it.
 *
 * EXEMPTIONS are only what the props name: namespaces (a `namespaceSelector` on kubernetes.io/metadata.name) and
 * users (e.g. controllers' service accounts, a `matchConditions` entry). Nothing is exempt by default.
 */
import { parseWaivers, WAIVER_ANNOTATION } from '../policy/waiver-record';
import { IRule, PolicySettings, Severity } from '../policy/types';
import { Catalogue } from '../policy/catalogue';
import { admissionRules, AdmissionRule, lit, litList, notAtAdmissionReason } from './cel-rules';

/** Pod-carrying kinds matched at admission, with where their pod spec sits. */
export const ADMISSION_KINDS: ReadonlyArray<{ kind: string; group: string; resource: string; spec: string; meta: string }> = [
  { kind: 'Pod', group: '', resource: 'pods', spec: 'spec', meta: 'metadata' },
  { kind: 'Deployment', group: 'apps', resource: 'deployments', spec: 'spec.template.spec', meta: 'spec.template.metadata' },
  { kind: 'StatefulSet', group: 'apps', resource: 'statefulsets', spec: 'spec.template.spec', meta: 'spec.template.metadata' },
  { kind: 'DaemonSet', group: 'apps', resource: 'daemonsets', spec: 'spec.template.spec', meta: 'spec.template.metadata' },
  { kind: 'ReplicaSet', group: 'apps', resource: 'replicasets', spec: 'spec.template.spec', meta: 'spec.template.metadata' },
  { kind: 'ReplicationController', group: '', resource: 'replicationcontrollers', spec: 'spec.template.spec', meta: 'spec.template.metadata' },
  { kind: 'Job', group: 'batch', resource: 'jobs', spec: 'spec.template.spec', meta: 'spec.template.metadata' },
  { kind: 'CronJob', group: 'batch', resource: 'cronjobs', spec: 'spec.jobTemplate.spec.template.spec', meta: 'spec.jobTemplate.spec.template.metadata' },
];

/** Where the generated objects' names start. */
export const POLICY_PREFIX = 'hardened-';

/** A waiver baked into a policy. */
export interface BakedWaiver {
  readonly ruleId: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly annotation: string;
  /** '' = every finding of the rule on the object. */
  readonly path: string;
  readonly expires: string;
}

/** Options of the generator. */
export interface GenerateOptions {
  readonly settings: PolicySettings;
  /** `admissionregistration.k8s.io/v1` (Kubernetes 1.30+) or `v1beta1` (1.28, 1.29). */
  readonly apiVersion: 'v1' | 'v1beta1';
  /** Deny, or Audit+Warn for a profile in audit mode. */
  readonly audit?: boolean;
  /** Rule ids to emit (default: every rule that can be judged at admission). */
  readonly ruleIds?: string[];
  /** Objects whose valid waivers are baked in. */
  readonly waiverSources?: any[];
  /** Generation date YYYY-MM-DD (UTC): waivers expiring before it are dropped. */
  readonly generatedOn: string;
  /** Namespace assumed for waiver sources without one (kubectl's default). */
  readonly defaultNamespace?: string;
  /** Namespaces exempt from every policy (visible as the policies' namespaceSelector). */
  readonly exemptNamespaces?: string[];
  /** Users exempt (e.g. `system:serviceaccount:kube-system:replicaset-controller`), visible as a matchCondition. */
  readonly exemptUsers?: string[];
}

/** Valid, unexpired waivers of the given objects, for the rules in `rules`. */
export function bakeWaivers(objects: any[], rules: IRule[], generatedOn: string, defaultNamespace = 'default'): BakedWaiver[] {
  const out: BakedWaiver[] = [];
  for (const o of objects) {
    const annotation = o?.metadata?.annotations?.[WAIVER_ANNOTATION];
    if (typeof annotation !== 'string' || typeof o?.metadata?.name !== 'string' || !ADMISSION_KINDS.some(k => k.kind === o.kind)) continue;
    const { waivers, problems } = parseWaivers(o);
    // An annotation with an invalid entry fails waiver-invalid at synth; it is never baked.
    if (problems.length > 0) continue;
    for (const w of waivers) {
      const rule = rules.find(r => r.id === w.ruleId);
      if (!rule || rule.waivable === false || w.expires < generatedOn) continue;
      out.push({
        ruleId: w.ruleId, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? defaultNamespace,
        annotation, path: w.path ?? '', expires: w.expires,
      });
    }
  }
  return out;
}

/** Service account the kube-controller-manager's controller runs as (with --use-service-account-credentials). */
export function controllerUser(controller: string): string {
  return `system:serviceaccount:kube-system:${controller}`;
}

/** How findings' paths of a waived object map onto an object its controller creates from it. */
interface Derivation {
  readonly child: string;
  /** The controller that creates the child (its service account is the request's user). */
  readonly controller: string;
  readonly ownerKind: string;
  /** Owner name: exactly the parent's name, or the parent's name plus a generated suffix. */
  readonly ownerName: (parent: string) => { exact?: string; pattern?: string };
  /** Paths at or above `root` cover the whole child; paths under `from` become `to`. */
  readonly root: string;
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  readonly then?: Derivation[];
}

const esc = (name: string) => name.replace(/[.]/g, '\\.');
const TO_POD = (root: string) => ({ root, pairs: [[`${root}.spec`, 'spec'], [`${root}.metadata`, 'metadata']] as [string, string][] });
const POD_OF = (ownerKind: string, controller: string, ownerName: Derivation['ownerName'], root = 'spec.template'): Derivation => ({
  child: 'Pod', controller, ownerKind, ownerName, ...TO_POD(root),
});
const exact = (n: string) => ({ exact: n });

/**
 * Objects controllers create from a waived object, which carry its pod template but not its annotation: the waiver
 * follows them only when the request comes from that controller's service account and the child's controller
 * ownerReference names the waived object (ReplicaSets of a Deployment: `<name>-<hash>`; Jobs of a CronJob:
 * `<name>-<n>`). A user cannot create objects as a controller, and an object a user creates with a copied
 * ownerReference is judged without the waiver.
 */
const DERIVED: { [kind: string]: Derivation[] } = {
  Deployment: [{
    child: 'ReplicaSet', controller: 'deployment-controller', ownerKind: 'Deployment', ownerName: exact, root: 'spec', pairs: [['spec', 'spec']],
    then: [POD_OF('ReplicaSet', 'replicaset-controller', n => ({ pattern: `^${esc(n)}-[a-z0-9]+$` }))],
  }],
  ReplicaSet: [POD_OF('ReplicaSet', 'replicaset-controller', exact)],
  ReplicationController: [POD_OF('ReplicationController', 'replication-controller', exact)],
  StatefulSet: [POD_OF('StatefulSet', 'statefulset-controller', exact)],
  DaemonSet: [POD_OF('DaemonSet', 'daemon-set-controller', exact)],
  Job: [POD_OF('Job', 'job-controller', exact)],
  CronJob: [{
    child: 'Job', controller: 'cronjob-controller', ownerKind: 'CronJob', ownerName: exact, root: 'spec.jobTemplate.spec', pairs: [['spec.jobTemplate.spec', 'spec']],
    then: [POD_OF('Job', 'job-controller', n => ({ pattern: `^${esc(n)}-[0-9]+$` }))],
  }],
};

/** A waiver path as it reads on the child, or undefined when it covers nothing there. */
export function derivedPath(path: string, d: { root: string; pairs: ReadonlyArray<readonly [string, string]> }): string | undefined {
  if (path === '' || path === d.root || d.root.startsWith(`${path}.`)) return '';
  for (const [from, to] of d.pairs) {
    if (path === from) return to;
    if (path.startsWith(`${from}.`) || path.startsWith(`${from}[`)) return to + path.slice(from.length);
  }
  return undefined;
}

/** The CEL of the `waivers` variable: path prefixes of the baked waivers of one rule that cover this object. */
export function waiverVariable(baked: BakedWaiver[]): string {
  if (baked.length === 0) return '[]';
  const groups = new Map<string, BakedWaiver[]>();
  for (const b of baked) {
    const key = JSON.stringify([b.kind, b.namespace, b.name, b.annotation]);
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const parts: string[] = [];
  for (const g of groups.values()) {
    const b = g[0];
    const cond = `object.kind == ${lit(b.kind)} && has(object.metadata.name) && object.metadata.name == ${lit(b.name)} && ` +
      `request.namespace == ${lit(b.namespace)} && has(object.metadata.annotations) && ${lit(WAIVER_ANNOTATION)} in object.metadata.annotations && ` +
      `object.metadata.annotations[${lit(WAIVER_ANNOTATION)}] == ${lit(b.annotation)}`;
    parts.push(`(${cond} ? ${litList(g.map(x => x.path))} : [])`);
    const derive = (ds: Derivation[], ownerName: string, paths: string[]) => {
      for (const d of ds) {
        const mapped = paths.map(p => derivedPath(p, d)).filter((p): p is string => p !== undefined);
        if (mapped.length === 0) continue;
        const owner = d.ownerName(ownerName);
        const nameCond = owner.exact !== undefined ? `o.name == ${lit(owner.exact)}` : `o.name.matches(${lit(owner.pattern!)})`;
        const c = `object.kind == ${lit(d.child)} && request.userInfo.username == ${lit(controllerUser(d.controller))} && ` +
          `request.namespace == ${lit(b.namespace)} && has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, ` +
          `o.kind == ${lit(d.ownerKind)} && has(o.controller) && o.controller == true && ${nameCond})`;
        parts.push(`(${c} ? ${litList(mapped)} : [])`);
        // the grandchild's owner is the child, whose name only the pattern knows: derive from the pattern's parent name
        if (d.then) derive(d.then, ownerName, mapped);
      }
    };
    derive(DERIVED[b.kind] ?? [], b.name, g.map(x => x.path));
  }
  return parts.join(' + ');
}

/** The policy's variables (name, CEL), in evaluation order. */
export function policyVariables(waivers: BakedWaiver[]): { name: string; expression: string }[] {
  const tpl = (path: string) => `(has(object.${path}.metadata) ? object.${path}.metadata : {})`;
  const spec = "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec";
  const prefix = "object.kind == 'Pod' ? 'spec' : object.kind == 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec'";
  const meta = `object.kind == 'Pod' ? object.metadata : object.kind == 'CronJob' ? ${tpl('spec.jobTemplate.spec.template')} : ${tpl('spec.template')}`;
  const metaPrefix = "object.kind == 'Pod' ? 'metadata' : object.kind == 'CronJob' ? 'spec.jobTemplate.spec.template.metadata' : 'spec.template.metadata'";
  return [
    { name: 'spec', expression: spec },
    { name: 'prefix', expression: prefix },
    { name: 'meta', expression: meta },
    { name: 'metaPrefix', expression: metaPrefix },
    { name: 'waivers', expression: waiverVariable(waivers) },
  ];
}

/** One rule's generated CEL (for the differential test and the cost estimate). */
export interface GeneratedRule {
  readonly rule: IRule;
  readonly variables: { name: string; expression: string }[];
  readonly expression: string;
  readonly messageExpression: string;
  readonly waivers: BakedWaiver[];
}

/** The CEL of every selected rule. */
export function generateRules(options: GenerateOptions): GeneratedRule[] {
  const catalogue = Catalogue.all();
  const all = admissionRules(options.settings);
  const selected: AdmissionRule[] = options.ruleIds ? all.filter(r => options.ruleIds!.includes(r.id)) : all;
  if (options.ruleIds) {
    const unknown = options.ruleIds.filter(id => !all.some(r => r.id === id));
    if (unknown.length > 0) throw new Error(`rules not enforceable at admission with these settings: ${unknown.map(id => `${id} (${notAtAdmissionReason(id)})`).join('; ')}`);
  }
  const baked = bakeWaivers(options.waiverSources ?? [], catalogue, options.generatedOn, options.defaultNamespace);
  return selected.map(ar => {
    const rule = catalogue.find(r => r.id === ar.id)!;
    const waivers = baked.filter(b => b.ruleId === ar.id);
    return {
      rule,
      variables: policyVariables(waivers),
      expression: ar.expression({ waived: waivers.length > 0 }),
      messageExpression: `${lit(`[${rule.id}] ${rule.title}: `)} + object.kind + ' ' + ` +
        `(has(object.metadata.name) ? object.metadata.name : has(object.metadata.generateName) ? object.metadata.generateName : '') + ${lit(` is denied. Fix: ${rule.remediation}`)}`,
      waivers,
    };
  });
}

/** ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects for the selected rules. */
export function generatePolicies(options: GenerateOptions): any[] {
  const group = `admissionregistration.k8s.io/${options.apiVersion}`;
  const out: any[] = [];
  const operations = ['CREATE', 'UPDATE'];
  const resourceRules = [
    { apiGroups: [''], apiVersions: ['v1'], operations, resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'] },
    { apiGroups: ['apps'], apiVersions: ['v1'], operations, resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
    { apiGroups: ['batch'], apiVersions: ['v1'], operations, resources: ['jobs', 'cronjobs'] },
  ];
  const exemptNs = options.exemptNamespaces ?? [];
  const exemptUsers = options.exemptUsers ?? [];
  for (const g of generateRules(options)) {
    const name = `${POLICY_PREFIX}${g.rule.id}`;
    const expiries = g.waivers.map(w => w.expires).sort();
    out.push({
      apiVersion: group,
      kind: 'ValidatingAdmissionPolicy',
      metadata: {
        name,
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened', 'hardened.cdk8s.io/rule': g.rule.id },
        annotations: {
          'hardened.cdk8s.io/generated-on': options.generatedOn,
          'hardened.cdk8s.io/pod-security-version': options.settings.podSecurityVersion,
          'hardened.cdk8s.io/baked-waivers': String(g.waivers.length),
          ...(expiries.length > 0 ? { 'hardened.cdk8s.io/baked-waivers-valid-until': expiries[0] } : {}),
        },
      },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules,
          ...(exemptNs.length > 0 ? { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...exemptNs] }] } } : {}),
        },
        ...(exemptUsers.length > 0 ? { matchConditions: [{ name: 'exempt-users', expression: `!(request.userInfo.username in ${litList(exemptUsers)})` }] } : {}),
        variables: g.variables,
        validations: [{
          expression: g.expression,
          message: `[${g.rule.id}] ${g.rule.title}. Fix: ${g.rule.remediation}`,
          messageExpression: g.messageExpression,
          reason: 'Forbidden',
        }],
      },
    });
    out.push({
      apiVersion: group,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened', 'hardened.cdk8s.io/rule': g.rule.id } },
      // ERROR rules deny (audit mode: Audit + Warn); WARNING and INFO rules warn, as the guard only reports them.
      spec: { policyName: name, validationActions: options.audit || g.rule.severity !== Severity.ERROR ? ['Audit', 'Warn'] : ['Deny'] },
    });
  }
  return out;
}

/** Markdown table of the catalogue rules NOT enforced at admission, with the reason. */
export function notEnforcedTable(settings: PolicySettings): string {
  const enforced = new Set(admissionRules(settings).map(r => r.id));
  const rows = Catalogue.all().filter(r => !enforced.has(r.id)).map(r => `| ${r.id} | ${notAtAdmissionReason(r.id)} |`);
  return ['| rule | why not at admission |', '| --- | --- |', ...rows].join('\n');
}
