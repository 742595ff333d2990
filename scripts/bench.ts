/**
 * `npm run bench`: generates a 20,000-object multi-document YAML file and reports objects/second
 * for `cdk8s-hardened check` (parse + catalogue + locations + SARIF) and for parse-only.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkObjects } from '../lib/cli/check';
import { render } from '../lib/cli/formatters';
import { parseSource } from '../lib/cli/input';
import { run } from '../lib/cli/main';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 20000);
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function doc(i: number): string {
  const ns = `team-${i % 50}`;
  switch (i % 4) {
    case 0: return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${ns}
  labels: { app: app-${i} }
spec:
  replicas: 2
  selector:
    matchLabels: { app: app-${i} }
  template:
    metadata:
      labels: { app: app-${i} }
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: app
          image: registry.example.com/app@${DIGEST}
          ports: [{ containerPort: 8080 }]
          readinessProbe: { tcpSocket: { port: 8080 } }
          livenessProbe: { tcpSocket: { port: 8080 } }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 128Mi, ephemeral-storage: 1Gi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: ${i % 100 === 0 ? 'true' : 'false'}
            capabilities: { drop: [ALL] }
`;
    case 1: return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: app-${i - 1}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels: { app: app-${i - 1} }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: frontend } } }]
      ports: [{ port: 8080 }]
`;
    case 2: return `apiVersion: v1
kind: Service
metadata:
  name: app-${i - 2}
  namespace: ${ns}
spec:
  selector: { app: app-${i - 2} }
  ports: [{ port: 80, targetPort: 8080 }]
`;
    default: return `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${i}
  namespace: ${ns}
data:
  mode: production
`;
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-bench-'));
  const file = path.join(dir, 'bench.yaml');
  const parts: string[] = [];
  for (let i = 0; i < OBJECTS; i++) parts.push(doc(i));
  fs.writeFileSync(file, parts.join('---\n'));
  const size = fs.statSync(file).size;
  console.log(`generated ${OBJECTS} objects, ${(size / 1024 / 1024).toFixed(1)} MB: ${file}`);

  const data = fs.readFileSync(file);
  let t = process.hrtime.bigint();
  const objects = parseSource('bench.yaml', data);
  const parseMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`parse-only: ${objects.length} objects in ${parseMs.toFixed(0)} ms = ${Math.round(objects.length / (parseMs / 1000))} objects/s`);

  t = process.hrtime.bigint();
  const result = checkObjects(objects);
  const sarif = render('sarif', result);
  const evalMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`catalogue only (${result.rules.length} rules, ${result.findings.length} findings, SARIF ${(sarif.length / 1024).toFixed(0)} KB): ${evalMs.toFixed(0)} ms`);

  let out = 0;
  t = process.hrtime.bigint();
  const code = await run(['check', file, '--format', 'sarif'], {
    stdout: s => { out += s.length; }, stderr: () => undefined, readStdin: async () => Buffer.alloc(0), cwd: dir,
  });
  const checkMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`check (read + parse + ${result.rules.length} rules + locations + SARIF, exit ${code}): ${OBJECTS} objects in ${checkMs.toFixed(0)} ms = ${Math.round(OBJECTS / (checkMs / 1000))} objects/s`);
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => { console.error(e); process.exit(1); });
