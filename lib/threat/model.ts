import { expandLists } from '../kube/expand';
import { containersOf, namespaceOf, podSpecsOf } from '../kube/manifest';
import { Catalogue } from '../policy/catalogue';
import { EvaluationGroup, evaluate, isBlocking, objectRefOf } from '../policy/engine';
import { DEFAULT_PROFILE } from '../policy/profile';
import { isKubernetesNetworkPolicy } from '../policy/rules/kind-groups';
import { Finding, Outcome, PolicySettings, Severity } from '../policy/types';
import { daysUntil, parseExceptions, parseWaivers, todayUtc, WAIVER_ANNOTATION } from '../policy/waiver-record';
import { escalationPaths, grantOf, rbacSubjectOf, roleRules, rulesAllow, PolicyRule } from '../semantics/rbac';
import { labelSelectorMatches } from '../semantics/rbac/roles';
import { DataFlow, dataFlowDiagram, FlowNode, TrustBoundary } from './dfd';
import { deniesAllByDefault, podReach, PodReach } from './reach';
import { riskOf, RiskRating, RISK_METHOD } from './risk';
import { controlKindsOf, rulesOfThreat } from './rule-links';
import { AssetKind, THREATS, ThreatDefinition } from './threats';

/** An asset found in the manifests. */
export interface ThreatAsset {
  /** Stable id, e.g. `workload:shop/Deployment/api`. */
  readonly id: string;
  /** What kind of asset. */
  readonly kind: AssetKind;
  /** Display name, e.g. `Deployment shop/api`. */
  readonly name: string;
  /** Namespace, for namespaced assets. @default - cluster-wide */
  readonly namespace?: string;
  /** Facts shown in the report (who reads a Secret, who holds a role, how a Service is exposed). */
  readonly details: string[];
}

/** Whether a threat is handled for one asset. Only `mitigated` claims protection, and only with evidence. */
export enum ThreatStatus {
  /** Positive evidence in the output (listed per assessment) and no open finding. */
  MITIGATED = 'mitigated',
  /** Every open finding is covered by a valid waiver (within the profile's maxWaiverDays) or profile exception. */
  WAIVED = 'waived',
  /** An open finding (or a computed exposure, e.g. an RBAC reader of a Secret), or a waiver the profile does not allow. */
  NOT_COVERED = 'not covered',
  /** No rule fails, but nothing in the output proves the control: not a claim of safety. */
  NO_EVIDENCE = 'no evidence',
  /** The control lies outside this app; the exact assumption is listed in the Assumptions section. */
  ASSUMED = 'assumed',
  /** No manifest of an app can mitigate it: the next step is the cluster operator's. */
  OUTSIDE = 'outside this app',
}

