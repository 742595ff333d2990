import { namespaceOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { candidatesAmong, isPortName, mapSelects, podsIn } from './set-util';

export const serviceSelectsPods: IRule = {
  id: 'service-selects-pods',
  title: 'Services select pods of the set, on ports those pods declare',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.SPOOFING],
  severity: Severity.INFO,
  appliesTo: ['Service'],
  description: 'A Service whose selector matches no pod of its namespace in the evaluated set has no endpoints: the ' +
    'application is down, and any pod someone later labels to match (in a namespace where they may create pods) ' +
    'receives its traffic. A named `targetPort` must be a valid port name that a selected pod declares, or traffic is ' +
    'dropped. Services without a selector (manual Endpoints), ExternalName Services and Services of a namespace with no ' +
    'pod in the evaluated set (workloads deployed elsewhere) are not judged. Information: whether a selector dangles ' +
    'depends on the evaluated set holding every workload.',
  remediation: 'Make the selector match the workload\'s template labels, and use a targetPort the pods declare.',
  references: ['kube-linter dangling-service, invalid-target-ports', 'Kubernetes docs: Service (selectors, targetPort)'],
  peers: ['kube-linter:dangling-service', 'kube-linter:invalid-target-ports'],
  threats: ['D2-fragile-availability'],
  admission: { notGenerated: 'cross-object: needs the pods of the namespace' },
  check(obj, ctx) {
    if (!judgesKindGroup('service-selects-pods', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const spec = obj?.spec ?? {};
    if (spec.type === 'ExternalName') return [];
    const sel = spec.selector;
    if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return [];
    const ns = namespaceOf(obj);
    const inNamespace = podsIn(ctx.objects, ns);
    if (inNamespace.length === 0) return []; // the namespace's workloads are deployed elsewhere
    const pods = candidatesAmong(inNamespace, sel).filter(p => mapSelects(sel, p.labels));
    if (pods.length === 0) return [{ path: 'spec.selector', message: `selector ${JSON.stringify(sel)} matches no pod in namespace "${ns}" of the evaluated set.` }];
    const out: RuleViolation[] = [];
    const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
    ports.forEach((p: any, i) => {
      const t = p?.targetPort;
      if (typeof t !== 'string' || /^\d+$/.test(t)) return;
      if (!isPortName(t)) { out.push({ path: `spec.ports[${i}].targetPort`, message: `targetPort ${JSON.stringify(t)} is not a valid port name.` }); return; }
      const declared = pods.some(({ pod }) => ['containers', 'initContainers'].some(f =>
        (Array.isArray(pod.spec[f]) ? pod.spec[f] : []).some((c: any) => (Array.isArray(c?.ports) ? c.ports : []).some((cp: any) => cp?.name === t))));
      if (!declared) out.push({ path: `spec.ports[${i}].targetPort`, message: `targetPort ${JSON.stringify(t)} is declared by no selected pod.` });
    });
    return out;
  },
};
