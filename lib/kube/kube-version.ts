/**
 * The one Kubernetes version setting (`kubeVersion`): which release the manifests are for. It decides which
 * apiVersions and kinds are served (an object the release does not serve is an input error, a removed API is reported
 * with the release that removed it and its replacement), and, unless `podSecurityVersion` is set on its own, which
 * Pod Security Standards version the PSS rules judge by.
 *
 * Used by the HardeningProfile (`kubeVersion`), `check --kube-version`, `report --kube-version`,
 * `admission-policies --kube-version` and the validation plugin (`properties.kubeVersion`).
 */
import { NEWEST_PSS_MINOR, OLDEST_PSS_MINOR } from './pss-versions';

/** Oldest Kubernetes minor version supported (1.28). */
export const OLDEST_KUBE_MINOR = 28;
/** Newest Kubernetes minor version supported (1.36); `latest` means this one, and it is the default. */
export const NEWEST_KUBE_MINOR = 36;

/** Every supported version value, oldest first: `1.28` … `1.36`. */
export const SUPPORTED_KUBE_VERSIONS: readonly string[] = Array.from(
  { length: NEWEST_KUBE_MINOR - OLDEST_KUBE_MINOR + 1 }, (_, i) => `1.${OLDEST_KUBE_MINOR + i}`);

/** The value meaning "the newest supported version". */
export const LATEST_KUBE_VERSION = 'latest';

/** The default version: the newest supported one. */
export const DEFAULT_KUBE_VERSION = `1.${NEWEST_KUBE_MINOR}`;

/** A human list of the accepted values, for help texts and error messages. */
export const KUBE_VERSIONS_TEXT = `1.${OLDEST_KUBE_MINOR} … 1.${NEWEST_KUBE_MINOR} or latest (= 1.${NEWEST_KUBE_MINOR}, the default)`;

/**
 * The minor version of a `kubeVersion` value, or undefined when the value is not supported. Accepted spellings:
 * `1.36`, `v1.36` and `latest`; anything else (a patch version `1.36.1`, `1.27`, `1.37`, leading zeros, spaces) is
 * refused rather than guessed.
 */
export function kubeMinor(value: unknown): number | undefined {
  if (value === LATEST_KUBE_VERSION) return NEWEST_KUBE_MINOR;
  if (typeof value !== 'string') return undefined;
  const m = /^v?1\.([1-9][0-9]*)$/.exec(value);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return minor >= OLDEST_KUBE_MINOR && minor <= NEWEST_KUBE_MINOR ? minor : undefined;
}

/**
 * Parse and validate a `kubeVersion` value (undefined: the default). Returns the canonical value `1.<minor>`; throws an
 * Error naming `where` (the flag, property or field), the bad value and the accepted values.
 */
export function parseKubeVersion(value: unknown, where: string): string {
  if (value === undefined) return DEFAULT_KUBE_VERSION;
  const minor = kubeMinor(value);
  if (minor === undefined) {
    throw new Error(`${where}: ${JSON.stringify(value)} is not a supported Kubernetes version; use ${KUBE_VERSIONS_TEXT}`);
  }
  return `1.${minor}`;
}

/**
 * The Pod Security Standards version that follows a Kubernetes version: `v1.<minor>` (1.35 -> v1.35, 1.36 and `latest`
 * -> v1.36), capped to the newest PSS version the catalogue implements (today every supported Kubernetes version has
 * its own; see versions.ts PSS_NOT_IMPLEMENTED for the published changes after it).
 */
export function pssVersionFor(kubeVersion: string | undefined): string {
  const minor = kubeMinor(kubeVersion ?? DEFAULT_KUBE_VERSION) ?? NEWEST_KUBE_MINOR;
  return `v1.${Math.max(OLDEST_PSS_MINOR, Math.min(minor, NEWEST_PSS_MINOR))}`;
}

/**
 * The Kubernetes version setting for the public API (jsii: static members of a class): the supported versions, the
 * default and a validating parser that every layer shares.
 */
export class KubeVersion {
  /** Supported versions, oldest first: `1.28` … `1.36`. */
  public static readonly SUPPORTED: string[] = [...SUPPORTED_KUBE_VERSIONS];
  /** `latest`: the newest supported version. */
  public static readonly LATEST: string = LATEST_KUBE_VERSION;
  /** The default: the newest supported version (1.36). */
  public static readonly DEFAULT: string = DEFAULT_KUBE_VERSION;

  /**
   * Validate a kubeVersion value (`1.28` … `1.36`, `v1.30`, `latest`) and return it as `1.<minor>`; throws an Error that
   * names `where`, the bad value and the accepted values.
   */
  public static parse(value: string, where: string): string {
    return parseKubeVersion(value, where);
  }

  /** The Pod Security Standards version a Kubernetes version implies (`v1.<minor>`, capped to the newest implemented). */
  public static podSecurityVersionFor(kubeVersion: string): string {
    return pssVersionFor(kubeVersion);
  }

  private constructor() {}
}
