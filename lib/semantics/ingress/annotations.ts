/**
 * Ingress-controller annotations that write into the proxy's configuration, judged by effect. Documented in
 * docs/guides/attack-surface.md. Names are matched on the part after the prefix, so a controller started with another
 * `--annotations-prefix` is judged the same.
 *
 * ingress-nginx (kubernetes/ingress-nginx; CVE-2021-25742 snippets read every Secret the controller can read,
 * CVE-2023-5044 permanent-redirect injection, CVE-2025-1974 "IngressNightmare": auth-url, auth-tls-match-cn and
 * mirror-target/-host reach the admission webhook's configuration test):
 * - any `*-snippet` (configuration-snippet, server-snippet, auth-snippet, stream-snippet, modsecurity-snippet, …):
 *   raw NGINX configuration;
 * - `mirror-target`, `mirror-uri`, `mirror-host`: a copy of every request (headers, cookies, bodies) goes elsewhere;
 * - any other annotation whose value holds an NGINX configuration metacharacter (`;`, `{`, `}`, `"`, `'`, `` ` ``,
 *   `\`, `#`, a line break): the value is written into nginx.conf (auth-url, auth-signin, permanent-redirect,
 *   auth-tls-match-cn, …);
 * - ConfigMap key `allow-snippet-annotations: "true"` (the controller's configuration) switches snippets back on.
 *
 * HAProxy: haproxy.org (haproxytech) `*-config-snippet` (backend-config-snippet, frontend-config-snippet, …) and
 * haproxy-ingress.github.io (jcmoraisjr) `config-backend`, `config-defaults`, `config-frontend`, `config-global`,
 * `config-proxy`, `config-sections`, `config-tcp`, `config-tcp-service`: raw HAProxy configuration.
 *
 * Traefik: a `Middleware` (traefik.io / traefik.containo.us) with `spec.plugin` runs third-party plugin code in the
 * proxy; Traefik has no raw-configuration annotation.
 */

/** One annotation (or field) that injects proxy configuration. */
export interface ControllerInjection {
  readonly path: string;
  readonly controller: string;
  readonly message: string;
}

const NGINX_PREFIXES = ['nginx.ingress.kubernetes.io'];
const MIRROR = new Set(['mirror-target', 'mirror-uri', 'mirror-host']);
const HAPROXY_INGRESS = new Set(['config-backend', 'config-defaults', 'config-frontend', 'config-global', 'config-proxy', 'config-sections', 'config-tcp', 'config-tcp-service']);
/** Characters that end or open an NGINX directive or string, or a comment. */
const NGINX_META = /[;{}"'`\\#\r\n]/;

const own = (o: any, k: string): unknown => (o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** What a controller annotation of an object's metadata injects. */
export function annotationInjections(annotations: unknown): ControllerInjection[] {
  const out: ControllerInjection[] = [];
  if (!annotations || typeof annotations !== 'object') return out;
  for (const key of Object.keys(annotations)) {
    const raw = own(annotations, key);
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '';
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : '';
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const path = `metadata.annotations["${key}"]`;
    if (prefix === 'haproxy-ingress.github.io' || prefix === 'ingress.kubernetes.io') {
      if (HAPROXY_INGRESS.has(name)) out.push({ path, controller: 'haproxy-ingress', message: `${key} writes raw HAProxy configuration.` });
      continue;
    }
    if (prefix === 'haproxy.org' || prefix === 'haproxy.com') {
      if (name.endsWith('-snippet')) out.push({ path, controller: 'HAProxy Kubernetes Ingress', message: `${key} writes raw HAProxy configuration.` });
      continue;
    }
    // ingress-nginx: the default prefix, or any prefix when the name is one only ingress-nginx gives meaning to.
    const nginx = NGINX_PREFIXES.includes(prefix);
    if (name.endsWith('-snippet') && (nginx || prefix !== '')) {
      out.push({ path, controller: 'ingress-nginx', message: `${key} writes raw NGINX configuration (the class of CVE-2021-25742: snippets can read every Secret the controller reads).` });
    } else if (MIRROR.has(name) && (nginx || prefix !== '')) {
      out.push({ path, controller: 'ingress-nginx', message: `${key}=${JSON.stringify(value)} sends a copy of every request (headers, cookies, bodies) to another destination.` });
    } else if (nginx && NGINX_META.test(value)) {
      out.push({ path, controller: 'ingress-nginx', message: `${key}=${JSON.stringify(value)} holds an NGINX configuration metacharacter; the value is written into nginx.conf (the class of CVE-2023-5044 and CVE-2025-1974).` });
    }
  }
  return out;
}
