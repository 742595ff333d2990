import { StringMemo } from '../../cache';
/**
 * Pod Security Standards versions the catalogue implements, and what each version changed, as data.
 *
 * Ground truth: kubernetes/pod-security-admission policy/check_*.go (each check's `Versions` list of
 * `MinimumVersion` + `CheckPod`; a version without its own entry uses the newest entry at or below it, and a
 * version newer than the newest known is judged as the newest — policy/registry.go `EvaluatePod`). Read at the
 * release tags v0.28.0 … v0.34.0 (Kubernetes 1.28 … 1.34) and at master of 2026-07-01.
 *
 * A label value is `latest` or `v1.<minor>` (api/helpers.go `ParseVersion`: /^v1\.([0-9]|[1-9][0-9]*)$/).
 */

/** Oldest minor version the catalogue implements (v1.25-v1.27 differ: fewer safe sysctls, so they are not offered). */
export const OLDEST_PSS_MINOR = 28;
/** Newest minor version the catalogue implements; `latest` means this one. */
export const NEWEST_PSS_MINOR = 34;

/** Every version label value the catalogue accepts, oldest first, then `latest`. */
export const PSS_VERSIONS: string[] = [
  ...Array.from({ length: NEWEST_PSS_MINOR - OLDEST_PSS_MINOR + 1 }, (_, i) => `v1.${OLDEST_PSS_MINOR + i}`),
  'latest',
];

/** A human list of the accepted versions, for error messages. */
export const PSS_VERSIONS_TEXT = `v1.${OLDEST_PSS_MINOR} … v1.${NEWEST_PSS_MINOR} or latest (= v1.${NEWEST_PSS_MINOR})`;

/**
 * The minor version whose controls apply for a version label value, or undefined when the value is not one the
 * catalogue implements (anything but exactly `latest` or `v1.28` … `v1.34`, no leading zeros or spaces).
 */
export function pssMinor(version: unknown): number | undefined {
  if (version === 'latest') return NEWEST_PSS_MINOR;
  if (typeof version !== 'string') return undefined;
  // Every PSS rule asks this for every object: remember the answers (a handful of distinct values per run).
  if (minorCache.has(version)) return minorCache.get(version);
  const minor = parseMinor(version);
  minorCache.set(version, minor);
  return minor;
}

const minorCache = new StringMemo<number | undefined>(64);

function parseMinor(version: string): number | undefined {
  const m = /^v1\.([1-9][0-9]*)$/.exec(version);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return minor >= OLDEST_PSS_MINOR && minor <= NEWEST_PSS_MINOR ? minor : undefined;
}

/** True for `v1.28` … `v1.34` (a pinned version; `latest` is not pinned). */
export function isPinnedPssVersion(version: unknown): boolean {
  return version !== 'latest' && pssMinor(version) !== undefined;
}

/** One change of the Pod Security Standards between two versions, with its source. */
export interface PssVersionChange {
  /** First version with the change, e.g. `v1.29`. */
  readonly version: string;
  /** Rule id of the catalogue that implements it. */
  readonly ruleId: string;
  /** What changed. */
  readonly change: string;
  /** Where it is defined. */
  readonly source: string;
  /**
   * True when PSA made the change inside its v1.0 check, so it applies at every version label (the release that
   * shipped it is `version`); false when it applies from `version` on.
   */
  readonly everyVersion: boolean;
}

const PSA = 'kubernetes/pod-security-admission policy/';

/**
 * Safe sysctls by the first version that allows them (check_sysctls.go `sysctlsAllowedV1Dot*`).
 * Names are compared literally, as PSA does: `net/ipv4/tcp_rmem` (slash spelling) is not in the set.
 */
const SYSCTLS_SINCE: ReadonlyArray<readonly [number, string[]]> = [
  // sysctlsAllowedV1Dot0 (MinimumVersion 1.0)
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
    'net.ipv4.ip_unprivileged_port_start']],
  // sysctlsAllowedV1Dot27 (MinimumVersion 1.27)
  [27, ['net.ipv4.ip_local_reserved_ports']],
  // sysctlsAllowedV1Dot29 (MinimumVersion 1.29; kubernetes 72a28e8, 061cdd3)
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  // sysctlsAllowedV1Dot32 (MinimumVersion 1.32; kubernetes edc7d62)
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];

/** Sysctls the baseline level allows at a minor version. */
export function safeSysctls(minor: number): string[] {
  return SYSCTLS_SINCE.filter(([since]) => since <= minor).flatMap(([, names]) => names);
}

/** The first implemented minor version at which a sysctl is safe, if any. */
export function sysctlSafeSince(name: unknown): number | undefined {
  const since = SYSCTLS_SINCE.find(([, names]) => names.includes(String(name)))?.[0];
  return since === undefined ? undefined : Math.max(since, OLDEST_PSS_MINOR);
}

