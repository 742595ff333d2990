import { checkPods, isWindowsPod } from '../../manifest';
import { IRule, Severity, Stride } from '../../types';

export const podHostUsers: IRule = {
  id: 'pod-host-users',
  title: 'Pods use a user namespace (hostUsers: false) — advisory',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.INFO,
  appliesTo: ['*'],
  description: 'With `hostUsers: false` the pod runs in its own user namespace: root in the container maps to an ' +
    'unprivileged id on the node, so a container escape (e.g. CVE-2022-0492, CVE-2024-21626) lands without host ' +
    'privileges. Beta and on by default since Kubernetes v1.30, it needs node support (Linux 6.3+, a runtime with ' +
    'idmap mounts), so this is information, never blocking. Windows pods are not judged.',
  remediation: 'Set `spec.hostUsers: false` where nodes support user namespaces.',
  references: ['Kubernetes docs: User Namespaces (KEP-127)', 'kubesec HostUsers', 'Pod Security Standards restricted v1.33+ (relaxations under user namespaces)'],
  peers: ['kubesec:HostUsers'],
  check(obj) {
    return checkPods(obj, pod => isWindowsPod(pod) || pod.spec.hostUsers === false
      ? []
      : [{ path: `${pod.path}.hostUsers`, message: `pod shares the node's user namespace (hostUsers ${JSON.stringify(pod.spec.hostUsers ?? 'unset')}).` }],
    { podsOnly: true });
  },
};
