import { Catalogue } from '../policy/catalogue';
import { evaluate, objectRefOf } from '../policy/engine';
import { expandLists } from '../policy/expand';
import { namespaceOf, podSpecsOf } from '../policy/manifest';
import { DEFAULT_PROFILE } from '../policy/profile';
import { rulesAllow } from '../policy/rbac/evaluator';
import { rbacSubjectOf } from '../policy/rbac/check';
import { labelSelectorMatches } from '../policy/rbac/roles';
import { Finding, Outcome, PolicySettings, Severity } from '../policy/types';
import { todayUtc } from '../policy/waiver-record';
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

/** Whether a threat is handled for one asset. */
export enum ThreatStatus {
  /** The threat's rules pass on the asset (and its controls are present where the threat needs one). */
  MITIGATED = 'mitigated',
  /** Every finding of the threat's rules on the asset is covered by a waiver or profile exception. */
  WAIVED = 'waived',
  /** At least one finding of the threat's rules on the asset is neither fixed nor waived. */
  NOT_COVERED = 'not covered',
  /** A cluster-level threat this app has no control for: the cluster operator's responsibility. */
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

/** An accepted risk: a waived finding. */
export interface AcceptedRisk {
  /** Rule id. */
  readonly ruleId: string;
  /** Object the waiver is on. */
  readonly object: string;
  /** Why it is acceptable. */
  readonly reason: string;
  /** Who owns it. */
  readonly owner: string;
  /** Last day valid. */
  readonly expires: string;
}

/** One threat judged for one asset. */
export interface ThreatAssessment {
  /** Threat id (see THREATS). */
  readonly threatId: string;
  /** Asset id. */
  readonly assetId: string;
  /** The verdict. */
  readonly status: ThreatStatus;
  /** What mitigates it: rules that passed and control objects present. */
  readonly mitigatedBy: string[];
  /** Findings that leave it open. */
  readonly findings: ThreatFinding[];
  /** Waivers that accept it. */
  readonly acceptedRisks: AcceptedRisk[];
  /** The next step, when not mitigated. @default - none */
  readonly nextStep?: string;
}

/** A permitted network flow (from a NetworkPolicy rule, a Service exposure or a FirewallMatrix flow). */
export interface DataFlow {
  /** Source node id. */
  readonly from: string;
  /** Destination node id. */
  readonly to: string;
  /** Ports, e.g. `TCP 8080`, or `all ports`. */
  readonly ports: string;
  /** The object that permits it, e.g. `NetworkPolicy shop/api-ingress`. */
  readonly via: string;
}

/** A node of the data-flow diagram. */
export interface FlowNode {
  /** Node id. */
  readonly id: string;
  /** Label. */
  readonly label: string;
  /** Trust boundary (namespace, `external`, or a FirewallMatrix zone group). */
  readonly boundary: string;
}

/** Options of a threat model. */
export interface ThreatModelOptions {
  /**
   * Title of the report.
   * @default 'Threat model'
   */
  readonly title?: string;
  /**
   * Policy settings the catalogue judges with (allowed registries, digests, PSS version).
   * @default - the library defaults (DEFAULT_PROFILE)
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

/** The data of a threat model (what `toJson()` returns). */
export interface ThreatModelData {
  /** Report title. */
  readonly title: string;
  /** Number of objects judged. */
  readonly objects: number;
  /** The threat catalogue. */
  readonly threats: ThreatDefinition[];
  /** Assets found. */
  readonly assets: ThreatAsset[];
  /** Nodes of the data-flow diagram. */
  readonly nodes: FlowNode[];
  /** Permitted flows. */
  readonly flows: DataFlow[];
  /** Each threat judged for each asset it targets. */
  readonly assessments: ThreatAssessment[];
}

const CLUSTER_ASSET = 'cluster';
const SECRET_READ_VERBS = ['get', 'list', 'watch'];

/** Build the model from plain Kubernetes objects (as kubectl would apply them). @internal */
export function buildThreatModel(input: readonly any[], options: ThreatModelOptions = {}): ThreatModelData {
  const expanded = expandLists([...input, ...(options.additionalObjects ?? [])].filter(o => o && typeof o === 'object').map(o => ({ object: o, ref: objectRefOf(o) })))
    .filter(e => e.ref.listItem !== '');
  const objects = expanded.map(e => e.object);
  const settings = options.settings ?? {
    allowedRegistries: DEFAULT_PROFILE.allowedRegistries,
    requireDigest: DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: DEFAULT_PROFILE.podSecurityVersion,
    maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
  const findings = evaluate(expanded, { rules: Catalogue.all(), settings, today: options.today ?? todayUtc() })
    .filter(f => f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE)
    .filter(f => f.severity !== Severity.INFO);
  const byObject = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = refKey(f.object.kind, f.object.namespace, f.object.name);
    const list = byObject.get(k);
    if (list) list.push(f); else byObject.set(k, [f]);
  }

  const assets: ThreatAsset[] = [];
  /** Objects whose findings count for an asset. */
  const assetObjects = new Map<string, any[]>();
  const add = (a: ThreatAsset, objs: any[]) => {
    assets.push(a);
    assetObjects.set(a.id, objs);
  };

  const workloads = objects.filter(o => isWorkload(o));
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
    add({
      id: `workload:${ns}/${w.kind}/${w.metadata?.name}`, kind: AssetKind.WORKLOAD, name: `${w.kind} ${ns}/${w.metadata?.name}`, namespace: ns,
      details: [`ServiceAccount ${sa}`, `images: ${imagesOf(w).join(', ') || 'none'}`],
    }, [w]);
  }
  for (const [name, nsObj] of [...namespaces.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = nsObj?.metadata?.labels ?? {};
    const psa = labels['pod-security.kubernetes.io/enforce'];
    add({
      id: `namespace:${name}`, kind: AssetKind.NAMESPACE, name: `Namespace ${name}`, namespace: name,
      details: [nsObj ? (psa ? `PSA enforce: ${psa}` : 'no PSA enforce label') : 'not defined in this app (created elsewhere)',
        `objects: ${objects.filter(o => o.metadata?.namespace === name).length}`],
    }, nsObj ? [nsObj] : []);
  }
  for (const s of secretAssets(objects)) add(s.asset, s.objects);
  for (const role of objects.filter(o => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    const ns = role.kind === 'Role' ? namespaceOf(role) : undefined;
    const bindings = objects.filter(b => (b.kind === 'RoleBinding' || b.kind === 'ClusterRoleBinding') &&
      b.roleRef?.kind === role.kind && b.roleRef?.name === role.metadata?.name && (role.kind === 'ClusterRole' || namespaceOf(b) === ns));
    add({
      id: `permission:${ns ?? ''}/${role.kind}/${role.metadata?.name}`, kind: AssetKind.PERMISSION,
      name: `${role.kind} ${ns ? `${ns}/` : ''}${role.metadata?.name}`, namespace: ns,
      details: [bindings.length > 0 ? `held by ${bindings.flatMap(b => subjectsOf(b)).join(', ') || 'no subject'}` : 'not bound in this app'],
    }, [role, ...bindings]);
  }
  for (const b of objects.filter(o => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') &&
    !objects.some(r => (r.kind === 'Role' || r.kind === 'ClusterRole') && r.kind === o.roleRef?.kind && r.metadata?.name === o.roleRef?.name))) {
    const ns = b.kind === 'RoleBinding' ? namespaceOf(b) : undefined;
    add({
      id: `permission:${ns ?? ''}/${b.kind}/${b.metadata?.name}`, kind: AssetKind.PERMISSION,
      name: `${b.kind} ${ns ? `${ns}/` : ''}${b.metadata?.name}`, namespace: ns,
      details: [`binds ${b.roleRef?.kind} ${b.roleRef?.name} (defined outside this app) to ${subjectsOf(b).join(', ') || 'no subject'}`],
    }, [b]);
  }
  for (const svc of objects.filter(o => o.kind === 'Service')) {
    const ns = namespaceOf(svc);
    add({
      id: `service:${ns}/${svc.metadata?.name}`, kind: AssetKind.SERVICE, name: `Service ${ns}/${svc.metadata?.name}`, namespace: ns,
      details: [`type ${svc.spec?.type ?? 'ClusterIP'}`, `ports ${(svc.spec?.ports ?? []).map((p: any) => p.port).join(', ')}`],
    }, [svc]);
  }
  const clusterControls = [...new Set(THREATS.filter(t => t.assets.includes(AssetKind.CLUSTER)).flatMap(t => t.controls))];
  const present = clusterControls.filter(k => objects.some(o => o.kind === k)).sort();
  add({
    id: CLUSTER_ASSET, kind: AssetKind.CLUSTER, name: 'The cluster (control plane, etcd, nodes, audit trail)',
    details: [present.length > 0 ? `cluster-level controls in this app: ${present.join(', ')}` : 'no cluster-level control in this app'],
  }, objects);

  const kindsPresent = new Set(objects.map(o => String(o.kind)));
  const assessments: ThreatAssessment[] = [];
  for (const threat of THREATS) {
    for (const asset of assets.filter(a => threat.assets.includes(a.kind))) {
      assessments.push(assess(threat, asset, assetObjects.get(asset.id) ?? [], byObject, objects, kindsPresent));
    }
  }
  const { nodes, flows } = dataFlows(objects, workloads);
  return { title: options.title ?? 'Threat model', objects: objects.length, threats: [...THREATS], assets, nodes, flows, assessments };
}

function assess(threat: ThreatDefinition, asset: ThreatAsset, objs: any[], byObject: Map<string, Finding[]>, all: any[], kindsPresent: Set<string>): ThreatAssessment {
  const relevant: Finding[] = [];
  for (const o of objs) {
    for (const f of byObject.get(refKey(o.kind, o.metadata?.namespace, o.metadata?.name)) ?? []) {
      if (threat.rules.includes(f.ruleId)) relevant.push(f);
    }
  }
  // Secrets are read through permissions in their namespace: findings on roles that grant reading them count.
  if (asset.kind === AssetKind.SECRET) {
    for (const r of all.filter(o => (o.kind === 'Role' && namespaceOf(o) === asset.namespace) || o.kind === 'ClusterRole')) {
      for (const f of byObject.get(refKey(r.kind, r.metadata?.namespace, r.metadata?.name)) ?? []) {
        if (threat.rules.includes(f.ruleId) && f.ruleId === 'rbac-secrets-access') relevant.push(f);
      }
    }
  }
  const open = relevant.filter(f => !f.waiver && (f.severity === Severity.ERROR || f.severity === Severity.WARNING));
  const waived = relevant.filter(f => f.waiver);
  const quote = (f: Finding): ThreatFinding => ({
    ruleId: f.ruleId, object: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`, path: f.path, message: f.message,
  });
  const risk = (f: Finding): AcceptedRisk => ({
    ruleId: f.ruleId, object: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`,
    reason: f.waiver!.reason, owner: f.waiver!.owner, expires: f.waiver!.expires,
  });
  const controls = threat.controls.filter(k => kindsPresent.has(k));
  const rulesHere = threat.rules.filter(id => Catalogue.find(id));
  const base = { threatId: threat.id, assetId: asset.id, findings: open.map(quote), acceptedRisks: waived.map(risk) };
  if (open.length > 0) {
    return { ...base, status: ThreatStatus.NOT_COVERED, mitigatedBy: controls.map(k => `${k} present`), nextStep: threat.nextStep };
  }
  if (asset.kind === AssetKind.CLUSTER && threat.controls.length > 0 && controls.length === 0) {
    return { ...base, status: ThreatStatus.OUTSIDE, mitigatedBy: [], nextStep: `${threat.operator} Or: ${threat.nextStep}` };
  }
  if (waived.length > 0) {
    return { ...base, status: ThreatStatus.WAIVED, mitigatedBy: controls.map(k => `${k} present`) };
  }
  const mitigatedBy = [
    ...(rulesHere.length > 0 ? [`${rulesHere.length === 1 ? rulesHere[0] : `all ${rulesHere.length} rules`} pass`] : []),
    ...controlEvidence(threat, asset, objs, all, controls),
  ];
  return { ...base, status: ThreatStatus.MITIGATED, mitigatedBy };
}

/** Objects that mitigate a threat for an asset (e.g. the NetworkPolicies selecting a workload). */
function controlEvidence(threat: ThreatDefinition, asset: ThreatAsset, objs: any[], all: any[], controls: string[]): string[] {
  if (asset.kind === AssetKind.WORKLOAD && threat.controls.includes('NetworkPolicy')) {
    const w = objs[0];
    const labels = podLabelsOf(w);
    const nps = all.filter(o => o.kind === 'NetworkPolicy' && namespaceOf(o) === namespaceOf(w) && labelSelectorMatches(o.spec?.podSelector ?? {}, labels));
    return nps.length > 0 ? [`NetworkPolicies: ${nps.map(n => n.metadata?.name).sort().join(', ')}`] : [];
  }
  if (asset.kind === AssetKind.NAMESPACE || asset.kind === AssetKind.CLUSTER) {
    const inScope = (o: any) => asset.kind === AssetKind.CLUSTER || namespaceOf(o) === asset.namespace;
    return controls.map(k => `${k}: ${all.filter(o => o.kind === k && inScope(o)).map(o => o.metadata?.name).sort().join(', ') || '(elsewhere)'}`);
  }
  return controls.length > 0 && asset.kind !== AssetKind.WORKLOAD ? controls.map(k => `${k} present`) : [];
}

function isWorkload(o: any): boolean {
  if (o.kind === 'PodTemplate') return false;
  return podSpecsOf(o).length > 0;
}

function imagesOf(o: any): string[] {
  const out = new Set<string>();
  for (const p of podSpecsOf(o)) {
    for (const field of ['initContainers', 'containers']) {
      for (const c of p.spec?.[field] ?? []) if (typeof c?.image === 'string') out.add(c.image);
    }
  }
  return [...out];
}

function podLabelsOf(o: any): { [k: string]: string } {
  const p = podSpecsOf(o)[0];
  return (p?.metadata?.labels ?? (o.kind === 'Pod' ? o.metadata?.labels : undefined) ?? {}) as { [k: string]: string };
}

function subjectsOf(binding: any): string[] {
  return (binding.subjects ?? []).map((s: any) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
}

function refKey(kind: unknown, namespace: unknown, name: unknown): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Secrets, the resources that deliver them, who reads them (workloads and RBAC subjects). */
function secretAssets(objects: any[]): { asset: ThreatAsset; objects: any[] }[] {
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
  const out: { asset: ThreatAsset; objects: any[] }[] = [];
  for (const e of [...found.values()].sort((a, b) => `${a.ns}/${a.name}`.localeCompare(`${b.ns}/${b.name}`))) {
    const readers = new Set<string>();
    for (const w of objects.filter(o => isWorkload(o) && namespaceOf(o) === e.ns)) {
      if (workloadUsesSecret(w, e.name)) readers.add(`${w.kind} ${w.metadata?.name} (mounts or env)`);
    }
    for (const b of objects.filter(o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
      if (b.kind === 'RoleBinding' && namespaceOf(b) !== e.ns) continue;
      const role = objects.find(r => r.kind === b.roleRef?.kind && r.metadata?.name === b.roleRef?.name &&
        (r.kind === 'ClusterRole' || namespaceOf(r) === namespaceOf(b)));
      const subject = rbacSubjectOf(role ?? b, objects);
      if (!subject) continue;
      const rules = subject.rules.map(r => r.rule);
      if (SECRET_READ_VERBS.some(verb => rulesAllow(rules, { verb, apiGroup: '', resource: 'secrets', name: e.name }))) {
        for (const s of subjectsOf(b)) readers.add(`${s} (RBAC: ${b.roleRef?.kind} ${b.roleRef?.name})`);
      }
    }
    out.push({
      asset: {
        id: `secret:${e.ns}/${e.name}`, kind: AssetKind.SECRET, name: `Secret ${e.ns}/${e.name}`, namespace: e.ns,
        details: [...new Set(e.via), readers.size > 0 ? `read by ${[...readers].sort().join(', ')}` : 'read by no workload or subject of this app'],
      },
      objects: e.objs,
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
    for (const field of ['initContainers', 'containers']) {
      for (const c of spec[field] ?? []) {
        if ((c?.envFrom ?? []).some((e: any) => e?.secretRef?.name === name)) return true;
        if ((c?.env ?? []).some((e: any) => e?.valueFrom?.secretKeyRef?.name === name)) return true;
      }
    }
  }
  return false;
}

/** Nodes and flows: workloads grouped by namespace, NetworkPolicy rules, exposed Services, FirewallMatrix flows. */
function dataFlows(objects: any[], workloads: any[]): { nodes: FlowNode[]; flows: DataFlow[] } {
  const nodes = new Map<string, FlowNode>();
  const flows: DataFlow[] = [];
  const node = (id: string, label: string, boundary: string) => {
    if (!nodes.has(id)) nodes.set(id, { id, label, boundary });
    return id;
  };
  const workloadNode = (w: any) => node(`w:${namespaceOf(w)}/${w.metadata?.name}`, `${w.kind} ${w.metadata?.name}`, namespaceOf(w));
  for (const w of workloads) workloadNode(w);
  const selected = (ns: string, selector: any) => workloads.filter(w => namespaceOf(w) === ns && labelSelectorMatches(selector ?? {}, podLabelsOf(w)));
  const portsOf = (rule: any) => {
    const ps = rule?.ports ?? [];
    if (ps.length === 0) return 'all ports';
    return ps.map((p: any) => `${p.protocol ?? 'TCP'} ${p.port ?? 'all'}${p.endPort ? `-${p.endPort}` : ''}`).join(', ');
  };
  const peerNodes = (ns: string, peers: any[] | undefined): string[] => {
    if (!peers || peers.length === 0) return [node('any', 'any source or destination', 'external')];
    const out: string[] = [];
    for (const p of peers) {
      if (p?.ipBlock) {
        out.push(node(`cidr:${p.ipBlock.cidr}`, `${p.ipBlock.cidr}${p.ipBlock.except ? ` except ${p.ipBlock.except.join(', ')}` : ''}`, 'external'));
      } else if (p?.namespaceSelector) {
        const names = p.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
        const label = names ? `namespace ${names}` : `namespaces ${JSON.stringify(p.namespaceSelector)}`;
        const podSel = p.podSelector ? ` pods ${JSON.stringify(p.podSelector.matchLabels ?? p.podSelector)}` : '';
        out.push(node(`ns:${label}${podSel}`, `${label}${podSel}`, names ?? 'other namespaces'));
      } else {
        const matched = selected(ns, p?.podSelector);
        if (matched.length > 0) out.push(...matched.map(workloadNode));
        else out.push(node(`pods:${ns}:${JSON.stringify(p?.podSelector ?? {})}`, `pods ${JSON.stringify(p?.podSelector?.matchLabels ?? {})}`, ns));
      }
    }
    return out;
  };
  for (const np of objects.filter(o => o.kind === 'NetworkPolicy')) {
    const ns = namespaceOf(np);
    const matched = selected(ns, np.spec?.podSelector);
    const targets = matched.length > 0 ? matched.map(workloadNode)
      : [node(`pods:${ns}:${JSON.stringify(np.spec?.podSelector ?? {})}`, `pods ${JSON.stringify(np.spec?.podSelector?.matchLabels ?? {})}`, ns)];
    const via = `NetworkPolicy ${ns}/${np.metadata?.name}`;
    for (const rule of np.spec?.ingress ?? []) {
      for (const from of peerNodes(ns, rule?.from)) for (const to of targets) flows.push({ from, to, ports: portsOf(rule), via });
    }
    for (const rule of np.spec?.egress ?? []) {
      for (const to of peerNodes(ns, rule?.to)) for (const from of targets) flows.push({ from, to, ports: portsOf(rule), via });
    }
  }
  for (const svc of objects.filter(o => o.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(o.spec?.type))) {
    const ns = namespaceOf(svc);
    const from = node('internet', 'outside the cluster', 'external');
    for (const w of workloads.filter(x => namespaceOf(x) === ns && svc.spec?.selector && Object.entries(svc.spec.selector).every(([k, v]) => podLabelsOf(x)[k] === v))) {
      flows.push({ from, to: workloadNode(w), ports: (svc.spec?.ports ?? []).map((p: any) => `${p.protocol ?? 'TCP'} ${p.port}`).join(', '), via: `Service ${ns}/${svc.metadata?.name} (${svc.spec.type})` });
    }
  }
  for (const m of objects.filter(o => o.kind === 'FirewallMatrix')) {
    const zone = (z: string) => node(`zone:${z}`, `zone ${z}`, `firewall ${m.metadata?.name ?? ''}`.trim());
    for (const f of m.spec?.flows ?? []) {
      const range = f.toPort !== undefined && f.toPort !== f.fromPort ? `${f.fromPort}-${f.toPort}` : `${f.fromPort ?? ''}`;
      flows.push({ from: zone(String(f.from)), to: zone(String(f.to)), ports: `${String(f.protocol ?? 'tcp').toUpperCase()} ${range}`.trim(), via: `FirewallMatrix ${m.metadata?.name}: ${f.purpose ?? ''}`.trim() });
    }
  }
  const seen = new Set<string>();
  const unique = flows.filter(f => {
    const k = `${f.from}|${f.to}|${f.ports}|${f.via}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { nodes: [...nodes.values()], flows: unique };
}
