/**
 * `cdk8s-hardened admission-policies [manifests...] [-o file] [--api-version v1|v1beta1]`: the catalogue as
 * ValidatingAdmissionPolicies (+ Bindings) in YAML, for clusters that do not use cdk8s. The manifests given are read for
 * their waivers only (valid, unexpired waivers are baked in; see lib/admission/generate.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import * as YAML from 'yaml';
import { generatePolicies, notEnforcedTable } from '../admission/generate';
import { DEFAULT_PROFILE } from '../policy/profile';
import { pssMinor, PSS_VERSIONS_TEXT } from '../policy/rules/pod-security/versions';
import { todayUtc } from '../policy/waiver-record';
import { PolicySettings } from '../policy/types';
import { expandOperands, InputError, parseSource, readInputFile } from './input';

/** What the command needs of the CLI's io. */
export interface AdmissionCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

const collect = (v: string, acc: string[]) => [...acc, v];

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
    .option('--pss-version <version>', `Pod Security Standards version: ${PSS_VERSIONS_TEXT}; default v1.28`)
    .option('--audit', 'Audit + Warn instead of Deny (a profile in audit mode)')
    .option('--exempt-namespace <ns>', 'namespace exempt from every policy (repeatable), emitted as namespaceSelector', collect, [] as string[])
    .option('--exempt-user <user>', 'user exempt from every policy (repeatable), emitted as a matchCondition', collect, [] as string[])
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
        maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
      };
      if (opts.notEnforced) {
        io.stdout(notEnforcedTable(settings) + '\n');
        return;
      }
      const sources: any[] = [];
      for (const file of expandOperands(manifests, io.cwd)) {
        const name = path.relative(io.cwd, file) || file;
        for (const o of parseSource(name, readInputFile(file, name))) sources.push(o.object);
      }
      let objects: any[];
      try {
        objects = generatePolicies({
          settings, apiVersion: opts.apiVersion, audit: !!opts.audit, ruleIds: opts.rule.length > 0 ? opts.rule : undefined,
          waiverSources: sources, generatedOn: opts.generatedOn ?? todayUtc(),
          exemptNamespaces: opts.exemptNamespace, exemptUsers: opts.exemptUser,
        });
      } catch (e) {
        throw new InputError('--rule', undefined, (e as Error).message);
      }
      const yaml = objects.map(o => YAML.stringify(o, { lineWidth: 0 })).join('---\n');
      if (opts.output) {
        fs.writeFileSync(path.resolve(io.cwd, String(opts.output)), yaml);
        io.stderr(`wrote ${objects.length / 2} policies and bindings to ${opts.output}\n`);
      } else {
        io.stdout(yaml);
      }
    });
}
