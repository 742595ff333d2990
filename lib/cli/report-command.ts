/**
 * `cdk8s-hardened report <inputs...>`: the threat model of manifests (Markdown, JSON or OWASP Threat Dragon v2), with
 * `--fail-on` conditions that make it exit 1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { pssVersionFor } from '../kube/kube-version';
import { DEFAULT_PROFILE } from '../policy/profile';
import { PolicySettings } from '../policy/types';
import { daysUntil, todayUtc } from '../policy/waiver-record';
import { ThreatModelData, ThreatStatus } from '../threat/model';
import { ThreatModel } from '../threat/threat-model';
import { InputError } from './input';
import { CliIo, loadOperands } from './io';
import { kubeVersionOption } from './kube-version-option';

/** Exit status when a `--fail-on` condition holds. */
const EXIT_FAIL_ON = 1;

/** A `--fail-on` condition. */
export interface FailOn {
  /** `not-covered`, `no-evidence`, `blocking` or `expiring-within`. */
  readonly kind: string;
  /** Days, for `expiring-within`. */
  readonly days?: number;
}

/** Parse `--fail-on` values (repeatable, comma-separated): not-covered | no-evidence | blocking | expiring-within=<days>. */
export function parseFailOn(values: readonly string[]): FailOn[] {
  return values.flatMap(v => v.split(',')).map(s => s.trim()).filter(Boolean).map(s => {
    if (s === 'not-covered' || s === 'no-evidence' || s === 'blocking') return { kind: s };
    const m = /^expiring-within=(\d+)$/.exec(s);
    if (m) return { kind: 'expiring-within', days: Number(m[1]) };
    throw new InputError('--fail-on', undefined, `"${s}" is not a condition: not-covered | no-evidence | blocking | expiring-within=<days>`);
  });
}

/** Why each condition holds for a model (empty: none holds). */
export function failOnReasons(m: ThreatModelData, conditions: readonly FailOn[]): string[] {
  const out: string[] = [];
  for (const c of conditions) {
    if (c.kind === 'not-covered' || c.kind === 'no-evidence') {
      const status = c.kind === 'not-covered' ? ThreatStatus.NOT_COVERED : ThreatStatus.NO_EVIDENCE;
      const hits = m.assessments.filter(a => a.status === status);
      if (hits.length > 0) out.push(`${hits.length} assessment(s) ${status}: ${hits.slice(0, 5).map(a => `${a.threatId} on ${a.assetId}`).join(', ')}${hits.length > 5 ? ', ...' : ''}`);
    } else if (c.kind === 'blocking') {
      if (m.blockingFindings.length > 0) out.push(`${m.blockingFindings.length} blocking finding(s)`);
    } else if (c.kind === 'expiring-within') {
      const risks = new Map(m.assessments.flatMap(a => a.acceptedRisks).map(r => [`${r.ruleId}|${r.object}|${r.expires}`, r]));
      const soon = [...risks.values()].filter(r => daysUntil(r.expires, m.date) <= c.days!);
      if (soon.length > 0) out.push(`${soon.length} accepted risk(s) expire within ${c.days} day(s): ${soon.map(r => `${r.ruleId} on ${r.object} (${r.expires})`).join(', ')}`);
    }
  }
  return out;
}

/** Register the `report` subcommand; `setCode` receives its exit status. */
export function registerReportCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program.command('report')
    .description('A STRIDE threat model of manifests: assets, data flows with trust boundaries, and each threat mitigated (with evidence), waived, not covered, no evidence, assumed or outside this app. Exit 0, or 1 when a --fail-on condition holds, 2 bad input.')
    .argument('<inputs...>', 'files, directories (searched for .yaml/.yml/.json) or - for stdin')
    .addOption(new Option('-f, --format <format>', 'output format (json: schemas/threat-model/report.schema.json; threat-dragon: OWASP Threat Dragon v2; html: one self-contained page)').choices(['markdown', 'json', 'threat-dragon', 'html']).default('markdown'))
    .addOption(kubeVersionOption())
    .option('--title <title>', 'report title', 'Threat model')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <conditions>', 'exit 1 when: not-covered | no-evidence | blocking | expiring-within=<days> (repeatable or comma-separated)',
      (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-waiver-days <days>', `longest waiver the profile allows; longer waivers count as invalid (default ${DEFAULT_PROFILE.maxWaiverDays})`)
    .option('--allowed-registry <registry>', 'registry images may come from (repeatable); default: any registry', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--today <date>', 'judge waiver expiry as of this date, YYYY-MM-DD (default: today UTC)')
    .action(async (inputs: string[], opts: any) => {
      const failOn = parseFailOn(opts.failOn ?? []);
      let maxWaiverDays = DEFAULT_PROFILE.maxWaiverDays;
      if (opts.maxWaiverDays !== undefined) {
        maxWaiverDays = Number(opts.maxWaiverDays);
        if (!Number.isInteger(maxWaiverDays) || maxWaiverDays < 1) throw new InputError('--max-waiver-days', undefined, `"${opts.maxWaiverDays}" is not a positive whole number of days`);
      }
      if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(opts.today))) throw new InputError('--today', undefined, `"${opts.today}" is not a YYYY-MM-DD date`);
      const settings: PolicySettings = {
        allowedRegistries: opts.allowedRegistry ?? [],
        requireDigest: DEFAULT_PROFILE.requireDigest,
        podSecurityVersion: pssVersionFor(opts.kubeVersion),
        kubeVersion: opts.kubeVersion,
        maxWaiverDays,
      };
      const objects = await loadOperands(inputs, io, { kubeVersion: opts.kubeVersion });
      const model = ThreatModel.fromObjects(objects.map(o => o.object), { title: String(opts.title), settings, today: opts.today ?? todayUtc() });
      const out = opts.format === 'json' ? JSON.stringify(model.toJson(), null, 2) + '\n'
        : opts.format === 'threat-dragon' ? JSON.stringify(model.toThreatDragon(), null, 2) + '\n'
          : opts.format === 'html' ? await model.toHtml() : model.toMarkdown();
      if (opts.output) fs.writeFileSync(path.resolve(io.cwd, String(opts.output)), out);
      else io.stdout(out);
      const reasons = failOnReasons(model.data, failOn);
      for (const r of reasons) io.stderr(`cdk8s-hardened: report: --fail-on: ${r}\n`);
      setCode(reasons.length > 0 ? EXIT_FAIL_ON : 0);
    });
}
