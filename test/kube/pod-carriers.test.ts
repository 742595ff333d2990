/**
 * podSpecsOf: every pod spec of any kind (known carriers at their paths, inferred PodSpec-shaped values elsewhere),
 * and the escape hatches of cdk8s carrying pods in lists and custom resources through the synth guard.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Include } from 'cdk8s';
import { Catalogue, HardenedChart, Outcome, Waiver } from '../../lib';
import { checkPods, containersOf, KNOWN_POD_CARRIERS, podSpecsOf } from '../../lib/kube/manifest';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { WAIVER_ANNOTATION } from '../../lib/policy/waiver-record';
import { daysFromNow, synth, synthError } from '../util/synth';

const IMAGE = 'registry.example.com/a@sha256:' + 'a'.repeat(64);
const privileged = (name = 'app') => ({ name, image: IMAGE, securityContext: { privileged: true } });

function fails(obj: any, ruleIds: string[] = ['privileged-container']) {
  return evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: ruleIds.map(id => Catalogue.get(id)), settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' })
    .filter(f => f.outcome === Outcome.FAIL);
}
const paths = (obj: any, ruleIds?: string[]) => fails(obj, ruleIds).map(f => f.path);

describe('podSpecsOf', () => {
  test('memoized per object identity: the same array for the same object, a new one for a copy', () => {
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [privileged()] } };
    const first = podSpecsOf(obj);
    expect(podSpecsOf(obj)).toBe(first);
    const copy = JSON.parse(JSON.stringify(obj));
    expect(podSpecsOf(copy)).not.toBe(first);
    expect(podSpecsOf(copy).map(p => p.path)).toEqual(['spec']);
    expect(podSpecsOf(null)).toEqual([]);
    expect(podSpecsOf('Pod')).toEqual([]);
  });

  test('known carriers are judged at their path even without containers', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { hostNetwork: true, containers: [] } } } };
    expect(podSpecsOf(d).map(p => [p.path, p.source, p.inferred])).toEqual([['spec.template.spec', 'Deployment spec.template.spec', false]]);
    expect(paths(d, ['host-namespaces'])).toEqual(['spec.template.spec.hostNetwork']);
  });

  test('core kinds in any group keep their paths; custom kinds are keyed by group', () => {
    const ext = { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [privileged()] } } } };
    expect(podSpecsOf(ext)[0].source).toBe('Deployment spec.template.spec');
    // a "Rollout" of an unknown group is still judged, by inference
    const fake = { apiVersion: 'example.com/v1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: { containers: [privileged()] } } } };
    expect(podSpecsOf(fake).map(p => [p.path, p.inferred])).toEqual([['spec.template.spec', true]]);
    expect(KNOWN_POD_CARRIERS).toEqual(expect.arrayContaining(['Pod', 'CronJob', 'argoproj.io/Rollout', 'keda.sh/ScaledJob', 'serving.knative.dev/Service', 'kubeflow.org/PyTorchJob']));
  });

  test('an unknown kind with a PodSpec-shaped value: judged at that path, the finding names it', () => {
    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { runner: { podSpec: { containers: [privileged()] } } } };
    const f = fails(w);
    expect(f.map(x => x.path)).toEqual(['spec.runner.podSpec.containers[0].securityContext.privileged']);
    expect(f[0].message).toContain('read as a pod spec at spec.runner.podSpec');
    expect(f[0].message).toContain('Widget is not a known pod carrier');
  });

  test('a known template and another pod spec in the same object: both judged, the known one not twice', () => {
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { template: { spec: { containers: [privileged('a')] } }, shadow: { containers: [privileged('b')] } },
    };
    expect(paths(d)).toEqual(['spec.template.spec.containers[0].securityContext.privileged', 'spec.shadow.containers[0].securityContext.privileged']);
    expect(fails(d)[1].message).toContain('outside the known pod template paths of Deployment');
  });

  test('empty containers do not hide initContainers or ephemeralContainers', () => {
    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { x: { containers: [], initContainers: [privileged('i')], ephemeralContainers: [privileged('e')] } } };
    expect(paths(w)).toEqual(['spec.x.initContainers[0].securityContext.privileged', 'spec.x.ephemeralContainers[0].securityContext.privileged']);
  });

  test('containers under unexpected keys and shapes: arrays anywhere, steps/sidecars, a lone container, the object root', () => {
    const deep = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { stages: [{ jobs: { build: { containers: [privileged()] } } }] } };
    expect(paths(deep)).toEqual(['spec.stages[0].jobs.build.containers[0].securityContext.privileged']);
    const steps = { apiVersion: 'example.com/v1', kind: 'Pipeline2', metadata: { name: 'p' }, spec: { steps: [privileged('s')], sidecars: [privileged('c')] } };
    expect(paths(steps)).toEqual(['spec.steps[0].securityContext.privileged', 'spec.sidecars[0].securityContext.privileged']);
    const lone = { apiVersion: 'example.com/v1', kind: 'Agent', metadata: { name: 'a' }, spec: { injector: privileged('x') } };
    expect(paths(lone)).toEqual(['spec.injector.securityContext.privileged']);
    const root = { apiVersion: 'example.com/v1', kind: 'Flat', metadata: { name: 'f' }, containers: [privileged()] };
    expect(paths(root)).toEqual(['containers[0].securityContext.privileged']);
    // keys that need quoting keep a readable path
    const odd = { apiVersion: 'example.com/v1', kind: 'Odd', metadata: { name: 'o' }, spec: { 'my pods': { containers: [privileged()] } } };
    expect(paths(odd)).toEqual(['spec["my pods"].containers[0].securityContext.privileged']);
  });

  test('values that are not containers are not pods', () => {
    const w = { apiVersion: 'example.com/v1', kind: 'Shipping', metadata: { name: 's' }, spec: { containers: [{ id: 1, size: '40ft' }], container: 'blue' } };
    expect(podSpecsOf(w)).toEqual([]);
  });

  test('Kubeflow: every replica spec of a PyTorchJob', () => {
    const job = {
      apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'j' },
      spec: {
        pytorchReplicaSpecs: { Master: { template: { spec: { containers: [privileged()] } } }, Worker: { template: { spec: { containers: [privileged()] } } } },
      },
    };
    expect(podSpecsOf(job).map(p => [p.path, p.batch])).toEqual([['spec.pytorchReplicaSpecs.Master.template.spec', true], ['spec.pytorchReplicaSpecs.Worker.template.spec', true]]);
  });

  test('Argo Workflows: workflow-level fields, templates, containerSet, inherited securityContext', () => {
    const wf = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'c' },
      spec: {
        workflowSpec: {
          hostPID: true,
          securityContext: { runAsNonRoot: true },
          templates: [
            { name: 'a', container: { image: IMAGE } },
            { name: 'b', containerSet: { containers: [privileged('x')] } },
          ],
        },
      },
    };
    expect(paths(wf, ['host-namespaces', 'privileged-container', 'run-as-non-root']).sort()).toEqual([
      'spec.workflowSpec.hostPID',
      'spec.workflowSpec.templates[1].containerSet.containers[0].securityContext.privileged',
    ]);
    // a template's own securityContext replaces the workflow's
    const own = JSON.parse(JSON.stringify(wf));
    own.spec.workflowSpec.templates[0].securityContext = { runAsNonRoot: false };
    expect(paths(own, ['run-as-non-root'])).toEqual([
      'spec.workflowSpec.templates[0].securityContext.runAsNonRoot',
      'spec.workflowSpec.templates[0].container.securityContext.runAsNonRoot',
    ]);
  });

  test('Tekton: TaskRun podTemplate securityContext counts for the steps, its hostNetwork is judged', () => {
    const run = {
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r' },
      spec: { podTemplate: { hostNetwork: true, securityContext: { runAsNonRoot: true } }, taskSpec: { steps: [{ name: 's', image: IMAGE }] } },
    };
    expect(paths(run, ['host-namespaces', 'run-as-non-root'])).toEqual(['spec.podTemplate.hostNetwork']);
    const root = JSON.parse(JSON.stringify(run));
    root.spec.podTemplate.securityContext = { runAsUser: 0 };
    expect(paths(root, ['run-as-user-root'])).toEqual(['spec.podTemplate.securityContext.runAsUser']);
  });

  test('Spark: pod-level podSecurityContext and application volumes map to their real paths', () => {
    const app = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 's' },
      spec: { image: IMAGE, volumes: [{ name: 'h', hostPath: { path: '/' } }], driver: { podSecurityContext: { runAsUser: 0 }, hostNetwork: true }, executor: {} },
    };
    expect(paths(app, ['run-as-user-root', 'host-path-volumes', 'host-namespaces'])).toEqual([
      'spec.driver.podSecurityContext.runAsUser', 'spec.volumes[0].hostPath', 'spec.driver.hostNetwork',
    ]);
  });

  test('fragments are judged by security rules, not by resource/probe rules', () => {
    const task = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', image: IMAGE }] } };
    expect(paths(task, ['memory-limit', 'resources-requests', 'probes-configured', 'workload-network-policy'])).toEqual([]);
    expect(paths(task, ['read-only-root-filesystem'])).toEqual(['spec.steps[0].securityContext.readOnlyRootFilesystem']);
  });

  test('batch carriers need no probes; long-running CRDs do', () => {
    const sj = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'j' }, spec: { jobTargetRef: { template: { spec: { containers: [{ name: 'c', image: IMAGE }] } } } } };
    expect(paths(sj, ['probes-configured'])).toEqual([]);
    const ro = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: { containers: [{ name: 'c', image: IMAGE }] } } } };
    expect(paths(ro, ['probes-configured'])).toEqual(['spec.template.spec.containers[0].readinessProbe', 'spec.template.spec.containers[0].livenessProbe']);
  });

  test('checkPods drops the same finding reached through two pods', () => {
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [privileged()] } };
    const out = checkPods(obj, pod => containersOf(pod).map(c => ({ path: `${c.path}.x`, message: 'm' })));
    expect(out).toEqual([{ path: 'spec.containers[0].x', message: 'm' }]);
  });
});

describe('synth guard: pods in lists and custom resources', () => {
  const guarded = () => new HardenedChart(new App(), 'c');
  const list = (items: any[]) => ({ apiVersion: 'v1', kind: 'List', metadata: {}, items });
  const podObj = (name: string, annotations?: any) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(annotations ? { annotations } : {}) }, spec: { containers: [privileged()] },
  });

  test('a raw ApiObject of kind List holding a privileged Pod fails synth naming the item', () => {
    const chart = guarded();
    new ApiObject(chart, 'l', list([podObj('bad')]) as any);
    const msg = synthError(chart);
    expect(msg).toContain('privileged-container');
    expect(msg).toMatch(/Pod bad .*\(list items\[0\]\)/);
  });

  test('a raw custom resource with a pod spec fails synth', () => {
    const chart = guarded();
    new ApiObject(chart, 'w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { runner: { podSpec: { containers: [privileged()] } } } } as any);
    expect(synthError(chart)).toMatch(/Widget w .*spec\.runner\.podSpec\.containers\[0\]\.securityContext\.privileged: privileged-container/);
  });

  test('Include of a YAML List fails synth naming the rule', () => {
    const chart = guarded();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'list-'));
    const file = path.join(dir, 'vendor.yaml');
    fs.writeFileSync(file, [
      'apiVersion: apps/v1', 'kind: DeploymentList', 'items:',
      '  - metadata: { name: agent }',
      '    spec:',
      '      template:',
      '        spec:',
      `          containers: [${JSON.stringify(privileged())}]`,
    ].join('\n'));
    new Include(chart, 'vendor', { url: file });
    expect(synthError(chart)).toMatch(/Deployment agent .*\(list items\[0\]\).*privileged-container/);
  });

  test('a waiver on the item annotation lets the item through; on the List it does not', () => {
    const record = JSON.stringify([{ ruleId: 'privileged-container', reason: 'node agent reviewed by platform team', owner: 'platform', expires: daysFromNow(7) }]);
    const ok = guarded();
    new ApiObject(ok, 'l', list([podObj('agent', { [WAIVER_ANNOTATION]: record })]) as any);
    const blockers = (chart: HardenedChart) => {
      try { synth(chart); return []; } catch (e) { return (e as Error).message.split('\n').filter(l => l.includes(': privileged-container ')); }
    };
    expect(blockers(ok)).toEqual([]);

    const onList = guarded();
    const l = new ApiObject(onList, 'l', list([podObj('agent')]) as any);
    Waiver.apply(l, { ruleId: 'privileged-container', reason: 'waiver recorded on the list itself', owner: 'platform', expires: daysFromNow(7) });
    const msg = synthError(onList);
    expect(msg).toContain('privileged-container');
    expect(msg).toContain('waiver-unused');
  });
});

describe('lone containers in operator-style custom resources', () => {
  test('image + containerSecurityContext, with podSecurityContext and hostNetwork beside it', () => {
    const cr = {
      apiVersion: 'example.com/v1', kind: 'Mint', metadata: { name: 'm' },
      spec: { image: IMAGE, hostNetwork: true, podSecurityContext: { runAsUser: 0 }, containerSecurityContext: { privileged: true } },
    };
    expect(paths(cr, ['privileged-container', 'run-as-user-root', 'host-namespaces'])).toEqual([
      'spec.containerSecurityContext.privileged', 'spec.podSecurityContext.runAsUser', 'spec.hostNetwork',
    ]);
    expect(fails(cr)[0].message).toContain('read as a pod spec at spec.<pod>');
  });

  test('a security context with container-only fields, without image (Spark-like driver of an unknown operator)', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Job2', metadata: { name: 'j' }, spec: { driver: { cores: 1, securityContext: { capabilities: { add: ['SYS_ADMIN'] } } } } };
    expect(paths(cr, ['capabilities-baseline'])).toEqual(['spec.driver.securityContext.capabilities.add[0]']);
  });

  test('at the object root', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Flat', metadata: { name: 'f' }, image: IMAGE, securityContext: { privileged: true } };
    expect(paths(cr)).toEqual(['securityContext.privileged']);
  });

  test('a PodSpec with containers is not also a lone container; an image alone is not a container', () => {
    const prom = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { image: IMAGE, securityContext: { runAsUser: 1000 }, containers: [{ name: 'x', image: IMAGE }] } };
    // Read by its CRD schema (vendored prometheus-operator extract): a pod fragment the operator completes, not a PodSpec.
    expect(podSpecsOf(prom).map(p => [p.path, p.shape])).toEqual([['spec', 'fragment']]);
    expect(podSpecsOf({ apiVersion: 'example.com/v1', kind: 'App', metadata: { name: 'a' }, spec: { image: IMAGE } })).toEqual([]);
  });
});

test('Tekton stepTemplate: judged once, through the steps it is merged into', () => {
  const task = {
    apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' },
    spec: { stepTemplate: { securityContext: { privileged: true } }, steps: [{ name: 'a', image: IMAGE }, { name: 'b', image: IMAGE, securityContext: { privileged: false } }] },
  };
  expect(paths(task)).toEqual(['spec.steps[0].securityContext.privileged']);
});

test('Spark: the application image is judged where it is written', () => {
  const app = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 's' }, spec: { image: 'spark:latest', driver: {}, executor: { image: 'spark:3.5' } } };
  expect(paths(app, ['image-tag-latest'])).toEqual(['spec.image']);
});
