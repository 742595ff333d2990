/**
 * The threat model claims no more than the manifests prove: `mitigated` only with positive evidence; removing a control
 * turns it into something else and adding it back restores it (default deny, undefined namespace, cross-namespace
 * RBAC readers including the built-in `edit` role, waivers beyond maxWaiverDays, the App's HardeningProfile); the
 * diagram draws what the evaluators compute; the examples' reports are in sync; `cdk8s-hardened report` exits on
 * --fail-on.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { ApiObject, App, Chart } from 'cdk8s';
import { AssetKind, Catalogue, HardenedChart, HardeningProfile, MATRIX_TECHNIQUES, Stride, TECHNIQUES_NOT_APPLICABLE, THREATS, ThreatModel, ThreatStatus, Waiver } from '../../lib';
import { linkProblems, rulesOfThreat, THREAT_RULE_LINKS } from '../../lib/threat/rule-links';
import { exampleNames, exampleThreatModel, THREAT_DOCS_DIR } from '../../scripts/threat-docs';
import { cli } from '../cli/helpers';
import { daysFromNow } from '../util/synth';

const DIGEST = '@sha256:' + 'a'.repeat(64);
const CONTAINER = {
  name: 'c', image: 'registry.example.com/app' + DIGEST,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { 'memory': '64Mi', 'ephemeral-storage': '1Gi' } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  readinessProbe: { httpGet: { path: '/', port: 8080 } }, livenessProbe: { httpGet: { path: '/', port: 8080 } },
};
function deployment(extra: any = {}, annotations?: object, podExtra: any = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { serviceAccountName: 'api', automountServiceAccountToken: false, securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ ...CONTAINER, ...extra }], ...podExtra },
      },
    },
  };
}
const NS = {
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28' } },
};
const QUOTA = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'shop' }, spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', 'pods': '20', 'services.loadbalancers': '0', 'services.nodeports': '0' } } };
const PDB = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'api' } } } };
const LIMITS = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'shop' }, spec: { limits: [{ type: 'Container', default: { memory: '128Mi' } }] } };
const DENY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
const ALLOW = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api-ingress', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } }], ports: [{ port: 8080 }] }] },
};
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque' };
const USES_SECRET = { env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] };
const binding = (name: string, roleRef: any, subjects: any[], kind = 'RoleBinding') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});
const READER_ROLE = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db'] }] };

/** A complete, isolated app: every namespace control present. */
const FULL = () => [NS, QUOTA, LIMITS, DENY, ALLOW, PDB, deployment()];

const assessment = (m: ThreatModel, threatId: string, assetId: string) => {
  const a = m.data.assessments.find(x => x.threatId === threatId && x.assetId === assetId);
  if (!a) throw new Error(`no assessment ${threatId} on ${assetId}: ${m.data.assessments.filter(x => x.threatId === threatId).map(x => x.assetId).join(', ')}`);
  return a;
};
const statusOf = (m: ThreatModel, threatId: string, assetId: string) => assessment(m, threatId, assetId).status;
const W = 'workload:shop/Deployment/api';

