import { checkPods, containersOf } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

const INTERACTIVE = ['stdin', 'tty'];

export const containerInteractive: IRule = {
  id: 'container-interactive',
  title: 'Containers do not keep stdin or a TTY open',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.REPUDIATION],
  severity: Severity.WARNING,
  appliesTo: ['*'],
  description: '`stdin: true` or `tty: true` keeps an interactive channel into the container that anyone with ' +
    '`pods/attach` can use to type into its main process (often a shell), outside the audit trail of `exec` commands. ' +
    'Production containers need neither. Ephemeral debug containers are judged too; waive a deliberate debug session.',
  remediation: 'Remove stdin, stdinOnce and tty; use `kubectl debug` with an ephemeral container when a shell is needed.',
  references: ['gatekeeper-library general/disallowinteractive', 'Kubernetes API reference: Container.stdin, Container.tty'],
  peers: ['gatekeeper:general/disallowinteractive'],
  threats: ['E1-container-escape'],
  check(obj) {
    return checkPods(obj, pod => {
      const out: RuleViolation[] = [];
      for (const c of containersOf(pod)) {
        for (const f of INTERACTIVE) {
          if (c.container[f] === true) out.push({ path: `${c.path}.${f}`, message: `container "${c.name}" sets ${f}: true.` });
        }
      }
      return out;
    });
  },
};
