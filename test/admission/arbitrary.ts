/**
 * fast-check generators of schema-valid objects of the kinds the admission policies match, built from the values the
 * rules judge (each field absent or one of a few pass/fail/edge values), with waiver annotations that the generator
 * bakes in, near misses of them (other namespace, other kind, annotation bytes changed) and expired or invalid ones.
 */
import * as fc from 'fast-check';

export const TODAY = '2026-06-15';
const DIGEST = `sha256:${'a'.repeat(64)}`;

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const rec = (shape: { [k: string]: fc.Arbitrary<any> }) => fc.record(shape, { requiredKeys: [] });

const IMAGES = ['nginx', 'nginx:latest', 'nginx:1.25', `registry.example.com/app@${DIGEST}`, 'registry.example.com:5000/team/app:1.0',
  'docker.io/nginx:1', 'docker.io/library/nginx:latest', 'localhost/app:1', `ghcr.io/acme/app:latest@${DIGEST}`, 'ghcr.io/acme/app:2',
  'ghcr.io/acmecorp/app:2', 'nginx@', `nginx@${DIGEST}x`, 'a:b/c', 'registry.example.com/app:latest', `registry.example.com/app:1@sha256:${'A'.repeat(64)}`,
  'registry.example.com', 'gcr.io:443/x/y:z', ''];

const securityContext = rec({
  privileged: fc.boolean(),
  allowPrivilegeEscalation: fc.boolean(),
  runAsNonRoot: fc.boolean(),
  runAsUser: fc.constantFrom(0, 1000),
  readOnlyRootFilesystem: fc.boolean(),
  procMount: fc.constantFrom('Default', 'Unmasked'),
  capabilities: rec({
    add: fc.array(fc.constantFrom('NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', 'NET_RAW', 'ALL'), { maxLength: 3 }),
    drop: fc.array(fc.constantFrom('ALL', 'NET_RAW'), { maxLength: 2 }),
  }),
  seccompProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Unconfined' }, { type: 'Localhost', localhostProfile: 'p.json' }),
  seLinuxOptions: rec({
    type: fc.constantFrom('', 'container_t', 'spc_t', 'container_engine_t'),
    user: fc.constantFrom('', 'system_u'),
    role: fc.constantFrom('', 'object_r'),
    level: fc.constant('s0'),
  }),
  windowsOptions: rec({ hostProcess: fc.boolean() }),
  appArmorProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Unconfined' }, { type: 'Localhost', localhostProfile: 'x' }),
});

const handler = (action: 'httpGet' | 'tcpSocket') => fc.record({
  [action]: rec({ host: fc.constantFrom('', '10.0.0.1', '169.254.169.254') }).map(h => ({ port: 80, ...h })),
} as any);

const container = fc.record({
  image: fc.constantFrom(...IMAGES),
  securityContext: opt(securityContext),
  ports: opt(fc.array(rec({ hostPort: fc.constantFrom(0, 80, 8443) }).map(p => ({ containerPort: 80, ...p })), { maxLength: 3 })),
  resources: opt(rec({
    limits: rec({ memory: fc.constant('128Mi'), cpu: fc.constant('1') }),
    requests: rec({ memory: fc.constant('64Mi'), cpu: fc.constant('100m') }),
  })),
  livenessProbe: opt(handler('httpGet')),
  readinessProbe: opt(handler('tcpSocket')),
  lifecycle: opt(rec({ postStart: handler('httpGet'), preStop: handler('tcpSocket') })),
});

const volume = fc.constantFrom<any>({ hostPath: { path: '/' } }, { emptyDir: {} }, { nfs: { server: 's', path: '/' } },
  { configMap: { name: 'c' } }, { secret: { secretName: 's' } }, { persistentVolumeClaim: { claimName: 'p' } });

