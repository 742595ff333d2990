import { IRule } from '../../types';
import { kubeadmApiserverAdmission } from './kubeadm-apiserver-admission';
import { kubeadmApiserverAnonymousAuth } from './kubeadm-apiserver-anonymous-auth';
import { kubeadmApiserverAuthorization } from './kubeadm-apiserver-authorization';
import { kubeadmApiserverTls } from './kubeadm-apiserver-tls';
import { kubeadmBindLocalhost } from './kubeadm-bind-localhost';
import { kubeadmEncryptionAtRest } from './kubeadm-encryption-at-rest';
import { kubeadmEtcdTls } from './kubeadm-etcd-tls';
import { kubeadmKubeletExtraArgs } from './kubeadm-kubelet-extra-args';
import { kubeadmProfiling } from './kubeadm-profiling';
import { kubeadmServiceAccount } from './kubeadm-service-account';
import { kubeletAuthentication } from './kubelet-authentication';
import { kubeletAuthorization } from './kubelet-authorization';
import { kubeletCertificateRotation } from './kubelet-certificate-rotation';
import { kubeletLimits } from './kubelet-limits';
import { kubeletProtectKernelDefaults } from './kubelet-protect-kernel-defaults';
import { kubeletReadOnlyPort } from './kubelet-read-only-port';
import { kubeletSeccompDefault } from './kubelet-seccomp-default';
import { kubeletTls } from './kubelet-tls';

/** Node and control-plane configuration rules (KubeletConfiguration, kubeadm). One import per rule file. */
export const NODE_RULES: IRule[] = [
  kubeletAuthentication,
  kubeletAuthorization,
  kubeletReadOnlyPort,
  kubeletProtectKernelDefaults,
  kubeletCertificateRotation,
  kubeletTls,
  kubeletSeccompDefault,
  kubeletLimits,
  kubeadmApiserverAnonymousAuth,
  kubeadmApiserverAuthorization,
  kubeadmApiserverAdmission,
  kubeadmProfiling,
  kubeadmApiserverTls,
  kubeadmEtcdTls,
  kubeadmServiceAccount,
  kubeadmEncryptionAtRest,
  kubeadmBindLocalhost,
  kubeadmKubeletExtraArgs,
];
