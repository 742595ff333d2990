/**
 * Same kind name, another API group. The engine matches a rule to an object by `kind` alone, so a rule written for a
 * core kind also runs on every custom resource that reuses the name (a Knative `Service`, an OpenShift `Route`, a
 * Calico `NetworkPolicy`, an OpenKruise `StatefulSet`). This table states, for every rule and every such kind the
 * project knows of, what the rule does with it:
 * - `own`: judged with that kind's own semantics (the rule has fixtures of that group);
 * - `same`: judged exactly as the core kind, because it means the same (e.g. an older apiVersion of the same group);
 * - `skip`: not judged, with the reason (another meaning; or judged by another rule).
 * test/policy/kind-groups.test.ts proves each decision on the rule's own fixtures and fails when a kind name that a
 * rule applies to gains a group nobody decided about (a new CRD extract, carrier or vendored schema).
 *
 * Kinds of groups the project does not know are judged as the kind the rule was written for (as before this table):
 * the table only narrows what is known to mean something else.
 */

import { memo, ObjectMemo } from '../../kube/cache';

/** The API group of an object's apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(obj: any): string {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = v.indexOf('/');
  return slash >= 0 ? v.slice(0, slash) : '';
}

/** True when `obj` is of `kind` in API group `group` (`''`: the core group, apiVersion `v1`). */
export function isGroupKind(obj: any, group: string, kind: string): boolean {
  return obj?.kind === kind && typeof obj?.apiVersion === 'string' && groupOf(obj) === group;
}

export const KNATIVE_SERVING_GROUP = 'serving.knative.dev';
export const OPENSHIFT_ROUTE_GROUP = 'route.openshift.io';
const OPENSHIFT_AUTHORIZATION = 'authorization.openshift.io';

/** What a rule does with a kind of one API group. */
export type KindGroupDecision =
  | { readonly judge: 'own' | 'same'; readonly why: string }
  | { readonly skip: string };

/**
 * Same-named kinds the project knows besides those of its generated tables (lib/kube/known-kinds.ts, crd-shapes-data.ts,
 * the pod carriers of lib/kube/manifest.ts, schemas/crds and the admission kinds): `apiVersion`, kind, and where the kind
 * is defined.
 */
export const OTHER_KNOWN_KINDS: ReadonlyArray<readonly [apiVersion: string, kind: string, source: string]> = [
  ['route.openshift.io/v1', 'Route', 'openshift/api route/v1/types.go (OpenShift Route, served by openshift-apiserver)'],
  ['networking.internal.knative.dev/v1alpha1', 'Ingress', 'knative/networking pkg/apis/networking/v1alpha1/ingress_types.go (KIngress, written by Knative controllers)'],
  ['crd.projectcalico.org/v1', 'NetworkPolicy', 'projectcalico/calico libcalico-go/config/crd/crd.projectcalico.org_networkpolicies.yaml (Calico storage CRD)'],
  ['projectcalico.org/v3', 'NetworkPolicy', 'projectcalico/api pkg/apis/projectcalico/v3/policy.go (Calico API server)'],
  ['kyverno.io/v1', 'Policy', 'kyverno/kyverno api/kyverno/v1/policy_types.go'],
  ...['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map(k => ['authorization.openshift.io/v1', k,
    'openshift/api authorization/v1/types.go (OpenShift\'s legacy RBAC API, converted to rbac.authorization.k8s.io)'] as const),
];

const NOT_NETPOL = 'Calico\'s NetworkPolicy is another policy language (ordered rules with action Allow/Deny/Log/Pass, ' +
  'source/destination selectors); Kubernetes NetworkPolicy semantics do not apply and it is not judged.';
const KINGRESS = 'the Knative KIngress is written by Knative\'s controllers from Routes and DomainMappings (judged by ' +
  'service-exposure), and read by Knative\'s networking layer, not by Ingress controllers; its fields (rules[].hosts, ' +
  'visibility) are not an Ingress\'s.';
const KRUISE = 'OpenKruise Advanced StatefulSet/DaemonSet keep apps/v1\'s replicas, selector and template fields with ' +
  'the same meaning (a superset of the API).';

/** Decisions per rule id, kind and API group (only kinds with more than one known group need an entry). */
/** The Ingress groups of an Ingress rule: its own meaning (`why`) in networking.k8s.io, the same in extensions, KIngress skipped. */
function ingressGroups(why: string): { readonly [group: string]: KindGroupDecision } {
  return {
    'networking.k8s.io': { judge: 'own', why },
    'extensions': { judge: 'same', why: 'the same Ingress, an older apiVersion.' },
    'networking.internal.knative.dev': { skip: KINGRESS },
  };
}

