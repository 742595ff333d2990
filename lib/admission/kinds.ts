/**
 * The pod-carrying kinds that admission policies match, with the paths of their pod spec and pod metadata.
 * Shared by the policy generator (generate.ts) and the rules that read object-level fields (pod-rules-extra.ts).
 */
/** A pod-carrying kind matched at admission, with where its pod spec and pod metadata sit. */
export interface AdmissionKind {
  readonly kind: string;
  readonly group: string;
  readonly resource: string;
  readonly spec: string;
  readonly meta: string;
}

const WL = { spec: 'spec.template.spec', meta: 'spec.template.metadata' };

/**
 * Pod-carrying kinds matched at admission: the core kinds, PodTemplate, and the custom resources the catalogue knows
 * (lib/kube/manifest.ts) whose pod spec sits at ONE fixed path. The paths are checked against the catalogue's own
 * `podSpecsOf` in test/admission. Carriers the catalogue knows but admission does not match are in
 * NOT_MATCHED_CARRIERS with the reason.
 */
export const ADMISSION_KINDS: ReadonlyArray<AdmissionKind> = [
  { kind: 'Pod', group: '', resource: 'pods', spec: 'spec', meta: 'metadata' },
  { kind: 'Deployment', group: 'apps', resource: 'deployments', ...WL },
  { kind: 'StatefulSet', group: 'apps', resource: 'statefulsets', ...WL },
  { kind: 'DaemonSet', group: 'apps', resource: 'daemonsets', ...WL },
  { kind: 'ReplicaSet', group: 'apps', resource: 'replicasets', ...WL },
  { kind: 'ReplicationController', group: '', resource: 'replicationcontrollers', ...WL },
  { kind: 'Job', group: 'batch', resource: 'jobs', ...WL },
  { kind: 'CronJob', group: 'batch', resource: 'cronjobs', spec: 'spec.jobTemplate.spec.template.spec', meta: 'spec.jobTemplate.spec.template.metadata' },
  { kind: 'PodTemplate', group: '', resource: 'podtemplates', spec: 'template.spec', meta: 'template.metadata' },
  { kind: 'Rollout', group: 'argoproj.io', resource: 'rollouts', ...WL },
  { kind: 'Service', group: 'serving.knative.dev', resource: 'services', ...WL },
  { kind: 'Configuration', group: 'serving.knative.dev', resource: 'configurations', ...WL },
  { kind: 'Revision', group: 'serving.knative.dev', resource: 'revisions', spec: 'spec', meta: 'metadata' },
  { kind: 'ScaledJob', group: 'keda.sh', resource: 'scaledjobs', spec: 'spec.jobTargetRef.template.spec', meta: 'spec.jobTargetRef.template.metadata' },
  { kind: 'CloneSet', group: 'apps.kruise.io', resource: 'clonesets', ...WL },
  { kind: 'StatefulSet', group: 'apps.kruise.io', resource: 'statefulsets', ...WL },
  { kind: 'DaemonSet', group: 'apps.kruise.io', resource: 'daemonsets', ...WL },
  { kind: 'BroadcastJob', group: 'apps.kruise.io', resource: 'broadcastjobs', ...WL },
];
