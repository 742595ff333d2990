import { memo } from '../../../kube/cache';
import { selinuxAllowedTypes } from '../../../kube/pss-versions';
import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

function check(opts: any, path: string, who: string, allowed: string[]): RuleViolation[] {
  if (!opts || typeof opts !== 'object') return [];
  const out: RuleViolation[] = [];
  if (opts.type !== undefined && !allowed.includes(opts.type)) out.push(violation(`${path}.type`, opts.type, `${who} sets SELinux type ${JSON.stringify(opts.type)}.`));
  for (const f of ['user', 'role']) {
    if (opts[f] !== undefined && opts[f] !== '') out.push(violation(`${path}.${f}`, opts[f], `${who} sets SELinux ${f} ${JSON.stringify(opts[f])}.`));
  }
  return out;
}

/** selinuxAllowedTypes per minor version (asked for every pod; a handful of versions). */
const allowedByMinor = memo.byString<string[]>(64);

export const selinuxOptions = pssRule({
  id: 'selinux-options',
  title: 'SELinux options keep the container domain',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'SELinux',
  description: 'Setting a custom SELinux user or role, or a type other than the container types, can move the process out ' +
    'of the confined container domain (e.g. spc_t, unconfined_t). From v1.31 the type container_engine_t (for ' +
    'container engines nested in a pod) is allowed too.',
  remediation: 'Leave seLinuxOptions.user and role unset; use type container_t, container_init_t or container_kvm_t ' +
    '(container_engine_t from v1.31), or leave it unset.',
  extraReferences: ['kubernetes/pod-security-admission policy/check_seLinuxOptions.go'],
  peers: ['gatekeeper:pod-security-policy/selinux', 'kyverno:pod-security/baseline/disallow-selinux'],
  threats: ['E1-container-escape'],
}, (pod, _obj, _ctx, minor) => {
  const allowed = allowedByMinor.getOrCompute(String(minor), () => selinuxAllowedTypes(minor));
  // paths and names are built only where seLinuxOptions is set (check() passes an unset one)
  const podOpts = pod.spec.securityContext?.seLinuxOptions;
  return [
    ...(podOpts ? check(podOpts, `${pod.path}.securityContext.seLinuxOptions`, 'pod', allowed) : []),
    ...eachContainer(pod, c => {
      const opts = c.container.securityContext?.seLinuxOptions;
      return opts ? check(opts, `${c.path}.securityContext.seLinuxOptions`, `container "${c.name}"`, allowed) : undefined;
    }),
  ];
});