const podSpec = fc.record({
  containers: fc.array(container, { minLength: 1, maxLength: 3 }),
  initContainers: opt(fc.array(container, { maxLength: 2 })),
  ephemeralContainers: opt(fc.array(container, { maxLength: 1 })),
  hostNetwork: opt(fc.boolean()),
  hostPID: opt(fc.boolean()),
  hostIPC: opt(fc.boolean()),
  // PSS v1.35+: hostUsers: false (exactly the boolean) relaxes run-as-non-root, run-as-user-root and proc-mount
  hostUsers: opt(fc.boolean()),
  os: opt(fc.constantFrom({ name: 'linux' }, { name: 'windows' })),
  volumes: opt(fc.array(volume, { maxLength: 3 })),
  securityContext: opt(rec({
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000),
    seccompProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Unconfined' }, { type: 'Localhost', localhostProfile: 'p.json' }),
    seLinuxOptions: rec({ type: fc.constantFrom('', 'container_t', 'spc_t', 'container_engine_t'), user: fc.constantFrom('', 'system_u') }),
    sysctls: fc.array(fc.constantFrom('kernel.shm_rmid_forced', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_rmem', 'kernel.msgmax', 'net/ipv4/tcp_rmem')
      .map(name => ({ name, value: '1' })), { maxLength: 2 }),
    windowsOptions: rec({ hostProcess: fc.boolean() }),
    appArmorProfile: fc.constantFrom({ type: 'RuntimeDefault' }, { type: 'Unconfined' }),
  })),
}).map(s => {
  const spec: any = JSON.parse(JSON.stringify(s));
  spec.containers.forEach((c: any, i: number) => { c.name = `c${i}`; });
  (spec.initContainers ?? []).forEach((c: any, i: number) => { c.name = `i${i}`; });
  (spec.ephemeralContainers ?? []).forEach((c: any, i: number) => { c.name = `e${i}`; delete c.ports; delete c.resources; delete c.lifecycle; delete c.livenessProbe; delete c.readinessProbe; });
  (spec.volumes ?? []).forEach((v: any, i: number) => { v.name = `v${i}`; });
  return spec;
});

const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';

/** Where the pod spec sits per kind, as the TypeScript rules name it. */
export const SPEC_PATH: { [kind: string]: string } = {
  Pod: 'spec', Deployment: 'spec.template.spec', StatefulSet: 'spec.template.spec', DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec', ReplicationController: 'spec.template.spec', Job: 'spec.template.spec', CronJob: 'spec.jobTemplate.spec.template.spec',
  // PodTemplate and custom-resource carriers (no API schema of their own here: their pod template is checked against PodSpec)
  PodTemplate: 'template.spec', Rollout: 'spec.template.spec', ScaledJob: 'spec.jobTargetRef.template.spec', Revision: 'spec',
};
const API_VERSION: { [kind: string]: string } = {
  Pod: 'v1', Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1', ReplicationController: 'v1', Job: 'batch/v1', CronJob: 'batch/v1',
  PodTemplate: 'v1', Rollout: 'argoproj.io/v1alpha1', ScaledJob: 'keda.sh/v1alpha1', Revision: 'serving.knative.dev/v1',
};

/** A waiver identity: an object (kind, namespace, name) and its annotation. */
export interface Identity {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly annotation: string;
}

function waiversFor(kind: string): any[] {
  const s = SPEC_PATH[kind];
  const m = kind === 'Pod' || kind === 'Revision' ? 'metadata' : s.replace(/\.spec$/, '.metadata');
  const w = (ruleId: string, path?: string, expires = '2026-12-31') => ({
    ruleId, reason: 'accepted by the platform team until the migration ends', owner: 'platform', expires, ...(path ? { path } : {}),
  });
  return [
    w('privileged-container', `${s}.containers[0]`),
    w('host-namespaces'),
    w('capabilities-baseline', `${s}.containers[1].securityContext.capabilities.add[1]`),
    w('capabilities-restricted', `${s}.containers[0].securityContext.capabilities`),
    w('run-as-non-root', s),
    w('image-tag-latest', undefined, '2026-01-01'), // expired before TODAY: never honoured
    w('image-digest', `${s}.containers`),
    w('image-registry-allowed', `${s}.initContainers[0].image`),
    w('volume-types', `${s}.volumes[0]`),
    w('host-path-volumes', `${s}.volumes[1].hostPath`),
    w('apparmor-profile', `${m}.annotations`),
    w('seccomp-restricted', `${s}.securityContext.seccompProfile`),
    w('sysctls-unsafe', `${s}.securityContext.sysctls[0].name`),
    w('host-ports', `${s}.containers[0].ports[1]`),
    w('read-only-root-filesystem', `${s}.containers[0]`),
    w('memory-limit', `${s}.initContainers`),
    w('resources-requests', `${s}.containers[0].resources.requests.cpu`),
    w('probe-host', `${s}.containers[0].livenessProbe`),
    w('allow-privilege-escalation', `${s}.ephemeralContainers`),
    w('selinux-options', `${s}.securityContext`),
    w('seccomp-baseline', `${s}.containers[2]`),
    w('run-as-user-root', `${s}.containers[0].securityContext.runAsUser`),
    w('host-process', `${s}.securityContext.windowsOptions`),
    w('proc-mount', `${s}.containers`),
  ];
}

