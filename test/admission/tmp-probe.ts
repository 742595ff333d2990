import { generateRules } from '../../lib/admission/generate';
import { estimateCost } from './cost';
import { ipBlockOk } from '../../lib/admission/netpol-metadata';
const S: any = { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 };
const g = generateRules({ settings: S, apiVersion: 'v1', generatedOn: '2026-06-15', ruleIds: ['network-policy-egress-cloud-metadata'] })[0];
for (const v of g.variables) console.log('var', v.name, estimateCost(v.expression));
for (const v of g.validations) console.log('val', estimateCost(v.expression), estimateCost(v.messageExpression));
console.log('ipBlock', estimateCost(ipBlockOk('b')));
