/**
 * Differential test: the CEL of every generated ValidatingAdmissionPolicy, run on @bufbuild/cel with the Kubernetes
 * functions it uses (cel-k8s.ts), must give the TypeScript rule's verdict on every object: every rule fixture
 * (test/fixtures/rules/<id>/*.yaml), the PSS corpus, pod-security-admission's own test data for v1.35 and v1.36
 * (test/vendor/psa-testdata) and fast-check generated objects, waivers included.
 *
 * Verdict: admitted (CEL true) <=> the guard finds no unwaived FAIL or UNEVALUABLE finding of that rule on the object.
 * Domain: objects of the kinds the policies match (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { admissionKindOf, generateRules, ADMISSION_KINDS, GenerateOptions } from '../../lib/admission/generate';
import { OBJECT_RULES } from '../../lib/admission/object-rules';
import { OBJECT_LEVEL_PATHS } from '../../lib/admission/pod-rules-extra';
import { Catalogue } from '../../lib/policy/catalogue';
import { evaluate, objectRefOf, withoutNulls } from '../../lib/policy/engine';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { parseWaivers, WAIVER_ANNOTATION } from '../../lib/policy/waiver-record';
import { schemaErrors } from '../util/schema';
import { admissionObject, IDENTITIES, SPEC_PATH, waiverSources } from './arbitrary';
import { bindingsOf, compileRule, CompiledRule } from './cel-k8s';

const TODAY = '2026-06-15';
const FIXTURES = path.join(__dirname, '..', 'fixtures');

/**
 * The guard's verdict on one rule as admission must reproduce it: the object's waivers count only when the object is
 * one the policies were generated from (same kind, namespace, name and annotation bytes) and its waiver annotation is
 * valid (an annotation with an invalid entry fails waiver-invalid at synth: nothing in it is honoured).
 */
export function tsAdmits(ruleId: string, obj: any, settings: PolicySettings, baked: boolean, today = TODAY): boolean {
  return !tsDenied([ruleId], obj, settings, baked, today).has(ruleId);
}

/** The rules (of `ruleIds`) the guard blocks the object on, in one evaluation. */
export function tsDenied(ruleIds: string[], obj: any, settings: PolicySettings, baked: boolean, today = TODAY): Set<string> {
  if (!baked || parseWaivers(obj).problems.length > 0) obj = withoutWaivers(obj);
  const rules = ruleIds.map(id => Catalogue.get(id));
  // the policies read the pod spec at the carrier's path only (the catalogue also infers pod specs elsewhere in CRs)
  const k = admissionKindOf(obj);
  const under = (p: string, root: string) => p === root || p.startsWith(`${root}.`) || p.startsWith(`${root}[`);
  return new Set(evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules, settings, today })
    .filter(f => !k || under(f.path, k.spec) || under(f.path, k.meta) || OBJECT_LEVEL_PATHS.includes(f.path))
    .filter(f => !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE)).map(f => f.ruleId));
}

function withoutWaivers(obj: any): any {
  const a = obj?.metadata?.annotations;
  if (!a || !(WAIVER_ANNOTATION in a)) return obj;
  const { [WAIVER_ANNOTATION]: _drop, ...rest } = a;
  return { ...obj, metadata: { ...obj.metadata, annotations: rest } };
}

function loadYamlDir(dir: string): { file: string; obj: any }[] {
  const out: { file: string; obj: any }[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf-8').replace(/\$\{DAYS_FROM_NOW:(-?\d+)\}/g, (_, n) =>
          new Date(Date.parse(`${TODAY}T00:00:00Z`) + Number(n) * 86_400_000).toISOString().slice(0, 10));
        for (const d2 of YAML.parseAllDocuments(text)) {
          const obj = d2.toJSON();
          if (obj && typeof obj === 'object') out.push({ file: path.relative(FIXTURES, p), obj });
        }
      }
    }
  };
  walk(dir);
  return out;
}

const CORE = new Set(ADMISSION_KINDS.filter(k => ['', 'apps', 'batch'].includes(k.group)).map(k => `${k.group ? `${k.group}/` : ''}v1/${k.kind}`));
const matchedKind = (obj: any) => !!obj && typeof obj === 'object' && (CORE.has(`${obj.apiVersion}/${obj.kind}`) ||
  (admissionKindOf(obj) !== undefined && !['', 'apps', 'batch'].includes(admissionKindOf(obj)!.group)));