describe('the threat catalogue', () => {
  test('every threat names its STRIDE category, techniques, risk inputs, the operator\'s part, an assumption and its source', () => {
    for (const t of THREATS) {
      expect(t.id).toMatch(/^[STRIDE]\d+-[a-z0-9-]+$/);
      expect(t.operator.length).toBeGreaterThan(10);
      expect(t.assumption.length).toBeGreaterThan(10);
      expect(t.sources.length).toBeGreaterThan(0);
      expect([1, 2, 3]).toContain(t.impact);
      expect([1, 2, 3]).toContain(t.likelihood);
      for (const id of t.techniques) expect(id).toMatch(/^(MS-TA9\d{3}|T\d{4}(\.\d{3})?)$/);
      for (const id of t.techniques.filter(x => x.startsWith('MS-'))) expect(MATRIX_TECHNIQUES.map(x => x.id)).toContain(id);
    }
    expect(new Set(THREATS.map(t => t.id)).size).toBe(THREATS.length);
    for (const s of Object.values(Stride)) expect(THREATS.some(t => t.stride === s)).toBe(true);
    expect(THREATS.some(t => t.sources.some(x => x.startsWith('seeds/002')))).toBe(true);
    expect(THREATS.some(t => t.sources.some(x => x.startsWith('seeds/000')))).toBe(true);
  });

  test('every technique of the Threat Matrix for Kubernetes is carried by a threat (with its MITRE ids) or listed as not applicable with a reason', () => {
    const carried = new Set(THREATS.flatMap(t => t.techniques));
    for (const tech of MATRIX_TECHNIQUES) {
      if (TECHNIQUES_NOT_APPLICABLE[tech.id]) {
        expect(carried.has(tech.id)).toBe(false);
        continue;
      }
      expect({ id: tech.id, carried: carried.has(tech.id) }).toEqual({ id: tech.id, carried: true });
      const carriers = THREATS.filter(t => t.techniques.includes(tech.id));
      for (const m of tech.mitre) {
        const found = carriers.some(t => t.techniques.includes(m)) || carried.has(m);
        expect({ id: tech.id, mitre: m, found }).toEqual({ id: tech.id, mitre: m, found: true });
      }
    }
  });

  test('every item the seeds name has a threat: API fairness, cloud metadata, supply chain, patching, kubelet/control-plane configuration, log tampering, data destruction, kube-system tampering, runtime detection', () => {
    for (const id of ['D3-control-plane-denial-of-service', 'I5-cloud-metadata-credentials', 'T4-supply-chain', 'E5-unpatched-vulnerabilities',
      'E6-node-and-control-plane-configuration', 'R3-log-tampering', 'D4-data-destruction', 'T5-kube-system-tampering', 'R4-no-runtime-detection']) {
      expect(THREATS.map(t => t.id)).toContain(id);
    }
  });

  test('every rule named or linked exists, every link names a threat, and every catalogue rule mitigates at least one threat', () => {
    expect(linkProblems()).toEqual([]);
    expect(linkProblems([['no-such-rule', 'S1-stolen-service-account-token'], ['privileged-container', 'X9-nothing']])).toHaveLength(2);
    const named = new Set(THREATS.flatMap(t => rulesOfThreat(t)));
    for (const id of named) expect(Catalogue.find(id)?.id).toBe(id);
    const unmapped = Catalogue.all().map(r => r.id).filter(id => !named.has(id));
    expect(unmapped).toEqual([]);
    expect(Array.isArray(THREAT_RULE_LINKS)).toBe(true);
  });

  test('a one-line link attaches a rule to a threat: its findings count and the kinds it judges become cluster evidence', () => {
    expect(rulesOfThreat(THREATS.find(t => t.id === 'E6-node-and-control-plane-configuration')!)).toEqual(expect.arrayContaining(['kubelet-authentication', 'kubeadm-etcd-tls']));
    const e6 = THREATS.find(t => t.id === 'R4-no-runtime-detection')!;
    expect(rulesOfThreat(e6)).toEqual([]);
    expect(rulesOfThreat(e6, [['audit-policy-valid', e6.id]])).toEqual(['audit-policy-valid']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { controlKindsOf } = require('../../lib/threat/rule-links');
    expect(controlKindsOf(e6, [['audit-policy-valid', e6.id]])).toEqual(expect.arrayContaining(Catalogue.find('audit-policy-valid')!.appliesTo.filter(k => k !== '*')));
  });
});

describe('evidence, never absence', () => {
  test('every mitigated assessment lists evidence; every example\'s report says so too', () => {
    const check = (m: ThreatModel) => {
      for (const a of m.data.assessments) {
        if (a.status === ThreatStatus.MITIGATED) expect({ a: `${a.threatId} ${a.assetId}`, n: a.evidence.length > 0 }).toEqual({ a: `${a.threatId} ${a.assetId}`, n: true });
        if (a.status === ThreatStatus.ASSUMED || a.status === ThreatStatus.OUTSIDE) expect(a.assumptions.length).toBeGreaterThan(0);
      }
      expect(m.toMarkdown()).not.toContain('(elsewhere)');
    };
    check(ThreatModel.fromObjects(FULL()));
    check(ThreatModel.fromObjects([deployment()]));
  });

  test('a complete app: the workload and namespace are mitigated with the evaluators\' evidence', () => {
    const m = ThreatModel.fromObjects(FULL());
    const lateral = assessment(m, 'I3-lateral-movement', W);
    expect(lateral.status).toBe(ThreatStatus.MITIGATED);
    expect(lateral.mitigatedBy.join(' ')).toContain('ingress isolated by NetworkPolicy shop/api-ingress, shop/default-deny; admits namespace web on TCP 8080');
    expect(lateral.mitigatedBy.join(' ')).toContain('egress isolated by NetworkPolicy shop/default-deny; admits nothing');
    expect(lateral.assumptions).toEqual(['A-I3-lateral-movement']);
    expect(m.data.assumptions.find(a => a.id === 'A-I3-lateral-movement')?.text).toContain('CNI enforces NetworkPolicies');
    expect(statusOf(m, 'I3-lateral-movement', 'namespace:shop')).toBe(ThreatStatus.MITIGATED);
    expect(assessment(m, 'D1-resource-exhaustion', 'namespace:shop').mitigatedBy.join(' ')).toMatch(/ResourceQuota quota.*LimitRange limits/);
    expect(assessment(m, 'E3-policy-not-enforced', 'namespace:shop').mitigatedBy).toEqual(['pod-security.kubernetes.io/enforce: restricted (version v1.28)']);
    expect(statusOf(m, 'E1-container-escape', W)).toBe(ThreatStatus.MITIGATED);
    expect(statusOf(m, 'I5-cloud-metadata-credentials', W)).toBe(ThreatStatus.MITIGATED);
  });

  test('missing default deny: removing the policies turns mitigated into not covered / no evidence; adding them back restores it', () => {
    const without = ThreatModel.fromObjects([NS, QUOTA, LIMITS, deployment()]);
    expect(statusOf(without, 'I3-lateral-movement', W)).toBe(ThreatStatus.NOT_COVERED); // workload-network-policy fails
    expect(assessment(without, 'I3-lateral-movement', W).gaps.join(' ')).toContain('ingress not isolated');
    expect(statusOf(without, 'I3-lateral-movement', 'namespace:shop')).toBe(ThreatStatus.NOT_COVERED); // namespace-default-deny fails
    expect(statusOf(without, 'I5-cloud-metadata-credentials', W)).toBe(ThreatStatus.NO_EVIDENCE);
    // The diagram draws what is now allowed: anything may reach the pod, and the pod reaches the metadata API.
    expect(without.data.flows).toEqual(expect.arrayContaining([
      expect.objectContaining({ from: 'any-pod', to: 'w:shop/Deployment/api', via: 'ingress not isolated' }),
      expect.objectContaining({ from: 'w:shop/Deployment/api', to: 'cloud-metadata', via: 'egress not isolated' }),
    ]));
    expect(without.toMarkdown()).not.toContain('with a default deny in place nothing else flows');

    // Only the ingress policy: egress stays open.
    const ingressOnly = ThreatModel.fromObjects([NS, QUOTA, LIMITS, ALLOW, deployment()]);
    expect(statusOf(ingressOnly, 'I3-lateral-movement', W)).not.toBe(ThreatStatus.MITIGATED);
    expect(assessment(ingressOnly, 'I3-lateral-movement', W).gaps.join(' ')).toContain('egress not isolated');

    // A default deny whose rules admit everyone is no isolation.
    const allowAll = { ...ALLOW, metadata: { name: 'open', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } };
    expect(statusOf(ThreatModel.fromObjects([...FULL(), allowAll]), 'I3-lateral-movement', W)).not.toBe(ThreatStatus.MITIGATED);

    const back = ThreatModel.fromObjects(FULL());
    expect(statusOf(back, 'I3-lateral-movement', W)).toBe(ThreatStatus.MITIGATED);
    expect(statusOf(back, 'I3-lateral-movement', 'namespace:shop')).toBe(ThreatStatus.MITIGATED);
  });

  test('undefined namespace: no policies, quota or PSA labels in the output is never mitigated; defining them restores it', () => {
    const m = ThreatModel.fromObjects([deployment({}, undefined)]);
    for (const t of ['I3-lateral-movement', 'D1-resource-exhaustion', 'E3-policy-not-enforced', 'E4-shared-node-breakout']) {
      const a = assessment(m, t, 'namespace:shop');
      expect({ t, status: a.status }).not.toEqual({ t, status: ThreatStatus.MITIGATED });
      expect(a.evidence).toEqual([]);
    }
    expect(assessment(m, 'E3-policy-not-enforced', 'namespace:shop').gaps.join(' ')).toContain('Namespace shop is not defined in this app');
    expect(m.data.assets.find(a => a.id === 'namespace:shop')?.details.join(' ')).toContain('not defined in this app');
    const full = ThreatModel.fromObjects(FULL());
    for (const t of ['I3-lateral-movement', 'D1-resource-exhaustion', 'E3-policy-not-enforced']) expect(statusOf(full, t, 'namespace:shop')).toBe(ThreatStatus.MITIGATED);
    // A PSA label of the wrong level is no evidence either.
    const privileged = { ...NS, metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } };
    expect(statusOf(ThreatModel.fromObjects([privileged, QUOTA, LIMITS, DENY, ALLOW, deployment()]), 'E3-policy-not-enforced', 'namespace:shop')).not.toBe(ThreatStatus.MITIGATED);
  });

  test('cross-namespace reader: another namespace\'s ServiceAccount that may read the Secret leaves it not covered; removing the binding restores it', () => {
    const own = binding('own-reader', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    const base = [...FULL().filter(o => o.kind !== 'Deployment'), deployment(USES_SECRET), SECRET, READER_ROLE];
    const ok = ThreatModel.fromObjects([...base, own]);
    expect(statusOf(ok, 'I1-secret-read-through-permissions', 'secret:shop/db')).toBe(ThreatStatus.MITIGATED);
    expect(assessment(ok, 'I1-secret-read-through-permissions', 'secret:shop/db').mitigatedBy.join(' ')).toContain('RBAC evaluator');

    const spy = binding('spy', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'spy', namespace: 'other' }]);
    const m = ThreatModel.fromObjects([...base, own, spy]);
    const a = assessment(m, 'I1-secret-read-through-permissions', 'secret:shop/db');
    expect(a.status).toBe(ThreatStatus.NOT_COVERED);
    expect(a.gaps.join(' ')).toContain('ServiceAccount other/spy may read it (RoleBinding shop/spy → Role reader)');
    // The reader's namespace is drawn, with the read.
    expect(m.data.boundaries.map(b => b.id)).toContain('namespace:other');
    expect(m.data.flows).toEqual(expect.arrayContaining([expect.objectContaining({ from: 's:shop/db', to: 'sa:ServiceAccount other/spy', tls: 'TLS' })]));

    expect(statusOf(ThreatModel.fromObjects([...base, own]), 'I1-secret-read-through-permissions', 'secret:shop/db')).toBe(ThreatStatus.MITIGATED);
  });

  test('the built-in edit ClusterRole bound to another namespace\'s ServiceAccount makes the Secret not covered (RBAC evaluator, not only the binding)', () => {
    const base = [...FULL().filter(o => o.kind !== 'Deployment'), deployment(USES_SECRET), SECRET];
    const edit = binding('ci-edit', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]);
    const m = ThreatModel.fromObjects([...base, edit]);
    expect(statusOf(m, 'I1-secret-read-through-permissions', 'secret:shop/db')).toBe(ThreatStatus.NOT_COVERED);
    expect(assessment(m, 'I1-secret-read-through-permissions', 'secret:shop/db').gaps.join(' ')).toContain('ServiceAccount ci/deployer may read it (RoleBinding shop/ci-edit → ClusterRole edit (built in))');
    // cluster-wide: cluster-admin through a ClusterRoleBinding, for a User.
    const admin = binding('ops', { kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'User', name: 'ops@example.com', apiGroup: 'rbac.authorization.k8s.io' }], 'ClusterRoleBinding');
    expect(assessment(ThreatModel.fromObjects([...base, admin]), 'I1-secret-read-through-permissions', 'secret:shop/db').gaps.join(' ')).toContain('User ops@example.com may read it');
    // view reads no Secret.
    const view = binding('ci-view', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]);
    expect(statusOf(ThreatModel.fromObjects([...base, view]), 'I1-secret-read-through-permissions', 'secret:shop/db')).toBe(ThreatStatus.MITIGATED);
    expect(statusOf(ThreatModel.fromObjects(base), 'I1-secret-read-through-permissions', 'secret:shop/db')).toBe(ThreatStatus.MITIGATED);
  });

  test('a binding of a ClusterRole that is neither in the output nor built in is no evidence', () => {
    const base = [...FULL().filter(o => o.kind !== 'Deployment'), deployment(USES_SECRET), SECRET];
    const custom = binding('x', { kind: 'ClusterRole', name: 'made-elsewhere' }, [{ kind: 'ServiceAccount', name: 'x', namespace: 'shop' }]);
    const a = assessment(ThreatModel.fromObjects([...base, custom]), 'I1-secret-read-through-permissions', 'secret:shop/db');
    expect(a.status).toBe(ThreatStatus.NO_EVIDENCE);
    expect(a.gaps.join(' ')).toContain('its grants are not in the output');
  });

  test('waivers: within maxWaiverDays an accepted risk with owner and approver; beyond it invalid (not covered); removing the excess restores waived', () => {
    const priv = { securityContext: { ...CONTAINER.securityContext, privileged: true } };
    const waiver = (days: number, extra: object = {}) => ({ 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: 'privileged-container', reason: 'GPU driver needs device access (SEC-77)', owner: 'team-ml', expires: daysFromNow(days), ...extra }]) });
    const ok = ThreatModel.fromObjects([NS, QUOTA, LIMITS, DENY, ALLOW, deployment(priv, waiver(20, { approver: 'ciso@example.com' }))]);
    const a = assessment(ok, 'E1-container-escape', W);
    expect(a.status).toBe(ThreatStatus.WAIVED);
    expect(a.acceptedRisks).toEqual([expect.objectContaining({ ruleId: 'privileged-container', owner: 'team-ml', approver: 'ciso@example.com', daysLeft: 20 })]);
    expect(ok.toMarkdown()).toContain('| privileged-container | Deployment shop/api | team-ml | ciso@example.com |');

    const tooLong = ThreatModel.fromObjects([NS, QUOTA, LIMITS, DENY, ALLOW, deployment(priv, waiver(3000))]);
    const b = assessment(tooLong, 'E1-container-escape', W);
    expect(b.status).toBe(ThreatStatus.NOT_COVERED);
    expect(b.acceptedRisks).toEqual([]);
    expect(b.findings.map(f => f.message).join(' ')).toMatch(/waiver .* is invalid: 3000 days ahead, the profile allows at most 90/);
    expect(tooLong.toMarkdown()).toContain('None: no finding of this app is waived.');
    expect(statusOf(tooLong, 'R2-untraceable-exceptions', 'cluster')).toBe(ThreatStatus.NOT_COVERED);

    // A profile that allows longer waivers makes the same waiver valid.
    const longer = ThreatModel.fromObjects([NS, QUOTA, LIMITS, DENY, ALLOW, deployment(priv, waiver(3000))], {
      settings: { allowedRegistries: [], requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 4000 },
    });
    expect(statusOf(longer, 'E1-container-escape', W)).toBe(ThreatStatus.WAIVED);
    const noApprover = assessment(ThreatModel.fromObjects([NS, QUOTA, LIMITS, DENY, ALLOW, deployment(priv, waiver(20))]), 'E1-container-escape', W);
    expect(noApprover.acceptedRisks[0].approver).toBe('not recorded');
  });

  test('Waiver.apply records the approver, and the accepted risk names it; an empty approver is refused', () => {
    const app = new App();
    const chart = new Chart(app, 'ml', { namespace: 'ml' });
    const pod = new ApiObject(chart, 'trainer', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'trainer' },
      spec: { containers: [{ name: 'c', image: `r.example.com/t@sha256:${'a'.repeat(64)}`, securityContext: { privileged: true } }] } });
    Waiver.apply(pod, { ruleId: 'privileged-container', reason: 'the GPU driver installer needs the host devices', owner: 'team-ml',
      expires: daysFromNow(20), approver: 'security-board' });
    const m = ThreatModel.fromObjects(chart.toJson());
    const risks = m.data.assessments.flatMap(a => a.acceptedRisks).filter(r => r.ruleId === 'privileged-container');
    expect(risks.length).toBeGreaterThan(0);
    expect(new Set(risks.map(r => r.approver))).toEqual(new Set(['security-board']));
    expect(() => Waiver.apply(pod, { ruleId: 'run-as-non-root', reason: 'the GPU driver installer needs the host devices', owner: 'team-ml',
      expires: daysFromNow(20), approver: ' ' })).toThrow(/approver, when given, must be a non-empty team or person/);
  });

  test('ThreatModel.of honours the App\'s HardeningProfile: its maxWaiverDays and allowedRegistries decide', () => {
    const build = (profile?: object) => {
      const app = new App();
      if (profile) new HardeningProfile(app, 'Profile', profile);
      const chart = new Chart(app, 'c');
      const waivers = JSON.stringify([{ ruleId: 'privileged-container', reason: 'GPU driver needs device access (SEC-77)', owner: 'team-ml', expires: daysFromNow(200) }]);
      const d = deployment({ securityContext: { ...CONTAINER.securityContext, privileged: true } }, { 'hardened.cdk8s.io/waivers': waivers });
      for (const o of [NS, QUOTA, LIMITS, DENY, ALLOW, PDB, d]) new ApiObject(chart, `${o.kind}-${o.metadata.name}`, o);
      return app;
    };
    const quiet = process.env.CDK8S_HARDENED_QUIET;
    process.env.CDK8S_HARDENED_QUIET = '1';
    try {
      // Default profile: 200 days is beyond 90: invalid, and the guard (on, with a profile) would block. No profile: no guard.
      expect(statusOf(ThreatModel.of(build()), 'E1-container-escape', W)).toBe(ThreatStatus.NOT_COVERED);
      const allowed = ThreatModel.of(build({ maxWaiverDays: 365 }));
      expect(allowed.data.blocked).toBeUndefined();
      expect(statusOf(allowed, 'E1-container-escape', W)).toBe(ThreatStatus.WAIVED);
      // allowedRegistries of the profile: an image from elsewhere is a finding the default settings would not make.
      const strict = ThreatModel.of(build({ maxWaiverDays: 365, allowedRegistries: ['registry.internal.example'] }));
      expect(statusOf(strict, 'T1-tampered-image', W)).toBe(ThreatStatus.NOT_COVERED);
      expect(statusOf(allowed, 'T1-tampered-image', W)).toBe(ThreatStatus.MITIGATED);
    } finally {
      if (quiet === undefined) delete process.env.CDK8S_HARDENED_QUIET; else process.env.CDK8S_HARDENED_QUIET = quiet;
    }
  });

  test('a blocked app still gets a report that shows the blocking findings', () => {
    const app = new App();
    const chart = new HardenedChart(app, 'c');
    new ApiObject(chart, 'd', deployment({ securityContext: { ...CONTAINER.securityContext, privileged: true } }));
    expect(() => app.synthYaml()).toThrow(/block/);
    const m = ThreatModel.of(app);
    expect(m.data.blocked?.message).toContain('privileged-container');
    expect(m.data.blockingFindings.map(f => f.ruleId)).toContain('privileged-container');
    const md = m.toMarkdown();
    expect(md).toContain('## Synthesis blocked');
    expect(md).toContain('## Blocking findings');
    expect(statusOf(m, 'E1-container-escape', W)).toBe(ThreatStatus.NOT_COVERED);
  });

  test('cluster threats no manifest can mitigate are outside this app with a concrete next step; controls the library emits are assumed until present', () => {
    const m = ThreatModel.fromObjects(FULL());
    const imds = assessment(m, 'I5-cloud-metadata-credentials', 'cluster');
    expect(imds.status).toBe(ThreatStatus.OUTSIDE);
    expect(imds.nextStep).toContain('169.254.169.254');
    expect(assessment(m, 'D3-control-plane-denial-of-service', 'cluster').nextStep).toContain('API Priority and Fairness per tenant');
    const audit = assessment(m, 'R1-no-audit-trail', 'cluster');
    expect(audit.status).toBe(ThreatStatus.ASSUMED);
    expect(m.toMarkdown()).toMatch(/\| A-R1-no-audit-trail \| The API server is started with the audit policy .* writes an audit log/);
    const policy = {
      apiVersion: 'audit.k8s.io/v1', kind: 'Policy', metadata: { name: 'audit' },
      rules: [{ level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] }, { level: 'RequestResponse', verbs: ['create', 'update', 'patch', 'delete'] }, { level: 'Metadata' }],
    };
    const withAudit = ThreatModel.fromObjects([...FULL(), policy]);
    const r1 = assessment(withAudit, 'R1-no-audit-trail', 'cluster');
    expect(r1.findings).toEqual([]);
    expect(r1.status).toBe(ThreatStatus.MITIGATED);
    expect(r1.mitigatedBy.join(' ')).toContain('Policy audit in the output');
  });
});

