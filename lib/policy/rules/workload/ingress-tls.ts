import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { groupOf, judgesKindGroup, OPENSHIFT_ROUTE_GROUP } from '../kind-groups';

/** Whether a TLS host entry (exact or `*.domain`, one label) covers a rule host. */
function tlsCovers(tlsHost: string, host: string): boolean {
  const t = tlsHost.trim().toLowerCase().replace(/\.$/, '');
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (t === h) return true;
  if (t.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === t.slice(2);
  }
  return false;
}

/**
 * The spellings of false that Go's strconv.ParseBool accepts: ingress-nginx (`parseBool`, internal/ingress/annotations/
 * parser) and ingress-gce (`AllowHTTP`, pkg/annotations/ingress.go) read these annotations with it.
 */
export const PARSE_BOOL_FALSE: readonly string[] = ['0', 'f', 'F', 'false', 'FALSE', 'False'];

/** ingress-nginx: the HTTPS redirect is off for a ParseBool false (trimmed and any case also count: stricter, never looser). */
export const SSL_REDIRECT_ANNOTATION = 'nginx.ingress.kubernetes.io/ssl-redirect';
/** ingress-gce: HTTP is served unless the value parses as false (a value ParseBool refuses means true). */
export const ALLOW_HTTP_ANNOTATION = 'kubernetes.io/ingress.allow-http';

function plaintextBy(key: string, value: unknown): boolean {
  const v = String(value ?? ''); // a null annotation value reaches the controller as ""
  return key === SSL_REDIRECT_ANNOTATION ? ['0', 'f', 'false'].includes(v.trim().toLowerCase()) : !PARSE_BOOL_FALSE.includes(v);
}

/** OpenShift Route `spec.tls.termination` values (route/v1 types.go; the API server compares them exactly). */
export const ROUTE_TERMINATIONS: readonly string[] = ['edge', 'reencrypt', 'passthrough'];
/** OpenShift Route `spec.tls.insecureEdgeTerminationPolicy` values; unset or "" is None. */
export const ROUTE_INSECURE_POLICIES: readonly string[] = ['None', 'Allow', 'Redirect', ''];

/**
 * An OpenShift Route, as the router serves it (openshift/router pkg/router/template/util/haproxy/map_entry.go
 * generateHttpMapEntry): plain HTTP when it has no `spec.tls` (no termination), or when an edge or reencrypt route sets
 * `insecureEdgeTerminationPolicy: Allow`. Values are compared exactly, as the API server validates them
 * (library-go route/validation validateTLS, validateInsecureEdgeTerminationPolicy; the CRD's enums): another spelling
 * is refused, so it fails here too rather than pass unexamined.
 */
function routePlaintext(obj: any): RuleViolation[] {
  const tls = obj?.spec?.tls;
  if (tls === undefined || tls === null) return [{ path: 'spec.tls', message: 'Route has no TLS: the router serves it over plain HTTP.' }];
  if (typeof tls !== 'object' || Array.isArray(tls)) return [{ path: 'spec.tls', message: `spec.tls ${JSON.stringify(tls)} is not an object: OpenShift refuses it.` }];
  const out: RuleViolation[] = [];
  const term = tls.termination;
  if (!ROUTE_TERMINATIONS.includes(term)) {
    out.push({ path: 'spec.tls.termination', message: `termination ${JSON.stringify(term ?? null)} is not one of ${ROUTE_TERMINATIONS.join(', ')} (exact case): OpenShift refuses the Route.` });
  }
  const policy = tls.insecureEdgeTerminationPolicy;
  const at = 'spec.tls.insecureEdgeTerminationPolicy';
  if (policy === undefined) return out;
  if (!ROUTE_INSECURE_POLICIES.includes(policy)) {
    out.push({ path: at, message: `insecureEdgeTerminationPolicy ${JSON.stringify(policy)} is not one of None, Allow, Redirect (exact case): OpenShift refuses the Route.` });
  } else if (policy === 'Allow') {
    out.push({
      path: at,
      message: term === 'passthrough' ? 'insecureEdgeTerminationPolicy Allow with passthrough termination: OpenShift refuses the Route.'
        : 'insecureEdgeTerminationPolicy Allow: the router also serves the Route over plain HTTP.',
    });
  }
  return out;
}

