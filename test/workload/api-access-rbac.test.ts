/**
 * HardenedDeployment.apiAccess cannot express an RBAC escalation path: every grant is judged at construct time by the
 * catalogue's RBAC rules through the shared evaluator (effective grants, not spelling), errors and warnings alike.
 */
import { Guard, HardenedDeployment } from '../../lib';
import { HardeningError } from '../../lib/policy/errors';
import { synth } from '../util/synth';
import { MINIMAL, newChart } from './helpers';

const build = (apiAccess: any[]) => {
  const chart = newChart();
  new HardenedDeployment(chart, 'api', { ...MINIMAL, apiAccess });
  return chart;
};
const errorOf = (apiAccess: any[]): string => {
  try {
    build(apiAccess);
  } catch (e) {
    expect(e).toBeInstanceOf(HardeningError);
    return (e as Error).message;
  }
  throw new Error('expected a HardeningError');
};
const core = (resources: string[], verbs: string[], resourceNames?: string[]) => ({ apiGroups: [''], resources, verbs, ...(resourceNames ? { resourceNames } : {}) });

describe('apiAccess escalation paths are construct-time errors naming the rule', () => {
  test.each([
    ['create pods', [core(['pods'], ['create'])], 'rbac-pod-create'],
    ['update pods (swap the image)', [core(['pods'], ['update'])], 'rbac-pod-create'],
    ['update deployments in extensions', [{ apiGroups: ['extensions'], resources: ['deployments'], verbs: ['update'] }], 'rbac-pod-create'],
    ['patch one named cronjob', [{ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['patch'], resourceNames: ['nightly'] }], 'rbac-pod-create'],
    ['create replicationcontrollers', [core(['replicationcontrollers'], ['create'])], 'rbac-pod-create'],
    ['get pods/exec (websocket exec)', [core(['pods/exec'], ['get'])], 'rbac-escalation'],
    ['create pods/attach', [core(['pods/attach'], ['create'])], 'rbac-escalation'],
    ['patch pods/ephemeralcontainers', [core(['pods/ephemeralcontainers'], ['patch'])], 'rbac-escalation'],
    ['create serviceaccounts/token for one name', [core(['serviceaccounts/token'], ['create'], ['deployer'])], 'rbac-escalation'],
    ['create secrets (token minting)', [core(['secrets'], ['create'])], 'rbac-secret-create'],
    ['get secrets without names', [core(['secrets'], ['get'])], 'rbac-secrets-access'],
    ['watch named secrets', [core(['secrets'], ['watch'], ['db'])], 'rbac-secrets-access'],
    ['patch its own namespace', [core(['namespaces'], ['patch'])], 'rbac-namespace-write'],
    ['create endpoints', [core(['endpoints'], ['create'])], 'rbac-endpoints-write'],
    ['patch endpointslices', [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['patch'] }], 'rbac-endpoints-write'],
  ])('%s', (_name, apiAccess, ruleId) => {
    expect(errorOf(apiAccess)).toMatch(new RegExp(`props\\.apiAccess\\[0\\]=.* violates ${ruleId}: .*Fix:`, 's'));
  });

  test('the error names the escalation path and the rule that grants it', () => {
    expect(errorOf([core(['configmaps'], ['get']), core(['pods/exec'], ['create'])]))
      .toMatch(/\[test\/api\] props\.apiAccess\[1\]=.* violates rbac-escalation: Role "api-api-access" grants create pods\/exec in namespace "shop" \(rules\[0\]\): path pods\/exec/);
  });
});

describe('apiAccess grants that take no path are accepted', () => {
  test.each([
    ['read configmaps and one secret', [core(['configmaps'], ['get', 'list', 'watch']), core(['secrets'], ['get'], ['db-credentials'])]],
    ['create pods with resourceNames (never allowed: create carries no name)', [core(['pods'], ['create'], ['debug'])]],
    ['scale deployments', [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update', 'patch'] }]],
    ['cluster-scoped resources in a Role grant nothing', [core(['persistentvolumes', 'nodes'], ['create', 'get'])]],
    ['leases for leader election', [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]],
  ])('%s', (_name, apiAccess) => {
    const chart = build(apiAccess);
    synth(chart);
    expect(Guard.of(chart).findings().filter(f => f.ruleId.startsWith('rbac-'))).toEqual([]);
  });
});
