import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { ObjectMemo } from '../kube/cache';
import { formatFinding } from '../policy/engine';
import { IRule, Outcome, Severity, Stride } from '../policy/types';
import { CheckResult, CheckStream, collect, LocatedFinding } from './check';
import { writeGithub, writeGitlab } from './ci-formats';
import { ReportStyle, writeTextReport } from './text-report';

/** Tool name in reports. */
export const TOOL_NAME = 'cdk8s-hardened';
export const TOOL_URI = 'https://github.com/cdk8s-hardened/cdk8s-hardened';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Output formats of `check` (built in; more may be registered with registerFormatter). */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'gitlab', 'html'] as const;
export type Format = typeof FORMATS[number];

/**
 * One output format of `check`. `streaming` formats are handed the findings as they are judged (memory does not grow
 * with them); the others get a CheckResult with every finding kept.
 */
export interface Formatter {
  readonly name: string;
  readonly streaming: boolean;
  /** Whether a text summary also goes to stderr when the report is written to a file (`-o`). */
  readonly machineReadable: boolean;
  write(result: CheckResult | CheckStream, write: (chunk: string) => void, style: ReportStyle): void;
}

const REGISTRY = new Map<string, Formatter>();

/** Add an output format (e.g. html); its name becomes a `--format` choice. */
export function registerFormatter(f: Formatter): void {
  REGISTRY.set(f.name, f);
}

/** Every format name, built-in first. */
export function formatNames(): string[] {
  return [...REGISTRY.keys()];
}

export function formatterOf(name: string): Formatter {
  const f = REGISTRY.get(name);
  if (!f) throw new Error(`unknown format "${name}" (${formatNames().join(', ')})`);
  return f;
}

export function toolVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(require('../../package.json').version);
  } catch {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return String(require('../../../package.json').version);
    } catch {
      return '0.0.0';
    }
  }
}

export function render(format: Format, result: CheckResult): string {
  const parts: string[] = [];
  renderTo(format, result, s => { parts.push(s); });
  return parts.join('');
}

/**
 * Write a report in pieces (a report on hundreds of thousands of objects is larger than the longest string V8 can
 * build). json and sarif: the envelope is indented, each finding / SARIF result is one line (compact: a 45 MB input can
 * have millions of findings; pretty-printing them doubled the time and the size).
 */
export function renderTo(format: Format | string, result: CheckResult, write: (chunk: string) => void, style: ReportStyle = {}): void {
  formatterOf(format).write(result, write, style);
}

/**
 * Render a streamed check: streaming formats (text, SARIF, github, gitlab) are written as the objects are judged
 * (memory does not grow with the findings); the others (JSON, JUnit), which summarize before they list, keep the
 * findings first.
 */
export function renderStreamTo(format: Format | string, stream: CheckStream, write: (chunk: string) => void, style: ReportStyle = {}): void {
  const f = formatterOf(format);
  f.write(f.streaming ? stream : collect(stream), write, style);
}

const PLACEHOLDER = '\u0000items\u0000';

