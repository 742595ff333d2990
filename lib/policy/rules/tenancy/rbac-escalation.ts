import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { list, RBAC_KINDS, rbacRules } from './rbac-util';

const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];
const ESCALATION_RESOURCES = ['pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token', 'nodes/proxy'];

export const rbacEscalation: IRule = {
  id: 'rbac-escalation',
  title: 'No privilege-escalation verbs or resources in RBAC rules',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: RBAC_KINDS,
  description: '`escalate` and `bind` let a subject grant permissions it does not hold; `impersonate` lets it act as any ' +
    'user, group or service account; create on pods/exec, pods/attach, pods/portforward, serviceaccounts/token or ' +
    'nodes/proxy runs code as, or mints credentials of, other workloads.',
  remediation: 'Remove these verbs and resources; grant exec or port-forward only to break-glass roles, with a waiver that names the owner and expires.',
  references: ['CIS Kubernetes Benchmark 5.1.8: Limit use of the Bind, Impersonate and Escalate permissions', 'Kubernetes docs: RBAC good practices (privilege escalation risks)'],
  check(obj) {
    const out: RuleViolation[] = [];
    for (const { rule, path } of rbacRules(obj)) {
      const verbs = list(rule.verbs);
      const bad = verbs.filter(v => ESCALATION_VERBS.includes(v));
      if (bad.length > 0) out.push({ path: `${path}.verbs`, message: `grants ${JSON.stringify(bad)}.` });
      const resources = list(rule.resources).filter(r => ESCALATION_RESOURCES.includes(r));
      const writes = verbs.filter(v => ['create', 'get', '*'].includes(v));
      if (resources.length > 0 && writes.length > 0) {
        out.push({ path: `${path}.resources`, message: `grants ${JSON.stringify(writes)} on ${JSON.stringify(resources)}.` });
      }
    }
    return out;
  },
};
