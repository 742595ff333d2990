/**
 * `check -f html`: the check report as one self-contained page. It reads the JSON report (`check -f json`, the stable
 * contract), so every field it shows is one a CI job could also read: summary by severity, rule and namespace with a
 * chart; findings grouped by object, each rule's fix shown once (in the rule table) with a link to the rule's section
 * of docs/rules.md; waived and baselined findings apart, with owner and expiry; search and filters.
 */
import { barChart, esc, filterForm, htmlPage } from './html-page';

/** Where a rule's documentation is: its section of docs/rules.md in the repository. @internal */
export const RULES_DOC_URL = 'https://github.com/cdk8s-hardened/cdk8s-hardened/blob/main/docs/rules.md';

const SEVERITIES = ['error', 'warning', 'info'];

interface Row {
  readonly f: any;
  readonly objectKey: string;
  readonly objectLabel: string;
  readonly namespace: string;
  readonly state: 'failing' | 'non-blocking' | 'waived' | 'baselined';
}

function objectLabel(o: any): string {
  if (!o) return '(no object)';
  return `${o.kind ?? '?'} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? '?'}`;
}

function where(f: any): string {
  const loc = f.location ?? {};
  return loc.file ? `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}` : '';
}

function ruleLink(id: string): string {
  return `<a href="${RULES_DOC_URL}#${encodeURIComponent(String(id).toLowerCase())}"><code>${esc(id)}</code></a>`;
}

function sevBadge(sev: string): string {
  return `<span class="badge sev-${SEVERITIES.includes(sev) ? sev : 'info'}">${esc(sev)}</span>`;
}

function count<T>(items: readonly T[], key: (t: T) => string): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The page for a JSON check report (what `toJson` in lib/cli/formatters.ts returns). Baselined findings are those with
 * `baselined: true`, or those listed in the report's `baselined` array. @internal
 */
