import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'];

export const probePortExposed: IRule = {
  id: 'probe-port-exposed',
  title: 'Probes target ports the container exposes',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: 'A probe on a port name the container does not declare never succeeds: a liveness or startup probe then ' +
    'restarts the container forever and a readiness probe keeps it out of service — an outage from one typo. A numeric ' +
    'port is flagged when the container declares ports and none of them is it. Judged: httpGet, tcpSocket and grpc ' +
    'probes of containers and init containers (sidecars) of real pod specs.',
  remediation: 'Point the probe at a declared `containerPort` (by number or by its `name`).',
  references: ['kube-linter liveness-port, readiness-port, startup-port', 'Kubernetes docs: Configure Liveness, Readiness and Startup Probes'],
  peers: ['kube-linter:liveness-port', 'kube-linter:readiness-port', 'kube-linter:startup-port'],
  threats: ['D2-fragile-availability'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        const ports: any[] = Array.isArray(c.container.ports) ? c.container.ports : [];
        // Numbers read eagerly, as before (Number() of a value that cannot convert makes the object unevaluable);
        // names only when a probe names a port; paths only for findings.
        let names: Set<unknown> | undefined;
        const numbers = ports.length > 0 ? new Set(ports.map(p => Number(p?.containerPort))) : undefined;
        for (const probe of PROBES) {
          const p = c.container[probe];
          if (!p || typeof p !== 'object') continue;
          for (const handler of HANDLERS) {
            const port = p[handler]?.port;
            if (port === undefined || port === null) continue;
            if (typeof port === 'string' && !/^\d+$/.test(port)) {
              names ??= new Set(ports.map(x => x?.name).filter(n => typeof n === 'string'));
              if (!names.has(port)) out.push({ path: `${c.path}.${probe}.${handler}.port`, message: `container "${c.name}" ${probe} targets port name ${JSON.stringify(port)}, which it does not declare.` });
            } else if (numbers !== undefined && !numbers.has(Number(port))) {
              out.push({ path: `${c.path}.${probe}.${handler}.port`, message: `container "${c.name}" ${probe} targets port ${port}, which is not among its declared ports.` });
            }
          }
        }
      }
      return out;
    }, { podsOnly: true });
  },
};
