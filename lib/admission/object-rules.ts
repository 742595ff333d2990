/**
 * Catalogue rules over kinds other than pod carriers, judged on one object at admission: Service exposure, PersistentVolume
 * host paths, Ingress TLS, legacy token Secrets, NetworkPolicy ingress from everyone, Gateway listeners, Ingress paths and classes,
 * ExternalName Services, the default namespace, Istio mTLS, OpenShift SCCs, ingress-controller injection and RBAC
 * bindings to everyone. Each is the TypeScript rule's check in CEL over `object`, with the same finding paths (so baked
 * waivers cover exactly what the guard's waivers cover), the fields it reads (UPDATE judging) and the API resources it
 * matches. The differential test (test/admission/object-rules.test.ts) requires the TypeScript verdict on the rule
 * fixtures and on generated objects.
 *
 * Core kinds reach admission decoded into their Go types, so their fields have their schema types. Custom resources
 * (Gateway API, Istio, OpenShift SCC) may not: each such rule declares the types of the fields it reads (`types`), and
 * its policy denies a wrong-typed value first, naming the field (as the pod carriers' type check), never judging it by
 * a comparison that another type would pass.
 */
import { DEFAULT_KUBE_VERSION, kubeMinor } from '../kube/kube-version';
import { CLUSTER_SCOPED_KINDS } from '../kube/manifest';
import { KNATIVE_SERVING_GROUP, OPENSHIFT_ROUTE_GROUP } from '../policy/rules/kind-groups';
import { ALLOW_HTTP_ANNOTATION, PARSE_BOOL_FALSE, ROUTE_INSECURE_POLICIES, ROUTE_TERMINATIONS, SSL_REDIRECT_ANNOTATION } from '../policy/rules/workload/ingress-tls';
import { SYSTEM_PATHS } from '../policy/rules/workload/persistent-volume-host-path';
import { PolicySettings } from '../policy/types';
import { DISCOVERY_ROLES, KUBEADM_CLUSTER_INFO } from '../semantics/rbac/bootstrap-bindings';
import { normalizeSubject } from '../semantics/rbac/subjects';
import { BuildContext, lit, litList, okOr } from './cel-rules';
import { EXCEPTS_BUDGET_MESSAGE, EXCEPTS_IN_BUDGET, exceptsInBudget, ipBlockOk, ISOLATES_EGRESS, NETPOL_METADATA_MIN_KUBE_MINOR, netpolMetadataVersionReason } from './netpol-metadata';
import { badPaths, T, typeCheckOf } from './types-cel';

/** An API kind a non-pod rule matches. */
export interface ObjectKind {
  readonly group: string;
  readonly kind: string;
  readonly resource: string;
  readonly clusterScoped: boolean;
}

/** One place where a rule can fail: its `ok` condition (waivers included) and the finding's path (a CEL string). */
export interface ObjectSite {
  readonly ok: string;
  readonly path: string;
}

/** The declared type of a field a rule reads on a custom resource, checked when `when` holds. */
export interface ObjectFieldType {
  readonly when: string;
  /** CEL selection of the field, and its path for messages (a CEL string). */
  readonly at: string;
  readonly path: string;
  readonly t: T;
}

/** A non-pod rule's admission form. */
export interface ObjectAdmissionRule {
  readonly id: string;
  /** The kinds it matches; 'namespaced': every namespaced resource (the API server knows the scope). */
  readonly kinds: ReadonlyArray<ObjectKind> | 'namespaced';
  /** CEL selections (from `object`) of every field the rule reads: an UPDATE is judged when one of them changed. */
  readonly reads: string[];
  /** Findings as [ok, path] sites; the rule admits when every site is ok (or waived). */
  readonly sites: (ctx: BuildContext) => ObjectSite[];
  /** Custom-resource kinds: the types of the fields the rule reads. */
  readonly types?: ReadonlyArray<ObjectFieldType>;
  /** Judged only in part at admission: what is not, and why (listed by `--not-enforced`). */
  readonly partial?: string;
  /** For a partial rule: whether a finding of the TypeScript rule at `path` is one the policy judges. */
  readonly judges?: (obj: any, path: string) => boolean;
  /** Generated only for this Kubernetes minor version or later (a CEL library it needs); the reason otherwise. */
  readonly minKube?: { readonly minor: number; readonly reason: (kubeVersion: string) => string };
  /** Validations before the rule's own: a limit of what the policy can judge (beyond it: denied, with this message). */
  readonly limits?: ReadonlyArray<{
    readonly ok: string;
    readonly message: string;
    /** The same limit in TypeScript (for the impact report): true when `obj` is within it. */
    readonly within: (obj: any) => boolean;
  }>;
}

const has = (base: string, fields: string[]) => fields.map((_, i) => `has(${[base, ...fields.slice(0, i + 1)].join('.')})`).join(' && ');

/** `has()` of every step, each step a map first (custom resources: any JSON can arrive). */
const present = (base: string, fields: string[]) => fields.map((_, i) => {
  const parent = [base, ...fields.slice(0, i)].join('.');
  return `type(${parent}) == map && has(${parent}.${fields[i]})`;
}).join(' && ');

