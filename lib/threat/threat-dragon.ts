/**
 * Export to OWASP Threat Dragon v2 (https://github.com/OWASP/threat-dragon): one STRIDE diagram with a trust-boundary
 * box per boundary, a process / store / actor per node, a flow per data flow, and each assessment as a threat on the
 * cell of its asset. Validated against Threat Dragon's published schema (schemas/threat-dragon/, see its SOURCE.md).
 */
import { createHash } from 'crypto';
import { ThreatModelData, ThreatStatus } from './model';
import { AssetKind } from './threats';

/** Threat Dragon version the export declares. */
export const THREAT_DRAGON_VERSION = '2.3.0';

const uuid = (s: string): string => {
  const h = createHash('sha1').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const NODE_W = 160;
const NODE_H = 70;
const GAP = 30;
const PER_ROW = 3;

const SHAPES: { [type: string]: { shape: string; type: string } } = {
  process: { shape: 'process', type: 'tm.Process' },
  store: { shape: 'store', type: 'tm.Store' },
  external: { shape: 'actor', type: 'tm.Actor' },
};

/** The model as a Threat Dragon v2 document. @internal */
export function toThreatDragon(m: ThreatModelData): any {
  // Cells for assets that have no node in the diagram (namespaces, permissions, Services, the cluster).
  const nodes = [...m.nodes];
  const cellOfAsset = new Map<string, string>();
  for (const a of m.assets) {
    let id: string | undefined;
    if (a.kind === AssetKind.WORKLOAD) id = `w:${a.id.slice('workload:'.length)}`;
    else if (a.kind === AssetKind.SECRET) id = `s:${a.id.slice('secret:'.length)}`;
    else if (a.kind === AssetKind.CLUSTER) id = 'api-server';
    if (id && !nodes.some(n => n.id === id)) id = undefined;
    if (!id) {
      id = `asset:${a.id}`;
      const boundary = a.kind === AssetKind.CLUSTER ? 'control-plane' : a.namespace ? `namespace:${a.namespace}` : 'cluster';
      nodes.push({ id, label: a.name, boundary: m.boundaries.some(b => b.id === boundary) ? boundary : 'cluster', type: a.kind === AssetKind.PERMISSION ? 'store' : 'process', inApp: true });
    }
    cellOfAsset.set(a.id, id);
  }
  const boundaryIds = [...new Set([...m.boundaries.map(b => b.id), ...nodes.map(n => n.boundary)])];
  const label = (id: string) => m.boundaries.find(b => b.id === id)?.label ?? id;

  // Layout: top-level boundaries left to right; boundaries inside the cluster left to right within it.
  const cells: any[] = [];
  const pos = new Map<string, { x: number; y: number }>();
  const boxOf = (id: string) => {
    const members = nodes.filter(n => n.boundary === id);
    const rows = Math.max(1, Math.ceil(members.length / PER_ROW));
    const cols = Math.max(1, Math.min(PER_ROW, members.length));
    return { w: cols * (NODE_W + GAP) + GAP, h: rows * (NODE_H + GAP) + GAP + 30, members };
  };
  let x = 40;
  const top = boundaryIds.filter(id => !m.boundaries.find(b => b.id === id)?.parent);
  for (const id of top) {
    const children = boundaryIds.filter(c => m.boundaries.find(b => b.id === c)?.parent === id);
    const own = boxOf(id);
    let cx = x + GAP;
    const childY = 40 + own.h;
    let childH = 0;
    for (const c of children) {
      const box = boxOf(c);
      place(c, cx, childY, box);
      cx += box.w + GAP;
      childH = Math.max(childH, box.h);
    }
    const w = Math.max(own.w, cx - x);
    const h = own.h + (children.length > 0 ? childH + GAP * 2 : 0);
    place(id, x, 40, { ...own, w, h });
    x += w + GAP * 2;
  }
  function place(id: string, bx: number, by: number, box: { w: number; h: number; members: typeof nodes }) {
    cells.push({
      id: uuid(`boundary:${id}`), shape: 'trust-boundary-box', zIndex: -1, visible: true,
      position: { x: bx, y: by }, size: { width: box.w, height: box.h },
      attrs: { label: { text: label(id) } },
      data: { type: 'tm.BoundaryBox', name: label(id), description: '', isTrustBoundary: true, hasOpenThreats: false },
    });
    box.members.forEach((n, i) => pos.set(n.id, { x: bx + GAP + (i % PER_ROW) * (NODE_W + GAP), y: by + 30 + GAP + Math.floor(i / PER_ROW) * (NODE_H + GAP) }));
  }

  let number = 0;
  const threatsOf = (nodeId: string) => {
    const assetIds = [...cellOfAsset.entries()].filter(([, c]) => c === nodeId).map(([a]) => a);
    return m.assessments.filter(a => assetIds.includes(a.assetId)).map(a => {
      const t = m.threats.find(x => x.id === a.threatId)!;
      const detail = [
        ...a.findings.map(f => `${f.ruleId} on ${f.object}: ${f.message}`),
        ...a.gaps,
        ...a.acceptedRisks.map(r => `accepted: ${r.ruleId} on ${r.object}, owner ${r.owner}, approver ${r.approver}, expires ${r.expires}: ${r.reason}`),
        ...a.assumptions.map(id => `assumes ${id}: ${m.assumptions.find(x => x.id === id)?.text ?? ''}`),
      ];
      return {
        threatId: uuid(`${a.threatId}|${a.assetId}`),
        number: number++,
        title: `${t.id}: ${t.title}`,
        type: t.stride,
        modelType: 'STRIDE',
        status: a.status === ThreatStatus.MITIGATED ? 'Mitigated' : 'Open',
        severity: a.residualRisk.level === 'high' ? 'High' : a.residualRisk.level === 'medium' ? 'Medium' : 'Low',
        score: `${a.residualRisk.score} (${a.residualRisk.likelihood}x${a.residualRisk.impact}); ${a.status}`,
        description: `${t.description} Techniques: ${t.techniques.join(', ') || 'none'}. Status: ${a.status}.${detail.length > 0 ? ` ${detail.join(' ')}` : ''}`,
        mitigation: a.evidence.length > 0 ? a.evidence.map(e => e.text).join('; ') : (a.nextStep ?? t.nextStep),
      };
    });
  };

  let z = 1;
  for (const n of nodes) {
    const s = SHAPES[n.type] ?? SHAPES.process;
    const threats = threatsOf(n.id);
    const p = pos.get(n.id) ?? { x: 0, y: 0 };
    cells.push({
      id: uuid(`node:${n.id}`), shape: s.shape, zIndex: z++, visible: true,
      position: p, size: { width: NODE_W, height: NODE_H },
      attrs: { text: { text: n.label } },
      data: {
        type: s.type, name: n.label, description: `${n.inApp ? 'part of this app' : 'outside this app'}; trust boundary: ${label(n.boundary)}`,
        outOfScope: !n.inApp, reasonOutOfScope: n.inApp ? '' : 'not defined by this app\'s manifests',
        hasOpenThreats: threats.some(t => t.status === 'Open'), threats,
        ...(s.type === 'tm.Store' ? { isALog: false, isEncrypted: false, isSigned: false, storesCredentials: n.id.startsWith('s:'), storesInventory: false } : {}),
      },
    });
  }
  for (const f of m.flows) {
    const name = [f.ports, f.protocol, f.tls, f.auth ? `auth: ${f.auth}` : undefined].filter(Boolean).join(', ');
    cells.push({
      id: uuid(`flow:${f.from}|${f.to}|${f.ports}|${f.via}`), shape: 'flow', zIndex: z++, visible: true,
      source: { cell: uuid(`node:${f.from}`) }, target: { cell: uuid(`node:${f.to}`) },
      attrs: { line: { stroke: '#333333', strokeWidth: 1, targetMarker: { name: 'block' }, sourceMarker: { name: '' }, strokeDasharray: null } },
      labels: [name],
      data: {
        type: 'tm.Flow', name, description: `permitted by ${f.via}`, outOfScope: false, reasonOutOfScope: '', hasOpenThreats: false,
        isBidirectional: false, isEncrypted: f.tls === 'TLS' || f.tls === 'mTLS', isPublicNetwork: f.from === 'internet' || f.to === 'internet',
        protocol: f.protocol ?? '', threats: [],
      },
    });
  }
  return {
    version: THREAT_DRAGON_VERSION,
    summary: { title: m.title, owner: 'cdk8s-hardened', description: `Generated by cdk8s-hardened from ${m.objects} Kubernetes objects on ${m.date}. ${m.riskMethod}`, id: 0 },
    detail: {
      contributors: [],
      diagrams: [{
        id: 0, title: m.title, diagramType: 'STRIDE', placeholder: 'STRIDE diagram generated from the manifests', thumbnail: './public/content/images/thumbnail.stride.jpg',
        version: THREAT_DRAGON_VERSION, description: 'Trust boundaries, components and the flows the manifests allow.', cells,
      }],
      diagramTop: 1,
      reviewer: '',
      threatTop: number,
    },
  };
}
