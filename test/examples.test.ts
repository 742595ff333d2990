/**
 * Every example synthesizes through the guard, and every object it emits validates: core objects against the
 * Kubernetes 1.28 OpenAPI spec (strict), custom resources against their CRD schemas, the audit Policy against its
 * schema. Control-plane config files (kubeadm ClusterConfiguration, EncryptionConfiguration) have no OpenAPI schema and
 * are asserted field by field in their own tests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { Guard, Outcome, Severity } from '../lib';
import { schemaErrors } from './util/schema';
import { synth } from './util/synth';

const CONFIG_FILES = new Set(['kubeadm.k8s.io/v1beta3/ClusterConfiguration', 'apiserver.config.k8s.io/v1/EncryptionConfiguration',
  // Node and control-plane files (asserted in test/cluster-config).
  'kubeadm.k8s.io/v1beta4/ClusterConfiguration', 'kubeadm.k8s.io/v1beta4/InitConfiguration', 'kubelet.config.k8s.io/v1beta1/KubeletConfiguration',
  'apiserver.config.k8s.io/v1beta1/AuthenticationConfiguration']);
const auditSchema = new Ajv().compile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'audit.k8s.io-v1-policy.schema.json'), 'utf-8')));
const examples = fs.readdirSync(path.join(__dirname, '..', 'examples')).filter(f => f.endsWith('.example.ts')).sort();

test('there are examples for every capability', () => {
  expect(examples).toEqual(expect.arrayContaining(['shop.example.ts', 'tenant.example.ts', 'secrets.example.ts', 'audit.example.ts', 'firewall.example.ts']));
});

describe.each(examples)('%s', file => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  const k8sApp = new App({ outdir });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(__dirname, '..', 'examples', file)).build(k8sApp, new cdk.App({ outdir: path.join(outdir, 'cdk.out') }));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every chart synthesizes with zero error findings and every object validates', () => {
    for (const chart of k8sApp.charts) {
      const objects = synth(chart);
      const errors = Guard.of(chart).findings().filter(f => f.severity === Severity.ERROR && f.outcome !== Outcome.PASS && !f.waiver);
      expect(errors).toEqual([]);
      for (const o of objects) {
        const key = `${o.apiVersion}/${o.kind}`;
        if (CONFIG_FILES.has(key)) continue;
        if (key === 'audit.k8s.io/v1/Policy') {
          expect(auditSchema(o)).toBe(true);
          continue;
        }
        expect(schemaErrors(o)).toEqual([]);
      }
    }
  });
});
