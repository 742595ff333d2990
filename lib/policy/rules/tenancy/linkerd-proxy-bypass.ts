import { checkPods, namespaceOf, objectsIn } from '../../../kube/manifest';
import { LINKERD_OPEN_POLICIES, linkerdBypasses } from '../../../semantics/mesh/bypass';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const CLOSED_POLICIES = ['all-authenticated', 'cluster-authenticated', 'deny'];

/** The Namespace object of `ns` in the evaluated set. */
function namespaceObject(objects: readonly any[], ns: string): any {
  return objectsIn(objects, 'Namespace', 'default').find(o => o?.metadata?.name === ns);
}

export const linkerdProxyBypass: IRule = {
  id: 'linkerd-proxy-bypass',
  title: 'Pods of a Linkerd namespace do not take inbound traffic past the proxy',
  stride: [Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'In a namespace annotated `linkerd.io/inject: enabled` (or `ingress`), the Linkerd proxy terminates mTLS and ' +
    'applies the inbound policy. Judged by effect, a pod annotation takes inbound traffic past it: `linkerd.io/inject` ' +
    'with any value but `enabled`/`ingress` (no proxy), or `config.linkerd.io/skip-inbound-ports` listing any port (those ' +
    'ports are served directly, in plaintext, to anyone). Where the Namespace sets a closed ' +
    '`config.linkerd.io/default-inbound-policy` (all-authenticated, cluster-authenticated, deny), a pod that sets an open ' +
    `one (${LINKERD_OPEN_POLICIES.join(', ')}) accepts clients without a mesh identity. Opaque ports ` +
    '(`config.linkerd.io/opaque-ports`) stay proxied, with mTLS between meshed pods and under the inbound policy, and are not flagged.',
  remediation: 'Remove the annotation (let every inbound port through the proxy under the namespace\'s policy), or run the ' +
    'workload in a namespace outside the mesh with its own NetworkPolicies; waive a port that must stay outside with its owner.',
  references: ['Linkerd docs: Proxy configuration (annotations), Authorization policy (default inbound policy)', 'NSA/CISA Kubernetes Hardening Guidance: encrypt traffic in transit'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  admission: { notGenerated: 'cross-object: needs the Namespace annotations of the mesh' },
  check(obj, ctx) {
    const ns = namespaceOf(obj);
    return checkPods(obj, pod => {
      // linkerdBypasses reads annotations only: a pod without any (most) has none
      const annotations = pod.metadata?.annotations;
      if (!annotations || typeof annotations !== 'object') return [];
      const out: RuleViolation[] = [];
      const bypasses = linkerdBypasses(pod.metadata);
      if (bypasses.length === 0) return out;
      const nsAnn = namespaceObject(ctx.objects, ns)?.metadata?.annotations ?? {};
      const meshed = nsAnn['linkerd.io/inject'] === 'enabled' || nsAnn['linkerd.io/inject'] === 'ingress';
      const closed = CLOSED_POLICIES.includes(nsAnn['config.linkerd.io/default-inbound-policy']);
      for (const b of bypasses) {
        const policy = b.key === 'config.linkerd.io/default-inbound-policy';
        if (policy ? !closed : !meshed) continue;
        const why = policy
          ? `namespace "${ns}" with default-inbound-policy ${nsAnn['config.linkerd.io/default-inbound-policy']}`
          : `namespace "${ns}" annotated linkerd.io/inject=${nsAnn['linkerd.io/inject']}`;
        out.push({ path: `${pod.metadataPath}.${b.field}["${b.key}"]`, message: `pods take traffic past the Linkerd proxy (${b.key}: ${JSON.stringify(b.value)}: ${b.effect}) in ${why}.` });
      }
      return out;
    }, { podsOnly: true });
  },
};
