/**
 * `report -f html` / `ThreatModel.toHtml()`: the threat model as one self-contained page. It reads the model's JSON
 * (`ThreatModel.toJson()`, the published contract): the data-flow diagram rendered as SVG (dfd.ts), per threat and
 * asset the status with its evidence, the assumptions, and the accepted risks with owner, approver and expiry.
 */
import { renderDfdSvg } from './dfd';
import { barChart, esc, filterForm, htmlPage, statusClass } from './html-page';

const STATUS_ORDER = ['not covered', 'invalid', 'no evidence', 'waived', 'assumed', 'outside this app', 'mitigated'];

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function evidenceOf(a: any): string[] {
  const out: string[] = [];
  for (const e of list(a.evidence)) out.push(typeof e === 'string' ? e : text(e.text ?? e.description ?? e.object ?? e));
  for (const f of list(a.findings)) out.push(`${f.ruleId} on ${f.object} at ${f.path || '<object>'}: ${f.message}`);
  for (const r of list(a.acceptedRisks)) {
    out.push(`waived ${r.ruleId} on ${r.object} (owner ${r.owner}${r.approver ? `, approved by ${r.approver}` : ''}, expires ${r.expires}): ${r.reason}`);
  }
  for (const m of list(a.mitigatedBy)) out.push(text(m));
  if (a.assumption) out.push(`assumed: ${text(a.assumption)}`);
  if (a.nextStep) out.push(`next: ${a.nextStep}`);
  return out;
}

