import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { goBool, NODE_CONFIG_NOT_AT_ADMISSION } from './config-util';
import { componentFlags, onClusterConfig } from './kubeadm-util';
import { CIS } from './kubelet-util';

export const kubeadmServiceAccount: IRule = {
  id: 'kubeadm-service-account',
  title: 'Service-account tokens are signed, verified, looked up and issued with a stable issuer',
  stride: [Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['ClusterConfiguration'],
  description: 'kubeadm wires the service-account key pair (apiserver --service-account-key-file / ' +
    '--service-account-signing-key-file, controller-manager --service-account-private-key-file), the issuer ' +
    '(--service-account-issuer) and --root-ca-file, and per-controller credentials (--use-service-account-credentials ' +
    'true, so each controller has only its own RBAC). extraArgs that blank any of them, set service-account-lookup ' +
    'false (deleted service accounts\' tokens keep working) or use-service-account-credentials false (every controller ' +
    'runs with the controller manager\'s full rights) fail.',
  remediation: 'Leave kubeadm\'s service-account flags alone, or set them to the key files and an https issuer you control.',
  references: [`${CIS} 1.2.21-1.2.22 (service-account-lookup, service-account-key-file)`, `${CIS} 1.3.3-1.3.5 (use-service-account-credentials, service-account-private-key-file, root-ca-file)`,
    'Kubernetes docs: Service account issuer discovery'],
  peers: [],
  threats: ['S1-stolen-service-account-token', 'E6-node-and-control-plane-configuration'],
  threatEvidence: ['E6-node-and-control-plane-configuration'],
  admission: { notGenerated: NODE_CONFIG_NOT_AT_ADMISSION },
  check: onClusterConfig(obj => {
    const out: RuleViolation[] = [];
    const api = componentFlags(obj, 'apiServer');
    const cm = componentFlags(obj, 'controllerManager');
    for (const [flags, name, f] of [[api, 'kube-apiserver', 'service-account-key-file'], [api, 'kube-apiserver', 'service-account-signing-key-file'],
      [api, 'kube-apiserver', 'service-account-issuer'], [cm, 'kube-controller-manager', 'service-account-private-key-file'], [cm, 'kube-controller-manager', 'root-ca-file']] as const) {
      const v = flags.scalar(f);
      if (!v.value) out.push({ path: v.path, message: `${name} ${f} is empty.` });
    }
    const lookup = api.scalar('service-account-lookup');
    if (goBool(lookup.value) !== true) out.push({ path: lookup.path, message: `service-account-lookup is ${JSON.stringify(lookup.value)}: tokens of deleted service accounts keep working.` });
    const creds = cm.scalar('use-service-account-credentials');
    if (goBool(creds.value) !== true) out.push({ path: creds.path, message: `use-service-account-credentials is ${JSON.stringify(creds.value)}: controllers share the controller manager's rights.` });
    return out;
  }),
};
