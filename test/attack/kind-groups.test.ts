/**
 * Class 10 of docs/guides/attack-surface.md: the same exposure written as another kind. A Knative Service published on
 * the external ingress and an OpenShift Route serving plain HTTP are blocked in every layer (app.synth(), the cdk8s
 * plugin, `check`), and a waiver lets them through; the cluster-local Knative Service and the TLS-only Route pass; a
 * Calico NetworkPolicy and a Knative KIngress are not judged as the core kinds they are named after.
 */
import { expectBlockedEverywhere, expectNotFlagged } from './layers';

const KSVC = (labels: string) => `
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api
  namespace: shop
${labels}
spec:
  template:
    spec:
      containers: [{ image: "registry.example.com/shop/api@sha256:0000000000000000000000000000000000000000000000000000000000000000" }]
`;

const ROUTE = (tls: string) => `
apiVersion: route.openshift.io/v1
kind: Route
metadata: { name: web, namespace: shop }
spec:
  host: shop.example.com
  to: { kind: Service, name: web }
${tls}
`;

test('a Knative Service without the cluster-local label is blocked everywhere, and a waiver lets it through', async () => {
  await expectBlockedEverywhere(KSVC(''), 'service-exposure', { waive: ['Service/api'] });
});

test('the label in another case of the value is blocked; exactly cluster-local passes', async () => {
  await expectBlockedEverywhere(KSVC('  labels: { networking.knative.dev/visibility: Cluster-Local }'), 'service-exposure');
  await expectNotFlagged(KSVC('  labels: { networking.knative.dev/visibility: cluster-local }'), 'service-exposure');
});

test('an OpenShift Route without TLS, or with insecureEdgeTerminationPolicy Allow, is blocked everywhere; Redirect passes', async () => {
  await expectBlockedEverywhere(ROUTE(''), 'ingress-tls', { waive: ['Route/web'] });
  await expectBlockedEverywhere(ROUTE('  tls: { termination: edge, insecureEdgeTerminationPolicy: Allow }'), 'ingress-tls');
  await expectNotFlagged(ROUTE('  tls: { termination: edge, insecureEdgeTerminationPolicy: Redirect }'), 'ingress-tls');
});

test('a Calico NetworkPolicy is not judged as a Kubernetes one; a Knative KIngress not as an Ingress', async () => {
  await expectNotFlagged(`
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: { name: allow-web, namespace: shop }
spec:
  selector: app == 'web'
  ingress: [{ action: Allow, source: { selector: app == 'frontend' } }]
`, 'network-policy-allow-all-ingress');
  await expectNotFlagged(`
apiVersion: networking.internal.knative.dev/v1alpha1
kind: Ingress
metadata: { name: api, namespace: shop }
spec:
  rules: [{ hosts: [api.shop.svc.cluster.local], visibility: ClusterLocal }]
`, 'ingress-class-explicit');
});