/** JavaScript's `String.prototype.trim` whitespace (WhiteSpace and LineTerminator of ECMA-262), as an RE2 class body. */
const JS_WS = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/** `typeof v === 'string' && v.trim() !== ''`, exactly (CEL's trim() uses Go's whitespace, which differs). */
function namedString(v: string): string {
  return `type(${v}) == string && ${v}.matches(${lit(`[^${JS_WS}]`)})`;
}

/** `v.trim().toLowerCase() === word` for an ASCII lower-case word, exactly. */
function trimmedLowerIs(v: string, word: string): string {
  const letters = [...word].map(ch => (/[a-z]/.test(ch) ? `[${ch}${ch.toUpperCase()}]` : ch)).join('');
  return `${v}.matches(${lit(`^[${JS_WS}]*${letters}[${JS_WS}]*$`)})`;
}

/** One level of nested lists: every element `v` of `list` (present when `guard` holds). */
interface Level { readonly list: string; readonly v: string; readonly guard?: string }

/**
 * Every element of nested lists satisfies `ok` or a waiver covers its finding at `pathOf(indices)`. Duplicate elements
 * share an index in CEL (`indexOf`): with waivers, the first and the last occurrence at every level must be covered and
 * no element may occur more than twice (then every occurrence is covered: exact; three or more: not covered, denied).
 * Returns the site: ok, and the path of the first failing element for messages.
 */
function eachNested(ctx: BuildContext, levels: Level[], pathOf: (idx: string[]) => string, ok: string): ObjectSite {
  // with waivers, each level binds its element's first and last index and whether it occurs at most twice, once per element
  const ix = (i: number) => `ix${i}`;
  let cond = `(${ok})`;
  if (ctx.waived) {
    const choices = levels.reduce<string[][]>((acc, _l, i) => acc.flatMap(a => [[...a, `${ix(i)}[0]`], [...a, `${ix(i)}[1]`]]), [[]]);
    const covers = choices.map(idx => okOr(ctx, 'false', pathOf(idx)));
    cond = `(${ok}) || (${[...levels.map((_l, i) => `${ix(i)}[2] == 'ok'`), ...covers].join(' && ')})`;
  }
  const bind = (i: number, body: string) => !ctx.waived ? body
    : `[[string(${levels[i].list}.indexOf(${levels[i].v})), string(${levels[i].list}.lastIndexOf(${levels[i].v})), ` +
      `size(${levels[i].list}.filter(d, d == ${levels[i].v})) <= 2 ? 'ok' : 'more']].all(${ix(i)}, ${body})`;
  const build = (i: number, waived: boolean): string => i === levels.length ? (waived ? cond : `(${ok})`)
    : `(${levels[i].guard ? `!(${levels[i].guard}) || ` : ''}${levels[i].list}.all(${levels[i].v}, ${waived ? bind(i, build(i + 1, true)) : build(i + 1, false)}))`;
  const first = levels.map(l => `string(${l.list}.indexOf(${l.v}))`);
  // The message names the first element that fails the rule (located without the waivers: cost); the site itself is
  // only named when it fails with its waivers.
  const msg = (i: number): string => i === levels.length ? pathOf(first) : `${levels[i].list}.filter(${levels[i].v}, !${build(i + 1, false)}).map(${levels[i].v}, ${msg(i + 1)})[0]`;
  return { ok: build(0, ctx.waived), path: msg(0) };
}

/**
 * A `local` path as the policy judges it: absolute, without `.`/`..` segments or repeated slashes (which the
 * TypeScript rule normalizes; CEL cannot, so such a path is denied — fail-closed), one trailing slash dropped; then it
 * must not be, lie inside, or contain a system path.
 */
function localPathOk(p: string): string {
  const trimmed = `(size(${p}) > 1 && ${p}.endsWith('/') ? ${p}.substring(0, size(${p}) - 1) : ${p})`;
  const systemFree = `[${trimmed}].all(q, ${litList(SYSTEM_PATHS)}.all(s, q != s && (s == '/' || (!q.startsWith(s + '/') && !s.startsWith(q == '/' ? '/' : q + '/')))))`;
  return `${p}.startsWith('/') && !${p}.matches('//|/\\\\.\\\\.?(/|$)') && ${systemFree}`;
}

/** A host as ingress-tls compares it: trimmed, lower-case (ASCII), one trailing dot dropped. */
function normHost(h: string): string {
  const l = `${h}.trim().lowerAscii()`;
  return `(${l}.endsWith('.') ? ${l}.substring(0, size(${l}) - 1) : ${l})`;
}

/** The TLS host `t` covers host `h`: equal, or `*.rest` covers `label.rest`. */
function tlsCovers(t: string, h: string): string {
  return `[${normHost(t)}].all(tt, [${normHost(h)}].all(hh, tt == hh || (tt.startsWith('*.') && hh.indexOf('.') > 0 && hh.substring(hh.indexOf('.') + 1) == tt.substring(2))))`;
}

