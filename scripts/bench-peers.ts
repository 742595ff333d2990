/**
 * `npx ts-node --transpile-only scripts/bench-peers.ts`: the cross-object rules added for issue 14 must stay linear.
 * Evaluates them on N and 4N workloads IN ONE NAMESPACE (the worst case for per-namespace indexes), each workload with a
 * Service, NetworkPolicy, PodDisruptionBudget, HPA and Ingress, and prints the time per object at both sizes.
 */
import { Catalogue } from '../lib/policy/catalogue';
import { evaluate, objectRefOf } from '../lib/policy/engine';

const RULES = ['service-selects-pods', 'network-policy-selects-pods', 'workload-disruption-budget', 'pdb-allows-disruption',
  'hpa-target-valid', 'ingress-backend-exists', 'ingress-host', 'istio-sidecar-injection-disabled'].map(id => Catalogue.get(id));

function objects(n: number): any[] {
  const out: any[] = [];
  for (let i = 0; i < n; i++) {
    const app = `app-${i}`;
    const md = { name: app, namespace: 'big' };
    out.push(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: md, spec: { replicas: 3, selector: { matchLabels: { app } }, template: { metadata: { labels: { app, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'r.example.com/a:1', ports: [{ name: 'http', containerPort: 8080 }] }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: md, spec: { selector: { app }, ports: [{ port: 80, targetPort: 'http' }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: md, spec: { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: `app-${(i + 1) % n}` } } }] }] } },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: md, spec: { minAvailable: 1, selector: { matchLabels: { app } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: md, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app }, minReplicas: 2, maxReplicas: 5 } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: md, spec: { tls: [{ hosts: [`${app}.example.com`] }], rules: [{ host: `${app}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { number: 80 } } } }] } }] } },
    );
  }
  return out;
}

function run(n: number): number {
  const objs = objects(n);
  const start = process.hrtime.bigint();
  const findings = evaluate(objs.map(o => ({ object: o, ref: objectRefOf(o) })), {
    rules: RULES, settings: { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.28', maxWaiverDays: 90 }, today: '2026-01-01',
  } as any).filter(f => f.outcome === 'fail');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (findings.length > 0) throw new Error(`unexpected findings: ${findings.slice(0, 3).map(f => f.message).join('; ')}`);
  console.log(`${objs.length} objects in one namespace: ${ms.toFixed(0)} ms (${((ms * 1000) / objs.length).toFixed(1)} µs/object)`);
  return ms / objs.length;
}

run(500); // warm-up
const small = run(2000);
const large = run(8000);
console.log(`per-object cost at 4x the objects: ${(large / small).toFixed(2)}x (linear: ~1x; quadratic: ~4x)`);
