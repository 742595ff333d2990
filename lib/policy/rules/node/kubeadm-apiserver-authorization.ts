import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

export const kubeadmApiserverAuthorization: IRule = {
  id: 'kubeadm-apiserver-authorization',
  title: 'kube-apiserver authorizes with Node and RBAC, never AlwaysAllow, and has no static token file',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: '--authorization-mode is a list flag: every extraArgs occurrence appends (`Node,RBAC` then `AlwaysAllow` is ' +
    'all three) and any AlwaysAllow authorizer allows everything. Node (kubelets limited to their own pods\' objects) and ' +
    'RBAC must be in it; kubeadm\'s default is Node,RBAC. --authorization-config (structured authorization) replaces the ' +
    'flag and is judged unevaluable (its file is not read). --token-auth-file holds static, never-expiring bearer tokens ' +
    'in clear text on the control-plane disk and must not be set.',
  remediation: 'Leave authorization-mode out (kubeadm: Node,RBAC) or set it to Node,RBAC (plus Webhook if needed); remove token-auth-file.',
  references: [`${CIS} 1.2.6-1.2.8 (authorization-mode not AlwaysAllow, includes Node and RBAC)`, `${CIS} 1.2.2 (token-auth-file not set)`],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const flags = componentFlags(obj, 'apiServer');
    const out: RuleViolation[] = [];
    const cfg = flags.scalar('authorization-config');
    if (cfg.explicit && cfg.value) {
      out.push({ path: cfg.path, message: `authorization-config ${cfg.value}: the authorizer chain is in that file, which is not judged.`, unevaluable: true });
    } else {
      const modes = flags.list('authorization-mode');
      if (modes.values.includes('AlwaysAllow')) out.push({ path: modes.path, message: `authorization-mode ${modes.values.join(',')} includes AlwaysAllow: every request is allowed.` });
      for (const m of ['Node', 'RBAC']) if (!modes.values.includes(m)) out.push({ path: modes.path, message: `authorization-mode ${modes.values.join(',') || '(empty)'} does not include ${m}.` });
    }
    const tokens = flags.scalar('token-auth-file');
    if (tokens.explicit && tokens.value) out.push({ path: tokens.path, message: `token-auth-file ${tokens.value}: static bearer tokens that never expire.` });
    return out;
  }),
};
