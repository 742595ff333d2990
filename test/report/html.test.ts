import { renderCheckHtml } from '../../lib/report/check-html';
import { dfdDot } from '../../lib/report/dfd';
import { COLOURS, esc } from '../../lib/report/html-page';
import { cli, privilegedPod } from '../cli/helpers';
import { examplePages } from './pages';

/** The size budget of one page, stated in docs/guides/reports.md. */
const BUDGET_BYTES = 3 * 1024 * 1024;

function luminance(hex: string): number {
  const c = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255).map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

/** Anything that would make the browser fetch: external scripts, styles, images, fonts, frames. */
function externalReferences(html: string): string[] {
  return [...html.matchAll(/<(script|link|img|iframe|source|object|embed)\b[^>]*\b(src|href|data)\s*=\s*"([^"]*)"/gi)].map(m => m[0])
    .concat([...html.matchAll(/url\(\s*['"]?(https?:)?\/\//gi)].map(m => m[0]))
    .concat([...html.matchAll(/@import/gi)].map(m => m[0]));
}

describe('HTML reports', () => {
  let pages: { check: string; report: string; json: any };
  beforeAll(async () => { pages = await examplePages('shop'); });

  test('both pages are self-contained: nothing is fetched, a CSP forbids it, and they stay within the size budget', () => {
    for (const html of [pages.check, pages.report]) {
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(externalReferences(html)).toEqual([]);
      expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
      expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET_BYTES);
    }
  });

  test('every colour pair of the pages passes WCAG AA (4.5:1)', () => {
    for (const [name, [fg, bg]] of Object.entries(COLOURS)) {
      expect({ name, ok: contrast(fg, bg) >= 4.5 }).toEqual({ name, ok: true });
    }
  });

  test('the report page inlines the diagram as SVG with one node per diagram node of the model', () => {
    const nodes = [...pages.report.matchAll(/<g id="node\d+" class="node">/g)].length;
    expect(pages.json.nodes.length).toBeGreaterThan(0);
    expect(nodes).toBe(pages.json.nodes.length);
    expect(pages.report).toContain('<svg role="img" aria-labelledby="dfd-title"');
  });

  test('the check page shows each rule\'s fix once, links the rule docs and groups findings per object', async () => {
    const yaml = [privilegedPod('a'), privilegedPod('b')].join('---\n');
    const { out, code } = await cli(['check', '-f', 'html', '-'], yaml);
    expect(code).toBe(1);
    const json = JSON.parse((await cli(['check', '-f', 'json', '-'], yaml)).out);
    const fix = json.findings.find((f: any) => f.ruleId === 'privileged-container').remediation;
    expect(out.split(esc(fix)).length - 1).toBe(1);
    expect(out).toContain('docs/rules.md#privileged-container');
    expect(out).toContain('<summary>Pod shop/a');
    expect(out).toContain('<summary>Pod shop/b');
  });

  test('waived and baselined findings are listed apart with owner and expiry', () => {
    const f = { ruleId: 'privileged-container', title: 't', severity: 'error', path: 'spec', message: 'm', remediation: 'r',
      object: { kind: 'Pod', name: 'p', namespace: 'ns' }, blocking: false, location: { file: 'x.yaml', line: 3 } };
    const html = renderCheckHtml({ summary: { objects: 1, rules: 1 }, findings: [
      { ...f, waiver: { ruleId: 'privileged-container', owner: 'team-a', expires: '2027-01-31', reason: 'the node agent needs it, reviewed' } },
      { ...f, object: { ...f.object, name: 'q' }, baselined: true },
    ] });
    const accepted = html.slice(html.indexOf('id="s-accepted"'));
    expect(accepted).toContain('team-a');
    expect(accepted).toContain('2027-01-31');
    expect(accepted).toContain('>baselined<');
    expect(html).toMatch(/<span class="n">0<\/span>blocking/);
  });

  test('text from the manifests is escaped (no markup injection through names or messages)', () => {
    const html = renderCheckHtml({ findings: [{ ruleId: 'x', severity: 'error', path: '', message: '<img src=x onerror=alert(1)>',
      remediation: '', object: { kind: 'Pod', name: '"><script>alert(1)</script>' }, blocking: true }] });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(1)');
    const dot = dfdDot({ nodes: [{ id: 'a"];evil', label: 'x"\\' }], flows: [] });
    expect(dot).toContain('"a\\"];evil"');
  });

  test('trust boundaries nest as declared, and external entities sit outside every region', () => {
    const dot = dfdDot({
      boundaries: [{ id: 'cluster', label: 'cluster' }, { id: 'ns:shop', label: 'namespace shop', parent: 'cluster' }],
      nodes: [{ id: 'api', label: 'api', boundary: 'ns:shop' }, { id: 'internet', label: 'internet', kind: 'external' }],
      flows: [{ from: 'internet', to: 'api', ports: 'TCP 443', tls: 'TLS' }],
    });
    const outer = dot.indexOf('label="cluster"');
    const inner = dot.indexOf('label="namespace shop"');
    expect(outer).toBeGreaterThan(0);
    expect(inner).toBeGreaterThan(outer);
    expect(dot.indexOf('"internet" [')).toBeGreaterThan(dot.lastIndexOf('}', dot.indexOf('"internet" [')));
    expect(dot).toContain('label="TCP 443\\nTLS"');
  });
});
