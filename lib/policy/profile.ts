import { Construct, IConstruct } from 'constructs';
import { parseQuantity } from '../kube/k8s-syntax';
import { DEFAULT_KUBE_VERSION, kubeMinor, KUBE_VERSIONS_TEXT, pssVersionFor } from '../kube/kube-version';
import { pssMinor, PSS_VERSIONS_TEXT } from '../kube/pss-versions';
import { isBuiltInRuleId } from './custom-rules';
import { HardeningError } from './errors';
import { TrustedSigner } from './signers';
import { IRule, PolicySettings } from './types';
import { daysUntil, MIN_WAIVER_REASON, todayUtc, waiverProblems } from './waiver-record';

/**
 * CPU / memory sizing of a container.
 */
export interface WorkloadResources {
  /** CPU request, e.g. `100m`. Reserves capacity so noisy neighbours cannot starve the pod. */
  readonly cpuRequest: string;
  /** Memory request, e.g. `128Mi`. */
  readonly memoryRequest: string;
  /**
   * Memory limit, e.g. `256Mi`. A memory limit stops one pod from exhausting node memory (DoS).
   * @default - same as memoryRequest (Guaranteed memory, no overcommit)
   */
  readonly memoryLimit?: string;
  /**
   * CPU limit.
   * @default - none: CPU is compressible, limits only cause throttling; the request protects neighbours
   */
  readonly cpuLimit?: string;
  /**
   * Ephemeral storage limit (covers writable emptyDir paths and container logs).
   * @default '1Gi' — bounds disk use so a pod cannot fill the node's disk (DoS)
   */
  readonly ephemeralStorageLimit?: string;
}

/**
 * Whether error findings fail synthesis.
 */
export enum EnforcementMode {
  /** Error findings without a valid waiver fail synthesis. */
  ENFORCE = 'enforce',
  /**
   * Findings are reported on stderr and synthesis passes, except for the rules that cannot be waived (unresolved
   * tokens, expired/unused/invalid waivers): those still fail it. For onboarding existing apps only.
   */
  AUDIT = 'audit',
}

/**
 * Settings of a HardeningProfile. Every field is optional; unset fields inherit from the
 * profile of an enclosing scope, then from the library defaults.
 */
