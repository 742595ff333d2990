import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guard, HardenedChart, HardenedDeployment, HardeningProfile, HealthCheck, NetworkPeer } from '../../lib';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { byKind, IMAGE, MINIMAL, newChart, one, RESOURCES } from './helpers';

describe('HardenedDeployment defaults (image + port + resources only)', () => {
  const chart = newChart();
  new HardenedDeployment(chart, 'api', MINIMAL);
  const objects = synth(chart);
  const dep = one(objects, 'Deployment');
  const pod = dep.spec.template.spec;
  const c = pod.containers[0];

  test('emits exactly Deployment, ServiceAccount, Service, NetworkPolicy, PodDisruptionBudget, all schema-valid', () => {
    expect(objects.map(o => o.kind).sort()).toEqual(['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expectValidObjects(objects);
    for (const o of objects) {
      expect(o.metadata.name).toBe('api');
      expect(o.metadata.namespace).toBe('shop');
    }
  });

  test('zero findings from the whole catalogue', () => {
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('replicas default 2 with zone and hostname topology spread', () => {
    expect(dep.spec.replicas).toBe(2);
    expect(pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 1, 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 1, 'ScheduleAnyway'],
    ]);
  });

  test('runs as 65532:65532, non-root, seccomp RuntimeDefault, drop ALL, no escalation, read-only root', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false, privileged: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('writablePaths default [/tmp] as a 256Mi emptyDir', () => {
    expect(pod.volumes).toEqual([{ name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(c.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }]);
  });

  test('resources: memory limit defaults to the request, ephemeral storage 1Gi, no CPU limit', () => {
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { 'memory': '128Mi', 'ephemeral-storage': '1Gi' } });
  });

  test('TCP readiness and liveness probes on the port (liveness after 10 s)', () => {
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 8080 }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 });
  });

  test('dedicated ServiceAccount, token never mounted, no service links, grace 30 s', () => {
    expect(one(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(JSON.stringify(pod)).not.toContain('serviceAccountToken');
    expect(pod.runtimeClassName).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });

  test('ClusterIP Service on the container port', () => {
    const svc = one(objects, 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'app', port: 8080, targetPort: 'app', protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
  });

  test('NetworkPolicy: no ingress, egress only DNS to kube-dns; nothing in kube-system', () => {
    const np = one(objects, 'NetworkPolicy');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.podSelector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    expect(objects.filter(o => o.metadata.namespace === 'kube-system')).toEqual([]);
  });

  test('PodDisruptionBudget maxUnavailable 1', () => {
    const pdb = one(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: dep.spec.selector.matchLabels } });
  });

  test('labels: name, instance, managed-by', () => {
    expect(dep.metadata.labels['app.kubernetes.io/name']).toBe('api');
    expect(dep.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-hardened');
    expect(dep.spec.selector.matchLabels['app.kubernetes.io/instance']).toMatch(/^api-[0-9a-f]{8}$/);
  });
});

describe('HardenedDeployment options', () => {
  test('a maximal deployment is schema-valid with zero findings', () => {
    const chart = newChart();
    const secret = kplus.Secret.fromSecretName(chart, 'db', 'db-credentials');
    const cm = new kplus.ConfigMap(chart, 'cfg', { data: { 'app.yaml': 'x: 1' } });
    const db = new HardenedDeployment(chart, 'db-proxy', { ...MINIMAL, port: 5432 });
    const api = new HardenedDeployment(chart, 'api', {
      ...MINIMAL,
      name: 'shop-api',
      port: 443,
      bindPrivilegedPort: true,
      servicePort: 8443,
      replicas: 4,
      runAsUser: 1000,
      runAsGroup: 2000,
      resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi', cpuLimit: '1', ephemeralStorageLimit: '2Gi' },
      writablePaths: ['/tmp', '/var/cache/app'],
      writablePathSizeLimit: '64Mi',
      env: { LOG_LEVEL: kplus.EnvValue.fromValue('info'), DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
      secretMounts: [{ path: '/etc/db', secret }],
      configMapMounts: [{ path: '/etc/app', configMap: cm }],
      command: ['/app'],
      args: ['--serve'],
      readiness: HealthCheck.httpGet('/ready'),
      liveness: HealthCheck.command(['/app', 'health'], { periodSeconds: 30 }),
      ingressFrom: [NetworkPeer.namespace('ingress-nginx'), NetworkPeer.ipBlock('10.0.0.0/16')],
      egressTo: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16', ['10.20.1.0/24']), port: 5432 }],
      apiAccess: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db-credentials'] },
      ],
      runtimeClassName: 'gvisor',
      nodeSelector: { pool: 'secure' },
      tolerations: [{ key: 'dedicated', value: 'secure', effect: 'NoSchedule' }, { key: 'sandbox' }],
      terminationGracePeriodSeconds: 60,
    });
    api.connectTo(db);
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(Guard.of(chart).findings().filter(f => f.severity === 'error')).toEqual([]);
    const dep = byKind(objects, 'Deployment').find(d => d.metadata.name === 'shop-api');
    const pod = dep.spec.template.spec;
    expect(pod.runtimeClassName).toBe('gvisor');
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'secure', effect: 'NoSchedule' },
      { key: 'sandbox', operator: 'Exists' },
    ]);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(pod.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
    ]);
    // explicit, short-lived API token instead of the automounted one
    const token = pod.volumes.find((v: any) => v.name === 'kube-api-access');
    expect(token.projected.sources[0]).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const role = one(objects, 'Role');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db-credentials'] },
    ]);
    expect(one(objects, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'shop-api', namespace: 'shop' }]);
    // peers: api -> db wired on both sides
    const nps = byKind(objects, 'NetworkPolicy');
    const dbNp = nps.find(n => n.metadata.name === 'db-proxy');
    expect(dbNp.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: api.selectorLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    const apiNp = nps.find(n => n.metadata.name === 'shop-api');
    expect(apiNp.spec.egress.slice(1)).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.1.0/24'] } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { to: [{ podSelector: { matchLabels: db.selectorLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
    expect(apiNp.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
  });

  test('a peer in another namespace is selected with a namespaceSelector', () => {
    const app = new App();
    const a = new HardenedChart(app, 'a', { namespace: 'front' });
    const b = new HardenedChart(app, 'b', { namespace: 'back' });
    const web = new HardenedDeployment(a, 'web', MINIMAL);
    const api = new HardenedDeployment(b, 'api', MINIMAL);
    web.connectTo(api);
    const np = one(synth(b), 'NetworkPolicy');
    expect(np.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } },
      podSelector: { matchLabels: web.selectorLabels },
    }]);
  });

  test('profile supplies resources and runtime class', () => {
    const app = new App();
    new HardeningProfile(app, 'profile', { defaultResources: RESOURCES, defaultRuntimeClassName: 'kata' });
    const chart = new HardenedChart(app, 'c', { namespace: 'shop' });
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    const pod = one(synth(chart), 'Deployment').spec.template.spec;
    expect(pod.runtimeClassName).toBe('kata');
    expect(pod.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
  });

  test('pod labels of two deployments with the same name in different charts do not collide', () => {
    const app = new App();
    const a = new HardenedDeployment(new HardenedChart(app, 'a', { namespace: 'x' }), 'api', MINIMAL);
    const b = new HardenedDeployment(new HardenedChart(app, 'b', { namespace: 'x' }), 'api', MINIMAL);
    expect(a.selectorLabels['app.kubernetes.io/instance']).not.toBe(b.selectorLabels['app.kubernetes.io/instance']);
  });
});

