/**
 * A self-managed (kubeadm) control plane and its nodes, hardened to the CIS Kubernetes Benchmark:
 * - dist/self-managed-kubeadm.k8s.yaml — the file for `kubeadm init --config` (ClusterConfiguration v1beta4 with the CIS
 *   flags, InitConfiguration, a hardened KubeletConfiguration) plus the AuthenticationConfiguration document kube-apiserver
 *   loads (copy it to /etc/kubernetes/authn/authentication-config.yaml on each control-plane node first; kubeadm ignores
 *   it with a warning);
 * - dist/self-managed-encryption.k8s.yaml — the EncryptionConfiguration (KMS v2) the API server encrypts Secrets with;
 * - dist/self-managed-audit-policy.k8s.yaml — the audit Policy for /etc/kubernetes/audit/policy.yaml;
 * - dist/self-managed-sysctl.conf — the sysctls a kubelet with protectKernelDefaults needs (/etc/sysctl.d/90-kubelet.conf
 *   in the node image), or the kubelet refuses to start.
 * After `kubeadm init`, approve the kubelet-serving CSRs (serverTLSBootstrap), e.g. with kubelet-csr-approver.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { ApiServerEncryptionConfig, AuditPolicy, HardenedKubeadmConfig, HardenedKubeletConfiguration } from '../lib';

export function build(app: App, _aws: cdk.App): void {
  const encryption = new ApiServerEncryptionConfig(app, 'self-managed-encryption', {
    keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    region: 'eu-west-1',
  });
  new AuditPolicy(app, 'self-managed-audit-policy');
  new HardenedKubeadmConfig(app, 'self-managed-kubeadm', {
    kubernetesVersion: 'v1.36.0',
    controlPlaneEndpoint: 'k8s-api.internal.example.com:6443',
    encryptionConfig: encryption,
    kubelet: { podPidsLimit: 2048 },
  });
  fs.mkdirSync(app.outdir, { recursive: true });
  fs.writeFileSync(path.join(app.outdir, 'self-managed-sysctl.conf'), HardenedKubeletConfiguration.REQUIRED_SYSCTLS);
}
