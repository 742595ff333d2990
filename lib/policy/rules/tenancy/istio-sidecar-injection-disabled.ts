import { checkPods, namespaceOf, objectsIn } from '../../manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const INJECT = 'sidecar.istio.io/inject';

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
  return undefined;
}

export const istioSidecarInjectionDisabled: IRule = {
  id: 'istio-sidecar-injection-disabled',
  title: 'Pods of a mesh namespace do not opt out of the Istio sidecar',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'STRICT mTLS is enforced by the sidecar: a pod with `sidecar.istio.io/inject: "false"` (label or annotation, ' +
    'the label wins in Istio) in a namespace marked for the mesh has no sidecar, so it accepts plaintext from anyone ' +
    'and calls others without a workload identity. A namespace is marked when the evaluated set holds a namespace-wide ' +
    'STRICT PeerAuthentication for it (or a mesh-wide one in istio-system), or its Namespace labelled ' +
    '`istio-injection: enabled` / `istio.io/rev`. Istio injects only for `y`, `yes`, `true`, `on` (any case): every other non-empty value (`false`, `no`, `0`, `disabled`) opts out and is flagged.',
  remediation: 'Remove the opt-out, or run the workload in a namespace outside the mesh with its own NetworkPolicies.',
  references: ['Istio docs: Installing the sidecar (controlling the injection policy)', 'Istio security best practices: mTLS STRICT'],
  check(obj, ctx) {
    const ns = namespaceOf(obj);
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const [where, path] of [[pod.metadata?.labels, 'labels'], [pod.metadata?.annotations, 'annotations']] as const) {
        const v = where?.[INJECT];
        // Istio injects only for y, yes, true, on (any case); any other non-empty value opts out.
        if (v === undefined || v === null || String(v) === '' || /^(y|yes|true|on)$/i.test(String(v))) continue;
        const why = strictReason(ctx.objects, ns);
        if (why) out.push({ path: `${pod.metadataPath}.${path}["${INJECT}"]`, message: `pods opt out of the sidecar (${INJECT}: ${JSON.stringify(v)}) under ${why}.` });
      }
      return out;
    }, { podsOnly: true });
  },
};
