/**
 * Issue #31, explicit links: what a module needs from another it imports; nothing is filled in by a module that
 * happens to load first. Each test loads a single module in a fresh registry (jest.isolateModules), as a deep import
 * of the published package would.
 */
import { IRule, Severity, Stride } from '../../lib/policy/types';

const custom = (id: string): IRule => ({
  id, title: 'A custom rule', stride: [Stride.TAMPERING], severity: Severity.WARNING, appliesTo: ['*'],
  description: 'A custom rule with a chosen id.', remediation: 'None.', references: ['issue #31'], check: () => [],
});

/** `require` inside jest.isolateModules: a fresh module registry for each test. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (id: string): any => require(id);

/** The loaded modules of this repository's lib/, relative to lib/. */
const loadedLib = () => Object.keys(require.cache).filter(f => f.includes('/lib/') && !f.includes('node_modules')).map(f => f.replace(/^.*\/lib\//, ''));

describe('a deep import of profile.ts alone', () => {
  test('refuses a custom rule that reuses a built-in id (the catalogue is imported, not registered)', () => {
    jest.isolateModules(() => {
      const { App } = load('cdk8s');
      const { HardeningProfile } = load('../../lib/policy/profile');
      expect(loadedLib().filter(f => /^policy\/guard\b/.test(f) || f === 'index.ts')).toEqual([]);
      for (const id of ['privileged-container', 'run-as-non-root', 'waiver-invalid']) {
        expect(() => new HardeningProfile(new App(), 'p', { customRules: [custom(id)] }))
          .toThrow(new RegExp(`props\\.customRules="${id}" violates waiver-invalid: has the id of a rule that already exists`));
      }
      expect(() => new HardeningProfile(new App(), 'p', { customRules: [custom('team-x-no-debug-images')] })).not.toThrow();
    });
  });

  test('knows every catalogue id, read from the catalogue itself', () => {
    jest.isolateModules(() => {
      const { isBuiltInRuleId } = load('../../lib/policy/custom-rules');
      const { Catalogue } = load('../../lib/policy/catalogue');
      const ids: string[] = Catalogue.all().map((r: IRule) => r.id);
      expect(ids.length).toBeGreaterThan(100);
      expect(ids.filter(id => !isBuiltInRuleId(id))).toEqual([]);
      // Alternative spellings are not built-in ids: they are refused or accepted as what they are, never confused.
      expect([' privileged-container', 'Privileged-Container', 'privileged-container ', undefined, null, 42, {}].map(isBuiltInRuleId))
        .toEqual([false, false, false, false, false, false, false]);
    });
  });
});

describe('a deep import of the engine alone', () => {
  test('tells catalogue rules from custom rules by identity, without the catalogue being imported first', () => {
    jest.isolateModules(() => {
      const { isCatalogueRule, catalogueRuleAtSeverity } = load('../../lib/policy/custom-rules');
      const { Catalogue } = load('../../lib/policy/catalogue');
      const priv: IRule = Catalogue.get('privileged-container');
      expect(isCatalogueRule(priv)).toBe(true);
      // A copy with the same id is not the catalogue's rule.
      expect(isCatalogueRule({ ...priv })).toBe(false);
      const warn = Catalogue.all().find((r: IRule) => r.severity === Severity.WARNING)!;
      expect(isCatalogueRule(catalogueRuleAtSeverity(warn, Severity.ERROR))).toBe(true);
    });
  });
});

describe('the profile guard hook', () => {
  test('is set by the guard when it loads; a profile then puts its App under the guard', () => {
    jest.isolateModules(() => {
      const { App, ApiObject, Chart } = load('cdk8s');
      const { HardeningProfile } = load('../../lib/policy/profile');
      load('../../lib/policy/guard');
      const app = new App();
      new HardeningProfile(app, 'p');
      const chart = new Chart(app, 'plain');
      new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } });
      expect(() => app.synthYaml()).toThrow(/privileged-container/);
    });
  });

  test('refuses a second, different hook', () => {
    jest.isolateModules(() => {
      const { setProfileGuardHook } = load('../../lib/policy/profile');
      load('../../lib/policy/guard');
      expect(() => setProfileGuardHook(() => undefined)).toThrow(/already set/);
    });
  });

  test('unset (profile.ts loaded alone): a profile still validates and attaches nothing', () => {
    jest.isolateModules(() => {
      const { App, ApiObject, Chart } = load('cdk8s');
      const { HardeningProfile } = load('../../lib/policy/profile');
      const app = new App();
      new HardeningProfile(app, 'p');
      new ApiObject(new Chart(app, 'plain'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
      expect(app.synthYaml()).toContain('kind: ConfigMap');
      expect(loadedLib().filter(f => /^policy\/guard\b/.test(f))).toEqual([]);
    });
  });
});
