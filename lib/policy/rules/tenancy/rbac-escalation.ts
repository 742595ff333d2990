import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacEscalation = pathRule({
  id: 'rbac-escalation',
  title: 'No privilege-escalation verbs or resources in RBAC grants',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  description: '`escalate` and `bind` on roles let a subject grant permissions it does not hold; `impersonate` on users, ' +
    'groups, serviceaccounts or uids lets it act as anyone; create/get on pods/exec, pods/attach or pods/portforward, ' +
    'update/patch on pods/ephemeralcontainers and any verb on nodes/proxy run code in, or reach, other workloads and ' +
    'nodes; create on serviceaccounts/token mints credentials of other ServiceAccounts. Each finding names the path. ' +
    'resourceNames narrow a path to the named objects but do not close it.',
  remediation: 'Remove these verbs and resources; grant exec, attach or port-forward only to break-glass roles, with a ' +
    'waiver that names the owner and expires. Do not bind the built-in admin or edit roles to workloads or broad groups: ' +
    'they include pods/exec, pods/attach, serviceaccounts/token and impersonate on serviceaccounts.',
  references: [
    'CIS Kubernetes Benchmark 5.1.8: Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster',
    'CIS Kubernetes Benchmark 5.1.10: Minimize access to the proxy sub-resource of nodes',
    'CIS Kubernetes Benchmark 5.1.13: Minimize access to the service account token creation',
    `${RBAC_GOOD_PRACTICES} (escalate verb, bind verb, impersonate verb, token request, nodes/proxy, exec and attach)`,
  ],
  peers: ['polaris:clusterrolePodExecAttach', 'polaris:rolePodExecAttach', 'polaris:clusterrolebindingPodExecAttach',
    'polaris:rolebindingClusterRolePodExecAttach', 'polaris:rolebindingRolePodExecAttach'],
  threats: ['E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
