/**
 * The STRIDE threat model: the threat catalogue covers the seeds and every catalogue rule; the report names the
 * assets, flows and waivers of what was synthesized; a waiver or a removed control changes it; the examples' reports in
 * docs/threat-model are in sync; `cdk8s-hardened report` writes it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { AssetKind, Catalogue, Stride, THREATS, ThreatModel, ThreatStatus } from '../../lib';
import { exampleNames, exampleThreatModel, THREAT_DOCS_DIR } from '../../scripts/threat-docs';
import { cli } from '../cli/helpers';
import { daysFromNow } from '../util/synth';

const DIGEST = '@sha256:' + 'a'.repeat(64);
const CONTAINER = {
  name: 'c', image: 'registry.example.com/app' + DIGEST,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  readinessProbe: { httpGet: { path: '/', port: 8080 } }, livenessProbe: { httpGet: { path: '/', port: 8080 } },
};
function deployment(extra: any = {}, annotations?: object): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { automountServiceAccountToken: false, securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ ...CONTAINER, ...extra }] },
      },
    },
  };
}
const DENY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
const ALLOW = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api-ingress', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } }], ports: [{ port: 8080 }] }] },
};

const statusOf = (m: ThreatModel, threatId: string, assetId: string) =>
  m.data.assessments.find(a => a.threatId === threatId && a.assetId === assetId)?.status;

describe('the threat catalogue', () => {
  test('every threat names its STRIDE category, controls or rules, the operator\'s part and its source in the seeds', () => {
    for (const t of THREATS) {
      expect(t.id).toMatch(/^[STRIDE]\d+-[a-z0-9-]+$/);
      expect(t.rules.length + t.controls.length).toBeGreaterThan(0);
      expect(t.operator.length).toBeGreaterThan(10);
      expect(t.sources.length).toBeGreaterThan(0);
    }
    for (const s of Object.values(Stride)) expect(THREATS.some(t => t.stride === s)).toBe(true);
    // both seeds are sources
    expect(THREATS.some(t => t.sources.some(x => x.startsWith('seeds/002')))).toBe(true);
    expect(THREATS.some(t => t.sources.some(x => x.startsWith('seeds/000')))).toBe(true);
  });

  test('every rule named by a threat exists, and every catalogue rule mitigates at least one threat', () => {
    const named = new Set(THREATS.flatMap(t => t.rules));
    for (const id of named) expect(Catalogue.find(id)?.id).toBe(id);
    const unmapped = Catalogue.all().map(r => r.id).filter(id => !named.has(id));
    expect(unmapped).toEqual([]);
  });
});

describe('ThreatModel', () => {
  test('a clean workload behind NetworkPolicies: mitigated, with the policies and rules as evidence, and its flows', () => {
    const m = ThreatModel.fromObjects([deployment(), DENY, ALLOW]);
    const w = 'workload:shop/Deployment/api';
    expect(statusOf(m, 'E1-container-escape', w)).toBe(ThreatStatus.MITIGATED);
    const lateral = m.data.assessments.find(a => a.threatId === 'I3-lateral-movement' && a.assetId === w)!;
    expect(lateral.status).toBe(ThreatStatus.MITIGATED);
    expect(lateral.mitigatedBy.join(' ')).toContain('api-ingress');
    expect(m.data.flows).toEqual([expect.objectContaining({ ports: 'TCP 8080', via: 'NetworkPolicy shop/api-ingress' })]);
    expect(m.toMarkdown()).toContain('```mermaid');
    expect(statusOf(m, 'R1-no-audit-trail', 'cluster')).toBe(ThreatStatus.OUTSIDE);
  });

  test('a finding leaves the threat not covered with the finding and next step; a waiver turns it into an accepted risk', () => {
    const open = ThreatModel.fromObjects([deployment({ securityContext: { ...CONTAINER.securityContext, privileged: true } }), DENY, ALLOW]);
    const a = open.data.assessments.find(x => x.threatId === 'E1-container-escape' && x.assetId === 'workload:shop/Deployment/api')!;
    expect(a.status).toBe(ThreatStatus.NOT_COVERED);
    expect(a.findings.map(f => f.ruleId)).toContain('privileged-container');
    expect(a.nextStep).toContain('HardenedDeployment');

    const waiver = [{ ruleId: 'privileged-container', reason: 'GPU driver needs device access (SEC-77)', owner: 'team-ml', expires: daysFromNow(20) }];
    const waived = ThreatModel.fromObjects([deployment({ securityContext: { ...CONTAINER.securityContext, privileged: true } },
      { 'hardened.cdk8s.io/waivers': JSON.stringify(waiver) }), DENY, ALLOW]);
    const b = waived.data.assessments.find(x => x.threatId === 'E1-container-escape' && x.assetId === 'workload:shop/Deployment/api')!;
    expect(b.status).toBe(ThreatStatus.WAIVED);
    expect(b.acceptedRisks).toEqual([expect.objectContaining({ ruleId: 'privileged-container', owner: 'team-ml' })]);
    const md = waived.toMarkdown();
    expect(md).toContain('## Accepted risks');
    expect(md).toContain('GPU driver needs device access (SEC-77)');
    expect(md).not.toEqual(open.toMarkdown());
  });

  test('removing a control changes the report: without NetworkPolicies lateral movement is not covered', () => {
    const without = ThreatModel.fromObjects([deployment()]);
    expect(statusOf(without, 'I3-lateral-movement', 'workload:shop/Deployment/api')).toBe(ThreatStatus.NOT_COVERED);
    expect(without.data.flows).toEqual([]);
  });

  test('Secrets are assets with their readers: workloads that mount them and RBAC subjects that may read them', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque' };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db'] }] };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }],
    };
    const d = deployment({ env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] });
    const m = ThreatModel.fromObjects([secret, role, binding, d, DENY, ALLOW]);
    const asset = m.data.assets.find(a => a.kind === AssetKind.SECRET)!;
    expect(asset.name).toBe('Secret shop/db');
    expect(asset.details.join(' ')).toContain('Deployment api (mounts or env)');
    expect(asset.details.join(' ')).toContain('ServiceAccount shop/api (RBAC: Role reader)');
  });

  test('the shop example\'s report names every workload, every flow and every Service', () => {
    const app = new App();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../examples/shop.example').build(app, new cdk.App());
    const m = ThreatModel.of(app);
    const md = m.toMarkdown();
    for (const w of ['payments', 'api', 'storefront', 'order-worker']) expect(md).toContain(`Deployment shop/${w}`);
    const nps = m.data.flows.map(f => f.via);
    expect(nps.length).toBeGreaterThan(5);
    for (const via of nps) expect(md).toContain(via);
    expect(m.data.assets.filter(a => a.kind === AssetKind.SERVICE).length).toBe(4);
  });
});

describe('docs/threat-model', () => {
  test.each(exampleNames())('docs/threat-model/%s.md is in sync (run `npm run docs`)', name => {
    const file = path.join(THREAT_DOCS_DIR, `${name}.md`);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf-8')).toBe(exampleThreatModel(name));
  });
});

describe('cdk8s-hardened report', () => {
  test('writes Markdown and JSON for manifests, exit 0', async () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'report-'));
    const file = path.join(dir, 'app.yaml');
    fs.writeFileSync(file, [deployment(), DENY, ALLOW].map(o => JSON.stringify(o)).join('\n'));
    const md = await cli(['report', file, '--title', 'Shop threats']);
    expect(md.code).toBe(0);
    expect(md.out).toContain('# Shop threats');
    expect(md.out).toContain('Deployment shop/api');
    const json = await cli(['report', file, '-f', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).assessments.length).toBeGreaterThan(10);
    expect((await cli(['report', path.join(dir, 'missing.yaml')])).code).toBe(2);
  });
});
