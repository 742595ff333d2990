import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { judgesKindGroup } from '../kind-groups';

const SAFE_PATH_TYPES = ['Exact', 'Prefix'];
const REGEX_ANNOTATION = 'nginx.ingress.kubernetes.io/use-regex';

export const ingressPathType: IRule = {
  id: 'ingress-path-type',
  title: 'Ingress paths are Exact or Prefix, not controller-specific',
  stride: [Stride.TAMPERING, Stride.ELEVATION_OF_PRIVILEGE],
  severity: Severity.WARNING,
  appliesTo: ['Ingress'],
  description: 'A path with `pathType: ImplementationSpecific` — or without a pathType, which `networking.k8s.io/v1beta1` ' +
    'and `extensions/v1beta1` default to ImplementationSpecific — is interpreted by the controller: ingress-nginx turns it ' +
    'into a regular expression written into its proxy configuration and exempts it from its path validation (which ' +
    'admits only alphanumerics, `/`, `_` and `-` for Exact and Prefix), so whoever writes the Ingress writes proxy ' +
    'configuration, and a broad pattern captures paths of other applications on the host. The ' +
    '`nginx.ingress.kubernetes.io/use-regex: "true"` annotation makes every path of the host a regular expression and ' +
    'fails as well. A warning: some controllers need ImplementationSpecific for legitimate rewrites — waive them.',
  remediation: 'Use `pathType: Prefix` (or `Exact`) with a literal path such as `/api`, and drop `use-regex`; or waive the ' +
    'path with an owner and expiry.',
  references: ['Kubernetes docs: Ingress path types', 'ingress-nginx docs: OpenPolicyAgent and pathType enforcing (ImplementationSpecific may allow arbitrary configuration)',
    'ingress-nginx FAQ: validation of path (strict-validate-path-type)', 'CVE-2021-25745'],
  peers: [],
  threats: ['S2-impersonated-peer'],
  check(obj) {
    if (!judgesKindGroup('ingress-path-type', obj)) return []; // same kind name, another API group (kind-groups.ts)
    const out: RuleViolation[] = [];
    const rules: unknown[] = Array.isArray(obj?.spec?.rules) ? obj.spec.rules : [];
    rules.forEach((r: any, i) => {
      const paths: unknown[] = Array.isArray(r?.http?.paths) ? r.http.paths : [];
      paths.forEach((p: any, j) => {
        const t = p?.pathType;
        if (!SAFE_PATH_TYPES.includes(t)) {
          out.push({
            path: `spec.rules[${i}].http.paths[${j}].pathType`,
            message: t === undefined || t === null
              ? `path ${JSON.stringify(p?.path)} has no pathType: ImplementationSpecific by default, interpreted by the controller.`
              : `path ${JSON.stringify(p?.path)} has pathType ${JSON.stringify(t)}: interpreted by the controller (a regular expression on ingress-nginx).`,
          });
        }
      });
    });
    const annotations = obj?.metadata?.annotations ?? {};
    if (String(annotations[REGEX_ANNOTATION] ?? '').trim().toLowerCase() === 'true') {
      out.push({ path: `metadata.annotations["${REGEX_ANNOTATION}"]`, message: `annotation ${REGEX_ANNOTATION}: "${annotations[REGEX_ANNOTATION]}" makes every path a regular expression.` });
    }
    return out;
  },
};