const getPath = (o: any, p: string) => p.split('.').reduce((a, k) => (a && typeof a === 'object' ? a[k] : undefined), o);
/**
 * What admission sees: an object of a matched kind that the API server accepts as sent (valid against the Kubernetes
 * 1.28 OpenAPI schema, unknown fields rejected as with kubectl's default strict field validation). Anything else never
 * reaches a ValidatingAdmissionPolicy in that shape.
 */
export function inDomain(obj: any): boolean {
  if (!matchedKind(obj)) return false;
  const k = admissionKindOf(obj)!;
  if (['', 'apps', 'batch'].includes(k.group)) return schemaErrors(obj).length === 0;
  // a custom resource: its pod template must be what the core PodSpec schema accepts (wrong types: impact/type tests)
  const spec = getPath(obj, k.spec);
  if (spec === undefined) return true;
  const meta = getPath(obj, k.meta) ?? {};
  return schemaErrors({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', ...(meta.annotations ? { annotations: meta.annotations } : {}) }, spec }).length === 0;
}

const SETTINGS_SETS: PolicySettings[] = [
  { allowedRegistries: ['registry.example.com', 'docker.io/library/'], requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 },
  { allowedRegistries: ['ghcr.io/acme'], requireDigest: true, podSecurityVersion: 'v1.34', maxWaiverDays: 90 },
  // v1.35+: the user-namespace relaxation (hostUsers: false) and proc-mount-restricted; the default Kubernetes version (1.36)
  { allowedRegistries: ['registry.example.com'], requireDigest: false, podSecurityVersion: 'v1.36', kubeVersion: '1.36', maxWaiverDays: 90 },
];
/** The fixtures are also judged at v1.35, and at v1.35 for a 1.34 cluster (the relaxation is not in force there). */
const FIXTURE_SETTINGS: PolicySettings[] = [
  ...SETTINGS_SETS,
  { allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.35', kubeVersion: '1.35', maxWaiverDays: 90 },
  { allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.35', kubeVersion: '1.34', maxWaiverDays: 90 },
];
const label = (s: PolicySettings) => `${s.podSecurityVersion}${s.kubeVersion ? ` (kube ${s.kubeVersion})` : ''}`;

/** pod-security-admission's test data for v1.35 and v1.36, read as kubectl reads YAML (1.1). */
function loadPsaTestdata(): { file: string; obj: any }[] {
  const files: { [f: string]: string } = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'psa-testdata', 'v1.35-v1.36.json.gz'))).toString('utf8'));
  return Object.entries(files).map(([f, text]) => ({ file: `psa-testdata/${f}`, obj: YAML.parse(text, { version: '1.1' }) }));
}

function compileAll(settings: PolicySettings, sources: any[]): CompiledRule[] {
  const opts: GenerateOptions = { settings, apiVersion: 'v1', generatedOn: TODAY, waiverSources: sources };
  // the pod-spec policies; the non-pod ones (object-default-namespace matches every namespaced kind) have their own
  // differential against the whole object in object-rules*.test.ts
  return generateRules(opts).filter(g => !OBJECT_RULES.some(r => r.id === g.rule.id)).map(compileRule);
}

