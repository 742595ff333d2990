import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_KUBE_VERSION, kubeMinor } from '../kube/kube-version';
import { fail } from '../policy/construct-check';

/** API version of the flowcontrol objects (API Priority and Fairness). */
export enum FlowControlApiVersion {
  /** flowcontrol.apiserver.k8s.io/v1: Kubernetes 1.29 and newer. */
  V1 = 'flowcontrol.apiserver.k8s.io/v1',
  /** flowcontrol.apiserver.k8s.io/v1beta3: Kubernetes 1.26-1.31 (the only choice on 1.28). */
  V1BETA3 = 'flowcontrol.apiserver.k8s.io/v1beta3',
}

/**
 * FlowSchemas must come before the built-in `service-accounts` schema (matchingPrecedence 9000), which would otherwise
 * put every service account of every tenant into the shared `workload-low` priority level.
 */
export const BUILT_IN_SERVICE_ACCOUNTS_PRECEDENCE = 9000;

/** API Priority and Fairness for one tenant: its own priority level with a bounded share of the API server. */
export interface TenantApiFairness {
  /**
   * flowcontrol API version; take it from the Kubernetes version of the cluster.
   * @default - the version the HardeningProfile's `kubeVersion` serves: V1 (1.29+), V1BETA3 on 1.28; an old version on a
   *   newer cluster would be refused by the API server (v1beta3 was removed in 1.32)
   */
  readonly apiVersion?: FlowControlApiVersion;
  /**
   * The tenant's share of the API server's concurrency (nominalConcurrencyShares; the built-in workload-low has 100,
   * global-default 20).
   * @default 10 — a tenant's controllers get a bounded slice and cannot starve other tenants or the system
   */
  readonly concurrencyShares?: number;
  /**
   * Percent of its own seats the level may borrow from idle levels (borrowingLimitPercent).
   * @default 0 — the bound holds even when the API server is idle, so one tenant's burst never grows into others' shares
   */
  readonly borrowingLimitPercent?: number;
  /**
   * matchingPrecedence of the tenant's FlowSchema (1-8999: before the built-in `service-accounts` schema at 9000).
   * @default 8000
   */
  readonly matchingPrecedence?: number;
}

/**
 * A PriorityLevelConfiguration `tenant-<ns>` (Limited, queued, no borrowing by default) and a FlowSchema `tenant-<ns>`
 * putting every request of the namespace's service accounts into it, distinguished by user so one service account
 * cannot starve its neighbours either. Both are cluster-scoped (the chart's namespace is never written onto them).
 */
export function addTenantApiFairness(scope: Construct, namespace: string, options: TenantApiFairness, kubeVersion?: string):
{ priorityLevel: ApiObject; flowSchema: ApiObject } {
  return renderTenantApiFairness(scope, namespace, resolveTenantApiFairness(scope, options, kubeVersion));
}

/** Validated TenantApiFairness with its defaults filled in. @internal */
export interface ResolvedApiFairness {
  readonly apiVersion: FlowControlApiVersion;
  readonly shares: number;
  readonly borrowing: number;
  readonly precedence: number;
}

/** Validate TenantApiFairness (a HardeningError for the first bad field), fill in its defaults; creates nothing. @internal */
export function resolveTenantApiFairness(scope: Construct, options: TenantApiFairness, kubeVersion?: string): ResolvedApiFairness {
  // Default: the version the profile's Kubernetes release serves (v1 from 1.29; v1beta3, removed in 1.32, on 1.28).
  const apiVersion = options.apiVersion
    ?? ((kubeMinor(kubeVersion ?? DEFAULT_KUBE_VERSION) ?? 36) <= 28 ? FlowControlApiVersion.V1BETA3 : FlowControlApiVersion.V1);
  if (!Object.values(FlowControlApiVersion).includes(apiVersion)) {
    fail(scope, 'tenant-api-fairness', 'props.apiFairness.apiVersion', apiVersion, 'is not a flowcontrol API version the library writes.', 'use FlowControlApiVersion.V1 (1.29+) or V1BETA3 (1.28).');
  }
  const shares = options.concurrencyShares ?? 10;
  if (!Number.isInteger(shares) || shares < 1 || shares > 1000) {
    fail(scope, 'tenant-api-fairness', 'props.apiFairness.concurrencyShares', shares, 'must be an integer from 1 to 1000.', 'use e.g. 10.');
  }
  const borrowing = options.borrowingLimitPercent ?? 0;
  if (!Number.isInteger(borrowing) || borrowing < 0 || borrowing > 100) {
    fail(scope, 'tenant-api-fairness', 'props.apiFairness.borrowingLimitPercent', borrowing, 'must be an integer from 0 to 100.', 'use 0 to keep the bound.');
  }
  const precedence = options.matchingPrecedence ?? 8000;
  if (!Number.isInteger(precedence) || precedence < 1 || precedence >= BUILT_IN_SERVICE_ACCOUNTS_PRECEDENCE) {
    fail(scope, 'tenant-api-fairness', 'props.apiFairness.matchingPrecedence', precedence,
      `must be an integer from 1 to ${BUILT_IN_SERVICE_ACCOUNTS_PRECEDENCE - 1}: the built-in "service-accounts" FlowSchema (${BUILT_IN_SERVICE_ACCOUNTS_PRECEDENCE}) would match the tenant's service accounts first.`, 'use e.g. 8000.');
  }
  return { apiVersion, shares, borrowing, precedence };
}

/** The PriorityLevelConfiguration and FlowSchema of validated settings. @internal */
export function renderTenantApiFairness(scope: Construct, namespace: string, settings: ResolvedApiFairness):
{ priorityLevel: ApiObject; flowSchema: ApiObject } {
  const { apiVersion, shares, borrowing, precedence } = settings;
  const name = `tenant-${namespace}`;
  const labels = { 'app.kubernetes.io/managed-by': 'cdk8s-hardened', 'hardened.cdk8s.io/tenant': namespace };
  const priorityLevel = clusterScoped(new ApiObject(scope, 'PriorityLevel', {
    apiVersion, kind: 'PriorityLevelConfiguration', metadata: { name, labels },
    spec: {
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: shares,
        lendablePercent: 0,
        borrowingLimitPercent: borrowing,
        limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 4, queueLengthLimit: 50 } },
      },
    },
  } as any));
  const flowSchema = clusterScoped(new ApiObject(scope, 'FlowSchema', {
    apiVersion, kind: 'FlowSchema', metadata: { name, labels },
    spec: {
      priorityLevelConfiguration: { name },
      matchingPrecedence: precedence,
      distinguisherMethod: { type: 'ByUser' },
      rules: [{
        subjects: [{ kind: 'ServiceAccount', serviceAccount: { namespace, name: '*' } }],
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      }],
    },
  } as any));
  return { priorityLevel, flowSchema };
}

function clusterScoped<T extends ApiObject>(obj: T): T {
  if (Chart.of(obj).namespace) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}
