import { annotationInjections } from '../../../semantics/ingress/annotations';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';

const TRAEFIK_GROUPS = ['traefik.io/', 'traefik.containo.us/'];

export const ingressControllerInjection: IRule = {
  id: 'ingress-controller-injection',
  title: 'No ingress-controller configuration injected through annotations',
  stride: [Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['Ingress', 'Service', 'ConfigMap', 'Middleware'],
  description: 'An ingress controller runs with read access to every Secret of the cluster and serves every tenant\'s ' +
    'traffic, so whoever writes its configuration holds both. Judged by effect, per controller (the documented list is in ' +
    'docs/guides/attack-surface.md): ingress-nginx `*-snippet` annotations (raw NGINX configuration, CVE-2021-25742), ' +
    '`mirror-target`/`mirror-uri`/`mirror-host` (a copy of every request elsewhere), and any ingress-nginx annotation ' +
    'whose value holds an NGINX configuration metacharacter (`;` `{` `}` quotes `\\` `#` a line break: injected ' +
    'auth-url, auth-signin, permanent-redirect, auth-tls-match-cn — CVE-2023-5044, CVE-2025-1974); a ConfigMap that sets ' +
    '`allow-snippet-annotations: "true"`; HAProxy `haproxy.org/*-config-snippet` and haproxy-ingress `config-*` ' +
    'annotations (raw HAProxy configuration, also read from Services); a Traefik Middleware with `spec.plugin` ' +
    '(third-party code in the proxy). Names are matched after the prefix, so a custom `--annotations-prefix` is judged too.',
  remediation: 'Use the controller\'s typed annotations (auth-url with a plain URL, rewrite-target, cors-*) or its CRDs; ' +
    'keep snippets disabled in the controller (allow-snippet-annotations: false, the default since ingress-nginx 1.9). A ' +
    'platform-owned Ingress that truly needs a snippet carries a waiver naming its owner.',
  references: [
    'CVE-2021-25742 (ingress-nginx custom snippets)', 'CVE-2023-5044 (ingress-nginx permanent-redirect injection)',
    'CVE-2025-1974, CVE-2025-1097, CVE-2025-1098, CVE-2025-24514 (IngressNightmare)',
    'Kyverno policy disallow-custom-snippets', 'ingress-nginx docs: annotations, allow-snippet-annotations',
  ],
  peers: [],
  threats: ['I1-secret-read-through-permissions'],
  check(obj): RuleViolation[] {
    if (!judgesKindGroup('ingress-controller-injection', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const kind = obj?.kind;
    if (kind === 'ConfigMap') {
      const v = obj?.data?.['allow-snippet-annotations'];
      return typeof v === 'string' && v.trim().toLowerCase() === 'true'
        ? [{ path: 'data["allow-snippet-annotations"]', message: 'switches ingress-nginx snippet annotations on (CVE-2021-25742).' }]
        : [];
    }
    if (kind === 'Middleware') {
      if (!TRAEFIK_GROUPS.some(g => String(obj?.apiVersion ?? '').startsWith(g))) return [];
      return obj?.spec?.plugin !== undefined
        ? [{ path: 'spec.plugin', message: `Traefik Middleware runs plugin ${JSON.stringify(Object.keys(obj.spec.plugin ?? {}))} (third-party code in the proxy).` }]
        : [];
    }
    return annotationInjections(obj?.metadata?.annotations).map(i => ({ path: i.path, message: `${i.controller}: ${i.message}` }));
  },
};
