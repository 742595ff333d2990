import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, REPO } from './helpers';

/** The examples' synthesized Kubernetes output checks clean with the whole catalogue. */
test('examples synthesize into manifests that `cdk8s-hardened check` passes', async () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-examples-'));
  // The app command of cdk8s.yaml, with the output redirected (cdk8s reads CDK8S_OUTDIR).
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'examples/main.ts'], {
    cwd: REPO,
    env: { ...process.env, CDK8S_OUTDIR: outdir },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120000,
  });
  const manifests = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml'));
  expect(manifests.length).toBeGreaterThan(0);
  const r = await cli(['check', outdir, '--format', 'json'], '', outdir);
  const report = JSON.parse(r.out || '{}');
  const blocking = (report.findings ?? []).filter((f: any) => f.blocking).map((f: any) => `${f.location.file}:${f.location.line} ${f.ruleId}: ${f.message}`);
  expect({ exit: r.code, err: r.err, blocking }).toEqual({ exit: 0, err: '', blocking: [] });
  expect(report.summary.objects).toBeGreaterThan(0);
}, 180000);
