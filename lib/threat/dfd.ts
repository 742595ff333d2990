/**
 * The data-flow diagram of a threat model: external entities, processes and data stores in trust boundaries
 * (internet / cloud / cluster / control plane / node / namespace), and the flows the manifests allow, computed by the
 * NetworkPolicy reach evaluator (reach.ts over lib/semantics/netreach) and the RBAC evaluator (Secret readers), labelled
 * with protocol, TLS and authentication where the manifests say so.
 */
import { containersOf, namespaceOf, podSpecsOf } from '../kube/manifest';
import { labelSelectorMatches } from '../semantics/rbac/roles';
import { PodReach, PeerSummary } from './reach';

/** A trust boundary. */
export interface TrustBoundary {
  /** Id: `internet`, `cloud`, `cluster`, `control-plane`, `node`, `namespace:<name>`, `firewall:<name>`. */
  readonly id: string;
  /** Label. */
  readonly label: string;
  /** Enclosing boundary (namespaces, the control plane and the node are inside the cluster). @default - top level */
  readonly parent?: string;
}

/** A node of the data-flow diagram. */
export interface FlowNode {
  /** Node id. */
  readonly id: string;
  /** Label. */
  readonly label: string;
  /** Trust boundary id. */
  readonly boundary: string;
  /** `external` (entity outside the app), `process` (a workload or component) or `store` (data at rest). */
  readonly type: string;
  /** True when the node is part of this app (its objects are in the output). */
  readonly inApp: boolean;
}

/** A flow the manifests allow. */
export interface DataFlow {
  /** Source node id. */
  readonly from: string;
  /** Destination node id. */
  readonly to: string;
  /** Ports, e.g. `TCP 8080`, or `all ports`. */
  readonly ports: string;
  /** The object (or fact) that permits it, e.g. `NetworkPolicy shop/api-ingress`. */
  readonly via: string;
  /** Protocol, when the manifests say it (e.g. `HTTPS`, `gRPC`). @default - not stated */
  readonly protocol?: string;
  /** `TLS`, `mTLS` or `none`, when the manifests say it. @default - not stated */
  readonly tls?: string;
  /** How the source authenticates, when the manifests say it. @default - not stated */
  readonly auth?: string;
}

/** Secret readers, as the model computed them. */
interface Readers {
  readonly workloads: any[];
  readonly rbac: { subject: string; via: string; namespace?: string; ownWorkload: boolean }[];
}

const wid = (w: any) => `w:${namespaceOf(w)}/${w.kind}/${w.metadata?.name}`;

