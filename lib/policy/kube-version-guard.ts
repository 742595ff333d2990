/**
 * The guard's side of the Kubernetes version setting: objects whose apiVersion/kind the profile's kubeVersion does not
 * serve block synthesis, exactly as `check --kube-version` and the plugin (`kubeVersion`) refuse them as input errors.
 */
import { ApiObject } from 'cdk8s';
import { listItemsOf } from '../kube/kube-list';
import { DEFAULT_KUBE_VERSION } from '../kube/kube-version';
import { unservedReason } from '../kube/served-kinds';
import { PolicySettings } from './types';

/** One line per object the governing kubeVersion does not serve: construct path, apiVersion/kind, reason and fix. */
export function unservedObjects(items: { object: any; source?: ApiObject }[], settingsOf: (source: ApiObject | undefined) => PolicySettings): string[] {
  const out: string[] = [];
  // kubectl reads any object with items as a list (`v1 List` is no served kind): its items are what is applied.
  const flat = items.flatMap(i => (listItemsOf(i.object) ?? [i.object]).map((object: any) => ({ object, source: i.source })));
  for (const { object, source } of flat) {
    if (!object || typeof object !== 'object' || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') continue;
    const kube = settingsOf(source).kubeVersion ?? DEFAULT_KUBE_VERSION;
    const reason = unservedReason(object.apiVersion, object.kind, kube);
    if (reason === undefined) continue;
    const name = object.metadata?.name;
    out.push(`  - [${source?.node.path ?? `${object.kind}/${name ?? '?'}`}] apiVersion ${JSON.stringify(object.apiVersion)}, kind ${JSON.stringify(object.kind)}` +
      `${name !== undefined ? ` (${name})` : ''}: ${reason}. Fix: emit an apiVersion Kubernetes ${kube} serves, or set the HardeningProfile's ` +
      'kubeVersion to the version of your cluster (the same setting as `check --kube-version` and the plugin\'s kubeVersion).');
  }
  return out;
}