/** Stringify `doc` with 2-space indentation, streaming `items` (one per line) in place of the (empty) array `slot`, then a newline. */
function writeJsonWithArray(doc: any, slot: any[], items: Iterable<any>, write: (chunk: string) => void): void {
  const it = items[Symbol.iterator]();
  let next = it.next();
  if (next.done) {
    write(JSON.stringify(doc, null, 2) + '\n');
    return;
  }
  slot.push(PLACEHOLDER);
  const text = JSON.stringify(doc, null, 2);
  const marker = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(marker);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = text.slice(lineStart, at);
  write(text.slice(0, lineStart));
  let buf = '';
  let first = true;
  for (; !next.done; next = it.next()) {
    buf += (first ? '' : ',\n') + indent + JSON.stringify(next.value);
    first = false;
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  write(buf + text.slice(at + marker.length) + '\n');
}

function* lazyMap<T, U>(xs: Iterable<T>, f: (x: T) => U): Iterable<U> {
  for (const x of xs) yield f(x);
}

/** Text lines start with `file:line:column:`; the finding does not repeat the file. */
const NO_FILE = { withFile: false };

function where(f: LocatedFinding): string {
  return `${f.file}${f.location ? `:${f.location.line}:${f.location.column}` : ''}`;
}

function status(f: LocatedFinding): string {
  if (f.finding.waiver) return `waived (${f.finding.waiver.owner}, until ${f.finding.waiver.expires})`;
  if (f.finding.outcome === Outcome.UNEVALUABLE) return `${f.finding.severity} [unevaluable]`;
  return f.finding.severity;
}

export function toText(result: CheckResult, style: ReportStyle = {}): string {
  const parts: string[] = [];
  writeTextReport(result, s => { parts.push(s); }, style);
  return parts.join('');
}

function jsonFinding(f: LocatedFinding): any {
  return {
    ...f.finding,
    blocking: f.blocking,
    fingerprint: f.fingerprint,
    ...(f.baselined ? { baselined: true } : {}),
    location: { file: f.file, ...(f.location ? { line: f.location.line, column: f.location.column } : {}) },
  };
}

export function toJson(result: CheckResult, withFindings = true): any {
  return {
    tool: TOOL_NAME,
    version: toolVersion(),
    level: result.level ?? null,
    settings: result.settings,
    failOn: result.failOn ?? 'error',
    ...(result.kubeVersion !== undefined ? { kubeVersion: result.kubeVersion } : {}),
    ...(result.excluded?.length ? { excluded: result.excluded } : {}),
    summary: {
      objects: result.objects,
      rules: result.rules.length,
      findings: result.findings.length,
      blocking: result.blockingCount,
      waived: result.findings.filter(f => f.finding.waiver).length,
      baselined: result.findings.filter(f => f.baselined).length,
      inputErrors: result.inputErrors?.length ?? 0,
    },
    inputErrors: (result.inputErrors ?? []).map(e => ({ file: e.file, ...(e.line !== undefined ? { line: e.line } : {}), message: e.message })),
    findings: withFindings ? result.findings.map(jsonFinding) : [],
  };
}

const SARIF_LEVEL: { [s: string]: sarif.ReportingConfiguration.level } = {
  [Severity.ERROR]: 'error',
  [Severity.WARNING]: 'warning',
  [Severity.INFO]: 'note',
};

/** GitHub code scanning `security-severity` (0-10): critical >= 9, high >= 7, medium >= 4. */
export function securitySeverity(rule: Pick<IRule, 'severity' | 'stride'>): string {
  if (rule.severity === Severity.ERROR) return rule.stride.includes(Stride.ELEVATION_OF_PRIVILEGE) ? '9.0' : '8.0';
  if (rule.severity === Severity.WARNING) return '5.0';
  return '2.0';
}

function sarifRule(rule: IRule): sarif.ReportingDescriptor {
  const tags = ['security', 'kubernetes', ...rule.stride.map(s => `STRIDE/${s}`), ...(rule.pssLevel ? [`pss/${rule.pssLevel}`] : [])];
  return {
    id: rule.id,
    name: rule.id.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.remediation}\nReferences: ${rule.references.join('; ')}`,
      markdown: `${rule.remediation}\n\n**References:** ${rule.references.join('; ')}\n\n**STRIDE:** ${rule.stride.join(', ')}`,
    },
    helpUri: `${TOOL_URI}/blob/main/docs/rules.md#${rule.id}`,
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: { 'tags': tags, 'security-severity': securitySeverity(rule), 'precision': 'high', 'stride': rule.stride },
  };
}

/** SARIF artifact URI: relative paths stay relative (GitHub resolves them from the repo root); absolute become file:// URIs. */
export function artifactUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).href : encodeURI(file);
}

const RULE_INDEX = new ObjectMemo<CheckResult | CheckStream, Map<string, number>>();
function ruleIndex(result: CheckResult | CheckStream): Map<string, number> {
  let m = RULE_INDEX.get(result);
  if (!m) {
    m = new Map(result.rules.map((r, i) => [r.id, i]));
    RULE_INDEX.set(result, m);
  }
  return m;
}

