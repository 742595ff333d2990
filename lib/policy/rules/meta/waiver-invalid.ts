import { IRule, Severity, Stride } from '../../types';
import { daysUntil, EXCEPTIONS_ANNOTATION, parseExceptions, parseWaivers, WAIVER_ANNOTATION } from '../../waiver-record';
import { hasWaiverOrExceptionAnnotation } from './waiver-annotations';

export const waiverInvalid: IRule = {
  id: 'waiver-invalid',
  title: 'Waivers must be well-formed, reasoned, owned, name a known rule and not run too long',
  stride: [Stride.REPUDIATION, Stride.TAMPERING],
  severity: Severity.ERROR,
  waivable: false,
  appliesTo: ['*'],
  description: 'An exception is only acceptable when it is explicit: a known rule id, a reason of at least 20 characters, ' +
    'an owner and an expiry date within the profile\'s maximum waiver duration. A malformed waiver annotation would otherwise be ' +
    'a silent override. ' +
    'The same holds for the profile exceptions recorded in the hardened.cdk8s.io/exceptions annotation.',
  remediation: `Fix the ${WAIVER_ANNOTATION} annotation (use Waiver.apply): known ruleId, reason >= 20 characters, owner, ` +
    'expires YYYY-MM-DD no further ahead than the profile\'s maxWaiverDays.',
  references: ['DESIGN.md: exceptions are explicit, reasoned, expiring waivers'],
  peers: [],
  threats: ['R2-untraceable-exceptions'],
  admission: { notGenerated: 'about waiver annotations, which admission reads through the generated waiver table (only valid waivers are baked in)' },
  check(obj, ctx) {
    if (!hasWaiverOrExceptionAnnotation(obj)) return []; // most objects: nothing to parse
    const path = `metadata.annotations["${WAIVER_ANNOTATION}"]`;
    const { waivers, problems } = parseWaivers(obj);
    const out = problems.map(message => ({ path, message: `${message}.` }));
    // The rule index is built only for objects that carry waivers (most carry none).
    const known = waivers.length > 0 ? new Map((ctx.knownRules ?? ctx.rules).map(r => [r.id, r])) : new Map<string, any>();
    waivers.forEach((w, i) => {
      if (!known.has(w.ruleId)) out.push({ path, message: `waiver #${i} names unknown rule "${w.ruleId}".` });
      else if (known.get(w.ruleId)?.waivable === false) out.push({ path, message: `waiver #${i} waives "${w.ruleId}", which cannot be waived.` });
      const days = daysUntil(w.expires, ctx.today);
      if (days > ctx.settings.maxWaiverDays) {
        out.push({ path, message: `waiver #${i} for "${w.ruleId}" expires ${w.expires}, ${days} days ahead; the profile allows at most ${ctx.settings.maxWaiverDays}.` });
      }
    });
    const epath = `metadata.annotations["${EXCEPTIONS_ANNOTATION}"]`;
    const parsedExceptions = parseExceptions(obj);
    for (const message of parsedExceptions.problems) out.push({ path: epath, message: `${message}.` });
    parsedExceptions.exceptions.forEach((e, i) => {
      const days = daysUntil(e.expires, ctx.today);
      if (days > ctx.settings.maxWaiverDays) {
        out.push({ path: epath, message: `profile exception #${i} of ${e.scope} expires ${e.expires}, ${days} days ahead; the profile allows at most ${ctx.settings.maxWaiverDays}.` });
      }
    });
    return out;
  },
};
