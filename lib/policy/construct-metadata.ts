/**
 * Keys of the extra entries the guard records in cdk8s's `construct-metadata.json` (see guard.ts), read back by the
 * cdk8s validation plugin (lib/cli/plugin.ts) so a finding names the construct of the object that raised it.
 *
 * cdk8s keys that file by `metadata.name` alone, and the objects of one hardened workload (ServiceAccount, Deployment,
 * Service, NetworkPolicy, PodDisruptionBudget) share one name, so the last one written wins. The unique key is
 *
 *     <apiVersion>/<kind>/<namespace>/<name>      e.g. apps/v1/Deployment/shop/api, v1/Service/shop/api
 *
 * with `_` in place of the namespace when the object has none (cluster-scoped, or left to the kubectl context):
 * `v1/Namespace/_/team-a`. `_` is never a namespace name (DNS label) and a name never holds `/`, so the key of two
 * distinct objects never coincides, and it never coincides with one of cdk8s's own (name-only) keys.
 */
export function constructMetadataKey(obj: any): string | undefined {
  const apiVersion = obj?.apiVersion;
  const kind = obj?.kind;
  const name = obj?.metadata?.name;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string' || name === '') return undefined;
  const ns = obj?.metadata?.namespace;
  return `${apiVersion}/${kind}/${typeof ns === 'string' && ns !== '' ? ns : '_'}/${name}`;
}
