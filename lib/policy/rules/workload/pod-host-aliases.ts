import { checkPods } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

export const podHostAliases: IRule = {
  id: 'pod-host-aliases',
  title: 'Pods do not override name resolution with hostAliases',
  stride: [Stride.SPOOFING, Stride.TAMPERING],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: '`hostAliases` writes entries into the pod\'s /etc/hosts that win over cluster DNS: a manifest change can ' +
    'redirect an API, registry or identity-provider name to another address without touching DNS, NetworkPolicy or ' +
    'the mesh, and the kubelet then manages the file so later fixes by the container are overwritten.',
  remediation: 'Resolve names through DNS (a Service, or a zone served by CoreDNS); waive a reviewed, pinned alias.',
  references: ['kubesec HostAliases', 'Kubernetes docs: Adding entries to Pod /etc/hosts with HostAliases'],
  peers: ['kubesec:HostAliases'],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    return checkPods(obj, pod => Array.isArray(pod.spec.hostAliases) && pod.spec.hostAliases.length > 0
      ? [{ path: `${pod.path}.hostAliases`, message: `pod overrides /etc/hosts for ${JSON.stringify(pod.spec.hostAliases.flatMap((a: any) => Array.isArray(a?.hostnames) ? a.hostnames : []))}.` }]
      : []);
  },
};
