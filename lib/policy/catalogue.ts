import { AUDIT_RULES } from './rules/audit';
import { DEPLOYMENT_RULES } from './rules/deployment';
import { FAIRNESS_RULES } from './rules/fairness';
import { META_RULES } from './rules/meta';
import { NETWORK_RULES } from './rules/network';
import { NODE_RULES } from './rules/node';
import { POD_SECURITY_RULES } from './rules/pod-security';
import { SECRETS_RULES } from './rules/secrets';
import { SUPPLY_CHAIN_RULES } from './rules/supply-chain';
import { TENANCY_RULES } from './rules/tenancy';
import { WORKLOAD_RULES } from './rules/workload';
import { IRule, PssLevel } from './types';

/**
 * The rule catalogue: the single source of truth behind construct-time errors, the synth guard,
 * the `cdk8s-hardened check` CLI and generated admission policies.
 */
export class Catalogue {
  /** Every rule, in catalogue order. */
  public static all(): IRule[] {
    return [...ALL_RULES];
  }

  /** The rule with this id, if any. */
  public static find(id: string): IRule | undefined {
    return Catalogue.all().find(r => r.id === id);
  }

  /** The rule with this id; throws if unknown. */
  public static get(id: string): IRule {
    const rule = Catalogue.find(id);
    if (!rule) throw new Error(`Unknown rule id "${id}". Known: ${Catalogue.all().map(r => r.id).join(', ')}`);
    return rule;
  }

  /**
   * Pod Security Standards controls of a level: `baseline` gives the baseline controls,
   * `restricted` gives baseline plus restricted controls (as Kubernetes defines the levels).
   */
  public static podSecurityRules(level: PssLevel): IRule[] {
    return Catalogue.all().filter(r => r.pssLevel === PssLevel.BASELINE || (level === PssLevel.RESTRICTED && r.pssLevel === PssLevel.RESTRICTED));
  }

  private constructor() {}
}

/** The catalogue's rules, frozen: no code at run time can replace a rule's check or change its severity. */
const ALL_RULES: readonly IRule[] = Object.freeze([
  ...POD_SECURITY_RULES,
  ...WORKLOAD_RULES,
  ...DEPLOYMENT_RULES,
  ...TENANCY_RULES,
  ...SECRETS_RULES,
  ...AUDIT_RULES,
  ...NETWORK_RULES,
  ...NODE_RULES,
  ...FAIRNESS_RULES,
  ...SUPPLY_CHAIN_RULES,
  ...META_RULES,
].map(r => {
  for (const v of Object.values(r)) if (Array.isArray(v)) Object.freeze(v);
  return Object.freeze(r);
}));
