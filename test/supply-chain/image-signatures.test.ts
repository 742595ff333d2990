import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Catalogue, Guard, HardenedDeployment, HardeningProfile, ImageSignaturePolicy } from '../../lib';
import { readKubeYaml } from '../../lib/kube/kube-yaml';
import { evaluate, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { ggcrName, sigstoreGlobMatch } from '../../lib/policy/rules/supply-chain/sigstore-glob';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { IMAGE, MINIMAL } from '../workload/helpers';

const ID = 'image-signature-required';
const DIR = path.join(__dirname, '..', 'fixtures', 'rules', ID);
const settings = { allowedRegistries: DEFAULT_PROFILE.allowedRegistries, requireDigest: true, podSecurityVersion: 'v1.28', maxWaiverDays: 90, requireImageSignatures: true };
const judge = (objects: any[]) => evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(ID)], settings, today: '2026-01-01' }).filter(f => f.ruleId === ID);
const KEYLESS = { images: ['registry.example.com/shop/**'], keylessIssuer: 'https://token.actions.githubusercontent.com', keylessSubject: 'https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main' };
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexampleexampleexampleexampleexampleexample==\n-----END PUBLIC KEY-----\n';

describe('policy-controller glob semantics (pkg/apis/glob)', () => {
  test.each([
    ['nginx', 'index.docker.io/library/nginx:latest'],
    ['nginx:1.27', 'index.docker.io/library/nginx:1.27'],
    ['acme/app@sha256:' + 'b'.repeat(64), `index.docker.io/acme/app@sha256:${'b'.repeat(64)}`],
    ['registry.example.com/shop/api:1.0', 'registry.example.com/shop/api:1.0'],
  ])('%s is named %s', (image, name) => expect(ggcrName(image)).toBe(name));

  test.each([
    ['registry.example.com/shop/**', IMAGE, true],
    ['registry.example.com/shop/*', 'registry.example.com/shop/api:1.0', true],
    ['registry.example.com/shop/*', 'registry.example.com/shop/team/api:1.0', false],
    ['registry.example.com/shop/api', 'registry.example.com/shop/api:1.0', false],
    ['registry.example.com/shop/api:**', 'registry.example.com/shop/api:1.0', true],
    ['*', 'nginx', true],
    ['*', 'acme/app', false],
    ['registry.example.com/shop/**', 'registry.example.com.evil.io/shop/api:1', false],
    ['registry.example.com/sho**', 'registry.example.com/shop-evil/api:1', true],
  ])('%s on %s: %s', (glob, image, expected) => expect(sigstoreGlobMatch(glob, image)).toBe(expected));
});

test.each([
  ['fail-no-policy.yaml', /covered by no enforcing ClusterImagePolicy/],
  ['fail-single-star.yaml', /covered by no enforcing/],
  ['fail-warn-mode.yaml', /covered by no enforcing/],
  ['fail-dockerhub-spelling.yaml', /"nginx:1\.27".*covered by no enforcing/],
  ['fail-namespace-unlabelled.yaml', /lacks policy\.sigstore\.dev\/include: "true"/],
  ['fail-deployment-no-authority.yaml', /covered by no enforcing/],
])('%s fails for its reason', (file, message) => {
  const f = judge(readKubeYaml(fs.readFileSync(path.join(DIR, file), 'utf-8')) as any[]);
  expect(f.length).toBe(1);
  expect(f[0].message).toMatch(message);
});

test('without requireImageSignatures the rule is silent (documented default false)', () => {
  const objects = readKubeYaml(fs.readFileSync(path.join(DIR, 'fail-no-policy.yaml'), 'utf-8')) as any[];
  const f = evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o) })), { rules: [Catalogue.get(ID)], settings: { ...settings, requireImageSignatures: false }, today: '2026-01-01' });
  expect(f).toEqual([]);
});

describe('ImageSignaturePolicy', () => {
  test('one enforcing ClusterImagePolicy per signer (keyless and key), valid against the vendored CRD', () => {
    const chart = new ImageSignaturePolicy(new App(), 'signatures', { signers: [KEYLESS, { images: ['index.docker.io/library/nginx:**'], publicKey: PEM }] });
    const objects = synth(chart);
    expectValidObjects(objects);
    expect(objects.map(o => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([['ClusterImagePolicy', 'signatures-0', undefined], ['ClusterImagePolicy', 'signatures-1', undefined]]);
    expect(objects[0].spec).toEqual({
      images: [{ glob: 'registry.example.com/shop/**' }], mode: 'enforce',
      authorities: [{ name: 'keyless', keyless: { url: 'https://fulcio.sigstore.dev', identities: [{ issuer: KEYLESS.keylessIssuer, subject: KEYLESS.keylessSubject }] }, ctlog: { url: 'https://rekor.sigstore.dev' } }],
    });
    expect(objects[1].spec.authorities).toEqual([{ name: 'key', key: { data: PEM, hashAlgorithm: 'sha256' } }]);
    expect(Guard.of(chart).findings()).toEqual([]);
  });

  test('signers default to the profile\'s trustedSigners; with requireImageSignatures a covered workload synthesizes, an uncovered one fails (whole app judged)', () => {
    const build = (image: string) => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'signatures-')) });
      new HardeningProfile(app, 'profile', { requireImageSignatures: true, trustedSigners: [KEYLESS] });
      new ImageSignaturePolicy(app, 'signatures');
      const chart = new Chart(app, 'apps');
      new HardenedDeployment(chart, 'api', { ...MINIMAL, image });
      return app;
    };
    expect(() => build(IMAGE).synth()).not.toThrow();
    expect(() => build(`registry.example.com/other/api@sha256:${'c'.repeat(64)}`).synth()).toThrow(/image-signature-required.*covered by no enforcing ClusterImagePolicy/);
  });

  test.each([
    [{}, /props\.signers.*violates image-signature-required: is empty/s],
    [{ signers: [{ images: [], publicKey: PEM }] }, /props\.signers\[0\]\.images.*covers no image/s],
    [{ signers: [{ images: ['registry.example.com/shop/**'] }] }, /exactly one of publicKey or keylessIssuer/],
    [{ signers: [{ ...KEYLESS, publicKey: PEM }] }, /exactly one of publicKey or keylessIssuer/],
    [{ signers: [{ ...KEYLESS, keylessIssuer: 'http://issuer' }] }, /https issuer/],
    [{ signers: [{ images: ['registry.example.com/shop/**'], publicKey: 'not a key' }] }, /not a PEM public key/],
    [{ signers: [{ ...KEYLESS, images: ['registry example'] }] }, /not a policy-controller glob/],
  ])('%j is refused', (props, message) => {
    expect(() => new ImageSignaturePolicy(new App(), 's', props as any)).toThrow(message);
  });
});
