import { unloggedWrites, WRITE_EXEMPTIONS } from '../../../semantics/audit';
import { IRule, Severity, Stride } from '../../types';
import { onPolicy } from './audit-util';

export const auditPolicyWritesLogged: IRule = {
  id: 'audit-policy-writes-logged',
  title: 'Audit policies log every write (create, update, patch, delete, deletecollection) at Metadata or above',
  stride: [Stride.REPUDIATION, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['Policy'],
  description: 'Every change to the cluster must leave a who/when/what record with its outcome: no write may be decided by a None ' +
    'rule, fall through every rule, or be logged by a rule that omits the ResponseComplete (the event with the response status) ' +
    'or Panic stage. Decided over every write as kube-apiserver evaluates the policy: any user and group set, any namespace, any ' +
    'resource and subresource of any group, any object name. The only writes that may go unlogged are control-plane heartbeats: ' +
    `${WRITE_EXEMPTIONS.map(e => e.why).join('; ')}.`,
  remediation: 'Narrow the None rule to the users, verbs and resources it is meant for (reads or heartbeats), keep ResponseComplete ' +
    'and Panic in omitStages, and log the remaining writes at Metadata or above (AuditPolicy: writeLevel at least Metadata).',
  references: [
    'CIS Kubernetes Benchmark 3.2.2: Ensure that the audit policy covers key security concerns',
    'Kubernetes docs: Auditing — audit policy and stages (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/)',
    'Seed: non-repudiation needs API-server audit logs',
  ],
  peers: [],
  threats: ['R1-no-audit-trail'],
  admission: { notGenerated: 'judges the API server\'s audit policy file, not an API object' },
  check: obj => onPolicy(obj, unloggedWrites),
};
