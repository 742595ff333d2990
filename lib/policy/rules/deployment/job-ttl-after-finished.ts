import { IRule, Severity, Stride } from '../../types';

export const jobTtlAfterFinished: IRule = {
  id: 'job-ttl-after-finished',
  title: 'Jobs are cleaned up after they finish',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.WARNING,
  appliesTo: ['Job'],
  description: 'A Job without `spec.ttlSecondsAfterFinished` keeps its finished pods (and their logs, env and mounted ' +
    'Secret references) forever: they fill etcd and the namespace quota and keep data around longer than needed. Jobs ' +
    'owned by a CronJob are cleaned by its history limits and are not judged.',
  remediation: 'Set `spec.ttlSecondsAfterFinished` (e.g. 3600), or run the Job from a CronJob with history limits.',
  references: ['kube-linter job-ttl-seconds-after-finished', 'Kubernetes docs: Automatic cleanup for finished Jobs'],
  peers: ['kube-linter:job-ttl-seconds-after-finished'],
  threats: ['D1-resource-exhaustion'],
  check(obj) {
    if (!String(obj?.apiVersion ?? '').startsWith('batch/')) return [];
    const owners: any[] = Array.isArray(obj?.metadata?.ownerReferences) ? obj.metadata.ownerReferences : [];
    if (owners.some(o => o?.kind === 'CronJob')) return [];
    const ttl = obj?.spec?.ttlSecondsAfterFinished;
    return typeof ttl === 'number' && ttl >= 0 ? [] : [{ path: 'spec.ttlSecondsAfterFinished', message: `Job sets no ttlSecondsAfterFinished (${JSON.stringify(ttl ?? 'unset')}).` }];
  },
};