export const ingressTls: IRule = {
  id: 'ingress-tls',
  title: 'Ingresses and OpenShift Routes serve every host over TLS',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['Ingress', 'Route'],
  description: 'An Ingress host not listed in `spec.tls[].hosts` (exactly, or by a one-label `*.` wildcard as certificates ' +
    'match) is served in plaintext: credentials and session cookies cross the network readable and modifiable. An ' +
    'Ingress whose rules have no host is judged by `ingress-host`; here it needs a TLS entry too. Annotations that ' +
    'turn the HTTPS redirect off (`nginx.ingress.kubernetes.io/ssl-redirect: "false"`, or any other spelling of false that ' +
    'Go\'s strconv.ParseBool accepts, as ingress-nginx reads it: `"0"`, `"f"`, `"F"`, `"FALSE"`, `"False"`) or allow HTTP ' +
    '(`kubernetes.io/ingress.allow-http` with any value but a ParseBool false: ingress-gce serves HTTP for `"true"`, `"1"`, ' +
    '`"yes"` or `" false"`, as it treats a value it cannot parse as true) fail as well. An OpenShift Route ' +
    '(route.openshift.io) without `spec.tls`, or with `insecureEdgeTerminationPolicy: Allow`, is served over plain HTTP ' +
    'by the router and fails; `Redirect` and `None` (or unset) pass. Values are compared exactly, as OpenShift ' +
    'validates them: another spelling (`allow`, `Edge`) is refused by the API server and fails here too. A Knative ' +
    'Route is judged by service-exposure.',
  remediation: 'Add a `spec.tls` entry covering every host, with a certificate Secret (e.g. from cert-manager), and keep the ' +
    'HTTPS redirect on. For an OpenShift Route: `spec.tls.termination: edge` (or reencrypt/passthrough) with ' +
    '`insecureEdgeTerminationPolicy: Redirect`.',
  references: ['Kubernetes docs: Ingress TLS', 'NSA/CISA Kubernetes Hardening Guidance: encrypt traffic in transit',
    'OWASP ASVS V9.1: communications security', 'OpenShift docs: Route TLS termination, insecureEdgeTerminationPolicy'],
  peers: ['polaris:tlsSettingsMissing', 'gatekeeper:general/httpsonly'],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    if (obj?.kind === 'Route') return groupOf(obj) === OPENSHIFT_ROUTE_GROUP ? routePlaintext(obj) : [];
    if (!judgesKindGroup('ingress-tls', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const spec = obj?.spec ?? {};
    const tls: any[] = Array.isArray(spec.tls) ? spec.tls : [];
    const tlsHosts: string[] = tls.flatMap(t => (Array.isArray(t?.hosts) ? t.hosts : []).filter((h: unknown) => typeof h === 'string'));
    const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
    if (tls.length === 0) {
      out.push({ path: 'spec.tls', message: 'Ingress has no TLS: every host is served in plaintext.' });
    } else {
      rules.forEach((r: any, i) => {
        if (typeof r?.host === 'string' && r.host.trim() !== '' && !tlsHosts.some(t => tlsCovers(t, r.host))) {
          out.push({ path: `spec.rules[${i}].host`, message: `host ${JSON.stringify(r.host)} is not covered by spec.tls (${JSON.stringify(tlsHosts)}).` });
        }
      });
    }
    const annotations = obj?.metadata?.annotations ?? {};
    for (const key of [SSL_REDIRECT_ANNOTATION, ALLOW_HTTP_ANNOTATION]) {
      if (Object.prototype.hasOwnProperty.call(annotations, key) && annotations[key] !== undefined && plaintextBy(key, annotations[key])) {
        out.push({ path: `metadata.annotations["${key}"]`, message: `annotation ${key}: "${annotations[key]}" serves plaintext HTTP.` });
      }
    }
    return out;
  },
};
