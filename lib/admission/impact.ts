/**
 * Impact of enforcing: given what a cluster runs (`kubectl get ... -A -o yaml`), every object each policy would refuse
 * (Deny) or warn about (Audit + Warn) if it were created now — before anyone switches a binding to Deny.
 *
 * The verdicts are the catalogue's own rule evaluation (lib/policy/engine.ts, a runtime dependency of the package),
 * applied with the policies' matching: the kinds and paths they match (ADMISSION_KINDS), the exemptions
 * (namespaces; mirror pods when `system:nodes` is exempt), the type check, and the waivers baked into them (directly,
 * and following the objects controllers create from a waived one, as the CEL does). test/admission/impact.test.ts
 * shows that these verdicts equal the generated CEL's on @bufbuild/cel for the same objects.
 */
import { isKubeList, listItemsOf } from '../kube/kube-list';
import { Catalogue } from '../policy/catalogue';
import { evaluate, objectRefOf, withoutNulls } from '../policy/engine';
import { Outcome, Severity } from '../policy/types';
import { pathCovered, WAIVER_ANNOTATION } from '../policy/waiver-record';
import {
  admissionKindOf, AdmissionKind, BakedWaiver, bakeWaivers, controllerUser, DERIVED_WAIVERS, derivedPath, exemptionsOf,
  GenerateOptions, generateRules, POLICY_PREFIX,
} from './generate';
import { OBJECT_RULES, objectKindOf, objectRulesOf } from './object-rules';
import { daemonSetPodExempt, OBJECT_LEVEL_PATHS } from './pod-rules-extra';
import { deploymentReplicaSetExempt } from './pod-rules-maximums';
import { wellTyped } from './types-cel';

/** One object a policy would refuse or warn about. */
export interface ImpactObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The first finding: path and message. */
  readonly detail: string;
}

/** What one policy would do. */
export interface PolicyImpact {
  readonly policy: string;
  readonly ruleId: string;
  readonly action: 'Deny' | 'Audit+Warn';
  readonly objects: ImpactObject[];
}

/** The whole report. */
export interface ImpactReport {
  readonly policies: PolicyImpact[];
  /** Objects of matched kinds, judged. */
  readonly judged: number;
  /** Objects of matched kinds left out by an exemption, per exemption line. */
  readonly exempt: { [what: string]: number };
  /** Objects of kinds no policy matches. */
  readonly unmatched: number;
}

/** Flatten kubectl Lists (`kubectl get -o yaml` prints one List). */
export function flattenObjects(objects: any[]): any[] {
  const out: any[] = [];
  const visit = (o: any) => {
    if (isKubeList(o)) for (const i of listItemsOf(o) ?? []) visit(i);
    else if (o && typeof o === 'object') out.push(o);
  };
  objects.forEach(visit);
  return out;
}

/**
 * The waiver path prefixes that cover `obj` for one rule when `username` sends it into `namespace`: the baked waivers
 * of the object itself (same group, kind, namespace, name and annotation bytes), and those that follow the objects a
 * controller creates (the TypeScript form of generate.ts waiverVariable).
 */
export function waiverPathsFor(obj: any, namespace: string, username: string, baked: BakedWaiver[]): string[] {
  const out: string[] = [];
  const matched = admissionKindOf(obj);
  for (const b of baked) {
    if (matched && b.kind === obj.kind && b.group === matched.group && obj.metadata?.name === b.name && namespace === b.namespace &&
      obj.metadata?.annotations?.[WAIVER_ANNOTATION] === b.annotation) out.push(b.path);
    if (!['', 'apps', 'batch'].includes(b.group)) continue;
    const derive = (ds: typeof DERIVED_WAIVERS[string], paths: string[]) => {
      for (const d of ds) {
        const mapped = paths.map(p => derivedPath(p, d)).filter((p): p is string => p !== undefined);
        if (mapped.length === 0) continue;
        const owner = d.ownerName(b.name);
        const owned = (obj.metadata?.ownerReferences ?? []).some((o: any) => o?.kind === d.ownerKind && o?.controller === true &&
          (owner.exact !== undefined ? o.name === owner.exact : typeof o.name === 'string' && new RegExp(owner.pattern!).test(o.name)));
        if (obj.kind === d.child && username === controllerUser(d.controller) && namespace === b.namespace && owned) out.push(...mapped);
        if (d.then) derive(d.then, mapped);
      }
    };
    derive(DERIVED_WAIVERS[b.kind] ?? [], [b.path]);
  }
  return out;
}

