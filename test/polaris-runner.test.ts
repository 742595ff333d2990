/**
 * The Polaris runner (test/util/polaris.ts) against Polaris's own check tests, vendored from FairwindsOps/polaris
 * test/checks (see test/vendor/polaris/SOURCES.md), run as Polaris's test/schema_test.go runs them: each check alone at
 * "danger", no exemptions; a `failure*` file must raise at least one danger, a `success*` file none, and the check must
 * have run. `mutated*` files test Polaris's fix-up mutations, which the runner does not model.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Polaris, POLARIS_TESTS_DIR } from './util/polaris';

const cases: [string, string][] = [];
for (const check of fs.readdirSync(POLARIS_TESTS_DIR).sort()) {
  if (check.startsWith('_')) continue;
  for (const file of fs.readdirSync(path.join(POLARIS_TESTS_DIR, check)).sort()) {
    if (file === 'check.yaml' || file.includes('mutated') || !/\.ya?ml$/.test(file)) continue;
    cases.push([check, file]);
  }
}

test('the vendored corpus covers every check of the default configuration', () => {
  const checks = new Set(cases.map(([c]) => c));
  for (const id of Object.keys(new Polaris().severities)) expect(checks.has(id)).toBe(true);
  expect(cases.length).toBeGreaterThan(250);
});

test.each(cases)('%s: %s', (check, file) => {
  const dir = path.join(POLARIS_TESTS_DIR, check);
  const custom = fs.existsSync(path.join(dir, 'check.yaml')) ? { [check]: fs.readFileSync(path.join(dir, 'check.yaml'), 'utf8') } : undefined;
  const polaris = new Polaris({ severities: { [check]: 'danger' }, customChecks: custom });
  const findings = polaris.auditYaml(fs.readFileSync(path.join(dir, file), 'utf8'));
  expect(polaris.runs.get(check) ?? 0).toBeGreaterThanOrEqual(1);
  if (file.includes('failure')) expect(findings.length).toBeGreaterThanOrEqual(1);
  else expect(findings).toEqual([]);
});
