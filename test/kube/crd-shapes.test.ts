/**
 * Custom resources read by their CRD schema (in the input, or vendored extracts), and inference that never reports a
 * value that is not a container: tested on kube-prometheus' published manifests (test/vendor/kube-prometheus).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { parseAllDocuments } from 'yaml';
import { checkObjects } from '../../lib/cli/check';
import { LoadedObject, parseSource } from '../../lib/cli/input';
import { run } from '../../lib/cli/main';
import { crdShapesOf, shapesOfCrd } from '../../lib/kube/crd-shapes';
import { CRD_SHAPES } from '../../lib/kube/crd-shapes-data';

const FILES: { [file: string]: string } = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'kube-prometheus', 'manifests.json.gz'))).toString('utf8'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-prometheus-'));
for (const [f, text] of Object.entries(FILES)) {
  fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  fs.writeFileSync(path.join(dir, f), text);
}
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(files: string[] = Object.keys(FILES)): LoadedObject[] {
  return files.flatMap(f => parseSource(f, FILES[f]));
}

const CONTAINER_LISTS = /^(spec\.template\.spec\.|spec\.)(containers|initContainers|ephemeralContainers)\[\d+\]/;

/** The real containers: those of the workloads' pod templates and of the custom resources' `spec.containers`. */
function realContainers(objects: LoadedObject[]): { file: string; kind: string; name: string; path: string; container: any }[] {
  const out: { file: string; kind: string; name: string; path: string; container: any }[] = [];
  for (const o of objects) {
    const obj = o.object;
    const spec = ['Deployment', 'DaemonSet', 'StatefulSet'].includes(obj.kind) ? obj.spec?.template?.spec : obj.apiVersion?.startsWith('monitoring.coreos.com/') ? obj.spec : undefined;
    const prefix = ['Deployment', 'DaemonSet', 'StatefulSet'].includes(obj.kind) ? 'spec.template.spec' : 'spec';
    for (const field of ['containers', 'initContainers']) {
      (spec?.[field] ?? []).forEach((c: any, i: number) => out.push({ file: o.source.name, kind: obj.kind, name: obj.metadata?.name, path: `${prefix}.${field}[${i}]`, container: c }));
    }
  }
  return out;
}

