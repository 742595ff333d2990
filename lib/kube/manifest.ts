/**
 * Helpers to read Kubernetes objects as plain JSON. Internal to the policy engine and rules.
 */

import { parse as parseYaml } from 'yaml';
import { ObjectMemo } from './cache';
import { crdShapesOf, ShapeList } from './crd-shapes';

/*
 * Pod specs in any kind.
 *
 * `podSpecsOf(obj)` returns every pod spec an object carries, from two sources:
 * 1. KNOWN CARRIERS, by kind (core kinds whatever their group; custom resources by `group/Kind`), at the paths their
 *    controllers read. Each known path is judged whatever its content, even without containers.
 * 2. INFERENCE over the whole object (every kind, known ones included): any JSON object that holds a `containers`,
 *    `initContainers` or `ephemeralContainers` array with a container (an object with a string `image` or an object
 *    `securityContext`) is judged as a PodSpec at that path; any object that holds such a container under `steps`,
 *    `sidecars` (arrays) or `container`, `script` (objects) is judged as a pod fragment; any other object with both a
 *    string `image` and an object `securityContext` or `containerSecurityContext` (or such a context with container-only
 *    fields: privileged, capabilities, ...) is judged as a lone container, with `podSecurityContext` and pod fields
 *    beside it as its pod's. Containers already covered by a
 *    known carrier are not judged twice. Every finding on an inferred pod names the path read as a pod spec.
 *
 * Known carriers (paths checked against each project's API types / docs):
 * - core: Pod `spec`; PodTemplate `template.spec`; Deployment, StatefulSet, DaemonSet, ReplicaSet,
 *   ReplicationController, Job `spec.template.spec`; CronJob `spec.jobTemplate.spec.template.spec`.
 * - argoproj.io Rollout `spec.template.spec` (Argo Rollouts).
 * - serving.knative.dev Service, Configuration `spec.template.spec`; Revision `spec` (RevisionSpec inlines PodSpec).
 * - keda.sh ScaledJob `spec.jobTargetRef.template.spec` (jobTargetRef is a batch/v1 JobSpec).
 * - apps.kruise.io CloneSet, StatefulSet (Advanced), DaemonSet (Advanced), BroadcastJob `spec.template.spec`;
 *   AdvancedCronJob `spec.template.jobTemplate.spec.template.spec` and `spec.template.broadcastJobTemplate.spec.template.spec`;
 *   UnitedDeployment `spec.template.{statefulSet,advancedStatefulSet,cloneSet,deployment}Template.spec.template.spec`;
 *   fragments: SidecarSet `spec` (containers/initContainers/volumes injected into matching pods), EphemeralJob
 *   `spec.template` (ephemeralContainers injected into running pods).
 * - kubeflow.org PyTorchJob, TFJob, MPIJob, XGBoostJob, PaddleJob, JAXJob, MXJob `spec.<x>ReplicaSpecs.*.template.spec`.
 * - ray.io RayCluster `spec.headGroupSpec.template.spec`, `spec.workerGroupSpecs[*].template.spec`; RayJob (under
 *   `spec.rayClusterSpec`, plus `spec.submitterPodTemplate.spec`); RayService (under `spec.rayClusterConfig`).
 * - batch.volcano.sh Job `spec.tasks[*].template.spec`.
 * - fragments, judged by the security rules only (no resources/probes/ports/NetworkPolicy/token rules, whose model
 *   differs there):
 *   - argoproj.io Workflow, WorkflowTemplate, ClusterWorkflowTemplate (`spec`), CronWorkflow (`spec.workflowSpec`):
 *     the workflow spec's pod-level fields (hostNetwork, securityContext, volumes, tolerations...), and per template
 *     (`templates[*]`, `templateDefaults`) its `container`, `script`, `containerSet.containers[*]`, `initContainers[*]`,
 *     `sidecars[*]` with the template's pod-level fields (securityContext inherited from the workflow spec when the
 *     template sets none); `podSpecPatch` strings (workflow and template) are parsed and judged as pod specs.
 *   - tekton.dev Task, ClusterTask `spec`; TaskRun `spec.taskSpec` (+ `spec.podTemplate`); Pipeline `spec.tasks[*].taskSpec`,
 *     `spec.finally[*].taskSpec`; PipelineRun the same under `spec.pipelineSpec` (+ `spec.podTemplate`,
 *     `spec.taskRunTemplate.podTemplate`, `spec.taskRunSpecs[*].podTemplate|taskPodTemplate`): `steps[*]` and
 *     `sidecars[*]` as containers (`stepTemplate` merged into each step, as Tekton does), `volumes`, and the run's pod
 *     template securityContext as the pod-level one.
 *   - sparkoperator.k8s.io SparkApplication `spec`, ScheduledSparkApplication `spec.template`: `driver` and `executor`
 *     each as a pod (container securityContext `driver.securityContext`, pod-level `driver.podSecurityContext`,
 *     `hostNetwork`, `tolerations`, `sidecars[*]`, `initContainers[*]`, the application's `volumes`).
 * Not carriers: Argo CD Application and Flux HelmRelease/Kustomization reference manifests in Git/Helm (judge those
 * manifests with `cdk8s-hardened check`); values they inline as strings are not parsed.
 */

/** A located pod spec (or pod fragment). */
export interface PodSpecRef {
  /** The pod spec as the rules read it (for fragments: assembled from the fields the controller merges). */
  readonly spec: any;
  /** JSON path prefix, e.g. `spec.template.spec` (`''` for a pod spec at the object's root). */
  readonly path: string;
  /** Pod-level metadata (annotations live here), e.g. `spec.template.metadata`. */
  readonly metadata: any;
  readonly metadataPath: string;
  /**
   * `pod`: a PodSpec the controller creates pods from (every pod rule applies). `fragment`: containers or pod-level
   * fields a controller merges into pods it builds (Argo Workflows, Tekton, Spark, SidecarSet, podSpecPatch): judged
   * by the security rules, not by resources/probes/ports/NetworkPolicy/service-account-token rules.
   */
  readonly shape: 'pod' | 'fragment';
  /** Where it was found: the known carrier (`Deployment spec.template.spec`) or `inferred`. */
  readonly source: string;
  /** True when found by inference (kind not a known carrier, or another place in a known one). */
  readonly inferred: boolean;
  /** Pods run to completion (Jobs, CronJobs, ScaledJobs, training jobs, workflow steps): no probes expected. */
  readonly batch: boolean;
  /**
   * The containers (containersOf). podSpecsOf lists them on every ref it returns; given by the finder when they do
   * not sit at `<path>.containers[i]` etc.
   */
  readonly containers?: ContainerRef[];
  /** Finding-path rewrites, longest prefix first: [path the rules build, real path in the object]. */
  readonly remap?: ReadonlyArray<readonly [string, string]>;
}

/** A container of a pod spec with its JSON path. */
export interface ContainerRef {
  readonly container: any;
  readonly path: string;
  readonly field: 'containers' | 'initContainers' | 'ephemeralContainers';
  readonly name: string;
}

