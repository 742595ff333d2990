import { Construct, IConstruct } from 'constructs';
import { HardeningError } from './errors';
import { IRule, PolicySettings } from './types';

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
   * Pod Security Standards version written into PSA labels, e.g. `v1.28`.
   * @default - inherited; library default: 'v1.28'
   */
  readonly podSecurityVersion?: string;
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
}

const PROFILE_SYMBOL = Symbol.for('cdk8s-hardened.HardeningProfile');

/** Library defaults, used where no profile says otherwise. */
export const DEFAULT_PROFILE: ResolvedProfile = {
  allowedRegistries: [],
  requireDigest: true,
  podSecurityVersion: 'v1.28',
  mode: EnforcementMode.ENFORCE,
  customRules: [],
  maxWaiverDays: 90,
};

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
    let result: ResolvedProfile = DEFAULT_PROFILE;
    for (const s of scope.node.scopes) {
      for (const child of s.node.children) {
        if (HardeningProfile.isHardeningProfile(child)) {
          result = merge(result, child.props);
        }
      }
    }
    return result;
  }

  /** The settings rules see, for a scope. */
  public static settingsOf(scope: IConstruct): PolicySettings {
    const p = HardeningProfile.resolve(scope);
    return {
      allowedRegistries: p.allowedRegistries,
      requireDigest: p.requireDigest,
      podSecurityVersion: p.podSecurityVersion,
      maxWaiverDays: p.maxWaiverDays,
    };
  }

  /** The props this profile was created with. */
  public readonly props: HardeningProfileProps;

  /** Attaches the profile to `scope`; it applies to every construct below it. */
  constructor(scope: Construct, id: string, props: HardeningProfileProps = {}) {
    super(scope, id);
    Object.defineProperty(this, PROFILE_SYMBOL, { value: true });
    for (const child of scope.node.children) {
      if (child !== this && HardeningProfile.isHardeningProfile(child)) {
        throw new Error(`[${scope.node.path || '<app>'}] already has a HardeningProfile (${child.node.path}); a scope holds at most one. ` +
          'Fix: set every field on that one profile, or put the second profile on a child chart (profiles inherit per field).');
      }
    }
    if (props.maxWaiverDays !== undefined && (!Number.isInteger(props.maxWaiverDays) || props.maxWaiverDays < 1)) {
      throw new HardeningError({
        path: this.node.path, field: 'props.maxWaiverDays', value: props.maxWaiverDays, ruleId: 'waiver-expired',
        message: 'must be a positive integer (days a waiver may run).', fix: 'use e.g. 90 (the default).',
      });
    }
    if (props.podSecurityVersion !== undefined && !/^(v1\.\d+|latest)$/.test(props.podSecurityVersion)) {
      throw new HardeningError({
        path: this.node.path, field: 'props.podSecurityVersion', value: props.podSecurityVersion, ruleId: 'namespace-psa-enforce',
        message: 'is not a Pod Security Standards version.', fix: 'use e.g. "v1.28" (the default).',
      });
    }
    this.props = props;
  }
}

function merge(base: ResolvedProfile, p: HardeningProfileProps): ResolvedProfile {
  return {
    allowedRegistries: p.allowedRegistries ?? base.allowedRegistries,
    requireDigest: p.requireDigest ?? base.requireDigest,
    podSecurityVersion: p.podSecurityVersion ?? base.podSecurityVersion,
    defaultResources: p.defaultResources ?? base.defaultResources,
    defaultRuntimeClassName: p.defaultRuntimeClassName ?? base.defaultRuntimeClassName,
    mode: p.mode ?? base.mode,
    customRules: [...base.customRules, ...(p.customRules ?? [])],
    maxWaiverDays: p.maxWaiverDays ?? base.maxWaiverDays,
  };
}
