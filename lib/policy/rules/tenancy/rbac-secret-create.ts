import { objectsIn } from '../../../kube/manifest';
import { grantOf, granted, POD_CREATORS, rbacSubjectOf, reachableIn } from '../../../semantics/rbac';
import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

/** How the holder of `create secrets` gets at the token it mints, from the same grants (for messages). */
function readPaths(obj: any, objects: readonly any[]): string[] {
  const subject = rbacSubjectOf(obj, objects);
  if (!subject) return [];
  const rules = subject.rules.map(s => s.rule);
  const out: string[] = [];
  const get = grantOf(rules, { verb: 'get', apiGroup: '', resource: 'secrets' }, true);
  if (get.anyName) out.push('get on every Secret reads it');
  else if (get.names.length > 0) out.push(`get on Secrets ${JSON.stringify(get.names)} reads it when the minted Secret takes one of those names`);
  for (const verb of ['list', 'watch']) if (granted(grantOf(rules, { verb, apiGroup: '', resource: 'secrets' }, true))) out.push(`${verb} on Secrets reads it`);
  const pods = POD_CREATORS.find(r => {
    const [resource] = r.resource.split('/');
    return reachableIn(subject.scope, r.apiGroup, resource) && r.verbs.some(verb => granted(grantOf(rules, { verb, apiGroup: r.apiGroup, resource }, false)));
  });
  if (pods) out.push(`creating ${pods.resource}${pods.apiGroup ? `.${pods.apiGroup}` : ''} mounts it`);
  return out;
}

export const rbacSecretCreate = pathRule({
  id: 'rbac-secret-create',
  title: 'Creating Secrets lets a subject mint ServiceAccount tokens',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  description: 'Judged by what the grant lets its holder do: `create` on `secrets` in a namespace is the power to mint a ' +
    'token for any ServiceAccount there. A Secret of type `kubernetes.io/service-account-token` annotated ' +
    '`kubernetes.io/service-account.name: <sa>` is filled by the token controller with a non-expiring token of that ' +
    'ServiceAccount (every namespace has `default`, and a namespace\'s controllers often run with broad rights). The ' +
    'creator chooses the Secret\'s name, so `get` on that one name (resourceNames do not help), `list`/`watch` on ' +
    'secrets, or the right to run a pod that mounts it hands over the token; the token outlives any revocation of the ' +
    'creator\'s own access. resourceNames cannot narrow `create` (a create request carries no name, so a rule with resourceNames allows no create at all). An error, like ' +
    'the other escalation paths: a secrets operator that must create Secrets carries a waiver naming its owner.',
  remediation: 'Grant create on secrets only to the controller that manages them (e.g. a secrets operator, with a ' +
    'waiver) and never together with get/list/watch on secrets or pod creation; use the TokenRequest API (short-lived, ' +
    'bound tokens; HardenedDeployment `apiAccess` mounts one) instead of token Secrets.',
  references: [
    'CIS Kubernetes Benchmark 5.1.2: Minimize access to secrets',
    `${RBAC_GOOD_PRACTICES} (token request; secrets)`,
    'Kubernetes docs: Manually create a long-lived API token for a ServiceAccount',
  ],
  extra(obj, objects) {
    const reads = readPaths(obj, objects);
    const how = reads.length > 0 ? `The same grants hand the token over: ${reads.join('; ')}.` : '';
    if (obj?.kind !== 'Role' && obj?.kind !== 'RoleBinding') return how;
    const ns = obj.metadata?.namespace ?? 'default';
    const sas = objectsIn(objects, 'ServiceAccount', ns).map(s => String(s.metadata?.name)).filter(n => n !== 'default');
    return `${how ? `${how} ` : ''}ServiceAccounts of namespace "${ns}" whose tokens it can mint: ${JSON.stringify(['default', ...sas])}.`;
  },
  peers: [],
  threats: ['I1-secret-read-through-permissions', 'E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
