import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';
import { mapSelects, selectorSelects } from './set-util';

const LABEL_SELECTOR_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout'];

export const workloadSelectorMatch: IRule = {
  id: 'workload-selector-match',
  title: 'Workload selectors match their own pod template labels',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'Job'],
  description: 'A controller owns the pods its selector matches. A selector that does not match the template\'s labels is ' +
    'refused by the API server (apps/v1), or — where it is accepted (Argo Rollouts, `manualSelector` Jobs) — makes the ' +
    'controller create pods forever or adopt and delete other workloads\' pods. An empty selector would claim every ' +
    'pod of the namespace. Selectors are evaluated as Kubernetes does (matchLabels AND matchExpressions).',
  remediation: 'Make `spec.selector` select `spec.template.metadata.labels` (a stable subset, e.g. app.kubernetes.io/name).',
  references: ['kube-linter mismatching-selector', 'Kubernetes docs: Deployments (selector must match .spec.template.metadata.labels)'],
  peers: ['kube-linter:mismatching-selector'],
  threats: ['D2-fragile-availability'],
  check(obj) {
    if (!judgesKindGroup('workload-selector-match', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const kind = obj?.kind;
    const spec = obj?.spec ?? {};
    if (kind === 'Rollout' && !String(obj?.apiVersion ?? '').startsWith('argoproj.io/')) return [];
    if (kind === 'Rollout' && spec.workloadRef) return [];
    if (kind === 'Job' && spec.manualSelector !== true) return []; // the API server generates the selector
    const labels = spec.template?.metadata?.labels && typeof spec.template.metadata.labels === 'object' ? spec.template.metadata.labels : {};
    const out: RuleViolation[] = [];
    if (kind === 'ReplicationController') {
      const sel = spec.selector;
      if (sel === undefined || sel === null) return []; // defaulted from the template labels
      if (typeof sel !== 'object' || Object.keys(sel).length === 0 || !mapSelects(sel, labels)) {
        out.push({ path: 'spec.selector', message: `selector ${JSON.stringify(sel)} does not match template labels ${JSON.stringify(labels)}.` });
      }
      return out;
    }
    if (!LABEL_SELECTOR_KINDS.includes(kind) && kind !== 'Job') return [];
    const sel = spec.selector;
    const empty = !sel || typeof sel !== 'object' || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
    if (empty) out.push({ path: 'spec.selector', message: `${kind} selector is missing or empty: it would claim every pod of the namespace.` });
    else if (!selectorSelects(sel, labels)) out.push({ path: 'spec.selector', message: `selector ${JSON.stringify(sel)} does not match template labels ${JSON.stringify(labels)}.` });
    return out;
  },
};
