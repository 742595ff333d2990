/**
 * Polaris (FairwindsOps/polaris, vendored checks and default configuration — test/vendor/polaris) on every object
 * synthesized by every example in examples/ (one App, as `npm run synth` writes dist/ for `polaris audit
 * --audit-path dist/`): no "danger" finding, and every "warning" is on the allow-list below with the reason the library
 * is right and the checker is not — checked against the object (the reason must hold), so a new warning, or an old one
 * for a new reason, fails. The runner itself is tested against Polaris's own check tests (polaris-runner.test.ts) and
 * here against hardened objects made insecure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { HardenedChart, HardenedCronJob, HardenedDeployment } from '../lib';
import { Polaris, PolarisFinding } from './util/polaris';
import { synth } from './util/synth';
import { IMAGE, RESOURCES } from './workload/helpers';

/** A warning the library accepts: the reason (also in README, section "Polaris"), and a test that it holds here. */
interface Accepted {
  readonly reason: string;
  /** undefined when the reason holds for this finding's object, else why not. */
  holds(finding: PolarisFinding, object: any, all: any[]): string | undefined;
}

const podSpecOf = (o: any) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec);
const podLabelsOf = (o: any) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata?.labels : o.spec?.template?.metadata?.labels) ?? {};

export const ACCEPTED_WARNINGS: { [check: string]: Accepted } = {
  cpuLimitsMissing: {
    reason: 'CPU is compressible: the CPU request guarantees the pod its share under contention and protects its neighbours; ' +
      'a CPU limit only adds CFS throttling (latency) while the node has idle cores. The incompressible memory limit is ' +
      'always set. `resources.cpuLimit` caps a tenant where that is wanted.',
    holds: (f, o) => {
      const c = [...(podSpecOf(o).initContainers ?? []), ...podSpecOf(o).containers].find((x: any) => x.name === f.container);
      if (!c?.resources?.requests?.cpu) return 'no CPU request';
      if (!c.resources.limits?.memory) return 'no memory limit';
      return c.resources.limits.cpu ? 'a CPU limit is set' : undefined;
    },
  },
  priorityClassNotSet: {
    reason: 'PriorityClasses are cluster objects the library cannot know; a default name that does not exist in the cluster ' +
      'makes the API server reject every pod. `priorityClassName` sets one (system-* classes are refused).',
    holds: (_f, o) => (podSpecOf(o).priorityClassName === undefined ? undefined : 'a priorityClassName is set'),
  },
  metadataAndInstanceMismatched: {
    reason: '`app.kubernetes.io/instance` is `<name>-<construct hash>`, not `metadata.name`: two workloads of one name ' +
      '(another chart, another team, another namespace selected by a NetworkPolicy peer) never share a selector, a ' +
      'NetworkPolicy or a PodDisruptionBudget. It is part of the immutable `spec.selector`, so changing it would also ' +
      'make every deployed workload impossible to update.',
    holds: (_f, o) => {
      const instance = o.metadata?.labels?.['app.kubernetes.io/instance'];
      if (!new RegExp(`^${o.metadata.name}-[0-9a-f]{8}$`).test(String(instance))) return `instance label ${instance} is not <name>-<hash>`;
      return podLabelsOf(o)['app.kubernetes.io/instance'] === instance ? undefined : 'the pods do not carry the instance label';
    },
  },
  missingNetworkPolicy: {
    reason: 'Every workload emits its own NetworkPolicy (policyTypes Ingress and Egress) selecting exactly its pods by ' +
      'name and instance label. Polaris wants a policy whose matchLabels match exactly ONE of the pod\'s labels (JSON ' +
      'schema `oneOf`) and whose ingress and egress lists are both non-empty: it fails a policy that selects the pods ' +
      'precisely (two labels) or denies all ingress (no ingress rules: the most restrictive policy), and passes a ' +
      'policy of another workload that shares one label.',
    holds: (_f, o, all) => {
      const labels = podLabelsOf(o);
      const selects = (n: any) => {
        const m = n.spec?.podSelector?.matchLabels ?? {};
        return Object.keys(m).length > 0 && Object.entries(m).every(([k, v]) => labels[k] === v);
      };
      const named = all.filter(n => n.kind === 'NetworkPolicy' && n.metadata?.namespace === o.metadata?.namespace && n.metadata?.name === o.metadata.name);
      if (named.length === 0) return 'no NetworkPolicy of the workload';
      const own = named.find(selects);
      if (!own) return 'the NetworkPolicy does not select the pods';
      const match = own.spec.podSelector.matchLabels;
      if (!['Ingress', 'Egress'].every(t => own.spec.policyTypes?.includes(t))) return 'the NetworkPolicy does not govern both directions';
      const precise = Object.keys(match).filter(k => labels[k] === match[k]).length >= 2;
      const denyIngress = (own.spec.ingress ?? []).length === 0;
      return precise || denyIngress ? undefined : 'Polaris should have accepted this NetworkPolicy';
    },
  },
  topologySpreadConstraint: {
    reason: 'A DaemonSet runs exactly one pod per eligible node: topology spread constraints cannot change where its pods ' +
      'go. Polaris excludes Jobs and CronJobs from this check but not DaemonSets.',
    holds: (_f, o) => (o.kind === 'DaemonSet' ? undefined : `${o.kind} is not a DaemonSet`),
  },
};

