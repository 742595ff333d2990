// The jsii assembly (.jsii) is what Python, Java, .NET and Go users see: every public type, member, constructor and
// enum member needs a doc summary there, and API.md (generated from the assembly by jsii-docgen) must be in sync.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ASSEMBLY, ensureBuilt, ROOT } from './build';

interface Docs { readonly summary?: string }
interface Located { readonly docs?: Docs; readonly locationInModule?: { filename: string; line: number } }
interface Member extends Located { readonly name: string }
interface TypeSpec extends Located {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly abstract?: boolean;
  readonly initializer?: Located;
  readonly methods?: Member[];
  readonly properties?: Member[];
  readonly members?: Member[];
}
interface Assembly {
  readonly name: string;
  readonly types: Record<string, TypeSpec>;
  readonly targets?: Record<string, unknown>;
}

/**
 * Classes without a constructor in the source get an implicit public initializer in the assembly, which has no
 * comment to document. Listed by name so that any new one is noticed.
 */
const IMPLICIT_INITIALIZERS = new Set(['cdk8s-hardened.AuditAlarms']);

let assembly: Assembly;
beforeAll(() => {
  ensureBuilt();
  assembly = JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'));
}, 180_000);

const hasSummary = (d?: Docs) => !!d?.summary?.trim();
const where = (x: Located) => (x.locationInModule ? ` (${x.locationInModule.filename}:${x.locationInModule.line})` : '');

function undocumented(a: Assembly): string[] {
  const missing: string[] = [];
  for (const [fqn, t] of Object.entries(a.types)) {
    if (!hasSummary(t.docs)) missing.push(`type ${fqn}${where(t)}`);
    if (t.kind === 'class' && t.initializer && !hasSummary(t.initializer.docs)) {
      if (t.initializer.locationInModule || !IMPLICIT_INITIALIZERS.has(fqn)) missing.push(`constructor ${fqn}${where(t.initializer)}`);
    }
    for (const m of t.methods ?? []) if (!hasSummary(m.docs)) missing.push(`method ${fqn}.${m.name}${where(m)}`);
    for (const p of t.properties ?? []) if (!hasSummary(p.docs)) missing.push(`property ${fqn}.${p.name}${where(p)}`);
    for (const e of t.members ?? []) if (!hasSummary(e.docs)) missing.push(`enum member ${fqn}.${e.name}${where(t)}`);
  }
  return missing;
}

describe('jsii assembly', () => {
  test('every public type, member, constructor and enum member has a doc summary', () => {
    expect(Object.keys(assembly.types).length).toBeGreaterThan(50);
    expect(undocumented(assembly)).toEqual([]);
  });

  test('the documentation check sees a missing summary', () => {
    const broken: Assembly = {
      name: 'x',
      types: {
        'x.E': { kind: 'enum', docs: { summary: 'e' }, members: [{ name: 'A' }] },
        'x.C': { kind: 'class', docs: {}, initializer: { locationInModule: { filename: 'c.ts', line: 3 } }, properties: [{ name: 'p', docs: { summary: ' ' } }] },
      },
    };
    expect(undocumented(broken)).toEqual(['enum member x.E.A', 'type x.C', 'constructor x.C (c.ts:3)', 'property x.C.p']);
  });

  test('targets Python, Java, .NET and Go', () => {
    expect(assembly.targets).toMatchObject({
      python: { distName: 'cdk8s-hardened', module: 'cdk8s_hardened' },
      java: { package: 'io.github.cdk8shardened', maven: { groupId: 'io.github.cdk8shardened', artifactId: 'cdk8s-hardened' } },
      dotnet: { namespace: 'Cdk8sHardened', packageId: 'Cdk8sHardened' },
      go: { moduleName: 'github.com/cdk8s-hardened/cdk8s-hardened-go' },
    });
  });

  test('API.md is generated from the assembly (run `npm run docgen` after API changes)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-docgen-'));
    try {
      const out = path.join(dir, 'API.md');
      execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-docgen'), ['-o', out], { cwd: ROOT, stdio: 'pipe' });
      const committed = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
      const expected = fs.readFileSync(out, 'utf8');
      // toBe on 400 KB strings prints an unreadable diff; compare and point at the first differing line instead.
      if (committed !== expected) {
        const a = committed.split('\n');
        const b = expected.split('\n');
        const i = a.findIndex((l, n) => l !== b[n]);
        throw new Error(`API.md is out of date at line ${i + 1}:\n  committed: ${a[i]}\n  generated: ${b[i]}\nrun \`npm run docgen\``);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
