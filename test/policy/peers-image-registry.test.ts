/**
 * Issue 14, bug 2: an allowed-registry entry that names a repository matches images of that repository, and only those.
 * Every pod of the rule's repository fixtures is judged on its own (the catalogue meta-test only needs one failure per file).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { imageAllowedBy, parseImage } from '../../lib/policy/rules/workload/image-ref';
import { imageRegistryAllowed } from '../../lib/policy/rules/workload/image-registry-allowed';

const DIR = path.join(__dirname, '..', 'fixtures', 'rules', 'image-registry-allowed');
const settings = JSON.parse(fs.readFileSync(path.join(DIR, 'settings.json'), 'utf-8'));
const ctx: any = { settings: { ...settings, requireDigest: false, podSecurityVersion: 'v1.28', maxWaiverDays: 90 }, objects: [], rules: [], today: '2026-01-01' };
const pods = (file: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf-8')).map(d => d.toJSON()).filter(Boolean);

describe.each(pods('pass-repository.yaml').map(p => [p.metadata.name, p]))('allowed: %s', (_, pod) => {
  test('passes', () => expect(imageRegistryAllowed.check(pod, ctx)).toEqual([]));
});
describe.each(pods('fail-repository.yaml').map(p => [p.metadata.name, p]))('refused: %s', (_, pod) => {
  test('fails', () => expect(imageRegistryAllowed.check(pod, ctx)).toHaveLength(1));
});

const D = '@sha256:' + 'a'.repeat(64);
test.each([
  ['ubuntu', 'docker.io/library/ubuntu', true],
  ['ubuntu:22.04', 'ubuntu', true],
  ['library/ubuntu' + D, 'docker.io/library/ubuntu', true],
  ['ubuntu-evil', 'docker.io/library/ubuntu', false],
  ['ubuntu', 'docker.io/library/ubuntu-evil', false],
  ['docker.io/library/ubuntu/extra', 'docker.io/library/ubuntu', true],
  ['bitnami/redis', 'docker.io/bitnami', true],
  ['bitnami-evil/redis', 'docker.io/bitnami', false],
  ['docker.io/bitnami', 'docker.io/bitnami', true],
  ['redis', 'bitnami/redis', false],
  ['bitnami/redis:7', 'bitnami/redis', true],
  ['ubuntu:22.04', 'ubuntu:22.04', true],
  ['ubuntu:24.04', 'ubuntu:22.04', false],
  ['ubuntu' + D, 'ubuntu' + D, true],
  ['ubuntu', 'ubuntu' + D, false],
  ['registry.example.com:5000/app', 'registry.example.com', false],
  ['registry.example.com/app', 'registry.example.com:5000', false],
  ['registry.example.com:5000/app', 'registry.example.com:5000/', true],
  ['REGISTRY.example.com/app', 'registry.example.com', false],
  ['registry.example.com.evil.io/app', 'registry.example.com', false],
  ['registry.example.com/app', 'registry.example.com/ap', false],
  ['registry.example.com/App', 'registry.example.com', false],
  ['registry.example.com//app', 'registry.example.com', false],
  ['registry.example.com/app:', 'registry.example.com', false],
  ['registry.example.com/app@sha256:abc', 'registry.example.com', false],
  ['index.docker.io/library/nginx', 'docker.io', false],
  ['nginx', 'index.docker.io', false],
  ['index.docker.io/library/nginx', 'index.docker.io', true],
  ['[::1]:5000/app', '[::1]:5000', true],
  ['anything', '', false],
])('%s allowed by %s: %s', (image, entry, expected) => {
  expect(imageAllowedBy(image as string, entry as string)).toBe(expected);
});

test('parseImage normalises like Docker and containerd', () => {
  expect(parseImage('ubuntu').name).toBe('docker.io/library/ubuntu');
  expect(parseImage('Foo/bar').registry).toBe('Foo');
  expect(parseImage('localhost/app').registry).toBe('localhost');
  expect(parseImage('a/b/c:1').name).toBe('docker.io/a/b/c');
  expect(parseImage(' ubuntu').valid).toBe(false);
});
