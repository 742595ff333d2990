import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../policy/construct-check';
import { Guard } from '../policy/guard';
import { HardeningProfile } from '../policy/profile';
import { sigstoreGlobRegExp } from '../policy/rules/supply-chain/sigstore-glob';
import { TrustedSigner } from '../policy/signers';

/** Props of an ImageSignaturePolicy. */
export interface ImageSignaturePolicyProps {
  /**
   * Who may sign which images.
   * @default - the trustedSigners of the HardeningProfile that governs this chart (an empty list is refused: a policy
   * without signers would verify nothing)
   */
  readonly signers?: TrustedSigner[];
}

/**
 * Sigstore policy-controller ClusterImagePolicies (policy.sigstore.dev/v1beta1, enforce mode), one per trusted signer:
 * images matching the signer's globs are admitted only with a signature that verifies with its key or keyless identity
 * (Fulcio certificate issuer + subject, Rekor transparency log). Cluster-scoped objects in their own chart.
 *
 * Prerequisites: policy-controller installed, and each namespace it should guard labelled
 * `policy.sigstore.dev/include: "true"` (the rule image-signature-required checks both the coverage and the label).
 */
export class ImageSignaturePolicy extends Chart {
  /** The ClusterImagePolicy objects, one per signer. */
  public readonly policies: ApiObject[];

  /** Validates the signers (from the props or the profile) and renders one ClusterImagePolicy per signer. */
  constructor(scope: Construct, id: string, props: ImageSignaturePolicyProps = {}) {
    super(scope, id);
    Guard.of(this);
    const signers = props.signers ?? HardeningProfile.resolve(this).trustedSigners ?? [];
    if (!Array.isArray(signers) || signers.length === 0) {
      fail(this, 'image-signature-required', 'props.signers', signers, 'is empty (and the profile names no trustedSigners): the policy would verify nothing.',
        'name at least one signer: { images: [\'registry.example.com/shop/**\'], keylessIssuer, keylessSubject } or { images, publicKey }.');
    }
    this.policies = signers.map((s, i) => {
      const field = `${props.signers ? 'props.signers' : 'profile.trustedSigners'}[${i}]`;
      if (!Array.isArray(s?.images) || s.images.length === 0) fail(this, 'image-signature-required', `${field}.images`, s?.images, 'is empty: the signer covers no image.', 'list image globs, e.g. registry.example.com/shop/**.');
      s.images.forEach((g, j) => {
        if (typeof g !== 'string' || !sigstoreGlobRegExp(g)) fail(this, 'image-signature-required', `${field}.images[${j}]`, g, 'is not a policy-controller glob (letters, digits, - _ : / * . @).', 'use e.g. registry.example.com/shop/**.');
      });
      const keyless = s.keylessIssuer !== undefined || s.keylessSubject !== undefined;
      if ((s.publicKey !== undefined) === keyless) {
        fail(this, 'image-signature-required', field, { publicKey: s.publicKey !== undefined, keylessIssuer: s.keylessIssuer, keylessSubject: s.keylessSubject },
          'must give exactly one of publicKey or keylessIssuer + keylessSubject.', 'a cosign public key, or the CI identity that signs keyless.');
      }
      if (s.publicKey !== undefined && !/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/.test(s.publicKey)) {
        fail(this, 'image-signature-required', `${field}.publicKey`, '<key>', 'is not a PEM public key.', 'paste the cosign.pub content (-----BEGIN PUBLIC KEY----- ...).');
      }
      if (keyless && (!/^https:\/\/\S+$/.test(s.keylessIssuer ?? '') || !s.keylessSubject)) {
        fail(this, 'image-signature-required', `${field}.keylessIssuer`, s.keylessIssuer, 'keyless signing needs an https issuer and an exact subject.',
          'e.g. keylessIssuer https://token.actions.githubusercontent.com, keylessSubject https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main.');
      }
      const authority = s.publicKey !== undefined
        ? { name: 'key', key: { data: s.publicKey, hashAlgorithm: 'sha256' } }
        : { name: 'keyless', keyless: { url: 'https://fulcio.sigstore.dev', identities: [{ issuer: s.keylessIssuer, subject: s.keylessSubject }] }, ctlog: { url: 'https://rekor.sigstore.dev' } };
      return new ApiObject(this, `Policy${i}`, {
        apiVersion: 'policy.sigstore.dev/v1beta1',
        kind: 'ClusterImagePolicy',
        metadata: { name: `${this.node.id}-${i}`.toLowerCase(), labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened' } },
        spec: { images: s.images.map(glob => ({ glob })), authorities: [authority], mode: 'enforce' },
      } as any);
    });
  }
}
