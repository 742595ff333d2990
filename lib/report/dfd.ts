/**
 * The threat model's data-flow diagram as SVG, rendered when the report is generated, so the page needs no renderer.
 *
 * Renderer: Graphviz (`@viz-js/viz`, its official WebAssembly build). It is DOM-free (runs in Node, no browser at
 * generation time), lays out nested clusters natively (trust boundaries become regions, nested as the model nests
 * them), and produces plain SVG with one `<g class="node">` per node. Cost: about 1.2 MB of JavaScript, loaded only
 * when an HTML report is asked for (the CLI's other paths never require it). Mermaid needs a DOM and a headless
 * browser at generation time; a hand-written layout would not route edges around regions.
 */

/** The graph the diagram draws: the threat model's nodes and flows, with optional boundaries and flow facts. */
interface DfdModel {
  readonly nodes: ReadonlyArray<{ id: string; label: string; boundary?: string; kind?: string; type?: string }>;
  readonly flows: ReadonlyArray<{ from: string; to: string; ports?: string; via?: string; protocol?: string; tls?: string;
    authentication?: string; auth?: string; label?: string; }>;
  /** Trust boundaries with an optional parent (e.g. a namespace inside the cluster). @default - one region per `boundary` value */
  readonly boundaries?: ReadonlyArray<{ id: string; label?: string; parent?: string; kind?: string }>;
}

const q = (s: string) => `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Node shape by what the node is: external entities are boxes, data stores cylinders, processes rounded boxes. */
function shapeOf(n: { id: string; kind?: string; type?: string; boundary?: string }): string {
  const k = `${n.kind ?? n.type ?? ''}`.toLowerCase();
  if (/external|entity|internet|actor/.test(k) || (!k && (n.boundary === 'external' || !n.boundary))) {
    return 'shape=box, style="filled,bold", fillcolor="#fff3cd", color="#6b4a00"';
  }
  if (/store|secret|etcd|kms|registry|data/.test(k)) return 'shape=cylinder, style=filled, fillcolor="#e3f1fb", color="#0b4f79"';
  return 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#1b1f24"';
}

/** The DOT source of the diagram. @internal */
export function dfdDot(model: DfdModel): string {
  const declared = new Map((model.boundaries ?? []).map(b => [b.id, b]));
  const used = new Set<string>();
  for (const n of model.nodes) if (n.boundary) used.add(n.boundary);
  // A boundary's ancestors are regions too.
  for (const id of [...used]) {
    let p = declared.get(id)?.parent;
    while (p && !used.has(p)) { used.add(p); p = declared.get(p)?.parent; }
  }
  const regions = [...used].filter(b => b !== 'external');
  const children = (parent: string | undefined) => regions.filter(r => (declared.get(r)?.parent ?? undefined) === parent &&
    (parent !== undefined || !declared.get(r)?.parent || !regions.includes(declared.get(r)!.parent!)));
  const lines: string[] = ['digraph dfd {', '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.35, ranksep=0.7, compound=true];',
    '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=10, color="#3d4450"];'];
  let cluster = 0;
  const emitRegion = (id: string, indent: string) => {
    const b = declared.get(id);
    lines.push(`${indent}subgraph cluster_${cluster++} {`);
    lines.push(`${indent}  label=${q(b?.label ?? id)}; style="dashed,rounded"; color="#8a1116"; fontcolor="#8a1116";`);
    for (const n of model.nodes.filter(x => x.boundary === id)) lines.push(`${indent}  ${q(n.id)} [label=${q(n.label)}, ${shapeOf(n)}];`);
    for (const c of regions.filter(r => declared.get(r)?.parent === id)) emitRegion(c, indent + '  ');
    lines.push(`${indent}}`);
  };
  for (const r of children(undefined)) emitRegion(r, '  ');
  for (const n of model.nodes.filter(x => !x.boundary || x.boundary === 'external' || !regions.includes(x.boundary))) {
    lines.push(`  ${q(n.id)} [label=${q(n.label)}, ${shapeOf({ ...n, kind: n.kind ?? n.type ?? 'external' })}];`);
  }
  const ids = new Set(model.nodes.map(n => n.id));
  const drawn = new Set<string>();
  for (const f of model.flows) {
    if (!ids.has(f.from) || !ids.has(f.to)) continue;
    const facts = [f.label ?? f.ports, f.protocol, f.tls, f.authentication ?? f.auth].filter(x => x !== undefined && x !== '');
    // The same flow permitted by several objects is one edge (the table lists each object).
    const key = JSON.stringify([f.from, f.to, facts]);
    if (drawn.has(key)) continue;
    drawn.add(key);
    lines.push(`  ${q(f.from)} -> ${q(f.to)} [label=${q(facts.join('\n'))}${f.via ? `, tooltip=${q(`permitted by ${f.via}`)}` : ''}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

let vizPromise: Promise<any> | undefined;

/** The diagram as an SVG element (no XML prolog), ready to inline in HTML. @internal */
export async function renderDfdSvg(model: DfdModel): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  vizPromise ??= require('@viz-js/viz').instance();
  const viz = await vizPromise;
  const svg: string = viz.renderString(dfdDot(model), { format: 'svg' });
  return svg.slice(svg.indexOf('<svg'))
    .replace('<svg ', '<svg role="img" aria-labelledby="dfd-title" ')
    .replace(/<title>dfd<\/title>/, '<title id="dfd-title">Data-flow diagram: trust boundaries are dashed regions, external entities are shaded boxes</title>');
}
