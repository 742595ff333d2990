/** Resources whose request or response bodies carry credentials. */
export const CREDENTIAL_RESOURCES: { group: string; resource: string }[] = [
  { group: '', resource: 'secrets' },
  { group: '', resource: 'serviceaccounts/token' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews' },
];

const BODY_LEVELS = ['Request', 'RequestResponse'];
const QUIET_LEVELS = ['None', 'Metadata'];

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Does a resources entry name `resource` (with the API's `*`, `x/*` and `*\/y` wildcards)? Empty means all. */
function namesResource(resources: string[], resource: string): boolean {
  if (resources.length === 0 || resources.includes('*') || resources.includes(resource)) return true;
  const [main, sub] = resource.split('/');
  return sub !== undefined && (resources.includes(`${main}/*`) || resources.includes(`*/${sub}`));
}

/** Can the rule match some request on the resource? */
export function mayMatch(rule: any, target: { group: string; resource: string }): boolean {
  const groups = Array.isArray(rule?.resources) ? rule.resources : undefined;
  if (!groups || groups.length === 0) return list(rule?.nonResourceURLs).length === 0;
  return groups.some((g: any) => (g?.group ?? '') === target.group && namesResource(list(g?.resources), target.resource));
}

/** Does the rule match every request on the resource (no user, group, verb, namespace or name restriction)? */
export function matchesAll(rule: any, target: { group: string; resource: string }): boolean {
  if (!mayMatch(rule, target)) return false;
  if (list(rule.users).length || list(rule.userGroups).length || list(rule.namespaces).length) return false;
  const verbs = list(rule.verbs);
  if (verbs.length && !verbs.includes('*')) return false;
  const groups = Array.isArray(rule.resources) ? rule.resources : [];
  return groups.length === 0 || groups.some((g: any) => (g?.group ?? '') === target.group && namesResource(list(g?.resources), target.resource) && list(g?.resourceNames).length === 0);
}

export function logsBodies(rule: any): boolean {
  return BODY_LEVELS.includes(rule?.level);
}

export function isQuiet(rule: any): boolean {
  return QUIET_LEVELS.includes(rule?.level);
}
