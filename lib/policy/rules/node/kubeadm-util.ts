import { IRule, RuleViolation } from '../../types';
import { Flags, isKubeadm } from './config-util';

/**
 * The flags kubeadm gives each control-plane component before extraArgs replace them by name (only the ones the rules
 * read; paths for the default certificatesDir /etc/kubernetes/pki).
 * SOURCE: kubernetes/kubernetes cmd/kubeadm/app/phases/controlplane/manifests.go (getAPIServerCommand,
 * getControllerManagerCommand, getSchedulerCommand) and cmd/kubeadm/app/phases/etcd/local.go (getEtcdCommand), kubeadm
 * 1.28-1.36. Flags kubeadm does not set take the component's own default: kube-apiserver --anonymous-auth true,
 * --profiling true (all three components), no --tls-min-version / --tls-cipher-suites, no --kubelet-certificate-authority,
 * no --encryption-provider-config, --service-account-lookup true.
 */
export const KUBEADM_DEFAULT_FLAGS: { readonly [component: string]: { readonly [flag: string]: string } } = {
  'apiServer': {
    'anonymous-auth': 'true',
    'authorization-mode': 'Node,RBAC',
    'enable-admission-plugins': 'NodeRestriction',
    'profiling': 'true',
    'service-account-key-file': '/etc/kubernetes/pki/sa.pub',
    'service-account-signing-key-file': '/etc/kubernetes/pki/sa.key',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-lookup': 'true',
    'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    'tls-cert-file': '/etc/kubernetes/pki/apiserver.crt',
    'tls-private-key-file': '/etc/kubernetes/pki/apiserver.key',
    'kubelet-client-certificate': '/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    'kubelet-client-key': '/etc/kubernetes/pki/apiserver-kubelet-client.key',
    'etcd-cafile': '/etc/kubernetes/pki/etcd/ca.crt',
    'etcd-certfile': '/etc/kubernetes/pki/apiserver-etcd-client.crt',
    'etcd-keyfile': '/etc/kubernetes/pki/apiserver-etcd-client.key',
  },
  'controllerManager': {
    'bind-address': '127.0.0.1',
    'profiling': 'true',
    'use-service-account-credentials': 'true',
    'service-account-private-key-file': '/etc/kubernetes/pki/sa.key',
    'root-ca-file': '/etc/kubernetes/pki/ca.crt',
  },
  'scheduler': {
    'bind-address': '127.0.0.1',
    'profiling': 'true',
  },
  'etcd.local': {
    'cert-file': '/etc/kubernetes/pki/etcd/server.crt',
    'key-file': '/etc/kubernetes/pki/etcd/server.key',
    'trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'client-cert-auth': 'true',
    'peer-cert-file': '/etc/kubernetes/pki/etcd/peer.crt',
    'peer-key-file': '/etc/kubernetes/pki/etcd/peer.key',
    'peer-trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'peer-client-cert-auth': 'true',
    'auto-tls': 'false',
    'peer-auto-tls': 'false',
  },
};

/** The flags of a component of a kubeadm ClusterConfiguration, kubeadm's defaults included. */
export function componentFlags(obj: any, component: string): Flags {
  return new Flags(obj, component, KUBEADM_DEFAULT_FLAGS[component] ?? {});
}

/**
 * Annotation that marks a ClusterConfiguration as a patch to merge into the cluster's configuration (KubeadmAuditConfig
 * writes one). It is honoured only on an audit-only patch (see isAuditPatch): a marked document that sets anything
 * else is judged as the whole configuration it would be for kubeadm.
 */
export const KUBEADM_PATCH_ANNOTATION = 'hardened.cdk8s.io/kubeadm-patch';

/**
 * True for a ClusterConfiguration that declares itself a patch (KUBEADM_PATCH_ANNOTATION) and holds nothing but
 * kube-apiserver audit flags (`audit-*`) and volumes: it changes nothing the control-plane rules judge, so they judge the
 * configuration it is merged into instead. Any other field, flag or volume makes it a configuration like any other.
 */
export function isAuditPatch(obj: any): boolean {
  if (obj?.metadata?.annotations?.[KUBEADM_PATCH_ANNOTATION] === undefined) return false;
  if (!Object.keys(obj).every(k => ['apiVersion', 'kind', 'metadata', 'apiServer'].includes(k))) return false;
  const api = obj.apiServer ?? {};
  if (typeof api !== 'object' || Array.isArray(api) || !Object.keys(api).every(k => k === 'extraArgs' || k === 'extraVolumes')) return false;
  const args = new Flags(obj, 'apiServer');
  const raw = api.extraArgs;
  const count = Array.isArray(raw) ? raw.length : raw && typeof raw === 'object' ? Object.keys(raw).length : 0;
  const names = args.names();
  if (names.length !== count || !names.every(n => n.startsWith('audit-'))) return false;
  const vols = Array.isArray(api.extraVolumes) ? api.extraVolumes : api.extraVolumes === undefined ? [] : undefined;
  return vols !== undefined && vols.every((v: any) => typeof v?.name === 'string' && v.name.startsWith('audit-'));
}

/** Run a check only on kubeadm.k8s.io ClusterConfiguration objects (audit-only patches excepted, see isAuditPatch). */
export function onClusterConfig(check: (obj: any) => RuleViolation[]): IRule['check'] {
  return obj => (isKubeadm(obj, 'ClusterConfiguration') && !isAuditPatch(obj) ? check(obj) : []);
}

/** Human name of a component section. */
export const COMPONENT_NAME: { readonly [section: string]: string } = {
  'apiServer': 'kube-apiserver', 'controllerManager': 'kube-controller-manager', 'scheduler': 'kube-scheduler', 'etcd.local': 'etcd',
};