/** The annotations that turn plaintext on, with CEL for "this value does" (the TypeScript rule's plaintextBy, exactly). */
const PLAINTEXT_ANNOTATIONS: [string, (v: string) => string][] = [
  // trimmed (JavaScript's whitespace) and any case: 0, f or false
  [SSL_REDIRECT_ANNOTATION, v => `${v}.matches(${lit(`^[${JS_WS}]*(0|[fF]|[fF][aA][lL][sS][eE])[${JS_WS}]*$`)})`],
  // anything but a spelling of false that Go's strconv.ParseBool accepts
  [ALLOW_HTTP_ANNOTATION, v => `!(${v} in ${litList([...PARSE_BOOL_FALSE])})`],
];

const CORE = (kind: string, resource: string, clusterScoped = false): ObjectKind => ({ group: '', kind, resource, clusterScoped });
const INGRESS: ObjectKind = { group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses', clusterScoped: false };
const OPENSHIFT_ROUTE: ObjectKind = { group: OPENSHIFT_ROUTE_GROUP, kind: 'Route', resource: 'routes', clusterScoped: false };
const ANN = 'object.metadata.annotations';

/** An annotation is present and `cond(value)` holds. */
const annotationIs = (key: string, cond: (v: string) => string) => `(has(${ANN}) && ${lit(key)} in ${ANN} && ${cond(`${ANN}[${lit(key)}]`)})`;

/**
 * A label selector matches a namespace (or pod) created tomorrow (netreach/selector.ts matchesEveryNamespace /
 * matchesEveryPod). A fresh namespace carries only kubernetes.io/metadata.name with a name no requirement mentions, a
 * fresh pod no label: an `In` requirement (every matchLabels entry is one) never holds, `NotIn` always, `Exists` only
 * on kubernetes.io/metadata.name of a namespace, `DoesNotExist` on any other key. The API server validates NetworkPolicy
 * selectors (operators, values) before admission, so every requirement here is a valid one.
 */
function selectorMatchesFresh(s: string, namespace: boolean): string {
  const holds = namespace
    ? 'e.operator + (e.key == \'kubernetes.io/metadata.name\' ? \'=\' : \'\') in [\'NotIn\', \'NotIn=\', \'Exists=\', \'DoesNotExist\']'
    : "e.operator in ['NotIn', 'DoesNotExist']";
  return `(type(${s}) != map || ((!has(${s}.matchLabels) || size(${s}.matchLabels) == 0) && (!has(${s}.matchExpressions) || ${s}.matchExpressions.all(e, ${holds}))))`;
}

const HAPROXY_INGRESS = ['config-backend', 'config-defaults', 'config-frontend', 'config-global', 'config-proxy', 'config-sections', 'config-tcp', 'config-tcp-service'];
const NGINX_META = '[;{}"\'`\\\\#\\r\\n]';

/** An annotation key `k` (value `v`) injects ingress-controller configuration (lib/semantics/ingress/annotations.ts). */
function injects(k: string, v: string): string {
  // pn[0]: the prefix (before the last '/'), pn[1]: the name
  const pn = `[${k}.lastIndexOf('/') >= 0 ? ${k}.substring(0, ${k}.lastIndexOf('/')) : '', ${k}.substring(${k}.lastIndexOf('/') + 1)]`;
  return `[${pn}].exists(pn, pn[0] in ['haproxy-ingress.github.io', 'ingress.kubernetes.io'] ? pn[1] in ${litList(HAPROXY_INGRESS)} : ` +
    'pn[0] in [\'haproxy.org\', \'haproxy.com\'] ? pn[1].endsWith(\'-snippet\') : ' +
    '(pn[0] != \'\' && (pn[1].endsWith(\'-snippet\') || pn[1] in [\'mirror-target\', \'mirror-uri\', \'mirror-host\'])) || ' +
    `(pn[0] == 'nginx.ingress.kubernetes.io' && ${v}.matches(${lit(NGINX_META)})))`;
}

/** ingress-tls on an Ingress: spec.tls present, every rule host covered, no annotation turning plaintext on. */
function ingressTlsSites(ctx: BuildContext): ObjectSite[] {
  const hasTls = `${has('object', ['spec', 'tls'])} && size(object.spec.tls) > 0`;
  const covered = (r: string) => `!has(${r}.host) || ${r}.host.trim() == '' || object.spec.tls.exists(t, has(t.hosts) && t.hosts.exists(th, ${tlsCovers('th', `${r}.host`)}))`;
  const first = "'spec.rules[' + string(object.spec.rules.indexOf(x)) + '].host'";
  const last = "'spec.rules[' + string(object.spec.rules.lastIndexOf(x)) + '].host'";
  // duplicate rules share an index in CEL (indexOf): the first and the last occurrence are both required to be waived
  const rulesOk = `!(${hasTls}) || !${has('object', ['spec', 'rules'])} || object.spec.rules.all(x, (${covered('x')})` +
    (ctx.waived ? ` || (${okOr(ctx, 'false', first)} && ${okOr(ctx, 'false', last)})` : '') + ')';
  return [
    { ok: okOr(ctx, hasTls, "'spec.tls'"), path: "'spec.tls'" },
    { ok: `(${rulesOk})`, path: "'spec.rules'" },
    ...PLAINTEXT_ANNOTATIONS.map(([a, plaintext]) => {
      const path = lit(`metadata.annotations["${a}"]`);
      return {
        ok: okOr(ctx, `!(has(object.metadata.annotations) && ${lit(a)} in object.metadata.annotations && ${plaintext(`object.metadata.annotations[${lit(a)}]`)})`, path),
        path,
      };
    }),
  ];
}

const RBAC = 'rbac.authorization.k8s.io';
const k = KUBEADM_CLUSTER_INFO;

export const OBJECT_RULES: ReadonlyArray<ObjectAdmissionRule> = [
  {
    id: 'service-exposure', kinds: [CORE('Service', 'services')],
    reads: ['object.spec.type', 'object.spec.externalIPs'],
    partial: `Knative (${KNATIVE_SERVING_GROUP}) Services, Routes and DomainMappings are judged at synth time and by \`check\` only: a ` +
      'Knative Service\'s exposure is a label (networking.knative.dev/visibility), and these policies admit label-only updates as metadata, ' +
      'so a policy could not stop `kubectl label` from making a private Service public; the three kinds are judged together where the label ' +
      'is read as a whole',
    judges: obj => String(obj?.apiVersion ?? '').indexOf('/') < 0,
    sites: ctx => [
      { ok: okOr(ctx, `!(${has('object', ['spec', 'type'])} && object.spec.type in ['NodePort', 'LoadBalancer'])`, "'spec.type'"), path: "'spec.type'" },
      { ok: okOr(ctx, `!(${has('object', ['spec', 'externalIPs'])} && size(object.spec.externalIPs) > 0)`, "'spec.externalIPs'"), path: "'spec.externalIPs'" },
    ],
  },
  {
    id: 'persistent-volume-host-path', kinds: [CORE('PersistentVolume', 'persistentvolumes', true)],
    reads: ['object.spec.hostPath', 'object.spec.local'],
    sites: ctx => [
      { ok: okOr(ctx, `!(${has('object', ['spec', 'hostPath'])})`, "'spec.hostPath'"), path: "'spec.hostPath'" },
      {
        ok: okOr(ctx, `!(${has('object', ['spec', 'local'])}) || (has(object.spec.local.path) && ${localPathOk('object.spec.local.path')})`, "'spec.local.path'"),
        path: "'spec.local.path'",
      },
    ],
  },
  {
    id: 'ingress-tls', kinds: [INGRESS, OPENSHIFT_ROUTE],
    reads: ['object.spec.tls', 'object.spec.rules', ...PLAINTEXT_ANNOTATIONS.map(([a]) => `object.metadata.annotations[${lit(a)}]`)],
    types: [{
      when: "object.kind == 'Route'", at: 'object.spec', path: "'spec'",
      t: { fields: { tls: { fields: { termination: 'string', insecureEdgeTerminationPolicy: 'string' } } } },
    }],
    sites: ctx => {
      // OpenShift Route (the TypeScript rule's routePlaintext): no spec.tls; a termination or policy OpenShift refuses; Allow
      const route = "object.kind == 'Route'";
      const tlsMap = `${present('object', ['spec', 'tls'])} && type(object.spec.tls) == map`;
      const t = 'object.spec.tls';
      const routeSites: ObjectSite[] = [
        { ok: okOr(ctx, `!(${route}) || (${tlsMap})`, "'spec.tls'"), path: "'spec.tls'" },
        {
          ok: okOr(ctx, `!(${route}) || !(${tlsMap}) || (has(${t}.termination) && ${t}.termination in ${litList([...ROUTE_TERMINATIONS])})`, "'spec.tls.termination'"),
          path: "'spec.tls.termination'",
        },
        {
          ok: okOr(ctx, `!(${route}) || !(${tlsMap}) || !has(${t}.insecureEdgeTerminationPolicy) || ` +
            `${t}.insecureEdgeTerminationPolicy in ${litList(ROUTE_INSECURE_POLICIES.filter(p => p !== 'Allow'))}`, "'spec.tls.insecureEdgeTerminationPolicy'"),
          path: "'spec.tls.insecureEdgeTerminationPolicy'",
        },
      ];
      const ingressSites = ingressTlsSites(ctx).map(x => ({ ok: `(${route} || ${x.ok})`, path: x.path }));
      return [...ingressSites, ...routeSites];
    },
  },
  {
    id: 'service-account-token-secret', kinds: [CORE('Secret', 'secrets')],
    reads: ['object.type'],
    sites: ctx => [{ ok: okOr(ctx, "!has(object.type) || object.type != 'kubernetes.io/service-account-token'", "'type'"), path: "'type'" }],
  },
  {
    id: 'network-policy-allow-all-ingress', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy', resource: 'networkpolicies', clusterScoped: false }],
    reads: ['object.spec.ingress'],
    sites: ctx => {
      const rules: Level = { list: 'object.spec.ingress', v: 'r', guard: `${has('object', ['spec', 'ingress'])} && type(object.spec.ingress) == list` };
      const noFrom = eachNested(ctx, [rules], ([i]) => `'spec.ingress[' + ${i} + ']'`, 'type(r) == map && has(r.from) && type(r.from) == list && size(r.from) > 0');
      const everyone = `type(p) == map && !has(p.ipBlock) && has(p.namespaceSelector) && ${selectorMatchesFresh('p.namespaceSelector', true)} && ` +
        `(!has(p.podSelector) || ${selectorMatchesFresh('p.podSelector', false)})`;
      const peers = eachNested(ctx, [rules, { list: 'r.from', v: 'p', guard: 'type(r) == map && has(r.from) && type(r.from) == list' }],
        ([i, j]) => `'spec.ingress[' + ${i} + '].from[' + ${j} + ']'`, `!(${everyone})`);
      return [noFrom, peers];
    },
  },
  {
    id: 'gateway-listener-tls',
    kinds: [
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', resource: 'gateways', clusterScoped: false },
      { group: 'gateway.networking.k8s.io', kind: 'ListenerSet', resource: 'listenersets', clusterScoped: false },
      { group: 'gateway.networking.x-k8s.io', kind: 'XListenerSet', resource: 'xlistenersets', clusterScoped: false },
      { group: 'gateway.networking.x-k8s.io', kind: 'ListenerSet', resource: 'listenersets', clusterScoped: false },
      { group: 'networking.istio.io', kind: 'Gateway', resource: 'gateways', clusterScoped: false },
    ],
    reads: ['object.spec.listeners', 'object.spec.servers'],
    types: [
      {
        when: "!object.apiVersion.startsWith('networking.istio.io/')", at: 'object.spec', path: "'spec'",
        t: { fields: { listeners: { items: { fields: { protocol: 'string', tls: { fields: { mode: 'string', certificateRefs: 'list' } } } } } } },
      },
      {
        when: "object.apiVersion.startsWith('networking.istio.io/')", at: 'object.spec', path: "'spec'",
        t: { fields: { servers: { items: { fields: { port: { fields: { protocol: 'string' } }, tls: { fields: { mode: 'string', httpsRedirect: 'bool' } } } } } } },
      },
    ],
    sites: ctx => {
      const istio = "object.apiVersion.startsWith('networking.istio.io/')";
      // Gateway API: exact, case-sensitive protocols; Terminate (the default mode) needs certificateRefs
      const tlsProto = "has(l.protocol) && l.protocol in ['HTTPS', 'TLS']";
      const terminatesWithoutCert = "(!(has(l.tls) && has(l.tls.mode)) || l.tls.mode == 'Terminate') && !(has(l.tls) && has(l.tls.certificateRefs) && size(l.tls.certificateRefs) > 0)";
      const listeners: Level = { list: 'object.spec.listeners', v: 'l', guard: `!${istio} && has(object.spec) && has(object.spec.listeners)` };
      const gwTls = eachNested(ctx, [listeners], ([i]) => `'spec.listeners[' + ${i} + '].tls'`, `!(${tlsProto}) || !(${terminatesWithoutCert})`);
      const gwProto = eachNested(ctx, [listeners], ([i]) => `'spec.listeners[' + ${i} + '].protocol'`, tlsProto);
      // Istio: protocols upper-cased as JavaScript does (`ſ` upper-cases to `S`)
      const p = "(has(s.port) && has(s.port.protocol) ? s.port.protocol : '')";
      const servers: Level = { list: 'object.spec.servers', v: 's', guard: `${istio} && has(object.spec) && has(object.spec.servers)` };
      const isTls = `${p}.matches('^(?:[hH][tT][tT][pP][sSſ]|[tT][lL][sSſ])$')`;
      const isHttp = `${p}.matches('^[hH][tT][tT][pP]$')`;
      const istioTls = eachNested(ctx, [servers], ([i]) => `'spec.servers[' + ${i} + '].tls'`, `!(${isTls}) || (has(s.tls) && has(s.tls.mode) && s.tls.mode != '')`);
      const istioProto = eachNested(ctx, [servers], ([i]) => `'spec.servers[' + ${i} + '].port.protocol'`,
        `${isTls} || (${isHttp} && has(s.tls) && has(s.tls.httpsRedirect) && s.tls.httpsRedirect == true)`);
      return [gwTls, gwProto, istioTls, istioProto];
    },
  },
  {
    id: 'ingress-path-type', kinds: [INGRESS],
    reads: ['object.spec.rules', `object.metadata.annotations[${lit('nginx.ingress.kubernetes.io/use-regex')}]`],
    sites: ctx => {
      const paths = eachNested(ctx, [
        { list: 'object.spec.rules', v: 'r', guard: has('object', ['spec', 'rules']) },
        { list: 'r.http.paths', v: 'p', guard: 'has(r.http) && has(r.http.paths)' },
      ], ([i, j]) => `'spec.rules[' + ${i} + '].http.paths[' + ${j} + '].pathType'`, "has(p.pathType) && p.pathType in ['Exact', 'Prefix']");
      const key = 'nginx.ingress.kubernetes.io/use-regex';
      const path = lit(`metadata.annotations["${key}"]`);
      return [paths, { ok: okOr(ctx, `!${annotationIs(key, v => trimmedLowerIs(v, 'true'))}`, path), path }];
    },
  },
  {
    id: 'ingress-class-explicit', kinds: [INGRESS],
    reads: ['object.spec.ingressClassName', `object.metadata.annotations[${lit('kubernetes.io/ingress.class')}]`],
    sites: ctx => [{
      ok: okOr(ctx, `(${has('object', ['spec', 'ingressClassName'])} && ${namedString('object.spec.ingressClassName')}) || ` +
        annotationIs('kubernetes.io/ingress.class', namedString), "'spec.ingressClassName'"),
      path: "'spec.ingressClassName'",
    }],
  },
  {
    id: 'service-external-name', kinds: [CORE('Service', 'services')],
    reads: ['object.spec.type', 'object.spec.externalName'],
    sites: ctx => {
      const ext = `(${has('object', ['spec', 'type'])} && object.spec.type == 'ExternalName')`;
      const named = `(${has('object', ['spec', 'externalName'])} && type(object.spec.externalName) == string && object.spec.externalName != '')`;
      const path = `(${ext} ? 'spec.type' : 'spec.externalName')`;
      return [{ ok: okOr(ctx, `!(${ext} || ${named})`, path), path }];
    },
  },
  {
    // The API server sets an object's empty metadata.namespace to the request's namespace before admission
    // (EnsureObjectNamespaceMatchesRequestNamespace): an object sent without one into `default` arrives with it.
    id: 'object-default-namespace', kinds: 'namespaced',
    reads: ['object.metadata.namespace'],
    sites: ctx => [{
      ok: okOr(ctx, "(has(object.metadata.namespace) && object.metadata.namespace != '' ? object.metadata.namespace : request.namespace) != 'default'", "'metadata.namespace'"),
      path: "'metadata.namespace'",
    }],
  },
  {
    id: 'istio-peer-authentication-mtls', kinds: [{ group: 'security.istio.io', kind: 'PeerAuthentication', resource: 'peerauthentications', clusterScoped: false }],
    reads: ['object.spec.mtls', 'object.spec.portLevelMtls'],
    types: [{ when: 'true', at: 'object.spec', path: "'spec'", t: { fields: { mtls: { fields: { mode: 'string' } }, portLevelMtls: { values: { fields: { mode: 'string' } } } } } }],
    sites: ctx => {
      const weak = "['DISABLE', 'PERMISSIVE']";
      const top = { ok: okOr(ctx, `!(${has('object', ['spec', 'mtls', 'mode'])} && object.spec.mtls.mode in ${weak})`, "'spec.mtls.mode'"), path: "'spec.mtls.mode'" };
      const pl = 'object.spec.portLevelMtls';
      const portPath = (x: string) => `'spec.portLevelMtls["' + ${x} + '"].mode'`;
      const bad = (x: string) => `has(${pl}[${x}].mode) && ${pl}[${x}].mode in ${weak}`;
      const portOk = `!(${has('object', ['spec', 'portLevelMtls'])}) || ${pl}.all(x, !(${bad('x')}) || ${okOr(ctx, 'false', portPath('x'))})`;
      return [top, { ok: `(${portOk})`, path: `${pl}.filter(x, !(!(${bad('x')}) || ${okOr(ctx, 'false', portPath('x'))})).map(x, ${portPath('x')})[0]` }];
    },
  },
  {
    id: 'scc-privileged', kinds: [{ group: 'security.openshift.io', kind: 'SecurityContextConstraints', resource: 'securitycontextconstraints', clusterScoped: true }],
    reads: ['object.allowPrivilegedContainer', 'object.allowHostDirVolumePlugin', 'object.allowHostNetwork', 'object.allowHostPID', 'object.allowHostIPC',
      'object.allowHostPorts', 'object.allowedCapabilities'],
    types: [{
      when: 'true', at: 'object', path: "''",
      t: {
        fields: {
          allowPrivilegedContainer: 'bool', allowHostDirVolumePlugin: 'bool', allowHostNetwork: 'bool', allowHostPID: 'bool', allowHostIPC: 'bool',
          allowHostPorts: 'bool', allowedCapabilities: { items: 'string' },
        },
      },
    }],
    sites: ctx => [
      ...['allowPrivilegedContainer', 'allowHostDirVolumePlugin', 'allowHostNetwork', 'allowHostPID', 'allowHostIPC', 'allowHostPorts']
        .map(f => ({ ok: okOr(ctx, `!has(object.${f}) || object.${f} != true`, lit(f)), path: lit(f) })),
      eachNested(ctx, [{ list: 'object.allowedCapabilities', v: 'c', guard: 'has(object.allowedCapabilities)' }], ([i]) => `'allowedCapabilities[' + ${i} + ']'`, "c != '*'"),
    ],
  },
  {
    id: 'ingress-controller-injection',
    kinds: [INGRESS, CORE('Service', 'services'), CORE('ConfigMap', 'configmaps'),
      { group: 'traefik.io', kind: 'Middleware', resource: 'middlewares', clusterScoped: false },
      { group: 'traefik.containo.us', kind: 'Middleware', resource: 'middlewares', clusterScoped: false }],
    reads: ['object.metadata.annotations', `object.data[${lit('allow-snippet-annotations')}]`, 'object.spec.plugin'],
    sites: ctx => {
      const annotated = "object.kind in ['Ingress', 'Service']";
      const path = (x: string) => `'metadata.annotations["' + ${x} + '"]'`;
      const bad = (x: string) => injects(x, `${ANN}[${x}]`);
      const each = (x: string) => `!(${bad(x)}) || ${okOr(ctx, 'false', path(x))}`;
      const cmKey = 'allow-snippet-annotations';
      const cmPath = lit(`data["${cmKey}"]`);
      const cm = `object.kind == 'ConfigMap' && has(object.data) && ${lit(cmKey)} in object.data && ${trimmedLowerIs(`object.data[${lit(cmKey)}]`, 'true')}`;
      const plugin = `object.kind == 'Middleware' && ${present('object', ['spec', 'plugin'])}`;
      return [
        { ok: `(!(${annotated}) || !has(${ANN}) || ${ANN}.all(x, ${each('x')}))`, path: `${ANN}.filter(x, !(${each('x')})).map(x, ${path('x')})[0]` },
        { ok: okOr(ctx, `!(${cm})`, cmPath), path: cmPath },
        { ok: okOr(ctx, `!(${plugin})`, "'spec.plugin'"), path: "'spec.plugin'" },
      ];
    },
  },
  {
    id: 'rbac-binding-privileged',
    kinds: [{ group: RBAC, kind: 'RoleBinding', resource: 'rolebindings', clusterScoped: false }, { group: RBAC, kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', clusterScoped: true }],
    reads: ['object.subjects', 'object.roleRef'],
    partial: 'at admission only the bindings of everyone (User system:anonymous, Group system:authenticated, Group system:unauthenticated; ' +
      'Kubernetes\' and kubeadm\'s own bootstrap bindings pass) are judged. Bindings of cluster-admin, of system:masters, of the ServiceAccount ' +
      'groups and of a default ServiceAccount are judged at synth time and by `check` only: the API server\'s bootstrap reconciler writes ' +
      'cluster-admin to system:masters at every start and kubeadm binds cluster-admin to kubeadm:cluster-admins, so denying them at ' +
      'admission needs reviewed exemptions for those identities first',
    judges: (obj, path) => {
      const m = /^subjects\[(\d+)\]\.name$/.exec(path);
      return m !== null && normalizeSubject(obj?.subjects?.[Number(m[1])], 0, undefined).principal === 'everyone';
    },
    sites: ctx => {
      const discovery = `has(object.roleRef) && has(object.roleRef.kind) && object.roleRef.kind == 'ClusterRole' && has(object.roleRef.name) && object.roleRef.name in ${litList(DISCOVERY_ROLES)}`;
      const everyone = "has(s.kind) && has(s.name) && ((s.kind == 'User' && s.name == 'system:anonymous') || (s.kind == 'Group' && s.name in ['system:authenticated', 'system:unauthenticated']))";
      // authorizer subject matching is exact (rbac/v1 evaluation_helpers appliesToUser): no case folding, no trimming
      const kubeadm = `object.kind == ${lit(k.kind)} && has(object.metadata.namespace) && object.metadata.namespace == ${lit(k.namespace!)} && ` +
        `has(object.metadata.name) && object.metadata.name == ${lit(k.name)} && has(object.roleRef) && object.roleRef.kind == ${lit(k.roleRef.kind)} && ` +
        `object.roleRef.name == ${lit(k.roleRef.name)} && s.kind == ${lit(k.subjects[0].kind)} && s.name == ${lit(k.subjects[0].name)}`;
      const site = eachNested(ctx, [{ list: 'object.subjects', v: 's', guard: 'has(object.subjects)' }], ([i]) => `'subjects[' + ${i} + '].name'`,
        `!(${everyone}) || (${kubeadm})`);
      return [{ ok: `(${discovery}) || ${site.ok}`, path: site.path }];
    },
  },
  {
    // netpol-metadata.ts: each egress ipBlock's cidr minus its excepts, in exact CIDR arithmetic (Kubernetes 1.31+)
    id: 'network-policy-egress-cloud-metadata', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy', resource: 'networkpolicies', clusterScoped: false }],
    reads: ['object.spec.egress', 'object.spec.policyTypes'],
    minKube: { minor: NETPOL_METADATA_MIN_KUBE_MINOR, reason: netpolMetadataVersionReason },
    limits: [{ ok: `!(${ISOLATES_EGRESS}) || ${EXCEPTS_IN_BUDGET}`, message: EXCEPTS_BUDGET_MESSAGE, within: exceptsInBudget }],
    sites: ctx => {
      const rules: Level = { list: 'object.spec.egress', v: 'r', guard: 'has(object.spec) && has(object.spec.egress) && type(object.spec.egress) == list' };
      const peers: Level = { list: 'r.to', v: 'p', guard: 'type(r) == map && has(r.to) && type(r.to) == list' };
      const noTo = eachNested(ctx, [rules], ([i]) => `'spec.egress[' + ${i} + ']'`, 'has(r.to) && type(r.to) == list && size(r.to) > 0');
      const blocks = eachNested(ctx, [rules, peers], ([i, j]) => `'spec.egress[' + ${i} + '].to[' + ${j} + '].ipBlock.cidr'`,
        `type(p) != map || !has(p.ipBlock) || ${ipBlockOk('p.ipBlock')}`);
      return [noTo, blocks].map(site => ({ ok: `(!(${ISOLATES_EGRESS}) || ${site.ok})`, path: site.path }));
    },
  },
];

/** The non-pod rules generated for these settings (a rule that needs a newer Kubernetes is left out). */
export function objectRulesFor(settings: PolicySettings): ObjectAdmissionRule[] {
  const minor = kubeMinor(settings.kubeVersion ?? DEFAULT_KUBE_VERSION) ?? 0;
  return OBJECT_RULES.filter(r => !r.minKube || minor >= r.minKube.minor);
}

/** The rule's expression (true: admitted). */
export function objectExpression(r: ObjectAdmissionRule, ctx: BuildContext): string {
  return r.sites(ctx).map(s => s.ok).join(' && ');
}

/**
 * The first failing site's path (CEL string). A messageExpression is only evaluated when the validation failed, so
 * when every earlier site is ok the last one fails: its condition is not evaluated again (cost).
 */
export function objectDetail(r: ObjectAdmissionRule, ctx: BuildContext): string {
  const sites = r.sites(ctx);
  return sites.slice(0, -1).reduceRight((acc, s) => `(!${s.ok} ? ${s.path} : ${acc})`, sites[sites.length - 1].path);
}

/**
 * The type check of a custom-resource rule: `ok` (true: every field it reads has its type) and `detail`, the first
 * wrong-typed field's path (a CEL string); undefined for rules over core kinds only.
 */
export function objectTypeCheck(r: ObjectAdmissionRule): { ok: string; detail: string } | undefined {
  if (!r.types) return undefined;
  const guard = (x: ObjectFieldType) => `!(${x.when})${x.at === 'object' ? '' : ` || !has(${x.at})`}`;
  const ok = r.types.map(x => `(${guard(x)} || ${typeCheckOf(x.at, x.t)})`).join(' && ');
  const lists = r.types.map(x => `(${guard(x)} ? [] : ${badPaths(x.at, x.t, x.path)})`).join(' + ');
  return { ok, detail: `[${lists}].map(l, size(l) == 0 ? '' : l[0].startsWith('.') ? l[0].substring(1) : l[0])[0]` };
}

/** UPDATE: judged when a field the rule reads changed. */
export function objectJudged(r: ObjectAdmissionRule): string {
  const proj = (base: string) => `[${r.reads.map(sel => {
    const idx = sel.match(/^object\.(metadata\.annotations|data)\[(.+)\]$/);
    if (idx) {
      const m = `${base}.${idx[1]}`;
      return `(${present(base, idx[1].split('.'))} && type(${m}) == map && ${idx[2]} in ${m} ? ${m}[${idx[2]}] : null)`;
    }
    const fields = sel.split('.').slice(1);
    return `(${present(base, fields)} ? ${[base, ...fields].join('.')} : null)`;
  }).join(', ')}]`;
  return `request.operation != 'UPDATE' || oldObject == null || ${proj('object')} != ${proj('oldObject')}`;
}

/** The API group of an object's apiVersion. */
function groupOf(obj: any): string {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/**
 * The kind of `obj` that rule `r` matches, or undefined. For 'namespaced' rules the scope is the catalogue's list of
 * cluster-scoped kinds (the API server knows it exactly; lists are never API objects).
 */
export function objectKindOf(r: ObjectAdmissionRule, obj: any): ObjectKind | undefined {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '';
  if (r.kinds === 'namespaced') {
    return kind !== '' && !kind.endsWith('List') && !CLUSTER_SCOPED_KINDS.has(kind) ? { group: groupOf(obj), kind, resource: '*', clusterScoped: false } : undefined;
  }
  return r.kinds.find(x => x.kind === kind && x.group === groupOf(obj));
}

/** The non-pod rules that match an object. */
export function objectRulesOf(obj: any): ObjectAdmissionRule[] {
  return OBJECT_RULES.filter(r => objectKindOf(r, obj) !== undefined);
}

/** The policy's resource rules: one per API group; every namespaced resource for 'namespaced'. */
export function objectResourceRules(r: ObjectAdmissionRule): any[] {
  const operations = ['CREATE', 'UPDATE'];
  if (r.kinds === 'namespaced') return [{ apiGroups: ['*'], apiVersions: ['*'], operations, resources: ['*'], scope: 'Namespaced' }];
  const groups = new Map<string, Set<string>>();
  for (const x of r.kinds) groups.set(x.group, new Set([...(groups.get(x.group) ?? []), x.resource]));
  return [...groups].map(([group, resources]) => ({
    apiGroups: [group], apiVersions: ['', 'networking.k8s.io', RBAC].includes(group) ? ['v1'] : ['*'], operations, resources: [...resources],
  }));
}

export { lit };
