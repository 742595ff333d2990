import { Severity, Stride } from '../../types';
import { pathRule, RBAC_GOOD_PRACTICES } from './rbac-util';

export const rbacEndpointsWrite = pathRule({
  id: 'rbac-endpoints-write',
  title: 'No direct write access to Endpoints and EndpointSlices',
  stride: [Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING],
  severity: Severity.WARNING,
  description: 'Create, update or patch on endpoints (core) or endpointslices (discovery.k8s.io) lets a subject point a ' +
    'Service at any address, including pods of other namespaces and addresses NetworkPolicy would block, so an ingress ' +
    'controller or a Service\'s clients forward traffic there (CVE-2021-25740; Kubernetes removed this from the built-in ' +
    'edit and admin roles in v1.22). Reported as a warning: Services with selectors never need it.',
  remediation: 'Use Services with selectors so the control plane maintains the endpoints; grant endpoint writes only to the ' +
    'controller that owns a selector-less Service.',
  references: [
    'CVE-2021-25740: Endpoint & EndpointSlice permissions allow cross-Namespace forwarding',
    `${RBAC_GOOD_PRACTICES}`,
  ],
  peers: ['gatekeeper:general/block-endpoint-edit-default-role'],
  threats: ['T3-manifest-and-etcd-tampering', 'E2-permission-escalation'],
  admission: {
    notGenerated: 'cross-object: judges the effective grants of every Role, ClusterRole and binding together (aggregation, built-in roles)',
  },
  judgesRbacGrants: true,
});
