/** Kind of the document a FirewallMatrix is evaluated as. */
export const MATRIX_KIND = 'FirewallMatrix';

export interface MatrixFlowRef {
  readonly flow: any;
  readonly path: string;
  readonly from: number;
  readonly to: number;
}

export function matrixFlows(obj: any): MatrixFlowRef[] {
  const flows = obj?.spec?.flows;
  if (!Array.isArray(flows)) return [];
  return flows.map((flow: any, i: number) => ({ flow: flow ?? {}, path: `spec.flows[${i}]`, from: Number(flow?.fromPort), to: Number(flow?.toPort) }));
}

export function matrixZones(obj: any): any[] {
  return Array.isArray(obj?.spec?.zones) ? obj.spec.zones : [];
}

export function overlaps(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** Control-plane ports that must never be reachable from everywhere. */
export const SENSITIVE_PORTS: { name: string; from: number; to: number }[] = [
  { name: 'etcd', from: 2379, to: 2380 },
  { name: 'kubelet', from: 10250, to: 10250 },
  { name: 'kube-controller-manager', from: 10257, to: 10257 },
  { name: 'kube-scheduler', from: 10259, to: 10259 },
];
