/**
 * `cdk8s-hardened admission-policies [manifests...] [-o file] [--api-version v1|v1beta1]`: the catalogue as
 * ValidatingAdmissionPolicies (+ Bindings) in YAML, for clusters that do not use cdk8s. The manifests given are read for
 * their waivers only (valid, unexpired waivers are baked in; see lib/admission/generate.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import * as YAML from 'yaml';
import { describeExemption, Exemption, exemptionProblem, exemptionsOf, GenerateOptions, generatePolicies, generateRules, notEnforcedTable } from '../admission/generate';
import { formatImpact, impactOf } from '../admission/impact';
import { pssMinor, PSS_VERSIONS_TEXT } from '../kube/pss-versions';
import { DEFAULT_PROFILE } from '../policy/profile';
import { PolicySettings } from '../policy/types';
import { todayUtc } from '../policy/waiver-record';
import { expandOperands, InputError, parseSource, readInputFile } from './input';
import { MAXIMUM_OPTIONS, resolveMaximums } from './maximums';

/** What the command needs of the CLI's io. */
export interface AdmissionCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** The command's exit code when not 0 (--impact: 1 when a Deny policy would refuse an object). */
  readonly setExitCode?: (code: number) => void;
}

const collect = (v: string, acc: string[]) => [...acc, v];

/** `name=reason` of --exempt-namespace / --exempt-user. */
function parseExemption(flag: string, value: string, what: 'namespace' | 'user'): Exemption {
  const eq = value.indexOf('=');
  if (eq < 0) throw new InputError(flag, undefined, `"${value}" has no reason: write ${what}=reason (why it is accepted, at least 20 characters)`);
  const e: Exemption = { [what]: value.slice(0, eq), reason: value.slice(eq + 1) } as Exemption;
  const problem = exemptionProblem(e);
  if (problem) throw new InputError(flag, undefined, `"${value}": ${problem}`);
  return e;
}

