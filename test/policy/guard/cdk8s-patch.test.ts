/**
 * The synth guard wraps cdk8s internals (lib/policy/guard/cdk8s-patch.ts). These tests pin what it relies on, so that
 * a cdk8s update that renames or reshapes one of them fails here, by name, rather than silently unguarding synthesis.
 * Each test loads cdk8s and the patch in a fresh module registry (jest.isolateModules): the patch is per copy of cdk8s.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (id: string): any => require(id);
const ROOT = path.join(__dirname, '..', '..', '..');

/** [major, minor, patch] of a version string. */
const parts = (v: string) => v.split('.').map(n => parseInt(n, 10));
const atLeast = (v: number[], min: number[]) => v[0] > min[0] || (v[0] === min[0] && (v[1] > min[1] || (v[1] === min[1] && v[2] >= min[2])));

describe('the cdk8s the guard patches', () => {
  test('is in the peer range of package.json (a caret range), and the dev dependency is too', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const range: string = pkg.peerDependencies.cdk8s;
    expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    const min = parts(range.slice(1));
    const installed = parts(load('cdk8s/package.json').version);
    expect(installed[0]).toBe(min[0]);
    expect(atLeast(installed, min)).toBe(true);
  });

  test('has every entry point the patch wraps, a function of the pinned arity', () => {
    jest.isolateModules(() => {
      const cdk8s = load('cdk8s');
      const { CDK8S_ENTRY_POINTS } = load('../../../lib/policy/guard/cdk8s-patch');
      const owners: Record<string, any> = { 'App.prototype': cdk8s.App.prototype, 'App': cdk8s.App, 'Yaml': cdk8s.Yaml };
      const seen = CDK8S_ENTRY_POINTS.map((e: any) => {
        const fn = owners[e.owner][e.name];
        return `${e.owner}.${e.name}: ${typeof fn}/${typeof fn === 'function' ? fn.length : '-'}`;
      });
      expect(seen).toEqual(CDK8S_ENTRY_POINTS.map((e: any) => `${e.owner}.${e.name}: function/${e.arity}`));
      expect(CDK8S_ENTRY_POINTS.map((e: any) => e.name)).toEqual(['synth', 'synthYaml', '_synthChart', 'writeConstructMetadata', 'save', 'stringify']);
    });
  });

  test('writes through Yaml.save on app.synth() and Yaml.stringify on app.synthYaml(), and Chart.toJson goes through App._synthChart', () => {
    jest.isolateModules(() => {
      const cdk8s = load('cdk8s');
      const calls: string[] = [];
      const wrap = (owner: any, name: string) => {
        const f = owner[name];
        owner[name] = function (this: any, ...args: any[]) {
          calls.push(name);
          return f.apply(this, args);
        };
      };
      wrap(cdk8s.Yaml, 'save');
      wrap(cdk8s.Yaml, 'stringify');
      wrap(cdk8s.App, '_synthChart');
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-pin-'));
      const app = new cdk8s.App({ outdir });
      new cdk8s.ApiObject(new cdk8s.Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
      app.synth();
      expect(calls).toContain('save');
      calls.length = 0;
      app.synthYaml();
      expect(calls).toContain('stringify');
      calls.length = 0;
      cdk8s.Chart.of(app.node.findChild('c')).toJson();
      expect(calls).toEqual(['_synthChart']);
      fs.rmSync(outdir, { recursive: true, force: true });
    });
  });
});

describe('patchCdk8sEntryPoints', () => {
  const hooks = (find: () => any = () => undefined) => ({ find, save: () => false, stringify: () => undefined, constructMetadataWritten: () => undefined });

  test('is applied exactly once per copy of cdk8s, and passes through for an App without a guard', () => {
    jest.isolateModules(() => {
      const cdk8s = load('cdk8s');
      const { patchCdk8sEntryPoints, isCdk8sPatched } = load('../../../lib/policy/guard/cdk8s-patch');
      const before = [cdk8s.App.prototype.synth, cdk8s.App.prototype.synthYaml, cdk8s.App._synthChart, cdk8s.Yaml.save, cdk8s.Yaml.stringify];
      expect(isCdk8sPatched()).toBe(false);
      patchCdk8sEntryPoints(hooks());
      const after = [cdk8s.App.prototype.synth, cdk8s.App.prototype.synthYaml, cdk8s.App._synthChart, cdk8s.Yaml.save, cdk8s.Yaml.stringify];
      expect(isCdk8sPatched()).toBe(true);
      expect(after.map((f, i) => f !== before[i])).toEqual([true, true, true, true, true]);
      // A second call (another guard, another App) wraps nothing again.
      patchCdk8sEntryPoints(hooks(() => {
        throw new Error('second hooks used');
      }));
      expect([cdk8s.App.prototype.synth, cdk8s.App.prototype.synthYaml, cdk8s.App._synthChart, cdk8s.Yaml.save, cdk8s.Yaml.stringify]).toEqual(after);
      // Without a guard, cdk8s's own output.
      const app = new cdk8s.App();
      new cdk8s.ApiObject(new cdk8s.Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
      expect(app.synthYaml()).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    });
  });

  test('the guard module applies it once, when its first guard is created', () => {
    jest.isolateModules(() => {
      const cdk8s = load('cdk8s');
      const { isCdk8sPatched } = load('../../../lib/policy/guard/cdk8s-patch');
      const { Guard } = load('../../../lib/policy/guard');
      expect(isCdk8sPatched()).toBe(false);
      const app = new cdk8s.App();
      Guard.of(new cdk8s.Chart(app, 'a'));
      const synth = cdk8s.App.prototype.synth;
      expect(isCdk8sPatched()).toBe(true);
      Guard.of(new cdk8s.Chart(new cdk8s.App(), 'b'));
      expect(cdk8s.App.prototype.synth).toBe(synth);
      // The guarded App is judged through the wrapped entry point.
      new cdk8s.ApiObject(app.node.findChild('a'), 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } });
      expect(() => app.synthYaml()).toThrow(/privileged-container/);
    });
  });
});
