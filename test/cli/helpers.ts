import * as path from 'path';
import { CliIo, run } from '../../lib/cli/main';

export const REPO = path.join(__dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'cli');

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Run the CLI in-process (fast), with the repo as cwd and optional stdin. */
export async function cli(argv: string[], stdin: string | Buffer = '', cwd: string = REPO): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: t => { out += t; },
    stderr: t => { err += t; },
    readStdin: async () => (typeof stdin === 'string' ? Buffer.from(stdin) : stdin),
    cwd,
  };
  const code = await run(argv, io);
  return { code, out, err };
}

/** A date N days from today, YYYY-MM-DD (UTC). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** A privileged pod as YAML, optionally carrying a waiver annotation. */
export function privilegedPod(name: string, waivers?: object[]): string {
  const annotations = waivers
    ? `  annotations:\n    hardened.cdk8s.io/waivers: '${JSON.stringify(waivers)}'\n`
    : '';
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
${annotations}spec:
  containers:
    - name: c
      image: registry.example.com/c@${DIGEST}
      securityContext:
        privileged: true
`;
}

/** A pod that passes every error rule (warnings remain). */
export function goodPod(name: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
spec:
  automountServiceAccountToken: false
  securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }
  containers:
    - name: c
      image: registry.example.com/c@${DIGEST}
      resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 64Mi } }
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: { drop: [ALL] }${extra}
`;
}
