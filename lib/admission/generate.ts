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
import { DEFAULT_KUBE_VERSION } from '../kube/kube-version';
import { Catalogue } from '../policy/catalogue';
import { IRule, PolicySettings, Severity } from '../policy/types';
import { MIN_WAIVER_REASON, parseWaivers, WAIVER_ANNOTATION } from '../policy/waiver-record';
import { AdmissionRule, hasChain, lit, litList, notAtAdmissionReason, readsOf, violationDetail } from './cel-rules';
import { ADMISSION_KINDS, AdmissionKind } from './kinds';
import { OBJECT_RULES, objectDetail, objectExpression, objectJudged, objectKindOf, objectResourceRules, objectRulesFor, objectRulesOf, objectTypeCheck } from './object-rules';
import { admissionRules } from './pod-rules';
import { MAXIMUMS_PARTIAL } from './pod-rules-maximums';
import { typeCheckExpression, typeViolationDetail } from './types-cel';

export { ADMISSION_KINDS } from './kinds';
export type { AdmissionKind } from './kinds';

/** Known carriers (lib/kube/manifest.ts) that admission does not match, with the reason. */
export const NOT_MATCHED_CARRIERS: { readonly [groupKind: string]: string } = {
  'apps.kruise.io/AdvancedCronJob': 'two alternative template paths (jobTemplate, broadcastJobTemplate): judged at synth time and by `check` only',
  'apps.kruise.io/UnitedDeployment': 'four alternative template paths: judged at synth time and by `check` only; the workloads it creates are matched',
  'apps.kruise.io/SidecarSet': 'containers merged into other pods (a fragment, not a pod spec): judged at synth time and by `check` only',
  'apps.kruise.io/EphemeralJob': 'ephemeral containers injected into running pods (a fragment): the pods/ephemeralcontainers requests it makes are matched',
  'kubeflow.org/PyTorchJob': 'one pod template per replica type (a map): judged at synth time and by `check` only; the Pods the operator creates are matched',
  'kubeflow.org/TFJob': 'one pod template per replica type (a map): the Pods the operator creates are matched',
  'kubeflow.org/MPIJob': 'one pod template per replica type (a map): the Pods the operator creates are matched',
  'kubeflow.org/XGBoostJob': 'one pod template per replica type (a map): the Pods the operator creates are matched',
  'kubeflow.org/PaddleJob': 'one pod template per replica type (a map): the Pods the operator creates are matched',
  'kubeflow.org/JAXJob': 'one pod template per replica type (a map): the Pods the operator creates are matched',
  'kubeflow.org/MXJob': 'one pod template per replica type (a map): the Pods the operator creates are matched',
  'ray.io/RayCluster': 'head and worker-group templates (a list): the Pods the operator creates are matched',
  'ray.io/RayJob': 'several templates (cluster, submitter): the Pods the operator creates are matched',
  'ray.io/RayService': 'head and worker-group templates (a list): the Pods the operator creates are matched',
  'batch.volcano.sh/Job': 'one template per task (a list): the Pods the operator creates are matched',
  'argoproj.io/Workflow': 'templates merged by the controller (fragments, podSpecPatch strings): the Pods it creates are matched',
  'argoproj.io/WorkflowTemplate': 'templates merged by the controller (fragments): the Pods workflows create are matched',
  'argoproj.io/ClusterWorkflowTemplate': 'templates merged by the controller (fragments): the Pods workflows create are matched',
  'argoproj.io/CronWorkflow': 'templates merged by the controller (fragments): the Pods workflows create are matched',
  'tekton.dev/Task': 'steps merged with stepTemplate by the controller (fragments): the Pods TaskRuns create are matched',
  'tekton.dev/ClusterTask': 'steps merged by the controller (fragments): the Pods TaskRuns create are matched',
  'tekton.dev/TaskRun': 'steps merged by the controller (fragments): the Pods it creates are matched',
  'tekton.dev/Pipeline': 'tasks merged by the controller (fragments): the Pods TaskRuns create are matched',
  'tekton.dev/PipelineRun': 'tasks merged by the controller (fragments): the Pods TaskRuns create are matched',
  'sparkoperator.k8s.io/SparkApplication': 'driver and executor assembled by the operator (fragments): the Pods it creates are matched',
  'sparkoperator.k8s.io/ScheduledSparkApplication': 'driver and executor assembled by the operator (fragments): the Pods it creates are matched',
};

