import { checkPods } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

export const serviceAccountFieldDeprecated: IRule = {
  id: 'service-account-field-deprecated',
  title: 'Pods name their ServiceAccount with serviceAccountName only',
  stride: [Stride.SPOOFING, Stride.REPUDIATION],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'The deprecated `serviceAccount` field is an alias the API server copies into `serviceAccountName` only when ' +
    'that is empty: a manifest that sets both to different names shows reviewers one identity while the pod runs ' +
    'under the other, and tools that read only one field judge the wrong account.',
  remediation: 'Remove `serviceAccount`; set `serviceAccountName`.',
  references: ['Kubernetes API reference: PodSpec.serviceAccount (DeprecatedServiceAccount)'],
  peers: ['kube-linter:deprecated-service-account-field'],
  threats: ['S1-stolen-service-account-token'],
  admission: { notGenerated: 'not visible at admission: the API server converts every core pod spec (Pods, workload templates) before admission and sets the deprecated ' +
    '`serviceAccount` to `serviceAccountName` (core/v1 conversion), so an admission policy would see the alias on every pod that names an ' +
    'account and never the disagreement the rule is about; judged at synth time and by `check` only' },
  check(obj) {
    return checkPods(obj, pod => {
      const old = pod.spec.serviceAccount;
      if (old === undefined || old === null || old === '') return [];
      const name = pod.spec.serviceAccountName;
      const differs = typeof name === 'string' && name !== '' && name !== old;
      return [{ path: `${pod.path}.serviceAccount`, message: differs
        ? `serviceAccount ${JSON.stringify(old)} differs from serviceAccountName ${JSON.stringify(name)}, which wins.`
        : `deprecated field serviceAccount ${JSON.stringify(old)}.` }];
    });
  },
};
