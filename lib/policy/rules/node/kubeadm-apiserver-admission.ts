import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

/** Admission plugins that must stay on (the last three are on by default in kube-apiserver; NodeRestriction is kubeadm's). */
export const REQUIRED_ADMISSION_PLUGINS: readonly string[] = ['NodeRestriction', 'ServiceAccount', 'NamespaceLifecycle'];
/** kube-apiserver's default-on plugins among the required ones (on unless disabled). */
const DEFAULT_ON = ['ServiceAccount', 'NamespaceLifecycle'];

export const kubeadmApiserverAdmission: IRule = {
  id: 'kubeadm-apiserver-admission',
  title: 'kube-apiserver runs NodeRestriction, ServiceAccount and NamespaceLifecycle, and never AlwaysAdmit',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'NodeRestriction keeps a kubelet from editing other nodes and the pods of other nodes (a compromised node ' +
    'otherwise labels itself into any workload\'s placement); kubeadm enables it through --enable-admission-plugins, so ' +
    'an extraArgs value that replaces the flag without it turns it off. ServiceAccount and NamespaceLifecycle are on by ' +
    'default and only --disable-admission-plugins turns them off. AlwaysAdmit (deprecated) is never acceptable. Both ' +
    'flags are lists: repeated extraArgs entries append.',
  remediation: 'Keep NodeRestriction in enable-admission-plugins (e.g. NodeRestriction,EventRateLimit) and never list ' +
    'ServiceAccount, NamespaceLifecycle or NodeRestriction in disable-admission-plugins; drop AlwaysAdmit.',
  references: [`${CIS} 1.2.10 (AlwaysAdmit not set)`, `${CIS} 1.2.12-1.2.14 (ServiceAccount, NamespaceLifecycle, NodeRestriction)`],
  peers: [],
  threats: ['E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const flags = componentFlags(obj, 'apiServer');
    const out: RuleViolation[] = [];
    const on = flags.list('enable-admission-plugins');
    const off = flags.list('disable-admission-plugins');
    if (on.values.includes('AlwaysAdmit')) out.push({ path: on.path, message: 'enable-admission-plugins includes AlwaysAdmit.' });
    for (const p of REQUIRED_ADMISSION_PLUGINS) {
      if (off.values.includes(p)) out.push({ path: off.path, message: `disable-admission-plugins turns ${p} off.` });
      else if (!DEFAULT_ON.includes(p) && !on.values.includes(p)) out.push({ path: on.path, message: `enable-admission-plugins ${on.values.join(',') || '(empty)'} leaves out ${p}.` });
    }
    return out;
  }),
};