export interface HardeningProfileProps {
  /**
   * Registries images may be pulled from, e.g. `['registry.example.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com']`.
   * An entry matches `entry/...` image references.
   * @default - inherited; library default: any registry (the `image-registry-allowed` rule is not applicable)
   */
  readonly allowedRegistries?: string[];
  /**
   * Require images to be pinned by `@sha256:` digest, so what runs is what was reviewed (tampering).
   * @default - inherited; library default: true
   */
  readonly requireDigest?: boolean;
  /**
   * Pod Security Standards version: the catalogue judges pods by the controls of this version, and IsolatedNamespace
   * writes it into the PSA labels. `v1.28` … `v1.36`, or `latest` (judged as v1.36; IsolatedNamespace needs a pinned one).
   * @default - inherited; otherwise it follows `kubeVersion` (`v1.<minor>`):
   * library default 'v1.36', so every control the cluster enforces (e.g. `probe-host`) is judged
   */
  readonly podSecurityVersion?: string;
  /**
   * Kubernetes version the manifests are for: `1.28` … `1.36` or `latest`. Objects of an apiVersion/kind that version
   * does not serve fail synthesis (a removed API is named with its replacement), and the Pod Security Standards version
   * follows it unless `podSecurityVersion` is set. The same setting as `check --kube-version` and the plugin's
   * `kubeVersion` property.
   * @default - inherited; library default: '1.36' (the newest supported), so current APIs are accepted
   */
  readonly kubeVersion?: string;
  /**
   * Resources applied to library workloads that do not set their own.
   * @default - inherited; library default: none — a workload without resources is a construct-time error
   */
  readonly defaultResources?: WorkloadResources;
  /**
   * runtimeClassName for library workloads that do not set one (e.g. `kata` or `gvisor` sandboxes).
   * @default - inherited; library default: none (the cluster's default runtime)
   */
  readonly defaultRuntimeClassName?: string;
  /**
   * Enforcement mode.
   * @default - inherited; library default: EnforcementMode.ENFORCE
   */
  readonly mode?: EnforcementMode;
  /**
   * Extra rules evaluated together with the catalogue (a platform team's own rules).
   * @default - inherited (parent profile's custom rules are kept and these are added)
   */
  readonly customRules?: IRule[];
  /**
   * Longest a waiver may run, in days from today; longer waivers fail synthesis.
   * @default - inherited; library default: 90
   */
  readonly maxWaiverDays?: number;
  /**
   * Most replicas a workload, or the HorizontalPodAutoscaler that scales it, may run (`profile-maximums`): a runaway
   * autoscaler or a typo cannot exhaust the cluster or the team's quota (DoS).
   * @default - inherited; library default: no maximum
   */
  readonly maxReplicas?: number;
  /**
   * Largest CPU request or limit of one container (`profile-maximums`), e.g. `4` or `1500m`, so one container cannot
   * claim a node (DoS).
   * @default - inherited; library default: no maximum
   */
  readonly maxContainerCpu?: string;
  /**
   * Largest memory request or limit of one container (`profile-maximums`), e.g. `8Gi`.
   * @default - inherited; library default: no maximum
   */
  readonly maxContainerMemory?: string;
  /**
   * Require API Priority and Fairness for every tenant namespace (rule `tenant-api-fairness`): without it one tenant's
   * controllers can starve the API server for everyone (IsolatedNamespace `apiFairness` writes it).
   * @default false
   */
  readonly requireApiFairness?: boolean;
  /**
   * Require every workload image to be covered by a signature policy of a real verifier (rule `image-signature-required`:
   * a Sigstore policy-controller ClusterImagePolicy in enforce mode; ImageSignaturePolicy writes them from trustedSigners).
   * @default false
   */
  readonly requireImageSignatures?: boolean;
  /**
   * Who may sign which images (ImageSignaturePolicy reads them when given no signers of its own).
   * @default - none
   */
  readonly trustedSigners?: TrustedSigner[];
  /**
   * The reasoned, owned, expiring record that a profile needs when it loosens what encloses it: audit mode (anywhere:
   * it lifts every waivable rule), and — in a profile nested under another one — `requireDigest: false`, a registry
   * the enclosing profile does not allow, a longer `maxWaiverDays` or an older `podSecurityVersion`. Without it such a
   * profile is a construct-time error; with it the exception is written into every object the profile governs (the
   * `hardened.cdk8s.io/exceptions` annotation), reported at every synthesis and fails synthesis once expired.
   * @default - none: the profile may only tighten (a record on a profile that loosens nothing is an error too)
   */
  readonly exception?: ProfileException;
}

/**
 * Why a profile may loosen the profile (or library defaults) that encloses it: like a waiver, reasoned, owned and
 * expiring no further ahead than the enclosing profile's `maxWaiverDays`.
 */
export interface ProfileException {
  /** Why the looser settings are acceptable here; at least 20 characters. */
  readonly reason: string;
  /** Team or person accountable for the exception. */
  readonly owner: string;
  /** Last day the exception is valid, `YYYY-MM-DD` (UTC). Once expired, synthesis fails. */
  readonly expires: string;
}

/**
 * A profile exception as recorded on the objects it governs (annotation `hardened.cdk8s.io/exceptions`).
 */
