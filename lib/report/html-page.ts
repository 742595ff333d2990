/**
 * The shell of the self-contained HTML reports (`check -f html`, `report -f html`): one file, CSS and script inlined,
 * nothing fetched, so it opens from disk and in a CI artifact viewer. Semantic HTML (landmarks, captioned tables with
 * header cells, labelled controls), visible keyboard focus, colours that pass WCAG AA on their backgrounds (ratios in
 * COLOURS), and a print stylesheet that hides the controls and shows every row, so a review can be saved as PDF.
 */

/** Escapes text for HTML element content and attribute values. @internal */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]!));
}

/**
 * Foreground / background pairs of the pages. The contrast ratios (WCAG 2.x relative luminance) are asserted by
 * test/report/html.test.ts to be at least 4.5:1 (AA for normal text). @internal
 */
export const COLOURS = {
  text: ['#1b1f24', '#ffffff'],
  muted: ['#4d5561', '#ffffff'],
  link: ['#0b57a4', '#ffffff'],
  error: ['#8a1116', '#fde8e9'],
  warning: ['#6b4a00', '#fff3cd'],
  info: ['#0b4f79', '#e3f1fb'],
  ok: ['#12562b', '#e3f5e9'],
  neutral: ['#3d4450', '#eceff3'],
} as const;

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: ${COLOURS.text[0]}; background: ${COLOURS.text[1]}; }
a { color: ${COLOURS.link[0]}; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #0b57a4; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5em; }
.skip:focus { left: .5em; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 1px solid #d0d7de; padding-bottom: .5rem; }
h1 { font-size: 1.6rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
.meta { color: ${COLOURS.muted[0]}; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.badge { display: inline-block; border-radius: 3px; padding: 0 .4em; font-weight: 600; font-size: .85em; white-space: nowrap; }
.sev-error, .st-not-covered, .st-invalid { color: ${COLOURS.error[0]}; background: ${COLOURS.error[1]}; }
.sev-warning, .st-waived, .st-no-evidence { color: ${COLOURS.warning[0]}; background: ${COLOURS.warning[1]}; }
.sev-info, .st-assumed, .st-outside-this-app { color: ${COLOURS.info[0]}; background: ${COLOURS.info[1]}; }
.st-mitigated { color: ${COLOURS.ok[0]}; background: ${COLOURS.ok[1]}; }
.st-other { color: ${COLOURS.neutral[0]}; background: ${COLOURS.neutral[1]}; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; padding: 0; list-style: none; }
.cards li { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 9rem; }
.cards .n { display: block; font-size: 1.6rem; font-weight: 700; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: 1rem 0; padding: .75rem; background: #f3f5f8; border-radius: 6px; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; font-weight: 600; }
.filters input, .filters select, .filters button { font: inherit; padding: .25rem .4rem; border: 1px solid #6e7781; border-radius: 4px; background: #fff; color: inherit; }
.group { border: 1px solid #d0d7de; border-radius: 6px; margin: .6rem 0; padding: .25rem .75rem; }
.group > summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
.muted { color: ${COLOURS.muted[0]}; }
.diagram { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem; background: #fff; }
.diagram svg { max-width: 100%; height: auto; }
[hidden] { display: none !important; }
@media print {
  .filters, .skip, .no-print { display: none !important; }
  [data-row][hidden], .group[hidden] { display: revert !important; }
  details:not([open]) > *:not(summary) { display: block; }
  body { font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  tr, .group { break-inside: avoid; }
}
`;

/**
 * Filtering without a framework: every element with `data-row` is a filterable row, its `data-*` attributes hold the
 * values the selects filter by and `data-text` (or its text) what the search matches. Groups (`data-group`) hide when
 * none of their rows is visible; `#visible-count` tells how many rows show.
 */
const SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('[data-row]'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('[data-group]'));
  var count = document.getElementById('visible-count');
  function apply() {
    var q = (form.elements.namedItem('q').value || '').toLowerCase().trim();
    var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));
    var shown = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) { return !s.value || row.getAttribute('data-' + s.getAttribute('data-filter')) === s.value; });
      if (ok && q) ok = (row.getAttribute('data-text') || row.textContent || '').toLowerCase().indexOf(q) >= 0;
      row.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('[data-row]:not([hidden])'); });
    if (count) count.textContent = String(shown);
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  apply();
})();
`;

/** One filter select: a label, the attribute it filters on and its options. @internal */
export interface FilterSelect {
  readonly label: string;
  readonly attribute: string;
  readonly values: readonly string[];
}

/** The search box and selects of a page. @internal */
export function filterForm(selects: readonly FilterSelect[], total: number, noun: string): string {
  const sel = selects.map(s => `<label>${esc(s.label)}<select data-filter="${esc(s.attribute)}"><option value="">all</option>` +
    s.values.map(v => `<option value="${esc(v)}">${esc(v)}</option>`).join('') + '</select></label>').join('');
  return `<form id="filters" class="filters" role="search" aria-label="Filter ${esc(noun)}">` +
    `<label>Search<input type="search" name="q" placeholder="rule, object, path, text"></label>${sel}` +
    '<button type="reset">Clear</button>' +
    `<p class="muted" aria-live="polite" style="margin:0"><span id="visible-count">${total}</span> of ${total} ${esc(noun)} shown</p></form>`;
}

/** The whole document. @internal */
export function htmlPage(title: string, subtitle: string, body: string): string {
  return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // No network: nothing may be fetched (a CI artifact viewer may also forbid it).
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">' +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body>` +
    '<a class="skip" href="#main">Skip to content</a>' +
    `<header><h1>${esc(title)}</h1><p class="meta">${subtitle}</p></header>` +
    `<main id="main">${body}</main>` +
    '<footer><p class="muted">Generated by cdk8s-hardened. This page is self-contained: it loads nothing from the network.</p></footer>' +
    `<script>${SCRIPT}</script></body></html>\n`;
}

/** A horizontal bar chart as inline SVG with a text alternative. @internal */
export function barChart(title: string, bars: ReadonlyArray<{ label: string; value: number; cls: string }>): string {
  const max = Math.max(1, ...bars.map(b => b.value));
  const rowH = 26;
  const width = 480;
  const labelW = Math.max(70, 8 * Math.max(...bars.map(b => b.label.length)));
  const parts = bars.map((b, i) => {
    const w = Math.round((b.value / max) * (width - labelW - 50));
    const y = i * rowH;
    return `<text x="0" y="${y + 17}" font-size="13" fill="#1b1f24">${esc(b.label)}</text>` +
      `<rect class="${b.cls}" x="${labelW}" y="${y + 4}" width="${Math.max(w, 1)}" height="18" rx="2" fill="currentColor"></rect>` +
      `<text x="${labelW + Math.max(w, 1) + 6}" y="${y + 17}" font-size="13" fill="#1b1f24">${b.value}</text>`;
  });
  const alt = bars.map(b => `${b.label}: ${b.value}`).join(', ');
  return `<figure style="margin:0"><svg role="img" aria-label="${esc(title)}: ${esc(alt)}" width="${width}" height="${bars.length * rowH}" ` +
    `viewBox="0 0 ${width} ${bars.length * rowH}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${parts.join('')}</svg>` +
    `<figcaption class="muted">${esc(title)}</figcaption></figure>`;
}

/** `not covered` → `st-not-covered` (a CSS class for a status). @internal */
export function statusClass(status: string): string {
  const known = ['mitigated', 'waived', 'not covered', 'outside this app', 'no evidence', 'assumed', 'invalid'];
  return known.includes(status) ? `st-${status.replace(/\s+/g, '-')}` : 'st-other';
}