type Emit = (ref: PodSpecRef) => void;
interface Carrier {
  /** Pod spec paths, `*` = every element of an array or value of a map. */
  readonly paths?: string[];
  readonly batch?: boolean;
  readonly fragments?: (obj: any, emit: Emit) => void;
}

const WORKLOAD = ['spec.template.spec'];
const CORE_CARRIERS: { [kind: string]: Carrier } = {
  Pod: { paths: ['spec'] },
  PodTemplate: { paths: ['template.spec'] },
  Deployment: { paths: WORKLOAD },
  StatefulSet: { paths: WORKLOAD },
  DaemonSet: { paths: WORKLOAD },
  ReplicaSet: { paths: WORKLOAD },
  ReplicationController: { paths: WORKLOAD },
  Job: { paths: WORKLOAD, batch: true },
  CronJob: { paths: ['spec.jobTemplate.spec.template.spec'], batch: true },
};

const ray = (prefix: string) => [`${prefix}.headGroupSpec.template.spec`, `${prefix}.workerGroupSpecs.*.template.spec`];
const kubeflow = (field: string): Carrier => ({ paths: [`spec.${field}.*.template.spec`], batch: true });

const CRD_CARRIERS: { [groupKind: string]: Carrier } = {
  'argoproj.io/Rollout': { paths: WORKLOAD },
  'argoproj.io/Workflow': { fragments: (o, e) => argoWorkflow(o, 'spec', e), batch: true },
  'argoproj.io/WorkflowTemplate': { fragments: (o, e) => argoWorkflow(o, 'spec', e), batch: true },
  'argoproj.io/ClusterWorkflowTemplate': { fragments: (o, e) => argoWorkflow(o, 'spec', e), batch: true },
  'argoproj.io/CronWorkflow': { fragments: (o, e) => argoWorkflow(o, 'spec.workflowSpec', e), batch: true },
  'serving.knative.dev/Service': { paths: WORKLOAD },
  'serving.knative.dev/Configuration': { paths: WORKLOAD },
  'serving.knative.dev/Revision': { paths: ['spec'] },
  'keda.sh/ScaledJob': { paths: ['spec.jobTargetRef.template.spec'], batch: true },
  'apps.kruise.io/CloneSet': { paths: WORKLOAD },
  'apps.kruise.io/StatefulSet': { paths: WORKLOAD },
  'apps.kruise.io/DaemonSet': { paths: WORKLOAD },
  'apps.kruise.io/BroadcastJob': { paths: WORKLOAD, batch: true },
  'apps.kruise.io/AdvancedCronJob': {
    paths: ['spec.template.jobTemplate.spec.template.spec', 'spec.template.broadcastJobTemplate.spec.template.spec'], batch: true,
  },
  'apps.kruise.io/UnitedDeployment': {
    paths: ['statefulSetTemplate', 'advancedStatefulSetTemplate', 'cloneSetTemplate', 'deploymentTemplate'].map(t => `spec.template.${t}.spec.template.spec`),
  },
  'apps.kruise.io/SidecarSet': { fragments: (o, e) => fragmentAt(o, 'spec', 'apps.kruise.io/SidecarSet spec', false, e) },
  'apps.kruise.io/EphemeralJob': { fragments: (o, e) => fragmentAt(o, 'spec.template', 'apps.kruise.io/EphemeralJob spec.template', true, e) },
  'kubeflow.org/PyTorchJob': kubeflow('pytorchReplicaSpecs'),
  'kubeflow.org/TFJob': kubeflow('tfReplicaSpecs'),
  'kubeflow.org/MPIJob': kubeflow('mpiReplicaSpecs'),
  'kubeflow.org/XGBoostJob': kubeflow('xgbReplicaSpecs'),
  'kubeflow.org/PaddleJob': kubeflow('paddleReplicaSpecs'),
  'kubeflow.org/JAXJob': kubeflow('jaxReplicaSpecs'),
  'kubeflow.org/MXJob': kubeflow('mxReplicaSpecs'),
  'ray.io/RayCluster': { paths: ray('spec') },
  'ray.io/RayJob': { paths: [...ray('spec.rayClusterSpec'), 'spec.submitterPodTemplate.spec'] },
  'ray.io/RayService': { paths: ray('spec.rayClusterConfig') },
  'batch.volcano.sh/Job': { paths: ['spec.tasks.*.template.spec'], batch: true },
  'tekton.dev/Task': { fragments: (o, e) => tektonTask(o, 'spec', [], e), batch: true },
  'tekton.dev/ClusterTask': { fragments: (o, e) => tektonTask(o, 'spec', [], e), batch: true },
  'tekton.dev/TaskRun': {
    fragments: (o, e) => { tektonPodTemplate(o, 'spec.podTemplate', e); tektonTask(o, 'spec.taskSpec', ['spec.podTemplate'], e); },
    batch: true,
  },
  'tekton.dev/Pipeline': { fragments: (o, e) => tektonPipeline(o, 'spec', [], e), batch: true },
  'tekton.dev/PipelineRun': {
    fragments: (o, e) => {
      const templates = ['spec.podTemplate', 'spec.taskRunTemplate.podTemplate'];
      for (const t of templates) tektonPodTemplate(o, t, e);
      expand(o, 'spec.taskRunSpecs.*').forEach(([, p]) => {
        tektonPodTemplate(o, `${p}.podTemplate`, e);
        tektonPodTemplate(o, `${p}.taskPodTemplate`, e);
      });
      tektonPipeline(o, 'spec.pipelineSpec', templates, e);
    },
    batch: true,
  },
  'sparkoperator.k8s.io/SparkApplication': { fragments: (o, e) => spark(o, 'spec', e), batch: true },
  'sparkoperator.k8s.io/ScheduledSparkApplication': { fragments: (o, e) => spark(o, 'spec.template', e), batch: true },
};

/** `group/Kind` of the custom resources with a known pod carrier, and the core kinds (any group). */
export const KNOWN_POD_CARRIERS: string[] = [...Object.keys(CORE_CARRIERS), ...Object.keys(CRD_CARRIERS)];

/** Core kinds that hold a pod template (or are a Pod). Pod rules apply to every kind (`*`); this list is informative. */
export const POD_KINDS: string[] = Object.keys(CORE_CARRIERS);

function groupOf(obj: any): string {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = v.indexOf('/');
  return slash >= 0 ? v.slice(0, slash) : '';
}

function carrierOf(obj: any): Carrier | undefined {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '';
  if (Object.prototype.hasOwnProperty.call(CORE_CARRIERS, kind)) return CORE_CARRIERS[kind];
  const group = groupOf(obj);
  if (group === '') return undefined; // every custom carrier has a group (no string built for a ConfigMap)
  const key = `${group}/${kind}`;
  return Object.prototype.hasOwnProperty.call(CRD_CARRIERS, key) ? CRD_CARRIERS[key] : undefined;
}

