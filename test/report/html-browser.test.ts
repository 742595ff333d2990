/// <reference lib="dom" />
/**
 * The HTML reports in a real browser: Debian's chromium (installed by .ci/run), driven by playwright-core (no browser
 * download). Both pages of each example are opened from disk (file://, as a reviewer opens a CI artifact); the test
 * checks there are no console errors and no requests, that the diagram holds one node per node of the model, that the
 * filters and the search change the visible rows, and that the keyboard reaches the controls. Screenshots go to
 * test-artifacts/reports/. Without chromium the suite is skipped with a loud message.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { examplePages } from './pages';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'reports');
const EXAMPLES = fs.readdirSync(path.join(__dirname, '..', '..', 'examples')).filter(f => f.endsWith('.example.ts'))
  .map(f => f.replace(/\.example\.ts$/, '')).sort();

if (!hasChromium) {
  console.warn(`\n*** SKIPPED: the HTML report browser test needs chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does) ***\n`);
}
const maybe = hasChromium ? describe : describe.skip;

maybe('HTML reports in chromium', () => {
  let browser: any;
  beforeAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => { await browser?.close(); });

  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m: any) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e: any) => errors.push(String(e)));
    page.on('request', (r: any) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(`file://${file}`);
    return { page, errors, requests };
  }

  const visibleRows = (page: any) => page.$$eval('[data-row]', (rows: any[]) => rows.filter(r => !r.hidden).length);

  test.each(EXAMPLES)('the %s example: both pages render, the diagram is complete, filters work', async name => {
    const pages = await examplePages(name);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pages-${name}-`));
    const checkFile = path.join(dir, `${name}.check.html`);
    const reportFile = path.join(dir, `${name}.threat-model.html`);
    fs.writeFileSync(checkFile, pages.check);
    fs.writeFileSync(reportFile, pages.report);

    // Threat model page.
    const r = await open(reportFile);
    expect(await r.page.$$eval('.diagram svg g.node', (n: any[]) => n.length)).toBe(pages.json.nodes.length);
    const labels: string[] = await r.page.$$eval('.diagram svg g.node title', (n: any[]) => n.map(x => x.textContent));
    expect(labels.sort()).toEqual(pages.json.nodes.map((n: any) => n.id).sort());
    const total = await visibleRows(r.page);
    expect(total).toBe(pages.json.assessments.length);
    const statuses = [...new Set(pages.json.assessments.map((a: any) => a.status))] as string[];
    if (statuses.length > 1) {
      await r.page.selectOption('select[data-filter="status"]', statuses[0]);
      const shown = await visibleRows(r.page);
      expect(shown).toBe(pages.json.assessments.filter((a: any) => a.status === statuses[0]).length);
      expect(shown).toBeLessThan(total);
      expect(await r.page.textContent('#visible-count')).toBe(String(shown));
      await r.page.click('button[type=reset]');
      await r.page.waitForFunction((n: number) => document.querySelectorAll('[data-row]:not([hidden])').length === n, total);
    }
    await r.page.screenshot({ path: path.join(ARTIFACTS, `${name}.threat-model.png`), fullPage: true });
    await r.page.locator('.diagram').screenshot({ path: path.join(ARTIFACTS, `${name}.dfd.png`) });
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);

    // Check page.
    const c = await open(checkFile);
    // The keyboard reaches the skip link first, then the controls.
    await c.page.keyboard.press('Tab');
    expect(await c.page.evaluate(() => document.activeElement?.className)).toBe('skip');
    const rows = await visibleRows(c.page);
    if (rows > 0) {
      await c.page.fill('input[type=search]', 'no-such-text-anywhere');
      expect(await visibleRows(c.page)).toBe(0);
      expect(await c.page.$$eval('[data-group]', (g: any[]) => g.every(x => x.hidden))).toBe(true);
      await c.page.fill('input[type=search]', '');
      expect(await visibleRows(c.page)).toBe(rows);
    }
    await c.page.screenshot({ path: path.join(ARTIFACTS, `${name}.check.png`), fullPage: true });
    expect(c.errors).toEqual([]);
    expect(c.requests).toEqual([]);
    await r.page.close();
    await c.page.close();
  });

  test('the check page filters findings by severity and search on a file with findings', async () => {
    const { cli, privilegedPod } = await import('../cli/helpers');
    const yaml = [privilegedPod('a'), privilegedPod('b')].join('---\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pages-')), 'check.html');
    fs.writeFileSync(file, (await cli(['check', '-f', 'html', '-'], yaml)).out);
    const { page, errors } = await open(file);
    const all = await visibleRows(page);
    expect(all).toBeGreaterThan(2);
    await page.selectOption('select[data-filter="rule"]', 'privileged-container');
    expect(await visibleRows(page)).toBe(2);
    await page.fill('input[type=search]', 'shop/b');
    expect(await visibleRows(page)).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'privileged.check.png'), fullPage: true });
    // Print: the controls are hidden.
    await page.emulateMedia({ media: 'print' });
    expect(await page.$eval('#filters', (f: any) => getComputedStyle(f).display)).toBe('none');
    expect(errors).toEqual([]);
    await page.close();
  });
});
