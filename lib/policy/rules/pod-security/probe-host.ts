import { ContainerRef } from '../../../kube/manifest';
import { PROBE_HOST_SINCE } from '../../../kube/pss-versions';
import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
/** Lifecycle handlers: [name, path under the container, what the message calls it]. */
const HANDLERS = [['postStart', 'lifecycle.postStart', 'postStart handler'], ['preStop', 'lifecycle.preStop', 'preStop handler']] as const;
/** Actions with a host field. `exec`, `grpc` (port and service only) and `sleep` have none. */
const ACTIONS = ['httpGet', 'tcpSocket'];

/** The host findings of one probe or handler (`at`: its path under the container), added to `out`. */
function hosts(handler: any, c: ContainerRef, at: string, what: string, out: RuleViolation[]): void {
  if (!handler || typeof handler !== 'object') return;
  for (const a of ACTIONS) {
    const host = handler[a]?.host;
    // PSA allows "" and unset (explicit null is unset); any other value makes the kubelet connect to that address.
    // The path and message are built only here, on a finding: every container of every pod is judged.
    if (host !== undefined && host !== '') out.push(violation(`${c.path}.${at}.${a}.host`, host, `container "${c.name}" ${what} sends its ${a} to host ${JSON.stringify(host)}.`));
  }
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
  for (const p of PROBES) hosts(c.container[p], c, p, p, out);
  const lifecycle = c.container.lifecycle;
  for (const [h, at, what] of HANDLERS) hosts(lifecycle?.[h], c, at, what, out);
  return out;
}));