/** The page for a threat model's JSON. @internal */
export async function renderThreatHtml(model: any): Promise<string> {
  const threats = list(model?.threats);
  const assets = list(model?.assets);
  const assessments = list(model?.assessments);
  const assetName = new Map(assets.map(a => [a.id, a.name]));
  const statuses = [...new Set(assessments.map(a => String(a.status)))]
    .sort((a, b) => (STATUS_ORDER.indexOf(a) + 99) % 99 - (STATUS_ORDER.indexOf(b) + 99) % 99 || a.localeCompare(b));
  const body: string[] = [];

  body.push('<section aria-labelledby="s-summary"><h2 id="s-summary">Summary</h2><ul class="cards">' +
    `<li><span class="n">${esc(model?.objects ?? 0)}</span>objects</li><li><span class="n">${assets.length}</span>assets</li>` +
    `<li><span class="n">${list(model?.flows).length}</span>permitted flows</li><li><span class="n">${threats.length}</span>threats</li></ul>`);
  body.push(barChart('Assessments by status', statuses.map(s => ({ label: s, value: assessments.filter(a => a.status === s).length, cls: statusClass(s) }))));
  body.push('<table><caption>Status per threat</caption><thead><tr><th scope="col">threat</th><th scope="col">STRIDE</th>' +
    statuses.map(s => `<th scope="col" class="num">${esc(s)}</th>`).join('') + '</tr></thead><tbody>');
  for (const t of threats) {
    const of = assessments.filter(a => a.threatId === t.id);
    body.push(`<tr><th scope="row"><a href="#t-${esc(t.id)}">${esc(t.id)}</a> ${esc(t.title)}</th><td>${esc(t.stride)}</td>` +
      statuses.map(s => `<td class="num">${of.filter(a => a.status === s).length}</td>`).join('') + '</tr>');
  }
  body.push('</tbody></table></section>');

  body.push('<section aria-labelledby="s-dfd"><h2 id="s-dfd">Data-flow diagram</h2>' +
    '<p class="muted">Dashed regions are trust boundaries; shaded boxes are external entities; cylinders are data stores; ' +
    'edges are the flows the manifests permit, labelled with their ports and, where the manifests say so, TLS and authentication.</p>' +
    `<div class="diagram">${await renderDfdSvg({ nodes: list(model?.nodes), flows: list(model?.flows), boundaries: list(model?.boundaries) })}</div>`);
  const flows = list(model?.flows);
  if (flows.length > 0) {
    const label = new Map(list(model?.nodes).map(n => [n.id, n.label]));
    body.push('<table><caption>Permitted flows</caption><thead><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">ports</th>' +
      '<th scope="col">protection</th><th scope="col">permitted by</th></tr></thead><tbody>');
    for (const f of flows) {
      const protection = [f.protocol, f.tls, f.authentication ?? f.auth].filter(Boolean).map(text).join(', ');
      body.push(`<tr><td>${esc(label.get(f.from) ?? f.from)}</td><td>${esc(label.get(f.to) ?? f.to)}</td><td>${esc(f.ports)}</td>` +
        `<td>${esc(protection)}</td><td>${esc(f.via)}</td></tr>`);
    }
    body.push('</tbody></table>');
  }
  body.push('</section>');

  body.push('<section aria-labelledby="s-threats"><h2 id="s-threats">Threats per asset</h2>');
  body.push(filterForm([
    { label: 'Status', attribute: 'status', values: statuses },
    { label: 'STRIDE', attribute: 'stride', values: [...new Set(threats.map(t => String(t.stride)))].sort() },
    { label: 'Threat', attribute: 'threat', values: threats.map(t => String(t.id)) },
  ], assessments.length, 'assessments'));
  for (const t of threats) {
    const of = assessments.filter(a => a.threatId === t.id)
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || String(a.assetId).localeCompare(String(b.assetId)));
    const techniques = list(t.techniques).map(text);
    body.push(`<details class="group" data-group open id="t-${esc(t.id)}"><summary>${esc(t.id)} — ${esc(t.title)} ` +
      `<span class="muted">(${esc(t.stride)}${techniques.length ? `; ${esc(techniques.join(', '))}` : ''})</span></summary>` +
      `<p>${esc(t.description)}</p>` +
      (list(t.rules).length ? `<p class="muted">Rules: ${list(t.rules).map(r => `<code>${esc(r)}</code>`).join(', ')}</p>` : ''));
    if (of.length === 0) body.push('<p class="muted">No asset of this app is exposed to it.</p>');
    else {
      body.push(`<table><caption class="muted">Assessments of ${esc(t.id)}</caption><thead><tr><th scope="col">asset</th><th scope="col">status</th>` +
        '<th scope="col">risk</th><th scope="col">evidence</th></tr></thead><tbody>');
      for (const a of of) {
        const risk = [a.risk, a.residualRisk ? `residual ${text(a.residualRisk)}` : ''].filter(Boolean).map(text).join('; ');
        const ev = evidenceOf(a);
        body.push(`<tr data-row data-status="${esc(a.status)}" data-stride="${esc(t.stride)}" data-threat="${esc(t.id)}">` +
          `<td>${esc(assetName.get(a.assetId) ?? a.assetId)}</td><td><span class="badge ${statusClass(a.status)}">${esc(a.status)}</span></td>` +
          `<td>${esc(risk)}</td><td>${ev.length ? `<ul>${ev.map(e => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}</td></tr>`);
      }
      body.push('</tbody></table>');
    }
    body.push('</details>');
  }
  body.push('</section>');

  const assumptions = list(model?.assumptions);
  body.push('<section aria-labelledby="s-assumptions"><h2 id="s-assumptions">Assumptions</h2>');
  if (assumptions.length === 0) body.push('<p>None recorded.</p>');
  else body.push(`<ul>${assumptions.map(a => `<li>${esc(typeof a === 'string' ? a : text(a.text ?? a.description ?? a))}</li>`).join('')}</ul>`);
  body.push('</section>');

  const risks = assessments.flatMap(a => list(a.acceptedRisks).map(r => ({ r, a })));
  const seen = new Set<string>();
  body.push('<section aria-labelledby="s-risks"><h2 id="s-risks">Accepted risks</h2>');
  const unique = risks.filter(({ r }) => { const k = `${r.ruleId}|${r.object}|${r.owner}|${r.expires}`; if (seen.has(k)) return false; seen.add(k); return true; });
  if (unique.length === 0) body.push('<p>None.</p>');
  else {
    body.push('<table><caption>Accepted risks: waived findings</caption><thead><tr><th scope="col">rule</th><th scope="col">object</th><th scope="col">owner</th>' +
      '<th scope="col">approver</th><th scope="col">expires</th><th scope="col">reason</th></tr></thead><tbody>');
    for (const { r } of unique) {
      body.push(`<tr><td><code>${esc(r.ruleId)}</code></td><td>${esc(r.object)}</td><td>${esc(r.owner)}</td><td>${esc(r.approver ?? '')}</td>` +
        `<td>${esc(r.expires)}</td><td>${esc(r.reason)}</td></tr>`);
    }
    body.push('</tbody></table>');
  }
  body.push('</section>');
  const title = String(model?.title ?? 'Threat model');
  return htmlPage(title, `${assets.length} assets, ${flows.length} permitted flows, ${threats.length} STRIDE threats`, body.join('\n'));
}