describe('kube-prometheus published manifests (CRDs in the input)', () => {
  test('the input holds the CRDs, Prometheus and Alertmanager objects, and workloads', () => {
    const kinds = load().map(o => o.object.kind);
    expect(kinds.filter(k => k === 'CustomResourceDefinition').length).toBe(10);
    expect(kinds).toEqual(expect.arrayContaining(['Prometheus', 'Alertmanager', 'Deployment', 'DaemonSet']));
  });

  test('0 findings on invented containers: every container finding names a real container', async () => {
    let out = '';
    const code = await run(['check', dir, '-f', 'json'], { stdout: t => { out += t; }, stderr: () => undefined, readStdin: async () => Buffer.alloc(0), cwd: dir });
    expect(code).toBe(1); // the workloads have real findings
    const report = JSON.parse(out);
    const onContainers = report.findings.filter((f: any) => /container "/.test(f.message));
    expect(onContainers.length).toBeGreaterThan(0);
    for (const f of onContainers) expect([f.object.kind, f.path]).toEqual([f.object.kind, expect.stringMatching(CONTAINER_LISTS)]);
    expect(report.findings.filter((f: any) => f.object.kind === 'Prometheus' || f.object.kind === 'Alertmanager')).toEqual([]);
    expect(report.findings.filter((f: any) => /container "spec"/.test(f.message))).toEqual([]);
  });

  test('the same without the CRDs: the vendored extracts and inference invent no container either', () => {
    const result = checkObjects(load(Object.keys(FILES).filter(f => !f.startsWith('setup/'))));
    const onContainers = result.findings.filter(f => /container "/.test(f.finding.message));
    for (const f of onContainers) expect(f.finding.path).toMatch(CONTAINER_LISTS);
    expect(result.findings.filter(f => f.finding.object.kind === 'Prometheus' || f.finding.object.kind === 'Alertmanager')).toEqual([]);
  });

  test('every real container is judged: made privileged, each one is reported', () => {
    const objects = load();
    const real = realContainers(objects);
    expect(real.length).toBeGreaterThan(10);
    for (const c of real) c.container.securityContext = { ...(c.container.securityContext ?? {}), privileged: true };
    const result = checkObjects(objects);
    const reported = new Set(result.findings.filter(f => f.finding.ruleId === 'privileged-container').map(f => `${f.file} ${f.finding.path}`));
    for (const c of real) expect(reported).toContain(`${c.file} ${c.path}.securityContext.privileged`);
  });
});

describe('a Prometheus object is read by its CRD schema', () => {
  const crd = Object.keys(FILES).find(f => /0prometheusCustomResourceDefinition/.test(f))!;
  const prom = (spec: any) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' }, spec });
  const judge = (obj: any, withCrd: boolean) => {
    const objects: LoadedObject[] = [...(withCrd ? parseSource(crd, FILES[crd]) : []), ...parseSource('p.yaml', JSON.stringify(obj))];
    return checkObjects(objects).findings.filter(f => f.finding.object.kind === 'Prometheus').map(f => `${f.finding.ruleId} ${f.finding.path}`);
  };
  test.each([true, false])('with the CRD in the input: %s', withCrd => {
    // spec.securityContext is a PodSecurityContext: judged at pod level, never as a container's.
    expect(judge(prom({ image: 'quay.io/prometheus/prometheus:v3', securityContext: { fsGroup: 2000, runAsNonRoot: true, runAsUser: 1000 } }), withCrd)).toEqual([]);
    expect(judge(prom({ image: 'quay.io/prometheus/prometheus:v3', securityContext: { runAsUser: 0 } }), withCrd)).toContain('run-as-user-root spec.securityContext.runAsUser');
    expect(judge(prom({ hostNetwork: true }), withCrd)).toContain('host-namespaces spec.hostNetwork');
    // Its containers (sidecars) are real containers.
    const sidecar = judge(prom({ securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers: [{ name: 'sidecar', image: 'busybox', securityContext: { privileged: true } }] }), withCrd);
    expect(sidecar).toContain('privileged-container spec.containers[0].securityContext.privileged');
  });
  test('the vendored extract is what the CRD of the same commit says', () => {
    const fromInput = shapesOfCrd(parseAllDocuments(FILES[crd])[0].toJS())!;
    expect(fromInput.key).toBe('monitoring.coreos.com/Prometheus');
    expect(CRD_SHAPES['monitoring.coreos.com/Prometheus'].versions).toEqual(fromInput.versions);
    expect(CRD_SHAPES['monitoring.coreos.com/Prometheus'].versions.v1).toEqual([['spec', 'podSpec']]);
    expect(crdShapesOf(prom({}))).toEqual([['spec', 'podSpec']]);
  });
});

describe('vendored extracts: sources and shapes', () => {
  test('every entry names its repository, commit and file', () => {
    for (const [key, e] of Object.entries(CRD_SHAPES)) expect([key, e.source]).toEqual([key, expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} \S+\.ya?ml$/)]);
  });
  test('prometheus-operator and Argo kinds are covered', () => {
    expect(Object.keys(CRD_SHAPES)).toEqual(expect.arrayContaining([
      'monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/Alertmanager', 'monitoring.coreos.com/ThanosRuler', 'monitoring.coreos.com/PrometheusAgent',
      'argoproj.io/Rollout', 'argoproj.io/Workflow', 'argoproj.io/WorkflowTemplate', 'argoproj.io/CronWorkflow', 'argoproj.io/AnalysisTemplate',
    ]));
    expect(CRD_SHAPES['argoproj.io/Rollout'].versions.v1alpha1).toContainEqual(['spec.template.spec', 'podSpec']);
    expect(CRD_SHAPES['argoproj.io/Rollout'].versions.v1alpha1.filter(([, s]) => s !== 'opaque')).toEqual([['spec.template.spec', 'podSpec']]);
    expect(CRD_SHAPES['argoproj.io/AnalysisTemplate'].versions.v1alpha1.filter(([, s]) => s !== 'opaque')).toEqual([['spec.metrics.*.provider.job.spec.template.spec', 'podSpec']]);
  });
  test('an AnalysisTemplate job pod (no hand-written carrier) is judged as the pod it is', () => {
    const at = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'a', namespace: 'n' },
      spec: { metrics: [{ name: 'm', provider: { job: { spec: { template: { spec: { restartPolicy: 'Never', hostPID: true, containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } } } } } }] },
    };
    const ids = checkObjects(parseSource('a.yaml', JSON.stringify(at))).findings.map(f => `${f.finding.ruleId} ${f.finding.path}`);
    expect(ids).toContain('privileged-container spec.metrics[0].provider.job.spec.template.spec.containers[0].securityContext.privileged');
    expect(ids).toContain('host-namespaces spec.metrics[0].provider.job.spec.template.spec.hostPID');
  });
});

