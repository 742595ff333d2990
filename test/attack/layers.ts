/**
 * One attack fixture judged by every layer a user meets: `app.synth()` (the synth guard on raw ApiObjects), the
 * cdk8s.yaml validation plugin (what `cdk8s synth` runs) and `cdk8s-hardened check` on the YAML. Each layer must block
 * it naming the rule, and (for a waivable rule) let it through once a valid waiver covers that rule.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import * as YAML from 'yaml';
import { HardenedChart, Waiver } from '../../lib';
import { HardenedValidation } from '../../lib/cli/plugin';
import { cli, daysFromNow } from '../cli/helpers';

export const WAIVER_REASON = 'attack fixture: proves the waiver path for this rule';

/** The documents of a YAML string. */
export function docsOf(yaml: string): any[] {
  return YAML.parseAllDocuments(yaml).map(d => d.toJSON()).filter(Boolean);
}

/** The YAML of the documents, each failing object waived for `ruleId` when `waive` names objects (kind/name). */
function withWaivers(docs: any[], ruleId: string, waive: ReadonlySet<string>): any[] {
  return docs.map(d => {
    if (!waive.has(`${d.kind}/${d.metadata?.name}`)) return d;
    const waivers = [{ ruleId, reason: WAIVER_REASON, owner: 'test-suite', expires: daysFromNow(7) }];
    return { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata?.annotations ?? {}), [Waiver.ANNOTATION]: JSON.stringify(waivers) } } };
  });
}

/** `app.synth()` of the documents as raw ApiObjects in a HardenedChart: the error message, or '' when it passes. */
export function appSynth(docs: any[]): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'attack-synth-'));
  const app = new App({ outdir });
  const chart = new HardenedChart(app, 'attack');
  docs.forEach((d, i) => new ApiObject(chart, `o${i}`, d));
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The rule names the validation plugin reports as violations ('' entries never). */
export async function pluginRules(docs: any[]): Promise<{ status: string | undefined; rules: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attack-plugin-'));
  const file = path.join(dir, 'manifest.k8s.yaml');
  fs.writeFileSync(file, docs.map(d => YAML.stringify(d)).join('---\n'));
  const rules: string[] = [];
  let status: string | undefined;
  await new HardenedValidation({ removeBlockedManifests: false }).validate({
    manifests: [file],
    report: { addViolation: v => { rules.push(v.ruleName.split(':')[0]); }, submit: s => { status = s; } },
    logger: { log: () => undefined },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status, rules };
}

/** `cdk8s-hardened check` on the YAML: exit code and JSON findings. */
export async function checkYaml(docs: any[]): Promise<{ code: number; blocking: string[] }> {
  const r = await cli(['check', '--format', 'json', '-'], docs.map(d => YAML.stringify(d)).join('---\n'));
  const json = r.out ? JSON.parse(r.out) : { findings: [] };
  const blocking = (json.findings ?? []).filter((f: any) => f.blocking).map((f: any) => f.ruleId);
  return { code: r.code, blocking };
}

/**
 * Every layer blocks `yaml` naming `ruleId`; with `waivable`, a waiver of `ruleId` on the objects named by `waive`
 * (kind/name) takes that rule out of every layer's blockers.
 */
export async function expectBlockedEverywhere(yaml: string, ruleId: string, options: { waive?: string[] } = {}): Promise<void> {
  const docs = docsOf(yaml);
  const synthMsg = appSynth(docs);
  if (!synthMsg.includes(`: ${ruleId} `)) throw new Error(`app.synth() did not block on ${ruleId}:\n${synthMsg || '(it synthesized)'}`);
  const plugin = await pluginRules(docs);
  if (plugin.status !== 'failure' || !plugin.rules.includes(ruleId)) throw new Error(`the validation plugin did not block on ${ruleId}: ${plugin.status} ${plugin.rules.join(', ')}`);
  const check = await checkYaml(docs);
  if (check.code !== 1 || !check.blocking.includes(ruleId)) throw new Error(`check did not block on ${ruleId}: exit ${check.code}, ${check.blocking.join(', ')}`);
  if (!options.waive) return;
  const waived = withWaivers(docs, ruleId, new Set(options.waive));
  const m = appSynth(waived);
  if (m.includes(`: ${ruleId} `)) throw new Error(`app.synth() still blocks on ${ruleId} under a waiver:\n${m}`);
  const p = await pluginRules(waived);
  if (p.rules.includes(ruleId)) throw new Error(`the validation plugin still reports ${ruleId} under a waiver`);
  const c = await checkYaml(waived);
  if (c.blocking.includes(ruleId)) throw new Error(`check still blocks on ${ruleId} under a waiver`);
}

/** Every layer lets `yaml` through as far as `ruleId` is concerned. */
export async function expectNotFlagged(yaml: string, ruleId: string): Promise<void> {
  const docs = docsOf(yaml);
  const m = appSynth(docs);
  if (m.includes(`: ${ruleId} `) || m.includes(`: ${ruleId} [`)) throw new Error(`app.synth() blocks on ${ruleId}:\n${m}`);
  const p = await pluginRules(docs);
  if (p.rules.includes(ruleId)) throw new Error(`the validation plugin reports ${ruleId}`);
  const c = await checkYaml(docs);
  if (c.blocking.includes(ruleId)) throw new Error(`check blocks on ${ruleId}`);
}