/** Split findings into dangers, accepted warnings and unexpected warnings (not on the list, or the reason fails). */
export function classify(findings: PolarisFinding[], objects: any[]) {
  const objectOf = (f: PolarisFinding) => objects.find(o => o.kind === f.kind && (o.metadata?.namespace ?? '') === f.namespace && o.metadata?.name === f.name);
  const dangers = findings.filter(f => f.severity === 'danger');
  const accepted: PolarisFinding[] = [];
  const unexpected: string[] = [];
  for (const f of findings.filter(x => x.severity === 'warning')) {
    const entry = ACCEPTED_WARNINGS[f.check];
    // Objects of one kind, namespace and name from two examples: the reason must hold for every one of them.
    const candidates = objects.filter(o => o.kind === f.kind && (o.metadata?.namespace ?? '') === f.namespace && o.metadata?.name === f.name);
    const why = !entry ? 'not on the allow-list'
      : candidates.length === 0 ? 'object not found' : candidates.map(o => entry.holds(f, o, objects)).find(x => x !== undefined);
    if (why === undefined && objectOf(f)) accepted.push(f);
    else unexpected.push(`${f.check} on ${f.kind} ${f.namespace}/${f.name}${f.container ? ` container ${f.container}` : ''}: ${why}`);
  }
  return { dangers, accepted, unexpected };
}

function exampleObjects(): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-polaris-'));
  try {
    const app = new App({ outdir });
    const dir = path.join(__dirname, '..', 'examples');
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.example.ts')).sort()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(dir, file)).build(app, new cdk.App({ outdir: path.join(outdir, 'cdk.out') }));
    }
    return app.charts.flatMap(c => synth(c));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('Polaris on the synthesized examples', () => {
  const objects = exampleObjects();
  const polaris = new Polaris();
  const findings = polaris.audit(objects);
  const { dangers, accepted, unexpected } = classify(findings, objects);

  test('every example object was audited, workloads by every check target', () => {
    expect(objects.length).toBeGreaterThan(100);
    for (const kind of ['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet']) expect(objects.some(o => o.kind === kind)).toBe(true);
    // pod, container and controller checks all ran
    for (const check of ['hostNetworkSet', 'runAsRootAllowed', 'runAsPrivileged', 'linuxHardening', 'metadataAndInstanceMismatched', 'automountServiceAccountToken']) {
      expect(polaris.runs.get(check) ?? 0).toBeGreaterThan(0);
    }
  });

  test('no "danger" finding', () => {
    expect(dangers).toEqual([]);
  });

  test('every "warning" is an accepted one whose reason holds for that object', () => {
    expect(unexpected).toEqual([]);
  });

  test('the allow-list has no stale entry (each accepted warning occurs) and every entry has its reason', () => {
    expect(new Set(accepted.map(f => f.check))).toEqual(new Set(Object.keys(ACCEPTED_WARNINGS)));
    for (const a of Object.values(ACCEPTED_WARNINGS)) expect(a.reason.length).toBeGreaterThan(80);
  });

  test('pullPolicyNotAlways is not among them: imagePullPolicy Always is the default (CIS AlwaysPullImages)', () => {
    expect(findings.filter(f => f.check === 'pullPolicyNotAlways')).toEqual([]);
    expect(polaris.runs.get('pullPolicyNotAlways') ?? 0).toBeGreaterThan(0);
  });
});

