/**
 * The profile maximums (`profile-maximums`) as CLI flags, configuration-file keys and plugin properties: one name and
 * one validation everywhere, the same as HardeningProfile's props (lib/policy/profile.ts).
 */
import { parseQuantity } from '../kube/k8s-syntax';
import { InputError } from './input';

/** The maximums of a profile; unset means no maximum. */
export interface Maximums {
  readonly maxReplicas?: number;
  readonly maxContainerCpu?: string;
  readonly maxContainerMemory?: string;
}

/** Flag names of the maximums, by setting. */
export const MAXIMUM_FLAGS = { maxReplicas: '--max-replicas', maxContainerCpu: '--max-container-cpu', maxContainerMemory: '--max-container-memory' } as const;

/** commander option definitions (flag, description) for the maximums, shared by `check` and `admission-policies`. */
export const MAXIMUM_OPTIONS: readonly (readonly [string, string])[] = [
  [`${MAXIMUM_FLAGS.maxReplicas} <n>`, 'most replicas a workload (or a HorizontalPodAutoscaler\'s maxReplicas) may ask for (rule profile-maximums); default: no maximum'],
  [`${MAXIMUM_FLAGS.maxContainerCpu} <quantity>`, 'largest CPU request or limit of one container, e.g. 4 or 1500m (rule profile-maximums); default: no maximum'],
  [`${MAXIMUM_FLAGS.maxContainerMemory} <quantity>`, 'largest memory request or limit of one container, e.g. 8Gi (rule profile-maximums); default: no maximum'],
];

/**
 * The maximums of one run: each flag (a string from commander, or the plugin's property) over the configuration file's
 * value. Invalid values are refused with the flag (or configuration key) named.
 */
export function resolveMaximums(flags: { readonly [k: string]: unknown }, config: Maximums = {}): Maximums {
  const out: { -readonly [K in keyof Maximums]: Maximums[K] } = {};
  const replicas = flags.maxReplicas ?? config.maxReplicas;
  if (replicas !== undefined) {
    const where = flags.maxReplicas !== undefined ? MAXIMUM_FLAGS.maxReplicas : 'maxReplicas';
    if (!/^[1-9][0-9]{0,8}$/.test(String(replicas))) {
      throw new InputError(where, undefined, `"${String(replicas)}" must be a positive whole number (e.g. 20), or leave it unset for no maximum`);
    }
    out.maxReplicas = Number(replicas);
  }
  for (const key of ['maxContainerCpu', 'maxContainerMemory'] as const) {
    const q = flags[key] ?? config[key];
    if (q === undefined) continue;
    const where = flags[key] !== undefined ? MAXIMUM_FLAGS[key] : key;
    const v = typeof q === 'string' ? parseQuantity(q) : undefined;
    if (v === undefined || !(v > 0)) {
      throw new InputError(where, undefined, `"${String(q)}" is not a positive Kubernetes quantity (use e.g. ${key === 'maxContainerCpu' ? '"4" or "1500m"' : '"8Gi"'})`);
    }
    out[key] = q as string;
  }
  return out;
}
