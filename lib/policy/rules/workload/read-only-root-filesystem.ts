import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const readOnlyRootFilesystem: IRule = {
  id: 'read-only-root-filesystem',
  title: 'Containers run with a read-only root filesystem',
  stride: [Stride.TAMPERING, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A writable root filesystem lets an attacker drop tools, modify binaries or persist across restarts of the ' +
    'process. Writable directories should be explicit emptyDir mounts. Checked on containers and initContainers.',
  remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes for the directories the process ' +
    'writes to (HardenedDeployment `writablePaths`).',
  references: ['CIS Kubernetes Benchmark 5.7.x (general: immutable containers)', 'NSA/CISA Kubernetes Hardening Guidance: immutable container file systems'],
  peers: ['kube-linter:no-read-only-root-fs', 'polaris:notReadOnlyRootFilesystem', 'kubesec:ReadOnlyRootFilesystem',
    'gatekeeper:pod-security-policy/read-only-root-filesystem', 'kyverno:best-practices/require-ro-rootfs'],
  threats: ['T2-runtime-filesystem-tampering'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        if (c.field === 'ephemeralContainers' || c.container.securityContext?.readOnlyRootFilesystem === true) continue;
        out.push({
          path: `${c.path}.securityContext.readOnlyRootFilesystem`,
          message: `container "${c.name}" has readOnlyRootFilesystem ${JSON.stringify(c.container.securityContext?.readOnlyRootFilesystem ?? null)}.`,
        });
      }
      return out;
    });
  },
};
