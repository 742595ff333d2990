import { checkPods, containersOf, effectiveValue, isWindowsPod } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

export const podHostUsers: IRule = {
  id: 'pod-host-users',
  title: 'Pods that may run as root use a user namespace (hostUsers: false) — advisory',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.INFO,
  appliesTo: ['*'],
  description: 'With `hostUsers: false` the pod runs in its own user namespace: root in the container maps to an ' +
    'unprivileged id on the node, so a container escape (e.g. CVE-2022-0492, CVE-2024-21626) lands without host ' +
    'privileges. Advised for the pods where it matters: those with a container that may run as root (effective ' +
    '`runAsUser: 0`, or no runAsUser and no `runAsNonRoot: true`) — they fail `run-as-non-root` unless waived, and a ' +
    'user namespace contains the waived root. Beta since Kubernetes v1.30 (on by default since v1.33), it needs node support ' +
    '(Linux 6.3+, a runtime with idmap mounts), so this is information, never blocking. Windows pods are not judged.',
  remediation: 'Set `spec.hostUsers: false` where nodes support user namespaces.',
  references: ['Kubernetes docs: User Namespaces (KEP-127)', 'kubesec HostUsers', 'Pod Security Standards v1.35+ (relaxations under user namespaces: run-as-non-root, run-as-user-root, baseline proc-mount)'],
  peers: ['kubesec:HostUsers'],
  threats: ['E1-container-escape'],
  check(obj) {
    return checkPods(obj, pod => {
      if (isWindowsPod(pod) || pod.spec.hostUsers === false) return [];
      const root = containersOf(pod).filter(c => {
        const user = effectiveValue(pod, c, 'runAsUser');
        return user === 0 || ((user === undefined || user === null) && effectiveValue(pod, c, 'runAsNonRoot') !== true);
      });
      return root.length === 0 ? [] : [{
        path: `${pod.path}.hostUsers`,
        message: `container(s) ${root.map(c => JSON.stringify(c.name)).join(', ')} may run as root while the pod shares the node's user namespace (hostUsers ${JSON.stringify(pod.spec.hostUsers ?? 'unset')}).`,
      }];
    }, { podsOnly: true });
  },
};
