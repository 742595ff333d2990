import { namespaceOf, objectsIn } from '../../manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { byName } from './set-util';

export const ingressBackendExists: IRule = {
  id: 'ingress-backend-exists',
  title: 'Ingress backends name Services (and ports) of the set',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.SPOOFING],
  severity: Severity.INFO,
  appliesTo: ['Ingress'],
  description: 'An Ingress backend naming a Service absent from its namespace in the evaluated set returns errors, and ' +
    'whoever later creates a Service of that name (anyone who may create Services there) receives the site\'s ' +
    'traffic. A backend port must be one the Service declares (by number or name). Resource backends, and Ingresses of a ' +
    'namespace with no Service in the evaluated set (Services deployed elsewhere), are not judged. Information: whether a ' +
    'backend dangles depends on the evaluated set holding every Service.',
  remediation: 'Name the Service and port the Ingress should reach, in the same namespace.',
  references: ['kube-linter dangling-ingress', 'Kubernetes docs: Ingress backends'],
  peers: ['kube-linter:dangling-ingress'],
  check(obj, ctx) {
    const out: RuleViolation[] = [];
    const ns = namespaceOf(obj);
    const services = objectsIn(ctx.objects, 'Service', ns);
    if (services.length === 0) return []; // the namespace's Services are deployed elsewhere
    const judge = (b: any, path: string) => {
      const name = b?.service?.name ?? b?.serviceName;
      if (typeof name !== 'string') return;
      const port = b?.service?.port?.number ?? b?.service?.port?.name ?? b?.servicePort;
      const svc = byName(services, name);
      if (!svc) { out.push({ path, message: `backend Service ${JSON.stringify(name)} is not in namespace "${ns}" of the evaluated set.` }); return; }
      const ports: any[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
      if (port !== undefined && !ports.some(p => p?.port === port || String(p?.port) === String(port) || p?.name === port)) {
        out.push({ path, message: `backend port ${JSON.stringify(port)} is not declared by Service ${JSON.stringify(name)}.` });
      }
    };
    const spec = obj?.spec ?? {};
    if (spec.defaultBackend) judge(spec.defaultBackend, 'spec.defaultBackend');
    if (spec.backend) judge(spec.backend, 'spec.backend');
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: any, i: number) => {
      (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: any, j: number) => judge(p?.backend, `spec.rules[${i}].http.paths[${j}].backend`));
    });
    return out;
  },
};
