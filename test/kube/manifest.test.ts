import { namespaceOf, objectsIn } from '../../lib/kube/manifest';

describe('objectsIn (cross-object rule index)', () => {
  const objects = [
    { kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'shop' } },
    { kind: 'NetworkPolicy', metadata: { name: 'b' } },
    { kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'shop' } },
    { kind: 'NetworkPolicy', metadata: { name: 'c', namespace: 'shop' } },
    null,
    'not an object',
  ];

  test('returns the objects of one kind in one namespace, in order', () => {
    expect(objectsIn(objects, 'NetworkPolicy', 'shop').map(o => o.metadata.name)).toEqual(['a', 'c']);
    expect(objectsIn(objects, 'ResourceQuota', 'shop').map(o => o.metadata.name)).toEqual(['q']);
  });

  test('an object without metadata.namespace is in "default"', () => {
    expect(namespaceOf(objects[1])).toBe('default');
    expect(objectsIn(objects, 'NetworkPolicy', 'default').map(o => o.metadata.name)).toEqual(['b']);
  });

  test('unknown kind or namespace gives an empty list; each evaluated set has its own index', () => {
    expect(objectsIn(objects, 'Secret', 'shop')).toEqual([]);
    expect(objectsIn(objects, 'NetworkPolicy', 'other')).toEqual([]);
    const other = [{ kind: 'NetworkPolicy', metadata: { name: 'z', namespace: 'shop' } }];
    expect(objectsIn(other, 'NetworkPolicy', 'shop').map(o => o.metadata.name)).toEqual(['z']);
  });
});
