/**
 * The shared pod template and the needs every workload kind has in common: image pull policy, startupProbe,
 * imagePullSecrets, HorizontalPodAutoscaler.
 */
import { JsonPatch } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import { Guard, HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet, HealthCheck, ImagePullPolicy } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { IMAGE, MINIMAL, newChart, one, RESOURCES } from './helpers';

const podsOf = (objects: any[]) => objects.flatMap(o => {
  if (o.kind === 'CronJob') return [o.spec.jobTemplate.spec.template.spec];
  return o.spec?.template?.spec ? [o.spec.template.spec] : [];
});

function objectsOfAllKinds(): any[] {
  const chart = newChart();
  new HardenedDeployment(chart, 'deploy', MINIMAL);
  new HardenedStatefulSet(chart, 'sts', MINIMAL);
  new HardenedJob(chart, 'job', { image: IMAGE, resources: RESOURCES });
  new HardenedCronJob(chart, 'cron', { image: IMAGE, resources: RESOURCES, schedule: '@hourly' });
  new HardenedDaemonSet(chart, 'ds', MINIMAL);
  return synth(chart);
}

describe('every kind', () => {
  const chart = newChart();
  new HardenedDeployment(chart, 'deploy', MINIMAL);
  new HardenedStatefulSet(chart, 'sts', MINIMAL);
  new HardenedJob(chart, 'job', { image: IMAGE, resources: RESOURCES });
  new HardenedCronJob(chart, 'cron', { image: IMAGE, resources: RESOURCES, schedule: '@hourly' });
  new HardenedDaemonSet(chart, 'ds', MINIMAL);
  const objects = synth(chart);
  const pods = podsOf(objects);

  test('five pod templates, schema-valid, zero findings', () => {
    expect(pods).toHaveLength(5);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('imagePullPolicy Always by default (CIS AlwaysPullImages: credentials checked on every start)', () => {
    for (const p of pods) expect(p.containers[0].imagePullPolicy).toBe('Always');
  });

  test('no startupProbe, no imagePullSecrets unless given; the same pod and container security contexts', () => {
    for (const p of pods) {
      expect(p.containers[0].startupProbe).toBeUndefined();
      expect(p.imagePullSecrets).toBeUndefined();
      expect(p.securityContext).toEqual(pods[0].securityContext);
      expect(p.containers[0].securityContext).toEqual(pods[0].containers[0].securityContext);
      expect(p.automountServiceAccountToken).toBe(false);
      expect(p.serviceAccountName).not.toBe('default');
    }
  });

  test('every emitted object of a workload carries its name; each workload its own ServiceAccount and NetworkPolicy', () => {
    for (const name of ['deploy', 'sts', 'job', 'cron', 'ds']) {
      const own = objects.filter(o => o.metadata.name === name);
      expect(own.map(o => o.kind)).toEqual(expect.arrayContaining(['ServiceAccount', 'NetworkPolicy']));
    }
  });
});

describe('common options', () => {
  test('imagePullPolicy IfNotPresent on request; Never refused', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', { ...MINIMAL, imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT });
    expect(one(synth(chart), 'Deployment').spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, imagePullPolicy: 'Never' as any }))
      .toThrow(/props\.imagePullPolicy="Never" violates pod-spec-valid/);
  });

  test('startupProbe and imagePullSecrets render on the pod', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', { ...MINIMAL, startup: HealthCheck.httpGet('/started', undefined, { failureThreshold: 60 }), imagePullSecrets: ['registry-a', 'registry-b'] });
    const pod = one(synth(chart), 'Deployment').spec.template.spec;
    expect(pod.containers[0].startupProbe).toEqual({ httpGet: { path: '/started', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 1 });
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-a' }, { name: 'registry-b' }]);
  });

  test('priorityClassName on the pod; system-* and invalid names refused', () => {
    const chart = newChart();
    new HardenedJob(chart, 'job', { image: IMAGE, resources: RESOURCES, priorityClassName: 'batch-low' });
    expect(one(synth(chart), 'Job').spec.template.spec.priorityClassName).toBe('batch-low');
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, priorityClassName: 'system-cluster-critical' }))
      .toThrow(/props\.priorityClassName="system-cluster-critical" violates pod-spec-valid: is a system priority class/);
    expect(() => new HardenedDaemonSet(newChart(), 'ds', { ...MINIMAL, priorityClassName: 'system-node-critical' })).toThrow(/violates pod-spec-valid/);
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, priorityClassName: 'High Prio' })).toThrow(/props\.priorityClassName="High Prio" violates pod-spec-valid/);
    for (const p of podsOf(objectsOfAllKinds())) expect(p.priorityClassName).toBeUndefined();
  });

  test('labels on every object and the pods, never on the selector; podAnnotations on the pods only', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', { ...MINIMAL, labels: { 'team': 'payments', 'example.com/cost-center': 'cc-7' }, podAnnotations: { 'prometheus.io/scrape': 'true' } });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    for (const o of objects) expect(o.metadata.labels).toMatchObject({ 'team': 'payments', 'example.com/cost-center': 'cc-7', 'app.kubernetes.io/name': 'api' });
    const dep = one(objects, 'Deployment');
    expect(Object.keys(dep.spec.selector.matchLabels).sort()).toEqual(['app.kubernetes.io/instance', 'app.kubernetes.io/name']);
    expect(dep.spec.template.metadata.labels.team).toBe('payments');
    expect(dep.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(dep.metadata.annotations).toBeUndefined();
  });

  test.each([
    [{ labels: { 'app.kubernetes.io/name': 'other' } }, /props\.labels="app\.kubernetes\.io\/name" violates metadata-valid: is a selector label/],
    [{ labels: { 'app.kubernetes.io/instance': 'x' } }, /violates metadata-valid: is a selector label/],
    [{ labels: { 'bad key': 'x' } }, /props\.labels="bad key" violates metadata-valid/],
    [{ labels: { team: 'a b' } }, /props\.labels\.team="a b" violates metadata-valid/],
    [{ labels: 'team=a' }, /props\.labels="team=a" violates metadata-valid: must be an object/],
    [{ podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' } }, /props\.podAnnotations=.* violates metadata-valid: uses a reserved prefix/],
    [{ podAnnotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }, /violates metadata-valid: uses a reserved prefix/],
    [{ podAnnotations: { 'kubernetes.io/psp': 'privileged' } }, /violates metadata-valid: uses a reserved prefix/],
    [{ podAnnotations: { 'hardened.cdk8s.io/waivers': '[]' } }, /violates metadata-valid: uses a reserved prefix/],
    [{ podAnnotations: { 'prometheus.io/port': 9090 } }, /props\.podAnnotations\.prometheus\.io\/port=9090 violates metadata-valid: must be a string/],
    [{ podAnnotations: { big: 'x'.repeat(300 * 1024) } }, /violates metadata-valid: exceeds the 256 KiB/],
  ])('labels and annotations refused: %j', (override, expected) => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ...override } as any)).toThrow(expected);
    expect(() => new HardenedJob(newChart(), 'job', { image: IMAGE, resources: RESOURCES, ...override } as any)).toThrow(expected);
  });

  test('invalid startup probe: HardeningError naming props.startup', () => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, startup: HealthCheck.tcp(0) })).toThrow(/props\.startup\.port=0 violates probes-configured/);
  });
});

