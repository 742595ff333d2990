// Issue 28: the compiled declarations (build/, what users install) type-check WITHOUT skipLibCheck in a project that
// has cdk8s-plus-33 and neither cdk8s-plus-28 nor aws-cdk-lib, and a wrongly typed prop is still a type error there
// (scripts/peer-types.js; scripts/consumer-test.sh proves the same with packages installed from the registry and the
// tsconfig of `cdk8s init typescript-app`). Here the project is a temporary directory holding a copy of the package
// and links to this repository's cdk8s, constructs and cdk8s-plus-33.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { ensureBuilt, ROOT } from './build';

let project: string;
beforeAll(() => {
  ensureBuilt();
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'types-33-'));
  const nm = path.join(project, 'node_modules');
  const pkg = path.join(nm, 'cdk8s-hardened');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  fs.cpSync(path.join(ROOT, 'build'), path.join(pkg, 'build'), { recursive: true, filter: f => !f.endsWith('.js') });
  for (const dep of ['cdk8s', 'constructs', 'cdk8s-plus-33']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(nm, dep), 'dir');
}, 300_000);
afterAll(() => { if (project) fs.rmSync(project, { recursive: true, force: true }); });

function compile(code: string): string[] {
  const file = path.join(project, `app-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, code);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2017, module: ts.ModuleKind.CommonJS, lib: ['lib.es2016.d.ts'], types: [],
  });
  return ts.getPreEmitDiagnostics(program).map(d => {
    const where = d.file ? `${path.relative(project, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

const HEADER = `
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { HardenedChart, HardenedDeployment } from 'cdk8s-hardened';
const chart = new HardenedChart(new App(), 'shop', { namespace: 'shop' });
const base = { image: 'registry.example.com/a@sha256:${'a'.repeat(64)}', port: 8080 };
`;

describe('declarations in a cdk8s-plus-33 project without cdk8s-plus-28 and aws-cdk-lib (no skipLibCheck)', () => {
  test('the project really lacks them', () => {
    for (const missing of ['cdk8s-plus-28', 'aws-cdk-lib']) expect(fs.existsSync(path.join(project, 'node_modules', missing))).toBe(false);
  });

  test('a program with cdk8s-plus-33 objects in the props type-checks, declarations included', () => {
    expect(compile(`${HEADER}
new HardenedDeployment(chart, 'api', { ...base,
  secretMounts: [{ path: '/etc/db', secret: kplus.Secret.fromSecretName(chart, 'db', 'db-credentials') }],
  configMapMounts: [{ path: '/etc/cfg', configMap: kplus.ConfigMap.fromConfigMapName(chart, 'cfg', 'cfg') }],
  env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
});`)).toEqual([]);
  }, 120_000);

  test.each([
    ['a Secret name', "secretMounts: [{ path: '/etc/db', secret: 'not-a-secret' }]"],
    ['a ConfigMap name', "configMapMounts: [{ path: '/etc/cfg', configMap: 'cfg' }]"],
    ['a plain string env value', "env: { LOG_LEVEL: 'info' }"],
    ['a port string', "port: '8080'"],
  ])('%s is a type error', (_what, prop) => {
    const errors = compile(`${HEADER}new HardenedDeployment(chart, 'api', { ...base, ${prop} });`);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every(e => e.startsWith('app-'))).toBe(true); // in the program, never in the declarations
  }, 120_000);

  test('the declarations import no cdk8s-plus-28 directly, and each aws-cdk-lib import is marked optional', () => {
    const dts = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
      e.isDirectory() ? dts(path.join(dir, e.name)) : e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : []);
    const files = dts(path.join(ROOT, 'build', 'lib')).filter(f => !f.includes(`${path.sep}peer-types${path.sep}`));
    for (const f of files) {
      const lines = fs.readFileSync(f, 'utf8').split('\n');
      lines.forEach((l, i) => {
        expect(`${f}:${i + 1} ${/from ['"]cdk8s-plus-28['"]/.test(l)}`).toBe(`${f}:${i + 1} false`);
        if (/^import .* from ['"]aws-cdk-lib/.test(l)) expect(`${f}:${i + 1} ${lines[i - 1]}`).toBe(`${f}:${i + 1} // @ts-ignore optional peer (scripts/peer-types.js)`);
      });
    }
  });
});
