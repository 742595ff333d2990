import { IRule, Severity, Stride } from '../../types';
import { EXCEPTIONS_ANNOTATION, parseExceptions, parseWaivers, WAIVER_ANNOTATION } from '../../waiver-record';
import { hasWaiverOrExceptionAnnotation } from './waiver-annotations';

export const waiverExpired: IRule = {
  id: 'waiver-expired',
  title: 'Expired waivers fail',
  stride: [Stride.REPUDIATION],
  severity: Severity.ERROR,
  waivable: false,
  appliesTo: ['*'],
  description: 'A waiver (or a profile exception, annotation hardened.cdk8s.io/exceptions) past its expiry date no longer covers anything; it is reported so that the exception is either ' +
    'renewed on purpose (with a new reason and date) or the underlying finding is fixed.',
  remediation: 'Fix the waived finding and remove the waiver, or renew it deliberately with a new expiry date.',
  references: ['DESIGN.md: expired or unused waivers fail'],
  peers: [],
  threats: ['R2-untraceable-exceptions'],
  admission: { notGenerated: 'about waiver annotations, which admission reads through the generated waiver table (regeneration drops expired ones)' },
  check(obj, ctx) {
    if (!hasWaiverOrExceptionAnnotation(obj)) return []; // most objects: nothing to parse
    const { waivers } = parseWaivers(obj);
    const expiredExceptions = parseExceptions(obj).exceptions
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.expires < ctx.today)
      .map(({ e, i }) => ({
        path: `metadata.annotations["${EXCEPTIONS_ANNOTATION}"]`,
        message: `profile exception #${i} of ${e.scope} (${e.loosens.join(', ')}; owner ${e.owner}) expired on ${e.expires}.`,
      }));
    return [...expiredExceptions, ...waivers
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => w.expires < ctx.today)
      .map(({ w, i }) => ({
        path: `metadata.annotations["${WAIVER_ANNOTATION}"]`,
        message: `waiver #${i} for "${w.ruleId}" (owner ${w.owner}) expired on ${w.expires}.`,
      }))];
  },
};
