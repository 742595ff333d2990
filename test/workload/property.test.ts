/**
 * Property-based tests: random valid props always synthesize schema-valid objects with zero error findings;
 * random invalid values always raise a HardeningError (never a TypeError or another error).
 */
import * as fc from 'fast-check';
import { Guard, HardenedDeployment, HardenedDeploymentProps } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { expectValidObjects } from '../util/schema';
import { synth } from '../util/synth';
import { MINIMAL, newChart } from './helpers';

const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 });
const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const image = fc.tuple(fc.constantFrom('registry.example.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'ghcr.io'), segment, segment, hex)
  .map(([reg, a, b, d]) => `${reg}/${a}/${b}@sha256:${d}`);
const quantity = (units: string[]) => fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(...units)).map(([n, u]) => `${n}${u}`);
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map(s => `/${s.join('/')}`);

const validProps = fc.record({
  image,
  bindPrivilegedPort: fc.boolean(),
  portRaw: fc.integer({ min: 1, max: 65535 }),
  replicas: fc.integer({ min: 2, max: 20 }),
  runAsUser: fc.integer({ min: 1, max: 2147483647 }),
  runAsGroup: fc.integer({ min: 1, max: 2147483647 }),
  writablePaths: fc.uniqueArray(path, { maxLength: 4 }),
  resources: fc.record({
    cpuRequest: quantity(['m', '']),
    memoryRequest: quantity(['Mi', 'Gi']),
    memoryLimit: fc.option(quantity(['Mi', 'Gi']), { nil: undefined }),
  }),
}).map(r => {
  const port = r.portRaw < 1024 && !r.bindPrivilegedPort ? r.portRaw + 1024 : r.portRaw;
  const { portRaw, ...rest } = r;
  return { ...rest, port } as HardenedDeploymentProps;
});

test('random valid props synthesize schema-valid objects with zero error findings', () => {
  fc.assert(fc.property(validProps, props => {
    const chart = newChart();
    new HardenedDeployment(chart, 'app', props);
    const objects = synth(chart);
    expectValidObjects(objects);
    const errors = Guard.of(chart).findings().filter(f => f.severity === 'error');
    if (errors.length > 0) throw new Error(JSON.stringify(errors.map(e => `${e.ruleId}: ${e.message}`)));
  }), { numRuns: 60 });
});

const invalid: fc.Arbitrary<Partial<HardenedDeploymentProps>> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 2 ** 31, NaN).map(runAsUser => ({ runAsUser })),
  fc.constantFrom(0, -7, 3.2, Infinity).map(runAsGroup => ({ runAsGroup })),
  fc.constantFrom(0, 1, -1, NaN, 2.5).map(replicas => ({ replicas })),
  fc.constantFrom(0, 70000, 1.5, -80, 80, 443).map(port => ({ port })),
  fc.constantFrom('nginx', 'nginx:latest', 'registry.example.com/a:1.0', 'registry.example.com/a@sha256:abc', '', 'a b').map(img => ({ image: img })),
  fc.constantFrom('/', 'tmp', '/a/../b', '/a//b', '/a/').map(p => ({ writablePaths: [p] })),
  fc.constantFrom('lots', '-1', '0', '1.2.3', '').map(cpuRequest => ({ resources: { cpuRequest, memoryRequest: '128Mi' } })),
  fc.constantFrom('*', 'escalate', 'bind', 'impersonate', 'nuke', '').map(v => v === '' ? [] as string[] : [v]).map(verbs => ({ apiAccess: [{ apiGroups: [''], resources: ['pods'], verbs }] })),
  fc.constantFrom('*', 'pods/exec', 'pods/attach', 'serviceaccounts/token').map(r => ({ apiAccess: [{ apiGroups: [''], resources: [r], verbs: ['create'] }] })),
);

test('random invalid values raise a HardeningError, never another error', () => {
  fc.assert(fc.property(invalid, override => {
    let thrown: unknown;
    try {
      new HardenedDeployment(newChart(), 'app', { ...MINIMAL, ...override });
    } catch (e) {
      thrown = e;
    }
    if (!(thrown instanceof HardeningError)) {
      throw new Error(`expected HardeningError for ${JSON.stringify(override)}, got ${thrown}`);
    }
  }), { numRuns: 150 });
});
