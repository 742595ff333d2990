import { IRule, Severity, Stride } from '../../types';
import { daysUntil, parseWaivers, WAIVER_ANNOTATION } from '../../waiver-record';

export const waiverInvalid: IRule = {
  id: 'waiver-invalid',
  title: 'Waivers must be well-formed, reasoned, owned, name a known rule and not run too long',
  stride: [Stride.REPUDIATION, Stride.TAMPERING],
  severity: Severity.ERROR,
  waivable: false,
  appliesTo: ['*'],
  description: 'An exception is only acceptable when it is explicit: a known rule id, a reason of at least 20 characters, ' +
    'an owner and an expiry date within the profile\'s maximum waiver duration. A malformed waiver annotation would otherwise be ' +
    'a silent override.',
  remediation: `Fix the ${WAIVER_ANNOTATION} annotation (use Waiver.apply): known ruleId, reason >= 20 characters, owner, ` +
    'expires YYYY-MM-DD no further ahead than the profile\'s maxWaiverDays.',
  references: ['DESIGN.md: exceptions are explicit, reasoned, expiring waivers'],
  check(obj, ctx) {
    const path = `metadata.annotations["${WAIVER_ANNOTATION}"]`;
    const { waivers, problems } = parseWaivers(obj);
    const out = problems.map(message => ({ path, message: `${message}.` }));
    if (waivers.length === 0) return out;
    const known = new Map((ctx.knownRules ?? ctx.rules).map(r => [r.id, r]));
    waivers.forEach((w, i) => {
      if (!known.has(w.ruleId)) out.push({ path, message: `waiver #${i} names unknown rule "${w.ruleId}".` });
      else if (known.get(w.ruleId)?.waivable === false) out.push({ path, message: `waiver #${i} waives "${w.ruleId}", which cannot be waived.` });
      const days = daysUntil(w.expires, ctx.today);
      if (days > ctx.settings.maxWaiverDays) {
        out.push({ path, message: `waiver #${i} for "${w.ruleId}" expires ${w.expires}, ${days} days ahead; the profile allows at most ${ctx.settings.maxWaiverDays}.` });
      }
    });
    return out;
  },
};
