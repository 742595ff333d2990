import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

const ALLOWED_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

function check(opts: any, path: string, who: string): RuleViolation[] {
  if (!opts || typeof opts !== 'object') return [];
  const out: RuleViolation[] = [];
  if (opts.type !== undefined && !ALLOWED_TYPES.includes(opts.type)) out.push(violation(`${path}.type`, opts.type, `${who} sets SELinux type ${JSON.stringify(opts.type)}.`));
  for (const f of ['user', 'role']) {
    if (opts[f] !== undefined && opts[f] !== '') out.push(violation(`${path}.${f}`, opts[f], `${who} sets SELinux ${f} ${JSON.stringify(opts[f])}.`));
  }
  return out;
}

export const selinuxOptions = pssRule({
  id: 'selinux-options',
  title: 'SELinux options keep the container domain',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'SELinux',
  description: 'Setting a custom SELinux user or role, or a type other than the container types, can move the process out ' +
    'of the confined container domain (e.g. spc_t, unconfined_t).',
  remediation: 'Leave seLinuxOptions.user and role unset; use type container_t, container_init_t or container_kvm_t (or unset).',
}, pod => [
  ...check(pod.spec.securityContext?.seLinuxOptions, `${pod.path}.securityContext.seLinuxOptions`, 'pod'),
  ...eachContainer(pod, c => check(c.container.securityContext?.seLinuxOptions, `${c.path}.securityContext.seLinuxOptions`, `container "${c.name}"`)),
]);