function sarifResult(f: LocatedFinding, index: Map<string, number>, baselineUsed = false): sarif.Result {
  const o = f.finding.object;
  const logical = `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  const r: sarif.Result = {
    ruleId: f.finding.ruleId,
    ruleIndex: index.get(f.finding.ruleId),
    level: SARIF_LEVEL[f.finding.severity],
    kind: 'fail',
    message: {
      text: `${logical}${f.finding.path ? ` at ${f.finding.path}` : ''}: ${f.finding.outcome === Outcome.UNEVALUABLE ? '[unevaluable] ' : ''}${f.finding.message} Fix: ${f.finding.remediation}`,
    },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: artifactUri(f.file) },
        region: f.location ? { startLine: f.location.line, startColumn: f.location.column } : { startLine: 1 },
      },
      logicalLocations: [{ fullyQualifiedName: `${logical}${f.finding.path ? `.${f.finding.path}` : ''}`, kind: 'object' }],
    }],
    partialFingerprints: { 'cdk8sHardened/v1': f.fingerprint },
    properties: { outcome: f.finding.outcome, documentIndex: o.documentIndex, blocking: f.blocking },
  };
  if (baselineUsed) r.baselineState = f.baselined ? 'unchanged' : 'new';
  if (f.finding.waiver) {
    const w = f.finding.waiver;
    r.suppressions = [{ kind: 'inSource', status: 'accepted', justification: `${w.reason} (owner ${w.owner}, expires ${w.expires})` }];
  }
  return r;
}

export function toSarif(result: CheckResult | CheckStream, withResults = true): sarif.Log {
  const index = ruleIndex(result);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version: toolVersion(), informationUri: TOOL_URI, rules: result.rules.map(sarifRule) } },
      invocations: [{
        executionSuccessful: !(result.inputErrors?.length),
        toolExecutionNotifications: (result.inputErrors ?? []).map(e => ({
          level: 'error' as const,
          message: { text: e.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(e.file) }, region: { startLine: e.line ?? 1 } } }],
        })),
      }],
      results: withResults ? [...result.findings].map(f => sarifResult(f, index, result.baselineUsed === true)) : [],
      columnKind: 'unicodeCodePoints',
    }],
  };
}

function xml(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML: one test case per object (named by file, kind, namespace/name); a blocking finding
 * is a `<failure>`, other findings (warnings, waived) go to `<system-out>`.
 */
export function toJunit(result: CheckResult): string {
  const groups = new Map<string, { file: string; label: string; findings: LocatedFinding[] }>();
  for (const f of result.findings) {
    const o = f.finding.object;
    const key = `${f.file}#${o.documentIndex}#${o.kind}/${o.namespace ?? ''}/${o.name}`;
    if (!groups.has(key)) groups.set(key, { file: f.file, label: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`, findings: [] });
    groups.get(key)!.findings.push(f);
  }
  const failing = [...groups.values()].filter(g => g.findings.some(f => f.blocking));
  const cases: string[] = [];
  for (const g of groups.values()) {
    const block = g.findings.filter(f => f.blocking);
    const other = g.findings.filter(f => !f.blocking);
    let body = '';
    if (block.length > 0) {
      const text = block.map(f => `${where(f)}: ${formatFinding(f.finding, NO_FILE)}`).join('\n');
      body += `\n      <failure message="${xml(block.map(f => f.finding.ruleId).join(', '))}" type="${xml(block[0].finding.severity)}">${xml(text)}</failure>`;
    }
    if (other.length > 0) {
      body += `\n      <system-out>${xml(other.map(f => `${where(f)}: ${status(f)}: ${formatFinding(f.finding, NO_FILE)}`).join('\n'))}</system-out>`;
    }
    cases.push(`    <testcase classname="${xml(g.file)}" name="${xml(g.label)}">${body}${body ? '\n    ' : ''}</testcase>`);
  }
  for (const e of result.inputErrors ?? []) {
    const where = `${e.file}${e.line !== undefined ? `:${e.line}` : ''}`;
    cases.push(`    <testcase classname="${xml(e.file)}" name="${xml(`input ${where}`)}">\n      <error message="${xml(e.message)}" type="input">${xml(`${where}: ${e.message}`)}</error>\n    </testcase>`);
  }
  const errorCount = result.inputErrors?.length ?? 0;
  const clean = result.objects - groups.size;
  if (clean > 0) {
    cases.push(`    <testcase classname="${TOOL_NAME}" name="${clean} object(s) without findings"></testcase>`);
  }
  const tests = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${TOOL_NAME}" tests="${tests}" failures="${failing.length}" errors="${errorCount}">`,
    `  <testsuite name="${TOOL_NAME} check" tests="${tests}" failures="${failing.length}" errors="${errorCount}" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function writeJson(result: CheckResult, write: (chunk: string) => void): void {
  const doc = toJson(result, false);
  writeJsonWithArray(doc, doc.findings, result.findings.map(f => jsonFinding(f)), write);
}

function writeSarif(result: CheckResult | CheckStream, write: (chunk: string) => void): void {
  const doc = toSarif(result, false);
  const index = ruleIndex(result);
  const base = result.baselineUsed === true;
  writeJsonWithArray(doc, doc.runs[0].results!, lazyMap(result.findings, f => sarifResult(f, index, base)), write);
}

registerFormatter({ name: 'text', streaming: true, machineReadable: false, write: (r, w, s) => writeTextReport(r, w, s) });
registerFormatter({ name: 'json', streaming: false, machineReadable: true, write: (r, w) => writeJson(r as CheckResult, w) });
registerFormatter({ name: 'sarif', streaming: true, machineReadable: true, write: (r, w) => writeSarif(r, w) });
registerFormatter({ name: 'junit', streaming: false, machineReadable: true, write: (r, w) => w(toJunit(r as CheckResult)) });
registerFormatter({ name: 'github', streaming: true, machineReadable: false, write: (r, w, s) => writeGithub(r, w, s) });
registerFormatter({ name: 'gitlab', streaming: true, machineReadable: true, write: (r, w) => writeGitlab(r, w) });
// One self-contained page (lib/report/check-html.ts), read from the JSON report; its renderer loads only when asked for.
registerFormatter({
  name: 'html', streaming: false, machineReadable: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  write: (r, w) => w(require('../report/check-html').renderCheckHtml(toJson(r as CheckResult))),
});