/** Who creates an object of the dump: the controller of its controller owner, else a user. */
export function creatorOf(obj: any): string {
  const owner = (obj.metadata?.ownerReferences ?? []).find((o: any) => o?.controller === true);
  if (!owner) return 'user';
  for (const ds of Object.values(DERIVED_WAIVERS)) {
    for (const d of [...ds, ...ds.flatMap(x => x.then ?? [])]) {
      if (d.child === obj.kind && d.ownerKind === owner.kind) return controllerUser(d.controller);
    }
  }
  return 'user';
}

/** The findings of one rule that the policy would deny `obj` for (empty: admitted). */
export function policyFindings(ruleId: string, obj: any, kind: AdmissionKind, namespace: string, username: string,
  baked: BakedWaiver[], options: GenerateOptions): { path: string; message: string }[] {
  const spec = getPath(obj, kind.spec);
  const meta = getPath(obj, kind.meta);
  if (!wellTyped(spec, meta)) return [{ path: kind.spec, message: 'a field of the pod spec has a value of the wrong type (denied by the type check)' }];
  if (daemonSetPodExempt(ruleId, obj, username)) return [];
  const { [WAIVER_ANNOTATION]: _drop, ...annotations } = obj.metadata?.annotations ?? {};
  const stripped = { ...obj, metadata: { ...obj.metadata, annotations } };
  const waivers = waiverPathsFor(obj, namespace, username, baked.filter(b => b.ruleId === ruleId));
  const under = (p: string, root: string) => p === root || p.startsWith(`${root}.`) || p.startsWith(`${root}[`);
  const ctx = { rules: [Catalogue.get(ruleId)], settings: options.settings, today: options.generatedOn };
  return evaluate([{ object: stripped, ref: objectRefOf(stripped) }], ctx)
    .filter(f => f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE)
    // only the pod spec the policy reads (the catalogue also infers pod specs elsewhere in custom resources)
    .filter(f => under(f.path, kind.spec) || under(f.path, kind.meta) || OBJECT_LEVEL_PATHS.includes(f.path))
    .filter(f => !waivers.some(w => pathCovered(f.path, w)))
    .filter(f => !deploymentReplicaSetExempt(ruleId, obj, username, f.path))
    .map(f => ({ path: f.path, message: f.message }));
}

/** The findings of a non-pod rule the policy would deny `obj` for (its own baked waivers honoured). */
function objectFindings(ruleId: string, obj: any, namespace: string, baked: BakedWaiver[], options: GenerateOptions): { path: string; message: string }[] {
  const { [WAIVER_ANNOTATION]: _drop, ...annotations } = obj.metadata?.annotations ?? {};
  // the API server sets an empty namespace of a namespaced object to the request's before admission
  const stripped = { ...obj, metadata: { ...obj.metadata, annotations, ...(namespace !== '' ? { namespace } : {}) } };
  const waivers = baked.filter(b => b.ruleId === ruleId && b.kind === obj.kind && b.name === obj.metadata?.name && b.namespace === namespace &&
    obj.metadata?.annotations?.[WAIVER_ANNOTATION] === b.annotation).map(b => b.path);
  const def = OBJECT_RULES.find(r => r.id === ruleId);
  // beyond a limit of what the policy can judge it refuses the object, whatever the rule says
  const over = (def?.limits ?? []).find(l => !l.within(stripped));
  if (over) return [{ path: 'spec', message: over.message }];
  const judges = def?.judges;
  const ctx = { rules: [Catalogue.get(ruleId)], settings: options.settings, today: options.generatedOn };
  return evaluate([{ object: stripped, ref: objectRefOf(stripped) }], ctx)
    .filter(f => f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE)
    // a rule generated in part: only the findings its policy judges
    .filter(f => !judges || judges(stripped, f.path))
    .filter(f => !waivers.some(w => pathCovered(f.path, w)))
    .map(f => ({ path: f.path, message: f.message }));
}

function getPath(obj: any, path: string): any {
  let cur = obj;
  for (const k of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    if (typeof cur !== 'object' || Array.isArray(cur)) return 'malformed';
    cur = cur[k];
  }
  return cur;
}

/** What judging one object needs, prepared once per report. */
export interface ImpactContext {
  readonly options: GenerateOptions;
  readonly policies: ReadonlyArray<{ readonly policy: string; readonly ruleId: string; readonly action: 'Deny' | 'Audit+Warn' }>;
  readonly baked: BakedWaiver[];
  readonly exemptions: ReturnType<typeof exemptionsOf>;
}

export function impactContext(options: GenerateOptions): ImpactContext {
  const denyRules = new Set(options.denyRules ?? []);
  return {
    options,
    policies: generateRules(options).map(g => ({
      policy: `${POLICY_PREFIX}${g.rule.id}`, ruleId: g.rule.id,
      action: g.rule.severity === Severity.ERROR && (!options.audit || denyRules.has(g.rule.id)) ? 'Deny' as const : 'Audit+Warn' as const,
    })),
    baked: bakeWaivers(options.waiverSources ?? [], Catalogue.all(), options.generatedOn, options.defaultNamespace),
    exemptions: exemptionsOf(options),
  };
}

