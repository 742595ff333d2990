import { PROBE_HOST_SINCE } from '../../../kube/pss-versions';
import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['postStart', 'preStop'];
/** Actions with a host field. `exec`, `grpc` (port and service only) and `sleep` have none. */
const ACTIONS = ['httpGet', 'tcpSocket'];

function hosts(handler: any, path: string, who: string): RuleViolation[] {
  if (!handler || typeof handler !== 'object') return [];
  const out: RuleViolation[] = [];
  for (const a of ACTIONS) {
    const host = handler[a]?.host;
    // PSA allows "" and unset (explicit null is unset); any other value makes the kubelet connect to that address.
    if (host !== undefined && host !== '') out.push(violation(`${path}.${a}.host`, host, `${who} sends its ${a} to host ${JSON.stringify(host)}.`));
  }
  return out;
}

export const probeHost = pssRule({
  id: 'probe-host',
  title: 'Probes and lifecycle handlers target the pod, not another host',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'Probes / Lifecycle Hooks',
  since: PROBE_HOST_SINCE,
  description: 'The kubelet runs httpGet and tcpSocket probes and postStart/preStop handlers from the node. A `host` field ' +
    'other than the pod IP makes it connect to any address the node can reach — node-local services, the cloud metadata ' +
    'endpoint, other tenants — with the node\'s network position (a server-side request forgery, KEP-4940). Baseline ' +
    'forbids it from Pod Security Standards v1.34 (liveness/readiness/startup probes and lifecycle handlers of every ' +
    'container, initContainer and ephemeralContainer; tcpSocket handlers are deprecated but still judged). An ' +
    '`httpHeaders` Host header only changes the HTTP virtual host, not the address connected to.',
  remediation: 'Remove the host field (or set it to "") from httpGet and tcpSocket probes and lifecycle handlers; the kubelet then ' +
    'targets the pod IP. Use an httpHeaders "Host" entry if the application needs a virtual host name.',
  extraReferences: ['kubernetes/pod-security-admission policy/check_hostProbesAndhostLifecycle.go', 'KEP-4940'],
  peers: ['gatekeeper:pod-security-policy/host-probes-lifecycle'],
  threats: ['E1-container-escape'],
}, pod => eachContainer(pod, c => {
  const out: RuleViolation[] = [];
  for (const p of PROBES) out.push(...hosts(c.container[p], `${c.path}.${p}`, `container "${c.name}" ${p}`));
  for (const h of HANDLERS) out.push(...hosts(c.container.lifecycle?.[h], `${c.path}.lifecycle.${h}`, `container "${c.name}" ${h} handler`));
  return out;
}));
