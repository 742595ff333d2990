import { IRule, Severity, Stride } from '../../types';
import { kubeletValue, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { notBool, onKubelet } from './kubelet-util';

export const kubeletProtectKernelDefaults: IRule = {
  id: 'kubelet-protect-kernel-defaults',
  title: 'The kubelet protects kernel defaults (protectKernelDefaults: true)',
  stride: [Stride.TAMPERING, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['KubeletConfiguration'],
  description: 'Without protectKernelDefaults the kubelet silently rewrites kernel tunables (vm.overcommit_memory, ' +
    'kernel.panic, kernel.panic_on_oops, vm.panic_on_oom) to the values it wants; with it, the kubelet refuses to run on ' +
    'a node whose hardened sysctls differ, so node hardening cannot be undone by the kubelet. Default false.',
  remediation: 'Set protectKernelDefaults: true and provision the sysctls the kubelet expects (vm.overcommit_memory=1, ' +
    'vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1, kernel.keys.root_maxkeys=1000000, kernel.keys.root_maxbytes=25000000) in the node image (HardenedKubeletConfiguration.REQUIRED_SYSCTLS).',
  references: ['CIS Kubernetes Benchmark v1.24 4.2.6 (protect-kernel-defaults true; not in v1.8+, kept here)', 'Seed: harden kubelet and control plane'],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onKubelet(obj => {
    const v = kubeletValue(obj, 'protectKernelDefaults');
    if (typeof v.value !== 'boolean') return [notBool('protectKernelDefaults', v.value)];
    return v.value ? [] : [{ path: 'protectKernelDefaults', message: `protectKernelDefaults is ${v.explicit ? 'false' : 'not set (default false)'}: the kubelet overrides kernel hardening.` }];
  }),
};
