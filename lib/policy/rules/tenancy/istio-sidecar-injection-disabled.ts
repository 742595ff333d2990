import { checkPods, namespaceOf, objectsIn } from '../../../kube/manifest';
import { istioBypasses } from '../../../semantics/mesh/bypass';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Why the namespace requires a sidecar in every pod, from the evaluated set, or undefined. */
function strictReason(objects: readonly any[], ns: string): string | undefined {
  const strict = (o: any) => String(o?.apiVersion ?? '').startsWith('security.istio.io/') && o?.spec?.mtls?.mode === 'STRICT'
    && (o?.spec?.selector === undefined || o?.spec?.selector === null || Object.keys(o.spec.selector?.matchLabels ?? {}).length === 0);
  if (objectsIn(objects, 'PeerAuthentication', ns).some(strict)) return `a namespace-wide STRICT PeerAuthentication in "${ns}"`;
  if (objectsIn(objects, 'PeerAuthentication', 'istio-system').some(strict)) return 'a mesh-wide STRICT PeerAuthentication in "istio-system"';
  const nsObj = objectsIn(objects, 'Namespace', 'default').find(o => o?.metadata?.name === ns);
  const labels = nsObj?.metadata?.labels ?? {};
  if (labels['istio-injection'] === 'enabled') return `namespace "${ns}" labelled istio-injection=enabled`;
  if (typeof labels['istio.io/rev'] === 'string') return `namespace "${ns}" labelled istio.io/rev=${labels['istio.io/rev']}`;
  if (labels['istio.io/dataplane-mode'] === 'ambient') return `namespace "${ns}" labelled istio.io/dataplane-mode=ambient`;
  return undefined;
}

export const istioSidecarInjectionDisabled: IRule = {
  id: 'istio-sidecar-injection-disabled',
  title: 'Pods of a mesh namespace do not opt out of the Istio sidecar, wholly or for some ports',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'STRICT mTLS is enforced by the sidecar: a pod with `sidecar.istio.io/inject: "false"` (label or annotation, ' +
    'the label wins in Istio) in a namespace marked for the mesh has no sidecar, so it accepts plaintext from anyone ' +
    'and calls others without a workload identity. A namespace is marked when the evaluated set holds a namespace-wide ' +
    'STRICT PeerAuthentication for it (or a mesh-wide one in istio-system), or its Namespace labelled ' +
    '`istio-injection: enabled` / `istio.io/rev` / `istio.io/dataplane-mode: ambient`. Istio injects only for `y`, `yes`, `true`, `on` (any case): every other non-empty value (`false`, `no`, `0`, `disabled`) opts out and is flagged. ' +
    'Judged by effect, so the other ways past the sidecar are flagged too: `sidecar.istio.io/interceptionMode` other than ' +
    'REDIRECT/TPROXY (e.g. NONE), a `proxy.istio.io/config` ProxyConfig with such an interceptionMode, ' +
    '`traffic.sidecar.istio.io/includeInboundPorts` without `*` (`""` redirects no port), any ' +
    '`traffic.sidecar.istio.io/excludeInboundPorts` or `excludeInterfaces`, and the label `istio.io/dataplane-mode: none`. ' +
    'Each leaves a port that accepts plaintext from anyone. Outbound exclusions are not judged: they cannot make a STRICT peer accept plaintext.',
  remediation: 'Remove the opt-out annotation or label (let every inbound port through the sidecar), or run the workload in a ' +
    'namespace outside the mesh with its own NetworkPolicies; waive a port that must stay outside (e.g. a health port) with its owner.',
  references: ['Istio docs: Installing the sidecar (controlling the injection policy)', 'Istio security best practices: mTLS STRICT'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  admission: { notGenerated: 'cross-object: needs the PeerAuthentications and Namespace labels of the mesh' },
  check(obj, ctx) {
    const ns = namespaceOf(obj);
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      const bypasses = istioBypasses(pod.metadata);
      if (bypasses.length === 0) return out;
      const why = strictReason(ctx.objects, ns);
      if (!why) return out;
      for (const b of bypasses) {
        out.push({ path: `${pod.metadataPath}.${b.field}["${b.key}"]`, message: `pods opt out of the sidecar (${b.key}: ${JSON.stringify(b.value)}: ${b.effect}) under ${why}.` });
      }
      return out;
    }, { podsOnly: true });
  },
};
