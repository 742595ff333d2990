import { Command, CommanderError, Option } from 'commander';
import { KUBE_VERSIONS_TEXT } from '../kube/kube-version';
import { PSS_VERSIONS_TEXT } from '../kube/pss-versions';
import { Catalogue } from '../policy/catalogue';
import { IRule, PssLevel } from '../policy/types';
import { registerAdmissionCommand } from './admission-command';
import { runCheck } from './check-command';
import { CONFIG_FILE_NAME, CONFIG_SCHEMA } from './config-schema';
import { formatNames, securitySeverity, toolVersion, TOOL_NAME } from './formatters';
import { InputError } from './input';
import { CliIo, EXIT_BAD_INPUT, EXIT_CLEAN, loadOperandsTolerant, processIo } from './io';
import { followKubeVersion } from './kube-version-option';
import { MAXIMUM_OPTIONS } from './maximums';
import { registerReportCommand } from './report-command';

export { EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, processIo, readStream, loadOperands, loadOperandsTolerant } from './io';
export type { CliIo } from './io';

/** Commander accumulator for comma-separated, repeatable list options. */
function list(v: string, acc: string[] | undefined): string[] {
  return [...(acc ?? []), ...v.split(',').map(x => x.trim()).filter(x => x.length > 0)];
}

export function parseLevel(v: string): PssLevel {
  if (v === PssLevel.BASELINE || v === PssLevel.RESTRICTED) return v;
  throw new InputError('--level', undefined, `"${v}" is not a Pod Security Standards level (baseline | restricted)`);
}

