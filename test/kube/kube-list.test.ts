/**
 * Lists as kubectl reads them (k8s.io/apimachinery unstructured decode + cli-runtime FlattenListVisitor), and the
 * engine judging every item of a list as an object of its own.
 */
import { Catalogue, Outcome } from '../../lib';
import { expandLists } from '../../lib/kube/expand';
import { isKubeList, listItemsOf, listItemsWithPaths, listProblem } from '../../lib/kube/kube-list';
import { evaluate, formatFinding, objectRefOf } from '../../lib/policy/engine';
import { DEFAULT_PROFILE } from '../../lib/policy/profile';
import { WAIVER_ANNOTATION } from '../../lib/policy/waiver-record';

const pod = (name: string, privileged = false) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/a:1', securityContext: { privileged } }] },
});

describe('listItemsOf', () => {
  test('not a list: no items key, items null or undefined, non-objects', () => {
    expect(listItemsOf(pod('p'))).toBeUndefined();
    expect(listItemsOf({ kind: 'List', items: null })).toBeUndefined();
    expect(listItemsOf({ kind: 'List' })).toBeUndefined();
    expect(listItemsOf(null)).toBeUndefined();
    expect(listItemsOf([pod('p')])).toBeUndefined();
    expect(listItemsOf('items')).toBeUndefined();
  });

  test('any kind with an items array is a list, whatever the kind, with extra fields', () => {
    for (const kind of ['List', 'PodList', 'DeploymentList', 'Deployment', 'Widget', '']) {
      const obj = { apiVersion: 'v1', kind, spec: { replicas: 3 }, items: [pod('a')] };
      expect(isKubeList(obj)).toBe(true);
      expect(listItemsOf(obj)).toEqual([pod('a')]);
    }
  });

  test('empty list: no items', () => {
    expect(listItemsOf({ apiVersion: 'v1', kind: 'List', items: [] })).toEqual([]);
  });

  test('items without kind AND apiVersion get the list kind minus "List" and the list apiVersion', () => {
    const items = listItemsOf({ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ metadata: { name: 'a' } }] })!;
    expect(items).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } }]);
    // kind List: the item kind is "" (kubectl then rejects it)
    expect(listItemsOf({ apiVersion: 'v1', kind: 'List', items: [{ metadata: { name: 'a' } }] })![0]).toMatchObject({ kind: '', apiVersion: 'v1' });
    // a kind that does not end in List keeps its name
    expect(listItemsOf({ apiVersion: 'example.com/v1', kind: 'Bundle', items: [{}] })![0]).toMatchObject({ kind: 'Bundle', apiVersion: 'example.com/v1' });
  });

  test('an item with only one of kind/apiVersion keeps what it has (decodeToList defaults only when both are empty)', () => {
    const list = { apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'v1', metadata: { name: 'b' } }] };
    expect(listItemsOf(list)).toEqual(list.items);
    // a non-string kind counts as empty (GetKind returns "")
    expect(listItemsOf({ apiVersion: 'v1', kind: 'PodList', items: [{ kind: 7 }] })![0]).toEqual({ kind: 'Pod', apiVersion: 'v1' });
  });

  test('nested lists are flattened to any depth, with defaulting at each level', () => {
    const nested = {
      apiVersion: 'v1', kind: 'List', items: [
        pod('a'),
        { apiVersion: 'v1', kind: 'List', items: [pod('b'), { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'c' } }] }] },
        pod('d'),
      ],
    };
    const located = listItemsWithPaths(nested)!;
    expect(located.map(l => [l.path, l.object.kind, l.object.metadata.name])).toEqual([
      ['items[0]', 'Pod', 'a'],
      ['items[1].items[0]', 'Pod', 'b'],
      ['items[1].items[1].items[0]', 'Pod', 'c'],
      ['items[2]', 'Pod', 'd'],
    ]);
  });

  test('an item list that defaults to a list kind is flattened too', () => {
    // an item without kind in a ListList becomes kind List and is flattened
    expect(listItemsOf({ apiVersion: 'v1', kind: 'ListList', items: [{ items: [pod('x')] }] })).toEqual([pod('x')]);
  });

  test('unreadable lists: not a list here, and listProblem says why (at any depth)', () => {
    expect(listProblem({ kind: 'List', items: 'x' })).toMatch(/items is a string/);
    expect(listProblem({ kind: 'List', items: { a: 1 } })).toMatch(/items is an object/);
    expect(listProblem({ kind: 'List', items: [pod('a'), 3] })).toMatch(/items\[1\] is a number/);
    expect(listProblem({ kind: 'List', items: [[pod('a')]] })).toMatch(/items\[0\] is an array/);
    expect(listProblem({ kind: 'List', items: [null] })).toMatch(/items\[0\] is null/);
    expect(listProblem({ kind: 'List', items: [{ kind: 'List', items: 'x' }] })).toMatch(/items\[0\]\.items is a string/);
    expect(listItemsOf({ kind: 'List', items: [pod('a'), 3] })).toBeUndefined();
    expect(listProblem({ kind: 'List', items: [pod('a')] })).toBeUndefined();
    expect(listProblem(pod('a'))).toBeUndefined();
  });

  test('deep nesting is bounded', () => {
    let list: any = { kind: 'List', items: [pod('a')] };
    for (let i = 0; i < 150; i++) list = { kind: 'List', items: [list] };
    expect(listProblem(list)).toMatch(/deeper than/);
  });
});

