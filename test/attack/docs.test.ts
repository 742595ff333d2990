/** docs/guides/attack-surface.md stays true: its rule ids exist, its lists match the code. */
import * as fs from 'fs';
import * as path from 'path';
import { Catalogue } from '../../lib';
import { LINKERD_OPEN_POLICIES } from '../../lib/semantics/mesh/bypass';
import { ESCALATION_PATHS } from '../../lib/semantics/rbac';
import { NODE_COMPONENT_PORTS } from '../../lib/workload/node-ports';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'attack-surface.md'), 'utf-8');

test('every rule id the guide names is a catalogue rule', () => {
  const named = [...doc.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map(m => m[1]).filter(id => /^(rbac|istio|linkerd|ingress|volume|host|httproute|service)-/.test(id));
  const known = new Set(Catalogue.all().map(r => r.id));
  const unknown = named.filter(id => !known.has(id) && !['service-account-token', 'host-path-volumes'].includes(id) && !id.startsWith('ingress-nginx'));
  expect(unknown).toEqual([]);
  for (const id of ['rbac-secret-create', 'rbac-binding-privileged', 'istio-sidecar-injection-disabled', 'linkerd-proxy-bypass', 'ingress-controller-injection', 'ingress-backend-exists', 'volume-mount-system-path']) {
    expect(doc).toContain(`\`${id}\``);
  }
});

test('the node-component ports, Linkerd open policies and escalation path ids it lists are the code\'s', () => {
  const row = doc.split('\n').find(l => l.startsWith('| host ports of node components'))!;
  expect([...row.matchAll(/\b(\d{4,5})\b/g)].map(m => Number(m[1])).sort()).toEqual(Object.keys(NODE_COMPONENT_PORTS).map(Number).sort());
  for (const p of LINKERD_OPEN_POLICIES) expect(doc).toContain(`\`${p}\``);
  const ids = [...doc.matchAll(/path `([a-z/-]+)`/g)].map(m => m[1]);
  const known = new Set(ESCALATION_PATHS.map(p => p.id));
  expect(ids.filter(id => !known.has(id))).toEqual([]);
  expect(ids.length).toBeGreaterThan(5);
});
