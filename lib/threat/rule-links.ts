import { Catalogue } from '../policy/catalogue';
import { THREATS, ThreatDefinition } from './threats';

/**
 * Links from catalogue rules to threats, one line each: `[ruleId, threatId]`. A threat's rules are the rules its
 * definition names (THREATS[].rules) plus every rule linked here.
 *
 * To attach a new rule to a threat, add one line. What the link does:
 * - a finding of the rule on an asset of the threat leaves the threat `not covered` on it (or `waived`);
 * - on the cluster asset, an object of a kind the rule applies to (other than `*` and pod carriers) that is in the
 *   output and on which every linked rule passes is positive evidence: the threat turns from `outside this app` /
 *   `assumed` into `mitigated`, listing the object and the rules. E.g. linking a rule that applies to
 *   `KubeletConfiguration` to `E6-node-and-control-plane-configuration` makes a KubeletConfiguration in the output the
 *   evidence for E6.
 *
 * A test proves every linked rule exists in the catalogue and every threat id is one of THREATS.
 */
export const THREAT_RULE_LINKS: ReadonlyArray<readonly [string, string]> = [
  // [ruleId, threatId]
];

/** The rules of a threat: those its definition names plus those linked to it. */
export function rulesOfThreat(threat: ThreatDefinition, links: ReadonlyArray<readonly [string, string]> = THREAT_RULE_LINKS): string[] {
  const out = new Set(threat.rules);
  for (const [ruleId, threatId] of links) if (threatId === threat.id) out.add(ruleId);
  return [...out];
}

/**
 * Kinds whose presence in the output (with the threat's rules passing on them) is evidence against a cluster threat:
 * the threat's `controls` plus the kinds its linked rules apply to.
 */
export function controlKindsOf(threat: ThreatDefinition, links: ReadonlyArray<readonly [string, string]> = THREAT_RULE_LINKS): string[] {
  const kinds = new Set(threat.controls);
  for (const [ruleId, threatId] of links) {
    if (threatId !== threat.id) continue;
    for (const k of Catalogue.find(ruleId)?.appliesTo ?? []) if (k !== '*') kinds.add(k);
  }
  return [...kinds];
}

/** Problems of the link table (unknown rules or threats), for the test. */
export function linkProblems(links: ReadonlyArray<readonly [string, string]> = THREAT_RULE_LINKS): string[] {
  const out: string[] = [];
  for (const [ruleId, threatId] of links) {
    if (!Catalogue.find(ruleId)) out.push(`rule ${ruleId} is not in the catalogue`);
    if (!THREATS.some(t => t.id === threatId)) out.push(`threat ${threatId} is not in THREATS`);
  }
  return out;
}
