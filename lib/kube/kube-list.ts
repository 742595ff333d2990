/**
 * What kubectl reads as a list, and the objects it applies from it. Pure: no construct imports.
 *
 * Facts, read from the sources kubectl is built on (kubernetes/apimachinery @ eed236ceee2c, kubernetes/cli-runtime @
 * 69e8693b2560):
 * - apimachinery pkg/apis/meta/v1/unstructured/helpers.go `unstructuredJSONScheme.decode`: a document is decoded as an
 *   `UnstructuredList` when its JSON has an `items` key (`det.Items != nil` on a `json.RawMessage`), WHATEVER ITS KIND:
 *   `kind: List`, `PodList`, `DeploymentList`, a CRD kind, or a kind that carries `spec` besides `items`. Fields other
 *   than `items` (`spec`, `metadata`, ...) are kept on the list and never applied.
 * - same file, `decodeToList`: each item is decoded on its own; when an item has NEITHER kind NOR apiVersion, it gets
 *   `kind = strings.TrimSuffix(listKind, "List")` and the list's apiVersion (a `FooList` item becomes a `Foo`; a `List`
 *   item becomes kind "" and is then rejected). An item with one of the two keeps what it has. An item that is not a
 *   JSON object makes the decode (and kubectl) fail.
 * - cli-runtime pkg/resource/visitor.go `FlattenListVisitor.Visit`: items that are lists themselves
 *   (`meta.IsListType`, for unstructured objects `Unstructured.IsList`: an `items` value that is an array) are
 *   flattened again, breadth first, to any depth (cli-runtime test `TestFlattenListVisitor`, artifacts/deeply-nested.yaml:
 *   a List in a List in a List gives 6 objects).
 *
 * Choices where kubectl and this module differ, each the stricter reading:
 * - `items: null`: Go's `json.RawMessage` keeps the literal `null`, so kubectl reads an empty list and applies nothing.
 *   Here it is NOT a list (the object is judged as itself), so nothing written is left unjudged.
 * - Nested list items get the same kind/apiVersion defaulting as top-level items (kubectl does not default them; an
 *   item without kind is then rejected) so that they are judged as the kind their list names.
 * - A list kubectl cannot read (`items` not an array, or an item that is not an object) is not a list here
 *   (`undefined`): the engine then judges the object as itself, and the `kube-list-valid` rule blocks it.
 */

/** True when kubectl would read `obj` as a list: a JSON object with a non-null `items` key. */
export function isKubeList(obj: any): boolean {
  return isObject(obj) && Object.prototype.hasOwnProperty.call(obj, 'items') && obj.items !== null && obj.items !== undefined;
}

/**
 * Why kubectl cannot read `obj` as a list, or undefined when it can (or when it is not a list at all).
 * Checks nested lists too.
 */
export function listProblem(obj: any): string | undefined {
  if (!isKubeList(obj)) return undefined;
  return problemAt(obj, 'items', 0);
}

const MAX_DEPTH = 100;

function problemAt(list: any, where: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return `${where}: lists nested deeper than ${MAX_DEPTH} levels`;
  if (!Array.isArray(list.items)) return `${where} is ${describe(list.items)}, not an array of objects`;
  for (let i = 0; i < list.items.length; i++) {
    const item = list.items[i];
    if (!isObject(item)) return `${where}[${i}] is ${describe(item)}, not an object`;
    if (isKubeList(item)) {
      const p = problemAt(item, `${where}[${i}].items`, depth + 1);
      if (p) return p;
    }
  }
  return undefined;
}

/**
 * The objects kubectl applies from `obj`, or `undefined` when `obj` is not a list (or a list kubectl cannot read:
 * see `listProblem`). Items are flattened to any depth (nested lists are replaced by their items, in document order)
 * and an item with neither kind nor apiVersion gets the kind of its list minus the `List` suffix and the list's
 * apiVersion, as `decodeToList` sets them. Items are not copied unless defaulted.
 */
export function listItemsOf(obj: any): any[] | undefined {
  const located = listItemsWithPaths(obj);
  return located?.map(l => l.object);
}

/** A list item with where it sits in the list document, e.g. `items[2]` or `items[0].items[1]`. */
export interface LocatedListItem {
  readonly object: any;
  readonly path: string;
}

/** Like `listItemsOf`, with each item's path in the list document. */
export function listItemsWithPaths(obj: any): LocatedListItem[] | undefined {
  if (!isKubeList(obj) || listProblem(obj) !== undefined) return undefined;
  const out: LocatedListItem[] = [];
  flatten(obj, 'items', out);
  return out;
}

function flatten(list: any, where: string, out: LocatedListItem[]): void {
  const kind = typeof list.kind === 'string' ? list.kind : '';
  const apiVersion = typeof list.apiVersion === 'string' ? list.apiVersion : '';
  const itemKind = kind.endsWith('List') ? kind.slice(0, -'List'.length) : kind;
  list.items.forEach((raw: any, i: number) => {
    const path = `${where}[${i}]`;
    const item = isEmpty(raw.kind) && isEmpty(raw.apiVersion) ? { ...raw, kind: itemKind, apiVersion } : raw;
    if (isKubeList(item)) flatten(item, `${path}.items`, out);
    else out.push({ object: item, path });
  });
}

/** `GetKind()` / `GetAPIVersion()` return "" for a missing or non-string value. */
function isEmpty(v: unknown): boolean {
  return typeof v !== 'string' || v.length === 0;
}

function isObject(v: unknown): v is { [k: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v} (${JSON.stringify(v)})`;
}