const memo = new ObjectMemo<object, PodSpecRef[]>();
// The engine runs every rule on one object before the next: most calls ask for the object asked for last (two
// variables, not a record: no allocation per object).
/**
 * The one answer for "no pod" and "no finding": shared and frozen. Handed only to callers that read what they get
 * (the engine, spreads, loops): appending to it throws.
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];
let lastObj: object | undefined;
let lastPods: PodSpecRef[] = NONE;

/**
 * Every pod spec (and pod fragment) of an object: known carrier paths first, then inferred ones. Memoized per object
 * (by identity): rules call it many times per object. Linear in the size of the object.
 */
export function podSpecsOf(obj: any): PodSpecRef[] {
  if (obj === lastObj) return lastPods;
  if (!isObj(obj)) return NONE;
  let pods = memo.get(obj);
  if (pods === undefined) {
    pods = computePodSpecs(obj);
    memo.set(obj, pods);
  }
  lastObj = obj;
  lastPods = pods;
  return pods;
}

function computePodSpecs(obj: any): PodSpecRef[] {
  const carrier = carrierOf(obj);
  const shapes = crdShapesOf(obj);
  // Inference only finds a pod where mayHoldPod holds: an object of any kind without one anywhere (no carrier, no CRD
  // schema) holds no pod. Nothing is allocated for it. (A known carrier almost always holds one: walked with paths at once.)
  const inferable = shapes === undefined && (carrier !== undefined || mayHoldPodWithin(obj));
  if (carrier === undefined && shapes === undefined && !inferable) return NONE;
  const out: PodSpecRef[] = [];
  const specs = new Set<any>();
  const covered = new Set<any>();
  const emit: Emit = found => {
    // The containers are listed once, on the ref (containersOf answers from it: no cache lookup per rule).
    const ref = found.containers ? found : withContainers(found);
    out.push(ref);
    specs.add(ref.spec);
    for (const c of ref.containers!) covered.add(c.container);
  };
  if (carrier) {
    const label = carrier === CORE_CARRIERS[obj.kind] ? String(obj.kind) : `${groupOf(obj)}/${obj.kind}`;
    for (const pattern of carrier.paths ?? []) {
      for (const [spec, path] of expand(obj, pattern)) {
        if (!isObj(spec) || specs.has(spec)) continue;
        const metadataPath = path === 'spec' || path.endsWith('.spec') ? metadataBeside(path) : `${path}.metadata`;
        emit({
          spec, path, metadata: getPath(obj, metadataPath) ?? {}, metadataPath,
          shape: 'pod', source: `${label} ${path}`, inferred: false, batch: carrier.batch === true,
        });
      }
    }
    carrier.fragments?.(obj, ref => { if (!specs.has(ref.spec)) emit({ ...ref, batch: carrier.batch === true }); });
  }
  if (shapes) fromSchema(obj, shapes, specs, covered, emit); // the CRD schema says what is a pod or a container: no guessing
  else if (inferable) infer(obj, '', obj, specs, covered, emit);
  if (out.length === 0) return NONE;
  // `covered` entries only mark values inference must not judge again (Tekton steps before stepTemplate merge, Spark roles)
  const result = out.filter(r => r.source !== 'covered');
  if (result.length === 0) return NONE;
  // Frozen: a rule (a custom rule included) that changes what it was handed cannot change what the rules after it see.
  for (const r of result) Object.freeze(r);
  return Object.freeze(result) as PodSpecRef[];
}

/** @deprecated single pod spec; use `podSpecsOf` (an object may carry several). Kept for callers outside the rules. */
export function podSpecOf(obj: any): PodSpecRef | undefined {
  return podSpecsOf(obj).find(p => p.shape === 'pod');
}

const POD_CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** A value that a controller would run as a container: an object with a string image or an object securityContext. */
function isContainerLike(v: any): boolean {
  return isObj(v) && (typeof v.image === 'string' || isObj(v.securityContext));
}

/**
 * False when none of the fields inference looks at is there (containers, steps, sidecars lists; a container, script or
 * security context object): such a node is no pod, fragment or lone container, only a way to its children.
 */
function mayHoldPod(node: any): boolean {
  return Array.isArray(node.containers) || Array.isArray(node.initContainers) || Array.isArray(node.ephemeralContainers) ||
    Array.isArray(node.steps) || Array.isArray(node.sidecars) || isObj(node.container) || isObj(node.script) ||
    isObj(node.containerSecurityContext) || isObj(node.securityContext);
}

/**
 * Whether any object inside `node` (itself included) passes mayHoldPod, on the values `infer` walks. When none does,
 * inference finds nothing (it only emits at such nodes), so the walk with paths is skipped: a ConfigMap, Service or
 * NetworkPolicy costs one walk without allocation. Any kind is walked: a kind is never trusted to hold no pod.
 */
function mayHoldPodWithin(node: any): boolean {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v = node[i];
      if (v !== null && typeof v === 'object' && mayHoldPodWithin(v)) return true;
    }
    return false;
  }
  if (!isObj(node)) return false;
  if (Object.getPrototypeOf(node) !== null) {
    // an object with a prototype (a caller outside the engine): the reads mayHoldPod makes, as they are
    if (mayHoldPod(node)) return true;
    const keys = Object.keys(node);
    for (let i = 0; i < keys.length; i++) {
      const v = node[keys[i]];
      if (v !== null && typeof v === 'object' && mayHoldPodWithin(v)) return true;
    }
    return false;
  }
  // Without a prototype every field is an own key, and every field mayHoldPod reads must hold an object or an array:
  // looking at the keys that hold one is the same test, without a read per field name.
  for (const k in node) {
    const v = node[k];
    if (v === null || typeof v !== 'object') continue;
    if (isPodField(k, v) || mayHoldPodWithin(v)) return true;
  }
  return false;
}

/** Whether an object without a prototype has one of the keys mayHoldPod reads (whatever their values). */
function hasPodKey(node: any): boolean {
  for (const k in node) if (isPodKey(k)) return true;
  return false;
}

/** The keys mayHoldPod reads. */
function isPodKey(key: string): boolean {
  switch (key) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'steps': case 'sidecars':
    case 'container': case 'script': case 'containerSecurityContext': case 'securityContext':
      return true;
    default:
      return false;
  }
}

/** mayHoldPod for one field: `node[key]` (an object or array `v`) makes `node` worth judging. */
function isPodField(key: string, v: object): boolean {
  switch (key) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'steps': case 'sidecars':
      return Array.isArray(v);
    case 'container': case 'script': case 'containerSecurityContext': case 'securityContext':
      return !Array.isArray(v);
    default:
      return false;
  }
}

/** What one inference walk shares: the path is a stack of keys and indexes, made a string only where a pod is found. */
interface InferWalk {
  readonly base: string;
  readonly segs: (string | number)[];
  readonly root: any;
  readonly specs: Set<any>;
  readonly covered: Set<any>;
  readonly emit: Emit;
}

function infer(node: any, path: string, root: any, specs: Set<any>, covered: Set<any>, emit: Emit): void {
  inferWalk(node, { base: path, segs: [], root, specs, covered, emit });
}