export const KIND_GROUP_DECISIONS: { readonly [ruleId: string]: { readonly [kind: string]: { readonly [group: string]: KindGroupDecision } } } = {
  'service-exposure': {
    Service: {
      '': { judge: 'own', why: 'NodePort, LoadBalancer and externalIPs.' },
      [KNATIVE_SERVING_GROUP]: { judge: 'own', why: 'published on the external ingress unless labelled networking.knative.dev/visibility: cluster-local.' },
    },
    Route: {
      [KNATIVE_SERVING_GROUP]: { judge: 'own', why: 'published on the external ingress unless labelled networking.knative.dev/visibility: cluster-local.' },
      [OPENSHIFT_ROUTE_GROUP]: { skip: 'an OpenShift Route is the router\'s reviewed ingress path, like an Ingress; ingress-tls judges it.' },
    },
  },
  'service-external-name': {
    Service: {
      '': { judge: 'own', why: 'ExternalName Services.' },
      [KNATIVE_SERVING_GROUP]: { skip: 'a Knative Service has no type or externalName (Knative\'s webhook refuses unknown fields).' },
    },
  },
  'service-selects-pods': {
    Service: {
      '': { judge: 'own', why: 'selector against the pods of the set.' },
      [KNATIVE_SERVING_GROUP]: { skip: 'a Knative Service has no selector: Knative selects its own Revision\'s pods.' },
    },
  },
  'ingress-controller-injection': {
    Service: {
      '': { judge: 'own', why: 'annotations HAProxy controllers read from Services.' },
      [KNATIVE_SERVING_GROUP]: {
        judge: 'same',
        why: 'Knative copies a Service\'s annotations to its Route and from there to the core Services it creates (route/resources/service.go).',
      },
    },
    Middleware: {
      'traefik.io': { judge: 'own', why: 'spec.plugin (third-party code in the proxy).' },
      'traefik.containo.us': { judge: 'same', why: 'the same Traefik Middleware, its older API group.' },
    },
    Ingress: ingressGroups('controller annotations.'),
  },
  'ingress-tls': {
    Ingress: {
      'networking.k8s.io': { judge: 'own', why: 'spec.tls covering every host; annotations that turn HTTP on.' },
      'extensions': { judge: 'own', why: 'the same Ingress, an older apiVersion (fixture fail-spellings).' },
      'networking.internal.knative.dev': { skip: KINGRESS },
    },
    Route: {
      [OPENSHIFT_ROUTE_GROUP]: { judge: 'own', why: 'no spec.tls, or insecureEdgeTerminationPolicy Allow, serves plain HTTP.' },
      [KNATIVE_SERVING_GROUP]: {
        skip: 'a Knative Route\'s exposure is judged by service-exposure; its TLS is set cluster-wide (config-network external-domain-tls), not in the object.',
      },
    },
  },
  'ingress-host': { Ingress: ingressGroups('rules without a host.') },
  'ingress-path-type': { Ingress: ingressGroups('path types.') },
  'ingress-class-explicit': { Ingress: ingressGroups('the ingress class, explicit.') },
  'ingress-backend-exists': { Ingress: ingressGroups('backends in the set.') },
  'gateway-listener-tls': {
    Gateway: {
      'gateway.networking.k8s.io': { judge: 'own', why: 'Gateway API listeners.' },
      'networking.istio.io': { judge: 'own', why: 'Istio Gateway servers (its own semantics: port.protocol, tls.mode, httpsRedirect).' },
    },
    ListenerSet: {
      'gateway.networking.k8s.io': { judge: 'own', why: 'Gateway API listeners.' },
      'gateway.networking.x-k8s.io': { judge: 'own', why: 'the experimental channel of the same ListenerSet (fixture fail-listenerset).' },
    },
  },
  'network-policy-allow-all-ingress': netpol('ingress from every peer.'),
  'network-policy-allow-all-egress': netpol('egress to every peer.'),
  'network-policy-ipblock-any': netpol('ipBlock 0.0.0.0/0.'),
  'network-policy-selects-pods': netpol('pod selector against the set.'),
  'network-policy-egress-cloud-metadata': {
    NetworkPolicy: {
      ...netpol('egress reaching the cloud metadata address.').NetworkPolicy,
      // its rule file belongs to another change in progress: it still reads a Calico policy as a Kubernetes one
      'crd.projectcalico.org': { judge: 'same', why: `judged as a Kubernetes NetworkPolicy for now (stricter: its egress rules without \`to\` read as "everywhere"). ${NOT_NETPOL}` },
      'projectcalico.org': { judge: 'same', why: `judged as a Kubernetes NetworkPolicy for now (stricter: its egress rules without \`to\` read as "everywhere"). ${NOT_NETPOL}` },
    },
  },
  'replicas-minimum': { ...workloads(['StatefulSet'], 'spec.replicas at least 2.'), ...older(['Deployment', 'ReplicaSet'], 'spec.replicas at least 2.') },
  'workload-selector-match': {
    ...workloads(['StatefulSet'], 'selector against template labels.'),
    ...older(['Deployment', 'ReplicaSet'], 'selector against template labels.'),
    DaemonSet: {
      'apps': { judge: 'own', why: 'selector against template labels.' },
      'extensions': { judge: 'same', why: 'the same workload, an older apiVersion.' },
      'apps.kruise.io': { judge: 'same', why: KRUISE },
    },
    Job: {
      'batch': { judge: 'own', why: 'selector against template labels.' },
      'batch.volcano.sh': { skip: 'a Volcano Job has no selector or spec.template: its pods are in spec.tasks[].template.' },
    },
  },
  'workload-disruption-budget': { ...workloads(['StatefulSet'], 'a PodDisruptionBudget for replicated workloads.'), ...older(['Deployment', 'ReplicaSet'], 'a PodDisruptionBudget.') },
  'job-ttl-after-finished': {
    Job: {
      'batch': { judge: 'own', why: 'ttlSecondsAfterFinished.' },
      'batch.volcano.sh': { skip: 'a Volcano Job is cleaned by its own spec.ttlSecondsAfterFinished and controller; the rule reads batch/v1 Jobs only.' },
    },
  },
  ...Object.fromEntries(['rbac-secrets-access', 'rbac-escalation', 'rbac-pod-create', 'rbac-secret-create', 'rbac-persistent-volume-create',
    'rbac-csr-approval', 'rbac-admission-config-write', 'rbac-namespace-write', 'rbac-endpoints-write'].map(id => [id, rbac(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'])])),
  'rbac-wildcard': rbac(['Role', 'ClusterRole']),
  'rbac-binding-privileged': rbac(['RoleBinding', 'ClusterRoleBinding']),
  'cluster-scoped-namespace': {
    ClusterRole: { 'rbac.authorization.k8s.io': { judge: 'own', why: 'cluster-scoped.' }, [OPENSHIFT_AUTHORIZATION]: { judge: 'same', why: 'cluster-scoped as well.' } },
    ClusterRoleBinding: { 'rbac.authorization.k8s.io': { judge: 'own', why: 'cluster-scoped.' }, [OPENSHIFT_AUTHORIZATION]: { judge: 'same', why: 'cluster-scoped as well.' } },
  },
  'audit-policy-valid': auditPolicy(),
  'audit-policy-writes-logged': auditPolicy(),
  'audit-policy-catch-all': auditPolicy(),
  'audit-policy-secret-bodies': auditPolicy(),
};

function netpol(what: string): { [kind: string]: { [group: string]: KindGroupDecision } } {
  return {
    NetworkPolicy: {
      'networking.k8s.io': { judge: 'own', why: what },
      'extensions': { judge: 'same', why: 'the same NetworkPolicy, an older apiVersion.' },
      'crd.projectcalico.org': { skip: NOT_NETPOL },
      'projectcalico.org': { skip: NOT_NETPOL },
    },
  };
}

function workloads(kinds: string[], what: string): { [kind: string]: { [group: string]: KindGroupDecision } } {
  return Object.fromEntries(kinds.map(k => [k, { 'apps': { judge: 'own', why: what }, 'apps.kruise.io': { judge: 'same', why: KRUISE } }]));
}

function older(kinds: string[], what: string): { [kind: string]: { [group: string]: KindGroupDecision } } {
  return Object.fromEntries(kinds.map(k => [k, { apps: { judge: 'own', why: what }, extensions: { judge: 'same', why: 'the same workload, an older apiVersion.' } }]));
}

/**
 * OpenShift's authorization.openshift.io RBAC kinds: roles have RBAC's rule shape (judged the same); bindings are
 * judged in their RBAC form (userNames, groupNames, SystemUser/SystemGroup subjects, a kind-less roleRef:
 * tenancy/openshift-rbac.ts).
 */
function rbac(kinds: string[]): { [kind: string]: { [group: string]: KindGroupDecision } } {
  return Object.fromEntries(kinds.map(k => [k, {
    'rbac.authorization.k8s.io': { judge: 'own', why: 'RBAC grants, as the authorizer reads them.' },
    [OPENSHIFT_AUTHORIZATION]: k.endsWith('Binding')
      ? { judge: 'own', why: 'in its RBAC form: userNames, groupNames and SystemUser/SystemGroup subjects bind too; a roleRef without kind is a ClusterRole unless it names a namespace.' }
      : { judge: 'same', why: 'the same rules (verbs, apiGroups, resources, resourceNames); openshift-apiserver stores it as an RBAC role.' },
  }]));
}

function auditPolicy(): { [kind: string]: { [group: string]: KindGroupDecision } } {
  return {
    Policy: {
      'audit.k8s.io': { judge: 'own', why: 'the API server\'s audit policy file.' },
      'kyverno.io': { skip: 'a Kyverno Policy is an admission policy, not an audit policy.' },
    },
  };
}

/** API groups whose `NetworkPolicy` the cluster enforces with Kubernetes NetworkPolicy semantics. */
export const KUBERNETES_NETWORK_POLICY_GROUPS: readonly string[] = ['networking.k8s.io', 'extensions'];

/**
 * A Kubernetes NetworkPolicy: only these count as isolation evidence for other objects (default deny of a namespace,
 * a policy selecting a workload). A `NetworkPolicy` of another group is not one, whatever fields it holds: Calico's
 * structural CRD schema prunes `podSelector`/`policyTypes` from a crd.projectcalico.org object, and its own
 * semantics (selector, types, ordered actions) differ.
 */
export function isKubernetesNetworkPolicy(obj: any): boolean {
  return obj?.kind === 'NetworkPolicy' && KUBERNETES_NETWORK_POLICY_GROUPS.includes(groupOf(obj));
}

/** objectsIn's list of one namespace's NetworkPolicies -> its Kubernetes ones (a pure function of the frozen list). */
const K8S_NETPOLS = new ObjectMemo<readonly any[], readonly any[]>();

/**
 * The Kubernetes NetworkPolicies of a list (objectsIn's), the same array for the same list: callers memoize on it.
 */
export function kubernetesNetworkPolicies(list: readonly any[]): readonly any[] {
  if (list.length === 0) return list; // objectsIn's answer for a namespace without policies: a new list each time
  return K8S_NETPOLS.getOrCompute(list, l => (l.every(isKubernetesNetworkPolicy) ? l : l.filter(isKubernetesNetworkPolicy)));
}

/**
 * The table as lookups: rule id -> kind -> the API groups the rule skips. Built once: KIND_GROUP_DECISIONS is a
 * constant. Rules ask for every object they judge, so a decision costs two map lookups and a prefix test.
 */
const SKIPPED_GROUPS = memo.once(() => {
  const table = new Map<string, Map<string, readonly string[]>>();
  for (const ruleId of Object.keys(KIND_GROUP_DECISIONS)) {
    const byKind = new Map<string, readonly string[]>();
    for (const kind of Object.keys(KIND_GROUP_DECISIONS[ruleId])) {
      const byGroup = KIND_GROUP_DECISIONS[ruleId][kind];
      byKind.set(kind, Object.keys(byGroup).filter(g => 'skip' in byGroup[g]));
    }
    table.set(ruleId, byKind);
  }
  return table;
});

/** groupOf(obj) === group, without slicing apiVersion. */
function inGroup(obj: any, group: string): boolean {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  if (group === '') return v.indexOf('/') <= 0;
  return v.length > group.length && v.charCodeAt(group.length) === 47 /* '/' */ && v.startsWith(group);
}

/**
 * False when the table says rule `ruleId` does not judge objects of `obj`'s kind and API group. Objects of a group the
 * table does not name are judged (as the kind the rule was written for).
 */
export function judgesKindGroup(ruleId: string, obj: any): boolean {
  const byKind = SKIPPED_GROUPS().get(ruleId);
  if (byKind === undefined) return true;
  const kind = obj?.kind;
  const skipped = typeof kind === 'string' ? byKind.get(kind) : undefined;
  if (skipped === undefined) return true; // no decision for this rule and kind: the common case, decided without reading apiVersion
  for (let i = 0; i < skipped.length; i++) if (inGroup(obj, skipped[i])) return false;
  return true;
}
