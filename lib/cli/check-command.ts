import * as fs from 'fs';
import * as path from 'path';
import { parseKubeVersion } from '../kube/kube-version';
import { pssMinor, PSS_VERSIONS_TEXT } from '../kube/pss-versions';
import { PssLevel, Severity } from '../policy/types';
import { Baseline, BaselineEntry, baselineText } from './baseline';
import { collect, CheckOptions, streamCheck } from './check';
import { displayPath, findConfig, globToRegExp, HardenedConfig, ignoredBy, loadConfig } from './config';
import { formatterOf, renderStreamTo, renderTo, TOOL_NAME } from './formatters';
import { InputError, LoadedObject } from './input';
import type { CliIo } from './io';
import { resolveMaximums } from './maximums';
import { parseExclusionFlag, parseOverrideFlag, parseSeverity, RuleExclusion } from './selection';
import { useColor } from './text-report';
import { ExternalWaiver, loadWaiversFile } from './waivers-file';

type Loader = (operands: string[], io: CliIo, options: { verbose?: boolean; ignored?: (file: string) => boolean; kubeVersion?: string; own?: boolean }) =>
  Promise<{ objects: LoadedObject[]; errors: InputError[] }>;

/** The settings of one run: flags over the configuration file over the library defaults. */
export interface ResolvedRun {
  readonly options: CheckOptions;
  readonly config?: HardenedConfig;
  readonly ignored?: (file: string) => boolean;
}

function level(v: unknown, where: string): PssLevel | undefined {
  if (v === undefined) return undefined;
  if (v === PssLevel.BASELINE || v === PssLevel.RESTRICTED) return v;
  throw new InputError(where, undefined, `"${v}" is not a Pod Security Standards level (baseline | restricted)`);
}

/** Resolve the configuration file and the flags into check options (`opts`: commander's parsed flags). */
export function resolveRun(opts: any, io: CliIo): ResolvedRun {
  let config: HardenedConfig | undefined;
  if (opts.config !== false) {
    const file = typeof opts.config === 'string' ? path.resolve(io.cwd, opts.config) : findConfig(io.cwd);
    if (file) config = loadConfig(file, displayPath(file, io.cwd), io.cwd);
  }
  const c: Partial<HardenedConfig> = config ?? {};
  const rawKube = opts.kubeVersion ?? c.kubeVersion;
  const kubeFlag = opts.kubeVersion !== undefined ? '--kube-version' : 'kubeVersion';
  // Canonical (`1.<minor>`); unset means the newest, and the PSS version follows it (settingsFor).
  let kubeVersion: string | undefined;
  try {
    kubeVersion = rawKube !== undefined ? parseKubeVersion(rawKube, kubeFlag) : undefined;
  } catch (e) {
    throw new InputError(kubeFlag, undefined, (e as Error).message.replace(`${kubeFlag}: `, ''));
  }
  const psv = opts.podSecurityVersion ?? opts.pssVersion ?? c.podSecurityVersion;
  if (psv !== undefined && pssMinor(psv) === undefined) {
    const flag = opts.podSecurityVersion !== undefined ? '--pod-security-version' : opts.pssVersion !== undefined ? '--pss-version' : 'podSecurityVersion';
    throw new InputError(flag, undefined, `"${psv}" is not a Pod Security Standards version this catalogue implements (${PSS_VERSIONS_TEXT})`);
  }
  let maxWaiverDays: number | undefined = c.maxWaiverDays;
  if (opts.maxWaiverDays !== undefined) {
    maxWaiverDays = Number(opts.maxWaiverDays);
    if (!/^\d+$/.test(String(opts.maxWaiverDays)) || maxWaiverDays < 1) {
      throw new InputError('--max-waiver-days', undefined, `"${opts.maxWaiverDays}" must be a positive whole number of days`);
    }
  }
  const registries = opts.allowedRegistries || opts.allowedRegistry
    ? [...(opts.allowedRegistries ?? []), ...(opts.allowedRegistry ?? [])]
    : c.allowedRegistries;
  const exclude: RuleExclusion[] | undefined = opts.exclude ? (opts.exclude as string[]).map(parseExclusionFlag) : c.exclude;
  let severityOverrides = c.severityOverrides;
  if (opts.severityOverrides) {
    severityOverrides = {};
    for (const v of opts.severityOverrides as string[]) {
      const [rule, sev] = parseOverrideFlag(v);
      severityOverrides[rule] = sev;
    }
  }
  const fromFlags = opts.include || opts.exclude || opts.severityOverrides;
  let waivers: readonly ExternalWaiver[] | undefined = c.waivers;
  if (opts.waivers) {
    const wf = path.resolve(io.cwd, opts.waivers);
    waivers = loadWaiversFile(wf, displayPath(wf, io.cwd));
  }
  const baselineFile = opts.baseline ? path.resolve(io.cwd, opts.baseline) : c.baseline;
  const baseline = baselineFile ? Baseline.load(baselineFile, displayPath(baselineFile, io.cwd)) : undefined;
  let ignored: ((file: string) => boolean) | undefined;
  if (opts.ignorePaths) {
    const globs = (opts.ignorePaths as string[]).map(globToRegExp);
    ignored = f => ignoredBy(globs, f, io.cwd);
  } else if (c.ignorePaths && config) {
    const globs = c.ignorePaths.map(globToRegExp);
    const base = path.dirname(config.file);
    ignored = f => ignoredBy(globs, f, base);
  }
  const options: CheckOptions = {
    level: level(opts.level ?? c.level, opts.level !== undefined ? '--level' : 'level'),
    allowedRegistries: registries,
    requireDigest: opts.requireDigest ?? c.requireDigest,
    podSecurityVersion: psv,
    maxWaiverDays,
    ...resolveMaximums(opts, c),
    kubeVersion,
    failOn: parseSeverity(opts.failOn ?? c.failOn ?? Severity.ERROR, '--fail-on'),
    include: opts.include ?? c.include,
    exclude,
    severityOverrides,
    selectionSource: fromFlags ? 'flags' : config ? displayPath(config.file, io.cwd) : 'flags',
    waivers,
    baseline,
  };
  if (options.level && ((registries?.length ?? 0) > 0 || options.requireDigest !== undefined)) {
    io.stderr(`${TOOL_NAME}: warning: level ${options.level} runs only the Pod Security Standards controls of that level (and the waiver and ` +
      'token rules), so allowedRegistries and requireDigest judge nothing; leave level unset to run the whole catalogue\n');
  }
  return { options, config, ignored };
}