/** Build the diagram. @internal */
export function dataFlowDiagram(objects: any[], workloads: any[], reach: Map<any, PodReach>, secretReaders: Map<string, Readers>):
{ boundaries: TrustBoundary[]; nodes: FlowNode[]; flows: DataFlow[] } {
  const boundaries = new Map<string, TrustBoundary>();
  const nodes = new Map<string, FlowNode>();
  const flows: DataFlow[] = [];
  const boundary = (id: string, label: string, parent?: string) => {
    if (!boundaries.has(id)) boundaries.set(id, { id, label, ...(parent ? { parent } : {}) });
    return id;
  };
  const CLUSTER = 'cluster';
  const nsBoundary = (ns: string) => {
    boundary(CLUSTER, 'Cluster');
    return boundary(`namespace:${ns}`, `namespace ${ns}`, CLUSTER);
  };
  const node = (id: string, label: string, b: string, type: string, inApp = false) => {
    if (!nodes.has(id)) nodes.set(id, { id, label, boundary: b, type, inApp });
    return id;
  };
  const internet = () => node('internet', 'Internet', boundary('internet', 'Internet'), 'external');
  const cloud = () => boundary('cloud', 'Cloud provider');
  const metadata = () => node('cloud-metadata', 'cloud instance metadata 169.254.169.254', cloud(), 'external');
  const controlPlane = () => {
    boundary(CLUSTER, 'Cluster');
    return boundary('control-plane', 'Control plane', CLUSTER);
  };
  const apiServer = () => node('api-server', 'API server', controlPlane(), 'process');
  const etcd = () => node('etcd', 'etcd', controlPlane(), 'store');
  const kubelet = () => {
    boundary(CLUSTER, 'Cluster');
    return node('kubelet', 'kubelet / node network (hostNetwork pods)', boundary('node', 'Node', CLUSTER), 'process');
  };
  const anyPod = () => {
    boundary(CLUSTER, 'Cluster');
    return node('any-pod', 'any pod of any namespace', CLUSTER, 'external');
  };
  const appNamespaces = new Set(workloads.map(w => namespaceOf(w)));
  const workloadNode = (w: any) => {
    const host = reach.get(w)?.hostNetwork;
    if (host) boundary(CLUSTER, 'Cluster');
    return node(wid(w), `${w.kind} ${w.metadata?.name}${host ? ` (${namespaceOf(w)}, hostNetwork)` : ''}`, host ? boundary('node', 'Node', CLUSTER) : nsBoundary(namespaceOf(w)), 'process', true);
  };
  for (const w of workloads) workloadNode(w);

  const selected = (ns: string, sel: any) => workloads.filter(w => namespaceOf(w) === ns && labelSelectorMatches(sel ?? {}, podLabels(w)));
  /** Nodes a peer stands for. */
  const peerNodes = (p: PeerSummary, direction: 'ingress' | 'egress'): string[] => {
    switch (p.kind) {
      case 'everyone':
        return direction === 'egress' ? [anyPod(), internet(), ...(p.metadata ? [metadata()] : [])] : [anyPod()];
      case 'internet':
        return [internet(), ...(p.metadata ? [metadata()] : [])];
      case 'cidr':
        return [p.metadata ? metadata() : node(`cidr:${p.label}`, p.label, boundary('external-network', 'External network'), 'external')];
      case 'pods':
      case 'namespaces': {
        if (!p.namespaces) return [node(`ns:${p.label}`, p.label, CLUSTER, 'external')];
        return p.namespaces.flatMap(ns => {
          if (appNamespaces.has(ns)) {
            const m = selected(ns, p.podSelector);
            if (m.length > 0) return m.map(workloadNode);
          }
          return [node(`ns:${ns}:${JSON.stringify(p.podSelector ?? {})}`, `${p.podSelector ? `pods ${JSON.stringify(p.podSelector.matchLabels ?? p.podSelector)} of ` : 'pods of '}namespace ${ns}`, nsBoundary(ns), 'external')];
        });
      }
    }
  };

  for (const w of workloads) {
    const r = reach.get(w)!;
    const me = workloadNode(w);
    const pods = podSpecsOf(w);
    if (r.hostNetwork) {
      flows.push({ from: me, to: anyPod(), ports: 'all ports', via: 'hostNetwork: NetworkPolicies do not apply' });
      flows.push({ from: me, to: metadata(), ports: 'all ports', via: 'hostNetwork: the node\'s network' });
      flows.push({ from: me, to: internet(), ports: 'all ports', via: 'hostNetwork: the node\'s network' });
    } else {
      for (const p of r.ingress.peers) {
        for (const from of peerNodes(p, 'ingress')) if (from !== me || p.kind !== 'everyone') flows.push({ from, to: me, ports: p.ports, via: p.via === 'not isolated' ? 'ingress not isolated' : `NetworkPolicy ${p.via}` });
      }
      for (const p of r.egress.peers) {
        for (const to of peerNodes(p, 'egress')) flows.push({ from: me, to, ports: p.ports, via: p.via === 'not isolated' ? 'egress not isolated' : `NetworkPolicy ${p.via}` });
      }
      flows.push({ from: kubelet(), to: me, ports: 'probe ports', via: 'node-local traffic (kubelet probes, hostNetwork pods) is always allowed by NetworkPolicy' });
    }
    const privileged = pods.some(p => p.spec?.hostPID || p.spec?.hostIPC || (p.spec?.volumes ?? []).some((v: any) => v?.hostPath) ||
      containersOf(p).some(c => c.container?.securityContext?.privileged === true));
    if (privileged) flows.push({ from: me, to: kubelet(), ports: 'host', via: 'privileged, hostPath or host namespaces: the pod controls its node' });
    const token = pods.some(p => p.spec?.automountServiceAccountToken !== false);
    const sa = pods[0]?.spec?.serviceAccountName ?? 'default';
    if (token) flows.push({ from: me, to: apiServer(), ports: 'TCP 443', via: 'mounted ServiceAccount token', protocol: 'HTTPS', tls: 'TLS', auth: `ServiceAccount token ${namespaceOf(w)}/${sa}` });
    const pullSecrets = pods.flatMap(p => (p.spec?.imagePullSecrets ?? []).map((s: any) => s?.name)).filter(Boolean);
    for (const reg of new Set(imagesOf(w).map(registryOf))) {
      const reg_ = node(`registry:${reg}`, `registry ${reg}`, boundary('internet', 'Internet'), 'external');
      flows.push({ from: kubelet(), to: reg_, ports: 'TCP 443', via: `image pull for ${w.kind} ${w.metadata?.name}`, protocol: 'HTTPS', tls: 'TLS',
        auth: pullSecrets.length > 0 ? `imagePullSecrets ${pullSecrets.join(', ')}` : 'node credentials or anonymous' });
    }
  }

  for (const svc of objects.filter(o => o.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(o.spec?.type))) {
    const ns = namespaceOf(svc);
    const selected = workloads.filter(x =>
      namespaceOf(x) === ns && svc.spec?.selector && Object.entries(svc.spec.selector).every(([k, v]) => podLabels(x)[k] === v));
    for (const w of selected) {
      flows.push({ from: internet(), to: workloadNode(w), ports: (svc.spec?.ports ?? []).map((p: any) => `${p.protocol ?? 'TCP'} ${p.port}`).join(', '), via: `Service ${ns}/${svc.metadata?.name} (${svc.spec.type})` });
    }
  }
  for (const ing of objects.filter(o => o.kind === 'Ingress')) {
    const ns = namespaceOf(ing);
    boundary(CLUSTER, 'Cluster');
    const ctrl = node('ingress-controller', `ingress controller${ing.spec?.ingressClassName ? ` (${ing.spec.ingressClassName})` : ''}`, CLUSTER, 'process');
    const tls = Array.isArray(ing.spec?.tls) && ing.spec.tls.length > 0;
    flows.push({ from: internet(), to: ctrl, ports: tls ? 'TCP 443' : 'TCP 80', via: `Ingress ${ns}/${ing.metadata?.name}`, protocol: tls ? 'HTTPS' : 'HTTP', tls: tls ? 'TLS' : 'none' });
    const backends = new Set<string>();
    for (const rule of ing.spec?.rules ?? []) for (const p of rule?.http?.paths ?? []) if (p?.backend?.service?.name) backends.add(p.backend.service.name);
    if (ing.spec?.defaultBackend?.service?.name) backends.add(ing.spec.defaultBackend.service.name);
    for (const name of backends) {
      const svc = objects.find(o => o.kind === 'Service' && namespaceOf(o) === ns && o.metadata?.name === name);
      const selected = workloads.filter(x =>
        svc?.spec?.selector && namespaceOf(x) === ns && Object.entries(svc.spec.selector).every(([k, v]) => podLabels(x)[k] === v));
      for (const w of selected) {
        flows.push({ from: ctrl, to: workloadNode(w), ports: (svc.spec?.ports ?? []).map((p: any) => `${p.protocol ?? 'TCP'} ${p.targetPort ?? p.port}`).join(', '), via: `Ingress ${ns}/${ing.metadata?.name} → Service ${name}`, protocol: 'HTTP' });
      }
    }
  }

  for (const [id, readers] of secretReaders) {
    const [ns, name] = id.slice('secret:'.length).split(/\/(.*)/s);
    const store = node(`s:${ns}/${name}`, `Secret ${name}`, nsBoundary(ns), 'store', true);
    for (const w of readers.workloads) flows.push({ from: store, to: workloadNode(w), ports: '-', via: 'mounted or referenced by the pod (kubelet)' });
    for (const r of readers.rbac) {
      const from = r.namespace ? node(`sa:${r.subject}`, r.subject, nsBoundary(r.namespace), r.ownWorkload ? 'process' : 'external') : node(`subject:${r.subject}`, r.subject, boundary('internet', 'Internet'), 'external');
      flows.push({ from: store, to: from, ports: 'TCP 443', via: `read through the API server (${r.via})`, protocol: 'HTTPS', tls: 'TLS', auth: r.subject });
    }
  }
  const external = objects.filter(o => o.kind === 'ExternalSecret' || o.kind === 'SecretProviderClass');
  if (external.length > 0) {
    const sm = node('secrets-manager', 'Secrets Manager / external secret store', cloud(), 'external');
    for (const o of external) {
      const ns = namespaceOf(o);
      const target = o.kind === 'ExternalSecret' ? `s:${ns}/${o.spec?.target?.name ?? o.metadata?.name}` : `s:${ns}/csi:${o.metadata?.name}`;
      if (nodes.has(target)) {
        flows.push({ from: sm, to: target, ports: 'TCP 443', via: `${o.kind} ${ns}/${o.metadata?.name}`, protocol: 'HTTPS', tls: 'TLS',
          auth: o.kind === 'ExternalSecret' ? `SecretStore ${o.spec?.secretStoreRef?.kind ?? 'SecretStore'} ${o.spec?.secretStoreRef?.name ?? ''}`.trim() : `provider ${o.spec?.provider ?? ''}`.trim() });
      }
    }
  }
  const enc = objects.filter(o => o.kind === 'EncryptionConfiguration');
  if (enc.length > 0) {
    const kms = node('kms', 'KMS', cloud(), 'external');
    flows.push({ from: apiServer(), to: kms, ports: '-', via: 'EncryptionConfiguration (KMS provider: envelope encryption of Secrets)', protocol: 'gRPC (KMS plugin)' });
    flows.push({ from: apiServer(), to: etcd(), ports: 'TCP 2379', via: 'the API server stores objects', protocol: 'gRPC', tls: 'mTLS', auth: 'client certificate' });
  }
  for (const m of objects.filter(o => o.kind === 'FirewallMatrix')) {
    const b = boundary(`firewall:${m.metadata?.name ?? ''}`, `firewall ${m.metadata?.name ?? ''}`.trim());
    const zone = (z: string) => node(`zone:${z}`, `zone ${z}`, b, 'process');
    for (const f of m.spec?.flows ?? []) {
      const range = f.toPort !== undefined && f.toPort !== f.fromPort ? `${f.fromPort}-${f.toPort}` : `${f.fromPort ?? ''}`;
      flows.push({ from: zone(String(f.from)), to: zone(String(f.to)), ports: `${String(f.protocol ?? 'tcp').toUpperCase()} ${range}`.trim(), via: `FirewallMatrix ${m.metadata?.name}: ${f.purpose ?? ''}`.trim() });
    }
  }
  const seen = new Set<string>();
  const unique = flows.filter(f => {
    const k = `${f.from}|${f.to}|${f.ports}|${f.via}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { boundaries: [...boundaries.values()], nodes: [...nodes.values()], flows: unique };
}

function imagesOf(o: any): string[] {
  const out = new Set<string>();
  for (const p of podSpecsOf(o)) for (const c of containersOf(p)) if (typeof c.container?.image === 'string') out.add(c.container.image);
  return [...out];
}

/** The registry host of an image reference (docker.io when none). */
function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

function podLabels(o: any): { [k: string]: string } {
  const p = podSpecsOf(o)[0];
  return (p?.metadata?.labels ?? (o.kind === 'Pod' ? o.metadata?.labels : undefined) ?? {}) as { [k: string]: string };
}
