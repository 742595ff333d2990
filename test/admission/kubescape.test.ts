/** The kubescape comparison table of docs/guides/admission.md: every rule exists, and its status is what the generator emits. */
import * as fs from 'fs';
import * as path from 'path';
import { enforceableRuleIds, notEnforcedTable } from '../../lib/admission/generate';
import { Catalogue } from '../../lib/policy/catalogue';

test('each row names a catalogue rule and the status the generator gives it (with registries and v1.34)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'admission.md'), 'utf-8');
  const table = doc.slice(doc.indexOf('<!-- kubescape-table -->'), doc.indexOf('<!-- /kubescape-table -->'));
  const rows = table.split('\n').filter(l => /^\| C-/.test(l)).map(l => l.split('|').map(x => x.trim()));
  expect(rows.length).toBeGreaterThan(20);
  const settings = { allowedRegistries: ['registry.example.com'], requireDigest: true, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
  const enforced = new Set(enforceableRuleIds(settings));
  const notEnforced = notEnforcedTable(settings);
  for (const [, , rule, status] of rows) {
    expect(Catalogue.find(rule)).toBeDefined();
    expect([rule, status]).toEqual([rule, enforced.has(rule) ? 'generated' : 'not generated']);
    if (!enforced.has(rule)) expect(notEnforced).toContain(`| ${rule} |`);
  }
});