describe('the data-flow diagram', () => {
  test('external entities, trust boundaries and labelled flows: token use, image pulls, Ingress with TLS, exposed Services', () => {
    const ing = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' },
      spec: { ingressClassName: 'nginx', tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }], rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] },
    };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } };
    const m = ThreatModel.fromObjects([...FULL().filter(o => o.kind !== 'Deployment'), deployment({}, undefined, { automountServiceAccountToken: true, serviceAccountName: 'api' }), ing, svc]);
    const ids = m.data.boundaries.map(b => b.id);
    expect(ids).toEqual(expect.arrayContaining(['internet', 'cluster', 'control-plane', 'node', 'namespace:shop']));
    expect(m.data.boundaries.find(b => b.id === 'namespace:shop')?.parent).toBe('cluster');
    expect(m.data.flows).toEqual(expect.arrayContaining([
      expect.objectContaining({ from: 'w:shop/Deployment/api', to: 'api-server', protocol: 'HTTPS', tls: 'TLS', auth: 'ServiceAccount token shop/api' }),
      expect.objectContaining({ from: 'kubelet', to: 'registry:registry.example.com', tls: 'TLS' }),
      expect.objectContaining({ from: 'internet', to: 'ingress-controller', protocol: 'HTTPS', tls: 'TLS', ports: 'TCP 443' }),
      expect.objectContaining({ from: 'ingress-controller', to: 'w:shop/Deployment/api' }),
      expect.objectContaining({ from: 'internet', to: 'w:shop/Deployment/api', via: 'Service shop/api (LoadBalancer)' }),
    ]));
    expect(statusOf(m, 'I3-lateral-movement', 'service:shop/api')).not.toBe(ThreatStatus.MITIGATED);
    expect(m.toMarkdown()).toContain('subgraph');
  });

  test('ingress from other namespaces and from the internet (an ipBlock reaching anywhere, however spelled) is drawn and is no isolation', () => {
    const m = ThreatModel.fromObjects(FULL());
    expect(m.data.flows).toEqual(expect.arrayContaining([
      expect.objectContaining({ from: 'ns:web:{}', to: 'w:shop/Deployment/api', ports: 'TCP 8080', via: 'NetworkPolicy shop/api-ingress' }),
      expect.objectContaining({ from: 'kubelet', to: 'w:shop/Deployment/api' }),
    ]));
    expect(m.data.nodes.find(n => n.id === 'ns:web:{}')?.boundary).toBe('namespace:web');
    for (const cidrs of [['0.0.0.0/0'], ['0.0.0.0/1', '128.0.0.0/1'], ['::ffff:0:0/96']]) {
      const open = { ...ALLOW, metadata: { name: 'public', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: cidrs.map(cidr => ({ ipBlock: { cidr } })), ports: [{ port: 8443 }] }] } };
      const p = ThreatModel.fromObjects([...FULL(), open]);
      expect(p.data.flows).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'internet', to: 'w:shop/Deployment/api', ports: 'TCP 8443' })]));
      expect(statusOf(p, 'I3-lateral-movement', W)).not.toBe(ThreatStatus.MITIGATED);
      const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' }, ports: [{ port: 8443 }] } };
      expect(statusOf(ThreatModel.fromObjects([...FULL(), open, svc]), 'I3-lateral-movement', 'service:shop/api')).not.toBe(ThreatStatus.MITIGATED);
      expect(statusOf(ThreatModel.fromObjects([...FULL(), svc]), 'I3-lateral-movement', 'service:shop/api')).toBe(ThreatStatus.MITIGATED);
    }
    // Egress to an ipBlock that holds the metadata address opens I5.
    const meta = { ...ALLOW, metadata: { name: 'link-local', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }] } };
    const q = ThreatModel.fromObjects([...FULL(), meta]);
    expect(statusOf(q, 'I5-cloud-metadata-credentials', W)).toBe(ThreatStatus.NO_EVIDENCE);
    expect(q.data.flows).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'w:shop/Deployment/api', to: 'cloud-metadata' })]));
    const except = { ...meta, spec: { ...meta.spec, egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.169.254/32'] } }] }] } };
    expect(statusOf(ThreatModel.fromObjects([...FULL(), except]), 'I5-cloud-metadata-credentials', W)).toBe(ThreatStatus.MITIGATED);
  });

  test('a hostNetwork pod is drawn on the node, unlimited; a privileged pod in a plain chart has edges to its node', () => {
    const host = deployment({}, undefined, { hostNetwork: true });
    const m = ThreatModel.fromObjects([NS, DENY, host]);
    expect(m.data.nodes.find(n => n.id === 'w:shop/Deployment/api')?.boundary).toBe('node');
    expect(m.data.flows).toEqual(expect.arrayContaining([
      expect.objectContaining({ from: 'w:shop/Deployment/api', to: 'any-pod', via: 'hostNetwork: NetworkPolicies do not apply' }),
      expect.objectContaining({ from: 'w:shop/Deployment/api', to: 'cloud-metadata' }),
    ]));
    expect(statusOf(m, 'I3-lateral-movement', W)).not.toBe(ThreatStatus.MITIGATED);

    const app = new App();
    const chart = new Chart(app, 'plain');
    new ApiObject(chart, 'p', deployment({ securityContext: { privileged: true } }));
    const p = ThreatModel.of(app);
    expect(p.data.flows).toEqual(expect.arrayContaining([
      expect.objectContaining({ from: 'w:shop/Deployment/api', to: 'kubelet', via: expect.stringContaining('privileged') }),
      expect.objectContaining({ from: 'any-pod', to: 'w:shop/Deployment/api' }),
    ]));
  });

  test('the shop example\'s report names every workload, every flow and every Service', () => {
    const app = new App();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../examples/shop.example').build(app, new cdk.App());
    const m = ThreatModel.of(app);
    const md = m.toMarkdown();
    for (const w of ['payments', 'api', 'storefront', 'order-worker']) expect(md).toContain(`Deployment shop/${w}`);
    const vias = m.data.flows.map(f => f.via);
    expect(vias.length).toBeGreaterThan(5);
    for (const via of vias) expect(md).toContain(via.replace(/\|/g, '\\|'));
    expect(m.data.assets.filter(a => a.kind === AssetKind.SERVICE).length).toBe(4);
    // The shop example never defines namespace shop: nothing about that namespace is mitigated.
    for (const a of m.data.assessments.filter(x => x.assetId === 'namespace:shop')) expect(a.status).not.toBe(ThreatStatus.MITIGATED);
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
  const write = (objects: any[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const file = path.join(dir, 'app.yaml');
    fs.writeFileSync(file, objects.map(o => JSON.stringify(o)).join('\n'));
    return file;
  };

  test('writes Markdown, JSON and Threat Dragon; exit 0 without --fail-on, 2 on bad input', async () => {
    const file = write(FULL());
    const md = await cli(['report', file, '--title', 'Shop threats']);
    expect(md.code).toBe(0);
    expect(md.out).toContain('# Shop threats');
    expect(md.out).toContain('Deployment shop/api');
    const json = await cli(['report', file, '-f', 'json']);
    expect(json.code).toBe(0);
    const data = JSON.parse(json.out);
    expect(data.assessments.length).toBeGreaterThan(10);
    expect(Object.keys(data.assessments[0])).toEqual(expect.arrayContaining(['threatId', 'assetId', 'status']));
    const td = await cli(['report', file, '-f', 'threat-dragon']);
    expect(JSON.parse(td.out).version).toBe('2.3.0');
    expect((await cli(['report', path.join(path.dirname(file), 'missing.yaml')])).code).toBe(2);
    expect((await cli(['report', file, '--fail-on', 'sometimes'])).code).toBe(2);
    expect((await cli(['report', file, '--max-waiver-days', '0'])).code).toBe(2);
  });

  test('--fail-on not-covered exits 1 when an assessment is not covered, 0 once the control is back', async () => {
    const open = await cli(['report', write([NS, QUOTA, LIMITS, deployment()]), '--fail-on', 'not-covered']);
    expect(open.code).toBe(1);
    expect(open.err).toContain('--fail-on: ');
    expect(open.err).toContain('not covered');
    expect(open.out).toContain('# Threat model');
    expect(open.out).toContain('## Blocking findings');
    expect((await cli(['report', write(FULL()), '--fail-on', 'not-covered'])).code).toBe(0);
    expect((await cli(['report', write([NS, QUOTA, LIMITS, deployment()]), '--fail-on', 'blocking'])).code).toBe(1);
    // no-evidence: the workload's pods may share nodes (no runtimeClassName or node pinning) — a control the output lacks.
    const noEvidence = await cli(['report', write(FULL()), '--fail-on', 'no-evidence']);
    expect(noEvidence.code).toBe(1);
    expect(noEvidence.err).toContain('no evidence');
  });

  test('--fail-on expiring-within=<days> exits 1 when an accepted risk expires within the days', async () => {
    const waivers = JSON.stringify([{ ruleId: 'privileged-container', reason: 'GPU driver needs device access (SEC-77)', owner: 'team-ml', expires: daysFromNow(20) }]);
    const file = write([NS, QUOTA, LIMITS, DENY, ALLOW, PDB, deployment({ securityContext: { ...CONTAINER.securityContext, privileged: true } }, { 'hardened.cdk8s.io/waivers': waivers })]);
    const soon = await cli(['report', file, '--fail-on', 'expiring-within=30']);
    expect(soon.code).toBe(1);
    expect(soon.err).toContain('expire within 30 day(s): privileged-container on Deployment shop/api');
    expect((await cli(['report', file, '--fail-on', 'expiring-within=10'])).code).toBe(0);
    expect((await cli(['report', file, '--fail-on', 'not-covered,expiring-within=10'])).code).toBe(0);
    // The same waiver under a shorter --max-waiver-days is invalid: not covered.
    expect((await cli(['report', file, '--fail-on', 'not-covered', '--max-waiver-days', '10'])).code).toBe(1);
  });
});
