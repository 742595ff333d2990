/**
 * Issue 14: every check of the peers (docs/peers-source.md) is covered by a catalogue rule or listed out of scope with a
 * reason, and docs/peers.md says which.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Catalogue } from '../../lib';
import { OUT_OF_SCOPE, PEER_NOTES, peersOf } from '../../lib/policy/peers/mapping';
import { coverage, peerSections, peersMarkdown, unmapped } from '../../scripts/peers-doc';

const sections = peerSections();
const ids = sections.flatMap(s => s.ids);
const known = new Set(ids);

test('the source lists the five peers with the counts its headings declare, without duplicates', () => {
  expect(sections.map(s => s.tool)).toEqual(['kube-linter', 'polaris', 'kubesec', 'gatekeeper', 'kyverno']);
  for (const s of sections) if (s.declared !== undefined) expect(`${s.tool}: ${s.ids.length}`).toBe(`${s.tool}: ${s.declared}`);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBeGreaterThan(200);
});

test('every peer check is covered by a rule or listed out of scope', () => {
  expect(unmapped()).toEqual([]);
});

test('an id added to the source and mapped nowhere is reported', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'peers-source.md'), 'utf-8')
    .replace('## kubesec (30)\n', '## kubesec (30)\nNewCheckNobodyMapped, ');
  expect(unmapped(peerSections(text))).toEqual(['kubesec:NewCheckNobodyMapped']);
});

test('no peer check is both covered and out of scope', () => {
  const cov = coverage();
  expect(Object.keys(OUT_OF_SCOPE).filter(id => cov.has(id))).toEqual([]);
});

test('every peer id named by a rule, the tables or the notes is in the source (no typos)', () => {
  const named = [...Catalogue.all().flatMap(r => peersOf(r)), ...Object.keys(OUT_OF_SCOPE), ...Object.keys(PEER_NOTES)];
  expect(named.filter(id => !known.has(id))).toEqual([]);
  for (const id of named) expect(id).toMatch(/^(kube-linter|polaris|kubesec|gatekeeper|kyverno):\S+$/);
});

test('notes are on covered checks; reasons are written out', () => {
  const cov = coverage();
  expect(Object.keys(PEER_NOTES).filter(id => !cov.has(id))).toEqual([]);
  for (const reason of Object.values(OUT_OF_SCOPE)) expect(reason.length).toBeGreaterThan(30);
});

test('every catalogue rule declares its peers in its own file (`[]` for none), and peersOf reads that field', () => {
  for (const r of Catalogue.all()) {
    expect(`${r.id}: ${Array.isArray(r.peers)}`).toBe(`${r.id}: true`);
    expect(peersOf(r)).toEqual(r.peers);
  }
});

test('docs/peers.md is in sync (run `npm run docs`)', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'peers.md'), 'utf-8')).toBe(peersMarkdown());
});