describe('differential: fixtures and PSS corpus', () => {
  const psa = loadPsaTestdata().map(d => ({ ...d, obj: withoutNulls(d.obj) }));
  const docs = [...loadYamlDir(path.join(FIXTURES, 'rules')), ...loadYamlDir(path.join(FIXTURES, 'pss-corpus'))]
    .map(d => ({ ...d, obj: withoutNulls(d.obj) })).concat(psa);
  const matched = docs.filter(d => matchedKind(d.obj)).length;
  // PSA's data uses fields Kubernetes added after 1.28 (appArmorProfile, image volumes): valid against the 1.36 schema
  const inScope = docs.filter(d => inDomain(d.obj) || (d.file.startsWith('psa-testdata/') && schemaErrors(d.obj, '1.36').length === 0));
  test('every object of pod-security-admission\'s v1.35/v1.36 test data that the API server accepts is compared', () => {
    expect(psa.length).toBe(296);
    // only the scaleIO volume without its required secretRef: the API server refuses it before any admission policy runs
    // (the TypeScript verdicts on all 296 are compared with PSA's in test/policy/pss-after-v1.34.test.ts)
    expect(psa.filter(d => !inScope.includes(d)).map(d => d.file))
      .toEqual(['psa-testdata/restricted/v1.35/fail/restrictedvolumes17.yaml', 'psa-testdata/restricted/v1.36/fail/restrictedvolumes17.yaml']);
    expect(psa.filter(d => d.file.endsWith('/restrictedvolumes17.yaml')).every(d => d.obj.spec.volumes[0].scaleIO.secretRef === undefined)).toBe(true);
  });
  test.each(FIXTURE_SETTINGS.map(s => [label(s), s]))('at %s every fixture object gets the same verdict', (_v, settings) => {
    const rules = compileAll(settings, inScope.map(d => d.obj));
    const disagreements: string[] = [];
    let compared = 0;
    for (const d of inScope) {
      const ns = d.obj.metadata?.namespace ?? 'default';
      const bound = bindingsOf(d.obj, ns);
      const denied = tsDenied(rules.map(r => r.ruleId), d.obj, settings, true);
      for (const r of rules) {
        compared++;
        const cel = r.admitsBound(bound);
        const ts = !denied.has(r.ruleId);
        if (cel !== ts) disagreements.push(`${r.ruleId} on ${d.file} (${d.obj.kind} ${d.obj.metadata?.name}): CEL ${cel ? 'admits' : 'denies'}, guard ${ts ? 'admits' : 'denies'}`);
      }
    }

    console.log(`fixtures ${label(settings)}: ${inScope.length} objects (of ${matched} of matched kinds; the rest are rejected by the API schema) x ${rules.length} rules = ${compared} verdicts, ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
    expect(inScope.length).toBeGreaterThan(100);
  });
});

const hasAppArmorField = (o: any) => JSON.stringify(o).includes('appArmorProfile');

describe('differential: generated objects', () => {
  // 1,000 objects per rule at v1.34 (every rule); 300 more at v1.28 for its version-specific sets (sysctls, SELinux) and
  // 300 at v1.36 for the user-namespace relaxation.
  test.each(SETTINGS_SETS.map(s => [s.podSecurityVersion, s, s.podSecurityVersion === 'v1.34' ? 1000 : 300] as const))('at %s generated objects (1,000 at v1.34) get the same verdict on every rule', (_v, settings, RUNS) => {
    const rules = compileAll(settings, waiverSources());
    let verdicts = 0;
    let denied = 0;
    let waivedAdmits = 0;
    const invalid: string[] = [];
    const kinds = new Set<string>();
    fc.assert(fc.property(admissionObject, ({ object, namespace }) => {
      kinds.add(object.kind);
      // appArmorProfile (Kubernetes 1.30+) is not in the 1.28 schema: the only field allowed beyond it.
      const core = ['v1', 'apps/v1', 'batch/v1'].includes(object.apiVersion);
      const errors = core ? schemaErrors(object).filter(e => !e.endsWith('(appArmorProfile)')) : inDomain(object) || hasAppArmorField(object) ? [] : [`${object.kind}: pod template not a valid PodSpec`];
      if (errors.length > 0) invalid.push(errors[0]);
      const baked = IDENTITIES.some(i => i.kind === object.kind && i.namespace === namespace && i.name === object.metadata.name &&
        i.annotation === object.metadata.annotations?.[WAIVER_ANNOTATION]);
      const bound = bindingsOf(object, namespace);
      const ids = rules.map(r => r.ruleId);
      const tsDeny = tsDenied(ids, object, settings, baked);
      const tsDenyUnwaived = baked ? tsDenied(ids, object, settings, false) : tsDeny;
      for (const r of rules) {
        verdicts++;
        const cel = r.admitsBound(bound);
        const ts = !tsDeny.has(r.ruleId);
        if (!cel) denied++;
        if (cel && tsDenyUnwaived.has(r.ruleId)) waivedAdmits++;
        if (cel !== ts) throw new Error(`${r.ruleId}: CEL ${cel ? 'admits' : 'denies'}, guard ${ts ? 'admits' : 'denies'} (namespace ${namespace})`);
      }
    }), { numRuns: RUNS, seed: ({ 'v1.28': 1828, 'v1.34': 1834, 'v1.36': 1836 } as { [v: string]: number })[settings.podSecurityVersion] });

    console.log(`generated ${settings.podSecurityVersion}: ${RUNS} objects x ${rules.length} rules = ${verdicts} verdicts (${denied} denials, ${waivedAdmits} admitted only by a baked waiver), 0 disagreements`);
    expect(invalid).toEqual([]);
    expect(verdicts).toBe(RUNS * rules.length);
    // PodTemplate and the custom-resource carriers are generated too
    expect([...kinds].sort()).toEqual(Object.keys(SPEC_PATH).sort());
    // the generator reaches both verdicts and the waiver path
    expect(denied).toBeGreaterThan(verdicts / 10);
    expect(waivedAdmits).toBeGreaterThan(50);
  });
});

// v1.34, and v1.36 (hostUsers changes: a template losing hostUsers: false is an update of a field the relaxed rules read)
describe.each([SETTINGS_SETS[1], SETTINGS_SETS[2]].map(s => [label(s), s] as const))('differential: UPDATE with oldObject at %s', (_v, settings) => {
  const mutation = fc.constantFrom('labels', 'finalizers', 'annotation', 'spec', 'image', 'template-annotations');
  const setAt = (o: any, p: string, v: any) => {
    const steps = p.split('.');
    const parent = steps.slice(0, -1).reduce((a, k) => a[k], o);
    parent[steps[steps.length - 1]] = v;
  };
  test('an update is denied only when the new object fails the rule and a field the rule reads changed; otherwise the rule\'s verdict is the old one', () => {
    const rules = compileAll(settings, waiverSources());
    const ids = rules.map(r => r.ruleId);
    const counts = { verdicts: 0, deniedUpdates: 0, admittedUnchanged: 0 };
    fc.assert(fc.property(admissionObject, admissionObject, mutation, (a, b, m) => {
      const old = a.object;
      const next = JSON.parse(JSON.stringify(old));
      const specPath = SPEC_PATH[old.kind];
      const metaPath = old.kind === 'Pod' || old.kind === 'Revision' ? 'metadata' : specPath.replace(/\.spec$/, '.metadata');
      if (m === 'labels') next.metadata.labels = { changed: 'yes' };
      if (m === 'finalizers') { old.metadata.finalizers = ['foregroundDeletion']; next.metadata.finalizers = []; }
      if (m === 'annotation') next.metadata.annotations = { ...next.metadata.annotations, 'example.com/touched': 'now' };
      if (m === 'spec') setAt(next, specPath, JSON.parse(JSON.stringify(b.object.kind === 'Pod' ? b.object.spec : getPath(b.object, SPEC_PATH[b.object.kind]))));
      if (m === 'image') getPath(next, specPath).containers[0].image = 'nginx:latest';
      if (m === 'template-annotations' && old.kind !== 'Pod') {
        const tm = getPath(next, metaPath);
        tm.annotations = { ...(tm.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': '2026-06-15T10:00:00Z' };
      }
      const baked = (o: any) => IDENTITIES.some(i => i.kind === o.kind && i.namespace === a.namespace && i.name === o.metadata.name &&
        i.annotation === o.metadata.annotations?.[WAIVER_ANNOTATION]);
      const tsNew = tsDenied(ids, next, settings, baked(next));
      const tsOld = tsDenied(ids, old, settings, baked(old));
      const bound = bindingsOf(next, a.namespace, 'alice', old);
      for (const r of rules) {
        counts.verdicts++;
        const cel = r.admitsBound(bound);
        if (!cel) {
          counts.deniedUpdates++;
          if (!tsNew.has(r.ruleId)) throw new Error(`${r.ruleId} denies an update to an object the rule passes (${m})`);
          if (['labels', 'finalizers', 'annotation'].includes(m)) throw new Error(`${r.ruleId} denies a metadata-only update (${m})`);
        } else if (tsNew.has(r.ruleId)) {
          counts.admittedUnchanged++;
          // admitted only because nothing it reads changed: then its verdict on the old object was the same
          if (!tsOld.has(r.ruleId)) throw new Error(`${r.ruleId}: update admitted as unchanged, but the old object passed and the new one fails (${m})`);
        }
      }
    }), { numRuns: 300, seed: 2525 });

    console.log(`updates ${label(settings)}: 300 updates x ${rules.length} rules = ${counts.verdicts} verdicts (${counts.deniedUpdates} denied, ${counts.admittedUnchanged} failing objects admitted because no field the rule reads changed), 0 disagreements`);
    expect(counts.deniedUpdates).toBeGreaterThan(200);
    expect(counts.admittedUnchanged).toBeGreaterThan(200);
  });
});