/** The path of the node a walk stands on: what joining each key (`joinPath`) and index (`[i]`) onto the base makes. */
function walkPath(w: InferWalk): string {
  let p = w.base;
  for (const s of w.segs) p = typeof s === 'number' ? `${p}[${s}]` : joinPath(p, s);
  return p;
}

/** Walk into `v` (at key or index `seg`) when it is an object or array: only those can hold a pod. */
function descend(v: any, seg: string | number, w: InferWalk): void {
  if (v === null || typeof v !== 'object') return;
  w.segs.push(seg);
  inferWalk(v, w);
  w.segs.pop();
}

function inferWalk(node: any, w: InferWalk): void {
  // Only objects and arrays can hold a pod: the paths of scalars are never built.
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) descend(node[i], i, w);
    return;
  }
  if (!isObj(node)) return;
  if (Object.getPrototypeOf(node) === null) {
    // Without a prototype (the engine's copies: plain data, every key its own and enumerable) a node with none of the
    // keys mayHoldPod reads fails it: looking at the keys first spares nine reads on most nodes.
    if (hasPodKey(node) && mayHoldPod(node) && !w.specs.has(node)) inferAt(node, walkPath(w), w.root, w.covered, w.emit);
    // for-in on an object without a prototype: its own keys in Object.keys order, and V8 reads `node[k]` from the
    // enumeration cache (a keyed read by a key from Object.keys is a slow generic lookup on these many shapes)
    for (const k in node) descend(node[k], k, w);
    return;
  }
  if (mayHoldPod(node) && !w.specs.has(node)) inferAt(node, walkPath(w), w.root, w.covered, w.emit);
  const keys = Object.keys(node);
  for (let i = 0; i < keys.length; i++) descend(node[keys[i]], keys[i], w);
}

/** Judge one node that may hold a pod (mayHoldPod): a PodSpec, a pod fragment or a lone container. */
function inferAt(node: any, path: string, root: any, covered: Set<any>, emit: Emit): void {
  // Plain loops, no closure or list made until something is found: every container of every object passes here.
  if (hasFreshContainer(node, covered)) {
    const besideSpec = path === 'spec' || path.endsWith('.spec');
    const metadataPath = besideSpec ? metadataBeside(path) : joinPath(path, 'metadata');
    emit({
      spec: node, path, metadata: besideSpec ? getPath(root, metadataPath) ?? {} : {}, metadataPath,
      shape: 'pod', source: 'inferred', inferred: true, batch: false,
    });
    return;
  }
  let containers: ContainerRef[] | undefined;
  for (const f of FRAGMENT_LISTS) {
    const list = node[f];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (isContainerLike(c) && !covered.has(c)) (containers ??= []).push(containerRef(c, `${joinPath(path, f)}[${i}]`, 'containers', i));
    }
  }
  for (const f of FRAGMENT_OBJECTS) {
    const c = node[f];
    if (isContainerLike(c) && !covered.has(c)) (containers ??= []).push(containerRef(c, joinPath(path, f), 'containers', 0));
  }
  if (containers !== undefined) {
    emit({
      spec: node, path, metadata: {}, metadataPath: joinPath(path, 'metadata'),
      shape: 'fragment', source: 'inferred', inferred: true, batch: false, containers,
    });
  } else if (!covered.has(node)) {
    loneContainer(node, path, emit);
  }
}

/** Lists and fields of containers a pod fragment holds (Tekton steps and sidecars, Argo container and script). */
const FRAGMENT_LISTS = ['steps', 'sidecars'];
const FRAGMENT_OBJECTS = ['container', 'script'];

/** Whether a containers, initContainers or ephemeralContainers list holds a container-like value not judged yet. */
function hasFreshContainer(node: any, covered: Set<any>): boolean {
  for (const f of POD_CONTAINER_FIELDS) {
    const list = node[f];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) if (isContainerLike(list[i]) && !covered.has(list[i])) return true;
  }
  return false;
}

/**
 * The values a custom resource's CRD schema shapes as PodSpec, Container or PodSecurityContext (crd-shapes.ts), each
 * judged as what it is; values a known carrier already judged are left to it.
 */
function fromSchema(obj: any, shapes: ShapeList, specs: Set<any>, covered: Set<any>, emit: Emit): void {
  const label = `${groupOf(obj)}/${obj.kind}`;
  const contexts = new Set<any>();
  for (const s of specs) if (isObj(s?.securityContext)) contexts.add(s.securityContext);
  for (const c of covered) if (isObj(c?.securityContext)) contexts.add(c.securityContext);
  for (const [pattern, shape] of shapes) {
    if (shape === 'opaque' && pattern === '') {
      infer(obj, '', obj, specs, covered, emit);
      continue;
    }
    for (const [value, path] of expand(obj, pattern)) {
      if (shape === 'opaque') {
        infer(value, path, obj, specs, covered, emit);
        continue;
      }
      if (!isObj(value) || specs.has(value)) continue;
      const source = `${label} ${pattern} (CRD schema)`;
      if (shape === 'podSpec') {
        // judged already, in context, through a known carrier (an Argo containerSet inherits the template's securityContext)
        if (POD_CONTAINER_FIELDS.some(f => Array.isArray(value[f]) && value[f].some((c: any) => covered.has(c)))) continue;
        const real = path.endsWith('template.spec');
        emit({
          spec: value, path, metadata: real ? getPath(obj, metadataBeside(path)) ?? {} : {}, metadataPath: real ? metadataBeside(path) : joinPath(path, 'metadata'),
          shape: real ? 'pod' : 'fragment', source, inferred: false, batch: false,
        });
      } else if (shape === 'container') {
        if (covered.has(value)) continue;
        emit({
          spec: {}, path: `${path}.<pod>`, metadata: {}, metadataPath: joinPath(path, 'metadata'), shape: 'fragment', source, inferred: false, batch: false,
          containers: [containerRef(value, path, 'containers', 0)],
        });
      } else if (shape === 'securityContext') {
        if (contexts.has(value)) continue;
        const at = path.lastIndexOf('.');
        const owner = at > 0 ? path.slice(0, at) : '';
        // the pod security context declared beside it (CloudNativePG: spec.podSecurityContext) or one level up
        // (Strimzi: template.kafkaContainer.securityContext beside template.pod.securityContext)
        const podKey = podContextBeside(pattern, shapes);
        const podBase = podKey?.up ? parentOf(owner) : owner;
        const podSc = podKey ? getPath(obj, (podBase ? `${podBase}.${podKey.tail}` : podKey.tail)) : undefined;
        const container = `${path}.<container>`;
        const virtual = `${path}.<pod>`;
        emit({
          spec: isObj(podSc) ? { securityContext: podSc } : {}, path: virtual, metadata: {}, metadataPath: joinPath(owner, 'metadata'), shape: 'fragment', source,
          inferred: false, batch: false,
          containers: [{ container: { securityContext: value }, path: container, field: 'containers', name: path }],
          remap: [[`${container}.securityContext`, path], [container, owner], ...(podKey ? [[`${virtual}.securityContext`, (podBase ? `${podBase}.${podKey.tail}` : podKey.tail)] as const] : [])],
        });
      } else if (!contexts.has(value)) {
        const virtual = `${path}.<pod>`;
        emit({
          spec: { securityContext: value }, path: virtual, metadata: {}, metadataPath: joinPath(path, 'metadata'), shape: 'fragment', source,
          inferred: false, batch: false, containers: [], remap: [[`${virtual}.securityContext`, path], [virtual, path]],
        });
      }
    }
  }
}

