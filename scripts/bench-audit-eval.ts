/**
 * `npx ts-node --transpile-only scripts/bench-audit-eval.ts`: time of the exact audit-policy properties
 * (bodyLeaks + unloggedWrites + catchAllGaps) on the default AuditPolicy, the Kubernetes docs example and synthetic
 * policies with many named users, groups, namespaces and resources.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { AuditPolicy } from '../lib';
import { bodyLeaks, catchAllGaps, parseAuditPolicy, unloggedWrites } from '../lib/semantics/audit';

function synthetic(rules: number): any {
  const out: any[] = [];
  for (let i = 0; i < rules; i++) {
    out.push({
      level: ['None', 'Metadata', 'Request', 'RequestResponse'][i % 4],
      ...(i % 3 === 0 ? { users: [`user-${i}`, `sa-${i}`] } : {}),
      ...(i % 5 === 0 ? { userGroups: [`group-${i % 7}`] } : {}),
      ...(i % 2 === 0 ? { verbs: ['get', 'list', 'watch'] } : {}),
      ...(i % 6 === 1 ? { nonResourceURLs: [`/path-${i}*`, `/exact-${i}`] } : {
        namespaces: i % 4 === 0 ? [`ns-${i}`, `ns-${i + 1}`] : undefined,
        resources: [{ group: `g${i % 9}.example.com`, resources: [`r${i}`, `r${i + 1}/status`, `r${i}/*`] }, { group: '', resources: [`core${i}`], resourceNames: [`name-${i}`] }],
      }),
    });
  }
  out.unshift({ level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] });
  out.push({ level: 'Metadata' });
  return { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: JSON.parse(JSON.stringify(out)) };
}

function time(name: string, doc: any, reps: number): void {
  const p = parseAuditPolicy(doc).policy!;
  const run = () => [bodyLeaks(p), unloggedWrites(p), catchAllGaps(p)].map(v => v.length);
  const findings = run();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / reps;
  console.log(`${name.padEnd(34)} ${String(p.rules.length).padStart(4)} rules  ${ms.toFixed(1).padStart(8)} ms/check  findings ${JSON.stringify(findings)}`);
}

const def = new AuditPolicy(new App(), 'audit').toJson()[0];
time('AuditPolicy defaults', def, 20);
time('Kubernetes docs example', YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'rules', 'audit-policy-secret-bodies', 'fail-docs-example.yaml'), 'utf-8')), 20);
for (const n of [20, 50, 100]) time(`synthetic (${n} rules)`, synthetic(n), n >= 100 ? 1 : 3);
// One rule per team group: 2^40 group sets, decided with 41 representatives (no group, each group alone).
time('40 team groups', {
  apiVersion: 'audit.k8s.io/v1', kind: 'Policy',
  rules: [
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
    ...Array.from({ length: 40 }, (_, i) => ({ level: i % 2 ? 'RequestResponse' : 'None', userGroups: [`team-${i}`], verbs: ['get', 'list', 'watch'] })),
    { level: 'Metadata' },
  ],
}, 3);