describe('init containers and native sidecars', () => {
  const INIT_IMAGE = IMAGE.replace('/api@', '/init@');
  test('hardened like the main container, sidecars first with restartPolicy Always, writable paths shared; zero findings', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', {
      ...MINIMAL,
      writablePaths: ['/tmp', '/var/run/app'],
      secretMounts: [{ path: '/etc/db', secret: { name: 'db' } as any }],
      initContainers: [{ name: 'migrate', image: INIT_IMAGE, args: ['up'], env: { MODE: EnvValue.fromValue('init') } }],
      sidecars: [{ name: 'log-forwarder', image: INIT_IMAGE, resources: { cpuRequest: '10m', memoryRequest: '32Mi' } }],
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-forwarder', 'Always'], ['migrate', undefined]]);
    const [sidecar, init] = pod.initContainers;
    for (const c of pod.initContainers) {
      expect(c.securityContext).toEqual(pod.containers[0].securityContext);
      expect(c.imagePullPolicy).toBe('Always');
      expect(c.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }, { name: 'writable-1', mountPath: '/var/run/app' }]);
    }
    expect(init.resources).toEqual(pod.containers[0].resources);
    expect(init.args).toEqual(['up']);
    expect(init.env).toEqual([{ name: 'MODE', value: 'init' }]);
    expect(sidecar.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { 'memory': '32Mi', 'ephemeral-storage': '1Gi' } });
    expect(JSON.stringify(pod.initContainers)).not.toContain('/etc/db');
  });

  test('every kind takes them', () => {
    const chart = newChart();
    const initContainers = [{ name: 'wait', image: INIT_IMAGE }];
    new HardenedStatefulSet(chart, 'sts', { ...MINIMAL, initContainers });
    new HardenedJob(chart, 'job', { image: IMAGE, resources: RESOURCES, sidecars: initContainers });
    new HardenedCronJob(chart, 'cron', { image: IMAGE, resources: RESOURCES, schedule: '@daily', initContainers });
    new HardenedDaemonSet(chart, 'ds', { ...MINIMAL, initContainers });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(podsOf(objects).map(p => p.initContainers[0].name)).toEqual(['wait', 'wait', 'wait', 'wait']);
  });

  const cases: [string, object, RegExp][] = [
    ['init image with a tag', { initContainers: [{ name: 'a', image: 'registry.example.com/a:1' }] }, /props\.initContainers\[0\]\.image="registry\.example\.com\/a:1" violates image-digest/],
    ['sidecar image latest', { sidecars: [{ name: 'a', image: 'registry.example.com/a:latest' }] }, /props\.sidecars\[0\]\.image=.* violates image-tag-latest/],
    ['name main', { initContainers: [{ name: 'main', image: IMAGE }] }, /props\.initContainers\[0\]\.name="main" violates pod-spec-valid/],
    ['name twice across lists', { sidecars: [{ name: 'a', image: IMAGE }], initContainers: [{ name: 'a', image: IMAGE }] }, /props\.initContainers\[0\]\.name="a" violates pod-spec-valid/],
    ['name not a label', { initContainers: [{ name: 'A_B', image: IMAGE }] }, /name="A_B" violates pod-spec-valid/],
    ['resources limit below request', { sidecars: [{ name: 'a', image: IMAGE, resources: { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Mi' } }] }, /props\.sidecars\[0\]\.resources\.memoryLimit="1Mi" violates pod-spec-valid/],
    ['env name invalid', { initContainers: [{ name: 'a', image: IMAGE, env: { 'A B': { value: 'x' } } }] }, /props\.initContainers\[0\]\.env="A B" violates pod-spec-valid/],
    ['command not strings', { initContainers: [{ name: 'a', image: IMAGE, command: [1] }] }, /props\.initContainers\[0\]\.command=\[1\] violates pod-spec-valid/],
    ['not a list', { sidecars: { name: 'a' } }, /props\.sidecars=.* violates pod-spec-valid: must be a list/],
    ['entry null', { initContainers: [null] }, /props\.initContainers\[0\]=null violates pod-spec-valid/],
  ];
  test.each(cases)('%s', (_, override, expected) => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ...override } as any)).toThrow(expected);
  });
});