/** `a.b[2]` -> `a.b`; `a.b.c` -> `a.b`; `a` -> ``. */
function parentOf(path: string): string {
  const m = /(\[\d+\]|\.[^.[\]]+|^[^.[\]]+)$/.exec(path);
  return m ? path.slice(0, m.index) : '';
}

/**
 * The PodSecurityContext shape that goes with a container SecurityContext shape: beside it (same owner), else one level
 * up; as the tail to append to the concrete owner (or its parent), without wildcards.
 */
function podContextBeside(pattern: string, shapes: ShapeList): { tail: string; up: boolean } | undefined {
  const owner = pattern.slice(0, Math.max(0, pattern.lastIndexOf('.')));
  const grand = owner.slice(0, Math.max(0, owner.lastIndexOf('.')));
  for (const [base, up] of [[owner, false], [grand, true]] as const) {
    if (!base) continue;
    const hit = shapes.find(([p, s]) => s === 'podSecurityContext' && p.startsWith(`${base}.`) && !p.slice(base.length + 1).includes('*'));
    if (hit) return { tail: hit[0].slice(base.length + 1), up };
  }
  return undefined;
}

/** `a.b.spec` -> `a.b.metadata`; `spec` -> `metadata`. */
function metadataBeside(specPath: string): string {
  return specPath === 'spec' ? 'metadata' : `${specPath.slice(0, -'.spec'.length)}.metadata`;
}

/** PodSecurityContext fields a container's SecurityContext does not have. */
const POD_ONLY = ['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy', 'sysctls', 'seLinuxChangePolicy'];

/** Container-level securityContext fields that mean nothing at pod level. */
const CONTAINER_ONLY = ['privileged', 'allowPrivilegeEscalation', 'capabilities', 'readOnlyRootFilesystem', 'procMount'];

/**
 * A lone container under a key no carrier is known for (operator CRs in the style of Helm values): an object with a
 * string `image` and a `securityContext` or `containerSecurityContext`, or a security context with container-only
 * fields. Its `podSecurityContext` (if any) and pod-level fields beside it (hostNetwork, volumes...) are the pod's.
 */
function loneContainer(node: any, path: string, emit: Emit): void {
  const scKey = isObj(node.containerSecurityContext) ? 'containerSecurityContext' : isObj(node.securityContext) ? 'securityContext' : undefined;
  if (!scKey) return;
  const sc = node[scKey];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  // A securityContext proves a container only by a container-only field (or the containerSecurityContext key). One with
  // pod-only fields (fsGroup, sysctls, ...) or only fields valid at both levels (runAsUser, seccompProfile, ...) is read
  // as the pod's: judged at pod level, never reported as a container whose fixes (capabilities, readOnlyRootFilesystem)
  // could not be applied there (a prometheus-operator Prometheus' spec.securityContext is a PodSecurityContext).
  if (scKey === 'securityContext' && !CONTAINER_ONLY.some(k => sc[k] !== undefined)) {
    if (typeof node.image !== 'string' && !POD_ONLY.some(k => sc[k] !== undefined)) return;
    emit({
      spec: { ...node, containers: [], initContainers: undefined, ephemeralContainers: undefined }, path, metadata: {}, metadataPath: at('metadata'),
      shape: 'fragment', source: 'inferred', inferred: true, batch: false, containers: [],
    });
    covered(node, emit);
    return;
  }
  if (typeof node.image !== 'string' && !CONTAINER_ONLY.some(k => sc[k] !== undefined)) return;
  const pod = at('<pod>');
  const container = at('<container>');
  emit({
    spec: { ...node, securityContext: node.podSecurityContext, containers: undefined, initContainers: undefined, ephemeralContainers: undefined },
    path: pod, metadata: {}, metadataPath: at('metadata'), shape: 'fragment', source: 'inferred', inferred: true, batch: false,
    containers: [{ container: { ...node, securityContext: sc }, path: container, field: 'containers', name: String(node.name ?? path.split('.').pop() ?? '#0') }],
    remap: [
      [`${pod}.securityContext`, at('podSecurityContext')], [pod, path],
      [`${container}.securityContext`, at(scKey)], [container, path],
    ],
  });
  covered(node, emit);
}

function containerRef(c: any, path: string, field: ContainerRef['field'], i: number): ContainerRef {
  return { container: c, path, field, name: String(c?.name ?? `#${i}`) };
}

/** A PodSpec-shaped fragment at a known path (SidecarSet, EphemeralJob). */
function fragmentAt(obj: any, path: string, source: string, batch: boolean, emit: Emit): void {
  const spec = getPath(obj, path);
  if (!isObj(spec)) return;
  emit({ spec, path, metadata: {}, metadataPath: `${path}.metadata`, shape: 'fragment', source, inferred: false, batch });
}

const ARGO_SOURCE = 'Argo Workflows';

function argoWorkflow(obj: any, wfPath: string, emit: Emit): void {
  const wf = getPath(obj, wfPath);
  if (!isObj(wf)) return;
  // the workflow spec's own pod-level fields (hostNetwork, securityContext, volumes, tolerations, ...)
  emit({ spec: wf, path: wfPath, metadata: {}, metadataPath: `${wfPath}.podMetadata`, shape: 'fragment', source: `${ARGO_SOURCE} ${wfPath}`, inferred: false, batch: true, containers: [] });
  argoPatch(wf.podSpecPatch, `${wfPath}.podSpecPatch`, emit);
  const templates: [any, string][] = Array.isArray(wf.templates) ? wf.templates.map((t: any, i: number) => [t, `${wfPath}.templates[${i}]`]) : [];
  if (isObj(wf.templateDefaults)) templates.push([wf.templateDefaults, `${wfPath}.templateDefaults`]);
  for (const [t, tp] of templates) {
    if (!isObj(t)) continue;
    const containers: ContainerRef[] = [];
    // Argo names the container of `container` and `script` templates "main"
    if (isObj(t.container)) containers.push({ ...containerRef(t.container, `${tp}.container`, 'containers', 0), name: String(t.container.name ?? 'main') });
    if (isObj(t.script)) containers.push({ ...containerRef(t.script, `${tp}.script`, 'containers', 0), name: String(t.script.name ?? 'main') });
    const list = (v: any, p: string, field: ContainerRef['field']) => {
      if (Array.isArray(v)) v.forEach((c: any, i: number) => { if (isObj(c)) containers.push(containerRef(c, `${p}[${i}]`, field, i)); });
    };
    list(t.containerSet?.containers, `${tp}.containerSet.containers`, 'containers');
    list(t.initContainers, `${tp}.initContainers`, 'initContainers');
    list(t.sidecars, `${tp}.sidecars`, 'containers');
    const inherits = t.securityContext === undefined && wf.securityContext !== undefined;
    emit({
      spec: inherits ? { ...t, securityContext: wf.securityContext } : t,
      path: tp, metadata: t.metadata ?? {}, metadataPath: `${tp}.metadata`, shape: 'fragment', source: `${ARGO_SOURCE} template ${tp}`,
      inferred: false, batch: true, containers,
      ...(inherits ? { remap: [[`${tp}.securityContext`, `${wfPath}.securityContext`]] as const } : {}),
    });
    argoPatch(t.podSpecPatch, `${tp}.podSpecPatch`, emit);
  }
}