/** Register the `admission-policies` subcommand on a commander program. */
export function registerAdmissionCommand(program: Command, io: AdmissionCommandIo): void {
  program.command('admission-policies')
    .description('Write the catalogue as ValidatingAdmissionPolicy + Binding YAML (rules judged on one object). Manifests given are read for their waivers.')
    .argument('[manifests...]', 'files or directories whose valid waivers are baked in (optional)')
    .option('-o, --output <file>', 'write the YAML to a file instead of stdout')
    .addOption(new Option('--api-version <version>', 'admissionregistration.k8s.io version: v1 (1.30+) or v1beta1 (1.28-1.29)').choices(['v1', 'v1beta1']).default('v1'))
    .option('--rule <id>', 'only this rule (repeatable); default: every rule judged at admission', collect, [] as string[])
    .option('--allowed-registry <registry>', 'registry images may come from (repeatable); default: any registry', collect, [] as string[])
    .option('--no-require-digest', 'do not require image digests')
    .option('--pss-version <version>', `Pod Security Standards version: ${PSS_VERSIONS_TEXT}; default: follows --kube-version (v1.36 for the default 1.36)`)
    .option(...MAXIMUM_OPTIONS[0])
    .option(...MAXIMUM_OPTIONS[1])
    .option(...MAXIMUM_OPTIONS[2])
    .option('--audit', 'Audit + Warn instead of Deny (the first step of a rollout; a profile in audit mode)')
    .option('--deny-rule <id>', 'with --audit: this rule Denies while the others Audit + Warn (repeatable): the rollout, rule by rule', collect, [] as string[])
    .option('--exempt-namespace <ns=reason>', 'namespace exempt from every policy, with the reason (repeatable), emitted as namespaceSelector', collect, [] as string[])
    .option('--exempt-user <user=reason>', 'user exempt from every policy, with the reason (repeatable), emitted as a matchCondition', collect, [] as string[])
    .option('--include-system', 'judge kube-system, kube-public, kube-node-lease and mirror pods too (default: exempt); then list each exemption you need with its reason')
    .option('--impact <dump...>', 'instead of writing policies: read what a cluster runs (kubectl get ... -A -o yaml) and list, per policy, every object it would refuse; exit 1 when a Deny policy would refuse one')
    .option('--generated-on <date>', 'generation date YYYY-MM-DD; waivers expiring before it are dropped (default: today UTC)')
    .option('--not-enforced', 'print the table of catalogue rules not enforced at admission, with the reason, and exit')
    .action((manifests: string[], opts: any) => {
      if (opts.pssVersion !== undefined && pssMinor(opts.pssVersion) === undefined) {
        throw new InputError('--pss-version', undefined, `"${opts.pssVersion}" is not a Pod Security Standards version this catalogue implements (${PSS_VERSIONS_TEXT})`);
      }
      if (opts.generatedOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(opts.generatedOn))) {
        throw new InputError('--generated-on', undefined, `"${opts.generatedOn}" is not a YYYY-MM-DD date`);
      }
      const settings: PolicySettings = {
        allowedRegistries: opts.allowedRegistry,
        requireDigest: opts.requireDigest !== false,
        podSecurityVersion: opts.pssVersion ?? DEFAULT_PROFILE.podSecurityVersion,
        ...(opts.kubeVersion !== undefined ? { kubeVersion: opts.kubeVersion } : {}),
        maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
        ...resolveMaximums(opts),
      };
      if (opts.notEnforced) {
        io.stdout(notEnforcedTable(settings) + '\n');
        return;
      }
      const exemptions = [
        ...opts.exemptNamespace.map((v: string) => parseExemption('--exempt-namespace', v, 'namespace')),
        ...opts.exemptUser.map((v: string) => parseExemption('--exempt-user', v, 'user')),
      ];
      const sources: any[] = [];
      for (const file of expandOperands(manifests, io.cwd)) {
        const name = path.relative(io.cwd, file) || file;
        for (const o of parseSource(name, readInputFile(file, name))) sources.push(o.object);
      }
      const options: GenerateOptions = {
        settings, apiVersion: opts.apiVersion, audit: !!opts.audit, ruleIds: opts.rule.length > 0 ? opts.rule : undefined,
        waiverSources: sources, generatedOn: opts.generatedOn ?? todayUtc(),
        exemptSystem: !opts.includeSystem, exemptions, denyRules: opts.denyRule,
      };
      let enforced: string[];
      try {
        enforced = generateRules(options).map(g => g.rule.id);
      } catch (e) {
        throw new InputError('--rule', undefined, (e as Error).message);
      }
      const badDeny = opts.denyRule.find((r: string) => !enforced.includes(r));
      if (badDeny !== undefined) throw new InputError('--deny-rule', undefined, `"${badDeny}" is not a rule these policies enforce (${enforced.join(', ')})`);
      const inForce = exemptionsOf(options);
      io.stderr(inForce.length === 0 ? 'admission-policies: no exemptions: every namespace and every requester is judged\n'
        : `admission-policies: not judged (policies' namespaceSelector / matchConditions, annotation hardened.cdk8s.io/exemptions):\n${inForce.map(e => `  ${describeExemption(e)}\n`).join('')}`);
      if (opts.impact) {
        const dump: any[] = [];
        for (const file of expandOperands(opts.impact, io.cwd)) {
          const name = path.relative(io.cwd, file) || file;
          for (const o of parseSource(name, readInputFile(file, name))) dump.push(o.object);
        }
        const report = impactOf(dump, options);
        io.stdout(formatImpact(report));
        if (report.policies.some(p => p.action === 'Deny' && p.objects.length > 0)) io.setExitCode?.(1);
        return;
      }
      const objects = generatePolicies(options);
      const yaml = objects.map(o => YAML.stringify(o, { lineWidth: 0 })).join('---\n');
      if (opts.output) {
        fs.writeFileSync(path.resolve(io.cwd, String(opts.output)), yaml);
        io.stderr(`wrote ${objects.length / 2} policies and bindings to ${opts.output}\n`);
      } else {
        io.stdout(yaml);
      }
    });
}
