import { IRule, Severity, Stride } from '../../types';
import { kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { CIS, onKubelet } from './kubelet-util';

export const kubeletAuthorization: IRule = {
  id: 'kubelet-authorization',
  title: 'The kubelet authorizes requests through the API server (Webhook, not AlwaysAllow)',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'With `authorization.mode: AlwaysAllow` every authenticated (or anonymous) caller may exec into any pod of ' +
    'the node. The kubelet accepts exactly `Webhook` and `AlwaysAllow`; a missing mode defaults to Webhook (config file ' +
    'v1beta1), any other spelling (`webhook`, `RBAC`) makes the kubelet refuse to start and fails too.',
  remediation: 'Set authorization.mode: Webhook (or leave it out).',
  references: [`${CIS} 4.2.2 (authorization-mode not AlwaysAllow)`, 'Kubernetes docs: Kubelet authentication/authorization'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const mode = kubeletValue(obj, 'authorization.mode');
    if (mode.value === 'Webhook') return [];
    const path = 'authorization.mode';
    if (mode.value === 'AlwaysAllow') return [{ path, message: 'authorization.mode is AlwaysAllow: every caller may use the whole kubelet API (exec, logs, pods).' }];
    return [{ path, message: `authorization.mode is ${JSON.stringify(mode.value)}: the kubelet accepts only Webhook or AlwaysAllow and refuses to start.` }];
  }),
};