export interface ProfileExceptionRecord {
  /** Construct path of the profile's scope (`<app>` for the App). */
  readonly scope: string;
  /** What the profile loosens, e.g. `mode=audit`, `requireDigest=false`, `allowedRegistries+=docker.io`. */
  readonly loosens: string[];
  /** Why the looser settings are acceptable here. */
  readonly reason: string;
  /** Team or person accountable. */
  readonly owner: string;
  /** Last day valid, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
}

/**
 * Effective profile for a scope (all inherited values resolved).
 */
export interface ResolvedProfile {
  /** Registries images may come from (empty: any). */
  readonly allowedRegistries: string[];
  /** Whether images must be pinned by digest. */
  readonly requireDigest: boolean;
  /** Pod Security Standards version for PSA labels. */
  readonly podSecurityVersion: string;
  /**
   * Kubernetes version the manifests are for (`1.<minor>`).
   * @default '1.36'
   */
  readonly kubeVersion?: string;
  /**
   * True when a profile set podSecurityVersion itself (it then no longer follows kubeVersion).
   * @default false
   */
  readonly podSecurityVersionSet?: boolean;
  /** Resources applied to containers that set none. @default - none */
  readonly defaultResources?: WorkloadResources;
  /** RuntimeClass applied to pods that set none. @default - none */
  readonly defaultRuntimeClassName?: string;
  /** enforce (findings block synth) or audit (reported only). */
  readonly mode: EnforcementMode;
  /** Additional rules evaluated next to the catalogue. */
  readonly customRules: IRule[];
  /** Longest allowed waiver lifetime, in days. */
  readonly maxWaiverDays: number;
  /** Most replicas per workload. @default - no maximum */
  readonly maxReplicas?: number;
  /** Largest CPU request or limit of one container. @default - no maximum */
  readonly maxContainerCpu?: string;
  /** Largest memory request or limit of one container. @default - no maximum */
  readonly maxContainerMemory?: string;
  /** Whether tenant namespaces need API Priority and Fairness. @default false */
  readonly requireApiFairness?: boolean;
  /** Whether workload images need a signature policy. @default false */
  readonly requireImageSignatures?: boolean;
  /** Trusted image signers. @default - none */
  readonly trustedSigners?: TrustedSigner[];
  /** Exceptions of the profiles that loosen this scope's settings, outermost first. */
  readonly exceptions: ProfileExceptionRecord[];
}

const PROFILE_SYMBOL = Symbol.for('cdk8s-hardened.HardeningProfile');

/** Library defaults, used where no profile says otherwise. */
export const DEFAULT_PROFILE: ResolvedProfile = {
  allowedRegistries: [],
  requireDigest: true,
  podSecurityVersion: pssVersionFor(DEFAULT_KUBE_VERSION),
  kubeVersion: DEFAULT_KUBE_VERSION,
  mode: EnforcementMode.ENFORCE,
  customRules: [],
  maxWaiverDays: 90,
  exceptions: [],
};

/** The profile of each scope (at most one per scope). */
const PROFILES = new WeakMap<IConstruct, HardeningProfile>();

/**
 * A hardening profile attached to an App or Chart scope and inherited by everything below it.
 * Platform teams ship their profile in their own package:
 *
 * ```ts
 * new HardeningProfile(app, 'Profile', { allowedRegistries: ['registry.example.com'] });
 * ```
 */
export class HardeningProfile extends Construct {
  /** True if `x` is a HardeningProfile. */
  public static isHardeningProfile(x: any): x is HardeningProfile {
    return x !== null && typeof x === 'object' && PROFILE_SYMBOL in x;
  }

  /**
   * The effective profile for a scope: the profiles of its ancestors (closest wins per field)
   * merged over the library defaults.
   */
  public static resolve(scope: IConstruct): ResolvedProfile {
    // O(depth): each scope holds at most one profile, registered by its constructor (no scan of siblings, so
    // constructing N workloads in one chart, or N charts in one app, stays linear).
    let result: ResolvedProfile = DEFAULT_PROFILE;
    for (const s of scope.node.scopes) {
      const p = PROFILES.get(s);
      if (p) result = merge(result, p.props, p.exceptionRecord);
    }
    return result;
  }

  /**
   * The profiles that govern a scope, outermost first (empty: the library defaults apply). Objects governed by the same
   * chain are judged with the same settings and rules.
   */
  public static chainOf(scope: IConstruct): HardeningProfile[] {
    const out: HardeningProfile[] = [];
    for (const s of scope.node.scopes) {
      const p = PROFILES.get(s);
      if (p) out.push(p);
    }
    return out;
  }

  /** The settings rules see, for a scope. */
  public static settingsOf(scope: IConstruct): PolicySettings {
    const p = HardeningProfile.resolve(scope);
    return {
      allowedRegistries: p.allowedRegistries,
      requireDigest: p.requireDigest,
      podSecurityVersion: p.podSecurityVersion,
      kubeVersion: p.kubeVersion ?? DEFAULT_KUBE_VERSION,
      maxWaiverDays: p.maxWaiverDays,
      ...(p.maxReplicas !== undefined ? { maxReplicas: p.maxReplicas } : {}),
      ...(p.maxContainerCpu !== undefined ? { maxContainerCpu: p.maxContainerCpu } : {}),
      ...(p.maxContainerMemory !== undefined ? { maxContainerMemory: p.maxContainerMemory } : {}),
      ...(p.requireApiFairness ? { requireApiFairness: true } : {}),
      ...(p.requireImageSignatures ? { requireImageSignatures: true } : {}),
    };
  }

