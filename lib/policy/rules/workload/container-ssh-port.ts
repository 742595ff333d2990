import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const containerSshPort: IRule = {
  id: 'container-ssh-port',
  title: 'Containers do not expose SSH (port 22)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.REPUDIATION],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'An SSH server in a container is a second, unaudited way in (outside `kubectl exec` RBAC and the API ' +
    'server audit log), usually with long-lived keys. Flagged: a container port 22 (TCP, the default protocol), or a ' +
    'port named `ssh`.',
  remediation: 'Remove the SSH server; use `kubectl exec` / `kubectl debug` under RBAC and audit. Waive a vetted SSH service.',
  references: ['kube-linter ssh-port', 'NSA/CISA Kubernetes Hardening Guidance: minimise the attack surface'],
  peers: ['kube-linter:ssh-port'],
  threats: ['I3-lateral-movement'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        const ports: unknown[] = Array.isArray(c.container.ports) ? c.container.ports : [];
        ports.forEach((p: any, i) => {
          const tcp = (p?.protocol ?? 'TCP') === 'TCP';
          if ((tcp && (p?.containerPort === 22 || p?.containerPort === '22')) || String(p?.name ?? '').toLowerCase() === 'ssh') {
            out.push({ path: `${c.path}.ports[${i}]`, message: `container "${c.name}" exposes SSH (${JSON.stringify(p?.name ?? p?.containerPort)}).` });
          }
        });
      }
      return out;
    });
  },
};
