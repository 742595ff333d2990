import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { Catalogue } from '../policy/catalogue';
import { PSS_VERSIONS_TEXT } from '../policy/rules/pod-security/versions';
import { IRule, PssLevel } from '../policy/types';
import { followKubeVersion } from './kube-version-option';
import { registerAdmissionCommand } from './admission-command';
import { registerReportCommand } from './report-command';
import { displayName } from './check';
import { runCheck } from './check-command';
import { CONFIG_FILE_NAME, CONFIG_SCHEMA } from './config-schema';
import { KUBE_VERSIONS_TEXT } from '../policy/kube-version';
import { formatNames, securitySeverity, toolVersion, TOOL_NAME } from './formatters';
import { expandOperands, InputError, LoadedObject, WalkNotes, appendAll, MAX_INPUT_BYTES, parseSource, readInputFile, STDIN_NAME, tooLarge } from './input';
import { helmMessage, renderedKind, renderKustomize } from './rendered';

/** Exit codes, independent of the output format. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

/** Where the CLI reads and writes; injectable so tests run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Read all of standard input (for the `-` operand). */
  readonly readStdin: () => Promise<Buffer>;
  readonly cwd: string;
  /**
   * Whether standard output is a terminal (colours are used only then, and never with NO_COLOR).
   * @default false
   */
  readonly isTTY?: boolean;
  /** Environment (NO_COLOR). @default process.env */
  readonly env?: { readonly [k: string]: string | undefined };
}

/** Exit status when the reader of standard output went away (`check ... | head`): 128 + SIGPIPE, as a shell tool. */
export const EXIT_BROKEN_PIPE = 141;

let pipeWatched = false;

/** The process' own io. */
export function processIo(): CliIo {
  if (!pipeWatched) {
    pipeWatched = true;
    // The reader of a pipe closed it (e.g. `| head`): end quietly with 141, never with a stack trace.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
        throw e;
      });
    }
  }
  return {
    stdout: t => { process.stdout.write(t); },
    stderr: t => { process.stderr.write(t); },
    readStdin: () => readStream(process.stdin),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
}

/** Read a stream fully, failing fast once it exceeds the input size limit. */
export function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      size += b.length;
      if (size > MAX_INPUT_BYTES) {
        reject(tooLarge(STDIN_NAME, size));
        (stream as any).destroy?.();
        return;
      }
      chunks.push(b);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Load every operand (files, directories, `-` for stdin) into objects. Throws InputError on bad input. */
export async function loadOperands(operands: string[], io: CliIo, options: { kubeVersion?: string } = {}): Promise<LoadedObject[]> {
  const inputs = expandOperands(operands, io.cwd);
  const objects: LoadedObject[] = [];
  let stdinRead = false;
  for (const input of inputs) {
    if (input === '-') {
      if (stdinRead) throw new InputError(STDIN_NAME, undefined, '`-` (stdin) given more than once');
      stdinRead = true;
      const data = await io.readStdin();
      appendAll(objects, parseSource(STDIN_NAME, data, { kubeVersion: options.kubeVersion }));
    } else {
      const name = displayName(input, io.cwd);
      appendAll(objects, parseSource(name, readInputFile(input, name), { kubeVersion: options.kubeVersion }));
    }
  }
  return objects;
}

/**
 * Load every operand, continuing past bad ones: one bad file never hides the findings of the others.
 * Each bad operand (missing, unreadable, refused) becomes an error entry.
 */
export async function loadOperandsTolerant(operands: string[], io: CliIo,
  options: { verbose?: boolean; kubeVersion?: string; ignored?: (file: string) => boolean } = {}): Promise<{ objects: LoadedObject[]; errors: InputError[] }> {
  const objects: LoadedObject[] = [];
  const errors: InputError[] = [];
  let stdinRead = false;
  for (const operand of operands) {
    let inputs: string[];
    const notes: WalkNotes = { skipped: [], leftTree: [], charts: [] };
    try {
      // A Helm chart or a kustomization is not manifests until rendered: say how (Helm), or render it (kustomize).
      const abs = operand === '-' ? undefined : path.resolve(io.cwd, operand);
      const rendered = abs && fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? renderedKind(abs) : undefined;
      if (rendered === 'helm') throw new InputError(operand, undefined, helmMessage(operand));
      if (rendered === 'kustomize') {
        const name = `${displayName(abs!, io.cwd)} (kubectl kustomize)`;
        const out = renderKustomize(abs!, operand);
        io.stderr(`${TOOL_NAME}: ${operand} is a kustomization: checking what \`kubectl kustomize ${operand}\` renders\n`);
        appendAll(objects, parseSource(name, out, { kubeVersion: options.kubeVersion }));
        continue;
      }
      inputs = expandOperands([operand], io.cwd, notes);
      // A directory walk never leaves the tree it was given without saying so; what it passed over, with --verbose.
      for (const l of notes.leftTree) io.stderr(`${TOOL_NAME}: warning: ${l}: symbolic link leaves ${operand} (read)\n`);
      for (const c of notes.charts ?? []) {
        io.stderr(`${TOOL_NAME}: warning: ${c}: Helm chart not read (templates are not manifests); check it with: helm template my-release ${c} | ${TOOL_NAME} check -\n`);
      }
      if (options.verbose) for (const k of notes.skipped) io.stderr(`${TOOL_NAME}: skipped ${k}\n`);
      if (options.ignored) {
        const kept = inputs.filter(i => i === '-' || !options.ignored!(i));
        if (options.verbose) {
          for (const i of inputs) if (!kept.includes(i)) io.stderr(`${TOOL_NAME}: skipped ${displayName(i, io.cwd)}: ignorePaths\n`);
        } else if (kept.length < inputs.length) {
          // Never silent: what ignorePaths hides is counted on every run.
          io.stderr(`${TOOL_NAME}: ${inputs.length - kept.length} file(s) of ${operand} skipped by ignorePaths (--verbose lists them)\n`);
        }
        inputs = kept;
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
      continue;
    }
    for (const input of inputs) {
      try {
        if (input === '-') {
          if (stdinRead) throw new InputError(STDIN_NAME, undefined, '`-` (stdin) given more than once');
          stdinRead = true;
          appendAll(objects, parseSource(STDIN_NAME, await io.readStdin(), { kubeVersion: options.kubeVersion }));
        } else {
          const name = displayName(input, io.cwd);
          appendAll(objects, parseSource(name, readInputFile(input, name), { kubeVersion: options.kubeVersion }));
        }
      } catch (e) {
        if (e instanceof InputError) {
          errors.push(e);
          continue;
        }
        const err = e as NodeJS.ErrnoException;
        if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
          errors.push(new InputError(input === '-' ? STDIN_NAME : displayName(input, io.cwd), undefined, err.message));
          continue;
        }
        throw e;
      }
    }
  }
  return { objects, errors };
}

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
  run(process.argv.slice(2), processIo()).then(
    c => { process.exitCode = c; },
    e => { process.stderr.write(`${TOOL_NAME}: internal error: ${(e as Error)?.message ?? String(e)}\n`); process.exitCode = EXIT_BAD_INPUT; },
  );
}