  /** The props this profile was created with. */
  public readonly props: HardeningProfileProps;

  /**
   * The exception this profile records, when it loosens what encloses it (recomputed when a profile is later added
   * above it: nesting follows the construct tree, not creation order).
   * @default - none
   */
  public get exceptionRecord(): ProfileExceptionRecord | undefined {
    return this._exceptionRecord;
  }

  private _exceptionRecord?: ProfileExceptionRecord;

  /** Attaches the profile to `scope`; it applies to every construct below it. */
  constructor(scope: Construct, id: string, props: HardeningProfileProps = {}) {
    super(scope, id);
    Object.defineProperty(this, PROFILE_SYMBOL, { value: true });
    const existing = PROFILES.get(scope);
    if (existing) {
      throw new Error(`[${scope.node.path || '<app>'}] already has a HardeningProfile (${existing.node.path}); a scope holds at most one. ` +
        'Fix: set every field on that one profile, or put the second profile on a child chart (profiles inherit per field).');
    }
    if (props.maxWaiverDays !== undefined && (!Number.isInteger(props.maxWaiverDays) || props.maxWaiverDays < 1)) {
      throw new HardeningError({
        path: this.node.path, field: 'props.maxWaiverDays', value: props.maxWaiverDays, ruleId: 'waiver-expired',
        message: 'must be a positive integer (days a waiver may run).', fix: 'use e.g. 90 (the default).',
      });
    }
    if (props.maxReplicas !== undefined && (!Number.isInteger(props.maxReplicas) || props.maxReplicas < 1)) {
      throw new HardeningError({
        path: this.node.path, field: 'props.maxReplicas', value: props.maxReplicas, ruleId: 'profile-maximums',
        message: 'must be a positive integer.', fix: 'use e.g. 20, or leave it unset for no maximum.',
      });
    }
    for (const [field, q] of [['maxContainerCpu', props.maxContainerCpu], ['maxContainerMemory', props.maxContainerMemory]] as const) {
      if (q !== undefined && !(parseQuantity(q) !== undefined && (parseQuantity(q) as number) > 0)) {
        throw new HardeningError({
          path: this.node.path, field: `props.${field}`, value: q, ruleId: 'profile-maximums',
          message: 'is not a positive Kubernetes quantity.', fix: field === 'maxContainerCpu' ? 'use e.g. "4" or "1500m".' : 'use e.g. "8Gi".',
        });
      }
    }
    if (props.podSecurityVersion !== undefined && pssMinor(props.podSecurityVersion) === undefined) {
      throw new HardeningError({
        path: this.node.path, field: 'props.podSecurityVersion', value: props.podSecurityVersion, ruleId: 'namespace-psa-enforce',
        message: `is not a Pod Security Standards version the catalogue implements (${PSS_VERSIONS_TEXT}).`,
        fix: 'use e.g. "v1.28" (the default) or "v1.34"; the rules judge pods by that version\'s controls.',
      });
    }
    if (props.kubeVersion !== undefined && kubeMinor(props.kubeVersion) === undefined) {
      throw new HardeningError({
        path: this.node.path, field: 'props.kubeVersion', value: props.kubeVersion, ruleId: 'namespace-psa-enforce',
        message: `is not a supported Kubernetes version (${KUBE_VERSIONS_TEXT}).`,
        fix: 'use the minor version of your cluster, e.g. "1.33", or leave it unset for the newest.',
      });
    }
    this.props = props;
    const enclosing = HardeningProfile.resolve(scope);
    const loosens = this.checkAgainstEnclosing();
    if (props.exception) {
      if (loosens.length === 0) {
        throw new HardeningError({
          path: this.node.path, field: 'props.exception', value: props.exception, ruleId: 'waiver-unused',
          message: 'records an exception, but the profile loosens nothing.', fix: 'remove props.exception.',
        });
      }
    }
    for (const rule of props.customRules ?? []) {
      if (isBuiltInRuleId(rule?.id) || [...enclosing.customRules].some(r => r.id === rule?.id)) {
        throw new HardeningError({
          path: this.node.path, field: 'props.customRules', value: rule?.id, ruleId: 'waiver-invalid',
          message: 'has the id of a rule that already exists; a custom rule adds to the catalogue and can never replace or disable one.',
          fix: 'give the custom rule an id of its own, e.g. prefixed with your team name.',
        });
      }
    }
    PROFILES.set(scope, this);
    // Nesting follows the construct tree, not creation order: a profile created earlier below this one is nested under
    // it now, and must not loosen it without an exception record.
    try {
      for (const c of scope.node.findAll()) {
        const below = PROFILES.get(c);
        if (below && below !== this && c !== scope) below.checkAgainstEnclosing(this);
      }
    } catch (e) {
      PROFILES.delete(scope);
      throw e;
    }
    // A profile puts its whole App under the guard (the guard's named hook, below).
    profileGuardHook.attach?.(this);
  }

