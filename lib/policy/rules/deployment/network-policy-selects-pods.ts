import { namespaceOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { candidatesAmong, podsIn, selectorSelects } from './set-util';

function isEmptySelector(s: any): boolean {
  return !s || typeof s !== 'object' || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

export const networkPolicySelectsPods: IRule = {
  id: 'network-policy-selects-pods',
  title: 'NetworkPolicies and their pod peers select pods of the set',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE],
  severity: Severity.INFO,
  appliesTo: ['NetworkPolicy'],
  description: 'A NetworkPolicy whose podSelector matches no pod of its namespace in the evaluated set protects nothing — ' +
    'usually a label typo that leaves the intended pods open. A `from`/`to` peer with only a podSelector (same ' +
    'namespace) that matches no pod allows nothing today, and allows whoever later creates pods with those labels. ' +
    'Empty selectors (every pod) and peers with a namespaceSelector (other namespaces, not in the set) are not judged, ' +
    'nor policies of a namespace with no pod in the evaluated set (its workloads are deployed elsewhere, e.g. policies ' +
    'from a FirewallMatrix chart). Information, not a warning: whether a selector dangles depends on the evaluated set ' +
    'holding every workload, which a chart (e.g. a FirewallMatrix declaring zones of other charts\' pods) often does not.',
  remediation: 'Fix the labels so the policy and its peers select the intended pods.',
  references: ['kube-linter dangling-networkpolicy, dangling-networkpolicypeer-podselector', 'Kubernetes docs: Network Policies'],
  peers: ['kube-linter:dangling-networkpolicy', 'kube-linter:dangling-networkpolicypeer-podselector'],
  threats: ['I3-lateral-movement'],
  admission: { notGenerated: 'cross-object: needs the pods of the namespace' },
  check(obj, ctx) {
    if (!judgesKindGroup('network-policy-selects-pods', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const ns = namespaceOf(obj);
    const pods = podsIn(ctx.objects, ns);
    if (pods.length === 0) return []; // the namespace's workloads are deployed elsewhere: nothing to compare with
    const any = (sel: any) => candidatesAmong(pods, sel?.matchLabels).some(p => selectorSelects(sel, p.labels));
    const spec = obj?.spec ?? {};
    if (!isEmptySelector(spec.podSelector) && !any(spec.podSelector)) {
      out.push({ path: 'spec.podSelector', message: `podSelector ${JSON.stringify(spec.podSelector)} matches no pod in namespace "${ns}" of the evaluated set.` });
    }
    for (const [dir, field] of [['ingress', 'from'], ['egress', 'to']] as const) {
      (Array.isArray(spec[dir]) ? spec[dir] : []).forEach((rule: any, i: number) => {
        (Array.isArray(rule?.[field]) ? rule[field] : []).forEach((peer: any, j: number) => {
          if (!peer || peer.namespaceSelector !== undefined || peer.ipBlock !== undefined || isEmptySelector(peer.podSelector)) return;
          if (!any(peer.podSelector)) out.push({ path: `spec.${dir}[${i}].${field}[${j}].podSelector`, message: `peer podSelector ${JSON.stringify(peer.podSelector)} matches no pod in namespace "${ns}" of the evaluated set.` });
        });
      });
    }
    return out;
  },
};