function run(objects: any[], ruleIds: string[]) {
  return evaluate(objects.map(o => ({ object: o, ref: objectRefOf(o, { file: 'f.yaml', documentIndex: 0 }) })), {
    rules: ruleIds.map(id => Catalogue.get(id)), knownRules: Catalogue.all(), settings: { ...DEFAULT_PROFILE }, today: '2026-01-01',
  });
}

describe('engine: every item of a list is judged', () => {
  test('a privileged Pod in a List fails, naming the item; the other items and the list pass', () => {
    const findings = run([{ apiVersion: 'v1', kind: 'List', items: [pod('ok'), pod('bad', true)] }], ['privileged-container']).filter(f => f.outcome === Outcome.FAIL);
    expect(findings.map(f => [f.object.kind, f.object.name, f.object.listItem, f.object.file, f.path])).toEqual([
      ['Pod', 'bad', 'items[1]', 'f.yaml', 'spec.containers[0].securityContext.privileged'],
    ]);
    expect(formatFinding(findings[0])).toContain('(list items[1])');
  });

  test('the item namespace is its own, not the list ref namespace', () => {
    const list = { apiVersion: 'v1', kind: 'List', metadata: { namespace: 'a' }, items: [{ ...pod('x', true), metadata: { name: 'x', namespace: 'b' } }, pod('y', true)] };
    const refs = expandLists([{ object: list, ref: objectRefOf(list) }]).map(e => e.ref);
    expect(refs.map(r => [r.kind, r.name, r.namespace, r.listItem])).toEqual([['List', '', 'a', ''], ['Pod', 'x', 'b', 'items[0]'], ['Pod', 'y', undefined, 'items[1]']]);
  });

  test('a waiver on the item annotation covers the item finding; a waiver on the list is unused', () => {
    const waiver = (reason: string) => JSON.stringify([{ ruleId: 'privileged-container', reason, owner: 'team', expires: '2026-01-31' }]);
    const item = { ...pod('bad', true), metadata: { name: 'bad', annotations: { [WAIVER_ANNOTATION]: waiver('node agent needs the host devices') } } };
    const findings = run([{ apiVersion: 'v1', kind: 'List', items: [item] }], ['privileged-container', 'waiver-unused']);
    const priv = findings.filter(f => f.ruleId === 'privileged-container');
    expect(priv).toHaveLength(1);
    expect(priv[0].waiver?.owner).toBe('team');
    expect(findings.filter(f => f.ruleId === 'waiver-unused' && f.outcome === Outcome.FAIL)).toEqual([]);

    const onList = run([{
      apiVersion: 'v1', kind: 'List', metadata: { annotations: { [WAIVER_ANNOTATION]: waiver('waiver recorded on the list itself') } }, items: [pod('bad', true)],
    }], ['privileged-container', 'waiver-unused']);
    expect(onList.find(f => f.ruleId === 'privileged-container')?.waiver).toBeUndefined();
    expect(onList.filter(f => f.ruleId === 'waiver-unused' && f.outcome === Outcome.FAIL).map(f => f.object.listItem)).toEqual(['']);
  });

  test('cross-object rules see list items (a NetworkPolicy inside a List covers a Deployment outside it)', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
    };
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
    expect(run([deployment], ['workload-network-policy']).filter(f => f.outcome === Outcome.FAIL)).toHaveLength(1);
    expect(run([deployment, { apiVersion: 'v1', kind: 'List', items: [np] }], ['workload-network-policy']).filter(f => f.outcome === Outcome.FAIL)).toEqual([]);
  });

  test('an unreadable list blocks (kube-list-valid) and is still judged whole (its pods are inferred)', () => {
    const findings = run([{ apiVersion: 'v1', kind: 'List', items: [pod('bad', true), 'junk'] }], ['kube-list-valid', 'privileged-container']);
    expect(findings.filter(f => f.outcome === Outcome.FAIL).map(f => `${f.ruleId} ${f.path}`)).toEqual([
      'kube-list-valid items',
      'privileged-container items[0].spec.containers[0].securityContext.privileged',
    ]);
  });

  test('items: null is not a list: the object is judged as itself', () => {
    const obj = { ...pod('p', true), items: null };
    expect(run([obj], ['privileged-container', 'kube-list-valid']).filter(f => f.outcome === Outcome.FAIL).map(f => f.ruleId)).toEqual(['privileged-container']);
  });
});