/** podSpecPatch is a JSON or YAML string merged into the pod spec: judge what it sets. */
function argoPatch(patch: unknown, path: string, emit: Emit): void {
  if (typeof patch !== 'string') return;
  let spec: any;
  try { spec = parseYaml(patch); } catch { return; }
  if (!isObj(spec)) return;
  emit({ spec, path, metadata: {}, metadataPath: `${path}.metadata`, shape: 'fragment', source: `${ARGO_SOURCE} podSpecPatch ${path}`, inferred: false, batch: true });
}

function tektonPipeline(obj: any, specPath: string, podTemplates: string[], emit: Emit): void {
  for (const list of ['tasks', 'finally']) {
    for (const [, p] of expand(obj, `${specPath}.${list}.*`)) tektonTask(obj, `${p}.taskSpec`, podTemplates, emit);
  }
}

function tektonPodTemplate(obj: any, path: string, emit: Emit): void {
  const t = getPath(obj, path);
  if (!isObj(t)) return;
  emit({ spec: t, path, metadata: t.metadata ?? {}, metadataPath: `${path}.metadata`, shape: 'fragment', source: `Tekton pod template ${path}`, inferred: false, batch: true, containers: [] });
}

function tektonTask(obj: any, path: string, podTemplates: string[], emit: Emit): void {
  const task = getPath(obj, path);
  if (!isObj(task)) return;
  const template = isObj(task.stepTemplate) ? task.stepTemplate : undefined;
  const containers: ContainerRef[] = [];
  (Array.isArray(task.steps) ? task.steps : []).forEach((s: any, i: number) => {
    if (!isObj(s)) return;
    // Tekton merges stepTemplate into every step (the step wins, securityContext merged field by field)
    const merged = template ? { ...template, ...s, securityContext: mergeObj(template.securityContext, s.securityContext) } : s;
    containers.push(containerRef(merged, `${path}.steps[${i}]`, 'containers', i));
  });
  (Array.isArray(task.sidecars) ? task.sidecars : []).forEach((s: any, i: number) => {
    if (isObj(s)) containers.push(containerRef(s, `${path}.sidecars[${i}]`, 'containers', i));
  });
  const podTemplatePath = podTemplates.find(p => isObj(getPath(obj, `${p}.securityContext`)));
  const spec: any = { volumes: task.volumes };
  if (podTemplatePath) spec.securityContext = getPath(obj, `${podTemplatePath}.securityContext`);
  emit({
    spec, path, metadata: task.metadata ?? {}, metadataPath: `${path}.metadata`, shape: 'fragment', source: `Tekton task ${path}`,
    inferred: false, batch: true, containers,
    ...(podTemplatePath ? { remap: [[`${path}.securityContext`, `${podTemplatePath}.securityContext`]] as const } : {}),
  });
  // the steps as written and the stepTemplate are covered (judged through the merged steps, not inferred again)
  if (template) {
    covered(template, emit);
    (Array.isArray(task.steps) ? task.steps : []).forEach((s: any) => { if (isObj(s)) emit({ spec: s, path: '', metadata: {}, metadataPath: '', shape: 'fragment', source: 'covered', inferred: false, batch: true, containers: [containerRef(s, '', 'containers', 0)] }); });
  }
}

function spark(obj: any, appPath: string, emit: Emit): void {
  const app = getPath(obj, appPath);
  if (!isObj(app)) return;
  for (const role of ['driver', 'executor']) {
    const d = app[role];
    if (!isObj(d)) continue;
    const rp = `${appPath}.${role}`;
    const virtual = `${rp}.<pod>`;
    const containers: ContainerRef[] = [containerRef({ ...d, name: d.name ?? `spark-kubernetes-${role}`, image: d.image ?? app.image }, rp, 'containers', 0)];
    (Array.isArray(d.sidecars) ? d.sidecars : []).forEach((c: any, i: number) => { if (isObj(c)) containers.push(containerRef(c, `${rp}.sidecars[${i}]`, 'containers', i)); });
    (Array.isArray(d.initContainers) ? d.initContainers : []).forEach((c: any, i: number) => { if (isObj(c)) containers.push(containerRef(c, `${rp}.initContainers[${i}]`, 'initContainers', i)); });
    emit({
      spec: {
        securityContext: d.podSecurityContext, hostNetwork: d.hostNetwork, tolerations: d.tolerations, volumes: app.volumes,
        serviceAccountName: d.serviceAccount, nodeSelector: d.nodeSelector, hostAliases: d.hostAliases, schedulerName: d.schedulerName,
      },
      path: virtual, metadata: { labels: d.labels, annotations: d.annotations }, metadataPath: rp, shape: 'fragment',
      source: `Spark ${role} ${rp}`, inferred: false, batch: true, containers,
      remap: [
        [`${virtual}.securityContext`, `${rp}.podSecurityContext`], [`${virtual}.volumes`, `${appPath}.volumes`], [virtual, rp],
        ...(d.image === undefined ? [[`${rp}.image`, `${appPath}.image`] as const] : []),
      ],
    });
    covered(d, emit);
  }
}

/** Mark a value as covered so inference does not judge it again. */
function covered(v: any, emit: Emit): void {
  emit({ spec: v, path: '', metadata: {}, metadataPath: '', shape: 'fragment', source: 'covered', inferred: false, batch: true, containers: [containerRef(v, '', 'containers', 0)] });
}

function mergeObj(a: any, b: any): any {
  if (!isObj(a)) return b;
  if (!isObj(b)) return a;
  return { ...a, ...b };
}

/** A pattern of identifier keys only (`spec.template.spec`): its concrete path is itself (joinPath adds no quoting). */
const PLAIN_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$-]*(?:\.[A-Za-z_$][A-Za-z0-9_$-]*)*$/;

