import { IRule, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';

export const serviceExternalName: IRule = {
  id: 'service-external-name',
  title: 'Services are not of type ExternalName',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.WARNING,
  appliesTo: ['Service'],
  description: 'An ExternalName Service is a DNS CNAME to any name: clients that trust the in-cluster name send credentials ' +
    'to wherever it points, and ingress controllers and gateways that follow it can be made to proxy into other ' +
    'namespaces or to the node\'s own endpoints (CVE-2021-25740 class). (`externalIPs` is judged by `service-exposure`.)',
  remediation: 'Reach external services by their real name with TLS verification, or through an egress gateway; otherwise ' +
    'waive with an owner and expiry.',
  references: ['CVE-2021-25740: Endpoint & EndpointSlice permissions allow cross-Namespace forwarding',
    'Kubernetes docs: Service type ExternalName'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    if (!judgesKindGroup('service-external-name', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const type = obj?.spec?.type;
    return type === 'ExternalName' || (typeof obj?.spec?.externalName === 'string' && obj.spec.externalName !== '')
      ? [{ path: type === 'ExternalName' ? 'spec.type' : 'spec.externalName', message: `Service is an alias for ${JSON.stringify(obj?.spec?.externalName)}.` }]
      : [];
  },
};
