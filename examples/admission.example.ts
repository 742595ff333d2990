import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { AdmissionApiVersion, AdmissionPolicies, HardenedChart, HardeningProfile } from '../lib';

/**
 * Layer 5: the catalogue enforced by the API server itself. One ValidatingAdmissionPolicy + Binding per rule that can
 * be judged on one object (Pod Security Standards v1.34 baseline + restricted, image, resource and root-filesystem
 * rules), so a `kubectl apply`, a Helm release or an operator's pods meet the same rule ids as `cdk8s synth`.
 * v1 is served from Kubernetes 1.30 on (the default kubeVersion is 1.36, which no longer serves v1beta1); for a 1.28/1.29
 * cluster set the profile's kubeVersion and use AdmissionApiVersion.V1BETA1. Waivers of the app's objects
 * that are valid today are baked in (regenerate to drop expired ones). The system namespaces (kube-system,
 * kube-public, kube-node-lease) and mirror pods are exempt by default, listed in each policy's annotation.
 */
export function build(app: App, _aws: cdk.App): void {
  const chart = new HardenedChart(app, 'admission');
  new HardeningProfile(chart, 'profile', { allowedRegistries: ['registry.example.com'], podSecurityVersion: 'v1.34' });
  new AdmissionPolicies(chart, 'policies', {
    apiVersion: AdmissionApiVersion.V1,
  });
}