/** Values at a path pattern (`a.b.*.c`: `*` = each array element or map value), with their concrete paths. */
function expand(obj: any, pattern: string): [any, string][] {
  if (PLAIN_PATTERN.test(pattern)) {
    // Every carrier path of a Deployment-like kind: one walk down, no array per segment (what the loop below gives).
    let v = obj;
    let start = 0;
    while (start < pattern.length) {
      let end = pattern.indexOf('.', start);
      if (end < 0) end = pattern.length;
      if (!isObj(v)) return [];
      v = v[pattern.slice(start, end)];
      if (v === undefined) return [];
      start = end + 1;
    }
    return [[v, pattern]];
  }
  let cur: [any, string][] = [[obj, '']];
  for (const seg of pattern.split('.')) {
    const next: [any, string][] = [];
    for (const [v, p] of cur) {
      if (seg === '*') {
        if (Array.isArray(v)) v.forEach((x, i) => next.push([x, `${p}[${i}]`]));
        else if (isObj(v)) for (const k of Object.keys(v)) next.push([v[k], joinPath(p, k)]);
      } else if (isObj(v) && v[seg] !== undefined) {
        next.push([v[seg], joinPath(p, seg)]);
      }
    }
    cur = next;
  }
  return cur;
}

const containersMemo = new ObjectMemo<PodSpecRef, ContainerRef[]>();
// The rules of one object ask in turn for the containers of the same pod: the last answer, without a WeakMap lookup.
let lastPod: PodSpecRef | undefined;
let lastContainers: ContainerRef[] = NONE;

export function containersOf(pod: PodSpecRef): ContainerRef[] {
  if (pod.containers) return pod.containers;
  if (pod === lastPod) return lastContainers;
  // Every container rule asks for the containers of every pod: list them once per pod.
  const cached = containersMemo.get(pod);
  if (cached) {
    lastPod = pod;
    lastContainers = cached;
    return cached;
  }
  const out = listContainers(pod);
  containersMemo.set(pod, out);
  lastPod = pod;
  lastContainers = out;
  return out;
}

/**
 * A ref with its containers listed. Written out field by field, not spread: every such ref has the shape of one
 * literal (measured: refs copied by a spread made every later read of their fields slower, in each rule).
 */
function withContainers(found: PodSpecRef): PodSpecRef {
  const containers = listContainers(found);
  const { spec, path, metadata, metadataPath, shape, source, inferred, batch, remap } = found;
  return remap === undefined
    ? { spec, path, metadata, metadataPath, shape, source, inferred, batch, containers }
    : { spec, path, metadata, metadataPath, shape, source, inferred, batch, containers, remap };
}

/** The containers of a pod spec at `<path>.containers[i]`, `initContainers[i]`, `ephemeralContainers[i]` (frozen). */
function listContainers(pod: PodSpecRef): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of POD_CONTAINER_FIELDS) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: any, i: number) => out.push({
      container: c ?? {},
      path: joinPath(pod.path, `${field}`) + `[${i}]`,
      field,
      name: String(c?.name ?? `#${i}`),
    }));
  }
  for (const c of out) Object.freeze(c);
  return Object.freeze(out) as ContainerRef[];
}

/** The real path of a violation found on `pod` (remapped fields, no leading dot for a pod at the object's root). */
export function podFindingPath(pod: PodSpecRef, path: string): string {
  let p = path.startsWith('.') ? path.slice(1) : path;
  if (pod.remap === undefined) return p;
  for (const [from, to] of pod.remap) {
    if (p === from || p.startsWith(`${from}.`) || p.startsWith(`${from}[`)) {
      const rest = p.slice(from.length);
      p = to ? to + rest : rest.replace(/^\./, '');
      break;
    }
  }
  return p;
}

export interface PodCheckOptions {
  /** Judge only real PodSpecs (`shape: 'pod'`), not fragments. @default false */
  readonly podsOnly?: boolean;
}

/** What checkPods reads of a finding (a rule's RuleViolation is one). */
export interface PodFinding {
  readonly path: string;
  readonly message: string;
}

/**
 * Run a per-pod check over every pod spec of an object: paths are made real (`podFindingPath`), findings on inferred
 * pods name the path read as a pod spec, and duplicates (the same path and message through two pods) are dropped.
 */
export function checkPods<V extends PodFinding>(obj: any, check: (pod: PodSpecRef) => V[], options?: PodCheckOptions): V[] {
  const pods = podSpecsOf(obj);
  if (pods.length === 0) return NONE;
  const podsOnly = options?.podsOnly === true;
  let out: V[] | undefined;
  // Duplicates (the same `${path}\u0000${message}` key twice) are looked for once there are two findings (most objects
  // have none). While the findings are few and no path holds a NUL character, the keys are equal exactly when path and
  // message are: compared pairwise, without building key strings; past that, by the keys in a set.
  let seen: Set<string> | undefined;
  let pairwise = true;
  for (let p = 0; p < pods.length; p++) {
    const pod = pods[p];
    if (podsOnly && pod.shape !== 'pod') continue;
    const found = check(pod);
    for (let i = 0; i < found.length; i++) {
      const v = found[i];
      const path = podFindingPath(pod, v.path);
      const message = pod.inferred ? `${v.message} (${inferredNote(obj, pod)})` : v.message;
      if (out === undefined) {
        out = [];
        pairwise = !path.includes('\u0000');
      } else {
        if (pairwise && (out.length >= PAIRWISE_MAX || path.includes('\u0000'))) pairwise = false;
        if (pairwise) {
          if (out.some(o => o.path === path && o.message === message)) continue;
        } else {
          if (seen === undefined) {
            seen = new Set();
            for (const o of out) seen.add(`${o.path}\u0000${o.message}`);
          }
          const key = `${path}\u0000${message}`;
          if (seen.has(key)) continue;
          seen.add(key);
        }
      }
      out.push(path === v.path && message === v.message ? v : { ...v, path, message });
    }
  }
  return out ?? NONE;
}

/** checkPods compares findings pairwise up to this many (then by key strings in a set). */
const PAIRWISE_MAX = 8;

/** Why a pod was inferred: the path read as a pod spec, and what made it one. */
function inferredNote(obj: any, pod: PodSpecRef): string {
  const what = pod.shape === 'pod' ? 'a PodSpec-shaped value' : 'container-shaped values';
  const kind = String(obj?.kind);
  return carrierOf(obj)
    ? `read as a pod spec at ${pod.path || '<root>'}: ${what} outside the known pod template paths of ${kind}`
    : `read as a pod spec at ${pod.path || '<root>'}: ${kind} is not a known pod carrier and holds ${what} there`;
}

