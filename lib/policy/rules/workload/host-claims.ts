import { namespaceOf } from '../../manifest';

/** A host name as ingress controllers and Gateways compare it: lower case, without a trailing dot. */
export function normHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

const indexes = new WeakMap<readonly any[], Map<string, Map<string, Set<string>>>>();

/**
 * host -> namespaces of the objects that claim it (`claims(o)`: the hosts an object claims), built once per
 * evaluated set and `kind` of claim, so the cross-namespace host rules stay linear.
 */
export function hostClaims(objects: readonly any[], kind: string, claims: (o: any) => readonly string[]): Map<string, Set<string>> {
  let byKind = indexes.get(objects);
  if (!byKind) indexes.set(objects, byKind = new Map());
  let index = byKind.get(kind);
  if (!index) {
    index = new Map();
    for (const o of objects) {
      for (const host of claims(o)) {
        const h = normHost(host);
        const set = index.get(h) ?? new Set<string>();
        set.add(namespaceOf(o));
        index.set(h, set);
      }
    }
    byKind.set(kind, index);
  }
  return index;
}
