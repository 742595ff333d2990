/**
 * Configuration-file kinds `check` reads next to API objects. They are not served by the API server (no OpenAPI of a
 * Kubernetes release lists them), so they are registered here rather than derived from the served kinds.
 * SOURCE: the component config API references — kubelet.config.k8s.io/v1beta1 (kubernetes/kubelet config/v1beta1),
 * kubeadm.k8s.io/v1beta3 and v1beta4 (kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm), apiserver.config.k8s.io v1,
 * v1beta1 and v1alpha1 (k8s.io/apiserver pkg/apis/apiserver: EncryptionConfiguration, AuthenticationConfiguration,
 * AuthorizationConfiguration, AdmissionConfiguration) and audit.k8s.io/v1 Policy.
 */
export const CONFIG_KINDS: { readonly [apiVersion: string]: readonly string[] } = {
  'kubelet.config.k8s.io/v1beta1': ['KubeletConfiguration', 'CredentialProviderConfig'],
  'kubeadm.k8s.io/v1beta3': ['ClusterConfiguration', 'InitConfiguration', 'JoinConfiguration'],
  'kubeadm.k8s.io/v1beta4': ['ClusterConfiguration', 'InitConfiguration', 'JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration'],
  'apiserver.config.k8s.io/v1': ['EncryptionConfiguration', 'AdmissionConfiguration', 'AuthenticationConfiguration', 'AuthorizationConfiguration'],
  'apiserver.config.k8s.io/v1beta1': ['AuthenticationConfiguration', 'AuthorizationConfiguration'],
  'apiserver.config.k8s.io/v1alpha1': ['AuthenticationConfiguration', 'AuthorizationConfiguration', 'AdmissionConfiguration'],
  'audit.k8s.io/v1': ['Policy'],
};

/** True for a registered configuration-file kind. */
export function isConfigKind(apiVersion: unknown, kind: unknown): boolean {
  return typeof apiVersion === 'string' && typeof kind === 'string' && (CONFIG_KINDS[apiVersion] ?? []).includes(kind);
}
