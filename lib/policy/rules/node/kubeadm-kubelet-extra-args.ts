import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { Flags, goBool, isKubeadm, STRONG_TLS_VERSIONS, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { goDurationSeconds } from './kubelet-limits';
import { CIS } from './kubelet-util';

/** kubelet flags that override the KubeletConfiguration, and when their value is unsafe. */
const UNSAFE: { readonly [flag: string]: (v: string) => string | undefined } = {
  'anonymous-auth': v => (goBool(v) === false ? undefined : 'anonymous requests to the kubelet API'),
  'authorization-mode': v => (v === 'Webhook' ? undefined : `authorization mode ${v}`),
  'read-only-port': v => (v === '0' ? undefined : `the unauthenticated read-only port ${v}`),
  'protect-kernel-defaults': v => (goBool(v) === true ? undefined : 'kernel defaults not protected'),
  'rotate-certificates': v => (goBool(v) === true ? undefined : 'client certificates not rotated'),
  'make-iptables-util-chains': v => (goBool(v) === true ? undefined : 'iptables utility chains not managed'),
  'tls-min-version': v => (STRONG_TLS_VERSIONS.includes(v) ? undefined : `TLS minimum ${v}`),
  'streaming-connection-idle-timeout': v => ((goDurationSeconds(v) ?? 0) > 0 ? undefined : 'idle streams never time out'),
  'event-qps': v => (Number(v) > 0 ? undefined : 'unlimited events'),
  'pod-max-pids': v => (Number(v) > 0 ? undefined : 'no PID limit per pod'),
  'client-ca-file': v => (v ? undefined : 'no client CA'),
};

export const kubeadmKubeletExtraArgs: IRule = {
  id: 'kubeadm-kubelet-extra-args',
  title: 'kubeadm nodeRegistration.kubeletExtraArgs does not override the kubelet\'s hardening',
  stride: [Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['InitConfiguration', 'JoinConfiguration'],
  description: 'kubeadm writes nodeRegistration.kubeletExtraArgs as kubelet command-line flags, and flags win over the ' +
    'KubeletConfiguration file: `anonymous-auth: "true"`, `authorization-mode: AlwaysAllow`, `read-only-port: "10255"`, ' +
    '`rotate-certificates: "false"`, a weak `tls-min-version`, `streaming-connection-idle-timeout: "0"`, `event-qps: "0"` ' +
    'or `pod-max-pids: "-1"` there undo a hardened KubeletConfiguration on that node without touching it. Both the v1beta3 ' +
    'map and the v1beta4 list are read; the last occurrence of a flag wins.',
  remediation: 'Configure the kubelet in the KubeletConfiguration document (HardenedKubeletConfiguration) and keep ' +
    'kubeletExtraArgs to node-specific values such as node-labels.',
  references: [`${CIS} 4.2.1-4.2.13 (kubelet arguments)`, 'kubeadm docs: kubeletExtraArgs override the KubeletConfiguration'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check(obj) {
    if (!isKubeadm(obj, 'InitConfiguration') && !isKubeadm(obj, 'JoinConfiguration')) return [];
    const flags = new Flags(obj, 'nodeRegistration', {}, 'kubeletExtraArgs');
    const out: RuleViolation[] = [];
    for (const [flag, judge] of Object.entries(UNSAFE)) {
      const v = flags.scalar(flag);
      if (!v.explicit) continue;
      const why = judge(v.value ?? '');
      if (why) out.push({ path: v.path, message: `kubelet flag ${flag}=${JSON.stringify(v.value)} overrides the KubeletConfiguration: ${why}.` });
    }
    return out;
  },
};
