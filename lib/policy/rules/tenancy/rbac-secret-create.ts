import { objectsIn } from '../../manifest';
import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacSecretCreate = pathRule({
  id: 'rbac-secret-create',
  title: 'Creating Secrets lets a subject mint legacy ServiceAccount tokens',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.WARNING,
  description: 'A Secret of type `kubernetes.io/service-account-token` annotated `kubernetes.io/service-account.name: <sa>` ' +
    'is filled by the token controller with a non-expiring token of that ServiceAccount, in any namespace that has ' +
    'ServiceAccounts (every namespace has `default`). With read access to Secrets, or the right to run a pod that mounts ' +
    'it, the creator acts as the ServiceAccount long after its own access is revoked. Reported as a warning: alone, ' +
    'create does not reveal the token.',
  remediation: 'Grant create on secrets only to the controller that manages them (e.g. a secrets operator) and never ' +
    'together with get/list/watch on secrets or pod creation; use the TokenRequest API (short-lived, bound tokens) ' +
    'instead of token Secrets.',
  references: [
    'CIS Kubernetes Benchmark 5.1.2: Minimize access to secrets',
    `${RBAC_GOOD_PRACTICES} (token request; secrets)`,
    'Kubernetes docs: Manually create a long-lived API token for a ServiceAccount',
  ],
  extra(obj, objects) {
    if (obj?.kind !== 'Role' && obj?.kind !== 'RoleBinding') return '';
    const ns = obj.metadata?.namespace ?? 'default';
    const sas = objectsIn(objects, 'ServiceAccount', ns).map(s => String(s.metadata?.name)).filter(n => n !== 'default');
    return `ServiceAccounts of namespace "${ns}": ${JSON.stringify(['default', ...sas])}.`;
  },
});