/** A finding quoted as evidence. */
export interface ThreatFinding {
  /** Rule id. */
  readonly ruleId: string;
  /** Object the finding is on, e.g. `Deployment shop/api`. */
  readonly object: string;
  /** JSON path of the finding. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

/** An accepted risk: a waived finding, with who owns and who approved it. */
export interface AcceptedRisk {
  /** Rule id. */
  readonly ruleId: string;
  /** Object the waiver is on. */
  readonly object: string;
  /** Why it is acceptable. */
  readonly reason: string;
  /** Who owns it. */
  readonly owner: string;
  /** Who approved it: the waiver record's `approver` field, or `not recorded`. */
  readonly approver: string;
  /** Last day valid. */
  readonly expires: string;
  /** Days from the report's date to the expiry. */
  readonly daysLeft: number;
}

/** One piece of positive evidence: what in the output mitigates the threat. */
export interface Evidence {
  /** What was found, e.g. `ingress isolated by NetworkPolicy shop/default-deny`. */
  readonly text: string;
  /** The objects that carry it, e.g. `NetworkPolicy shop/default-deny`. */
  readonly objects: string[];
}

/** One threat judged for one asset. */
export interface ThreatAssessment {
  /** Threat id (see THREATS). */
  readonly threatId: string;
  /** Asset id. */
  readonly assetId: string;
  /** The verdict. */
  readonly status: ThreatStatus;
  /** Positive evidence (non-empty for `mitigated`). */
  readonly evidence: Evidence[];
  /** The evidence as text (kept for readers of earlier reports). */
  readonly mitigatedBy: string[];
  /** What is missing or exposed: why the status is not `mitigated`. */
  readonly gaps: string[];
  /** Findings that leave it open (including findings whose waiver is invalid). */
  readonly findings: ThreatFinding[];
  /** Valid waivers that accept it. */
  readonly acceptedRisks: AcceptedRisk[];
  /** Ids of the assumptions it relies on (see ThreatModelData.assumptions). */
  readonly assumptions: string[];
  /** Risk before any control: the threat's likelihood × impact. */
  readonly inherentRisk: RiskRating;
  /** Risk left with this status. */
  readonly residualRisk: RiskRating;
  /** The next step, when not mitigated. @default - none */
  readonly nextStep?: string;
}

/** An assumption the report makes about what lies outside the app. */
export interface Assumption {
  /** Id, `A-<threat id>`. */
  readonly id: string;
  /** What is assumed. */
  readonly text: string;
  /** Threat it belongs to. */
  readonly threatId: string;
  /** Assets whose assessment relies on it. */
  readonly assetIds: string[];
}

/** Options of a threat model. */
export interface ThreatModelOptions {
  /**
   * Title of the report.
   * @default 'Threat model'
   */
  readonly title?: string;
  /**
   * Policy settings the catalogue judges with (allowed registries, digests, PSS version, maxWaiverDays).
   * @default - `ThreatModel.of`: the App's HardeningProfile; `fromObjects`: the library defaults (DEFAULT_PROFILE)
   */
  readonly settings?: PolicySettings;
  /**
   * Today, `YYYY-MM-DD`, for waiver expiry.
   * @default - today (UTC)
   */
  readonly today?: string;
  /**
   * Objects judged with the App's, e.g. `matrix.toManifest()` of a FirewallMatrix (its flows join the diagram).
   * @default - none
   */
  readonly additionalObjects?: any[];
}

/** What blocked synthesis of the App, when the guard refused it (the report is then of the in-memory objects). */
export interface BlockedSynthesis {
  /** The guard's message. */
  readonly message: string;
}

/** The data of a threat model (what `toJson()` returns; schema: schemas/threat-model/report.schema.json). */
export interface ThreatModelData {
  /** Version of this data model (the JSON Schema's). */
  readonly schemaVersion: string;
  /** Report title. */
  readonly title: string;
  /** Date the report judged waivers by. */
  readonly date: string;
  /** Number of objects judged. */
  readonly objects: number;
  /** The threat catalogue. */
  readonly threats: ThreatDefinition[];
  /** Assets found. */
  readonly assets: ThreatAsset[];
  /** Trust boundaries of the data-flow diagram. */
  readonly boundaries: TrustBoundary[];
  /** Nodes of the data-flow diagram. */
  readonly nodes: FlowNode[];
  /** Flows the manifests allow. */
  readonly flows: DataFlow[];
  /** Each threat judged for each asset it targets. */
  readonly assessments: ThreatAssessment[];
  /** What the report assumes of the environment. */
  readonly assumptions: Assumption[];
  /** Findings that block synthesis (error severity, not waived): what the guard or `check` refuses. */
  readonly blockingFindings: ThreatFinding[];
  /** Set when the App's guard refused synthesis. @default - not blocked */
  readonly blocked?: BlockedSynthesis;
  /** How risk is rated. */
  readonly riskMethod: string;
}

/** Version of ThreatModelData; the JSON Schema's `$id` carries it. */
export const THREAT_MODEL_SCHEMA_VERSION = '2.0.0';

/** Internal options: per-object rules and settings (the App's HardeningProfiles), a blocked synthesis. @internal */
export interface BuildInternals {
  readonly groupOf?: (obj: any) => EvaluationGroup | undefined;
  readonly blocked?: BlockedSynthesis;
}

const CLUSTER_ASSET = 'cluster';
const SECRET_READ_VERBS = ['get', 'list', 'watch'];
const WORKLOAD_SERVICE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

const displayOf = (o: any) => `${o?.kind}${o?.metadata?.name !== undefined ? ` ${o?.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}` : ''}`;
/** Kinds that are configuration files of a component, not API objects: the component must be started with them. */
const CONFIG_FILE_KINDS = new Set(['Policy', 'EncryptionConfiguration', 'ClusterConfiguration', 'KubeletConfiguration', 'InitConfiguration', 'JoinConfiguration', 'AdmissionConfiguration', 'KubeProxyConfiguration']);
const refText = (f: Finding) => `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;

/** Everything the evidence functions read. */
interface Ctx {
  readonly objects: any[];
  readonly workloads: any[];
  readonly reach: Map<any, PodReach>;
  readonly settings: PolicySettings;
  readonly today: string;
  readonly byObject: Map<string, Finding[]>;
  readonly secretReaders: Map<string, SecretReaders>;
}

interface SecretReaders {
  /** Workloads of the Secret's namespace that mount or reference it. */
  readonly workloads: any[];
  /** Every RBAC subject that may read it: subject text, binding, the subject's namespace (ServiceAccounts). */
  readonly rbac: { subject: string; via: string; namespace?: string; ownWorkload: boolean }[];
  /** Bindings whose role is not in the output (grants unknown). */
  readonly unknown: string[];
}

/** Build the model from plain Kubernetes objects (as kubectl would apply them). @internal */
export function buildThreatModel(input: readonly any[], options: ThreatModelOptions = {}, internals: BuildInternals = {}): ThreatModelData {
  const expanded = expandLists([...input, ...(options.additionalObjects ?? [])].filter(o => o && typeof o === 'object').map(o => ({ object: o, ref: objectRefOf(o) })))
    .filter(e => e.ref.listItem !== '');
  const objects = expanded.map(e => e.object);
  const settings: PolicySettings = options.settings ?? {
    allowedRegistries: DEFAULT_PROFILE.allowedRegistries,
    requireDigest: DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion,
    maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
  const today = options.today ?? todayUtc();
  const groupOf = internals.groupOf;
  const evaluated = expanded.map(e => ({ ...e, group: groupOf?.(e.object) }));
  const all = evaluate(evaluated, { rules: Catalogue.all(), settings, today });
  const settingsOfObject = new Map<string, PolicySettings>();
  for (const e of evaluated) if (e.group) settingsOfObject.set(refKey(e.object.kind, e.object.metadata?.namespace, e.object.metadata?.name), e.group.settings);
  const findings = all
    .filter(f => f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE)
    .filter(f => f.severity !== Severity.INFO);
  const byObject = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = refKey(f.object.kind, f.object.namespace, f.object.name);
    const list = byObject.get(k);
    if (list) list.push(f); else byObject.set(k, [f]);
  }

  const assets: ThreatAsset[] = [];
  const assetObjects = new Map<string, any[]>();
  const add = (a: ThreatAsset, objs: any[]) => {
    assets.push(a);
    assetObjects.set(a.id, objs);
  };

  const workloads = objects.filter(o => isWorkload(o));
  const policies = objects.filter(isKubernetesNetworkPolicy); // a Calico NetworkPolicy is not one (kind-groups.ts)
  const reach = new Map<any, PodReach>();
  for (const w of workloads) reach.set(w, podReach(namespaceOf(w), podLabelsOf(w), policies, podSpecsOf(w).some(p => p.spec?.hostNetwork === true)));
  const namespaces = new Map<string, any | undefined>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.metadata?.name) namespaces.set(o.metadata.name, o);
  }
  for (const o of objects) {
    if (o.kind !== 'Namespace' && o.metadata?.namespace && !namespaces.has(o.metadata.namespace)) namespaces.set(o.metadata.namespace, undefined);
  }

  for (const w of workloads) {
    const ns = namespaceOf(w);
    const sa = podSpecsOf(w)[0]?.spec?.serviceAccountName ?? 'default';
    const r = reach.get(w)!;
    add({
      id: workloadId(w), kind: AssetKind.WORKLOAD, name: `${w.kind} ${ns}/${w.metadata?.name}`, namespace: ns,
      details: [`ServiceAccount ${sa}`, `images: ${imagesOf(w).join(', ') || 'none'}`,
        r.hostNetwork ? 'hostNetwork: on the node\'s network, NetworkPolicies do not apply'
          : `ingress ${r.ingress.isolated ? `isolated (${r.ingress.policies.join(', ')})` : 'not isolated'}, egress ${r.egress.isolated ? `isolated (${r.egress.policies.join(', ')})` : 'not isolated'}`],
    }, [w]);
  }
  for (const [name, nsObj] of [...namespaces.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = nsObj?.metadata?.labels ?? {};
    const psa = labels['pod-security.kubernetes.io/enforce'];
    add({
      id: `namespace:${name}`, kind: AssetKind.NAMESPACE, name: `Namespace ${name}`, namespace: name,
      details: [nsObj ? (psa ? `PSA enforce: ${psa}` : 'no PSA enforce label') : 'not defined in this app: its labels, policies and quotas are not in the output',
        `objects: ${objects.filter(o => o.metadata?.namespace === name).length}`],
    }, nsObj ? [nsObj] : []);
  }
  const secretReaders = new Map<string, SecretReaders>();
  for (const s of secretAssets(objects)) {
    add(s.asset, s.objects);
    secretReaders.set(s.asset.id, s.readers);
  }
  for (const role of objects.filter(o => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    const ns = role.kind === 'Role' ? namespaceOf(role) : undefined;
    const bindings = objects.filter(b => (b.kind === 'RoleBinding' || b.kind === 'ClusterRoleBinding') &&
      b.roleRef?.kind === role.kind && b.roleRef?.name === role.metadata?.name && (role.kind === 'ClusterRole' || namespaceOf(b) === ns));
    add({
      id: `permission:${ns ?? ''}/${role.kind}/${role.metadata?.name}`, kind: AssetKind.PERMISSION,
      name: `${role.kind} ${ns ? `${ns}/` : ''}${role.metadata?.name}`, namespace: ns,
      details: [bindings.length > 0 ? `held by ${bindings.flatMap(b => subjectsOf(b).map(s => `${s} (${b.kind} ${b.kind === 'RoleBinding' ? `${namespaceOf(b)}/` : ''}${b.metadata?.name})`)).join(', ') || 'no subject'}` : 'not bound in this app'],
    }, [role, ...bindings]);
  }
  for (const b of objects.filter(o => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') &&
    !objects.some(r => (r.kind === 'Role' || r.kind === 'ClusterRole') && r.kind === o.roleRef?.kind && r.metadata?.name === o.roleRef?.name))) {
    const ns = b.kind === 'RoleBinding' ? namespaceOf(b) : undefined;
    add({
      id: `permission:${ns ?? ''}/${b.kind}/${b.metadata?.name}`, kind: AssetKind.PERMISSION,
      name: `${b.kind} ${ns ? `${ns}/` : ''}${b.metadata?.name}`, namespace: ns,
      details: [`binds ${b.roleRef?.kind} ${b.roleRef?.name} (${rbacSubjectOf(b, objects) ? 'built in' : 'defined outside this app'}) to ${subjectsOf(b).join(', ') || 'no subject'}`],
    }, [b]);
  }
  for (const svc of objects.filter(o => o.kind === 'Service')) {
    const ns = namespaceOf(svc);
    add({
      id: `service:${ns}/${svc.metadata?.name}`, kind: AssetKind.SERVICE, name: `Service ${ns}/${svc.metadata?.name}`, namespace: ns,
      details: [`type ${svc.spec?.type ?? 'ClusterIP'}`, `ports ${(svc.spec?.ports ?? []).map((p: any) => p.port).join(', ')}`],
    }, [svc]);
  }
  const clusterKinds = [...new Set(THREATS.filter(t => t.assets.includes(AssetKind.CLUSTER)).flatMap(t => controlKindsOf(t)))];
  const present = clusterKinds.filter(k => objects.some(o => o.kind === k)).sort();
  add({
    id: CLUSTER_ASSET, kind: AssetKind.CLUSTER, name: 'The cluster (control plane, etcd, nodes, audit trail)',
    details: [present.length > 0 ? `cluster-level controls in this app: ${present.join(', ')}` : 'no cluster-level control in this app'],
  }, objects);

  const ctx: Ctx = { objects, workloads, reach, settings, today, byObject, secretReaders };
  const settingsFor = (f: Finding) => settingsOfObject.get(refKey(f.object.kind, f.object.namespace, f.object.name)) ?? settings;
  const assessments: ThreatAssessment[] = [];
  for (const threat of THREATS) {
    for (const asset of assets.filter(a => threat.assets.includes(a.kind))) {
      assessments.push(assess(threat, asset, assetObjects.get(asset.id) ?? [], ctx, settingsFor));
    }
  }
  const assumptions: Assumption[] = [];
  for (const threat of THREATS) {
    const using = assessments.filter(a => a.threatId === threat.id && a.assumptions.includes(`A-${threat.id}`));
    if (using.length > 0) assumptions.push({ id: `A-${threat.id}`, text: threat.assumption, threatId: threat.id, assetIds: using.map(a => a.assetId) });
  }
  const { boundaries, nodes, flows } = dataFlowDiagram(objects, workloads, reach, secretReaders);
  const quote = (f: Finding): ThreatFinding => ({ ruleId: f.ruleId, object: refText(f), path: f.path, message: f.message });
  return {
    schemaVersion: THREAT_MODEL_SCHEMA_VERSION,
    title: options.title ?? 'Threat model',
    date: today,
    objects: objects.length,
    threats: THREATS.map(t => ({ ...t, rules: rulesOfThreat(t) })),
    assets, boundaries, nodes, flows, assessments, assumptions,
    blockingFindings: all.filter(isBlocking).map(quote),
    ...(internals.blocked ? { blocked: internals.blocked } : {}),
    riskMethod: RISK_METHOD,
  };
}

/** What the evidence functions found for one threat and asset. */
interface Judgement {
  evidence: Evidence[];
  /** Missing controls: without evidence the status is `no evidence`. */
  gaps: string[];
  /** Computed exposures (e.g. an RBAC reader): the status is `not covered`. */
  exposures: string[];
  /** The control lies outside the app: status `assumed` when there is no other evidence. */
  assumeOutside?: boolean;
  /** The assessment relies on the threat's assumption even when mitigated. */
  relies?: boolean;
}

function assess(threat: ThreatDefinition, asset: ThreatAsset, objs: any[], ctx: Ctx, settingsFor: (f: Finding) => PolicySettings): ThreatAssessment {
  const rules = new Set(rulesOfThreat(threat));
  const relevant: Finding[] = [];
  for (const o of objs) {
    for (const f of ctx.byObject.get(refKey(o.kind, o.metadata?.namespace, o.metadata?.name)) ?? []) {
      if (rules.has(f.ruleId)) relevant.push(f);
    }
  }
  const quote = (f: Finding, note = ''): ThreatFinding => ({ ruleId: f.ruleId, object: refText(f), path: f.path, message: f.message + note });
  const open: ThreatFinding[] = [];
  const accepted: AcceptedRisk[] = [];
  for (const f of relevant) {
    if (f.severity !== Severity.ERROR && f.severity !== Severity.WARNING && f.outcome !== Outcome.UNEVALUABLE) continue;
    if (!f.waiver) {
      open.push(quote(f));
      continue;
    }
    const days = daysUntil(f.waiver.expires, ctx.today);
    const max = settingsFor(f).maxWaiverDays;
    if (days > max) {
      open.push(quote(f, ` The waiver (owner ${f.waiver.owner}, expires ${f.waiver.expires}) is invalid: ${days} days ahead, the profile allows at most ${max}; it counts as no waiver.`));
      continue;
    }
    accepted.push({
      ruleId: f.ruleId, object: refText(f), reason: f.waiver.reason, owner: f.waiver.owner,
      approver: f.waiver.approver ?? approverOf(objs, f) ?? 'not recorded', expires: f.waiver.expires, daysLeft: days,
    });
  }
  const j = judge(threat, asset, objs, ctx);
  const assumptionId = `A-${threat.id}`;
  const base = {
    threatId: threat.id, assetId: asset.id, evidence: j.evidence, mitigatedBy: j.evidence.map(e => e.text), findings: open, acceptedRisks: accepted,
  };
  const rate = (status: ThreatStatus, assumptions: string[], gaps: string[], nextStep?: string): ThreatAssessment => ({
    ...base, status, gaps, assumptions,
    inherentRisk: riskOf(threat.likelihood, threat.impact),
    residualRisk: riskOf(residualLikelihood(status, threat.likelihood), threat.impact),
    ...(nextStep ? { nextStep } : {}),
  });
  const relies = j.relies ? [assumptionId] : [];
  if (open.length > 0 || j.exposures.length > 0) return rate(ThreatStatus.NOT_COVERED, relies, [...j.exposures, ...j.gaps], threat.nextStep);
  if (accepted.length > 0) return rate(ThreatStatus.WAIVED, relies, j.gaps);
  if (j.evidence.length > 0 && j.gaps.length === 0) return rate(ThreatStatus.MITIGATED, relies, []);
  if (asset.kind === AssetKind.CLUSTER || j.assumeOutside) {
    if (threat.outsideApp && asset.kind === AssetKind.CLUSTER) return rate(ThreatStatus.OUTSIDE, [assumptionId], j.gaps, threat.operator);
    return rate(ThreatStatus.ASSUMED, [assumptionId], j.gaps, threat.nextStep);
  }
  return rate(ThreatStatus.NO_EVIDENCE, relies, j.gaps.length > 0 ? j.gaps : ['nothing in the output proves a control for this threat on this asset'], threat.nextStep);
}

/** Likelihood left by a status (see RISK_METHOD). */
function residualLikelihood(status: ThreatStatus, inherent: number): number {
  switch (status) {
    case ThreatStatus.MITIGATED: return 1;
    case ThreatStatus.NOT_COVERED: return 3;
    case ThreatStatus.WAIVED: return inherent;
    default: return Math.max(inherent, 2);
  }
}

/** The approver of the waiver behind a finding, from the raw waiver annotation (`approver` or `approvedBy`). */
function approverOf(objs: any[], f: Finding): string | undefined {
  for (const o of objs) {
    if (refKey(o.kind, o.metadata?.namespace, o.metadata?.name) !== refKey(f.object.kind, f.object.namespace, f.object.name)) continue;
    try {
      const raw = JSON.parse(String(o.metadata?.annotations?.[WAIVER_ANNOTATION] ?? '[]'));
      const w = Array.isArray(raw)
        ? raw.find((x: any) => x?.ruleId === f.ruleId && x?.expires === f.waiver?.expires && x?.owner === f.waiver?.owner) : undefined;
      const a = w?.approver ?? w?.approvedBy;
      if (typeof a === 'string' && a.trim()) return a.trim();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const ev = (text: string, ...objects: any[]): Evidence => ({ text, objects: objects.map(o => (typeof o === 'string' ? o : displayOf(o))) });

/** Positive evidence, gaps and exposures of one threat on one asset, from the output only. */
function judge(threat: ThreatDefinition, asset: ThreatAsset, objs: any[], ctx: Ctx): Judgement {
  const j: Judgement = { evidence: [], gaps: [], exposures: [] };
  switch (asset.kind) {
    case AssetKind.WORKLOAD: workloadEvidence(threat, objs[0], ctx, j); break;
    case AssetKind.NAMESPACE: namespaceEvidence(threat, asset.namespace!, objs[0], ctx, j); break;
    case AssetKind.SECRET: secretEvidence(threat, asset, objs, ctx, j); break;
    case AssetKind.PERMISSION: permissionEvidence(threat, objs, ctx, j); break;
    case AssetKind.SERVICE: serviceEvidence(threat, objs[0], ctx, j); break;
    case AssetKind.CLUSTER: clusterEvidence(threat, ctx, j); break;
  }
  return j;
}

function unknownPair(threat: ThreatDefinition, what: string, j: Judgement) {
  j.gaps.push(`no evidence check exists for ${threat.id} on a ${what}: passing rules alone prove nothing`);
}

function workloadEvidence(threat: ThreatDefinition, w: any, ctx: Ctx, j: Judgement): void {
  const pods = podSpecsOf(w);
  const containers = pods.flatMap(p => containersOf(p).map(c => ({ pod: p, c: c.container, name: c.name, field: c.field })));
  const ns = namespaceOf(w);
  const r = ctx.reach.get(w)!;
  const all = (pred: (x: typeof containers[number]) => boolean) => containers.length > 0 && containers.every(pred);
  const missing = (pred: (x: typeof containers[number]) => boolean) => containers.filter(x => !pred(x)).map(x => x.name);
  switch (threat.id) {
    case 'S1-stolen-service-account-token': {
      const saName = pods[0]?.spec?.serviceAccountName ?? 'default';
      const sa = ctx.objects.find(o => o.kind === 'ServiceAccount' && namespaceOf(o) === ns && o.metadata?.name === saName);
      const podOff = pods.length > 0 && pods.every(p => p.spec?.automountServiceAccountToken === false);
      const saOff = sa?.automountServiceAccountToken === false && pods.every(p => p.spec?.automountServiceAccountToken !== true);
      if (podOff) j.evidence.push(ev('automountServiceAccountToken: false on the pod: no token to steal', w));
      else if (saOff) j.evidence.push(ev(`ServiceAccount ${ns}/${saName} sets automountServiceAccountToken: false`, sa));
      else {
        j.gaps.push(`the pods mount a token of ServiceAccount ${ns}/${saName}`);
        j.relies = true;
      }
      return;
    }
    case 'S2-impersonated-peer': {
      const strict = ctx.objects.filter(o => o.kind === 'PeerAuthentication' && (namespaceOf(o) === ns || namespaceOf(o) === 'istio-system') &&
        String(o.spec?.mtls?.mode ?? '').toUpperCase() === 'STRICT' && !o.spec?.selector);
      if (strict.length > 0) j.evidence.push(ev(`mutual TLS required by PeerAuthentication ${strict.map(o => `${namespaceOf(o)}/${o.metadata?.name}`).join(', ')} (mode STRICT)`, ...strict));
      else j.gaps.push(`no PeerAuthentication with mode STRICT for namespace ${ns}: peers are not authenticated on the network`);
      return;
    }
    case 'T1-tampered-image': {
      const images = imagesOf(w);
      const unpinned = images.filter(i => !/@sha256:[a-f0-9]{64}$/.test(i));
      if (images.length > 0 && unpinned.length === 0) j.evidence.push(ev(`every image pinned by @sha256 digest (${images.length})`, w));
      else j.gaps.push(`images not pinned by digest: ${unpinned.join(', ') || 'none listed'}`);
      if (ctx.settings.allowedRegistries.length > 0 && unpinned.length === 0) {
        j.evidence.push(ev(`registries allowed by the profile: ${ctx.settings.allowedRegistries.join(', ')}`, w));
      }
      return;
    }
    case 'T2-runtime-filesystem-tampering': {
      const ro = (x: typeof containers[number]) => x.c?.securityContext?.readOnlyRootFilesystem === true;
      const hostPaths = pods.flatMap(p => (p.spec?.volumes ?? []).filter((v: any) => v?.hostPath).map((v: any) => v.name));
      const priv = containers.filter(x => x.c?.securityContext?.privileged === true).map(x => x.name);
      if (all(ro) && hostPaths.length === 0 && priv.length === 0) j.evidence.push(ev('readOnlyRootFilesystem: true on every container; no hostPath volume; not privileged', w));
      else {
        if (!all(ro)) j.gaps.push(`writable root filesystem: ${missing(ro).join(', ')}`);
        if (hostPaths.length > 0) j.gaps.push(`hostPath volumes: ${hostPaths.join(', ')}`);
        if (priv.length > 0) j.gaps.push(`privileged: ${priv.join(', ')}`);
      }
      return;
    }
    case 'I3-lateral-movement': {
      j.relies = true;
      if (r.hostNetwork) {
        j.gaps.push('hostNetwork: the pod is on the node\'s network; NetworkPolicies do not apply to it');
        return;
      }
      for (const d of ['ingress', 'egress'] as const) {
        const x = r[d];
        if (!x.isolated) {
          j.gaps.push(`${d} not isolated: no NetworkPolicy of namespace ${ns} selects these pods for ${d === 'ingress' ? 'Ingress' : 'Egress'}`);
          continue;
        }
        const open = x.peers.filter(p => p.kind === 'everyone' || p.kind === 'internet');
        if (open.length > 0) j.gaps.push(`${d} admits ${open.map(p => `${p.label} on ${p.ports} (${p.via})`).join('; ')}`);
        const admitted = x.peers.length === 0 ? 'nothing' : x.peers.map(p => `${p.label} on ${p.ports}`).join('; ');
        j.evidence.push(ev(`${d} isolated by NetworkPolicy ${x.policies.join(', ')}; admits ${admitted}`, ...x.policies.map(p => `NetworkPolicy ${p}`)));
      }
      return;
    }
    case 'I5-cloud-metadata-credentials': {
      if (r.hostNetwork) {
        j.gaps.push('hostNetwork: the pod reaches the instance metadata API as the node does');
        return;
      }
      if (!r.egress.isolated) {
        j.gaps.push('egress not isolated: the pod can reach 169.254.169.254');
        return;
      }
      const meta = r.egress.peers.filter(p => p.metadata);
      if (meta.length > 0) j.gaps.push(`egress allows the metadata address: ${meta.map(p => `${p.label} (${p.via})`).join('; ')}`);
      else j.evidence.push(ev(`egress isolated by NetworkPolicy ${r.egress.policies.join(', ')}; no allowed peer includes 169.254.169.254 or fd00:ec2::254`, ...r.egress.policies.map(p => `NetworkPolicy ${p}`)));
      return;
    }
    case 'D1-resource-exhaustion': {
      const ok = (x: typeof containers[number]) => !!x.c?.resources?.requests?.cpu && !!x.c?.resources?.requests?.memory && !!x.c?.resources?.limits?.memory;
      if (all(ok)) j.evidence.push(ev('every container requests CPU and memory and limits memory', w));
      else j.gaps.push(`containers without CPU/memory requests or a memory limit: ${missing(ok).join(', ')}`);
      return;
    }
    case 'D2-fragile-availability': {
      const main = containers.filter(x => x.field === 'containers');
      if (WORKLOAD_SERVICE_KINDS.has(w.kind)) {
        const probed = main.length > 0 && main.every(x => x.c?.readinessProbe && x.c?.livenessProbe);
        if (probed) j.evidence.push(ev('readiness and liveness probes on every container', w));
        else j.gaps.push(`containers without readiness and liveness probes: ${main.filter(x => !(x.c?.readinessProbe && x.c?.livenessProbe)).map(x => x.name).join(', ')}`);
        if (w.kind !== 'DaemonSet') {
          const replicas = w.spec?.replicas ?? 1;
          if (replicas >= 2) j.evidence.push(ev(`replicas: ${replicas}`, w));
          else j.gaps.push(`replicas: ${replicas}`);
          const pdbs = ctx.objects.filter(o => o.kind === 'PodDisruptionBudget' && namespaceOf(o) === ns && selectorMatches(o.spec?.selector, podLabelsOf(w)));
          if (pdbs.length > 0) j.evidence.push(ev(`PodDisruptionBudget ${pdbs.map(p => p.metadata?.name).join(', ')} selects the pods`, ...pdbs));
          else j.gaps.push('no PodDisruptionBudget selects the pods');
        }
      } else {
        const backoff = w.spec?.backoffLimit ?? w.spec?.jobTemplate?.spec?.backoffLimit;
        if (typeof backoff === 'number') j.evidence.push(ev(`runs to completion and is retried (backoffLimit ${backoff})`, w));
        else j.gaps.push(`${w.kind}: no backoffLimit in the output`);
      }
      return;
    }
    case 'E1-container-escape': {
      const podSc = (x: typeof containers[number]) => x.pod.spec?.securityContext ?? {};
      const checks: [string, (x: typeof containers[number]) => boolean][] = [
        ['runAsNonRoot: true', x => (x.c?.securityContext?.runAsNonRoot ?? podSc(x).runAsNonRoot) === true],
        ['allowPrivilegeEscalation: false', x => x.c?.securityContext?.allowPrivilegeEscalation === false],
        ['capabilities drop ALL', x => (x.c?.securityContext?.capabilities?.drop ?? []).includes('ALL')],
        ['seccompProfile RuntimeDefault or Localhost', x => ['RuntimeDefault', 'Localhost'].includes(x.c?.securityContext?.seccompProfile?.type ?? podSc(x).seccompProfile?.type)],
        ['not privileged', x => x.c?.securityContext?.privileged !== true],
      ];
      const hostNs = pods.some(p => p.spec?.hostPID === true || p.spec?.hostIPC === true || p.spec?.hostNetwork === true);
      const failed = checks.map(([name, pred]) => ({ name, bad: missing(pred) })).filter(x => x.bad.length > 0);
      if (containers.length > 0 && failed.length === 0 && !hostNs) j.evidence.push(ev(`every container: ${checks.map(c => c[0]).join(', ')}; no host namespaces`, w));
      else {
        for (const f of failed) j.gaps.push(`${f.name} missing on ${f.bad.join(', ')}`);
        if (hostNs) j.gaps.push('shares a host namespace (hostPID, hostIPC or hostNetwork)');
      }
      return;
    }
    case 'E4-shared-node-breakout': {
      const rc = pods.map(p => p.spec?.runtimeClassName).filter(Boolean);
      const sel = pods.map(p => p.spec?.nodeSelector).filter((s: any) => s && Object.keys(s).length > 0);
      const nsObj = ctx.objects.find(o => o.kind === 'Namespace' && o.metadata?.name === ns);
      const nsSel = nsObj?.metadata?.annotations?.['scheduler.alpha.kubernetes.io/node-selector'];
      if (rc.length > 0) j.evidence.push(ev(`sandboxed runtime: runtimeClassName ${rc.join(', ')}`, w));
      if (sel.length > 0) j.evidence.push(ev(`pinned to nodes: nodeSelector ${JSON.stringify(sel[0])}`, w));
      if (nsSel) {
        j.evidence.push(ev(`namespace pins its pods to nodes ${nsSel} (PodNodeSelector)`, nsObj));
        j.relies = true;
      }
      if (j.evidence.length === 0) j.gaps.push('no runtimeClassName, nodeSelector or namespace node pinning: the pods may share nodes with other tenants');
      return;
    }
    default:
      unknownPair(threat, 'workload', j);
  }
}

function namespaceEvidence(threat: ThreatDefinition, ns: string, nsObj: any | undefined, ctx: Ctx, j: Judgement): void {
  const undefinedNote = nsObj ? [] : [`Namespace ${ns} is not defined in this app`];
  switch (threat.id) {
    case 'I3-lateral-movement': {
      j.relies = true;
      const nps = ctx.objects.filter(o => isKubernetesNetworkPolicy(o) && namespaceOf(o) === ns);
      const inDeny = nps.filter(n => deniesAllByDefault(n, 'Ingress'));
      const egDeny = nps.filter(n => deniesAllByDefault(n, 'Egress'));
      if (inDeny.length > 0 && egDeny.length > 0) {
        j.evidence.push(ev(`default deny: NetworkPolicy ${[...new Set([...inDeny, ...egDeny])].map(n => `${ns}/${n.metadata?.name}`).join(', ')} selects every pod for Ingress and Egress with no rule`, ...new Set([...inDeny, ...egDeny])));
      } else {
        j.gaps.push(...undefinedNote, `no default-deny NetworkPolicy for ${[...(inDeny.length === 0 ? ['Ingress'] : []), ...(egDeny.length === 0 ? ['Egress'] : [])].join(' and ')} in namespace ${ns}`);
      }
      return;
    }
    case 'D1-resource-exhaustion': {
      const quotas = ctx.objects.filter(o => o.kind === 'ResourceQuota' && namespaceOf(o) === ns);
      const limits = ctx.objects.filter(o => o.kind === 'LimitRange' && namespaceOf(o) === ns);
      if (quotas.length > 0) j.evidence.push(ev(`ResourceQuota ${quotas.map(q => q.metadata?.name).join(', ')}: ${quotas.map(q => Object.keys(q.spec?.hard ?? {}).join(', ')).join('; ')}`, ...quotas));
      if (limits.length > 0) j.evidence.push(ev(`LimitRange ${limits.map(q => q.metadata?.name).join(', ')}`, ...limits));
      if (quotas.length === 0) j.gaps.push(...undefinedNote, `no ResourceQuota in namespace ${ns}`);
      if (limits.length === 0) j.gaps.push(`no LimitRange in namespace ${ns}`);
      return;
    }
    case 'E3-policy-not-enforced': {
      j.relies = true;
      const level = nsObj?.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
      if (level === 'restricted' || level === 'baseline') {
        const version = nsObj.metadata.labels['pod-security.kubernetes.io/enforce-version'];
        j.evidence.push(ev(`pod-security.kubernetes.io/enforce: ${level}${version ? ` (version ${version})` : ''}`, nsObj));
        if (level === 'baseline') j.gaps.push('PSA enforces baseline, not restricted');
      } else {
        j.gaps.push(...undefinedNote, `no Pod Security admission enforce label (baseline or restricted) on namespace ${ns}${level ? ` (enforce: ${level})` : ''}`);
      }
      return;
    }
    case 'E4-shared-node-breakout': {
      j.relies = true;
      const sel = nsObj?.metadata?.annotations?.['scheduler.alpha.kubernetes.io/node-selector'];
      if (sel) j.evidence.push(ev(`scheduler.alpha.kubernetes.io/node-selector: ${sel} (PodNodeSelector admission plugin)`, nsObj));
      else j.gaps.push(...undefinedNote, `namespace ${ns} does not pin its pods to dedicated nodes`);
      return;
    }
    default:
      unknownPair(threat, 'namespace', j);
  }
}

function secretEvidence(threat: ThreatDefinition, asset: ThreatAsset, objs: any[], ctx: Ctx, j: Judgement): void {
  const readers = ctx.secretReaders.get(asset.id)!;
  switch (threat.id) {
    case 'I1-secret-read-through-permissions': {
      j.relies = true;
      const foreign = readers.rbac.filter(x => !x.ownWorkload);
      for (const f of foreign) j.exposures.push(`${f.subject} may read it (${f.via})`);
      for (const u of readers.unknown) j.gaps.push(`${u}: its grants are not in the output`);
      const own = readers.rbac.filter(x => x.ownWorkload);
      if (foreign.length === 0) {
        const who = readers.workloads.length > 0 ? `no subject other than the workloads that use it (${readers.workloads.map(w => `${w.kind} ${w.metadata?.name}`).join(', ')})` : 'no subject of this app';
        j.evidence.push(ev(`RBAC evaluator over every Role, ClusterRole and binding of the output (built-in roles included): ${who} may read it${own.length > 0 ? `; ${own.map(o => o.subject).join(', ')} through RBAC` : ''}`, ...objs));
      }
      return;
    }
    case 'I2-secrets-at-rest': {
      j.relies = true;
      const enc = ctx.objects.filter(o => o.kind === 'EncryptionConfiguration' && JSON.stringify(o.resources ?? []).includes('secrets') &&
        (o.resources ?? []).some((r: any) => (r?.resources ?? []).includes('secrets') && r?.providers?.[0]?.kms));
      const csiOnly = asset.id.includes('/csi:') && objs.every(o => o.kind !== 'SecretProviderClass' || !(o.spec?.secretObjects?.length > 0));
      if (enc.length > 0) j.evidence.push(ev(`${enc.map(displayOf).join(', ')} encrypts secrets with a KMS provider first (a file the API server must be started with)`, ...enc));
      else if (csiOnly) j.evidence.push(ev('mounted from the external provider by the Secrets Store CSI driver, not synced into a Secret: not stored in etcd', ...objs));
      else {
        j.gaps.push('no EncryptionConfiguration with a KMS provider in the output: encryption at rest is the cluster\'s');
        j.assumeOutside = true;
      }
      return;
    }
    default:
      unknownPair(threat, 'Secret', j);
  }
}

/** Effective rules of a permission asset (a role with its bindings, or a binding of a built-in or unknown role). */
function permissionRules(objs: any[], ctx: Ctx): { rules: PolicyRule[]; scopes: { scope: 'cluster' | 'namespace'; namespace?: string }[]; known: boolean; what: string } {
  const head = objs[0];
  const bindings = objs.filter(o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
  const scopesOf = (fallback: { scope: 'cluster' | 'namespace'; namespace?: string }) =>
    bindings.length === 0 ? [fallback] : bindings.map(b => (b.kind === 'ClusterRoleBinding' ? { scope: 'cluster' as const } : { scope: 'namespace' as const, namespace: namespaceOf(b) }));
  if (head.kind === 'Role') return { rules: roleRules(head).map(r => r.rule), scopes: [{ scope: 'namespace', namespace: namespaceOf(head) }], known: true, what: displayOf(head) };
  if (head.kind === 'ClusterRole') {
    const s = rbacSubjectOf(head, ctx.objects);
    return { rules: (s?.rules ?? []).map(r => r.rule), scopes: scopesOf({ scope: 'cluster' }), known: !!s, what: displayOf(head) };
  }
  const s = rbacSubjectOf(head, ctx.objects);
  return { rules: (s?.rules ?? []).map(r => r.rule), scopes: scopesOf({ scope: 'cluster' }), known: !!s, what: s?.what ?? displayOf(head) };
}

function permissionEvidence(threat: ThreatDefinition, objs: any[], ctx: Ctx, j: Judgement): void {
  const p = permissionRules(objs, ctx);
  if (!p.known) {
    j.gaps.push(`${p.what} binds ${objs[0]?.roleRef?.kind} ${objs[0]?.roleRef?.name}, which is neither in the output nor built in: its grants are unknown`);
    return;
  }
  const where = p.scopes.map(s => (s.scope === 'cluster' ? 'cluster-wide' : `in namespace ${s.namespace}`)).join(', ');
  switch (threat.id) {
    case 'I1-secret-read-through-permissions': {
      const g = SECRET_READ_VERBS.map(verb => ({ verb, g: grantOf(p.rules, { verb, apiGroup: '', resource: 'secrets' }, true) }));
      const any = g.filter(x => x.g.anyName);
      const named = [...new Set(g.flatMap(x => x.g.names))];
      if (any.length > 0) j.gaps.push(`grants ${any.map(x => x.verb).join(', ')} on every Secret ${where}`);
      else j.evidence.push(ev(named.length > 0 ? `RBAC evaluator: reads only the Secrets named ${named.join(', ')} (${where})` : `RBAC evaluator: grants no get, list or watch on Secrets (${where})`, ...objs));
      return;
    }
    case 'E2-permission-escalation':
    case 'T3-manifest-and-etcd-tampering': {
      const hits = p.scopes.flatMap(s => escalationPaths(p.rules, s.scope));
      const ids = [...new Set(hits.map(h => h.path.id))];
      if (ids.length > 0) j.gaps.push(`escalation paths open ${where}: ${ids.join(', ')}`);
      else j.evidence.push(ev(`RBAC evaluator: no escalation path (bind, escalate, impersonate, exec, pod creation, token minting, webhook or namespace writes) ${where}`, ...objs));
      return;
    }
    case 'T5-kube-system-tampering': {
      const inKubeSystem = p.scopes.some(s => s.scope === 'cluster' || s.namespace === 'kube-system');
      const writes = ['update', 'patch'].some(verb => rulesAllow(p.rules, { verb, apiGroup: '', resource: 'configmaps', name: 'coredns' }));
      if (inKubeSystem && writes) j.exposures.push(`may update ConfigMap kube-system/coredns (${where})`);
      else j.evidence.push(ev(`RBAC evaluator: cannot change ConfigMap kube-system/coredns (${where})`, ...objs));
      return;
    }
    default:
      unknownPair(threat, 'permission', j);
  }
}

function serviceEvidence(threat: ThreatDefinition, svc: any, ctx: Ctx, j: Judgement): void {
  if (threat.id !== 'I3-lateral-movement') return unknownPair(threat, 'Service', j);
  j.relies = true;
  const type = svc.spec?.type ?? 'ClusterIP';
  const ns = namespaceOf(svc);
  if (type !== 'ClusterIP') j.gaps.push(`type ${type}: reachable from outside the cluster`);
  const sel = svc.spec?.selector;
  const backends = sel && Object.keys(sel).length > 0
    ? ctx.workloads.filter(w => namespaceOf(w) === ns && Object.entries(sel).every(([k, v]) => podLabelsOf(w)[k] === v)) : [];
  if (backends.length === 0) {
    j.gaps.push('selects no workload of this app: its backends are not in the output');
    return;
  }
  const open = backends.filter(w => {
    const r = ctx.reach.get(w)!;
    return r.hostNetwork || !r.ingress.isolated || r.ingress.peers.some(p => p.kind === 'everyone' || p.kind === 'internet');
  });
  if (open.length > 0) j.gaps.push(`backends reachable by every pod or from the internet: ${open.map(w => `${w.kind} ${w.metadata?.name}`).join(', ')}`);
  else {
    j.evidence.push(ev(`type ${type}; every backend isolated for ingress (${backends.map(w => `${w.kind} ${w.metadata?.name}: ${ctx.reach.get(w)!.ingress.policies.join(', ')}`).join('; ')})`,
      svc, ...[...new Set(backends.flatMap(w => ctx.reach.get(w)!.ingress.policies))].map(p => `NetworkPolicy ${p}`)));
  }
}

function clusterEvidence(threat: ThreatDefinition, ctx: Ctx, j: Judgement): void {
  if (threat.id === 'R2-untraceable-exceptions') {
    let waivers = 0;
    const problems: string[] = [];
    for (const o of ctx.objects) {
      const parsed = parseWaivers(o);
      waivers += parsed.waivers.length;
      problems.push(...parsed.problems.map(p => `${displayOf(o)}: ${p}`));
      for (const w of parsed.waivers) {
        const days = daysUntil(w.expires, ctx.today);
        if (days > ctx.settings.maxWaiverDays) problems.push(`${displayOf(o)}: waiver for ${w.ruleId} expires ${w.expires}, ${days} days ahead (profile allows ${ctx.settings.maxWaiverDays})`);
        if (days < 0) problems.push(`${displayOf(o)}: waiver for ${w.ruleId} expired on ${w.expires}`);
      }
      waivers += parseExceptions(o).exceptions.length;
    }
    if (problems.length > 0) j.exposures.push(...problems);
    else j.evidence.push(ev(waivers > 0 ? `${waivers} waiver(s) and exception(s) in the output, each reasoned, owned and expiring within ${ctx.settings.maxWaiverDays} days` : 'no waiver or profile exception in the output: nothing is excepted', 'the output'));
    return;
  }
  const kinds = controlKindsOf(threat);
  const rules = new Set(rulesOfThreat(threat));
  const controls = ctx.objects.filter(o => kinds.includes(o.kind));
  const judged = controls.filter(o => Catalogue.all().some(r => rules.has(r.id) && r.appliesTo.includes(o.kind)));
  const clean = judged.filter(o =>
    !(ctx.byObject.get(refKey(o.kind, o.metadata?.namespace, o.metadata?.name)) ?? []).some(f => rules.has(f.ruleId) && !f.waiver));
  if (clean.length > 0) {
    const ruleNames = [...rules].filter(id => clean.some(o => Catalogue.find(id)?.appliesTo.includes(o.kind)));
    const files = clean.filter(o => CONFIG_FILE_KINDS.has(o.kind));
    j.evidence.push(ev(`${clean.map(displayOf).join(', ')} in the output; ${ruleNames.join(', ')} pass on it${files.length > 0 ? ` (${files.map(o => o.kind).join(', ')}: configuration the component must be started with)` : ''}`, ...clean));
    if (files.length > 0) j.relies = true;
  } else if (controls.length > 0 && judged.length === 0) {
    j.gaps.push(`${controls.map(displayOf).join(', ')} present, but no rule of this threat judges it`);
  } else {
    j.gaps.push(kinds.length > 0 ? `no ${kinds.join(' / ')} in the output` : 'no manifest of this app controls it');
  }
}

function isWorkload(o: any): boolean {
  if (o.kind === 'PodTemplate') return false;
  return podSpecsOf(o).length > 0;
}

function workloadId(w: any): string {
  return `workload:${namespaceOf(w)}/${w.kind}/${w.metadata?.name}`;
}

function imagesOf(o: any): string[] {
  const out = new Set<string>();
  for (const p of podSpecsOf(o)) {
    for (const c of containersOf(p)) if (typeof c.container?.image === 'string') out.add(c.container.image);
  }
  return [...out];
}

/** Labels of the pods a workload runs. @internal */
export function podLabelsOf(o: any): { [k: string]: string } {
  const p = podSpecsOf(o)[0];
  return (p?.metadata?.labels ?? (o.kind === 'Pod' ? o.metadata?.labels : undefined) ?? {}) as { [k: string]: string };
}

function selectorMatches(sel: any, labels: { [k: string]: string }): boolean {
  return !!sel && labelSelectorMatches(sel, labels);
}

function subjectsOf(binding: any): string[] {
  return (binding.subjects ?? []).map((s: any) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
}

function refKey(kind: unknown, namespace: unknown, name: unknown): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Secrets, the resources that deliver them, who reads them (workloads and RBAC subjects, across namespaces). */
function secretAssets(objects: any[]): { asset: ThreatAsset; objects: any[]; readers: SecretReaders }[] {
  const found = new Map<string, { ns: string; name: string; objs: any[]; via: string[] }>();
  const note = (ns: string, name: string, obj: any, via: string) => {
    const k = `${ns}/${name}`;
    let e = found.get(k);
    if (!e) {
      e = { ns, name, objs: [], via: [] };
      found.set(k, e);
    }
    if (obj) e.objs.push(obj);
    e.via.push(via);
  };
  for (const o of objects) {
    const ns = namespaceOf(o);
    if (o.kind === 'Secret') note(ns, o.metadata?.name, o, `Secret${o.type ? ` (${o.type})` : ''}`);
    if (o.kind === 'ExternalSecret') note(ns, o.spec?.target?.name ?? o.metadata?.name, o, `delivered by ExternalSecret ${o.metadata?.name}`);
    if (o.kind === 'SecretProviderClass') note(ns, `csi:${o.metadata?.name}`, o, 'mounted through the Secrets Store CSI driver');
  }
  const bindings = objects.filter(o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
  const out: { asset: ThreatAsset; objects: any[]; readers: SecretReaders }[] = [];
  for (const e of [...found.values()].sort((a, b) => `${a.ns}/${a.name}`.localeCompare(`${b.ns}/${b.name}`))) {
    const users = objects.filter(o => isWorkload(o) && namespaceOf(o) === e.ns && workloadUsesSecret(o, e.name));
    const ownSas = new Set(users.map(w => `${e.ns}/${podSpecsOf(w)[0]?.spec?.serviceAccountName ?? 'default'}`));
    const rbac: SecretReaders['rbac'] = [];
    const unknown: string[] = [];
    for (const b of bindings) {
      if (b.kind === 'RoleBinding' && namespaceOf(b) !== e.ns) continue;
      const ref = b.roleRef ?? {};
      const role = objects.find(r => r.kind === ref.kind && r.metadata?.name === ref.name && (r.kind === 'ClusterRole' || namespaceOf(r) === namespaceOf(b)));
      let rules: PolicyRule[] | undefined;
      if (role?.kind === 'Role') rules = roleRules(role).map(r => r.rule);
      else if (role) rules = rbacSubjectOf(role, objects)?.rules.map(r => r.rule);
      else rules = rbacSubjectOf(b, objects)?.rules.map(r => r.rule);
      const via = `${b.kind} ${b.kind === 'RoleBinding' ? `${namespaceOf(b)}/` : ''}${b.metadata?.name} → ${ref.kind} ${ref.name}${role ? '' : rules ? ' (built in)' : ''}`;
      if (!rules) {
        unknown.push(`${b.kind} ${b.kind === 'RoleBinding' ? `${namespaceOf(b)}/` : ''}${b.metadata?.name} binds ${ref.kind} ${ref.name}`);
        continue;
      }
      if (!SECRET_READ_VERBS.some(verb => rulesAllow(rules!, { verb, apiGroup: '', resource: 'secrets', name: e.name }))) continue;
      for (const s of b.subjects ?? []) {
        const sNs = s.kind === 'ServiceAccount' ? (s.namespace ?? namespaceOf(b)) : undefined;
        const subject = `${s.kind} ${sNs ? `${sNs}/` : ''}${s.name}`;
        rbac.push({ subject, via, namespace: sNs, ownWorkload: s.kind === 'ServiceAccount' && ownSas.has(`${sNs}/${s.name}`) });
      }
    }
    const readers = [...users.map(w => `${w.kind} ${w.metadata?.name} (mounts or env)`), ...rbac.map(r => `${r.subject} (RBAC: ${r.via})`)];
    out.push({
      asset: {
        id: `secret:${e.ns}/${e.name}`, kind: AssetKind.SECRET, name: `Secret ${e.ns}/${e.name}`, namespace: e.ns,
        details: [...new Set(e.via), readers.length > 0 ? `read by ${[...new Set(readers)].sort().join(', ')}` : 'read by no workload or subject of this app',
          ...(unknown.length > 0 ? [`grants unknown: ${unknown.join(', ')}`] : [])],
      },
      objects: e.objs,
      readers: { workloads: users, rbac, unknown },
    });
  }
  return out;
}

function workloadUsesSecret(w: any, name: string): boolean {
  for (const p of podSpecsOf(w)) {
    const spec = p.spec ?? {};
    for (const v of spec.volumes ?? []) {
      if (v?.secret?.secretName === name) return true;
      if (name.startsWith('csi:') && v?.csi?.volumeAttributes?.secretProviderClass === name.slice(4)) return true;
      for (const s of v?.projected?.sources ?? []) if (s?.secret?.name === name) return true;
    }
    for (const c of containersOf(p)) {
      if ((c.container?.envFrom ?? []).some((e: any) => e?.secretRef?.name === name)) return true;
      if ((c.container?.env ?? []).some((e: any) => e?.valueFrom?.secretKeyRef?.name === name)) return true;
    }
    if ((spec.imagePullSecrets ?? []).some((s: any) => s?.name === name)) return true;
  }
  return false;
}