function ruleSummary(r: IRule) {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    stride: r.stride,
    pssLevel: r.pssLevel ?? null,
    securitySeverity: securitySeverity(r),
    appliesTo: r.appliesTo,
    waivable: r.waivable !== false,
    description: r.description,
    remediation: r.remediation,
    references: r.references,
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/**
 * Run the CLI with arguments (without `node` and the script) and return the exit code:
 * 0 clean, 1 blocking findings, 2 bad input or usage.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = EXIT_CLEAN;
  const program = buildProgram(io, c => { code = c; });
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT_BAD_INPUT;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return exitCodeOf(e, io);
  }
}

/** The command-line program with every command; a command's exit code goes to `setExitCode`. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name(TOOL_NAME)
    .description('Check Kubernetes manifests against the cdk8s-hardened rule catalogue.')
    .version(toolVersion())
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeOut: s => io.stdout(s), writeErr: s => io.stderr(s) });
  registerCheckCommand(program, io, setExitCode);
  registerReportCommand(program, io, setExitCode);
  registerRulesCommand(program, io);
  registerExplainCommand(program, io);
  registerConfigSchemaCommand(program, io);
  registerAdmissionCommand(program, { ...io, setExitCode });
  followKubeVersion(program.commands.find(c => c.name() === 'admission-policies'));
  return program;
}

/** `check`: the manifests against the catalogue. */
function registerCheckCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program.command('check')
    .description('Check YAML/JSON manifests (files, directories, or - for stdin). Exit 0 clean, 1 failing findings, 2 bad input.')
    .argument('<inputs...>', 'files, directories (searched for .yaml/.yml/.json; a kustomization is rendered with kubectl kustomize) or - for stdin (helm template output)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formatNames()).default('text'))
    .option('-c, --config <file>', `configuration file (default: ${CONFIG_FILE_NAME} in the working directory or the closest directory above it)`)
    .option('--no-config', 'use no configuration file')
    .option('-l, --level <level>', 'only the Pod Security Standards controls of this level (plus the unwaivable waiver and token rules): baseline | restricted')
    .option('--kube-version <version>', `Kubernetes version the manifests are for: ${KUBE_VERSIONS_TEXT}; decides the served apiVersions/kinds and, unless --pod-security-version is given, the Pod Security Standards version`)
    .option('--allowed-registries <registries>', 'registries images may come from, comma-separated (repeatable); default: any registry', list, undefined)
    .option('--allowed-registry <registry>', 'one allowed registry (repeatable; same as --allowed-registries)', list, undefined)
    .option('--require-digest', 'require images pinned by @sha256 digest (default)')
    .option('--no-require-digest', 'do not require image digests')
    .option('--pod-security-version <version>', `Pod Security Standards version the PSS rules judge by: ${PSS_VERSIONS_TEXT}; default: follows --kube-version`)
    .option('--pss-version <version>', 'same as --pod-security-version')
    .option('--max-waiver-days <days>', 'longest a waiver may run, in days; default 90')
    .option(...MAXIMUM_OPTIONS[0])
    .option(...MAXIMUM_OPTIONS[1])
    .option(...MAXIMUM_OPTIONS[2])
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run; default error').choices(['error', 'warning', 'info']))
    .option('--include <rules>', 'only these rules, comma-separated (repeatable), plus the rules that cannot be waived', list, undefined)
    .option('--exclude <rule=reason>', 'leave a rule out, with a reason of at least 20 characters (repeatable)', (v: string, acc: string[] = []) => [...acc, v], undefined)
    .option('--severity-overrides <rule=severity>', 'change a rule\'s severity (repeatable): raise any, or move between warning and info', list, undefined)
    .option('--ignore-paths <globs>', 'input files to skip, globs relative to the working directory (repeatable, comma-separated)', list, undefined)
    .option('--waivers <file>', 'waivers for manifests you do not own (YAML/JSON list of { ruleId, object: { kind, name, namespace }, path, reason, owner, expires })')
    .option('--baseline <file>', 'findings recorded in this baseline do not fail the run; they are listed apart')
    .option('--write-baseline <file>', 'record the findings of this run as the baseline (exit 0 unless the input is bad)')
    .option('-q, --quiet', 'print only the findings that fail the run (and the summary line)')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-v, --verbose', 'list the files and directories a directory walk skipped, with the reason')
    .option('--allow-empty', 'exit 0 when the input holds no Kubernetes object (default: exit 2, e.g. a failed `helm template` piped in)')
    .action(async (inputs: string[], opts: any) => {
      setExitCode(await runCheck(inputs, opts, io, loadOperandsTolerant));
    });
}

/** `rules`: the catalogue as a table or JSON. */
function registerRulesCommand(program: Command, io: CliIo): void {
  program.command('rules')
    .description('List the rule catalogue with severity, Pod Security level and STRIDE tags.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-l, --level <level>', 'only the Pod Security Standards controls of this level')
    .action((opts: any) => {
      const rules = opts.level !== undefined ? Catalogue.podSecurityRules(parseLevel(String(opts.level))) : Catalogue.all();
      if (opts.format === 'json') {
        io.stdout(JSON.stringify(rules.map(ruleSummary), null, 2) + '\n');
        return;
      }
      const w = Math.max(4, ...rules.map(r => r.id.length));
      io.stdout(`${pad('RULE', w)}  ${pad('SEVERITY', 8)}  ${pad('PSS', 10)}  STRIDE\n`);
      for (const r of rules) {
        io.stdout(`${pad(r.id, w)}  ${pad(r.severity, 8)}  ${pad(r.pssLevel ?? '-', 10)}  ${r.stride.join(', ')}\n`);
      }
      io.stdout(`${rules.length} rule(s). \`${TOOL_NAME} explain <rule>\` for details.\n`);
    });
}

/** `explain`: one rule in full. */
function registerExplainCommand(program: Command, io: CliIo): void {
  program.command('explain')
    .description('Explain one rule: what it checks, why, how to fix it, references.')
    .argument('<rule>', 'rule id, e.g. privileged-container')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((id: string, opts: any) => {
      const rule = Catalogue.find(id);
      if (!rule) {
        const near = Catalogue.all().map(r => r.id).filter(r => r.includes(id) || id.includes(r) || r.split('-')[0] === id.split('-')[0]);
        throw new InputError('explain', undefined, `unknown rule "${id}".${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Run \`${TOOL_NAME} rules\` for the list.`);
      }
      if (opts.format === 'json') {
        io.stdout(JSON.stringify(ruleSummary(rule), null, 2) + '\n');
        return;
      }
      io.stdout([
        `${rule.id}: ${rule.title}`,
        `  severity:     ${rule.severity} (security-severity ${securitySeverity(rule)})`,
        `  STRIDE:       ${rule.stride.join(', ')}`,
        `  PSS level:    ${rule.pssLevel ?? '-'}`,
        `  applies to:   ${rule.appliesTo.join(', ')}`,
        `  waivable:     ${rule.waivable !== false ? 'yes (annotation hardened.cdk8s.io/waivers)' : 'no'}`,
        '',
        `  ${rule.description}`,
        '',
        `  Fix: ${rule.remediation}`,
        '',
        '  References:',
        ...rule.references.map(r => `    - ${r}`),
        '',
      ].join('\n'));
    });
}

/** `config-schema`: the JSON Schema of the configuration file. */
function registerConfigSchemaCommand(program: Command, io: CliIo): void {
  program.command('config-schema')
    .description(`Print the JSON Schema of ${CONFIG_FILE_NAME} (for editors and CI validation).`)
    .action(() => { io.stdout(JSON.stringify(CONFIG_SCHEMA, null, 2) + '\n'); });
}

/**
 * The exit code of a run that threw, after saying why on stderr: help and version are clean; a usage error (already
 * printed by commander), bad input, a file-system error or an internal error is bad input.
 */
export function exitCodeOf(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_CLEAN;
    return EXIT_BAD_INPUT; // commander already printed the usage error
  }
  if (e instanceof InputError) {
    io.stderr(`${TOOL_NAME}: error: ${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
    io.stderr(`${TOOL_NAME}: error: ${err.path ?? ''}${err.path ? ': ' : ''}${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  io.stderr(`${TOOL_NAME}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  return EXIT_BAD_INPUT;
}

/** Entry point for bin/cdk8s-hardened.js. */
export function main(): void {
  const io = processIo();
  run(process.argv.slice(2), io).then(
    c => { process.exitCode = c; },
    e => { io.stderr(`${TOOL_NAME}: internal error: ${(e as Error)?.message ?? String(e)}\n`); process.exitCode = EXIT_BAD_INPUT; },
  );
}
