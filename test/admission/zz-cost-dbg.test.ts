import { generateRules } from '../../lib/admission/generate';
import { estimateCost } from './cost';
test('dbg', () => {
  const ids = ['container-ssh-port', 'container-env-duplicate', 'probe-port-exposed', 'secret-env-reference', 'credential-literal', 'privileged-container', 'host-ports'];
  const src = (id: string, p: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x', annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: id, reason: 'accepted by the platform team until the migration ends', owner: 'platform', expires: '2026-12-31', path: p }]) } }, spec: {} });
  for (const waived of [false, true]) {
    const gen = generateRules({ settings: { allowedRegistries: [], requireDigest: false, podSecurityVersion: 'v1.34', maxWaiverDays: 90 }, apiVersion: 'v1', generatedOn: '2026-06-15', ruleIds: ids, waiverSources: waived ? ids.map(i => src(i, 'spec.containers[0]')) : [] });
    for (const g of gen) {
      const v = g.variables.map(x => `${x.name}=${estimateCost(x.expression, 3)}`).join(' ');
      const val = g.validations.map(x => `${estimateCost(x.expression, 3)}/${estimateCost(x.messageExpression, 3)}`).join(' ');
      // eslint-disable-next-line no-console
      require('fs').appendFileSync('/tmp/cost.txt', `\n${waived ? 'W' : '-'} ${g.rule.id}: ${v} | ${val}`);
    }
  }
});