/** `check`: resolve settings, load the inputs, judge, write the report; returns the exit code. */
export async function runCheck(inputs: string[], opts: any, io: CliIo, load: Loader): Promise<number> {
  const { options, config, ignored } = resolveRun(opts, io);
  if (config) io.stderr(`${TOOL_NAME}: configuration: ${displayPath(config.file, io.cwd)}\n`);
  const { objects, errors } = await load(inputs, io, { verbose: opts.verbose === true, ignored, kubeVersion: options.kubeVersion, own: true });
  if (errors.length > 0 && objects.length === 0) {
    // Nothing readable: one line per bad input on stderr, no report.
    for (const e of errors.slice(0, -1)) io.stderr(`${TOOL_NAME}: error: ${e.message}\n`);
    throw errors[errors.length - 1];
  }
  if (objects.length === 0 && !opts.allowEmpty) {
    throw new InputError(inputs.join(' '), undefined,
      'no Kubernetes objects found (empty input, comments only, or only empty documents — e.g. a failed `helm template`); pass --allow-empty to accept that');
  }
  const record: BaselineEntry[] | undefined = opts.writeBaseline ? [] : undefined;
  const checked = streamCheck(objects, { ...options, recordBaseline: record });
  // The check judges its own copies (streamCheck): the objects as read are not needed any more, and a large input
  // should not hold both while it is judged.
  objects.length = 0;
  const stream = { ...checked, inputErrors: errors.map(e => ({ file: e.file, line: e.line, message: e.detail })) };
  for (const e of errors) io.stderr(`${TOOL_NAME}: error: ${e.message}\n`);
  const env = io.env ?? process.env;
  const format = String(opts.format);
  if (opts.output) {
    const fd = fs.openSync(path.resolve(io.cwd, String(opts.output)), 'w');
    try {
      const style = { quiet: opts.quiet === true };
      if (!formatterOf(format).machineReadable) {
        renderStreamTo(format, stream, chunk => { fs.writeSync(fd, chunk); }, style);
      } else {
        // The report goes to the file and a text summary of the same findings to stderr (CI logs): keep them for both.
        const result = collect(stream);
        renderTo(format, result, chunk => { fs.writeSync(fd, chunk); }, style);
        renderTo('text', result, io.stderr, { quiet: opts.quiet === true, color: false });
      }
    } finally {
      fs.closeSync(fd);
    }
  } else {
    renderStreamTo(format, stream, io.stdout, { quiet: opts.quiet === true, color: format === 'text' && useColor(io.isTTY, env) });
  }
  if (record) {
    const file = path.resolve(io.cwd, String(opts.writeBaseline));
    fs.writeFileSync(file, baselineText(record));
    io.stderr(`${TOOL_NAME}: wrote ${record.length} finding(s) to the baseline ${displayPath(file, io.cwd)}\n`);
    return errors.length > 0 ? 2 : 0;
  }
  return errors.length > 0 ? 2 : checked.counts.blocking > 0 ? 1 : 0;
}
