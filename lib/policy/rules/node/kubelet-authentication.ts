import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { field, kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { CIS, notBool, onKubelet } from './kubelet-util';

export const kubeletAuthentication: IRule = {
  id: 'kubelet-authentication',
  title: 'The kubelet authenticates every request: no anonymous access, webhook tokens, client certificates',
  stride: [Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'The kubelet API (port 10250) runs commands in containers, reads logs and secrets mounted into pods. With ' +
    '`authentication.anonymous.enabled: true` any client that reaches the node is `system:anonymous`; with ' +
    '`authentication.webhook.enabled: false` service-account and OIDC tokens are not checked; without ' +
    '`authentication.x509.clientCAFile` the API server\'s client certificate is not verified. A missing field takes the ' +
    'kubelet\'s default (config file v1beta1: anonymous false, webhook true, no client CA), so a file that omits ' +
    '`clientCAFile` fails. A non-boolean value (`"false"`) makes the kubelet refuse the file and fails too.',
  remediation: 'Set authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}} ' +
    '(HardenedKubeletConfiguration writes it).',
  references: [`${CIS} 4.2.1 (anonymous-auth false)`, `${CIS} 4.2.3 (client-ca-file)`, 'Kubernetes docs: Kubelet authentication/authorization',
    'Seed: harden kubelet and control plane'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const out: RuleViolation[] = [];
    const anon = kubeletValue(obj, 'authentication.anonymous.enabled');
    if (typeof anon.value !== 'boolean') out.push(notBool('authentication.anonymous.enabled', anon.value));
    else if (anon.value) out.push({ path: 'authentication.anonymous.enabled', message: 'anonymous requests are enabled: anyone who reaches port 10250 is system:anonymous.' });
    const hook = kubeletValue(obj, 'authentication.webhook.enabled');
    if (typeof hook.value !== 'boolean') out.push(notBool('authentication.webhook.enabled', hook.value));
    else if (!hook.value) out.push({ path: 'authentication.webhook.enabled', message: 'webhook token authentication is disabled: bearer tokens are not checked with the API server.' });
    const ca = field(obj, 'authentication.x509.clientCAFile');
    if (typeof ca !== 'string' || ca.trim() === '') {
      out.push({ path: field(obj, 'authentication.x509') === undefined ? 'authentication' : 'authentication.x509', message: `authentication.x509.clientCAFile is ${ca === undefined ? 'not set' : JSON.stringify(ca)}: client certificates (the API server's) are not verified.` });
    }
    return out;
  }),
};
