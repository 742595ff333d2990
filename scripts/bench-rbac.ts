/**
 * RBAC evaluator benchmark (`npx ts-node --transpile-only scripts/bench-rbac.ts`): a cluster-sized RBAC set —
 * ClusterRoles (some aggregated, some labelled into the built-in admin/edit/view), Roles, and bindings of both custom
 * and built-in roles — through every RBAC rule of the catalogue, as the CLI and the synth guard run them.
 */
import { Catalogue } from '../lib/policy/catalogue';
import { evaluate, objectRefOf } from '../lib/policy/engine';
import { DEFAULT_PROFILE } from '../lib/policy/profile';

const N = Number(process.env.BENCH_RBAC_ROLES ?? 2000);
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';
const objects: any[] = [];
for (let i = 0; i < N; i++) {
  const labels: any = { team: `t${i % 40}` };
  if (i % 10 === 1) labels[`${AGG}${['view', 'edit', 'admin'][i % 3]}`] = 'true';
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${i}`, labels },
    ...(i % 20 === 0 ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: `t${(i + 1) % 40}` } }] } } : {}),
    rules: [
      { apiGroups: ['example.com'], resources: [`widgets${i}`, `gadgets${i}`], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
    ],
  });
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `r-${i}`, namespace: `ns-${i % 50}` },
    rules: [{ apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get', 'list', 'patch'] }],
  });
  const ref = i % 4 === 0 ? { kind: 'ClusterRole', name: ['view', 'edit', 'admin'][i % 3] } : i % 4 === 1 ? { kind: 'ClusterRole', name: `cr-${i}` } : { kind: 'Role', name: `r-${i}` };
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace: `ns-${i % 50}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...ref }, subjects: [{ kind: 'Group', name: `g-${i}`, apiGroup: 'rbac.authorization.k8s.io' }],
  });
  if (i % 10 === 0) {
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 20 === 0 ? 'view' : `cr-${i}` },
      subjects: [{ kind: 'Group', name: `g-${i}`, apiGroup: 'rbac.authorization.k8s.io' }],
    });
  }
}

const rules = Catalogue.all().filter(r => r.id.startsWith('rbac-'));
const t = process.hrtime.bigint();
const findings = evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), { rules, settings: DEFAULT_PROFILE as any, today: '2026-01-01' });
const ms = Number(process.hrtime.bigint() - t) / 1e6;
const failing = findings.filter(f => f.outcome === 'fail').length;
console.log(`rbac: ${objects.length} RBAC objects x ${rules.length} rules in ${ms.toFixed(0)} ms = ${Math.round(objects.length / (ms / 1000))} objects/s (${failing} failing findings)`);