/** SELinux types allowed by baseline, by first version (check_seLinuxOptions.go `selinuxAllowedTypes1_*`). */
const SELINUX_TYPES_SINCE: ReadonlyArray<readonly [number, string[]]> = [
  // selinuxAllowedTypes1_0 ("" is the unset value)
  [0, ['', 'container_t', 'container_init_t', 'container_kvm_t']],
  // selinuxAllowedTypes1_31 (MinimumVersion 1.31; kubernetes 9833ddf)
  [31, ['container_engine_t']],
];

/** SELinux types the baseline level allows at a minor version. */
export function selinuxAllowedTypes(minor: number): string[] {
  return SELINUX_TYPES_SINCE.filter(([since]) => since <= minor).flatMap(([, names]) => names);
}

/** First version whose baseline forbids `host` in probe and lifecycle handlers (check_hostProbesAndhostLifecycle.go). */
export const PROBE_HOST_SINCE = 34;

/**
 * What each version after v1.28 changed, for the README and `explain`. Changes that PSA made to a check at
 * MinimumVersion 1.0 (so they apply to every version label) are listed at the Kubernetes release that shipped them.
 */
export const PSS_VERSION_CHANGES: PssVersionChange[] = [
  {
    version: 'v1.29', ruleId: 'sysctls-unsafe',
    change: 'net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl and tcp_keepalive_probes become safe sysctls',
    source: `${PSA}check_sysctls.go sysctlsV1Dot29 (MinimumVersion 1.29)`,
    everyVersion: false,
  },
  {
    version: 'v1.30', ruleId: 'apparmor-profile',
    change: 'the securityContext.appArmorProfile field (pod and every container) is judged alongside the annotations: ' +
      'type RuntimeDefault or Localhost only. PSA added this to its v1.0 check, so it applies at every version',
    source: `${PSA}check_appArmorProfile.go appArmorProfile_1_0 (kubernetes 32ef468, released in 1.30)`,
    everyVersion: true,
  },
  {
    version: 'v1.31', ruleId: 'selinux-options',
    change: 'SELinux type container_engine_t is allowed',
    source: `${PSA}check_seLinuxOptions.go seLinuxOptions1_31 (MinimumVersion 1.31)`,
    everyVersion: false,
  },
  {
    version: 'v1.32', ruleId: 'sysctls-unsafe',
    change: 'net.ipv4.tcp_rmem and net.ipv4.tcp_wmem become safe sysctls',
    source: `${PSA}check_sysctls.go sysctlsV1Dot32 (MinimumVersion 1.32)`,
    everyVersion: false,
  },
  {
    version: 'v1.33', ruleId: 'volume-types',
    change: 'image volumes (spec.volumes[*].image) are allowed by restricted. PSA added this to its v1.0 check, so it applies at every version',
    source: `${PSA}check_restrictedVolumes.go restrictedVolumes_1_0 (kubernetes ca569ec, released in 1.33)`,
    everyVersion: true,
  },
  {
    version: 'v1.34', ruleId: 'probe-host',
    change: 'baseline forbids a non-empty host in liveness/readiness/startup probes and postStart/preStop handlers (httpGet and tcpSocket)',
    source: `${PSA}check_hostProbesAndhostLifecycle.go hostProbesAndHostLifecycleV1Dot34 (MinimumVersion 1.34)`,
    everyVersion: false,
  },
];

/**
 * Facts read in the same sources that are deliberately left out, with the reason:
 * - hostUsers: false relaxes runAsNonRoot, runAsUser and baseline procMount only from policy version v1.35
 *   (check_runAsNonRoot.go runAsNonRoot1_35, check_runAsUser.go runAsUser1_35, check_procMount_baseline.go
 *   procMount1_35baseline; restricted keeps procMount via check_procMount_restricted.go). In v1.28 … v1.34 the
 *   relaxation existed only behind the alpha feature gate UserNamespacesPodSecurityStandards (default off, removed
 *   in kubernetes 7f3f098), which the catalogue, like a default cluster, does not apply.
 * - v1.37 adds net.ipv4.tcp_slow_start_after_idle and net.ipv4.tcp_notsent_lowat to the safe sysctls
 *   (check_sysctls.go sysctlsV1Dot37).
 * Every one of these is a relaxation, so judging a v1.35+ namespace with the v1.34 controls is never more lenient
 * than the cluster; the catalogue still refuses those version values rather than claim controls it does not implement.
 */
export const PSS_NOT_IMPLEMENTED: string[] = ['v1.35: hostUsers: false relaxes runAsNonRoot, runAsUser, baseline procMount',
  'v1.37: tcp_slow_start_after_idle, tcp_notsent_lowat safe sysctls'];