describe('the runner reports what Polaris flags (the test above can fail)', () => {
  /** A hardened Deployment, CronJob and their objects, to be made insecure. */
  function hardened(): any[] {
    const chart = new HardenedChart(new App(), 'fixture', { namespace: 'shop' });
    new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080, resources: RESOURCES });
    new HardenedCronJob(chart, 'nightly', { image: IMAGE, resources: RESOURCES, schedule: '@daily' });
    return synth(chart);
  }
  const clean = hardened();
  const dangersOf = (objects: any[]) => new Polaris().audit(objects).filter(f => f.severity === 'danger').map(f => `${f.check} ${f.kind}`).sort();

  test('the hardened fixtures themselves raise no danger', () => {
    expect(dangersOf(clean)).toEqual([]);
  });

  const mutations: [string, (objects: any[]) => void, string[]][] = [
    ['privileged container', o => { dep(o).containers[0].securityContext.privileged = true; }, ['runAsPrivileged Deployment']],
    ['privileged init container', o => { dep(o).initContainers = [{ ...dep(o).containers[0], name: 'init', securityContext: { ...dep(o).containers[0].securityContext, privileged: true } }]; }, ['runAsPrivileged Deployment']],
    ['hostNetwork', o => { dep(o).hostNetwork = true; }, ['hostNetworkSet Deployment']],
    ['hostPID and hostIPC', o => { dep(o).hostPID = true; dep(o).hostIPC = true; }, ['hostIPCSet Deployment', 'hostPIDSet Deployment']],
    ['root: runAsNonRoot false and runAsUser 0 at pod and container level', o => {
      Object.assign(dep(o).securityContext, { runAsNonRoot: false, runAsUser: 0 });
      Object.assign(dep(o).containers[0].securityContext, { runAsNonRoot: false, runAsUser: 0 });
    }, ['runAsRootAllowed Deployment']],
    ['root in a CronJob pod', o => {
      const pod = o.find(x => x.kind === 'CronJob').spec.jobTemplate.spec.template.spec;
      delete pod.securityContext.runAsNonRoot; delete pod.securityContext.runAsUser;
      delete pod.containers[0].securityContext.runAsNonRoot; delete pod.containers[0].securityContext.runAsUser;
    }, ['runAsRootAllowed CronJob']],
    ['privilege escalation allowed', o => { dep(o).containers[0].securityContext.allowPrivilegeEscalation = true; }, ['privilegeEscalationAllowed Deployment']],
    ['SYS_ADMIN added (lower case)', o => { dep(o).containers[0].securityContext.capabilities.add = ['sys_admin']; }, ['dangerousCapabilities Deployment']],
    [':latest image', o => { dep(o).containers[0].image = 'registry.example.com/shop/api:latest'; }, ['tagNotSpecified Deployment']],
    ['password literal in env', o => { dep(o).containers[0].env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; }, ['sensitiveContainerEnvVar Deployment']],
  ];
  const dep = (objects: any[]) => objects.find(x => x.kind === 'Deployment').spec.template.spec;

  test.each(mutations)('%s', (_name, mutate, expected) => {
    const objects = JSON.parse(JSON.stringify(clean));
    mutate(objects);
    expect(dangersOf(objects)).toEqual(expected);
  });

  test('a Role granting pods/exec, and a RoleBinding to cluster-admin', () => {
    const rbac = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'debug', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'admins', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'devs' }] },
    ];
    expect(dangersOf([...clean, ...rbac])).toEqual(expect.arrayContaining(['rolePodExecAttach Role', 'rolebindingClusterAdminClusterRole RoleBinding']));
  });

  test('a new warning is not accepted: removing the workload\'s NetworkPolicy, or pulling IfNotPresent, is reported', () => {
    const withoutPolicy = clean.filter(o => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'web'));
    const a = classify(new Polaris().audit(withoutPolicy), withoutPolicy);
    expect(a.unexpected).toEqual(expect.arrayContaining(['missingNetworkPolicy on Deployment shop/web: no NetworkPolicy of the workload']));
    const ifNotPresent = JSON.parse(JSON.stringify(clean));
    ifNotPresent.find((x: any) => x.kind === 'Deployment').spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    const b = classify(new Polaris().audit(ifNotPresent), ifNotPresent);
    expect(b.unexpected).toEqual(['pullPolicyNotAlways on Deployment shop/web container main: not on the allow-list']);
  });

  test('Polaris exemption annotations are honoured (as polaris does), so a fixture cannot hide behind them unnoticed', () => {
    const objects = JSON.parse(JSON.stringify(clean));
    const d = objects.find((x: any) => x.kind === 'Deployment');
    d.spec.template.spec.hostNetwork = true;
    d.metadata.annotations = { 'polaris.fairwinds.com/hostNetworkSet-exempt': 'true' };
    expect(dangersOf(objects)).toEqual([]);
  });
});