describe('HardenedDeployment construct-time errors name path, field, value, rule and fix', () => {
  const cases: [string, any, RegExp][] = [
    ['uid 0', { runAsUser: 0 }, /\[test\/api\] props\.runAsUser=0 violates run-as-user-root: .* Fix:/],
    ['1 replica', { replicas: 1 }, /props\.replicas=1 violates replicas-minimum/],
    ['no resources', { resources: undefined }, /props\.resources=<unset> violates resources-requests/],
    ['bad quantity', { resources: { cpuRequest: 'lots', memoryRequest: '1Gi' } }, /props\.resources\.cpuRequest="lots" violates resources-requests/],
    [':latest image', { image: 'registry.example.com/api:latest' }, /props\.image="registry.example.com\/api:latest" violates image-tag-latest/],
    ['tag without digest', { image: 'registry.example.com/api:1.2.3' }, /violates image-digest/],
    ['privileged port without NET_BIND_SERVICE', { port: 80 }, /props\.port=80 violates container-ports-valid/],
    ['port out of range', { port: 70000 }, /props\.port=70000 violates container-ports-valid/],
    ['writable /', { writablePaths: ['/'] }, /props\.writablePaths\[0\]="\/" violates read-only-root-filesystem/],
    ['relative writable path', { writablePaths: ['tmp'] }, /violates read-only-root-filesystem/],
    ['wildcard verbs', { apiAccess: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] }, /props\.apiAccess\[0\]\.verbs=\["\*"\] violates rbac-wildcard/],
    ['escalate', { apiAccess: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }] }, /violates rbac-escalation/],
    ['pods/exec', { apiAccess: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }] }, /violates rbac-escalation/],
    ['secrets list', { apiAccess: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] }, /violates rbac-secrets-access/],
    ['ingress from the internet', { ingressFrom: [NetworkPeer.ipBlock('0.0.0.0/0')] }, /violates network-policy-ipblock-any/],
  ];
  test.each(cases)('%s', (_, override, expected) => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ...override })).toThrow(expected);
  });

  test('registry outside the profile allow list', () => {
    const app = new App();
    new HardeningProfile(app, 'p', { allowedRegistries: ['registry.internal'] });
    expect(() => new HardenedDeployment(new HardenedChart(app, 'c'), 'api', MINIMAL)).toThrow(/violates image-registry-allowed/);
  });
});
