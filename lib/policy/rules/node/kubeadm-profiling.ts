import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { goBool, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { COMPONENT_NAME, componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

export const kubeadmProfiling: IRule = {
  id: 'kubeadm-profiling',
  title: 'kube-apiserver, kube-controller-manager and kube-scheduler serve no profiling endpoints',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: '--profiling defaults to true in all three components (kubeadm keeps it): /debug/pprof exposes memory ' +
    'contents and lets a caller with access run expensive CPU profiles. Each component needs profiling=false (Go boolean ' +
    'spellings; the last extraArgs occurrence wins).',
  remediation: 'Set profiling: "false" in apiServer, controllerManager and scheduler extraArgs.',
  references: [`${CIS} 1.2.15, 1.3.2, 1.4.1 (profiling false)`],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const out: RuleViolation[] = [];
    for (const c of ['apiServer', 'controllerManager', 'scheduler']) {
      const p = componentFlags(obj, c).scalar('profiling');
      if (goBool(p.value) !== false) out.push({ path: p.path, message: `${COMPONENT_NAME[c]} profiling is ${p.explicit ? JSON.stringify(p.value) : 'not set (default true)'}.` });
    }
    return out;
  }),
};
