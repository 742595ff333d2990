/**
 * The Pod Security Standards rules see pods in every pod-carrying kind, at the right path, and evaluate
 * effective values (pod-level vs container-level).
 */
import { Catalogue, Outcome, PssLevel } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';

const INSECURE_SPEC = {
  hostPID: true,
  securityContext: { runAsUser: 0 },
  containers: [{ name: 'app', image: 'registry.example.com/a@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }],
};

const wrappers: { [kind: string]: [string, (spec: any) => any] } = {
  Pod: ['spec', spec => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec })],
  PodTemplate: ['template.spec', spec => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'x' }, template: { spec } })],
  Deployment: ['spec.template.spec', spec => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec } } })],
  StatefulSet: ['spec.template.spec', spec => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { template: { spec } } })],
  DaemonSet: ['spec.template.spec', spec => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec: { template: { spec } } })],
  ReplicaSet: ['spec.template.spec', spec => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x' }, spec: { template: { spec } } })],
  ReplicationController: ['spec.template.spec', spec => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'x' }, spec: { template: { spec } } })],
  Job: ['spec.template.spec', spec => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template: { spec } } })],
  CronJob: ['spec.jobTemplate.spec.template.spec', spec => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { jobTemplate: { spec: { template: { spec } } } } })],
};

function fails(obj: any, ruleIds?: string[]) {
  const rules = ruleIds ? ruleIds.map(id => Catalogue.get(id)) : Catalogue.podSecurityRules(PssLevel.RESTRICTED);
  return evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules, settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' })
    .filter(f => f.outcome === Outcome.FAIL)
    .map(f => `${f.ruleId} ${f.path}`);
}

test.each(Object.entries(wrappers))('%s: PSS rules find the insecure pod spec at its path', (_, [prefix, wrap]) => {
  const found = fails(wrap(INSECURE_SPEC));
  expect(found).toEqual(expect.arrayContaining([
    `host-namespaces ${prefix}.hostPID`,
    `privileged-container ${prefix}.containers[0].securityContext.privileged`,
    `run-as-user-root ${prefix}.securityContext.runAsUser`,
    `allow-privilege-escalation ${prefix}.containers[0].securityContext.allowPrivilegeEscalation`,
    `seccomp-restricted ${prefix}.containers[0].securityContext.seccompProfile.type`,
    `capabilities-restricted ${prefix}.containers[0].securityContext.capabilities.drop`,
  ]));
});

describe('effective values', () => {
  const pod = (podSc: any, ...containerScs: any[]) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { securityContext: podSc, containers: containerScs.map((sc, i) => ({ name: `c${i}`, image: 'x', securityContext: sc })) },
  });

  test('pod runAsNonRoot true, one container overrides to false: fails on that container', () => {
    expect(fails(pod({ runAsNonRoot: true }, {}, { runAsNonRoot: false }), ['run-as-non-root'])).toEqual(['run-as-non-root spec.containers[1].securityContext.runAsNonRoot']);
  });

  test('pod unset, every container true: passes; one container unset: fails on it', () => {
    expect(fails(pod({}, { runAsNonRoot: true }, { runAsNonRoot: true }), ['run-as-non-root'])).toEqual([]);
    expect(fails(pod({}, { runAsNonRoot: true }, {}), ['run-as-non-root'])).toEqual(['run-as-non-root spec.containers[1].securityContext.runAsNonRoot']);
  });

  test('seccomp: pod RuntimeDefault covers containers; a container Unconfined fails restricted and baseline', () => {
    expect(fails(pod({ seccompProfile: { type: 'RuntimeDefault' } }, {}, {}), ['seccomp-restricted'])).toEqual([]);
    const bad = pod({ seccompProfile: { type: 'RuntimeDefault' } }, {}, { seccompProfile: { type: 'Unconfined' } });
    expect(fails(bad, ['seccomp-restricted', 'seccomp-baseline'])).toEqual([
      'seccomp-restricted spec.containers[1].securityContext.seccompProfile.type',
      'seccomp-baseline spec.containers[1].securityContext.seccompProfile.type',
    ]);
  });

  test('Windows pods are exempt from restricted seccomp, capabilities and privilege escalation, not from baseline', () => {
    const win = { ...pod({}, {}), spec: { ...pod({}, {}).spec, os: { name: 'windows' }, hostNetwork: true } };
    expect(fails(win, ['seccomp-restricted', 'capabilities-restricted', 'allow-privilege-escalation'])).toEqual([]);
    expect(fails(win, ['host-namespaces'])).toEqual(['host-namespaces spec.hostNetwork']);
  });

  test('initContainers and ephemeralContainers are checked', () => {
    const obj = pod({});
    (obj.spec as any).initContainers = [{ name: 'i', image: 'x', securityContext: { privileged: true } }];
    (obj.spec as any).ephemeralContainers = [{ name: 'e', image: 'x', securityContext: { privileged: true } }];
    expect(fails(obj, ['privileged-container'])).toEqual([
      'privileged-container spec.initContainers[0].securityContext.privileged',
      'privileged-container spec.ephemeralContainers[0].securityContext.privileged',
    ]);
  });

  test('an unresolved token is unevaluable, not a pass', () => {
    const obj = pod({ runAsUser: '${Token[TOKEN.9]}' }, {});
    const f = evaluate([{ object: obj, ref: objectRefOf(obj) }], { rules: [Catalogue.get('run-as-user-root')], settings: { ...DEFAULT_PROFILE }, today: '2026-01-01' });
    expect(f.map(x => x.outcome)).toEqual([Outcome.UNEVALUABLE]);
  });
});
