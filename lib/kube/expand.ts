import { isKubeList, listItemsWithPaths } from './kube-list';

/**
 * Where an object came from, as far as expandLists reads and writes it (the policy's ObjectRef is one; declared here so
 * that this reader depends on neither the engine nor the policy types).
 */
export interface ListItemRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly listItem?: string;
}

/**
 * What expandLists reads of an object to evaluate: the object, where it came from, and an opaque `group` carried over
 * to each item (engine.ts's EvaluatedObject is one).
 */
export interface ListExpandable<G, R extends ListItemRef = ListItemRef> {
  readonly object: any;
  readonly ref: R;
  readonly group?: G;
}

/**
 * Replace every object kubectl reads as a list (see kube-list.ts: any kind with a non-null `items` array of objects,
 * `kind: List`, typed lists such as PodList or DeploymentList, lists that also carry `spec`) by:
 * - each item kubectl would apply (nested lists flattened, kind/apiVersion defaulted), evaluated as an object of its
 *   own: its own metadata, its own waivers, finding paths relative to the item, and `ref.listItem` naming where it
 *   sits in the list document (`items[2]`, `items[0].items[1]`);
 * - the list's own fields without `items` (the "shell", `ref.listItem: ''`), so that waivers recorded on the list
 *   itself are reported as unused and nothing else the document carries goes unjudged.
 * A list kubectl cannot read stays as it is: the `kube-list-valid` rule blocks it and the other rules judge it whole.
 */
export function expandLists<G, R extends ListItemRef>(evaluated: readonly ListExpandable<G, R>[]): ListExpandable<G, R>[] {
  const out: ListExpandable<G, R>[] = [];
  for (const e of evaluated) {
    const items = isKubeList(e.object) ? listItemsWithPaths(e.object) : undefined;
    if (!items) {
      out.push(e);
      continue;
    }
    const { items: _items, ...shell } = e.object;
    out.push({ object: shell, ref: { ...e.ref, listItem: '' }, ...(e.group ? { group: e.group } : {}) });
    for (const item of items) {
      out.push({ object: item.object, ref: itemRef(e.ref, item.object, item.path), ...(e.group ? { group: e.group } : {}) });
    }
  }
  return out;
}

/** The ref of a list item: the list's, with the item's identity (the other fields, e.g. the file, are the list's). */
function itemRef<R extends ListItemRef>(parent: R, item: any, path: string): R {
  const { namespace: _ns, ...where } = parent;
  return {
    ...where,
    apiVersion: String(item?.apiVersion ?? ''),
    kind: String(item?.kind ?? ''),
    name: String(item?.metadata?.name ?? item?.metadata?.generateName ?? ''),
    ...(item?.metadata?.namespace ? { namespace: String(item.metadata.namespace) } : {}),
    listItem: parent.listItem ? `${parent.listItem}.${path}` : path,
  } as R;
}
