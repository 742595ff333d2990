/**
 * The guard judges what is written: every chart of a guarded App (nested and plain charts too), once per synthesis,
 * on the bytes cdk8s writes (read back as kubectl reads them) or the JSON it returns — after Lazy values, toJson
 * overrides and late mutation. A blocked synthesis writes nothing. Profiles and custom rules cannot disable the
 * catalogue; loosening needs a reasoned, owned, expiring exception that is recorded in the output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Lazy, Testing, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Catalogue, EnforcementMode, Guard, HardenedChart, HardenedDeployment, HardeningProfile, IRule, Severity, Stride, Waiver,
} from '../../../lib';
import { ClusterManifest } from '../../../lib/secrets/cluster-manifest';
import { daysFromNow, synth } from '../../util/synth';

const DIGEST = '@sha256:' + 'a'.repeat(64);
const SECURE_CONTAINER = {
  name: 'c', image: 'registry.example.com/app' + DIGEST,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
};
const POD_SPEC = {
  automountServiceAccountToken: false,
  securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
  containers: [SECURE_CONTAINER],
};
const securePod = (name = 'p') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: POD_SPEC });
const privilegedPod = (name = 'p') => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { ...POD_SPEC, containers: [{ ...SECURE_CONTAINER, securityContext: { ...SECURE_CONTAINER.securityContext, privileged: true } }] },
});
const ONBOARDING = { reason: 'onboarding the legacy shop app, findings tracked in SEC-900', owner: 'team-shop', expires: daysFromNow(30) };

function tmpApp(props: { yamlOutputType?: YamlOutputType } = {}): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'app-guard-')), ...props });
}

function synthAppError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected app.synth() to fail, but it succeeded');
}

/** A custom rule that counts how often it judged each object (to prove one pass per synthesis). */
function countingRule(counts: Map<string, number>): IRule {
  return {
    id: 'test-counter', title: 'counts evaluations', stride: [Stride.TAMPERING], severity: Severity.INFO, appliesTo: ['*'],
    description: 'Counts how often the guard judges each object.', remediation: 'none', references: ['test'],
    check: (o: any) => {
      const k = `${o.kind}/${o.metadata?.name}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      return [];
    },
  };
}

describe('every chart of a guarded App', () => {
  test('a plain chart next to a library construct is judged by app.synth()', () => {
    const app = tmpApp();
    const guarded = new HardenedChart(app, 'guarded');
    new ApiObject(guarded, 'ok', securePod('ok') as any);
    const plain = new Chart(app, 'plain');
    new ApiObject(plain, 'bad', privilegedPod('bad') as any);
    const msg = synthAppError(app);
    expect(msg).toContain('privileged-container');
    expect(msg).toContain('Pod bad (construct plain/bad)');
    expect(msg).toContain('plain.k8s.yaml doc 0');
  });

  test('a nested chart is judged (its objects are written into their own closest chart)', () => {
    const app = tmpApp();
    const outer = new HardenedChart(app, 'outer');
    const inner = new Chart(outer, 'inner');
    new ApiObject(inner, 'bad', privilegedPod('bad') as any);
    expect(synthAppError(app)).toContain('Pod bad (construct outer/inner/bad)');
    expect(() => synth(inner)).toThrow(/privileged-container/);
  });

  test('a HardeningProfile alone puts the App under the guard', () => {
    const app = tmpApp();
    new HardeningProfile(app, 'profile', { allowedRegistries: ['registry.example.com'] });
    const chart = new Chart(app, 'plain');
    new ApiObject(chart, 'bad', privilegedPod('bad') as any);
    expect(synthAppError(app)).toContain('privileged-container');
    expect(() => app.synthYaml()).toThrow(/privileged-container/);
  });

  test('an App without any library construct or profile is not guarded', () => {
    const app = tmpApp();
    new ApiObject(new Chart(app, 'plain'), 'bad', privilegedPod('bad') as any);
    expect(() => app.synth()).not.toThrow();
  });

  test('a blocked synthesis writes no manifest; a passing one writes every file', () => {
    const app = tmpApp();
    const a = new HardenedChart(app, 'a');
    new ApiObject(a, 'ok', securePod('ok') as any);
    const b = new Chart(app, 'b');
    const bad = new ApiObject(b, 'bad', privilegedPod('bad') as any);
    synthAppError(app);
    expect(fs.readdirSync(app.outdir).filter(f => f.endsWith('.yaml'))).toEqual([]);
    Waiver.apply(bad, { ruleId: 'privileged-container', reason: 'node agent needs host devices (SEC-1)', owner: 'team-node', expires: daysFromNow(10) });
    app.synth();
    expect(fs.readdirSync(app.outdir).filter(f => f.endsWith('.yaml')).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
  });

  test.each([
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('every output layout is judged before it is written (%s)', (_name, yamlOutputType) => {
    const app = tmpApp({ yamlOutputType });
    new ApiObject(new HardenedChart(app, 'c'), 'bad', privilegedPod('bad') as any);
    expect(synthAppError(app)).toContain('privileged-container');
    const written: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach(e => (e.isDirectory() ? walk(path.join(d, e.name)) : written.push(e.name)));
    walk(app.outdir);
    expect(written.filter(f => f.endsWith('.yaml'))).toEqual([]);
  });

  test('the guard judges each object once per app.synth(), however many charts', () => {
    const counts = new Map<string, number>();
    const app = tmpApp();
    new HardeningProfile(app, 'profile', { customRules: [countingRule(counts)] });
    for (let i = 0; i < 12; i++) new kplus.ConfigMap(new Chart(app, `c${i}`), 'cm', { metadata: { name: `cm${i}` }, data: { a: 'b' } });
    app.synth();
    expect(counts.size).toBe(12);
    expect([...counts.values()].every(n => n === 1)).toBe(true);
    counts.clear();
    app.synthYaml();
    expect([...counts.values()].every(n => n === 1)).toBe(true);
  });
});

describe('the guard judges the bytes that are written', () => {
  test('a "<<" key that cdk8s writes as a YAML merge key is judged as kubectl reads it', () => {
    const app = tmpApp();
    const chart = new HardenedChart(app, 'c');
    new ApiObject(chart, 'p', { ...securePod('p'), spec: { ...POD_SPEC, '<<': { hostNetwork: true } } } as any);
    const msg = synthAppError(app);
    expect(msg).toContain('host-namespaces');
    expect(msg).toContain('spec.hostNetwork');
    expect(() => app.synthYaml()).toThrow(/host-namespaces/);
  });

  test('a Lazy value that changes between reads is read once: the value judged is the value written', () => {
    const app = tmpApp();
    const chart = new HardenedChart(app, 'c');
    let reads = 0;
    const flag = Lazy.any({ produce: () => reads++ > 0 });
    new ApiObject(chart, 'p', { ...securePod('p'), spec: { ...POD_SPEC, hostPID: flag } } as any);
    app.synth();
    expect(reads).toBe(1);
    expect(fs.readFileSync(path.join(app.outdir, 'c.k8s.yaml'), 'utf-8')).toContain('hostPID: false');
    // the next read would be insecure: it is the one written and judged
    expect(synthAppError(app)).toContain('host-namespaces');
    expect(fs.readFileSync(path.join(app.outdir, 'c.k8s.yaml'), 'utf-8')).toContain('hostPID: false');
  });

  test('a subclass toJson() override is judged by its output', () => {
    class Sneaky extends ApiObject {
      public toJson(): any {
        const out = super.toJson();
        out.spec.hostIPC = true;
        return out;
      }
    }
    const app = tmpApp();
    new Sneaky(new HardenedChart(app, 'c'), 'p', securePod('p') as any);
    expect(synthAppError(app)).toContain('host-namespaces');
  });

  test('late mutation after a passing synthesis is judged on the next synthesis', () => {
    const app = tmpApp();
    const chart = new HardenedChart(app, 'c');
    const pod = new ApiObject(chart, 'p', securePod('p') as any);
    app.synth();
    pod.addJsonPatch(JsonPatch.add('/spec/hostNetwork', true));
    expect(synthAppError(app)).toContain('host-namespaces');
  });

  test('chart.toJson() (the EKS addCdk8sChart path) and Testing.synth are judged on the JSON they return', () => {
    const chart = new HardenedChart(new App(), 'c');
    new ApiObject(chart, 'p', privilegedPod('p') as any);
    expect(() => chart.toJson()).toThrow(/privileged-container/);
    expect(() => Testing.synth(chart)).toThrow(/privileged-container/);
  });

  test('ClusterManifest.fromChart returns exactly the JSON it judged', () => {
    const chart = new HardenedChart(new App(), 'c');
    let reads = 0;
    new ApiObject(chart, 'p', { ...securePod('p'), spec: { ...POD_SPEC, hostPID: Lazy.any({ produce: () => reads++ > 0 }) } } as any);
    const out = ClusterManifest.fromChart(chart);
    expect(out[0].spec.hostPID).toBe(false);
  });
});

describe('profiles and custom rules cannot disable the catalogue', () => {
  test('a custom rule may not reuse a catalogue rule id', () => {
    const rule = { ...Catalogue.get('privileged-container'), check: () => [] } as IRule;
    expect(() => new HardeningProfile(new App(), 'p', { customRules: [rule] }))
      .toThrow(/props\.customRules="privileged-container" violates waiver-invalid: has the id of a rule that already exists/);
  });

  test('catalogue rules are frozen', () => {
    const rule = Catalogue.get('privileged-container') as any;
    expect(() => { rule.check = () => []; }).toThrow(TypeError);
    expect(() => { rule.severity = Severity.INFO; }).toThrow(TypeError);
    expect(() => { (Catalogue.all() as any).length = 0; }).not.toThrow();
    expect(Catalogue.all().length).toBeGreaterThan(50);
  });

  test('a custom rule that mutates the object it judges changes nothing the catalogue sees', () => {
    const scrub: IRule = {
      id: 'team-scrub', title: 'scrubs', stride: [Stride.TAMPERING], severity: Severity.ERROR, appliesTo: ['*'],
      description: 'Tries to remove privileged flags before other rules run.', remediation: 'none', references: ['test'],
      check: (o: any) => {
        for (const c of o.spec?.containers ?? []) delete c.securityContext.privileged;
        return [];
      },
    };
    const app = tmpApp();
    new HardeningProfile(app, 'p', { customRules: [scrub] });
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'a', privilegedPod('a') as any);
    new ApiObject(chart, 'b', privilegedPod('b') as any);
    const msg = synthAppError(app);
    expect(msg.match(/privileged-container/g)?.length).toBeGreaterThanOrEqual(2);
    expect(msg).toContain('team-scrub [unevaluable]');
  });

  test('audit mode needs an exception record, which is written into the output and lifts only waivable rules', () => {
    expect(() => new HardeningProfile(new App(), 'p', { mode: EnforcementMode.AUDIT }))
      .toThrow(/\[p\] props=\["mode=audit"\] violates waiver-invalid: loosens the library defaults \(mode=audit\) without an exception record/);
    const app = tmpApp();
    new HardeningProfile(app, 'p', { mode: EnforcementMode.AUDIT, exception: ONBOARDING });
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'bad', privilegedPod('bad') as any);
    app.synth();
    const written = fs.readFileSync(path.join(app.outdir, 'c.k8s.yaml'), 'utf-8');
    expect(written).toContain('hardened.cdk8s.io/exceptions');
    expect(written).toContain('mode=audit');
    expect(written).toContain('team-shop');
  });

  test('a nested profile that loosens the enclosing one needs its own exception', () => {
    const app = tmpApp();
    new HardeningProfile(app, 'p', { allowedRegistries: ['registry.example.com'], maxWaiverDays: 30 });
    const c1 = new Chart(app, 'c1');
    expect(() => new HardeningProfile(c1, 'p', { requireDigest: false }))
      .toThrow(/loosens the enclosing profile \(requireDigest=false\) without an exception record/);
    const c2 = new Chart(app, 'c2');
    expect(() => new HardeningProfile(c2, 'p', { allowedRegistries: ['docker.io'] })).toThrow(/allowedRegistries\+=docker\.io/);
    const c3 = new Chart(app, 'c3');
    expect(() => new HardeningProfile(c3, 'p', { maxWaiverDays: 60 })).toThrow(/maxWaiverDays=60/);
    const c4 = new Chart(app, 'c4');
    expect(() => new HardeningProfile(c4, 'p', { allowedRegistries: ['registry.example.com/team-a'], maxWaiverDays: 10 })).not.toThrow();
    const c5 = new Chart(app, 'c5');
    expect(() => new HardeningProfile(c5, 'p', { requireDigest: false, exception: { ...ONBOARDING, expires: daysFromNow(31) } }))
      .toThrow(/31 days ahead; at most 30 are allowed/);
    const c6 = new Chart(app, 'c6');
    expect(() => new HardeningProfile(c6, 'p', { maxWaiverDays: 10, exception: ONBOARDING })).toThrow(/violates waiver-unused: records an exception, but the profile loosens nothing/);
    const c7 = new Chart(app, 'c7');
    new HardeningProfile(c7, 'p', { requireDigest: false, exception: ONBOARDING });
    new ApiObject(c7, 'tagged', { ...securePod('tagged'), spec: { ...POD_SPEC, containers: [{ ...SECURE_CONTAINER, image: 'registry.example.com/app:1.2.3' }] } } as any);
    app.synth();
    expect(fs.readFileSync(path.join(app.outdir, 'c7.k8s.yaml'), 'utf-8')).toContain('requireDigest=false');
  });

  test('an expired or malformed exception annotation written by hand fails synthesis and check alike', () => {
    const app = tmpApp();
    const chart = new HardenedChart(app, 'c');
    const pod = new ApiObject(chart, 'bad', privilegedPod('bad') as any);
    pod.metadata.addAnnotation('hardened.cdk8s.io/exceptions', JSON.stringify([{ ...ONBOARDING, scope: 'c', loosens: ['mode=audit'], expires: daysFromNow(-1) }]));
    const msg = synthAppError(app);
    expect(msg).toContain('waiver-expired');
    expect(msg).toContain('privileged-container');
    pod.metadata.addAnnotation('hardened.cdk8s.io/exceptions', JSON.stringify([{ scope: 'c', loosens: ['mode=audit'] }]));
    expect(synthAppError(app)).toContain('waiver-invalid');
  });

  test('Guard.of(chart).findings() still reports the chart\'s findings', () => {
    const chart = new HardenedChart(new App(), 'c');
    new ApiObject(chart, 'bad', privilegedPod('bad') as any);
    new ApiObject(new Chart(chart.node.root as any, 'other'), 'bad2', privilegedPod('bad2') as any);
    const f = Guard.of(chart).findings();
    expect(f.map(x => x.object.name)).toEqual(expect.arrayContaining(['bad']));
    expect(f.map(x => x.object.name)).not.toContain('bad2');
  });

  test('HardenedDeployment in one chart guards a raw object in another chart of the App', () => {
    const app = tmpApp();
    new HardenedDeployment(new Chart(app, 'api'), 'api', { image: 'registry.example.com/api' + DIGEST, port: 8080, resources: { cpuRequest: '100m', memoryRequest: '64Mi' } });
    new ApiObject(new Chart(app, 'legacy'), 'bad', privilegedPod('bad') as any);
    expect(synthAppError(app)).toContain('Pod bad (construct legacy/bad)');
  });
});

describe('profile maximums', () => {
  test('maxReplicas and per-container CPU/memory maximums are enforced at synth, validated as props, and a nested raise is a loosening', () => {
    const app = tmpApp();
    new HardeningProfile(app, 'p', { maxReplicas: 4, maxContainerCpu: '1', maxContainerMemory: '1Gi' });
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'big', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'big' },
      spec: { replicas: 6, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { ...POD_SPEC, containers: [{ ...SECURE_CONTAINER, resources: { requests: { cpu: '1500m', memory: '64Mi' }, limits: { memory: '2Gi' } } }] } } },
    } as any);
    const msg = synthAppError(app);
    expect(msg).toContain('at spec.replicas: profile-maximums');
    expect(msg).toContain('requests.cpu: profile-maximums');
    expect(msg).toContain('limits.memory: profile-maximums');
    expect(() => new HardeningProfile(new App(), 'q', { maxReplicas: 0 })).toThrow(/props\.maxReplicas=0 violates profile-maximums/);
    expect(() => new HardeningProfile(new App(), 'q', { maxContainerMemory: 'lots' })).toThrow(/props\.maxContainerMemory="lots" violates profile-maximums/);
    expect(() => new HardeningProfile(new Chart(app, 'd'), 'q', { maxReplicas: 8 })).toThrow(/maxReplicas=8/);
    expect(() => new HardeningProfile(new Chart(app, 'e'), 'q', { maxContainerCpu: '2000m' })).toThrow(/maxContainerCpu=2000m/);
    expect(() => new HardeningProfile(new Chart(app, 'f'), 'q', { maxContainerCpu: '500m', maxReplicas: 2 })).not.toThrow();
  });
});