export function renderCheckHtml(report: any, title = 'cdk8s-hardened check'): string {
  const findings: any[] = Array.isArray(report?.findings) ? report.findings : [];
  const baselinedExtra: any[] = Array.isArray(report?.baselined) ? report.baselined : [];
  const rows: Row[] = [...findings.map(f => ({ f, baselined: f.baselined === true })), ...baselinedExtra.map(f => ({ f, baselined: true }))]
    .map(({ f, baselined }) => ({
      f,
      objectKey: `${where(f).replace(/:\d+$/, '')}|${objectLabel(f.object)}`,
      objectLabel: objectLabel(f.object),
      namespace: f.object?.namespace ?? '(cluster / none)',
      state: baselined ? 'baselined' : f.waiver ? 'waived' : f.blocking ? 'failing' : 'non-blocking',
    }));
  const open = rows.filter(r => r.state === 'failing' || r.state === 'non-blocking');
  const summary = report?.summary ?? {};

  const body: string[] = [];
  // Summary cards and chart.
  body.push('<section aria-labelledby="s-summary"><h2 id="s-summary">Summary</h2><ul class="cards">' +
    `<li><span class="n">${esc(summary.objects ?? '?')}</span>objects checked</li>` +
    `<li><span class="n">${esc(summary.rules ?? '?')}</span>rules</li>` +
    `<li><span class="n">${rows.filter(r => r.state === 'failing').length}</span>blocking</li>` +
    `<li><span class="n">${rows.filter(r => r.state === 'non-blocking').length}</span>non-blocking</li>` +
    `<li><span class="n">${rows.filter(r => r.state === 'waived').length}</span>waived</li>` +
    `<li><span class="n">${rows.filter(r => r.state === 'baselined').length}</span>baselined</li>` +
    (summary.inputErrors ? `<li><span class="n">${esc(summary.inputErrors)}</span>input errors</li>` : '') + '</ul>');
  body.push(barChart('Open findings by severity', SEVERITIES.map(s => ({ label: s, value: open.filter(r => r.f.severity === s).length, cls: `sev-${s}` }))));
  body.push('</section>');

  // Per rule: count, severity, the fix once.
  const rules = new Map<string, { f: any; open: number; accepted: number }>();
  for (const r of rows) {
    const e = rules.get(r.f.ruleId) ?? { f: r.f, open: 0, accepted: 0 };
    if (r.state === 'failing' || r.state === 'non-blocking') e.open++; else e.accepted++;
    rules.set(r.f.ruleId, e);
  }
  const ruleList = [...rules.entries()].sort((a, b) => SEVERITIES.indexOf(a[1].f.severity) - SEVERITIES.indexOf(b[1].f.severity) ||
    b[1].open - a[1].open || a[0].localeCompare(b[0]));
  body.push('<section aria-labelledby="s-rules"><h2 id="s-rules">By rule</h2>');
  if (ruleList.length === 0) body.push('<p>No findings.</p>');
  else {
    body.push('<table><caption>Findings per rule, with the fix (shown once per rule)</caption><thead><tr><th scope="col">rule</th>' +
      '<th scope="col">severity</th><th scope="col" class="num">open</th><th scope="col" class="num">waived / baselined</th><th scope="col">fix</th></tr></thead><tbody>');
    for (const [id, e] of ruleList) {
      body.push(`<tr id="rule-${esc(id)}"><th scope="row">${ruleLink(id)}<br><span class="muted">${esc(e.f.title)}</span></th>` +
        `<td>${sevBadge(e.f.severity)}</td><td class="num">${e.open}</td><td class="num">${e.accepted}</td><td>${esc(e.f.remediation)}</td></tr>`);
    }
    body.push('</tbody></table>');
  }
  body.push('</section>');

  // Per namespace.
  const perNs = count(open, r => r.namespace);
  body.push('<section aria-labelledby="s-ns"><h2 id="s-ns">By namespace</h2>');
  if (perNs.length === 0) body.push('<p>No open findings.</p>');
  else {
    body.push('<table><caption>Open findings per namespace and severity</caption><thead><tr><th scope="col">namespace</th>' +
      SEVERITIES.map(s => `<th scope="col" class="num">${s}</th>`).join('') + '</tr></thead><tbody>');
    for (const [ns] of perNs) {
      const inNs = open.filter(r => r.namespace === ns);
      body.push(`<tr><th scope="row">${esc(ns)}</th>${SEVERITIES.map(s => `<td class="num">${inNs.filter(r => r.f.severity === s).length}</td>`).join('')}</tr>`);
    }
    body.push('</tbody></table>');
  }
  body.push('</section>');

  // Findings grouped by object.
  body.push('<section aria-labelledby="s-findings"><h2 id="s-findings">Findings by object</h2>');
  body.push(filterForm([
    { label: 'Severity', attribute: 'severity', values: SEVERITIES },
    { label: 'State', attribute: 'state', values: ['failing', 'non-blocking', 'waived', 'baselined'] },
    { label: 'Rule', attribute: 'rule', values: [...rules.keys()].sort() },
    { label: 'Namespace', attribute: 'namespace', values: [...new Set(rows.map(r => r.namespace))].sort() },
  ], rows.length, 'findings'));
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(r.objectKey, [...(groups.get(r.objectKey) ?? []), r]);
  for (const [key, list] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const file = where(list[0].f).replace(/:\d+$/, '');
    body.push(`<details class="group" data-group open><summary>${esc(list[0].objectLabel)}` +
      `${file ? ` <span class="muted">— ${esc(file)}</span>` : ''} <span class="muted">(${list.length})</span></summary>`);
    body.push(`<table><caption class="muted">Findings on ${esc(list[0].objectLabel)}</caption><thead><tr><th scope="col">severity</th>` +
      '<th scope="col">rule</th><th scope="col">state</th><th scope="col">path</th><th scope="col">message</th><th scope="col">line</th></tr></thead><tbody>');
    for (const r of list) {
      const f = r.f;
      const state = r.state === 'waived' && f.waiver
        ? `waived — owner ${esc(f.waiver.owner)}, expires ${esc(f.waiver.expires)}<br><span class="muted">${esc(f.waiver.reason)}</span>`
        : esc(r.state);
      body.push(`<tr data-row data-severity="${esc(f.severity)}" data-state="${r.state}" data-rule="${esc(f.ruleId)}" ` +
        `data-namespace="${esc(r.namespace)}" data-text="${esc([f.ruleId, r.objectLabel, f.path, f.message, key].join(' ').toLowerCase())}">` +
        `<td>${sevBadge(f.severity)}</td><td>${ruleLink(f.ruleId)} <a href="#rule-${esc(f.ruleId)}" class="muted">fix</a></td>` +
        `<td>${state}</td><td><code>${esc(f.path || '<object>')}</code></td><td>${esc(f.message)}</td>` +
        `<td class="num">${esc(f.location?.line ?? '')}</td></tr>`);
    }
    body.push('</tbody></table></details>');
  }
  if (groups.size === 0) body.push('<p>No findings: every object passes every rule of this run.</p>');
  body.push('</section>');

  // Accepted: waivers and baseline, with owner and expiry.
  const accepted = rows.filter(r => r.state === 'waived' || r.state === 'baselined');
  body.push('<section aria-labelledby="s-accepted"><h2 id="s-accepted">Waived and baselined</h2>');
  if (accepted.length === 0) body.push('<p>None.</p>');
  else {
    body.push('<table><caption>Accepted findings (they do not fail the run)</caption><thead><tr><th scope="col">rule</th><th scope="col">object</th>' +
      '<th scope="col">kind</th><th scope="col">owner</th><th scope="col">expires</th><th scope="col">reason</th></tr></thead><tbody>');
    for (const r of accepted) {
      const w = r.f.waiver ?? {};
      body.push(`<tr><td>${ruleLink(r.f.ruleId)}</td><td>${esc(r.objectLabel)}</td><td>${r.state}</td><td>${esc(w.owner ?? '')}</td>` +
        `<td>${esc(w.expires ?? '')}</td><td>${esc(w.reason ?? (r.state === 'baselined' ? 'in the baseline' : ''))}</td></tr>`);
    }
    body.push('</tbody></table>');
  }
  body.push('</section>');

  const errors: any[] = Array.isArray(report?.inputErrors) ? report.inputErrors : [];
  if (errors.length > 0) {
    body.push('<section aria-labelledby="s-input"><h2 id="s-input">Input errors</h2><ul>' +
      errors.map(e => `<li><code>${esc(e.file)}${e.line !== undefined ? `:${esc(e.line)}` : ''}</code>: ${esc(e.message)}</li>`).join('') + '</ul></section>');
  }
  const subtitle = `${esc(report?.tool ?? 'cdk8s-hardened')} ${esc(report?.version ?? '')} · ${esc(summary.objects ?? 0)} objects, ` +
    `${esc(summary.rules ?? 0)} rules · ${rows.filter(r => r.state === 'failing').length} blocking finding(s)`;
  return htmlPage(title, subtitle, body.join('\n'));
}
