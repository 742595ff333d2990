import { checkPods } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

export const podDefaultServiceAccount: IRule = {
  id: 'pod-default-service-account',
  title: 'Pods run under a dedicated ServiceAccount, not "default"',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'Every pod that names no ServiceAccount (or `default`) shares the namespace\'s default ServiceAccount: any ' +
    'role bound to it for one workload is granted to all, and workload identity (IRSA, Workload Identity, mesh ' +
    'identities) cannot tell them apart. The effective name is `serviceAccountName`, else the deprecated ' +
    '`serviceAccount`, else `default`, as the API server resolves it.',
  remediation: 'Create a ServiceAccount per workload (automountServiceAccountToken: false unless needed) and set ' +
    '`serviceAccountName`.',
  references: ['CIS Kubernetes Benchmark 5.1.5: Ensure that default service accounts are not actively used',
    'Kubernetes docs: Configure Service Accounts for Pods'],
  peers: ['kube-linter:default-service-account', 'kubesec:ServiceAccountName'],
  threats: ['S1-stolen-service-account-token'],
  check(obj) {
    if (obj?.kind === 'PodTemplate') return [];
    return checkPods(obj, pod => {
      const name = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
      if (name !== 'default') return [];
      const field = pod.spec.serviceAccountName ? 'serviceAccountName' : pod.spec.serviceAccount ? 'serviceAccount' : 'serviceAccountName';
      return [{ path: `${pod.path}.${field}`, message: 'pods run under the namespace\'s "default" ServiceAccount.' }];
    }, { podsOnly: true });
  },
};