describe('inference for unknown kinds', () => {
  const cr = (spec: any) => ({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'n' }, spec });
  const findings = (spec: any) => checkObjects(parseSource('t.yaml', JSON.stringify(cr(spec)))).findings.map(f => `${f.finding.ruleId} ${f.finding.path} ${f.finding.message}`);
  test('a securityContext with pod-only fields beside an image is the pod\'s: no container is reported', () => {
    const f = findings({ image: 'quay.io/x/y:1', securityContext: { fsGroup: 2000, runAsNonRoot: true, runAsUser: 1000 } });
    expect(f.filter(x => /container "/.test(x))).toEqual([]);
    expect(f.filter(x => /capabilities|readOnlyRootFilesystem|allowPrivilegeEscalation/.test(x))).toEqual([]);
  });
  test('a securityContext with only fields of both levels is judged at pod level (runAsUser: 0 still reported)', () => {
    const f = findings({ image: 'quay.io/x/y:1', securityContext: { runAsUser: 0 } });
    expect(f.filter(x => /container "/.test(x))).toEqual([]);
    expect(f.some(x => x.startsWith('run-as-user-root spec.securityContext.runAsUser'))).toBe(true);
  });
  test('a securityContext with container-only fields is still a container (privileged is reported)', () => {
    const f = findings({ image: 'quay.io/x/y:1', securityContext: { privileged: true } });
    expect(f.some(x => x.startsWith('privileged-container spec.securityContext.privileged'))).toBe(true);
  });
  test('with its CRD in the input, a kind is read by the schema only', () => {
    const crdDoc = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' },
      spec: {
        group: 'example.com', names: { kind: 'Thing', plural: 'things' }, scope: 'Namespaced',
        versions: [{
          name: 'v1', served: true, storage: true, schema: {
            openAPIV3Schema: {
              type: 'object', properties: {
                spec: {
                  type: 'object', properties: {
                    // Not containers by the schema, though inference would read `containers` as a pod spec.
                    notes: { type: 'object', properties: { containers: { type: 'array', items: { type: 'object', properties: { image: { type: 'string' }, securityContext: { type: 'object', properties: { level: { type: 'string' } } } } } } } },
                    runner: { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string' }, securityContext: { type: 'object', properties: { privileged: { type: 'boolean' }, capabilities: { type: 'object' } } } } },
                  },
                },
              },
            },
          },
        }],
      },
    };
    const thing = cr({ notes: { containers: [{ image: 'x', securityContext: { level: 'high' } }] }, runner: { name: 'r', image: 'busybox', securityContext: { privileged: true } } });
    const ids = checkObjects([...parseSource('crd.yaml', JSON.stringify(crdDoc)), ...parseSource('t.yaml', JSON.stringify(thing))])
      .findings.filter(f => f.finding.object.kind === 'Thing').map(f => `${f.finding.ruleId} ${f.finding.path}`);
    expect(ids).toContain('privileged-container spec.runner.securityContext.privileged');
    expect(ids.filter(i => i.includes('spec.notes'))).toEqual([]);
    // Without the CRD, inference reads spec.notes.containers as a pod spec (the behaviour the schema corrects).
    const inferred = checkObjects(parseSource('t.yaml', JSON.stringify(thing))).findings.map(f => f.finding.path);
    expect(inferred.some(p => p.startsWith('spec.notes.containers[0]'))).toBe(true);
  });
  test.each([
    ['the whole object', { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    ['spec', { type: 'object', properties: { spec: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  ])('a CRD whose schema preserves unknown fields (%s) leaves them to inference: nothing is skipped', (_what, schema) => {
    const crdDoc = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' },
      spec: { group: 'example.com', names: { kind: 'Thing', plural: 'things' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
    };
    const thing = cr({ template: { spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } } });
    const ids = checkObjects([...parseSource('crd.yaml', JSON.stringify(crdDoc)), ...parseSource('t.yaml', JSON.stringify(thing))])
      .findings.filter(f => f.finding.object.kind === 'Thing').map(f => `${f.finding.ruleId} ${f.finding.path}`);
    expect(ids).toContain('privileged-container spec.template.spec.containers[0].securityContext.privileged');
  });
  test('an Argo inline template (opaque in the CRD) is still read by inference', () => {
    const wf = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w', namespace: 'n' },
      spec: { entrypoint: 'main', templates: [{ name: 'main', dag: { tasks: [{ name: 't', inline: { container: { image: 'busybox', securityContext: { privileged: true } } } }] } }] },
    };
    const paths = checkObjects(parseSource('w.yaml', JSON.stringify(wf))).findings.filter(f => f.finding.ruleId === 'privileged-container').map(f => f.finding.path);
    expect(paths).toEqual(['spec.templates[0].dag.tasks[0].inline.container.securityContext.privileged']);
  });
});

describe('more operators (vendored extracts)', () => {
  const ids = (obj: any) => checkObjects(parseSource('o.yaml', JSON.stringify(obj))).findings.filter(f => f.blocking).map(f => `${f.finding.ruleId} ${f.finding.path}`);
  const bad = { name: 'c', image: 'busybox', securityContext: { privileged: true } };
  test('sources: KEDA, KubeRay, CloudNativePG, OpenKruise, Spark operator, Kubeflow Trainer', () => {
    const repos = new Set(Object.values(CRD_SHAPES).map(e => e.source.split('@')[0]));
    for (const r of ['kedacore/keda', 'ray-project/kuberay', 'cloudnative-pg/cloudnative-pg', 'openkruise/kruise', 'kubeflow/spark-operator', 'kubeflow/trainer']) expect(repos).toContain(r);
  });
  test('KEDA ScaledJob: the job pod template', () => {
    expect(ids({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 's', namespace: 'n' }, spec: { jobTargetRef: { template: { spec: { containers: [bad] } } } } }))
      .toContain('privileged-container spec.jobTargetRef.template.spec.containers[0].securityContext.privileged');
  });
  test('KubeRay RayCluster: head and worker pod templates', () => {
    const r = ids({ apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'r', namespace: 'n' }, spec: { headGroupSpec: { template: { spec: { containers: [bad] } } }, workerGroupSpecs: [{ groupName: 'w', template: { spec: { hostNetwork: true, containers: [{ name: 'w', image: 'ray' }] } } }] } });
    expect(r).toContain('privileged-container spec.headGroupSpec.template.spec.containers[0].securityContext.privileged');
    expect(r).toContain('host-namespaces spec.workerGroupSpecs[0].template.spec.hostNetwork');
  });
  test('CloudNativePG Cluster: spec.securityContext is its container\'s, judged with spec.podSecurityContext as the pod\'s', () => {
    const cluster = (spec: any) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'db' }, spec: { instances: 1, storage: { size: '1Gi' }, ...spec } });
    expect(ids(cluster({ securityContext: { privileged: true } }))).toContain('privileged-container spec.securityContext.privileged');
    expect(ids(cluster({ podSecurityContext: { runAsUser: 0 } }))).toContain('run-as-user-root spec.podSecurityContext.runAsUser');
    const hardened = ids(cluster({
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    }));
    expect(hardened).toEqual([]);
    // no securityContext written: nothing is invented (the operator's defaults apply)
    expect(ids(cluster({}))).toEqual([]);
  });
  test('sources: Knative Serving, Tekton, Strimzi, ECK', () => {
    const repos = new Set(Object.values(CRD_SHAPES).map(e => e.source.split('@')[0]));
    for (const r of ['knative/serving', 'tektoncd/pipeline', 'strimzi/strimzi-kafka-operator', 'elastic/cloud-on-k8s']) expect(repos).toContain(r);
  });
  test('Strimzi Kafka: a container securityContext is judged with the pod securityContext of its template', () => {
    const kafka = (template: any) => ({ apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'k', namespace: 'kafka' }, spec: { kafka: { template } } });
    expect(ids(kafka({
      pod: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
      kafkaContainer: { securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } },
    }))).toEqual([]);
    expect(ids(kafka({ kafkaContainer: { securityContext: { privileged: true } } }))).toContain('privileged-container spec.kafka.template.kafkaContainer.securityContext.privileged');
  });
  test('Knative Service: the revision template is a pod spec', () => {
    expect(ids({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'k', namespace: 'n' }, spec: { template: { spec: { containers: [bad] } } } }))
      .toContain('privileged-container spec.template.spec.containers[0].securityContext.privileged');
  });
  test('ECK Elasticsearch: the podTemplate preserves unknown fields, so inference still reads it', () => {
    expect(ids({ apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'e', namespace: 'n' }, spec: { version: '9.0.0', nodeSets: [{ name: 'd', count: 1, podTemplate: { spec: { containers: [bad] } } }] } }))
      .toContain('privileged-container spec.nodeSets[0].podTemplate.spec.containers[0].securityContext.privileged');
  });
  test('Tekton Task: a step inherits the stepTemplate (carrier) and is not judged twice', () => {
    const task = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't', namespace: 'n' }, spec: { stepTemplate: { securityContext: { privileged: true } }, steps: [{ name: 's', image: 'busybox' }] } };
    const r = ids(task).filter(i => i.startsWith('privileged-container'));
    expect(r).toEqual(['privileged-container spec.steps[0].securityContext.privileged']);
  });
});
