import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, inUserNamespace, pssRule, violation } from './util';

export const runAsNonRoot = pssRule({
  id: 'run-as-non-root',
  title: 'Containers must run as non-root',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.RESTRICTED,
  control: 'Running as Non-root',
  description: 'runAsNonRoot: true makes the kubelet refuse to start a container whose user is root, whatever the image says. ' +
    'It must be true at pod level (and not overridden to false by a container) or on every container. From Pod Security ' +
    'Standards v1.35 (with kubeVersion 1.35 or later) a pod in its own user namespace (`spec.hostUsers: false`, the ' +
    'boolean) is exempt: root in the container maps to an unprivileged id on the node.',
  remediation: 'Set securityContext.runAsNonRoot: true at pod level (and a non-zero runAsUser the image supports); or, at v1.35+ on ' +
    'nodes that support user namespaces, set spec.hostUsers: false.',
  extraReferences: ['CIS Kubernetes Benchmark 5.2.7'],
  peers: ['kube-linter:run-as-non-root', 'polaris:runAsRootAllowed', 'kubesec:RunAsNonRoot', 'kubesec:RunAsUser',
    'gatekeeper:pod-security-policy/users', 'kyverno:pod-security/restricted/require-run-as-nonroot'],
  threats: ['E1-container-escape'],
}, (pod, _obj, ctx, minor) => {
  if (inUserNamespace(pod, minor, ctx.settings)) return [];
  const out: RuleViolation[] = [];
  const podValue = pod.spec.securityContext?.runAsNonRoot;
  if (podValue === false) out.push(violation(`${pod.path}.securityContext.runAsNonRoot`, podValue, 'pod sets runAsNonRoot: false.'));
  out.push(...eachContainer(pod, c => {
    const v = c.container.securityContext?.runAsNonRoot;
    if (v === false) return violation(`${c.path}.securityContext.runAsNonRoot`, v, `container "${c.name}" sets runAsNonRoot: false.`);
    if (v === undefined && podValue !== true) {
      return violation(`${c.path}.securityContext.runAsNonRoot`, podValue, `container "${c.name}" does not set runAsNonRoot: true and the pod does not either.`);
    }
    return undefined;
  }));
  return out;
});
