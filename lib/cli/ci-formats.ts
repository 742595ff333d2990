import { createHash } from 'crypto';
import { Outcome, Severity } from '../policy/types';
import type { CheckResult, CheckStream, LocatedFinding } from './check';
import type { ReportStyle } from './text-report';

/** Workflow-command data: `%`, CR and LF escaped (GitHub Actions toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property: data escaping plus `:` and `,` (toolkit `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function label(f: LocatedFinding): string {
  const o = f.finding.object;
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/**
 * GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message` for each finding that fails the
 * run, `::warning` / `::notice` for the others; waived and baselined findings are not annotated. GitHub shows them
 * on the pull request's changed lines.
 */
export function writeGithub(result: CheckResult | CheckStream, write: (chunk: string) => void, style: ReportStyle = {}): void {
  let buf = '';
  let total = 0;
  let failing = 0;
  for (const f of result.findings) {
    total++;
    if (f.blocking) failing++;
    if (f.finding.waiver || f.baselined) continue;
    if (style.quiet && !f.blocking) continue;
    const cmd = f.blocking ? 'error' : f.finding.severity === Severity.INFO ? 'notice' : 'warning';
    const props = [`file=${escapeProperty(f.file)}`];
    if (f.location) props.push(`line=${f.location.line}`, `col=${f.location.column}`);
    props.push(`title=${escapeProperty(`${f.finding.ruleId}: ${f.finding.title}`)}`);
    const unevaluable = f.finding.outcome === Outcome.UNEVALUABLE ? '[unevaluable] ' : '';
    buf += `::${cmd} ${props.join(',')}::${escapeData(`${label(f)} at ${f.finding.path || '<object>'}: ${unevaluable}${f.finding.message}\nFix: ${f.finding.remediation}`)}\n`;
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  for (const e of result.inputErrors ?? []) {
    buf += `::error file=${escapeProperty(e.file)}${e.line !== undefined ? `,line=${e.line}` : ''},title=input::${escapeData(e.message)}\n`;
  }
  buf += `${result.objects} object(s) checked against ${result.rules.length} rule(s): ${failing} failing finding(s) of ${total}.\n`;
  write(buf);
}

const GITLAB_SEVERITY: { [s: string]: string } = {
  [Severity.ERROR]: 'critical',
  [Severity.WARNING]: 'minor',
  [Severity.INFO]: 'info',
};

/**
 * GitLab Code Quality report (a JSON array of Code Climate issues: description, check_name, fingerprint, severity,
 * location.path, location.lines.begin). A failing finding is `blocker`; waived and baselined findings are left out.
 * The fingerprint is the MD5 of the finding's stable fingerprint (and its occurrence), so GitLab compares runs by it.
 */
export function writeGitlab(result: CheckResult | CheckStream, write: (chunk: string) => void): void {
  const seen = new Map<string, number>();
  let buf = '[';
  let first = true;
  for (const f of result.findings) {
    if (f.finding.waiver || f.baselined) continue;
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    const issue = {
      type: 'issue',
      check_name: f.finding.ruleId,
      description: `${f.finding.ruleId}: ${label(f)} at ${f.finding.path || '<object>'}: ${f.finding.message} Fix: ${f.finding.remediation}`,
      categories: ['Security'],
      severity: f.blocking ? 'blocker' : GITLAB_SEVERITY[f.finding.severity] ?? 'info',
      fingerprint: createHash('md5').update(`${f.fingerprint}#${n}`).digest('hex'),
      location: { path: f.file, lines: { begin: f.location?.line ?? 1 } },
    };
    buf += `${first ? '' : ','}\n  ${JSON.stringify(issue)}`;
    first = false;
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  for (const e of result.inputErrors ?? []) {
    const issue = {
      type: 'issue', check_name: 'input', description: `input: ${e.message}`, categories: ['Bug Risk'], severity: 'blocker',
      fingerprint: createHash('md5').update(`input|${e.file}|${e.message}`).digest('hex'),
      location: { path: e.file, lines: { begin: e.line ?? 1 } },
    };
    buf += `${first ? '' : ','}\n  ${JSON.stringify(issue)}`;
    first = false;
  }
  write(`${buf}${first ? '' : '\n'}]\n`);
}