  /**
   * What this profile loosens relative to the profiles above it in the construct tree (now), after checking that an
   * exception record covers it and runs no further than the enclosing maxWaiverDays; the record is (re)written.
   * `added` names a profile created later above this one (for the error).
   */
  private checkAgainstEnclosing(added?: HardeningProfile): string[] {
    const scope = this.node.scope!;
    const props = this.props;
    // The profiles strictly above this profile's scope (its own is registered on the scope once constructed).
    let enclosing: ResolvedProfile = DEFAULT_PROFILE;
    let nested = false;
    for (const a of scope.node.scopes) {
      const p = a === scope ? undefined : PROFILES.get(a);
      if (p) {
        enclosing = merge(enclosing, p.props, p.exceptionRecord);
        nested = true;
      }
    }
    const loosens = loosenings(enclosing, props, nested);
    const later = added ? ` (profile ${added.node.path || '<app>'}, created after it, encloses it)` : '';
    if (loosens.length > 0 && !props.exception) {
      throw new HardeningError({
        path: this.node.path, field: 'props', value: loosens, ruleId: 'waiver-invalid',
        message: `loosens ${nested ? 'the enclosing profile' : 'the library defaults'}${later} (${loosens.join(', ')}) without an exception record.`,
        fix: (added ? 'create the enclosing profile first, then ' : '') + 'tighten instead, or give props.exception { reason (>= 20 characters), owner, expires: YYYY-MM-DD } — ' +
          `no further ahead than ${enclosing.maxWaiverDays} days.`,
      });
    }
    // Nothing loosened: no record (the constructor reports an exception that covers nothing; a profile added later above
    // that already loosens the same way leaves a record that covers nothing in place, which is harmless).
    if (!props.exception || loosens.length === 0) return loosens;
    const today = todayUtc();
    const problems = waiverProblems({ ruleId: 'profile', ...props.exception });
    const days = problems.length === 0 ? daysUntil(props.exception.expires, today) : 0;
    if (problems.length === 0 && days < 0) problems.push(`expired on ${props.exception.expires}`);
    if (problems.length === 0 && days > enclosing.maxWaiverDays) {
      problems.push(`expires ${props.exception.expires}, ${days} days ahead; at most ${enclosing.maxWaiverDays} are allowed${later}`);
    }
    if (problems.length > 0) {
      throw new HardeningError({
        path: this.node.path, field: 'props.exception', value: props.exception, ruleId: days < 0 ? 'waiver-expired' : 'waiver-invalid',
        message: problems.join('; ') + '.',
        fix: `give a reason of at least ${MIN_WAIVER_REASON} characters, an owner and an expiry date YYYY-MM-DD within ${enclosing.maxWaiverDays} days.`,
      });
    }
    this._exceptionRecord = {
      scope: scope.node.path || '<app>',
      loosens,
      reason: props.exception.reason,
      owner: props.exception.owner,
      expires: props.exception.expires,
    };
    return loosens;
  }
}

/**
 * The one hook a new HardeningProfile calls, last in its constructor: it puts the profile's whole App under the synth
 * guard. The guard (guard.ts) sets it, with `setProfileGuardHook`, when it loads: it imports this module, so this
 * module cannot import it without an import cycle. Every public entry point (lib/index.ts, each construct) loads the
 * guard. Without it (a deep import of this module alone) a profile still validates; nothing is synthesized under guard.
 */
const profileGuardHook: { attach?: (profile: HardeningProfile) => void } = {};

/** Set the hook above; guard.ts calls it once. A second, different hook is refused. @internal */
export function setProfileGuardHook(attach: (profile: HardeningProfile) => void): void {
  if (profileGuardHook.attach && profileGuardHook.attach !== attach) throw new Error('cdk8s-hardened: the profile guard hook is already set');
  profileGuardHook.attach = attach;
}

/** What `p` loosens relative to the effective profile `base` (audit mode always counts; the rest only when nested). */
function loosenings(base: ResolvedProfile, p: HardeningProfileProps, nested: boolean): string[] {
  const out: string[] = [];
  if (p.mode === EnforcementMode.AUDIT && base.mode !== EnforcementMode.AUDIT) out.push('mode=audit');
  if (!nested) return out;
  if (p.requireDigest === false && base.requireDigest) out.push('requireDigest=false');
  if (p.requireApiFairness === false && base.requireApiFairness) out.push('requireApiFairness=false');
  if (p.requireImageSignatures === false && base.requireImageSignatures) out.push('requireImageSignatures=false');
  if (p.maxWaiverDays !== undefined && p.maxWaiverDays > base.maxWaiverDays) out.push(`maxWaiverDays=${p.maxWaiverDays}`);
  if (p.maxReplicas !== undefined && base.maxReplicas !== undefined && p.maxReplicas > base.maxReplicas) out.push(`maxReplicas=${p.maxReplicas}`);
  for (const [field, q] of [['maxContainerCpu', p.maxContainerCpu], ['maxContainerMemory', p.maxContainerMemory]] as const) {
    const b = (base as any)[field];
    if (q !== undefined && b !== undefined && (parseQuantity(q) ?? Infinity) > (parseQuantity(b) ?? Infinity)) out.push(`${field}=${q}`);
  }
  if (p.allowedRegistries !== undefined && base.allowedRegistries.length > 0) {
    if (p.allowedRegistries.length === 0) out.push('allowedRegistries=any');
    const within = (r: string) => base.allowedRegistries.some(b => r === b || r.startsWith(`${b.replace(/\/+$/, '')}/`));
    for (const r of p.allowedRegistries) if (!within(r)) out.push(`allowedRegistries+=${r}`);
  }
  const pss = effectivePss(base, p);
  if (pss !== base.podSecurityVersion && (pssMinor(pss) ?? 0) < (pssMinor(base.podSecurityVersion) ?? 0)) {
    out.push(`podSecurityVersion=${pss}`);
  }
  return out;
}

function merge(base: ResolvedProfile, p: HardeningProfileProps, exception?: ProfileExceptionRecord): ResolvedProfile {
  return {
    allowedRegistries: p.allowedRegistries ?? base.allowedRegistries,
    requireDigest: p.requireDigest ?? base.requireDigest,
    podSecurityVersion: effectivePss(base, p),
    kubeVersion: p.kubeVersion !== undefined ? `1.${kubeMinor(p.kubeVersion)}` : base.kubeVersion,
    podSecurityVersionSet: p.podSecurityVersion !== undefined || base.podSecurityVersionSet === true,
    defaultResources: p.defaultResources ?? base.defaultResources,
    defaultRuntimeClassName: p.defaultRuntimeClassName ?? base.defaultRuntimeClassName,
    mode: p.mode ?? base.mode,
    customRules: [...base.customRules, ...(p.customRules ?? [])],
    maxWaiverDays: p.maxWaiverDays ?? base.maxWaiverDays,
    maxReplicas: p.maxReplicas ?? base.maxReplicas,
    maxContainerCpu: p.maxContainerCpu ?? base.maxContainerCpu,
    maxContainerMemory: p.maxContainerMemory ?? base.maxContainerMemory,
    requireApiFairness: p.requireApiFairness ?? base.requireApiFairness,
    requireImageSignatures: p.requireImageSignatures ?? base.requireImageSignatures,
    trustedSigners: p.trustedSigners ?? base.trustedSigners,
    exceptions: exception ? [...base.exceptions, exception] : base.exceptions,
  };
}

/** The PSS version of `p` over `base`: its own, else the one its kubeVersion implies (unless set above), else inherited. */
function effectivePss(base: ResolvedProfile, p: HardeningProfileProps): string {
  if (p.podSecurityVersion !== undefined) return p.podSecurityVersion;
  if (p.kubeVersion !== undefined && base.podSecurityVersionSet !== true && kubeMinor(p.kubeVersion) !== undefined) return pssVersionFor(p.kubeVersion);
  return base.podSecurityVersion;
}