function isObj(v: unknown): v is { [k: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Effective value of a securityContext field that exists at both pod and container level
 * (container wins), with the path where it was set.
 */
export function effective(pod: PodSpecRef, c: ContainerRef, field: string): { value: any; path: string } {
  const cv = c.container.securityContext?.[field];
  if (cv !== undefined && cv !== null) return { value: cv, path: `${c.path}.securityContext.${field}` };
  const pv = pod.spec.securityContext?.[field];
  if (pv !== undefined && pv !== null) return { value: pv, path: `${pod.path}.securityContext.${field}` };
  return { value: undefined, path: `${c.path}.securityContext.${field}` };
}

/** The value `effective` finds, without the path (for callers that only read the value: no string built). */
export function effectiveValue(pod: PodSpecRef, c: ContainerRef, field: string): any {
  const cv = c.container.securityContext?.[field];
  if (cv !== undefined && cv !== null) return cv;
  const pv = pod.spec.securityContext?.[field];
  if (pv !== undefined && pv !== null) return pv;
  return undefined;
}

/** True for Windows pods (some restricted controls are exempt for `spec.os.name: windows`). */
export function isWindowsPod(pod: PodSpecRef): boolean {
  return pod.spec.os?.name === 'windows';
}

const TOKEN_STRING = '${Token[';

/** True when a value is (or contains) an unresolved AWS CDK / cdk8s token. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(TOKEN_STRING);
  // aws-cdk numeric tokens encode as numbers around -1.888e+289
  if (typeof value === 'number') return value < -1e288;
  return false;
}

/** JSON paths of every unresolved token inside a value. */
export function findUnresolved(value: unknown, path = ''): string[] {
  // Paths are built only for values that hold a token: almost every object holds none (a guard evaluates every object).
  return hasUnresolved(value) ? collectUnresolved(value, path) : NONE;
}

/**
 * Whether a value holds a token anywhere (a key included). Every object is walked by the unresolved-token rule: plain
 * loops, no array of keys for objects without a prototype (what the engine judges), no path built.
 */
function hasUnresolved(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return isUnresolved(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (i in value && hasUnresolvedValue(value[i])) return true;
    return false;
  }
  const o = value as { [k: string]: unknown };
  if (Object.getPrototypeOf(o) === null) {
    // for-in on an object without a prototype visits exactly its own enumerable keys, as Object.keys does
    for (const k in o) {
      if ((k.length >= TOKEN_STRING.length && k.includes(TOKEN_STRING)) || hasUnresolvedValue(o[k])) return true;
    }
    return false;
  }
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i].includes(TOKEN_STRING) || hasUnresolvedValue(o[keys[i]])) return true;
  }
  return false;
}

/** hasUnresolved, with the scalar tests inline (most values are strings, many shorter than a token). */
function hasUnresolvedValue(v: unknown): boolean {
  if (typeof v === 'string') return v.length >= TOKEN_STRING.length && v.includes(TOKEN_STRING);
  if (typeof v === 'number') return v < -1e288;
  return typeof v === 'object' && v !== null && hasUnresolved(v);
}

function collectUnresolved(value: unknown, path: string): string[] {
  if (isUnresolved(value)) return [path || '.'];
  const out: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...collectUnresolved(v, `${path}[${i}]`)));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (isUnresolved(k)) out.push(path ? `${path}.${k}` : k);
      out.push(...collectUnresolved(v, joinPath(path, k)));
    }
  }
  return out;
}

/** Path segment of a key (keys repeat across objects: cached). */
const SEGMENTS = new Map<string, string>();

/** Append a key to a JSON path, bracket-quoting keys that are not identifiers. */
export function joinPath(path: string, key: string): string {
  let seg = SEGMENTS.get(key);
  if (seg === undefined) {
    seg = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
    if (SEGMENTS.size >= 10_000) SEGMENTS.clear();
    SEGMENTS.set(key, seg);
  }
  if (!path) return seg.startsWith('[') ? seg : seg;
  return seg.startsWith('[') ? `${path}${seg}` : `${path}.${seg}`;
}

/** Read a value at a dotted path (`a.b[0].c`). */
export function getPath(obj: any, path: string): any {
  // Most paths are plain dotted keys (`spec.template.metadata`): read them without a regex or an array of parts.
  if (!/[[\]"]/.test(path)) {
    let cur = obj;
    let start = 0;
    while (start <= path.length) {
      let end = path.indexOf('.', start);
      if (end < 0) end = path.length;
      if (end > start) {
        if (cur === undefined || cur === null) return undefined;
        cur = cur[path.slice(start, end)];
      }
      start = end + 1;
    }
    return cur;
  }
  const parts = path.match(/[^.[\]"]+|\["[^"]*"\]/g) ?? [];
  let cur = obj;
  for (const p of parts) {
    const key = p.startsWith('["') ? JSON.parse(p.slice(1, -1)) : p;
    if (cur === undefined || cur === null) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Cluster-scoped core kinds (never carry metadata.namespace). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'IngressClass', 'ClusterIssuer',
  'ConstraintTemplate', 'IPPool', 'ClusterSecretStore', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration',
]);

/** Namespace of a namespaced object as the API server would place it without `-n`: metadata.namespace or "default". */
export function namespaceOf(obj: any): string {
  return obj?.metadata?.namespace ?? 'default';
}

/**
 * objectsIn's index of a set: by kind, then namespace (when no kind holds a NUL character); the joined
 * `kind NUL namespace` key, made when a kind or an asked kind holds one.
 */
interface KindIndex {
  readonly byKind?: Map<string, Map<string, any[]>>;
  byKey?: Map<string, any[]>;
}

const byKindAndNamespace = new ObjectMemo<readonly any[], KindIndex>();

/**
 * The objects of one kind in one namespace of an evaluated set. The set is indexed once (the engine builds a fresh
 * array per evaluation), so cross-object rules stay linear in the number of objects. Indexed by kind, then namespace:
 * a lookup builds no key string (rules ask for every object). The answers are those of the one joined key
 * `${kind}\u0000${namespace}` it always had: without a NUL in any kind both indexes give the same, and with one
 * (never valid, but an HPA's scaleTargetRef kind is input) the joined key is used.
 */
export function objectsIn(objects: readonly any[], kind: string, namespace: string): any[] {
  let index = byKindAndNamespace.get(objects);
  if (!index) {
    index = objects.some(o => typeof o?.kind === 'string' && o.kind.includes('\u0000')) ? {} : { byKind: indexByKind(objects) };
    byKindAndNamespace.set(objects, index);
  }
  const k = `${kind}`;
  if (index.byKind && !k.includes('\u0000')) return index.byKind.get(k)?.get(`${namespace}`) ?? [];
  index.byKey ??= indexByKey(objects);
  return index.byKey.get(`${k}\u0000${namespace}`) ?? [];
}

function indexByKind(objects: readonly any[]): Map<string, Map<string, any[]>> {
  const byKind = new Map<string, Map<string, any[]>>();
  for (const o of objects) {
    if (typeof o?.kind !== 'string') continue;
    let byNamespace = byKind.get(o.kind);
    if (!byNamespace) byKind.set(o.kind, byNamespace = new Map());
    const ns = `${namespaceOf(o)}`;
    const list = byNamespace.get(ns);
    if (list) list.push(o); else byNamespace.set(ns, [o]);
  }
  for (const byNamespace of byKind.values()) for (const list of byNamespace.values()) Object.freeze(list);
  return byKind;
}

function indexByKey(objects: readonly any[]): Map<string, any[]> {
  const byKey = new Map<string, any[]>();
  for (const o of objects) {
    if (typeof o?.kind !== 'string') continue;
    const key = `${o.kind}\u0000${namespaceOf(o)}`;
    const list = byKey.get(key);
    if (list) list.push(o); else byKey.set(key, [o]);
  }
  for (const list of byKey.values()) Object.freeze(list);
  return byKey;
}
