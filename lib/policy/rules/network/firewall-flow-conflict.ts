import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { MATRIX_KIND, matrixFlows, matrixZones, overlaps } from './matrix-util';

export const firewallFlowConflict: IRule = {
  id: 'firewall-flow-conflict',
  title: 'The matrix has unique zones and no duplicate, overlapping or dangling flows',
  stride: [Stride.TAMPERING, Stride.REPUDIATION],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'A duplicate or overlapping flow makes one rule\'s removal silently ineffective (the other still opens the port) ' +
    'and blurs who asked for what; a flow naming an unknown zone renders to nothing or to the wrong peer; a flow between two ' +
    'pods zones whose namespaces the matrix does not manage (`manageNamespace: false`) renders to nothing at all.',
  remediation: 'Declare each zone once, reference only declared zones, and merge overlapping flows into one with one purpose; ' +
    'leave flows between two namespaces the matrix does not manage to those namespaces\' own policies.',
  references: ['Seed: list every key component\'s communication matrix'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering'],
  admission: { notGenerated: 'judges the FirewallMatrix (AWS security groups and NetworkPolicies as a whole), not one API object' },
  check(obj) {
    const out: RuleViolation[] = [];
    const names = new Set<string>();
    matrixZones(obj).forEach((z: any, i: number) => {
      if (names.has(z?.name)) out.push({ path: `spec.zones[${i}].name`, message: `zone "${z?.name}" is declared twice.` });
      names.add(z?.name);
    });
    const zones = new Map(matrixZones(obj).map((z: any) => [z?.name, z]));
    const unmanaged = (name: unknown) => zones.get(name)?.kind === 'pods' && zones.get(name)?.manageNamespace === false;
    const flows = matrixFlows(obj);
    flows.forEach((f, i) => {
      for (const end of ['from', 'to']) {
        if (!names.has(f.flow[end])) out.push({ path: `${f.path}.${end}`, message: `unknown zone "${f.flow[end]}".` });
      }
      if (unmanaged(f.flow.from) && unmanaged(f.flow.to)) {
        out.push({ path: f.path, message: `${f.flow.from} -> ${f.flow.to}: both pods zones are in namespaces the matrix does not manage (manageNamespace: false), so no NetworkPolicy would be written for the flow.` });
      }
      for (let j = 0; j < i; j++) {
        const g = flows[j];
        if (g.flow.from === f.flow.from && g.flow.to === f.flow.to && g.flow.protocol === f.flow.protocol && overlaps(f, g)) {
          const same = g.from === f.from && g.to === f.to;
          out.push({ path: f.path, message: `${same ? 'duplicates' : 'overlaps'} ${g.path} (${f.flow.from} -> ${f.flow.to} ${f.flow.protocol} ${g.from}-${g.to}).` });
        }
      }
    });
    return out;
  },
};
