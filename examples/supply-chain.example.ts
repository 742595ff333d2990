/**
 * Signed images only: dist/supply-chain-signatures.k8s.yaml holds Sigstore policy-controller ClusterImagePolicies
 * (enforce mode) that admit the shop's images only when signed keyless by its release workflow, and nginx only with the
 * platform team's cosign key. Prerequisites: policy-controller installed and each guarded namespace labelled
 * `policy.sigstore.dev/include: "true"`. A HardeningProfile with `requireImageSignatures: true` (and `trustedSigners`,
 * which ImageSignaturePolicy then reads) makes every workload image without such a policy fail synth
 * (rule image-signature-required).
 */
import * as cdk from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { ImageSignaturePolicy } from '../lib';

export function build(app: App, _aws: cdk.App): void {
  new ImageSignaturePolicy(app, 'supply-chain-signatures', {
    signers: [
      {
        images: ['registry.example.com/shop/**'],
        keylessIssuer: 'https://token.actions.githubusercontent.com',
        keylessSubject: 'https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main',
      },
      {
        images: ['index.docker.io/library/nginx:**'],
        publicKey: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5N1X4CWo0pJkRjvDTHlXQmFGNaiGgJEcgA7R2jJqdaR1VJtFH3cBP2ZfA9TcdoT6O3SHaQ7iNBzA9xoSeYXWsw==\n-----END PUBLIC KEY-----\n',
      },
    ],
  });
}
