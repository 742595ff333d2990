/**
 * Pod annotations (and labels) that take a pod's inbound traffic, wholly or for some ports, past the mesh proxy — judged
 * by their effect as each mesh reads them, not by spelling. Documented in docs/guides/attack-surface.md.
 *
 * Istio (sidecar injector and istio-iptables, istio/istio pkg/kube/inject and tools/istio-iptables):
 * - `sidecar.istio.io/inject` (label wins over annotation): injected only for y, yes, true, on (any case);
 * - `sidecar.istio.io/interceptionMode`: only REDIRECT and TPROXY redirect inbound traffic (NONE does not; another
 *   value fails injection);
 * - `proxy.istio.io/config` (a ProxyConfig as YAML/JSON) with `interceptionMode` other than REDIRECT/TPROXY;
 * - `traffic.sidecar.istio.io/includeInboundPorts`: inbound ports redirected; only a list holding `*` redirects every
 *   port (`""` redirects none, a list of ports leaves every other port of the pod direct);
 * - `traffic.sidecar.istio.io/excludeInboundPorts`: ports never redirected;
 * - `traffic.sidecar.istio.io/excludeInterfaces`: interfaces whose traffic is never redirected;
 * - label `istio.io/dataplane-mode: none`: the pod is left out of the ambient mesh.
 *
 * Linkerd (proxy injector and proxy-init, linkerd2 pkg/k8s/labels.go):
 * - `linkerd.io/inject`: injected only for `enabled` and `ingress`;
 * - `config.linkerd.io/skip-inbound-ports`: ports whose inbound traffic skips the proxy;
 * - `config.linkerd.io/default-inbound-policy`: `all-unauthenticated`, `cluster-unauthenticated` or `audit` accept
 *   clients without a mesh identity.
 * Linkerd opaque ports (`config.linkerd.io/opaque-ports`) are still proxied with mTLS between meshed pods and under
 * the inbound policy: they only turn protocol detection off, and are not an opt-out.
 */
import * as YAML from 'yaml';

/** One way a pod takes traffic past its mesh proxy. */
export interface MeshBypass {
  /** `labels` or `annotations`. */
  readonly field: 'labels' | 'annotations';
  readonly key: string;
  readonly value: unknown;
  /** What it does, for messages. */
  readonly effect: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const items = (v: string): string[] => v.split(',').map(x => x.trim()).filter(x => x.length > 0);
const own = (o: any, k: string): unknown => (o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

const ISTIO_INJECT = 'sidecar.istio.io/inject';
const REDIRECTING = new Set(['REDIRECT', 'TPROXY']);

/** Istio opt-outs of a pod's metadata (labels and annotations). */
export function istioBypasses(metadata: any): MeshBypass[] {
  const labels = own(metadata, 'labels');
  const annotations = own(metadata, 'annotations');
  // Everything below reads annotations or these two labels: most pods (no annotations) are decided here.
  if ((!annotations || typeof annotations !== 'object') && own(labels, ISTIO_INJECT) === undefined && own(labels, 'istio.io/dataplane-mode') === undefined) return [];
  const out: MeshBypass[] = [];
  for (const [field, where] of [['labels', labels], ['annotations', annotations]] as const) {
    const v = own(where, ISTIO_INJECT);
    const s = str(v);
    if (v === undefined || s === '' || /^(y|yes|true|on)$/i.test(s ?? '')) continue;
    out.push({ field, key: ISTIO_INJECT, value: v, effect: 'no sidecar is injected' });
  }
  const a = (k: string) => str(own(annotations, k));
  const mode = a('sidecar.istio.io/interceptionMode');
  if (mode !== undefined && !REDIRECTING.has(mode)) {
    out.push({ field: 'annotations', key: 'sidecar.istio.io/interceptionMode', value: mode, effect: 'inbound traffic is not redirected to the sidecar' });
  }
  const proxyConfig = a('proxy.istio.io/config');
  if (proxyConfig !== undefined) {
    let parsed: any;
    try {
      parsed = YAML.parse(proxyConfig);
    } catch {
      parsed = undefined;
    }
    const m = own(parsed, 'interceptionMode');
    if (m !== undefined && !REDIRECTING.has(String(m))) {
      out.push({ field: 'annotations', key: 'proxy.istio.io/config', value: proxyConfig, effect: `its ProxyConfig sets interceptionMode ${JSON.stringify(m)}: inbound traffic is not redirected to the sidecar` });
    }
  }
  const include = a('traffic.sidecar.istio.io/includeInboundPorts');
  if (include !== undefined && !items(include).includes('*')) {
    out.push({
      field: 'annotations', key: 'traffic.sidecar.istio.io/includeInboundPorts', value: include,
      effect: items(include).length === 0 ? 'no inbound port is redirected to the sidecar' : 'every inbound port not listed bypasses the sidecar',
    });
  }
  for (const [key, what] of [['traffic.sidecar.istio.io/excludeInboundPorts', 'these inbound ports bypass the sidecar'], ['traffic.sidecar.istio.io/excludeInterfaces', 'traffic on these interfaces bypasses the sidecar']] as const) {
    const v = a(key);
    if (v !== undefined && items(v).length > 0) out.push({ field: 'annotations', key, value: v, effect: what });
  }
  const dataplane = str(own(labels, 'istio.io/dataplane-mode'));
  if (dataplane !== undefined && dataplane.toLowerCase() === 'none') {
    out.push({ field: 'labels', key: 'istio.io/dataplane-mode', value: dataplane, effect: 'the pod is left out of the ambient mesh' });
  }
  return out;
}

/** Inbound policies of Linkerd that accept clients without a mesh identity. */
export const LINKERD_OPEN_POLICIES = ['all-unauthenticated', 'cluster-unauthenticated', 'audit'];

/** Linkerd opt-outs of a pod's metadata (annotations). */
export function linkerdBypasses(metadata: any): MeshBypass[] {
  const out: MeshBypass[] = [];
  const annotations = own(metadata, 'annotations');
  const a = (k: string) => str(own(annotations, k));
  const inject = a('linkerd.io/inject');
  if (inject !== undefined && inject !== 'enabled' && inject !== 'ingress') {
    out.push({ field: 'annotations', key: 'linkerd.io/inject', value: inject, effect: 'no proxy is injected' });
  }
  const skip = a('config.linkerd.io/skip-inbound-ports');
  if (skip !== undefined && items(skip).length > 0) {
    out.push({ field: 'annotations', key: 'config.linkerd.io/skip-inbound-ports', value: skip, effect: 'these inbound ports skip the proxy' });
  }
  const policy = a('config.linkerd.io/default-inbound-policy');
  if (policy !== undefined && LINKERD_OPEN_POLICIES.includes(policy)) {
    out.push({ field: 'annotations', key: 'config.linkerd.io/default-inbound-policy', value: policy, effect: 'the proxy accepts clients without a mesh identity' });
  }
  return out;
}
