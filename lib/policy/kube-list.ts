/**
 * kubectl's list rule (k8s.io/apimachinery unstructuredJSONScheme.decode / decodeToList): any object whose `items`
 * key holds a value is a list, whatever its kind, and kubectl applies each item; an item with neither kind nor
 * apiVersion gets the list's kind minus "List" and the list's apiVersion.
 * Returns the items of a list, or undefined when the object is not a list. (Minimal version: another branch owns the
 * complete implementation.)
 */
export function listItemsOf(obj: any): any[] | undefined {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const items = obj.items;
  if (items === undefined || items === null || !Array.isArray(items)) return undefined;
  const itemKind = typeof obj.kind === 'string' && obj.kind.endsWith('List') ? obj.kind.slice(0, -'List'.length) : obj.kind;
  return items.map((item: any) => {
    if (item && typeof item === 'object' && !Array.isArray(item) && !item.kind && !item.apiVersion) {
      return { ...item, kind: itemKind, apiVersion: obj.apiVersion };
    }
    return item;
  });
}
