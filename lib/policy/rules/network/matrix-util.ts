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

export { overlaps } from '../../../semantics/netreach';

/** Ports that must never be reachable from anywhere: see lib/semantics/netreach/sensitive-ports.ts. */
export { SENSITIVE_PORTS } from '../../../semantics/netreach';