/** The identities whose waivers are baked (the "chart" the policies are generated from). */
export const IDENTITIES: Identity[] = Object.keys(SPEC_PATH).map((kind, i) => ({
  kind, namespace: i % 2 ? 'team' : 'default', name: `waived-${kind.toLowerCase()}`,
  annotation: JSON.stringify(waiversFor(kind)),
}));

/** Waiver sources for the generator: minimal objects carrying the identities' annotations. */
export function waiverSources(): any[] {
  return IDENTITIES.map(id => ({
    apiVersion: API_VERSION[id.kind], kind: id.kind,
    metadata: { name: id.name, namespace: id.namespace, annotations: { 'hardened.cdk8s.io/waivers': id.annotation } },
  }));
}

/** What identity an object takes: a baked one, a near miss, an invalid annotation, or none. */
const identityChoice = fc.oneof(
  { weight: 4, arbitrary: fc.constant<'baked'>('baked') },
  { weight: 1, arbitrary: fc.constant<'other-ns'>('other-ns') },
  { weight: 1, arbitrary: fc.constant<'changed-annotation'>('changed-annotation') },
  { weight: 1, arbitrary: fc.constant<'invalid-annotation'>('invalid-annotation') },
  { weight: 3, arbitrary: fc.constant<'none'>('none') },
);

/** A schema-valid object of a matched kind, with the namespace it is admitted into. */
export const admissionObject = fc.record({
  kind: fc.constantFrom(...Object.keys(SPEC_PATH)),
  spec: podSpec,
  apparmor: opt(fc.array(fc.tuple(fc.constantFrom('c0', 'c1', 'i0'), fc.constantFrom('runtime/default', 'unconfined', 'localhost/p', '')), { maxLength: 2 })),
  identity: identityChoice,
}).map(({ kind, spec, apparmor, identity }) => {
  const id = IDENTITIES.find(x => x.kind === kind)!;
  const podAnnotations: { [k: string]: string } = {};
  for (const [c, v] of apparmor ?? []) podAnnotations[`${APPARMOR}${c}`] = v;
  let namespace = 'default';
  const metaAnnotations: { [k: string]: string } = {};
  let name = `obj-${kind.toLowerCase()}`;
  if (identity !== 'none') {
    name = id.name;
    namespace = identity === 'other-ns' ? (id.namespace === 'team' ? 'default' : 'team') : id.namespace;
    metaAnnotations['hardened.cdk8s.io/waivers'] = identity === 'changed-annotation' ? JSON.stringify(JSON.parse(id.annotation), null, 1)
      : identity === 'invalid-annotation' ? JSON.stringify([...JSON.parse(id.annotation), { ruleId: 'x', reason: 'short' }]) : id.annotation;
  }
  const meta = (extra: { [k: string]: string }) => ({ name, namespace, ...(Object.keys(extra).length ? { annotations: extra } : {}) });
  const template = { metadata: { labels: { app: 'x' }, ...(Object.keys(podAnnotations).length ? { annotations: podAnnotations } : {}) }, spec };
  const selector = { matchLabels: { app: 'x' } };
  let obj: any;
  switch (kind) {
    case 'Pod': obj = { metadata: meta({ ...metaAnnotations, ...podAnnotations }), spec }; break;
    case 'Deployment': case 'DaemonSet': case 'ReplicaSet': obj = { metadata: meta(metaAnnotations), spec: { selector, template } }; break;
    case 'StatefulSet': obj = { metadata: meta(metaAnnotations), spec: { selector, serviceName: 'x', template } }; break;
    case 'ReplicationController': obj = { metadata: meta(metaAnnotations), spec: { selector: { app: 'x' }, template } }; break;
    case 'Job': obj = { metadata: meta(metaAnnotations), spec: { template } }; break;
    case 'PodTemplate': obj = { metadata: meta(metaAnnotations), template }; break;
    case 'Rollout': obj = { metadata: meta(metaAnnotations), spec: { selector, template } }; break;
    case 'ScaledJob': obj = { metadata: meta(metaAnnotations), spec: { jobTargetRef: { template } } }; break;
    case 'Revision': obj = { metadata: meta({ ...metaAnnotations, ...podAnnotations }), spec }; break;
    default: obj = { metadata: meta(metaAnnotations), spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } } };
  }
  return { namespace, object: { apiVersion: API_VERSION[kind], kind, ...obj } };
});
