import { IRule, Severity, Stride } from '../../types';
import { parseWaivers, pathCovered, WAIVER_ANNOTATION } from '../../waiver-record';
import { hasWaiverAnnotation } from './waiver-annotations';

export const waiverUnused: IRule = {
  id: 'waiver-unused',
  title: 'Waivers must match a finding',
  stride: [Stride.REPUDIATION, Stride.TAMPERING],
  severity: Severity.ERROR,
  waivable: false,
  appliesTo: ['*'],
  description: 'A waiver that covers no failing finding on its object is a suppression that silently stopped matching (or never ' +
    'did): it would hide a future regression. It must be removed.',
  remediation: 'Remove the waiver, or correct its ruleId / path so it names the finding it is meant to cover.',
  references: ['DESIGN.md: an unused waiver is an error', 'cdk-nag: suppressions that silently stop matching'],
  peers: [],
  threats: ['R2-untraceable-exceptions'],
  admission: { notGenerated: 'cross-object: needs every rule\'s findings on the object' },
  check(obj, ctx) {
    if (!hasWaiverAnnotation(obj)) return []; // most objects: nothing to parse
    const { waivers } = parseWaivers(obj);
    const out = [];
    for (const [i, w] of waivers.entries()) {
      const rule = ctx.rules.find(r => r.id === w.ruleId);
      if (!rule || rule.waivable === false) continue; // not evaluated in this run, or reported by waiver-invalid
      const applies = rule.appliesTo.includes('*') || rule.appliesTo.includes(String(obj?.kind));
      let matched = false;
      if (applies) {
        try {
          matched = rule.check(obj, ctx).some(v => !v.unevaluable && pathCovered(v.path, w.path));
        } catch {
          matched = false;
        }
      }
      if (!matched) {
        out.push({
          path: `metadata.annotations["${WAIVER_ANNOTATION}"]`,
          message: `waiver #${i} for "${w.ruleId}"${w.path ? ` at ${w.path}` : ''} matches no finding on this object.`,
        });
      }
    }
    return out;
  },
};
