import { Outcome, Severity } from '../policy/types';
import type { CheckResult, CheckStream, LocatedFinding } from './check';
import { severityRank } from './selection';

/** How a report is written beyond its format: colours (only on a terminal, never with NO_COLOR), quiet. */
export interface ReportStyle {
  /** ANSI colours. @default false */
  readonly color?: boolean;
  /** Only the findings that fail the run (and the summary line). @default false */
  readonly quiet?: boolean;
}

/** Colours on a terminal only, and never when NO_COLOR is set to anything but the empty string (no-color.org). */
export function useColor(isTTY: boolean | undefined, env: { [k: string]: string | undefined } = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY === true && env.TERM !== 'dumb';
}

const ANSI = { red: '31', yellow: '33', cyan: '36', dim: '2', bold: '1' } as const;

function painter(on: boolean) {
  return (code: keyof typeof ANSI, s: string) => (on ? `\u001b[${ANSI[code]}m${s}\u001b[0m` : s);
}

function objectLabel(f: LocatedFinding): string {
  const o = f.finding.object;
  let s = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  if (o.constructPath) s += ` (construct ${o.constructPath})`;
  if (o.listItem) s += ` (list ${o.listItem})`;
  return s;
}

function statusOf(f: LocatedFinding): string {
  if (f.finding.waiver) return `waived ${f.finding.severity} (${f.finding.waiver.owner}, until ${f.finding.waiver.expires})`;
  if (f.baselined) return `baselined ${f.finding.severity}`;
  return f.finding.severity + (f.finding.outcome === Outcome.UNEVALUABLE ? ' [unevaluable]' : '');
}

interface RuleCount { severity: string; findings: number; failing: number; waived: number; baselined: number }

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/**
 * Text report: findings grouped per file and object (in input order, streamed), each rule's fix printed once (at its
 * first finding), baselined findings listed apart, then a table per rule and severity and the summary line.
 */
export function writeTextReport(result: CheckResult | CheckStream, write: (chunk: string) => void, style: ReportStyle = {}): void {
  const paint = painter(style.color === true);
  let lines: string[] = [];
  let size = 0;
  const push = (line: string) => {
    lines.push(line);
    size += line.length;
    // Small chunks: the lines held until written are young garbage, not a heap the collector copies again and again.
    if (size > 1 << 16) {
      write(lines.join(''));
      lines = [];
      size = 0;
    }
  };
  let total = 0;
  let blocking = 0;
  let waived = 0;
  let baselinedCount = 0;
  const fixed = new Set<string>();
  const perRule = new Map<string, RuleCount>();
  const baselined: LocatedFinding[] = [];
  let file: string | undefined;
  let objectKey: string | undefined;
  let lastRef: object | undefined;
  let lastFile: string | undefined;
  // The findings of one object (they arrive together): failing first, then by severity and line.
  let pending: LocatedFinding[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    pending.sort((a, b) => Number(b.blocking) - Number(a.blocking) || severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
    const first = pending[0];
    if (first.file !== file) {
      file = first.file;
      push(`${paint('bold', first.file)}\n`);
    }
    push(`  ${objectLabel(first)}\n`);
    for (const f of pending) {
      const at = f.location ? `${f.location.line}:${f.location.column}` : '-';
      const st = statusOf(f);
      const colored = f.blocking ? paint('red', st) : f.finding.waiver ? paint('dim', st)
        : f.finding.severity === Severity.INFO ? paint('cyan', st) : paint('yellow', st);
      push(`    ${pad(at, 9)} ${colored}  ${f.finding.ruleId}  ${f.finding.path || '<object>'}: ${f.finding.message}\n`);
      if (!fixed.has(f.finding.ruleId)) {
        fixed.add(f.finding.ruleId);
        push(`              ${paint('dim', 'fix:')} ${f.finding.remediation}\n`);
      }
    }
    pending = [];
  };
  for (const f of result.findings) {
    total++;
    if (f.blocking) blocking++;
    if (f.finding.waiver) waived++;
    if (f.baselined) baselinedCount++;
    let c = perRule.get(f.finding.ruleId);
    if (!c) perRule.set(f.finding.ruleId, c = { severity: f.finding.severity, findings: 0, failing: 0, waived: 0, baselined: 0 });
    c.findings++;
    if (f.blocking) c.failing++;
    if (f.finding.waiver) c.waived++;
    if (f.baselined) {
      c.baselined++;
      if (!style.quiet) baselined.push(f);
      continue;
    }
    if (style.quiet && !f.blocking) continue;
    const o = f.finding.object;
    // The findings of one object share its ref: the key is built once per object.
    if (o !== lastRef || f.file !== lastFile) {
      lastRef = o;
      lastFile = f.file;
      const key = `${f.file}|${o.documentIndex}|${o.listItem ?? ''}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
      if (key !== objectKey) {
        flush();
        objectKey = key;
      }
    }
    pending.push(f);
  }
  flush();
  if (baselined.length > 0) {
    push(`\n${paint('bold', `Baselined (${baselined.length}, accepted in the baseline; they do not fail):`)}\n`);
    for (const f of baselined) {
      push(`  ${f.file}${f.location ? `:${f.location.line}` : ''}  ${f.finding.severity}  ${f.finding.ruleId}  ${objectLabel(f)} at ${f.finding.path || '<object>'}\n`);
    }
  }
  if (!style.quiet && perRule.size > 0) {
    const rows = [...perRule.entries()]
      .sort((a, b) => severityRank(b[1].severity) - severityRank(a[1].severity) || b[1].findings - a[1].findings || (a[0] < b[0] ? -1 : 1));
    const w = Math.max(4, ...rows.map(r => r[0].length));
    push(`\n${pad('RULE', w)}  SEVERITY  FINDINGS  FAILING  WAIVED  BASELINED\n`);
    for (const [id, r] of rows) {
      push(`${pad(id, w)}  ${pad(r.severity, 8)}  ${pad(String(r.findings), 8)}  ${pad(String(r.failing), 7)}  ${pad(String(r.waived), 6)}  ${r.baselined}\n`);
    }
    push('\n');
  }
  for (const e of result.inputErrors ?? []) push(`${e.file}${e.line !== undefined ? `:${e.line}` : ''}: error: input: ${e.message}\n`);
  const errors = result.inputErrors?.length ? `, ${result.inputErrors.length} input error(s)` : '';
  const base = result.baselineUsed ? `, ${baselinedCount} baselined` : '';
  const failOn = result.failOn && result.failOn !== Severity.ERROR ? ` (failing on ${result.failOn} and above)` : '';
  const excluded = result.excluded?.length ? ` ${result.excluded.length} rule(s) excluded by configuration: ${result.excluded.map(e => e.rule).join(', ')}.` : '';
  const summary = `${result.objects} object(s) checked against ${result.rules.length} rule(s): ` +
    `${blocking} blocking finding(s)${failOn}, ${total - blocking - waived - baselinedCount} non-blocking, ${waived} waived${base}${errors}.${excluded}\n`;
  push(blocking > 0 ? paint('red', summary.slice(0, -1)) + '\n' : summary);
  write(lines.join(''));
}
