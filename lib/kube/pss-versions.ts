import { StringMemo } from './cache';
/**
 * Pod Security Standards versions the catalogue implements, and what each version changed, as data.
 *
 * Ground truth: kubernetes/pod-security-admission policy/check_*.go (each check's `Versions` list of
 * `MinimumVersion` + `CheckPod`; a version without its own entry uses the newest entry at or below it, and a
 * version newer than the newest known is judged as the newest — policy/registry.go `EvaluatePod`). Read at the
 * release tags v0.28.0 … v0.36.2 (Kubernetes 1.28 … 1.36) and at master of 2026-07-01 (8f84a87). v1.36 has no check
 * of its own: it is judged by the v1.35 entries (v0.36.0 changed only registry.go's sorting), which
 * pod-security-admission's test data for v1.36 confirms (test/vendor/psa-testdata).
 *
 * A label value is `latest` or `v1.<minor>` (api/helpers.go `ParseVersion`: /^v1\.([0-9]|[1-9][0-9]*)$/).
 */

/** Oldest minor version the catalogue implements (v1.25-v1.27 differ: fewer safe sysctls, so they are not offered). */
export const OLDEST_PSS_MINOR = 28;
/** Newest minor version the catalogue implements; `latest` means this one. */
export const NEWEST_PSS_MINOR = 36;

/** Every version label value the catalogue accepts, oldest first, then `latest`. */
export const PSS_VERSIONS: string[] = [
  ...Array.from({ length: NEWEST_PSS_MINOR - OLDEST_PSS_MINOR + 1 }, (_, i) => `v1.${OLDEST_PSS_MINOR + i}`),
  'latest',
];

/** A human list of the accepted versions, for error messages. */
export const PSS_VERSIONS_TEXT = `v1.${OLDEST_PSS_MINOR} … v1.${NEWEST_PSS_MINOR} or latest (= v1.${NEWEST_PSS_MINOR})`;

/**
 * The minor version whose controls apply for a version label value, or undefined when the value is not one the
 * catalogue implements (anything but exactly `latest` or `v1.28` … `v1.36`, no leading zeros or spaces).
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

/** True for `v1.28` … `v1.36` (a pinned version; `latest` is not pinned). */
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
 * First policy version in which a pod in a user namespace (`spec.hostUsers: false`, exactly the boolean) is exempt from
 * runAsNonRoot, runAsUser and the baseline procMount control (check_runAsNonRoot.go runAsNonRoot1_35,
 * check_runAsUser.go runAsUser1_35, check_procMount_baseline.go procMount1_35baseline; helpers.go
 * `relaxPolicyForUserNamespacePod`: `podSpec.HostUsers != nil && !*podSpec.HostUsers`). The restricted level keeps
 * forbidding procMount for every pod (check_procMount_restricted.go, which overrides the baseline check there).
 *
 * Before v0.35.0 the same relaxation sat in the v1.0 checks behind `RelaxPolicyForUserNamespacePods`, set only by the
 * alpha feature gate UserNamespacesPodSecurityStandards (default off): a default cluster of 1.28 … 1.34 never applied
 * it, and neither does the catalogue at v1.28 … v1.34.
 *
 * A relaxation is only as good as the user namespace behind it, so the catalogue applies it only when the Kubernetes
 * version the objects are for (`kubeVersion`) is 1.35 or later too: a release's Pod Security admission judges a newer
 * version label by its own newest checks (registry.go: `if r.maxVersion.Older(lv.Version)`), and before 1.33 the
 * API server drops `hostUsers` when the UserNamespacesSupport gate is off, so the pod would run as root in the node's
 * user namespace.
 */
export const USER_NAMESPACE_RELAXATION_SINCE = 35;

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
  {
    version: 'v1.35', ruleId: 'run-as-non-root',
    change: 'a pod with spec.hostUsers: false (its own user namespace) may leave runAsNonRoot unset or false',
    source: `${PSA}check_runAsNonRoot.go runAsNonRoot1_35 (MinimumVersion 1.35), helpers.go relaxPolicyForUserNamespacePod`,
    everyVersion: false,
  },
  {
    version: 'v1.35', ruleId: 'run-as-user-root',
    change: 'a pod with spec.hostUsers: false may set runAsUser: 0 (root in the container maps to an unprivileged id on the node)',
    source: `${PSA}check_runAsUser.go runAsUser1_35 (MinimumVersion 1.35), helpers.go relaxPolicyForUserNamespacePod`,
    everyVersion: false,
  },
  {
    version: 'v1.35', ruleId: 'proc-mount',
    change: 'baseline allows any procMount (e.g. Unmasked) in a pod with spec.hostUsers: false',
    source: `${PSA}check_procMount_baseline.go procMount1_35baseline (MinimumVersion 1.35), helpers.go relaxPolicyForUserNamespacePod`,
    everyVersion: false,
  },
  {
    version: 'v1.35', ruleId: 'proc-mount-restricted',
    change: 'restricted keeps forbidding a procMount other than Default, also in a pod with spec.hostUsers: false',
    source: `${PSA}check_procMount_restricted.go CheckProcMountRestricted (MinimumVersion 1.35, OverrideCheckIDs procMount)`,
    everyVersion: false,
  },
];

/**
 * Facts read in the same sources that are deliberately left out, with the reason:
 * - v1.36: no change (pod-security-admission v0.36.0 … v0.36.2 has no check with MinimumVersion 1.36; the label
 *   v1.36 is judged by the v1.35 checks). Implemented as the v1.35 controls.
 * - v1.37 adds net.ipv4.tcp_slow_start_after_idle and net.ipv4.tcp_notsent_lowat to the safe sysctls
 *   (check_sysctls.go sysctlsV1Dot37, on master of 2026-07-01, unreleased). A relaxation, so judging a v1.37
 *   namespace with the v1.36 controls is never more lenient than the cluster; the catalogue refuses the version value
 *   rather than claim controls it does not implement.
 */
export const PSS_NOT_IMPLEMENTED: string[] = ['v1.37: tcp_slow_start_after_idle, tcp_notsent_lowat safe sysctls'];
