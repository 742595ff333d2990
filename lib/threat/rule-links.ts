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
export const THREAT_RULE_LINKS: ReadonlyArray<ThreatRuleLink> = [
  // [ruleId, threatId]
  // `false`: findings only. A rule that passes vacuously (the profile does not ask for fairness or signatures) or that
  // covers one part of a broader threat is no evidence that the threat is mitigated.
  // A NetworkPolicy that passes proves nothing for the pods it does not select; each workload's reach to
  // the metadata address is judged by the NetworkPolicy evaluator (model.ts), and the cluster part is the nodes' (IMDS).
  ['network-policy-egress-cloud-metadata', 'I5-cloud-metadata-credentials', false],
  ['kubelet-authentication', 'E6-node-and-control-plane-configuration'],
  ['kubelet-authorization', 'E6-node-and-control-plane-configuration'],
  ['kubelet-read-only-port', 'E6-node-and-control-plane-configuration'],
  ['kubelet-read-only-port', 'I4-exposed-control-plane-and-nodes', false],
  ['kubelet-tls', 'E6-node-and-control-plane-configuration'],
  ['kubelet-certificate-rotation', 'E6-node-and-control-plane-configuration'],
  ['kubelet-protect-kernel-defaults', 'E6-node-and-control-plane-configuration'],
  ['kubelet-seccomp-default', 'E6-node-and-control-plane-configuration'],
  ['kubelet-limits', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-apiserver-anonymous-auth', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-profiling', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-bind-localhost', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-apiserver-tls', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-apiserver-authorization', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-apiserver-admission', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-kubelet-extra-args', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-etcd-tls', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-etcd-tls', 'T3-manifest-and-etcd-tampering', false],
  ['kubeadm-service-account', 'E6-node-and-control-plane-configuration'],
  ['kubeadm-service-account', 'S1-stolen-service-account-token', false],
  ['kubeadm-encryption-at-rest', 'I2-secrets-at-rest'],
  ['tenant-api-fairness', 'D3-control-plane-denial-of-service', false],
  ['image-signature-required', 'T4-supply-chain', false],
  ['image-signature-required', 'T1-tampered-image', false],
];

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
