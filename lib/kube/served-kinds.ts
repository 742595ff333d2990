/**
 * Which apiVersion/kind a Kubernetes release serves, and why an object is refused when it does not (removed: with the
 * release that removed it and its replacement; not yet served: with the first release serving it). Data: the
 * generated tables of lib/kube/known-kinds.ts (official OpenAPI of each release; Pluto's removed-API list).
 */
import { memo, StringMemo } from './cache';
import { KIND_TABLE_MINORS, REMOVED_APIS, SERVED_KINDS } from './known-kinds';
import { kubeMinor, NEWEST_KUBE_MINOR } from './kube-version';

/** Keys are apiVersions of SERVED_KINDS (checked before use): bounded by the table. */
const parsed = new StringMemo<Map<string, Set<number>>>(4096);

function minorsOf(ranges: string): Set<number> {
  const out = new Set<number>();
  for (const r of ranges.split(',')) {
    const [a, b] = r.split('-').map(Number);
    for (let m = a; m <= (b ?? a); m++) out.add(m);
  }
  return out;
}

/** kind -> minors serving it, for one apiVersion (undefined: no supported release serves that apiVersion). */
function kindsOf(apiVersion: string): Map<string, Set<number>> | undefined {
  if (!Object.prototype.hasOwnProperty.call(SERVED_KINDS, apiVersion)) return undefined;
  let kinds = parsed.get(apiVersion);
  if (!kinds) {
    kinds = new Map();
    for (const entry of SERVED_KINDS[apiVersion].split(' ')) {
      const colon = entry.lastIndexOf(':');
      kinds.set(entry.slice(0, colon), minorsOf(entry.slice(colon + 1)));
    }
    parsed.set(apiVersion, kinds);
  }
  return kinds;
}

const INTERNAL = new Set(['WatchEvent', 'DeleteOptions']);

/** Kinds (not lists) an apiVersion serves at a minor version. */
export function servedKinds(apiVersion: string, minor: number): string[] {
  const kinds = kindsOf(apiVersion);
  if (!kinds) return [];
  return [...kinds].filter(([k, ms]) => ms.has(minor) && !INTERNAL.has(k) && !k.endsWith('List')).map(([k]) => k);
}

/** True when Kubernetes 1.<minor> serves the kind under the apiVersion. */
export function isServed(apiVersion: string, kind: string, minor: number): boolean {
  return kindsOf(apiVersion)?.get(kind)?.has(minor) === true;
}

const groups = memo.once(() => {
  const out = new Set<string>();
  for (const gv of Object.keys(SERVED_KINDS)) out.add(groupOf(gv));
  return out;
});
/**
 * True for an API group the Kubernetes API server serves (in any supported release), e.g. `apps`, `` (core). Not
 * `audit.k8s.io`: its Policy is a file the API server reads, not an API object (Pluto lists its old versions).
 */
export function isKubernetesGroup(group: string): boolean {
  return groups().has(group);
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash >= 0 ? apiVersion.slice(0, slash) : '';
}

/** Apiversions of the same group serving a kind at a minor version (the replacement of a removed one). */
function servingVersionsOf(group: string, kind: string, minor: number): string[] {
  return Object.keys(SERVED_KINDS).filter(gv => groupOf(gv) === group && isServed(gv, kind, minor));
}

/**
 * Why Kubernetes 1.<minor> refuses an object of apiVersion/kind, or undefined when it serves it (or when the group is
 * not one of Kubernetes' own: custom resources are judged by their CRD, not here).
 */
export function unservedReason(apiVersion: string, kind: string, kubeVersion: string | undefined): string | undefined {
  const minor = kubeMinor(kubeVersion ?? `1.${NEWEST_KUBE_MINOR}`) ?? NEWEST_KUBE_MINOR;
  const group = groupOf(apiVersion);
  if (!isKubernetesGroup(group)) return undefined;
  if (isServed(apiVersion, kind, minor)) return undefined;
  const at = `Kubernetes 1.${minor}`;
  const kinds = kindsOf(apiVersion);
  const servedAt = kinds?.get(kind);
  const removed = REMOVED_APIS.find(([gv, k]) => gv === apiVersion && k === kind);
  const replacementOf = (fallback: string | undefined) => {
    const now = servingVersionsOf(group, kind, minor).filter(gv => gv !== apiVersion);
    const pluto = removed?.[4];
    // Pluto's replacement when the chosen release serves it; else the apiVersion of the same group that does.
    if (pluto && isServed(pluto, kind, minor)) return pluto;
    return now.sort((a, b) => stability(b) - stability(a))[0] ?? fallback;
  };
  if (servedAt && servedAt.size > 0) {
    const list = [...servedAt].sort((a, b) => a - b);
    const later = list.filter(m => m > minor);
    const earlier = list.filter(m => m < minor);
    if (earlier.length > 0 && later.length === 0) {
      const removedIn = Math.max(...earlier) + 1;
      const repl = replacementOf(removed?.[4]);
      return `${apiVersion} ${kind} was removed in Kubernetes 1.${removedIn} (last served by 1.${removedIn - 1}); ` +
        (repl ? `use ${repl} (served by ${at})` : `${at} has no replacement`);
    }
    if (later.length > 0) {
      const repl = replacementOf(undefined);
      return `${apiVersion} ${kind} is served from Kubernetes 1.${later[0]} on, not by ${at}; set kubeVersion to 1.${later[0]} or later` +
        (repl ? `, or use ${repl} (served by ${at})` : '');
    }
  }
  if (removed && removed[3] <= minor) {
    const repl = replacementOf(removed[4]);
    return `${apiVersion} ${kind} was removed in Kubernetes 1.${removed[3]}${removed[2] !== undefined ? ` (deprecated in 1.${removed[2]})` : ''}; ` +
      (repl ? `use ${repl}` : 'it has no replacement');
  }
  if (kinds && kinds.size > 0 && [...kinds.values()].some(ms => ms.has(minor))) {
    return `unknown kind "${kind}" for apiVersion "${apiVersion}" (${at} serves: ${servedKinds(apiVersion, minor).sort().join(', ')})`;
  }
  const repl = replacementOf(undefined);
  return `apiVersion "${apiVersion}" is not served by ${at} (kind "${kind}")${repl ? `; use ${repl}` : ''}`;
}

/** GA (v1) over beta over alpha; a later beta over an earlier one. */
function stability(apiVersion: string): number {
  const m = /v(\d+)(?:(alpha|beta)(\d+))?$/.exec(apiVersion);
  if (!m) return 0;
  return Number(m[1]) * 1000 + (m[2] === undefined ? 900 : m[2] === 'beta' ? 500 : 100) + Number(m[3] ?? 0);
}

/** Releases the tables cover (for tests and docs). */
export const SERVED_TABLE_MINORS = KIND_TABLE_MINORS;
