import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { COMPONENT_NAME, componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;

export const kubeadmBindLocalhost: IRule = {
  id: 'kubeadm-bind-localhost',
  title: 'kube-controller-manager and kube-scheduler listen on loopback only',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'kubeadm binds both components\' secure ports (10257, 10259) to 127.0.0.1; an extraArgs bind-address of ' +
    '0.0.0.0, ::, a node address or an empty value exposes their health, metrics and (with profiling) debug endpoints to ' +
    'the node network.',
  remediation: 'Leave bind-address out (kubeadm: 127.0.0.1) or set 127.0.0.1; scrape metrics through a local proxy.',
  references: [`${CIS} 1.3.7 and 1.4.2 (bind-address 127.0.0.1)`],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const out: RuleViolation[] = [];
    for (const c of ['controllerManager', 'scheduler']) {
      const v = componentFlags(obj, c).scalar('bind-address');
      if (!LOOPBACK.test(v.value ?? '')) out.push({ path: v.path, message: `${COMPONENT_NAME[c]} bind-address is ${JSON.stringify(v.value ?? '')}: not loopback.` });
    }
    return out;
  }),
};