/**
 * One object of a dump: `unmatched` (no policy matches its kind), `exempt` (with the exemption), or per policy the
 * findings it would be refused for (as created by its creator: a controller for controller-owned objects).
 */
export function judgeObject(raw: any, c: ImpactContext):
  { unmatched: true } | { exempt: string } | { refused: { [ruleId: string]: { path: string; message: string }[] } } {
  const obj = withoutNulls(raw);
  const kind = admissionKindOf(obj);
  const objectRules = objectRulesOf(obj).filter(r => c.policies.some(p => p.ruleId === r.id));
  if (!kind && objectRules.length === 0) return { unmatched: true };
  const namespace = typeof obj.metadata?.namespace === 'string' && obj.metadata.namespace !== '' ? obj.metadata.namespace : (c.options.defaultNamespace ?? 'default');
  const clusterScoped = !kind && objectRules.every(r => objectKindOf(r, obj)!.clusterScoped);
  const nsExempt = clusterScoped ? undefined : c.exemptions.find(e => e.namespace === namespace);
  const mirror = obj.kind === 'Pod' && typeof obj.metadata?.annotations?.['kubernetes.io/config.mirror'] === 'string';
  const nodeExempt = mirror ? c.exemptions.find(e => e.group === 'system:nodes') : undefined;
  if (nsExempt) return { exempt: `namespace ${nsExempt.namespace}` };
  if (nodeExempt) return { exempt: 'mirror pods (group system:nodes)' };
  const refused: { [ruleId: string]: { path: string; message: string }[] } = {};
  for (const r of objectRules) {
    const found = objectFindings(r.id, obj, objectKindOf(r, obj)!.clusterScoped ? '' : namespace, c.baked, c.options);
    if (found.length > 0) refused[r.id] = found;
  }
  if (!kind) return { refused };
  const username = creatorOf(obj);
  for (const p of c.policies) {
    if (OBJECT_RULES.some(r => r.id === p.ruleId)) continue;
    const found = policyFindings(p.ruleId, obj, kind, namespace, username, c.baked, c.options);
    if (found.length > 0) refused[p.ruleId] = found;
  }
  return { refused };
}

/** The impact report of the policies `options` generate on the objects of a cluster dump. */
export function impactOf(dump: any[], options: GenerateOptions): ImpactReport {
  const c = impactContext(options);
  const policies: PolicyImpact[] = c.policies.map(p => ({ ...p, objects: [] }));
  const exempt: { [what: string]: number } = {};
  let judged = 0;
  let unmatched = 0;
  for (const raw of flattenObjects(dump)) {
    const v = judgeObject(raw, c);
    if ('unmatched' in v) { unmatched++; continue; }
    if ('exempt' in v) { exempt[v.exempt] = (exempt[v.exempt] ?? 0) + 1; continue; }
    judged++;
    const namespace = typeof raw.metadata?.namespace === 'string' ? raw.metadata.namespace : (options.defaultNamespace ?? 'default');
    for (const p of policies) {
      const found = v.refused[p.ruleId];
      if (!found) continue;
      p.objects.push({
        kind: raw.kind, namespace, name: String(raw.metadata?.name ?? raw.metadata?.generateName ?? ''),
        detail: `${found[0].path}: ${found[0].message}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}`,
      });
    }
  }
  return { policies, judged, exempt, unmatched };
}

/** The report as text: per policy, the objects it would refuse or warn about. */
export function formatImpact(r: ImpactReport): string {
  const lines: string[] = [];
  for (const p of r.policies.filter(x => x.objects.length > 0)) {
    const verb = p.action === 'Deny' ? 'would refuse' : 'would warn about (Audit + Warn)';
    lines.push(`${p.policy} (${p.action}) ${verb} ${p.objects.length} object${p.objects.length === 1 ? '' : 's'}:`);
    for (const o of p.objects) lines.push(`  ${o.kind} ${o.namespace}/${o.name}: ${o.detail}`);
  }
  const refused = r.policies.filter(p => p.action === 'Deny' && p.objects.length > 0).length;
  lines.push(`${r.judged} objects judged by ${r.policies.length} policies; ${refused} ${refused === 1 ? 'policy' : 'policies'} with Deny would refuse at least one.`);
  for (const [what, n] of Object.entries(r.exempt)) lines.push(`not judged (exempt): ${n} in ${what}`);
  if (r.unmatched > 0) lines.push(`${r.unmatched} objects of kinds no policy matches.`);
  return lines.join('\n') + '\n';
}
