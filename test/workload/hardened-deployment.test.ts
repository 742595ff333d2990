import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Guard, HardenedChart, HardenedDeployment, HardeningProfile, HealthCheck, NetworkPeer } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
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

  test('no env, command or args unless given (the image\'s entrypoint and cmd run)', () => {
    expect(c.env).toBeUndefined();
    expect(c.command).toBeUndefined();
    expect(c.args).toBeUndefined();
    expect(Object.keys(c).sort()).toEqual(['image', 'imagePullPolicy', 'livenessProbe', 'name', 'ports', 'readinessProbe', 'resources', 'securityContext', 'volumeMounts']);
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
    expect(pdb.spec).toEqual({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: dep.spec.selector.matchLabels } });
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
    expect(pod.nodeSelector).toEqual({ pool: 'secure' });
    expect(pod.containers[0].command).toEqual(['/app']);
    expect(pod.containers[0].args).toEqual(['--serve']);
    // HealthCheck.httpGet without a port probes the workload's port
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 443, scheme: 'HTTP' });
    expect(pod.containers[0].livenessProbe).toEqual({ exec: { command: ['/app', 'health'] }, initialDelaySeconds: 0, periodSeconds: 30, failureThreshold: 3, timeoutSeconds: 1 });
    expect(pod.containers[0].resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { 'memory': '512Mi', 'ephemeral-storage': '2Gi', 'cpu': '1' },
    });
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

  test('HealthCheck.httpGet and tcp default to the workload port; an explicit port wins', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', { ...MINIMAL, port: 9090, readiness: HealthCheck.httpGet('/healthz'), liveness: HealthCheck.tcp(9091) });
    const c = one(synth(chart), 'Deployment').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9090, scheme: 'HTTP' });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 9091 });
  });

  test('HealthCheck.httpsGet probes TLS-only containers with scheme HTTPS; its path is validated like httpGet', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', { ...MINIMAL, port: 8443, readiness: HealthCheck.httpsGet('/ready'), liveness: HealthCheck.httpsGet('/live', 9443) });
    const c = one(synth(chart), 'Deployment').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8443, scheme: 'HTTPS' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/live', port: 9443, scheme: 'HTTPS' });
    expect(() => new HardenedDeployment(newChart(), 'b', { ...MINIMAL, readiness: HealthCheck.httpsGet('ready') }))
      .toThrow(/props\.readiness\.path="ready" violates probes-configured/);
  });

  test('limits equal to the requests in other units or notations are accepted', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', {
      ...MINIMAL,
      resources: { cpuRequest: '0.5', memoryRequest: '1Gi', cpuLimit: '500m', memoryLimit: '1024Mi' },
    });
    new HardenedDeployment(chart, 'b', {
      ...MINIMAL,
      resources: { cpuRequest: '1e-1', memoryRequest: '128e6', cpuLimit: '2', memoryLimit: '128M' },
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(byKind(objects, 'Deployment').map(d => d.spec.template.spec.containers[0].resources.limits.memory)).toEqual(['1024Mi', '128M']);
  });

  test('a valid namespace, label-prefixed node selector and tolerations synthesize', () => {
    const chart = newChart();
    new HardenedDeployment(chart, 'api', {
      ...MINIMAL,
      namespace: 'payments',
      runtimeClassName: 'gvisor.sandbox-v2',
      nodeSelector: { 'node.kubernetes.io/pool': 'secure_1.a', 'empty': '' },
      tolerations: [{ key: 'example.com/dedicated', value: 'secure', effect: 'NoExecute' }, { key: 'gpu', effect: 'PreferNoSchedule' }],
      env: { 'LOG_LEVEL': kplus.EnvValue.fromValue('info'), 'my.app-key_1': kplus.EnvValue.fromValue('') },
    });
    const objects = synth(chart);
    expectValidObjects(objects);
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(objects.every(o => o.metadata.namespace === 'payments')).toBe(true);
    expect(pod.tolerations).toEqual([
      { key: 'example.com/dedicated', operator: 'Equal', value: 'secure', effect: 'NoExecute' },
      { key: 'gpu', operator: 'Exists', effect: 'PreferNoSchedule' },
    ]);
    expect(pod.containers[0].env.map((e: any) => e.name)).toEqual(['LOG_LEVEL', 'my.app-key_1']);
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
    ['ingress from half the internet', { ingressFrom: [NetworkPeer.ipBlock('0.0.0.0/1')] }, /ingressFrom="0\.0\.0\.0\/1" violates network-policy-ipblock-any: ingress from 0\.0\.0\.0\/1 \(it reaches 2,092,957,696 public IPv4 addresses/],
    ['ipBlock with an invalid octet', { ingressFrom: [NetworkPeer.ipBlock('300.1.1.0/24')] }, /ingressFrom="300\.1\.1\.0\/24" violates network-policy-ipblock-any: is not a CIDR: "300\.1\.1\.0" is not an IPv4 address/],
    ['ipBlock except outside the CIDR', { egressTo: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16', ['10.30.0.0/24']), port: 5432 }] }, /except="10\.30\.0\.0\/24" violates network-policy-ipblock-any: is not a strict sub-range of 10\.20\.0\.0\/16/],
    ['ipBlock except equal to the CIDR', { egressTo: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16', ['10.20.0.0/16']), port: 5432 }] }, /is not a strict sub-range/],
    ['ipBlock with host bits', { ingressFrom: [NetworkPeer.ipBlock('10.0.0.1/8')] }, /is not a CIDR: has host bits set: the network is 10\.0\.0\.0\/8/],
    // limits below requests (the API server rejects them)
    ['memory limit below request', { resources: { cpuRequest: '100m', memoryRequest: '1Gi', memoryLimit: '128Mi' } },
      /\[test\/api\] props\.resources\.memoryLimit="128Mi" violates pod-spec-valid: is below memoryRequest 1Gi.* Fix:/],
    ['memory limit below request across units', { resources: { cpuRequest: '100m', memoryRequest: '1G', memoryLimit: '976562Ki' } }, /props\.resources\.memoryLimit="976562Ki" violates pod-spec-valid/],
    ['cpu limit below request', { resources: { cpuRequest: '1', memoryRequest: '128Mi', cpuLimit: '500m' } }, /props\.resources\.cpuLimit="500m" violates pod-spec-valid: is below cpuRequest 1/],
    ['quantity overflow', { resources: { cpuRequest: '100m', memoryRequest: '1e999' } }, /props\.resources\.memoryRequest="1e999" violates resources-requests/],
    // namespaces
    ['namespace not a DNS label', { namespace: 'Bad_NS' }, /props\.namespace="Bad_NS" violates metadata-valid: is not a DNS-1123 label/],
    ['namespace not a string', { namespace: 42 }, /props\.namespace=42 violates metadata-valid/],
    ['kube-system', { namespace: 'kube-system' }, /props\.namespace="kube-system" violates namespace-psa-enforce: is a Kubernetes system namespace/],
    ['kube-public', { namespace: 'kube-public' }, /props\.namespace="kube-public" violates namespace-psa-enforce/],
    ['kube-node-lease', { namespace: 'kube-node-lease' }, /props\.namespace="kube-node-lease" violates namespace-psa-enforce/],
    // runtime class, node selector, tolerations
    ['runtime class not a DNS subdomain', { runtimeClassName: 'BAD NAME' }, /props\.runtimeClassName="BAD NAME" violates pod-spec-valid: is not a RuntimeClass name/],
    ['nodeSelector key', { nodeSelector: { 'bad key': 'x' } }, /props\.nodeSelector="bad key" violates pod-spec-valid: is not a valid label key/],
    ['nodeSelector key with two slashes', { nodeSelector: { 'a/b/c': 'x' } }, /props\.nodeSelector="a\/b\/c" violates pod-spec-valid/],
    ['nodeSelector value', { nodeSelector: { pool: 'secure!' } }, /props\.nodeSelector\.pool="secure!" violates pod-spec-valid: is not a valid label value/],
    ['nodeSelector value too long', { nodeSelector: { pool: 'a'.repeat(64) } }, /props\.nodeSelector\.pool=.* violates pod-spec-valid/],
    ['nodeSelector not an object', { nodeSelector: 'pool=secure' }, /props\.nodeSelector="pool=secure" violates pod-spec-valid/],
    ['toleration effect', { tolerations: [{ key: 'dedicated', effect: 'NoEntry' }] }, /props\.tolerations\[0\]\.effect="NoEntry" violates pod-spec-valid: is not one of NoSchedule, PreferNoSchedule, NoExecute/],
    ['toleration empty key (tolerates everything)', { tolerations: [{ key: '' }] }, /props\.tolerations\[0\]\.key="" violates toleration-any-taint: is empty/],
    ['toleration value', { tolerations: [{ key: 'dedicated', value: 'a b' }] }, /props\.tolerations\[0\]\.value="a b" violates pod-spec-valid/],
    ['tolerations not a list', { tolerations: { key: 'dedicated' } }, /props\.tolerations=\{"key":"dedicated"\} violates pod-spec-valid: must be a list/],
    // env, command, args
    ['env name with a space', { env: { 'BAD NAME': kplus.EnvValue.fromValue('x') } }, /props\.env="BAD NAME" violates pod-spec-valid: is not a valid environment variable name/],
    ['env name starting with a digit', { env: { '1ST': kplus.EnvValue.fromValue('x') } }, /props\.env="1ST" violates pod-spec-valid/],
    ['env name with "="', { env: { 'A=B': kplus.EnvValue.fromValue('x') } }, /props\.env="A=B" violates pod-spec-valid/],
    ['env value not an EnvValue', { env: { A: 'plain' } }, /props\.env\.A="plain" violates pod-spec-valid: is not an EnvValue/],
    ['env not an object', { env: ['A'] }, /props\.env=\["A"\] violates pod-spec-valid/],
    ['command a string', { command: '/app' }, /props\.command="\/app" violates pod-spec-valid: must be a list of strings/],
    ['args with a number', { args: ['--port', 8080] }, /props\.args=\["--port",8080\] violates pod-spec-valid/],
    // wrong types from JS / other jsii languages: never a TypeError
    ['writablePaths a string', { writablePaths: '/tmp' }, /props\.writablePaths="\/tmp" violates read-only-root-filesystem: must be a list/],
    ['writablePaths entry not a string', { writablePaths: [7] }, /props\.writablePaths\[0\]=7 violates read-only-root-filesystem/],
    ['secret mount without secret', { secretMounts: [{ path: '/etc/db' }] }, /props\.secretMounts\[0\]\.secret=<unset> violates pod-spec-valid: is not a Secret/],
    ['secret mount without path', { secretMounts: [{ secret: { name: 'db' } }] }, /props\.secretMounts\[0\]\.path=<unset> violates read-only-root-filesystem/],
    ['secret mount null', { secretMounts: [null] }, /props\.secretMounts\[0\]=null violates pod-spec-valid/],
    ['secretMounts not a list', { secretMounts: { path: '/etc/db' } }, /props\.secretMounts=.* violates pod-spec-valid: must be a list/],
    ['config map mount without config map', { configMapMounts: [{ path: '/etc/app' }] }, /props\.configMapMounts\[0\]\.configMap=<unset> violates pod-spec-valid: is not a ConfigMap/],
    ['apiAccess not a list', { apiAccess: { verbs: ['get'] } }, /props\.apiAccess=.* violates rbac-wildcard: must be a list/],
    ['apiAccess entry null', { apiAccess: [null] }, /props\.apiAccess\[0\]=null violates rbac-wildcard/],
    ['resourceNames a string', { apiAccess: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: 'db' }] }, /props\.apiAccess\[0\]\.resourceNames="db" violates rbac-wildcard/],
    ['ingressFrom a string', { ingressFrom: 'ingress-nginx' }, /props\.ingressFrom="ingress-nginx" violates network-policy-allow-all-ingress: must be a list/],
    ['ingressFrom entry not a peer', { ingressFrom: ['ingress-nginx'] }, /props\.ingressFrom\[0\]="ingress-nginx" violates network-policy-allow-all-ingress: is not a NetworkPeer/],
    ['egressTo entry without peer', { egressTo: [{ port: 443 }] }, /props\.egressTo\[0\]\.peer=<unset> violates network-policy-allow-all-egress: is not a NetworkPeer/],
    ['peer namespace not a DNS label', { ingressFrom: [NetworkPeer.namespace('Bad_NS')] }, /ingressFrom="Bad_NS" violates network-policy-allow-all-ingress: is not a namespace name/],
    ['peer labels invalid', { ingressFrom: [NetworkPeer.pods({ 'app name': 'x' })] }, /violates network-policy-allow-all-ingress: has a label key or value/],
    ['ipBlock except not CIDRs', { egressTo: [{ peer: NetworkPeer.ipBlock('10.0.0.0/8', ['db']), port: 5432 }] }, /egressTo\.except=\["db"\] violates network-policy-ipblock-any/],
    ['readiness not a HealthCheck', { readiness: { tcpSocket: { port: 8080 } } }, /props\.readiness=.* violates probes-configured: is not a HealthCheck/],
    ['bindPrivilegedPort a string', { bindPrivilegedPort: 'yes' }, /props\.bindPrivilegedPort="yes" violates capabilities-restricted/],
    ['name not a string', { name: 123 }, /props\.name=123 violates metadata-valid/],
  ];
  test.each(cases)('%s', (_, override, expected) => {
    expect(() => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, ...override })).toThrow(expected);
  });

  const probes: [string, HealthCheck, RegExp][] = [
    ['tcp(0)', HealthCheck.tcp(0), /\[test\/api\] props\.readiness\.port=0 violates probes-configured: .* Fix:/],
    ['tcp(70000)', HealthCheck.tcp(70000), /props\.readiness\.port=70000 violates probes-configured/],
    ['httpGet port 1.5', HealthCheck.httpGet('/ready', 1.5), /props\.readiness\.port=1\.5 violates probes-configured/],
    ['relative httpGet path', HealthCheck.httpGet('ready'), /props\.readiness\.path="ready" violates probes-configured: must be an absolute HTTP path/],
    ['httpGet path with a space', HealthCheck.httpGet('/a b'), /props\.readiness\.path="\/a b" violates probes-configured/],
    ['periodSeconds 0', HealthCheck.tcp(undefined, { periodSeconds: 0 }), /props\.readiness\.periodSeconds=0 violates probes-configured/],
    ['periodSeconds -5', HealthCheck.tcp(undefined, { periodSeconds: -5 }), /props\.readiness\.periodSeconds=-5 violates probes-configured/],
    ['timeoutSeconds 0', HealthCheck.httpGet('/ready', undefined, { timeoutSeconds: 0 }), /props\.readiness\.timeoutSeconds=0 violates probes-configured/],
    ['failureThreshold 0', HealthCheck.tcp(undefined, { failureThreshold: 0 }), /props\.readiness\.failureThreshold=0 violates probes-configured/],
    ['initialDelaySeconds -1', HealthCheck.tcp(undefined, { initialDelaySeconds: -1 }), /props\.readiness\.initialDelaySeconds=-1 violates probes-configured/],
    ['initialDelaySeconds 2.5', HealthCheck.tcp(undefined, { initialDelaySeconds: 2.5 }), /props\.readiness\.initialDelaySeconds=2\.5 violates probes-configured/],
    ['empty command', HealthCheck.command([]), /props\.readiness\.command=\[\] violates probes-configured: must be a non-empty list/],
    ['command a string', HealthCheck.command('/app health' as any), /props\.readiness\.command="\/app health" violates probes-configured/],
    ['options not an object', HealthCheck.tcp(undefined, 'fast' as any), /props\.readiness\.options="fast" violates probes-configured/],
  ];
  test.each(probes)('HealthCheck: %s', (_, check, expected) => {
    const make = (field: 'readiness' | 'liveness') => () => new HardenedDeployment(newChart(), 'api', { ...MINIMAL, [field]: check });
    expect(make('readiness')).toThrow(expected);
    expect(make('liveness')).toThrow(new RegExp(expected.source.replace('readiness', 'liveness')));
  });

  test('runtime class from the profile is validated too', () => {
    const app = new App();
    new HardeningProfile(app, 'p', { defaultRuntimeClassName: 'BAD NAME' });
    expect(() => new HardenedDeployment(new HardenedChart(app, 'c'), 'api', MINIMAL))
      .toThrow(/HardeningProfile\.defaultRuntimeClassName="BAD NAME" violates pod-spec-valid/);
  });

  test('a chart in a kube-* system namespace is refused', () => {
    expect(() => new HardenedDeployment(newChart('kube-system'), 'api', MINIMAL)).toThrow(/chart\.namespace="kube-system" violates namespace-psa-enforce/);
  });

  test('errors are HardeningErrors carrying path, field, value, rule id and fix', () => {
    let err: any;
    try {
      new HardenedDeployment(newChart(), 'api', { ...MINIMAL, resources: { cpuRequest: '100m', memoryRequest: '1Gi', memoryLimit: '128Mi' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HardeningError);
    expect(err).toMatchObject({ path: 'test/api', field: 'props.resources.memoryLimit', value: '128Mi', ruleId: 'pod-spec-valid' });
    expect(err.fix).toMatch(/memoryLimit >= memoryRequest/);
  });

  test('registry outside the profile allow list', () => {
    const app = new App();
    new HardeningProfile(app, 'p', { allowedRegistries: ['registry.internal'] });
    expect(() => new HardenedDeployment(new HardenedChart(app, 'c'), 'api', MINIMAL)).toThrow(/violates image-registry-allowed/);
  });
});