/** One exemption from every policy: a namespace or a user, with the reason it is accepted. */
export interface Exemption {
  readonly namespace?: string;
  readonly user?: string;
  /** Members of this group (only `system:nodes` by default). */
  readonly group?: string;
  readonly reason: string;
}

/**
 * What the policies leave out by default: the system namespaces and the kubelet's mirror pods. Pod Security Admission
 * deployments exempt the same (control-plane and node add-ons need host access; a denied mirror pod still runs on its
 * node, it only disappears from the API).
 */
export const SYSTEM_EXEMPTIONS: ReadonlyArray<Exemption> = [
  { namespace: 'kube-system', reason: 'control-plane and node components (kube-proxy, CNI, CSI, DNS, cloud agents) need host access; a denial here can take the cluster down' },
  { namespace: 'kube-public', reason: 'reserved for cluster-wide public data (cluster-info); exempt as in Pod Security Admission deployments' },
  { namespace: 'kube-node-lease', reason: 'holds only the nodes\' heartbeat Leases' },
  { group: 'system:nodes', reason: 'requests by kubelets are mirror pods of static pods: the node runs them whatever the API server answers; a denial only hides them from the API' },
];

/** The problem with an exemption, or undefined. */
export function exemptionProblem(e: Exemption): string | undefined {
  const set = [e.namespace, e.user, e.group].filter(x => x !== undefined);
  if (set.length !== 1) return 'names exactly one of namespace, user or group';
  const v = set[0];
  if (typeof v !== 'string' || v.trim() === '' || v.includes('*')) return `${JSON.stringify(v)} is not an exact name (wildcards are not accepted)`;
  if (e.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(e.namespace)) return `${JSON.stringify(e.namespace)} is not a namespace name`;
  if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_WAIVER_REASON) return `reason must be at least ${MIN_WAIVER_REASON} characters (got ${JSON.stringify(e.reason)})`;
  return undefined;
}

/** `namespace:<ns>`, `user:<name>` or `group:<name>`: one line of the exemption list. */
export function describeExemption(e: Exemption): string {
  const what = e.namespace !== undefined ? `namespace ${e.namespace}` : e.user !== undefined ? `user ${e.user}` : `group ${e.group}`;
  return `${what}: ${e.reason}`;
}

/** Where the generated objects' names start. */
export const POLICY_PREFIX = 'hardened-';

/** A waiver baked into a policy. */
export interface BakedWaiver {
  readonly ruleId: string;
  readonly kind: string;
  /** API group of the kind ('' = core). */
  readonly group: string;
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
  /** Deny, or Audit+Warn for a profile in audit mode (the first step of a rollout). */
  readonly audit?: boolean;
  /** Rules that Deny even in audit mode (the rollout's next steps, rule by rule). */
  readonly denyRules?: string[];
  /** Rule ids to emit (default: every rule that can be judged at admission). */
  readonly ruleIds?: string[];
  /** Objects whose valid waivers are baked in. */
  readonly waiverSources?: any[];
  /** Generation date YYYY-MM-DD (UTC): waivers expiring before it are dropped. */
  readonly generatedOn: string;
  /** Namespace assumed for waiver sources without one (kubectl's default). */
  readonly defaultNamespace?: string;
  /** Leave out the system namespaces and mirror pods (SYSTEM_EXEMPTIONS). Default true. */
  readonly exemptSystem?: boolean;
  /** Further exemptions, each with its reason (namespaces: namespaceSelector; users and groups: matchConditions). */
  readonly exemptions?: Exemption[];
}

