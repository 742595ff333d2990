import { catchAllGaps } from '../../../semantics/audit';
import { IRule, Severity, Stride } from '../../types';
import { onPolicy } from './audit-util';

export const auditPolicyCatchAll: IRule = {
  id: 'audit-policy-catch-all',
  title: 'Audit policies log every request nothing else decides (a catch-all at Metadata or above)',
  stride: [Stride.REPUDIATION],
  severity: Severity.ERROR,
  appliesTo: ['Policy'],
  description: 'A request no rule matches is not audited at all (kube-apiserver\'s default level is None), and a None rule that ' +
    'matches requests the policy names nowhere — any resource or path for an ordinary user, whatever their verb — is a catch-all ' +
    'at None: CRDs and endpoints added later leave no record of who did what. Decided over every request as kube-apiserver ' +
    'evaluates the policy (a final rule limited to userGroups system:authenticated, to some namespaces or to resources only ' +
    'leaves the rest unmatched). A logged event must keep its ResponseComplete and Panic stages.',
  remediation: 'End the rules with `- level: Metadata` (no users, userGroups, verbs, resources, namespaces or nonResourceURLs; ' +
    'omitStages at most RequestReceived/ResponseStarted), and give every None rule the users, resources or URLs it is meant for.',
  references: [
    'CIS Kubernetes Benchmark 3.2.1: Ensure that a minimal audit policy is created',
    'CIS Kubernetes Benchmark 3.2.2: Ensure that the audit policy covers key security concerns',
    'Kubernetes docs: Auditing — audit policy (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/)',
    'Seed: non-repudiation needs API-server audit logs',
  ],
  peers: [],
  threats: ['R1-no-audit-trail'],
  admission: { notGenerated: 'judges the API server\'s audit policy file, not an API object' },
  check: obj => onPolicy(obj, catchAllGaps),
};
