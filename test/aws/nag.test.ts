import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildNagApp, findings } from './nag-harness';

/**
 * cdk-nag with AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 over every AWS construct of the library
 * with default and non-default options: every finding is fixed or acknowledged at the construct with a specific
 * reason, so any new finding fails this test.
 */
describe('cdk-nag: four packs over every AWS construct', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  let report = '';
  beforeAll(() => {
    const app = buildNagApp(path.join(outdir, 'cdk.out'));
    try { app.synth(); } catch (e) { report = (e as Error).message; }
  });

  test('each pack runs (the control stack has a finding from each)', () => {
    const control = findings(report).filter(f => f.startsWith('nag-control/'));
    for (const id of ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled']) {
      expect(control.join('\n')).toContain(id);
    }
  });

  test('no unacknowledged finding on any construct of the library, except the decision left to the app: rotation of a secret', () => {
    // A secret with neither a rotation function nor rotationDisabledReason stays visible to cdk-nag: the library does
    // not decide for the app that it need not be rotated.
    expect(findings(report).filter(f => !f.startsWith('nag-control/'))).toEqual([
      'secrets-pod-identity/Secrets/Db/Secret/Resource AwsSolutions::AwsSolutions-SMG4',
      'secrets-pod-identity/Secrets/Db/Secret/Resource HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
      'secrets-pod-identity/Secrets/Db/Secret/Resource NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled',
    ]);
  });
});
