/**
 * Risk rating: likelihood × impact on a 3 × 3 grid (OWASP Risk Rating Methodology, reduced to three levels each).
 */

/** A rating: likelihood (1-3) × impact (1-3) = score (1-9), and its level. */
export interface RiskRating {
  /** Likelihood, 1 (rare) to 3 (likely). */
  readonly likelihood: number;
  /** Impact, 1 (low) to 3 (high). */
  readonly impact: number;
  /** likelihood × impact, 1 to 9. */
  readonly score: number;
  /** `low` (1-2), `medium` (3-4), `high` (6-9). */
  readonly level: string;
}

/** The method, as printed in every report. */
export const RISK_METHOD = 'Risk = likelihood × impact, each 1 (low) to 3 (high); score 1-2 low, 3-4 medium, 6-9 high. ' +
  'Impact is the threat\'s (THREATS[].impact): what the asset is worth to an attacker. Inherent likelihood is the threat\'s ' +
  '(THREATS[].likelihood): how likely it is with no control at all. Residual likelihood follows the status: mitigated 1 ' +
  '(the control is in the output); waived = inherent (the risk is accepted, not reduced); not covered 3 (an open finding ' +
  'or a computed exposure is an invitation); no evidence, assumed and outside this app = the inherent likelihood, at least ' +
  '2 (nothing in the output reduces it).';

/** Rate a likelihood and an impact. */
export function riskOf(likelihood: number, impact: number): RiskRating {
  const l = Math.min(3, Math.max(1, Math.round(likelihood)));
  const i = Math.min(3, Math.max(1, Math.round(impact)));
  const score = l * i;
  return { likelihood: l, impact: i, score, level: score >= 6 ? 'high' : score >= 3 ? 'medium' : 'low' };
}
