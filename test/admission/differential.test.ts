/**
 * Differential test: the CEL of every generated ValidatingAdmissionPolicy, run on @bufbuild/cel with the Kubernetes
 * functions it uses (cel-k8s.ts), must give the TypeScript rule's verdict on every object: every rule fixture
 * (test/fixtures/rules/<id>/*.yaml), the PSS corpus and fast-check generated objects, waivers included.
 *
 * Verdict: admitted (CEL true) <=> the guard finds no unwaived FAIL or UNEVALUABLE finding of that rule on the object.
 * Domain: objects of the kinds the policies match (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { generateRules, ADMISSION_KINDS, GenerateOptions } from '../../lib/admission/generate';
import { evaluate, objectRefOf, withoutNulls } from '../../lib/policy/engine';
import { Catalogue } from '../../lib/policy/catalogue';
import { Outcome, PolicySettings } from '../../lib/policy/types';
import { compileRule, CompiledRule } from './cel-k8s';
import { schemaErrors } from '../util/schema';

const TODAY = '2026-06-15';
const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function tsAdmits(ruleId: string, obj: any, settings: PolicySettings, today = TODAY): boolean {
  const rule = Catalogue.get(ruleId);
  const findings = evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [rule], settings, today })
    .filter(f => f.ruleId === ruleId && !f.waiver && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE));
  return findings.length === 0;
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

const KINDS = new Set(ADMISSION_KINDS.map(k => `${k.group ? `${k.group}/` : ''}v1/${k.kind}`));
const matchedKind = (obj: any) => !!obj && typeof obj === 'object' && KINDS.has(`${obj.apiVersion}/${obj.kind}`);
/**
 * What admission sees: an object of a matched kind that the API server accepts as sent (valid against the Kubernetes
 * 1.28 OpenAPI schema, unknown fields rejected as with kubectl's default strict field validation). Anything else never
 * reaches a ValidatingAdmissionPolicy in that shape.
 */
export function inDomain(obj: any): boolean {
  return matchedKind(obj) && schemaErrors(obj).length === 0;
}

const SETTINGS_SETS: PolicySettings[] = [
  { allowedRegistries: ['registry.example.com', 'docker.io/library/'], requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 },
  { allowedRegistries: ['ghcr.io/acme'], requireDigest: true, podSecurityVersion: 'v1.34', maxWaiverDays: 90 },
];

function compileAll(settings: PolicySettings, sources: any[]): CompiledRule[] {
  const opts: GenerateOptions = { settings, apiVersion: 'v1', generatedOn: TODAY, waiverSources: sources };
  return generateRules(opts).map(compileRule);
}

describe('differential: fixtures and PSS corpus', () => {
  const docs = [...loadYamlDir(path.join(FIXTURES, 'rules')), ...loadYamlDir(path.join(FIXTURES, 'pss-corpus'))]
    .map(d => ({ ...d, obj: withoutNulls(d.obj) }));
  const matched = docs.filter(d => matchedKind(d.obj)).length;
  const inScope = docs.filter(d => inDomain(d.obj));
  test.each(SETTINGS_SETS.map(s => [s.podSecurityVersion, s]))('at %s every fixture object gets the same verdict', (_v, settings) => {
    const rules = compileAll(settings, inScope.map(d => d.obj));
    const disagreements: string[] = [];
    let compared = 0;
    for (const d of inScope) {
      const ns = d.obj.metadata?.namespace ?? 'default';
      for (const r of rules) {
        compared++;
        const cel = r.admits(d.obj, ns);
        const ts = tsAdmits(r.ruleId, d.obj, settings);
        if (cel !== ts) disagreements.push(`${r.ruleId} on ${d.file} (${d.obj.kind} ${d.obj.metadata?.name}): CEL ${cel ? 'admits' : 'denies'}, guard ${ts ? 'admits' : 'denies'}`);
      }
    }
    // eslint-disable-next-line no-console
    console.log(`fixtures ${settings.podSecurityVersion}: ${inScope.length} objects (of ${matched} of matched kinds; the rest are rejected by the API schema) x ${rules.length} rules = ${compared} verdicts, ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
    expect(inScope.length).toBeGreaterThan(100);
  });
});
