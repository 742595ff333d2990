import { IRule, RuleViolation, Severity, Stride } from '../../types';

export const serviceExposure: IRule = {
  id: 'service-exposure',
  title: 'Services are not exposed through NodePort, LoadBalancer or externalIPs',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['Service'],
  description: 'NodePort opens the port on every node; LoadBalancer provisions a (often public) cloud load balancer; ' +
    'externalIPs can hijack traffic for arbitrary addresses (CVE-2020-8554). All bypass the reviewed ingress path.',
  remediation: 'Use type ClusterIP behind the ingress controller or gateway; expose deliberately through it, or waive with an owner and expiry.',
  references: ['CVE-2020-8554 (externalIPs)', 'Kubernetes docs: Service types', 'Seed: do not open unnecessary ports'],
  peers: ['kube-linter:exposed-services', 'gatekeeper:general/block-loadbalancer-services', 'gatekeeper:general/block-nodeport-services',
    'gatekeeper:general/externalip', 'kyverno:best-practices/restrict-node-port', 'kyverno:best-practices/restrict-service-external-ips'],
  threats: ['I3-lateral-movement'],
  check(obj) {
    const out: RuleViolation[] = [];
    const type = obj?.spec?.type;
    if (type === 'NodePort' || type === 'LoadBalancer') out.push({ path: 'spec.type', message: `Service type ${type}.` });
    if (Array.isArray(obj?.spec?.externalIPs) && obj.spec.externalIPs.length > 0) out.push({ path: 'spec.externalIPs', message: `Service sets externalIPs ${JSON.stringify(obj.spec.externalIPs)}.` });
    return out;
  },
};
