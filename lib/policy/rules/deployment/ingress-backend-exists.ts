import { namespaceOf, objectsIn } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { byName } from './set-util';

/** True when a Service selects pods: a non-empty selector and not an ExternalName alias. */
function selectsPods(svc: any): boolean {
  const sel = svc?.spec?.selector;
  return svc?.spec?.type !== 'ExternalName' && sel !== null && typeof sel === 'object' && !Array.isArray(sel) && Object.keys(sel).length > 0;
}

export const ingressBackendExists: IRule = {
  id: 'ingress-backend-exists',
  title: 'Ingress backends are Services of their namespace that select pods',
  stride: [Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['Ingress', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
  description: 'An Ingress publishes whatever its backend Service reaches. The backend `kubernetes` Service of namespace ' +
    '`default` is the API server: an Ingress in `default` that names it puts the cluster\'s control plane on a public ' +
    'host (judged even when the set holds no Service). A backend Service of the set without a pod selector (its ' +
    'endpoints are written by hand and can point anywhere: the API server, node or cloud-metadata addresses) or of type ' +
    'ExternalName (a DNS alias the controller follows) does not select pods. A backend naming a Service absent from its ' +
    'namespace in the evaluated set dangles: whoever later creates a Service of that name (anyone who may create Services ' +
    'there) receives the site\'s traffic. A backend port must be one the Service declares (by number or name). Resource ' +
    'backends, and absent Services in a namespace with no Service in the evaluated set (Services deployed elsewhere), are ' +
    'not judged. A Gateway API route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) is judged for the API server ' +
    'case: a backendRef to the Service `kubernetes` of `default` (its own namespace or through `namespace: default`).',
  remediation: 'Route to the Service of your workload (HardenedDeployment.expose() does), in the Ingress\'s own namespace, ' +
    'with a selector and a declared port; never to `kubernetes`, selector-less or ExternalName Services.',
  references: ['kube-linter dangling-ingress', 'Kubernetes docs: Ingress backends', 'CVE-2021-25740 (Services with hand-written endpoints)'],
  peers: ['kube-linter:dangling-ingress'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'cross-object: needs the Services of the namespace' },
  check(obj, ctx) {
    if (!judgesKindGroup('ingress-backend-exists', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const ns = namespaceOf(obj);
    if (obj?.kind !== 'Ingress') {
      if (!String(obj?.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')) return out;
      (Array.isArray(obj?.spec?.rules) ? obj.spec.rules : []).forEach((r: any, i: number) => {
        (Array.isArray(r?.backendRefs) ? r.backendRefs : []).forEach((b: any, j: number) => {
          const service = (b?.kind ?? 'Service') === 'Service' && (b?.group ?? '') === '';
          if (service && b?.name === 'kubernetes' && (b?.namespace ?? ns) === 'default') {
            out.push({ path: `spec.rules[${i}].backendRefs[${j}]`, message: 'backendRef Service "kubernetes" of namespace "default" is the Kubernetes API server.' });
          }
        });
      });
      return out;
    }
    const services = objectsIn(ctx.objects, 'Service', ns);
    const judge = (b: any, path: string) => {
      const name = b?.service?.name ?? b?.serviceName;
      if (typeof name !== 'string') return;
      if (ns === 'default' && name === 'kubernetes') {
        out.push({ path, message: 'backend Service "kubernetes" of namespace "default" is the Kubernetes API server.' });
        return;
      }
      if (services.length === 0) return; // the namespace's Services are deployed elsewhere
      const port = b?.service?.port?.number ?? b?.service?.port?.name ?? b?.servicePort;
      const svc = byName(services, name);
      if (!svc) { out.push({ path, message: `backend Service ${JSON.stringify(name)} is not in namespace "${ns}" of the evaluated set.` }); return; }
      if (!selectsPods(svc)) {
        out.push({ path, message: `backend Service ${JSON.stringify(name)} selects no pods (${svc.spec?.type === 'ExternalName' ? `an ExternalName alias of ${JSON.stringify(svc.spec?.externalName)}` : 'no selector: its endpoints are written by hand and can point anywhere'}).` });
        return;
      }
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
