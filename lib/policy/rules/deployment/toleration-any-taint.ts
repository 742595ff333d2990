import { checkPods } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** API groups whose DaemonSet kind runs one pod per node. */
const DAEMONSET_GROUPS = ['apps', 'extensions', 'apps.kruise.io'];

export const tolerationAnyTaint: IRule = {
  id: 'toleration-any-taint',
  title: 'Workloads do not tolerate every taint',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A toleration without a key (`operator: Exists`) matches every taint (of its effect, or of all effects), ' +
    'so the pods may be scheduled onto control-plane nodes and onto nodes dedicated to other tenants or to sensitive ' +
    'workloads, next to their credentials and data. DaemonSets are exempt: node agents (CNI, log shippers, node ' +
    'exporters) must run on every node, and they are reviewed as such.',
  remediation: 'Tolerate the specific taints of the nodes the workload is meant for (`key`, `value`, `effect`), or run a node agent as a DaemonSet.',
  references: ['Kubernetes docs: Taints and Tolerations', 'NSA/CISA Kubernetes Hardening Guidance: separate workloads (dedicated nodes)'],
  peers: [],
  threats: ['E4-shared-node-breakout'],
  check(obj) {
    // DaemonSets (apps, extensions, OpenKruise Advanced DaemonSet) run on every node by design; a "DaemonSet" of another group is judged
    if (obj?.kind === 'DaemonSet' && DAEMONSET_GROUPS.includes(String(obj?.apiVersion ?? '').split('/').slice(0, -1).join('/'))) return [];
    return checkPods(obj, pod => {
      const tolerations: any[] = pod.spec.tolerations;
      if (!Array.isArray(tolerations) || tolerations.length === 0) return []; // most pods
      const out: RuleViolation[] = [];
      tolerations.forEach((t, i) => {
        if (!t?.key && t?.operator === 'Exists') {
          out.push({
            path: `${pod.path}.tolerations[${i}]`,
            message: t.effect ? `tolerates every taint with effect ${t.effect}.` : 'tolerates every taint.',
          });
        }
      });
      return out;
    });
  },
};
