/**
 * Every pod-spec rule at admission: the catalogue's core pod rules (cel-rules.ts) followed by the rules that also
 * read object-level fields or the request (pod-rules-extra.ts). One list, in this order, for the generator and tests.
 */
import { PolicySettings } from '../policy/types';
import { AdmissionRule, basePodRules } from './cel-rules';
import { extraPodRules } from './pod-rules-extra';
import { maximumsGenerated, maximumsRule } from './pod-rules-maximums';

/** The pod-spec admission rules for these settings (the PSS version and profile settings decide which apply). */
export function admissionRules(settings: PolicySettings): AdmissionRule[] {
  return [...basePodRules(settings), ...extraPodRules(settings), ...(maximumsGenerated(settings) ? [maximumsRule(settings)] : [])];
}
