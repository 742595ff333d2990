import { checkPods, ContainerRef, containersOf, isUnresolved, PodSpecRef } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

function portPath(c: ContainerRef, i: number): string {
  return `${c.path}.ports[${i}].containerPort`;
}

/** `effective(pod, c, field).value` (manifest.ts) without building its path: the container's setting, else the pod's. */
function effectiveValue(pod: PodSpecRef, c: ContainerRef, field: string): any {
  const cv = c.container.securityContext?.[field];
  if (cv !== undefined && cv !== null) return cv;
  const pv = pod.spec.securityContext?.[field];
  return pv !== undefined && pv !== null ? pv : undefined;
}

export const containerPortsValid: IRule = {
  id: 'container-ports-valid',
  title: 'Container ports are valid and bindable by a non-root user',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'containerPort must be an integer in 1-65535. A non-root container cannot bind a port below 1024 unless ' +
    'it is granted NET_BIND_SERVICE: the process would crash-loop at start-up.',
  remediation: 'Use a port >= 1024 (and map it with the Service port), or add only NET_BIND_SERVICE to the container ' +
    '(HardenedDeployment: bindPrivilegedPort: true).',
  references: ['Pod Security Standards v1.28 restricted: Capabilities (NET_BIND_SERVICE is the only addable capability)'],
  peers: ['kube-linter:privileged-ports'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'the API server\'s own validation rejects these objects before admission policies run' },
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        const ports = c.container.ports;
        if (!Array.isArray(ports)) continue;
        // The same for every port of the container: read at its first valid port (paths built for findings only).
        let nonRoot: boolean | undefined;
        for (let i = 0; i < ports.length; i++) {
          const port = ports[i]?.containerPort;
          if (isUnresolved(port)) { out.push({ path: portPath(c, i), message: 'containerPort is an unresolved token.', unevaluable: true }); continue; }
          if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
            out.push({ path: portPath(c, i), message: `container "${c.name}" port ${JSON.stringify(port)} is not an integer in 1-65535.` });
            continue;
          }
          nonRoot ??= effectiveValue(pod, c, 'runAsNonRoot') === true || (effectiveValue(pod, c, 'runAsUser') ?? 0) > 0;
          const added: string[] = c.container.securityContext?.capabilities?.add ?? [];
          if (port < 1024 && nonRoot && !added.includes('NET_BIND_SERVICE')) {
            out.push({ path: portPath(c, i), message: `container "${c.name}" runs as non-root but listens on privileged port ${port} without NET_BIND_SERVICE.` });
          }
        }
      }
      return out;
    }, { podsOnly: true });
  },
};
