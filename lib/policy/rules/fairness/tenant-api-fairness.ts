import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Namespaces of the system, not tenants. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** The built-in FlowSchema that puts every service account into workload-low. */
const SERVICE_ACCOUNTS_PRECEDENCE = 9000;

const isFlowControl = (o: any, kind: string) => o?.kind === kind && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('flowcontrol.apiserver.k8s.io/');
const all = (v: unknown) => Array.isArray(v) && v.includes('*');

/** Why a FlowSchema does not bound every request of the namespace's service accounts, or undefined when it does. */
function problemOf(fs: any, namespace: string, levels: Map<string, any>): string | undefined {
  const name = String(fs?.metadata?.name);
  const rules: any[] = Array.isArray(fs?.spec?.rules) ? fs.spec.rules : [];
  const mine = rules.filter(r => (Array.isArray(r?.subjects) ? r.subjects : []).some((s: any) =>
    s?.kind === 'ServiceAccount' && s?.serviceAccount?.namespace === namespace && s?.serviceAccount?.name === '*'));
  if (mine.length === 0) return undefined; // not about this namespace
  const precedence = fs?.spec?.matchingPrecedence ?? 1000; // API server default
  if (typeof precedence !== 'number' || precedence >= SERVICE_ACCOUNTS_PRECEDENCE) {
    return `FlowSchema "${name}" has matchingPrecedence ${JSON.stringify(precedence)}: the built-in "service-accounts" schema (${SERVICE_ACCOUNTS_PRECEDENCE}) matches the service accounts first.`;
  }
  const covers = mine.some(r => (Array.isArray(r.resourceRules) ? r.resourceRules : []).some((rr: any) =>
    all(rr?.verbs) && all(rr?.apiGroups) && all(rr?.resources) && all(rr?.namespaces) && rr?.clusterScope === true));
  if (!covers) return `FlowSchema "${name}" does not match every request of the service accounts (resourceRules with verbs, apiGroups, resources and namespaces "*" and clusterScope true): the rest falls into the shared levels.`;
  const levelName = fs?.spec?.priorityLevelConfiguration?.name;
  const level = levels.get(String(levelName));
  if (levelName === 'exempt') return `FlowSchema "${name}" uses the exempt priority level: no bound at all.`;
  if (!level) return `FlowSchema "${name}" names PriorityLevelConfiguration "${levelName}", which is not in the evaluated set: its bound cannot be shown.`;
  if (level?.spec?.type !== 'Limited') return `PriorityLevelConfiguration "${levelName}" is of type ${JSON.stringify(level?.spec?.type ?? null)}, not Limited: no bound.`;
  return '';
}

export const tenantApiFairness: IRule = {
  id: 'tenant-api-fairness',
  title: 'Each tenant namespace has its own bounded API Priority and Fairness level (when the profile requires it)',
  stride: [Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['Namespace'],
  description: 'Without a FlowSchema of its own, every service account of every tenant shares the built-in workload-low ' +
    'priority level: one tenant\'s runaway controller or list loop queues out the others. With requireApiFairness in the ' +
    'profile, each Namespace of the evaluated set (system namespaces aside) needs a FlowSchema (flowcontrol.apiserver.k8s.io) ' +
    'with a ServiceAccount subject {namespace: <it>, name: "*"}, a resourceRule matching every verb, group, resource, ' +
    `namespace and cluster scope, matchingPrecedence below ${SERVICE_ACCOUNTS_PRECEDENCE} (the built-in service-accounts ` +
    'schema would match first; unset is 1000), naming a PriorityLevelConfiguration of the set of type Limited (never exempt).',
  remediation: 'Give the IsolatedNamespace `apiFairness: {}` (FlowSchema and PriorityLevelConfiguration tenant-<name>), or write them.',
  references: ['Kubernetes docs: API Priority and Fairness', 'Seed: control-plane denial of service between tenants'],
  peers: [],
  threats: ['D3-control-plane-denial-of-service'],
  admission: { notGenerated: 'cross-object: needs the FlowSchemas and PriorityLevelConfigurations of the cluster' },
  check(obj, ctx) {
    if (!ctx.settings.requireApiFairness) return [];
    const ns = obj?.metadata?.name;
    if (typeof ns !== 'string' || SYSTEM_NAMESPACES.includes(ns)) return [];
    const levels = new Map<string, any>(ctx.objects.filter(o => isFlowControl(o, 'PriorityLevelConfiguration')).map(o => [String(o?.metadata?.name), o]));
    const problems: string[] = [];
    for (const fs of ctx.objects.filter(o => isFlowControl(o, 'FlowSchema'))) {
      const p = problemOf(fs, ns, levels);
      if (p === '') return [];
      if (p !== undefined) problems.push(p);
    }
    const out: RuleViolation[] = [{ path: 'metadata.name', message: problems.length > 0
      ? `namespace "${ns}" has no bounded API Priority and Fairness level: ${problems.join(' ')}`
      : `namespace "${ns}" has no FlowSchema for its service accounts: they share workload-low with every other tenant.` }];
    return out;
  },
};
