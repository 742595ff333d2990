import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { MATRIX_KIND, matrixFlows } from './matrix-util';

/** Widest range a single flow may open (the NodePort range, 30000-32767, is 2768 ports). */
export const MAX_RANGE = 2768;

export const firewallPortRange: IRule = {
  id: 'firewall-port-range',
  title: 'Flows open named ports or narrow ranges, never all ports',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'An "all ports" or very wide flow opens every service the destination runs, including the ones nobody ' +
    'listed. Each flow must be a valid port or range within 1-65535 no wider than the NodePort range (2768 ports), for TCP or UDP.',
  remediation: 'List the exact ports of the flow (one flow per service), each with its purpose.',
  references: ['Seed: do not open unnecessary ports, inside or out', 'AWS Well-Architected SEC05-BP02: control traffic at all layers'],
  peers: [],
  threats: ['I4-exposed-control-plane-and-nodes'],
  admission: { notGenerated: 'judges the FirewallMatrix (AWS security groups and NetworkPolicies as a whole), not one API object' },
  check(obj) {
    const out: RuleViolation[] = [];
    for (const f of matrixFlows(obj)) {
      const valid = Number.isInteger(f.from) && Number.isInteger(f.to) && f.from >= 1 && f.to <= 65535 && f.from <= f.to;
      if (!valid) out.push({ path: `${f.path}.fromPort`, message: `port range ${f.flow.fromPort}-${f.flow.toPort} is not within 1-65535 (from <= to).` });
      else if (f.to - f.from + 1 > MAX_RANGE) out.push({ path: `${f.path}.fromPort`, message: `range ${f.from}-${f.to} opens ${f.to - f.from + 1} ports (more than ${MAX_RANGE}).` });
      if (!['TCP', 'UDP'].includes(f.flow.protocol)) out.push({ path: `${f.path}.protocol`, message: `protocol ${JSON.stringify(f.flow.protocol)} is not TCP or UDP.` });
      if (typeof f.flow.purpose !== 'string' || f.flow.purpose.trim().length < 3) out.push({ path: `${f.path}.purpose`, message: 'flow has no purpose.' });
    }
    return out;
  },
};