/** Valid, unexpired waivers of the given objects, for the rules in `rules`. */
export function bakeWaivers(objects: any[], rules: IRule[], generatedOn: string, defaultNamespace = 'default'): BakedWaiver[] {
  const out: BakedWaiver[] = [];
  for (const o of objects) {
    const annotation = o?.metadata?.annotations?.[WAIVER_ANNOTATION];
    const podKind = admissionKindOf(o);
    const objectRules = objectRulesOf(o);
    if (typeof annotation !== 'string' || typeof o?.metadata?.name !== 'string' || (!podKind && objectRules.length === 0)) continue;
    const { waivers, problems } = parseWaivers(o);
    // An annotation with an invalid entry fails waiver-invalid at synth; it is never baked.
    if (problems.length > 0) continue;
    for (const w of waivers) {
      const rule = rules.find(r => r.id === w.ruleId);
      // a waiver is baked only into a policy that matches the object's kind
      const objectRule = objectRules.find(r => r.id === w.ruleId);
      const matched = objectRule ? objectKindOf(objectRule, o) : OBJECT_RULES.some(r => r.id === w.ruleId) ? undefined : podKind;
      if (!matched) continue;
      const clusterScoped = 'clusterScoped' in matched && matched.clusterScoped;
      if (!rule || rule.waivable === false || w.expires < generatedOn) continue;
      out.push({
        ruleId: w.ruleId, kind: o.kind, group: matched.group, name: o.metadata.name, namespace: clusterScoped ? '' : o.metadata.namespace ?? defaultNamespace,
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
export interface Derivation {
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
export const DERIVED_WAIVERS: { [kind: string]: Derivation[] } = {
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
    const key = JSON.stringify([b.group, b.kind, b.namespace, b.name, b.annotation]);
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const parts: string[] = [];
  for (const g of groups.values()) {
    const b = g[0];
    const apiGroup = b.group === '' ? 'object.apiVersion == \'v1\'' : `object.apiVersion.startsWith(${lit(`${b.group}/`)})`;
    const cond = `object.kind == ${lit(b.kind)} && ${apiGroup} && has(object.metadata.name) && object.metadata.name == ${lit(b.name)} && ` +
      // cluster-scoped objects (namespace '') have no request.namespace: their name is unique in the cluster
      (b.namespace === '' ? '' : `request.namespace == ${lit(b.namespace)} && `) +
      `has(object.metadata.annotations) && ${lit(WAIVER_ANNOTATION)} in object.metadata.annotations && ` +
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
    derive(['', 'apps', 'batch'].includes(b.group) ? DERIVED_WAIVERS[b.kind] ?? [] : [], b.name, g.map(x => x.path));
  }
  return parts.join(' + ');
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * `base.a.b.c` when every step is present and a map; `{}` when a step is absent (no pod spec there: nothing to judge,
 * as the catalogue's podSpecsOf finds none); the string 'malformed' when a step is not a map (the type check denies).
 */
function nav(base: string, path: string): string {
  const steps = path.split('.');
  let cur = base;
  let out = '';
  out += `type(${cur}) != map ? 'malformed' : `;
  for (const [i, st] of steps.entries()) {
    const next = `${cur}.${st}`;
    out += `!has(${next}) ? {} : `;
    if (i < steps.length - 1) out += `type(${next}) != map ? 'malformed' : `;
    cur = next;
  }
  return `(${out}${cur})`;
}

/** A CEL switch over the matched kinds on `object.kind`: kinds sharing a path share a branch. */
function byKind(pick: (k: AdmissionKind) => string, render: (path: string) => string): string {
  const groups = new Map<string, Set<string>>();
  for (const k of ADMISSION_KINDS) groups.set(pick(k), new Set([...(groups.get(pick(k)) ?? []), k.kind]));
  const dflt = pick(ADMISSION_KINDS.find(k => k.kind === 'Deployment')!);
  let out = '';
  for (const [path, kinds] of groups) {
    if (path === dflt) continue;
    out += `object.kind in ${litList([...kinds])} ? ${render(path)} : `;
  }
  return `${out}${render(dflt)}`;
}

/** The matched kind of an object (by API group and kind), or undefined. */
export function admissionKindOf(obj: any): AdmissionKind | undefined {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  const group = v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
  return ADMISSION_KINDS.find(k => k.kind === obj?.kind && k.group === group);
}

/** The projection of a pod spec onto the fields a rule reads (top-level pod fields; per container its top-level fields). */
function projection(v: string, reads: { pod: string[]; container: string[] }): string {
  const parts = reads.pod.map(f => {
    if (CONTAINER_LISTS.includes(f) && reads.container.length > 0) {
      const inner = `[${reads.container.map(cf => `has(c.${cf}) ? c.${cf} : null`).join(', ')}]`;
      return `(has(${v}.${f}) ? (type(${v}.${f}) == list ? ${v}.${f}.map(c, type(c) == map ? ${inner} : c) : ${v}.${f}) : null)`;
    }
    return `(has(${v}.${f}) ? ${v}.${f} : null)`;
  });
  return `(type(${v}) != map ? ${v} : [${parts.join(', ')}])`;
}

/**
 * UPDATE semantics (as Pod Security Admission): an UPDATE is judged only when a field the rule reads changed between
 * `oldObject` and `object` — the pod spec's top-level fields the rule's CEL reads and, per container, the container's
 * top-level fields it reads (and the AppArmor annotations of the pod metadata for apparmor-profile). A change to
 * labels, annotations, finalizers, ownerReferences, replicas or anything else is admitted: the garbage collector can
 * remove a finalizer and an operator can label a non-compliant object that already exists. CREATE is always judged.
 */
export function judgedExpression(ruleExpression: string, objectReads: string[] = []): string {
  const reads = readsOf(ruleExpression);
  const changes = [`${projection('variables.spec', reads)} != ${projection('variables.oldSpec', reads)}`];
  // fields outside the pod spec a rule reads (pod-rules-extra.ts: spec.selector, spec.ttlSecondsAfterFinished, ...)
  for (const fields of objectReads.map(sel => sel.split('.').slice(1))) {
    const proj = (base: string) => `(${hasChain(base, fields)} ? ${[base, ...fields].join('.')} : null)`;
    changes.push(`${proj('object')} != ${proj('oldObject')}`);
  }
  if (reads.podMetadata) {
    const ann = (m: string) => `(type(${m}) == map && has(${m}.annotations) && type(${m}.annotations) == map ? ${m}.annotations : {})`;
    const n = ann('variables.meta');
    const o = ann('variables.oldMeta');
    changes.push(`${n}.exists(k, k.startsWith(${lit(APPARMOR_PREFIX)}) && (!(k in ${o}) || ${o}[k] != ${n}[k]))`);
    changes.push(`${o}.exists(k, k.startsWith(${lit(APPARMOR_PREFIX)}) && !(k in ${n}))`);
  }
  return `request.operation != 'UPDATE' || oldObject == null || ${changes.join(' || ')}`;
}

/** The policy's variables (name, CEL), in evaluation order. */
export function policyVariables(waivers: BakedWaiver[], ruleExpression = '', objectReads: string[] = []): { name: string; expression: string }[] {
  const spec = byKind(k => k.spec, p => nav('object', p));
  const oldSpec = `oldObject == null ? {} : ${byKind(k => k.spec, p => nav('oldObject', p))}`;
  const prefix = byKind(k => k.spec, p => lit(p));
  const meta = byKind(k => k.meta, p => nav('object', p));
  const oldMeta = `oldObject == null ? {} : ${byKind(k => k.meta, p => nav('oldObject', p))}`;
  const metaPrefix = byKind(k => k.meta, p => lit(p));
  return [
    { name: 'spec', expression: spec },
    { name: 'prefix', expression: prefix },
    { name: 'meta', expression: meta },
    { name: 'metaPrefix', expression: metaPrefix },
    { name: 'oldSpec', expression: oldSpec },
    { name: 'oldMeta', expression: oldMeta },
    { name: 'judged', expression: judgedExpression(ruleExpression, objectReads) },
    { name: 'waivers', expression: waiverVariable(waivers) },
  ];
}

/** One validation of a policy. */
export interface GeneratedValidation {
  readonly expression: string;
  readonly message: string;
  readonly messageExpression: string;
  readonly reason: 'Forbidden' | 'Invalid';
}

/** One rule's generated CEL (for the differential test and the cost estimate). */
export interface GeneratedRule {
  readonly rule: IRule;
  readonly variables: { name: string; expression: string }[];
  /** The rule's own expression (true: admitted), without the UPDATE gate. */
  readonly expression: string;
  readonly messageExpression: string;
  /** What the policy evaluates, in order: the type check, then the rule (each gated by `variables.judged`). */
  readonly validations: GeneratedValidation[];
  /** The resources the policy matches (default: the pod carriers). */
  readonly resourceRules?: any[];
  readonly waivers: BakedWaiver[];
  /** The metadata fields the rule reads: a change to one of them is judged on UPDATE like a spec change. */
  readonly metadataReads: string[];
}

const objectName = "(has(object.metadata.name) ? object.metadata.name : has(object.metadata.generateName) ? object.metadata.generateName : '')";

/** The policy's UPDATE semantics in words (annotation `hardened.cdk8s.io/updates`), true to the metadata the rule reads. */
export function updatesNote(metadataReads: readonly string[]): string {
  return metadataReads.length === 0
    ? 'judged only when a field this rule reads changed; metadata-only changes, status and scale are admitted; DELETE is not matched'
    : `judged only when a field this rule reads changed, including the metadata ${metadataReads.join(', ')}; other metadata changes, ` +
      'status and scale are admitted; DELETE is not matched';
}

/** The CEL of every selected rule. */
export function generateRules(options: GenerateOptions): GeneratedRule[] {
  const catalogue = Catalogue.all();
  const all = admissionRules(options.settings);
  const selected: AdmissionRule[] = options.ruleIds ? all.filter(r => options.ruleIds!.includes(r.id)) : all;
  const forSettings = objectRulesFor(options.settings);
  const objectRules = options.ruleIds ? forSettings.filter(r => options.ruleIds!.includes(r.id)) : forSettings;
  if (options.ruleIds) {
    const unknown = options.ruleIds.filter(id => !all.some(r => r.id === id) && !forSettings.some(r => r.id === id));
    const why = (id: string) => OBJECT_RULES.find(r => r.id === id)?.minKube?.reason(options.settings.kubeVersion ?? DEFAULT_KUBE_VERSION)
      ?? notAtAdmissionReason(id);
    if (unknown.length > 0) throw new Error(`rules not enforceable at admission with these settings: ${unknown.map(id => `${id} (${why(id)})`).join('; ')}`);
  }
  const baked = bakeWaivers(options.waiverSources ?? [], catalogue, options.generatedOn, options.defaultNamespace);
  const types = typeCheckExpression();
  const typesDetail = typeViolationDetail();
  const pod = selected.map((ar): GeneratedRule => {
    const rule = catalogue.find(r => r.id === ar.id)!;
    const waivers = baked.filter(b => b.ruleId === ar.id);
    const ctx = { waived: waivers.length > 0 };
    const expression = ar.expression(ctx);
    const detail = violationDetail(ar, ctx);
    const messageExpression = `${lit(`[${rule.id}] ${rule.title}: `)} + object.kind + ' ' + ${objectName} + ': ' + ` +
      `[${detail}].map(d, d == '' ? 'a field this rule reads' : d)[0] + ${lit(`. Fix: ${rule.remediation}`)}`;
    const typesMessage = `[${rule.id}] a field of the pod spec that this rule reads has a value of the wrong type (e.g. runAsUser: "0" instead of 0): ` +
      'it is denied, never judged by a comparison that a string would pass. Fix: write every field with its Kubernetes PodSpec type.';
    return {
      rule,
      variables: policyVariables(waivers, expression, ar.objectReads),
      expression,
      messageExpression,
      validations: [
        {
          expression: `!variables.judged || (${types})`, message: typesMessage, reason: 'Invalid',
          // names the field (and its container): `[rule] Deployment web: container "app" at spec.template.spec.containers[0].securityContext.runAsUser has ...`
          messageExpression: `${lit(`[${rule.id}] `)} + object.kind + ' ' + ${objectName} + ': ' + [${typesDetail}].map(d, d == '' ? 'a field of the pod spec' : d)[0] + ` +
            lit(' has a value of the wrong type for the Kubernetes PodSpec (e.g. runAsUser: "0" instead of 0), read by this rule: it is denied, never judged by a ' +
              'comparison that a string would pass. Fix: write the field with its PodSpec type (integer, boolean, string, list or map).'),
        },
        { expression: `!variables.judged || (${expression})`, message: `[${rule.id}] ${rule.title}. Fix: ${rule.remediation}`, messageExpression, reason: 'Forbidden' },
      ],
      waivers,
      metadataReads: readsOf(expression).podMetadata ? [`the pod's AppArmor annotations (${APPARMOR_PREFIX}*)`] : [],
    };
  });
  const objects = objectRules.map((or): GeneratedRule => {
    const rule = catalogue.find(r => r.id === or.id)!;
    const waivers = baked.filter(b => b.ruleId === or.id);
    const ctx = { waived: waivers.length > 0 };
    const expression = objectExpression(or, ctx);
    const messageExpression = `${lit(`[${rule.id}] ${rule.title}: `)} + object.kind + ' ' + ${objectName} + ': ' + ` +
      `[${objectDetail(or, ctx)}].map(d, d == '' ? 'a field this rule reads' : d)[0] + ${lit(`. Fix: ${rule.remediation}`)}`;
    // custom resources: a wrong-typed field is denied first, naming the field
    const types = objectTypeCheck(or);
    const typesMessage = `[${rule.id}] a field this rule reads has a value of the wrong type for its schema: it is denied, never judged by a ` +
      'comparison that another type would pass. Fix: write the field with its documented type (string, boolean, list or map).';
    const typeValidation: GeneratedValidation[] = types ? [{
      expression: `!variables.judged || (${types.ok})`, message: typesMessage, reason: 'Invalid',
      messageExpression: `${lit(`[${rule.id}] `)} + object.kind + ' ' + ${objectName} + ': field ' + [${types.detail}].map(d, d == '' ? 'a field this rule reads' : d)[0] + ` +
        lit(` has a value of the wrong type for its schema: it is denied, never judged by a comparison that another type would pass. Fix: ${typesMessage.slice(typesMessage.indexOf('Fix: ') + 5)}`),
    }] : [];
    // limits of what the policy can judge: beyond them it denies, saying why
    const limits: GeneratedValidation[] = (or.limits ?? []).map(l => ({
      expression: `!variables.judged || (${l.ok})`, message: l.message, reason: 'Invalid',
      messageExpression: `${lit(`[${rule.id}] `)} + object.kind + ' ' + ${objectName} + ': ' + ${lit(l.message.replace(`[${rule.id}] `, ''))}`,
    }));
    return {
      rule, expression, messageExpression, waivers,
      variables: [{ name: 'judged', expression: objectJudged(or) }, { name: 'waivers', expression: waiverVariable(waivers) }],
      validations: [...typeValidation, ...limits,
        { expression: `!variables.judged || (${expression})`, message: `[${rule.id}] ${rule.title}. Fix: ${rule.remediation}`, messageExpression, reason: 'Forbidden' }],
      resourceRules: objectResourceRules(or),
      metadataReads: or.reads.filter(r => r.startsWith('object.metadata.')).map(r => r.slice('object.'.length)),
    };
  });
  // catalogue order
  const order = new Map(catalogue.map((r, i) => [r.id, i]));
  return [...pod, ...objects].sort((a, b) => order.get(a.rule.id)! - order.get(b.rule.id)!);
}

/** Every rule id the generator can emit with these settings, in catalogue order. */
export function enforceableRuleIds(settings: PolicySettings): string[] {
  const ids = new Set([...admissionRules(settings).map(r => r.id), ...objectRulesFor(settings).map(r => r.id)]);
  return Catalogue.all().map(r => r.id).filter(id => ids.has(id));
}

/** The exemptions in force: the system ones unless `exemptSystem` is false, then the given ones. Throws on a bad one. */
export function exemptionsOf(options: Pick<GenerateOptions, 'exemptSystem' | 'exemptions'>): Exemption[] {
  const given = options.exemptions ?? [];
  for (const e of given) {
    const problem = exemptionProblem(e);
    if (problem) throw new Error(`exemption ${JSON.stringify(e)}: ${problem}`);
  }
  const out = [...(options.exemptSystem === false ? [] : SYSTEM_EXEMPTIONS), ...given];
  const seen = new Set<string>();
  return out.filter(e => {
    const key = JSON.stringify([e.namespace, e.user, e.group]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The resource rules of the pod-carrier policies: one per API group. */
function podResourceRules(): any[] {
  const operations = ['CREATE', 'UPDATE'];
  const groups = new Map<string, string[]>();
  for (const k of ADMISSION_KINDS) {
    const rs = groups.get(k.group) ?? [];
    rs.push(k.resource);
    if (k.kind === 'Pod') rs.push('pods/ephemeralcontainers');
    groups.set(k.group, rs);
  }
  return [...groups].map(([group, resources]) => ({
    apiGroups: [group], apiVersions: ['', 'apps', 'batch'].includes(group) ? ['v1'] : ['*'], operations, resources,
  }));
}

/** ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects for the selected rules. */
export function generatePolicies(options: GenerateOptions): any[] {
  const group = `admissionregistration.k8s.io/${options.apiVersion}`;
  const out: any[] = [];
  const exemptions = exemptionsOf(options);
  const exemptNs = exemptions.filter(e => e.namespace !== undefined).map(e => e.namespace!);
  const exemptUsers = exemptions.filter(e => e.user !== undefined).map(e => e.user!);
  const exemptGroups = exemptions.filter(e => e.group !== undefined).map(e => e.group!);
  const matchConditions = [
    ...(exemptUsers.length > 0 ? [{ name: 'exempt-users', expression: `!(request.userInfo.username in ${litList(exemptUsers)})` }] : []),
    ...(exemptGroups.length > 0 ? [{
      name: 'exempt-groups',
      expression: `!has(request.userInfo.groups) || !request.userInfo.groups.exists(g, g in ${litList(exemptGroups)})`,
    }] : []),
  ];
  const denyRules = new Set(options.denyRules ?? []);
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
          'hardened.cdk8s.io/exemptions': exemptions.length > 0 ? exemptions.map(describeExemption).join('\n') : 'none',
          'hardened.cdk8s.io/updates': updatesNote(g.metadataReads),
        },
      },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: g.resourceRules ?? podResourceRules(),
          ...(exemptNs.length > 0 ? { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...exemptNs] }] } } : {}),
        },
        ...(matchConditions.length > 0 ? { matchConditions } : {}),
        variables: g.variables,
        validations: g.validations.map(v => ({ expression: v.expression, message: v.message, messageExpression: v.messageExpression, reason: v.reason })),
      },
    });
    // ERROR rules deny (audit mode: Audit + Warn, unless named in denyRules); WARNING and INFO rules warn, as the guard only reports them.
    const deny = g.rule.severity === Severity.ERROR && (!options.audit || denyRules.has(g.rule.id));
    out.push({
      apiVersion: group,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened', 'hardened.cdk8s.io/rule': g.rule.id } },
      spec: { policyName: name, validationActions: deny ? ['Deny'] : ['Audit', 'Warn'] },
    });
  }
  return out;
}

/** Markdown table of the catalogue rules NOT enforced at admission, with the reason. */
export function notEnforcedTable(settings: PolicySettings): string {
  const enforced = new Set(enforceableRuleIds(settings));
  // rules generated under other settings: the reason is the setting, not "not analysed"
  const possible = new Set(admissionRules({
    ...settings, allowedRegistries: ['registry.example.com'], requireDigest: true, podSecurityVersion: 'latest', kubeVersion: 'latest', maxReplicas: 1,
  }).map(r => r.id));
  const bySetting: { [id: string]: string } = {
    'probe-host': `a Pod Security Standards v1.34+ control: generated with --pss-version v1.34 or later (podSecurityVersion; this run: ${settings.podSecurityVersion})`,
    'proc-mount-restricted': 'a Pod Security Standards v1.35+ control on Kubernetes 1.35+ (for pods with hostUsers: false): generated with ' +
      `--pss-version v1.35 or later and --kube-version 1.35 or later (this run: ${settings.podSecurityVersion}, ${settings.kubeVersion ?? DEFAULT_KUBE_VERSION})`,
    'image-registry-allowed': 'generated when registries are given (--allowed-registry, the profile\'s allowedRegistries); this run names none',
    'image-digest': 'generated unless digests are not required (--no-require-digest, requireDigest: false), as in this run',
    'profile-maximums': 'generated when the profile sets a maximum (maxReplicas, maxContainerCpu, maxContainerMemory), each below 1e200; this run sets none',
  };
  // rules that need a newer Kubernetes than this run's
  for (const r of OBJECT_RULES) if (r.minKube) bySetting[r.id] = r.minKube.reason(settings.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const rows = Catalogue.all().filter(r => !enforced.has(r.id))
    .map(r => `| ${r.id} | ${possible.has(r.id) || bySetting[r.id] !== undefined ? bySetting[r.id] ?? 'generated with other settings' : notAtAdmissionReason(r.id)} |`);
  // rules generated in part: what the policy leaves out
  for (const r of OBJECT_RULES.filter(x => x.partial)) rows.push(`| ${r.id} | partly generated: ${r.partial} |`);
  if (enforced.has('profile-maximums')) rows.push(`| profile-maximums | partly generated: ${MAXIMUMS_PARTIAL} |`);
  return ['| rule | why not at admission |', '| --- | --- |', ...rows].join('\n');
}
