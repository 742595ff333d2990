/**
 * Catalogue rules over kinds other than pod carriers, judged on one object at admission: Service exposure and
 * PersistentVolume host paths. Each is the TypeScript rule's check in CEL over `object`, with the same finding paths
 * (so baked waivers cover exactly what the guard's waivers cover), the fields it reads (UPDATE judging) and the API
 * resources it matches. The differential test (test/admission/object-rules.test.ts) requires the TypeScript verdict
 * on the rule fixtures and on generated objects.
 */
import { SYSTEM_PATHS } from '../policy/rules/workload/persistent-volume-host-path';
import { BuildContext, lit, litList, okOr } from './cel-rules';

/** A non-pod rule's admission form. */
export interface ObjectAdmissionRule {
  readonly id: string;
  readonly group: string;
  readonly kind: string;
  readonly resource: string;
  readonly clusterScoped: boolean;
  /** CEL selections (from `object`) of every field the rule reads: an UPDATE is judged when one of them changed. */
  readonly reads: string[];
  /** Findings as [ok, path] sites; the rule admits when every site is ok (or waived). */
  readonly sites: (ctx: BuildContext) => { ok: string; path: string }[];
}

const has = (base: string, fields: string[]) => fields.map((_, i) => `has(${[base, ...fields.slice(0, i + 1)].join('.')})`).join(' && ');

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

const PLAINTEXT_ANNOTATIONS: [string, string][] = [
  ['nginx.ingress.kubernetes.io/ssl-redirect', 'false'],
  ['kubernetes.io/ingress.allow-http', 'true'],
];

export const OBJECT_RULES: ReadonlyArray<ObjectAdmissionRule> = [
  {
    id: 'service-exposure', group: '', kind: 'Service', resource: 'services', clusterScoped: false,
    reads: ['object.spec.type', 'object.spec.externalIPs'],
    sites: ctx => [
      { ok: okOr(ctx, `!(${has('object', ['spec', 'type'])} && object.spec.type in ['NodePort', 'LoadBalancer'])`, "'spec.type'"), path: "'spec.type'" },
      { ok: okOr(ctx, `!(${has('object', ['spec', 'externalIPs'])} && size(object.spec.externalIPs) > 0)`, "'spec.externalIPs'"), path: "'spec.externalIPs'" },
    ],
  },
  {
    id: 'persistent-volume-host-path', group: '', kind: 'PersistentVolume', resource: 'persistentvolumes', clusterScoped: true,
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
    id: 'ingress-tls', group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses', clusterScoped: false,
    reads: ['object.spec.tls', 'object.spec.rules', ...PLAINTEXT_ANNOTATIONS.map(([k]) => `object.metadata.annotations[${lit(k)}]`)],
    sites: ctx => {
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
        ...PLAINTEXT_ANNOTATIONS.map(([k, bad]) => {
          const path = lit(`metadata.annotations["${k}"]`);
          return {
            ok: okOr(ctx, `!(has(object.metadata.annotations) && ${lit(k)} in object.metadata.annotations && object.metadata.annotations[${lit(k)}].trim().lowerAscii() == ${lit(bad)})`, path),
            path,
          };
        }),
      ];
    },
  },
];

/** The rule's expression (true: admitted). */
export function objectExpression(r: ObjectAdmissionRule, ctx: BuildContext): string {
  return r.sites(ctx).map(s => s.ok).join(' && ');
}

/** The first failing site's path (CEL string), '' when none. */
export function objectDetail(r: ObjectAdmissionRule, ctx: BuildContext): string {
  return r.sites(ctx).reduceRight((acc, s) => `(!${s.ok} ? ${s.path} : ${acc})`, "''");
}

/** UPDATE: judged when a field the rule reads changed. */
export function objectJudged(r: ObjectAdmissionRule): string {
  const proj = (base: string) => `[${r.reads.map(sel => {
    const idx = sel.match(/^object\.metadata\.annotations\[(.+)\]$/);
    if (idx) return `(has(${base}.metadata.annotations) && ${idx[1]} in ${base}.metadata.annotations ? ${base}.metadata.annotations[${idx[1]}] : null)`;
    const fields = sel.split('.').slice(1);
    return `(${has(base, fields)} ? ${[base, ...fields].join('.')} : null)`;
  }).join(', ')}]`;
  return `request.operation != 'UPDATE' || oldObject == null || ${proj('object')} != ${proj('oldObject')}`;
}

/** The matched non-pod rule kind of an object, or undefined. */
export function objectRuleKindOf(obj: any): ObjectAdmissionRule | undefined {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  const group = v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
  return OBJECT_RULES.find(r => r.kind === obj?.kind && r.group === group);
}

export { lit };
