import { IRule, Severity, Stride } from '../../types';
import { kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { CIS, onKubelet } from './kubelet-util';

export const kubeletReadOnlyPort: IRule = {
  id: 'kubelet-read-only-port',
  title: 'The kubelet read-only port is off (readOnlyPort: 0)',
  stride: [Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'The read-only port (historically 10255) serves pod specs, environment and metrics without any ' +
    'authentication or authorization. The config-file default is 0 (off); any other number opens it. A string ' +
    '(`"10255"`) makes the kubelet refuse the file and fails too.',
  remediation: 'Set readOnlyPort: 0 (or leave it out); scrape metrics from the authenticated port 10250.',
  references: [`${CIS} 4.2.4 (read-only-port 0)`],
  peers: [],
  threats: ['I4-exposed-control-plane-and-nodes', 'E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const port = kubeletValue(obj, 'readOnlyPort');
    if (port.value === 0) return [];
    return [{ path: 'readOnlyPort', message: typeof port.value === 'number'
      ? `readOnlyPort is ${port.value}: pod specs and metrics are served without authentication.`
      : `readOnlyPort is ${JSON.stringify(port.value)}, not a number: the kubelet refuses to start with this file.` }];
  }),
};
