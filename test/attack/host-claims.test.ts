/**
 * Class 9 of issue #30 (hosts): one host claimed across Ingress, HTTPRoute, GRPCRoute and TLSRoute in different
 * namespaces is the same takeover as within one kind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Catalogue } from '../../lib';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { docsOf, expectBlockedEverywhere } from './layers';

const today = new Date().toISOString().slice(0, 10);
const file = path.join(__dirname, '..', 'fixtures', 'rules', 'httproute-hostnames', 'fail-claimed-across-kinds.yaml');

test('every claimant of the host fails: the Ingress (ingress-host) and each route (httproute-hostnames)', () => {
  const docs = docsOf(fs.readFileSync(file, 'utf-8'));
  const f = evaluate(docs.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get('ingress-host'), Catalogue.get('httproute-hostnames')], settings: { ...DEFAULT_PROFILE }, today });
  expect(f.map(x => `${x.ruleId} ${x.object.kind}/${x.object.name}`).sort()).toEqual([
    'httproute-hostnames GRPCRoute/grpc', 'httproute-hostnames TLSRoute/passthrough', 'ingress-host Ingress/shop',
  ]);
  expect(f.find(x => x.object.kind === 'Ingress')!.message).toBe('host "shop.example.com" is also claimed by routes in namespace(s) "attacker", "other".');
  expect(f.find(x => x.object.kind === 'TLSRoute')!.message).toContain('claimed by Ingresses in namespace(s) "shop" and routes in namespace(s) "other"');
});

test('every layer refuses the Ingress whose host a route of another namespace claims', async () => {
  await expectBlockedEverywhere(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'rules', 'ingress-host', 'fail-claimed-by-route.yaml'), 'utf-8'), 'ingress-host', { waive: ['Ingress/shop'] });
});
