import { IRule, Severity, Stride } from '../../types';
import { kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { notBool, onKubelet } from './kubelet-util';

export const kubeletSeccompDefault: IRule = {
  id: 'kubelet-seccomp-default',
  title: 'The kubelet runs every container with the RuntimeDefault seccomp profile unless a pod asks otherwise',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.WARNING,
  appliesTo: ['KubeletConfiguration'],
  description: 'Without seccompDefault (default false) a pod that sets no seccomp profile runs Unconfined: every syscall, ' +
    'including the ones most kernel exploits need. The pod-security rules refuse such pods in manifests the library ' +
    'judges; seccompDefault covers the pods it never sees (other tools, static pods, operators). A warning: a workload ' +
    'that needs a blocked syscall must then declare its profile.',
  remediation: 'Set seccompDefault: true.',
  references: ['CIS Kubernetes Benchmark v1.9 5.7.2 (seccomp profile RuntimeDefault)', 'Kubernetes docs: Seccomp (enable RuntimeDefault as the default for all workloads)'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const v = kubeletValue(obj, 'seccompDefault');
    if (typeof v.value !== 'boolean') return [notBool('seccompDefault', v.value)];
    return v.value ? [] : [{ path: 'seccompDefault', message: `seccompDefault is ${v.explicit ? 'false' : 'not set (default false)'}: pods without a profile run Unconfined.` }];
  }),
};
