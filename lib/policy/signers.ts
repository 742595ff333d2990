/**
 * Who may sign the images a cluster runs: a public key, or a keyless (Sigstore Fulcio) identity — the OIDC issuer and the
 * certificate subject (e.g. a CI workflow identity). Exactly one of `publicKey` or `keylessIssuer` + `keylessSubject`.
 */
export interface TrustedSigner {
  /**
   * Images the signer vouches for, as Sigstore policy-controller globs: `*` matches within one path segment, `**` across
   * segments; matched against the fully qualified reference (`index.docker.io/library/nginx:latest`, tag `latest`
   * assumed), so end with `:**` or `**` to cover every tag and digest, e.g. `registry.example.com/shop/**`.
   */
  readonly images: string[];
  /**
   * PEM public key (cosign) the signatures must verify with.
   * @default - keyless: keylessIssuer and keylessSubject are required
   */
  readonly publicKey?: string;
  /**
   * OIDC issuer of the keyless signing certificate, e.g. `https://token.actions.githubusercontent.com`.
   * @default - key-based: publicKey is required
   */
  readonly keylessIssuer?: string;
  /**
   * Subject of the keyless signing certificate, e.g. `https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main`.
   * @default - key-based: publicKey is required
   */
  readonly keylessSubject?: string;
}
