/**
 * Class 7 of issue #30: profile nesting follows the construct tree, not creation order. A chart-level profile created
 * before the App-level one is nested under it and may not loosen it without an exception record.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { HardenedChart, HardeningProfile } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { daysFromNow } from '../cli/helpers';

const EXCEPTION = { reason: 'legacy images are rebuilt with digests by Q3', owner: 'team-legacy', expires: daysFromNow(20) };

describe('a profile created before the one that encloses it', () => {
  test.each([
    ['requireDigest: false', { requireDigest: false }, { requireDigest: true }, 'requireDigest=false'],
    ['a registry the App does not allow', { allowedRegistries: ['docker.io'] }, { allowedRegistries: ['registry.example.com'] }, 'allowedRegistries+=docker.io'],
    ['maxWaiverDays: 3650', { maxWaiverDays: 3650 }, { maxWaiverDays: 30 }, 'maxWaiverDays=3650'],
    ['an older podSecurityVersion', { podSecurityVersion: 'v1.28' }, { podSecurityVersion: 'v1.30' }, 'podSecurityVersion=v1.28'],
  ])('loosening %s without an exception record is refused when the App profile is added', (_, childProps, appProps, loosening) => {
    const app = new App();
    const chart = new Chart(app, 'legacy');
    new HardeningProfile(chart, 'p', childProps as any); // the library defaults allow it: not nested yet
    let err: unknown;
    try {
      new HardeningProfile(app, 'p', appProps as any);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HardeningError);
    expect((err as Error).message).toContain('[legacy/p] props=');
    expect((err as Error).message).toContain(loosening);
    expect((err as Error).message).toMatch(/profile p, created after it, encloses it/);
    // The refused App profile is not left in force (a retry with a compatible one works).
    expect(HardeningProfile.chainOf(chart)).toHaveLength(1);
  });

  test('an exception record given while not nested yet is refused (it covers nothing): the fix is to create the enclosing profile first', () => {
    const app = new App();
    const chart = new Chart(app, 'legacy');
    expect(() => new HardeningProfile(chart, 'p', { requireDigest: false, exception: EXCEPTION })).toThrow(/waiver-unused/);
    new HardeningProfile(chart, 'p2', { requireDigest: false });
    expect(() => new HardeningProfile(app, 'p', {})).toThrow(/create the enclosing profile first/);
  });

  test('a profile added between records what the inner exception now covers, in the output', () => {
    const app = new App();
    new HardeningProfile(app, 'p', { maxWaiverDays: 30 });
    const outer = new Chart(app, 'outer');
    const inner = new HardenedChart(outer, 'inner');
    new HardeningProfile(inner, 'p', { requireDigest: false, allowedRegistries: ['docker.io'], exception: EXCEPTION });
    const innerProfile = () => HardeningProfile.chainOf(inner).slice(-1)[0];
    expect(innerProfile().exceptionRecord?.loosens).toEqual(['requireDigest=false']);
    new HardeningProfile(outer, 'p', { allowedRegistries: ['registry.example.com'] });
    expect(innerProfile().exceptionRecord).toMatchObject({ scope: 'outer/inner', loosens: ['requireDigest=false', 'allowedRegistries+=docker.io'], owner: 'team-legacy' });
    const obj = new ApiObject(inner, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { a: 'b' } });
    app.synthYaml();
    expect(obj.toJson().metadata.annotations['hardened.cdk8s.io/exceptions']).toContain('allowedRegistries+=docker.io');
  });

  test('an exception that runs longer than a profile added above it allows is refused', () => {
    const app = new App();
    new HardeningProfile(app, 'p', {});
    const outer = new Chart(app, 'outer');
    const inner = new Chart(outer, 'legacy');
    new HardeningProfile(inner, 'p', { requireDigest: false, exception: EXCEPTION });
    expect(() => new HardeningProfile(outer, 'p', { maxWaiverDays: 7 })).toThrow(/\[outer\/legacy\/p\] props\.exception=.*at most 7 are allowed \(profile outer\/p, created after it, encloses it\)/s);
  });

  test('a child that only tightens may come first', () => {
    const app = new App();
    const chart = new Chart(app, 'strict');
    new HardeningProfile(chart, 'p', { allowedRegistries: ['registry.example.com/shop'], maxWaiverDays: 10 });
    new HardeningProfile(app, 'p', { allowedRegistries: ['registry.example.com'], maxWaiverDays: 30 });
    expect(HardeningProfile.resolve(chart).allowedRegistries).toEqual(['registry.example.com/shop']);
  });

  test('three levels: a grandchild created first is judged against both', () => {
    const app = new App();
    const outer = new Chart(app, 'outer');
    const inner = new Chart(outer, 'inner');
    new HardeningProfile(inner, 'p', { allowedRegistries: ['docker.io'] });
    expect(() => new HardeningProfile(outer, 'p', { allowedRegistries: ['registry.example.com'] })).toThrow(/\[outer\/inner\/p\].*allowedRegistries\+=docker\.io/s);
  });
});
