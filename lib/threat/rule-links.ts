import { Catalogue } from '../policy/catalogue';
import { THREATS, ThreatDefinition } from './threats';

/**
 * Links from catalogue rules to threats, derived from each rule's file: `[ruleId, threatId]` for a threat in the rule's
 * `threatEvidence`, `[ruleId, threatId, false]` for the other threats of its `threats` field, in catalogue order.
 *
 * To attach a rule to a threat, name the threat in the rule's `threats` field. What the link does:
 * - a finding of the rule on an asset of the threat leaves the threat `not covered` on it (or `waived`);
 * - with the threat also in `threatEvidence`, on the cluster asset, an object of a kind the rule applies to (other than
 *   `*` and pod carriers) that is in the output and on which every linked rule passes is positive evidence: the threat
 *   turns from `outside this app` / `assumed` into `mitigated`, listing the object and the rules. E.g. a rule that
 *   applies to `KubeletConfiguration` with `E6-node-and-control-plane-configuration` in `threatEvidence` makes a
 *   KubeletConfiguration in the output the evidence for E6. A rule that passes vacuously (the profile does not ask for
 *   fairness or signatures) or that covers one part of a broader threat is no evidence: leave that threat out of
 *   `threatEvidence`.
 *
 * A test proves every linked threat id is one of THREATS.
 */
export const THREAT_RULE_LINKS: ReadonlyArray<ThreatRuleLink> = Catalogue.all().flatMap(r => (r.threats ?? []).map((threatId): ThreatRuleLink =>
  (r.threatEvidence?.includes(threatId) ? [r.id, threatId] : [r.id, threatId, false])));

/**
 * `[ruleId, threatId]`, or `[ruleId, threatId, false]` when the rule's findings count against the threat but a clean
 * object of the kinds it judges is no evidence against the threat on the cluster.
 */
export type ThreatRuleLink = readonly [string, string] | readonly [string, string, boolean];

/** The rules of a threat: those its definition names plus those linked to it. */
export function rulesOfThreat(threat: ThreatDefinition, links: ReadonlyArray<ThreatRuleLink> = THREAT_RULE_LINKS): string[] {
  const out = new Set(threat.rules);
  for (const [ruleId, threatId] of links) if (threatId === threat.id) out.add(ruleId);
  return [...out];
}

/**
 * Kinds whose presence in the output (with the threat's rules passing on them) is evidence against a cluster threat:
 * the threat's `controls` plus the kinds its linked rules apply to.
 */
export function controlKindsOf(threat: ThreatDefinition, links: ReadonlyArray<ThreatRuleLink> = THREAT_RULE_LINKS): string[] {
  const kinds = new Set(threat.controls);
  for (const [ruleId, threatId, evidence] of links) {
    if (threatId !== threat.id || evidence === false) continue;
    for (const k of Catalogue.find(ruleId)?.appliesTo ?? []) if (k !== '*') kinds.add(k);
  }
  return [...kinds];
}

/** Problems of the link table (unknown rules or threats), for the test. */
export function linkProblems(links: ReadonlyArray<ThreatRuleLink> = THREAT_RULE_LINKS): string[] {
  const out: string[] = [];
  for (const [ruleId, threatId] of links) {
    if (!Catalogue.find(ruleId)) out.push(`rule ${ruleId} is not in the catalogue`);
    if (!THREATS.some(t => t.id === threatId)) out.push(`threat ${threatId} is not in THREATS`);
  }
  return out;
}
