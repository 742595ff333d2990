import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export const ingressClassExplicit: IRule = {
  id: 'ingress-class-explicit',
  title: 'Ingresses name their ingress class',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING],
  severity: Severity.WARNING,
  appliesTo: ['Ingress'],
  description: 'An Ingress without `spec.ingressClassName` (or the older `kubernetes.io/ingress.class` annotation) is ' +
    'served by whichever IngressClass the cluster marks as default — often the internet-facing one — and, on controllers ' +
    'started with `--watch-ingress-without-class`, by every such controller: an application meant for an internal load ' +
    'balancer ends up public, and the choice changes when the platform changes the default. An empty class name counts ' +
    'as none.',
  remediation: 'Set `spec.ingressClassName` to the IngressClass of the intended controller (e.g. `nginx-internal`).',
  references: ['Kubernetes docs: Ingress (IngressClass, default IngressClass)', 'ingress-nginx docs: --watch-ingress-without-class'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    if (!judgesKindGroup('ingress-class-explicit', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const cls = obj?.spec?.ingressClassName;
    const annotation = obj?.metadata?.annotations?.[CLASS_ANNOTATION];
    const named = (v: unknown) => typeof v === 'string' && v.trim() !== '';
    if (!named(cls) && !named(annotation)) {
      out.push({ path: 'spec.ingressClassName', message: `Ingress names no ingress class${cls !== undefined ? ` (${JSON.stringify(cls)})` : ''}: the cluster's default IngressClass serves it.` });
    }
    return out;
  },
};