describe('autoscaling', () => {
  test.each([['Deployment', HardenedDeployment], ['StatefulSet', HardenedStatefulSet]] as const)('%s: HPA with min 2, CPU 70 %% by default; spec.replicas left to it; zero findings', (kind, Kind) => {
    const chart = newChart();
    new Kind(chart, 'api', { ...MINIMAL, autoscaling: { maxReplicas: 10 } });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings()).toEqual([]);
    expect(one(objects, kind).spec.replicas).toBeUndefined();
    expect(one(objects, 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind, name: 'api' },
      minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
  });

  test('memory target alone replaces the CPU default; both together', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'a', { ...MINIMAL, autoscaling: { minReplicas: 3, maxReplicas: 5, memoryUtilization: 80 } });
    new HardenedDeployment(chart, 'b', { ...MINIMAL, autoscaling: { maxReplicas: 5, cpuUtilization: 60, memoryUtilization: 80 } });
    const hpas = synth(chart).filter(o => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas[0].spec.minReplicas).toBe(3);
    expect(hpas[0].spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['memory', 80]]);
    expect(hpas[1].spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 60], ['memory', 80]]);
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('without autoscaling there is no HPA and replicas stay explicit', () => {
    const chart = newChart();
    const d = new HardenedDeployment(chart, 'api', MINIMAL);
    expect(d.autoscaler).toBeUndefined();
    expect(synth(chart).filter(o => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  const cases: [string, object, RegExp][] = [
    ['replicas with autoscaling', { replicas: 3, autoscaling: { maxReplicas: 5 } }, /props\.replicas=3 violates replicas-minimum: is set together with autoscaling/],
    ['minReplicas 1', { autoscaling: { minReplicas: 1, maxReplicas: 5 } }, /props\.autoscaling\.minReplicas=1 violates replicas-minimum/],
    ['maxReplicas below min', { autoscaling: { minReplicas: 4, maxReplicas: 3 } }, /props\.autoscaling\.maxReplicas=3 violates replicas-minimum/],
    ['maxReplicas missing', { autoscaling: {} }, /props\.autoscaling\.maxReplicas=<unset> violates replicas-minimum/],
    ['cpu 0', { autoscaling: { maxReplicas: 5, cpuUtilization: 0 } }, /props\.autoscaling\.cpuUtilization=0 violates resources-requests/],
    ['memory 1000', { autoscaling: { maxReplicas: 5, memoryUtilization: 1000 } }, /props\.autoscaling\.memoryUtilization=1000 violates resources-requests/],
    ['autoscaling a number', { autoscaling: 5 }, /props\.autoscaling=5 violates replicas-minimum/],
  ];
  test.each(cases)('%s', (_, override, expected) => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ...override } as any)).toThrow(expected);
    expect(() => new HardenedStatefulSet(newChart(), 'api', { ...MINIMAL, ...override } as any)).toThrow(expected);
  });

  test('an HPA added by hand with minReplicas 1 is a replicas-minimum finding (the rule reads the autoscaler)', () => {
    const chart = newChart();
    const d = new HardenedDeployment(chart, 'api', { ...MINIMAL, autoscaling: { maxReplicas: 5 } });
    d.autoscaler!.addJsonPatch(JsonPatch.replace('/spec/minReplicas', 1));
    synth(chart);
    expect(Guard.of(chart).findings().map(f => [f.ruleId, f.object?.kind, f.path])).toEqual([['replicas-minimum', 'Deployment', 'spec.replicas']]);
  });
});
