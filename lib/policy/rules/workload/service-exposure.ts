import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { groupOf, KNATIVE_SERVING_GROUP } from '../kind-groups';

/**
 * Knative Serving publishes a Route (and the Route of a Knative Service, which copies the Service's labels:
 * service/resources/route.go) on the external ingress unless the label below holds exactly `cluster-local`
 * (route/config/domain.go LookupDomainForLabels, route/domains/domains.go: an exact string comparison; the webhook does
 * not validate the value). Since Knative 1.10 the default domain is `svc.cluster.local`, so an unlabelled Route stays
 * internal only on a cluster whose config-domain names no domain: a manifest cannot tell, and every installation that
 * serves anything publicly names one.
 */
export const KNATIVE_VISIBILITY_LABEL = 'networking.knative.dev/visibility';
export const KNATIVE_CLUSTER_LOCAL = 'cluster-local';
/** Honoured by Knative up to 0.20 only (removed in 0.21, knative/serving#10559): ignored by every 1.x release. */
export const KNATIVE_OBSOLETE_VISIBILITY_LABEL = 'serving.knative.dev/visibility';

const isMap = (v: unknown): v is { [k: string]: unknown } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A Knative Service, Route or DomainMapping: published on the external ingress, and where. */
function knativeExposure(obj: any): RuleViolation[] {
  const name = JSON.stringify(String(obj?.metadata?.name ?? ''));
  if (obj?.kind === 'DomainMapping') {
    // domainmapping/resources/ingress.go: the KIngress rule is always IngressVisibilityExternalIP, whatever the labels
    return [{ path: 'spec.ref', message: `Knative DomainMapping ${name} publishes its target on the external ingress under that domain, whatever the target's visibility label.` }];
  }
  const labels = isMap(obj?.metadata?.labels) ? obj.metadata.labels : {};
  const value = Object.prototype.hasOwnProperty.call(labels, KNATIVE_VISIBILITY_LABEL) ? labels[KNATIVE_VISIBILITY_LABEL] : undefined;
  if (value === KNATIVE_CLUSTER_LOCAL) return [];
  const path = `metadata.labels["${KNATIVE_VISIBILITY_LABEL}"]`;
  const what = `Knative ${obj.kind} ${name} is published on the external ingress`;
  if (value !== undefined) return [{ path, message: `${what}: ${KNATIVE_VISIBILITY_LABEL} is ${JSON.stringify(value)}; only exactly "${KNATIVE_CLUSTER_LOCAL}" keeps it internal.` }];
  if (Object.prototype.hasOwnProperty.call(labels, KNATIVE_OBSOLETE_VISIBILITY_LABEL)) {
    return [{ path, message: `${what}: ${KNATIVE_OBSOLETE_VISIBILITY_LABEL} was removed in Knative 0.21 and is ignored; use ${KNATIVE_VISIBILITY_LABEL}: ${KNATIVE_CLUSTER_LOCAL}.` }];
  }
  const templateLabels = obj?.spec?.template?.metadata?.labels;
  if (isMap(templateLabels) && Object.prototype.hasOwnProperty.call(templateLabels, KNATIVE_VISIBILITY_LABEL)) {
    return [{ path, message: `${what}: the visibility label on spec.template goes to the Revision, not the Route; set it on the ${obj.kind}'s own metadata.labels.` }];
  }
  return [{ path, message: `${what} (whenever the cluster's config-domain names a domain; before Knative 1.10, always): no ${KNATIVE_VISIBILITY_LABEL}: ${KNATIVE_CLUSTER_LOCAL} label.` }];
}

export const serviceExposure: IRule = {
  id: 'service-exposure',
  title: 'Services are not exposed through NodePort, LoadBalancer, externalIPs or Knative\'s external ingress',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.ERROR,
  appliesTo: ['Service', 'Route', 'DomainMapping'],
  description: 'NodePort opens the port on every node; LoadBalancer provisions a (often public) cloud load balancer; ' +
    'externalIPs can hijack traffic for arbitrary addresses (CVE-2020-8554). All bypass the reviewed ingress path. ' +
    'A Knative (serving.knative.dev) Service or Route is published on the external ingress unless its own ' +
    '`metadata.labels` carry `networking.knative.dev/visibility: cluster-local`, exactly: another value or case, the ' +
    'obsolete `serving.knative.dev/visibility` key (ignored since Knative 0.21) or the label on `spec.template` only ' +
    '(it goes to the Revision) fail. A Knative DomainMapping always publishes its target externally (Knative ignores ' +
    'the target\'s visibility there). An OpenShift Route is judged by ingress-tls, not here.',
  remediation: 'Use type ClusterIP behind the ingress controller or gateway; expose deliberately through it, or waive with an owner and expiry. ' +
    'Label a Knative Service or Route `networking.knative.dev/visibility: cluster-local` unless it is meant to be public.',
  references: ['CVE-2020-8554 (externalIPs)', 'Kubernetes docs: Service types', 'Seed: do not open unnecessary ports',
    'Knative docs: Configuring private Services (networking.knative.dev/visibility)'],
  peers: ['kube-linter:exposed-services', 'gatekeeper:general/block-loadbalancer-services', 'gatekeeper:general/block-nodeport-services',
    'gatekeeper:general/externalip', 'kyverno:best-practices/restrict-node-port', 'kyverno:best-practices/restrict-service-external-ips'],
  threats: ['I3-lateral-movement'],
  check(obj) {
    if (groupOf(obj) === KNATIVE_SERVING_GROUP) return knativeExposure(obj);
    if (obj?.kind !== 'Service') return [];
    const out: RuleViolation[] = [];
    const type = obj?.spec?.type;
    if (type === 'NodePort' || type === 'LoadBalancer') out.push({ path: 'spec.type', message: `Service type ${type}.` });
    if (Array.isArray(obj?.spec?.externalIPs) && obj.spec.externalIPs.length > 0) out.push({ path: 'spec.externalIPs', message: `Service sets externalIPs ${JSON.stringify(obj.spec.externalIPs)}.` });
    return out;
  },
};
