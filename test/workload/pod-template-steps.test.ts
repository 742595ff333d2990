/**
 * The steps of the shared pod template (issue 31, point 4), each on its own: validatePodProps judges the props and
 * fills in the defaults (a HardeningError for the first bad prop, in a fixed order); renderPodTemplate turns validated
 * input into `spec.template` without judging it; buildPodTemplate is the one, then the other.
 */
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedChart, HardenedWorkloadProps, HardeningProfile, HealthCheck } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { buildPodTemplate, PodTemplateContext, renderPodTemplate, validatePodProps, ValidatedPod } from '../../lib/workload/pod-template';
import { IMAGE, RESOURCES } from './helpers';

/** Plain JSON, as synthesis writes it: quantities and int-or-strings as their values. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (v instanceof kplus.k8s.Quantity || v instanceof kplus.k8s.IntOrString ? v.value : v)));

function context(overrides: Partial<PodTemplateContext> = {}): { scope: Construct; ctx: PodTemplateContext } {
  const scope = new Construct(new HardenedChart(new App(), 'c', { namespace: 'shop' }), 'api');
  const ctx: PodTemplateContext = {
    name: 'api', namespace: 'shop', port: 8080, selectorLabels: { app: 'api' }, labels: { app: 'api', team: 'shop' }, batch: false, topologySpread: true,
    profile: HardeningProfile.resolve(scope), ...overrides,
  };
  return { scope, ctx };
}

function validationError(props: { [k: string]: unknown }): HardeningError {
  const { scope, ctx } = context();
  try {
    validatePodProps(scope, { image: IMAGE, resources: RESOURCES, ...props } as HardenedWorkloadProps, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(HardeningError);
    return e as HardeningError;
  }
  throw new Error('expected validatePodProps to throw');
}

describe('validatePodProps (validate)', () => {
  test('the defaults, filled in: uid/gid 65532, 30 s grace, /tmp writable, TCP probes on the port, pull Always', () => {
    const { scope, ctx } = context();
    const pod = validatePodProps(scope, { image: IMAGE, resources: RESOURCES }, ctx);
    expect(pod).toMatchObject({
      uid: 65532, gid: 65532, grace: 30, image: IMAGE, resources: RESOURCES, pullPolicy: 'Always', apiAccess: [], env: [], pullSecrets: [],
      initContainers: [], capabilities: [], command: undefined, args: undefined, startup: undefined, runtimeClassName: undefined, affinity: undefined,
    });
    expect(pod.mounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }]);
    expect(pod.writableMounts).toEqual(pod.mounts);
    expect(plain(pod.readiness)).toMatchObject({ tcpSocket: { port: 8080 } });
    expect(plain(pod.liveness)).toMatchObject({ tcpSocket: { port: 8080 }, initialDelaySeconds: 10 });
    expect(scope.node.children).toHaveLength(0);
  });

  test('API access adds the short-lived token volume at the standard path; sidecars come before init containers', () => {
    const { scope, ctx } = context();
    const pod = validatePodProps(scope, {
      image: IMAGE, resources: RESOURCES, apiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      initContainers: [{ name: 'init', image: IMAGE }], sidecars: [{ name: 'proxy', image: IMAGE, command: ['/proxy'] }],
    }, ctx);
    expect(pod.volumes.map(v => v.name)).toEqual(['writable-0', 'kube-api-access']);
    expect(pod.mounts[1]).toEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    expect(pod.initContainers.map(c => [c.name, c.sidecar, c.command])).toEqual([['proxy', true, ['/proxy']], ['init', false, undefined]]);
  });

  test('a bad prop is a HardeningError naming the path, the field, the value and the rule', () => {
    const e = validationError({ priorityClassName: 'system-node-critical' });
    expect(e.message).toMatch(/^\[c\/api\] props\.priorityClassName="system-node-critical" violates pod-spec-valid: is a system priority class/);
  });

  test('several bad props: the first in the fixed order is reported', () => {
    const bad = { runAsUser: 0, image: 'nginx:latest', writablePaths: ['/'], env: { 'BAD NAME': kplus.EnvValue.fromValue('x') }, imagePullPolicy: 'Never' };
    expect(validationError(bad).field).toBe('props.runAsUser');
    expect(validationError({ ...bad, runAsUser: undefined }).field).toBe('props.image');
    expect(validationError({ ...bad, runAsUser: undefined, image: IMAGE }).field).toBe('props.writablePaths[0]');
    expect(validationError({ ...bad, runAsUser: undefined, image: IMAGE, writablePaths: undefined }).field).toBe('props.env');
    expect(validationError({ imagePullPolicy: 'Never', sidecars: [{ name: 'main', image: IMAGE }] }).field).toBe('props.imagePullPolicy');
  });

  test('a long-running workload without a port needs probes; a batch one does not', () => {
    expect(() => {
      const { scope, ctx } = context({ port: undefined });
      validatePodProps(scope, { image: IMAGE, resources: RESOURCES }, ctx);
    }).toThrow(/props\.readiness=<unset> violates probes-configured/);
    const { scope, ctx } = context({ port: undefined, batch: true });
    expect(validatePodProps(scope, { image: IMAGE, resources: RESOURCES }, ctx).readiness).toBeUndefined();
  });
});

describe('renderPodTemplate (render)', () => {
  const POD: ValidatedPod = {
    uid: 1000, gid: 2000, resources: { cpuRequest: '1', memoryRequest: '1Gi' }, grace: 5, image: 'img@sha256:x', volumes: [{ name: 'v', emptyDir: {} }],
    mounts: [{ name: 'v', mountPath: '/v' }], writableMounts: [{ name: 'v', mountPath: '/v' }], apiAccess: [], env: [{ name: 'A', value: 'b' }], command: ['/x'],
    readiness: { exec: { command: ['/ready'] } }, pullSecrets: [], pullPolicy: 'IfNotPresent', capabilities: ['NET_BIND_SERVICE'],
    initContainers: [{ name: 'init', image: 'init@sha256:y', env: [], resources: { cpuRequest: '10m', memoryRequest: '16Mi' }, sidecar: false }],
  };

  test('validated input becomes spec.template, exactly', () => {
    const { ctx } = context({ port: undefined, batch: true, topologySpread: false, restartPolicy: 'Never' });
    const securityContext = (add?: string[]) => ({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], ...(add ? { add } : {}) }, seccompProfile: { type: 'RuntimeDefault' },
    });
    const template = plain(renderPodTemplate(POD, ctx, 'api'));
    expect(template).toEqual({
      metadata: { labels: { app: 'api', team: 'shop' } },
      spec: {
        serviceAccountName: 'api', automountServiceAccountToken: false, enableServiceLinks: false, terminationGracePeriodSeconds: 5, restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
        initContainers: [{
          name: 'init', image: 'init@sha256:y', imagePullPolicy: 'IfNotPresent',
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { 'memory': '16Mi', 'ephemeral-storage': '1Gi' } },
          securityContext: securityContext(), volumeMounts: [{ name: 'v', mountPath: '/v' }],
        }],
        containers: [{
          name: 'main', image: 'img@sha256:x', imagePullPolicy: 'IfNotPresent', command: ['/x'], env: [{ name: 'A', value: 'b' }],
          resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { 'memory': '1Gi', 'ephemeral-storage': '1Gi' } },
          readinessProbe: { exec: { command: ['/ready'] } }, securityContext: securityContext(['NET_BIND_SERVICE']), volumeMounts: [{ name: 'v', mountPath: '/v' }],
        }],
        volumes: [{ name: 'v', emptyDir: {} }],
      },
    });
  });

  test('topology spread over zones and nodes, on the selector labels', () => {
    const { ctx } = context();
    const spec = renderPodTemplate(POD, ctx, 'api').spec;
    expect(spec.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.labelSelector.matchLabels])).toEqual([
      ['topology.kubernetes.io/zone', { app: 'api' }], ['kubernetes.io/hostname', { app: 'api' }],
    ]);
  });
});

describe('buildPodTemplate', () => {
  test('is validatePodProps, then renderPodTemplate', () => {
    const props: HardenedWorkloadProps = {
      image: IMAGE, resources: RESOURCES, liveness: HealthCheck.httpGet('/healthz'), sidecars: [{ name: 'proxy', image: IMAGE }],
      apiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    };
    const built = context();
    const template = buildPodTemplate(built.scope, props, built.ctx);
    const stepped = context();
    const pod = validatePodProps(stepped.scope, props, stepped.ctx);
    expect(template.apiAccess).toEqual(pod.apiAccess);
    expect(JSON.stringify(template.render('api'))).toBe(JSON.stringify(renderPodTemplate(pod, stepped.ctx, 'api')));
  });
});
