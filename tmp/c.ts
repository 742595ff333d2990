import { generateRules } from '../lib/admission/generate';
import { estimateCost } from '../test/admission/cost';
import { waiverSources } from '../test/admission/arbitrary';
const S = { allowedRegistries: ['registry.example.com'], requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90 };
for (const w of [[], waiverSources()]) for (const g of generateRules({ settings: S, apiVersion: 'v1', generatedOn: '2026-06-15', waiverSources: w })) {
  console.log(g.rule.id, w.length, 'expr', estimateCost(g.expression, 3), 'msg', estimateCost(g.messageExpression, 3), 'vars', g.variables.map(v => v.name + ':' + estimateCost(v.expression, 3)).join(' '), 'val', g.validations.map(v => estimateCost(v.expression, 3)).join(' '));
}
