/**
 * The catalogue rules that can be judged on ONE object at admission, as CEL (Kubernetes ValidatingAdmissionPolicy).
 *
 * Each rule is one boolean expression over the policy's variables (see generate.ts):
 * - `variables.spec`: the pod spec of the object (Pod `spec`; Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job
 *   `spec.template.spec`; CronJob `spec.jobTemplate.spec.template.spec`),
 * - `variables.prefix` / `variables.metaPrefix`: the JSON paths the TypeScript rule names for that spec and its metadata,
 * - `variables.meta`: the pod metadata (for AppArmor annotations),
 * - `variables.waivers`: the path prefixes of the waivers of this rule that cover this object ('' = the whole rule),
 *   baked at generation time (waivers.ts).
 * The expression is true when every violation the TypeScript rule would report is covered by a waiver: each violation
 * site reads `ok || covered(<the finding's JSON path>)`, with the same path the TypeScript rule builds, so a waiver's
 * path prefix is honoured exactly as `pathCovered` (waiver-record.ts) honours it.
 *
 * Only functions of the Kubernetes 1.28 CEL environment are used: the standard library (has, all, exists, in,
 * startsWith, matches, string()), the Kubernetes list library (`indexOf`, `lastIndexOf` on lists) and the extended
 * strings library (`indexOf`, `lastIndexOf`, `substring` on strings). No optionals (`?.`), no `cel.bind`.
 *
 * Every rule here mirrors its TypeScript check line by line; the differential test (test/admission) evaluates both on
 * every fixture, the PSS corpus and generated objects and requires the same verdict.
 */
import { pssMinor, safeSysctls, selinuxAllowedTypes, PROBE_HOST_SINCE } from '../kube/pss-versions';
import { Catalogue } from '../policy/catalogue';
import { BASELINE_CAPABILITIES } from '../policy/rules/pod-security/capabilities-baseline';
import { userNamespaceRelaxationInForce } from '../policy/rules/pod-security/util';
import { PolicySettings } from '../policy/types';

/** A CEL string literal. */
export function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, '\\\'').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** A CEL list of string literals. */
export function litList(items: readonly string[]): string {
  return `[${items.map(lit).join(', ')}]`;
}

const S = 'variables.spec';
const P = 'variables.prefix';
const ALL_CONTAINERS = ['containers', 'initContainers', 'ephemeralContainers'];
const NON_EPHEMERAL = ['containers', 'initContainers'];

/** `has(x.a) && has(x.a.b) && ...` for a field chain. */
export function hasChain(base: string, fields: string[]): string {
  const out: string[] = [];
  let cur = base;
  for (const f of fields) {
    cur = `${cur}.${f}`;
    out.push(`has(${cur})`);
  }
  return out.join(' && ');
}

function at(base: string, fields: string[]): string {
  return [base, ...fields].join('.');
}

/** How a rule's expression is built: whether waivers exist for it (otherwise `covered` is the constant false). */
export interface BuildContext {
  readonly waived: boolean;
}

/** `covered(path)`: a waiver of this rule covers the finding at the CEL string expression `path`. */
export function cov(ctx: BuildContext, path: string): string {
  if (!ctx.waived) return 'false';
  // the path is built once (a one-element list binds it; no cel.bind in 1.28)
  return `[${path}].all(p, variables.waivers.exists(w, w == '' || p == w || p.startsWith(w + '.') || p.startsWith(w + '[')))`;
}

/**
 * MESSAGE SITES. While a rule's messageExpression is built (`violationMessage`), every place where the rule can fail
 * is recorded with the CEL of its "ok" condition and of the finding's JSON path: pod-level sites, and per container
 * field the container check with its own sites. The messageExpression then names the first failing site: the
 * container (by name) and the field path the TypeScript rule would report.
 */
interface Site { readonly ok: string; readonly path: string }
interface ContainerSite { readonly fields: string[]; readonly body: string; readonly cpath: string; readonly inner: Site[] }
interface Collector { readonly pod: Site[]; readonly containers: ContainerSite[]; inner?: Site[]; suppress: number }
let collector: Collector | undefined;

export function record(ok: string, path: string): void {
  if (!collector || collector.suppress > 0) return;
  (collector.inner ?? collector.pod).push({ ok, path });
}

/** `ok || covered(path)`, simplified when no waiver exists. */
export function okOr(ctx: BuildContext, ok: string, path: string, guard?: string): string {
  const out = ctx.waived ? `((${ok}) || ${cov(ctx, path)})` : `(${ok})`;
  // the site is read in the messageExpression outside the rule's own has() guards: it carries them
  record(guard ? `(!(${guard}) || ${out})` : out, path);
  return out;
}

/**
 * A ternary of two sites at the same path: the sites recorded while building it (each valid only in its branch) are
 * replaced by one site for the whole ternary. `expr` is built before this call (its okOr calls recorded sites), so
 * they are dropped here.
 */
function either(expr: string, path: string): string {
  if (collector && collector.suppress === 0) {
    const list = collector.inner ?? collector.pod;
    list.splice(list.length - 2, 2);
    record(`(${expr})`, path);
  }
  return expr;
}

/** `has(...)` of every step of a dotted CEL selection (`variables.spec.a.b` -> has(variables.spec.a) && has(variables.spec.a.b)). */
function guardOf(expr: string): string {
  const parts = expr.split('.');
  const start = parts[0] === 'variables' ? 2 : 1;
  return hasChain(parts.slice(0, start).join('.'), parts.slice(start));
}

/** Every container of the listed fields satisfies `check(c, cpath)`. */
export function eachContainer(fields: string[], check: (c: string, cpath: string) => string): string {
  const outer = collector?.inner;
  if (collector) collector.inner = [];
  const body = check('c', 'cpath');
  if (collector) {
    collector.containers.push({ fields, body, cpath: 'cpath', inner: collector.inner! });
    collector.inner = outer;
  }
  return fields.map(f => {
    // the container's path is built once per container (bound by a one-element list) and only read in waiver checks
    const cpath = containerPath(f);
    return body.includes('cpath') ? `(!has(${S}.${f}) || ${S}.${f}.all(c, [${cpath}].all(cpath, ${body})))` : `(!has(${S}.${f}) || ${S}.${f}.all(c, ${body}))`;
  }).join(' && ');
}

function containerPath(field: string): string {
  return `${P} + '.${field}[' + string(${S}.${field}.indexOf(c)) + ']'`;
}

/**
 * Every element `x` of the list at `list` satisfies `ok(x) || covered(<base>[i])`. Duplicate elements share an index in
 * CEL (`indexOf`): the first and the last occurrence are both required to be covered (exact for up to two duplicates).
 */
export function eachItem(ctx: BuildContext, list: string, base: string, suffix: string, ok: (x: string) => string): string {
  const first = `${base} + '[' + string(${list}.indexOf(x)) + ']${suffix}'`;
  const last = `${base} + '[' + string(${list}.lastIndexOf(x)) + ']${suffix}'`;
  const covered = ctx.waived ? ` || (${cov(ctx, first)} && ${cov(ctx, last)})` : '';
  const out = `${list}.all(x, (${ok('x')})${covered})`;
  record(`(!(${guardOf(list)}) || ${out})`, base);
  return out;
}

/**
 * The pod is in a user namespace: `hostUsers` is exactly the boolean false (TypeScript: `pod.spec.hostUsers === false`;
 * a string "false" compares unequal). Only used when the relaxation is in force for the settings (v1.35+ policy on a
 * 1.35+ cluster), decided at generation like every version-dependent set.
 */
const IN_USER_NAMESPACE = `(has(${S}.hostUsers) && ${S}.hostUsers == false)`;

/** Restricted controls marked "Linux only" pass pods with spec.os.name: windows. */
function linuxOnly(expr: string): string {
  return `(${hasChain(S, ['os', 'name'])} && ${S}.os.name == 'windows') || (${expr})`;
}

/** One catalogue rule's admission form. */
export interface AdmissionRule {
  readonly id: string;
  /** Only pod specs that create pods (memory-limit etc. skip ephemeral containers but not kinds). */
  readonly expression: (ctx: BuildContext) => string;
  /** Fields of the object outside the pod spec that the rule reads (CEL selections from `object`), for UPDATE judging. */
  readonly objectReads?: string[];
}

/** The container-level and pod-level `field` is not `bad` (TypeScript: `v !== undefined && v !== false`). */
function notSetOrFalse(ctx: BuildContext, base: string, fields: string[], path: string): string {
  return okOr(ctx, `!(${hasChain(base, fields)}) || ${at(base, fields)} == false`, path);
}

function scField(field: string[]): string[] {
  return ['securityContext', ...field];
}

/** The rules, built for a version and settings. Rules whose settings make them a no-op are left out. */
export function basePodRules(settings: PolicySettings): AdmissionRule[] {
  const minor = pssMinor(settings.podSecurityVersion);
  if (minor === undefined) throw new Error(`podSecurityVersion ${JSON.stringify(settings.podSecurityVersion)} is not a version this catalogue implements`);
  const rules: AdmissionRule[] = [];
  // v1.35+ on a 1.35+ cluster: hostUsers: false exempts a pod from run-as-non-root, run-as-user-root and proc-mount
  const userns = userNamespaceRelaxationInForce(minor, settings);
  const unlessUserns = (expr: string) => (userns ? `${IN_USER_NAMESPACE} || (${expr})` : expr);
  const procMountOk = (ctx: BuildContext) => eachContainer(ALL_CONTAINERS, (c, cp) =>
    okOr(ctx, `!(${hasChain(c, ['securityContext', 'procMount'])}) || ${c}.securityContext.procMount == 'Default'`, `${cp} + '.securityContext.procMount'`));

  rules.push({
    id: 'host-process',
    expression: ctx => [
      notSetOrFalse(ctx, S, ['securityContext', 'windowsOptions', 'hostProcess'], `${P} + '.securityContext.windowsOptions.hostProcess'`),
      eachContainer(ALL_CONTAINERS, (c, cp) => notSetOrFalse(ctx, c, ['securityContext', 'windowsOptions', 'hostProcess'], `${cp} + '.securityContext.windowsOptions.hostProcess'`)),
    ].join(' && '),
  });
  rules.push({
    id: 'host-namespaces',
    expression: ctx => ['hostNetwork', 'hostPID', 'hostIPC'].map(f => notSetOrFalse(ctx, S, [f], `${P} + '.${f}'`)).join(' && '),
  });
  rules.push({
    id: 'privileged-container',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) =>
      okOr(ctx, `!(${hasChain(c, scField(['privileged']))}) || ${c}.securityContext.privileged != true`, `${cp} + '.securityContext.privileged'`)),
  });
  rules.push({
    id: 'capabilities-baseline',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => {
      const add = `${c}.securityContext.capabilities.add`;
      return `!(${hasChain(c, ['securityContext', 'capabilities', 'add'])}) || ` +
        eachItem(ctx, add, `${cp} + '.securityContext.capabilities.add'`, '', x => `${x} in ${litList(BASELINE_CAPABILITIES)}`);
    }),
  });
  rules.push({
    id: 'host-path-volumes',
    expression: ctx => `!has(${S}.volumes) || ` +
      eachItem(ctx, `${S}.volumes`, `${P} + '.volumes'`, '.hostPath', x => `!has(${x}.hostPath)`),
  });
  rules.push({
    id: 'host-ports',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => `!has(${c}.ports) || ` +
      eachItem(ctx, `${c}.ports`, `${cp} + '.ports'`, '.hostPort', x => `!has(${x}.hostPort) || ${x}.hostPort == 0`)),
  });
  rules.push({
    id: 'apparmor-profile',
    expression: ctx => {
      const field = (base: string, path: string) => {
        const p = `${base}.securityContext.appArmorProfile`;
        return okOr(ctx, `!(${hasChain(base, ['securityContext', 'appArmorProfile'])}) || (has(${p}.type) && ${p}.type in ['RuntimeDefault', 'Localhost'])`, `${path} + '.securityContext.appArmorProfile.type'`);
      };
      const prefix = 'container.apparmor.security.beta.kubernetes.io/';
      const v = 'variables.meta.annotations[k]';
      if (collector) collector.suppress++;
      const annotations = `!has(variables.meta.annotations) || variables.meta.annotations.all(k, !k.startsWith(${lit(prefix)}) || ` +
        okOr(ctx, `${v} == '' || ${v} == 'runtime/default' || ${v}.startsWith('localhost/')`, 'variables.metaPrefix + \'.annotations["\' + k + \'"]\'') + ')';
      if (collector) collector.suppress--;
      record(`(${annotations})`, 'variables.metaPrefix + \'.annotations\'');
      return [field(S, P), eachContainer(ALL_CONTAINERS, (c, cp) => field(c, cp)), `(${annotations})`].join(' && ');
    },
  });
  rules.push({
    id: 'selinux-options',
    expression: ctx => {
      const allowed = litList(selinuxAllowedTypes(minor));
      const opts = (base: string, path: string) => {
        const o = `${base}.securityContext.seLinuxOptions`;
        const p = `${path} + '.securityContext.seLinuxOptions`;
        const g = (f: string) => `${hasChain(base, ['securityContext', 'seLinuxOptions'])} && has(${o}.${f})`;
        return `(!(${hasChain(base, ['securityContext', 'seLinuxOptions'])}) || (` +
          `(!has(${o}.type) || ${okOr(ctx, `${o}.type in ${allowed}`, `${p}.type'`, g('type'))}) && ` +
          `(!has(${o}.user) || ${okOr(ctx, `${o}.user == ''`, `${p}.user'`, g('user'))}) && ` +
          `(!has(${o}.role) || ${okOr(ctx, `${o}.role == ''`, `${p}.role'`, g('role'))})))`;
      };
      return [opts(S, P), eachContainer(ALL_CONTAINERS, (c, cp) => opts(c, cp))].join(' && ');
    },
  });
  rules.push({
    id: 'proc-mount',
    expression: ctx => unlessUserns(procMountOk(ctx)),
  });
  rules.push({
    id: 'seccomp-baseline',
    expression: ctx => {
      const one = (base: string, path: string) => okOr(ctx,
        `!(${hasChain(base, ['securityContext', 'seccompProfile', 'type'])}) || ${base}.securityContext.seccompProfile.type != 'Unconfined'`,
        `${path} + '.securityContext.seccompProfile.type'`);
      return [one(S, P), eachContainer(ALL_CONTAINERS, (c, cp) => one(c, cp))].join(' && ');
    },
  });
  rules.push({
    id: 'sysctls-unsafe',
    expression: ctx => `!(${hasChain(S, ['securityContext', 'sysctls'])}) || ` +
      eachItem(ctx, `${S}.securityContext.sysctls`, `${P} + '.securityContext.sysctls'`, '.name', x => `has(${x}.name) && ${x}.name in ${litList(safeSysctls(minor))}`),
  });
  if (minor >= PROBE_HOST_SINCE) {
    rules.push({
      id: 'probe-host',
      expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => {
        const parts: string[] = [];
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          for (const a of ['httpGet', 'tcpSocket']) {
            const f = [probe, a, 'host'];
            parts.push(`(!(${hasChain(c, f)}) || ${okOr(ctx, `${at(c, f)} == ''`, `${cp} + '.${f.join('.')}'`, hasChain(c, f))})`);
          }
        }
        for (const h of ['postStart', 'preStop']) {
          for (const a of ['httpGet', 'tcpSocket']) {
            const f = ['lifecycle', h, a, 'host'];
            parts.push(`(!(${hasChain(c, f)}) || ${okOr(ctx, `${at(c, f)} == ''`, `${cp} + '.${f.join('.')}'`, hasChain(c, f))})`);
          }
        }
        return parts.join(' && ');
      }),
    });
  }
  // restricted
  rules.push({
    id: 'volume-types',
    expression: ctx => {
      const allowed = litList(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);
      const vpath = `${P} + '.volumes[' + string(${S}.volumes.indexOf(v)) + '].' + k`;
      const vlast = `${P} + '.volumes[' + string(${S}.volumes.lastIndexOf(v)) + '].' + k`;
      const covered = ctx.waived ? ` || (${cov(ctx, vpath)} && ${cov(ctx, vlast)})` : '';
      const out = `!has(${S}.volumes) || ${S}.volumes.all(v, v.all(k, k == 'name' || k in ${allowed}${covered}))`;
      record(`(${out})`, `${P} + '.volumes'`);
      return out;
    },
  });
  rules.push({
    id: 'allow-privilege-escalation',
    expression: ctx => linuxOnly(eachContainer(ALL_CONTAINERS, (c, cp) =>
      okOr(ctx, `${hasChain(c, ['securityContext', 'allowPrivilegeEscalation'])} && ${c}.securityContext.allowPrivilegeEscalation == false`,
        `${cp} + '.securityContext.allowPrivilegeEscalation'`))),
  });
  rules.push({
    id: 'run-as-non-root',
    expression: ctx => {
      const podHas = hasChain(S, ['securityContext', 'runAsNonRoot']);
      const podPath = `${P} + '.securityContext.runAsNonRoot'`;
      return unlessUserns([
        okOr(ctx, `!(${podHas}) || ${S}.securityContext.runAsNonRoot != false`, podPath),
        eachContainer(ALL_CONTAINERS, (c, cp) => either(`(${hasChain(c, ['securityContext', 'runAsNonRoot'])}) ? ` +
          `(${okOr(ctx, `${c}.securityContext.runAsNonRoot != false`, `${cp} + '.securityContext.runAsNonRoot'`)}) : ` +
          `(${okOr(ctx, `${podHas} && ${S}.securityContext.runAsNonRoot == true`, `${cp} + '.securityContext.runAsNonRoot'`)})`, `${cp} + '.securityContext.runAsNonRoot'`)),
      ].join(' && '));
    },
  });
  rules.push({
    id: 'run-as-user-root',
    expression: ctx => {
      const one = (base: string, path: string) => okOr(ctx,
        `!(${hasChain(base, ['securityContext', 'runAsUser'])}) || ${base}.securityContext.runAsUser != 0`, `${path} + '.securityContext.runAsUser'`);
      return unlessUserns([one(S, P), eachContainer(ALL_CONTAINERS, (c, cp) => one(c, cp))].join(' && '));
    },
  });
  rules.push({
    id: 'seccomp-restricted',
    expression: ctx => {
      const ok = ['RuntimeDefault', 'Localhost'];
      const podHas = hasChain(S, ['securityContext', 'seccompProfile', 'type']);
      const podType = `${S}.securityContext.seccompProfile.type`;
      const podOk = `(${podHas} && ${podType} in ${litList(ok)})`;
      return linuxOnly([
        okOr(ctx, `!(${podHas}) || ${podType} in ${litList(ok)}`, `${P} + '.securityContext.seccompProfile.type'`),
        eachContainer(ALL_CONTAINERS, (c, cp) => either(`(${hasChain(c, ['securityContext', 'seccompProfile', 'type'])}) ? ` +
          `(${okOr(ctx, `${c}.securityContext.seccompProfile.type in ${litList(ok)}`, `${cp} + '.securityContext.seccompProfile.type'`)}) : ` +
          `(${okOr(ctx, podOk, `${cp} + '.securityContext.seccompProfile.type'`)})`, `${cp} + '.securityContext.seccompProfile.type'`)),
      ].join(' && '));
    },
  });
  rules.push({
    id: 'capabilities-restricted',
    expression: ctx => linuxOnly(eachContainer(ALL_CONTAINERS, (c, cp) => {
      const caps = `${c}.securityContext.capabilities`;
      const hasCaps = hasChain(c, ['securityContext', 'capabilities']);
      // TypeScript: a drop that is not a list counts as empty.
      const drop = okOr(ctx, `${hasCaps} && has(${caps}.drop) && type(${caps}.drop) == list && 'ALL' in ${caps}.drop`, `${cp} + '.securityContext.capabilities.drop'`);
      const add = `(!(${hasCaps} && has(${caps}.add) && type(${caps}.add) == list) || ` +
        eachItem(ctx, `${caps}.add`, `${cp} + '.securityContext.capabilities.add'`, '', x => `${x} == 'NET_BIND_SERVICE'`) + ')';
      return `(${drop}) && ${add}`;
    })),
  });

  if (userns) {
    // restricted keeps procMount for pods in a user namespace (the others: proc-mount)
    rules.push({
      id: 'proc-mount-restricted',
      expression: ctx => `!${IN_USER_NAMESPACE} || (${procMountOk(ctx)})`,
    });
  }

  // workload rules
  const image = (c: string) => `${c}.image`;
  rules.push({
    id: 'image-tag-latest',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => okOr(ctx,
      `has(${image(c)}) && (${image(c)}.matches('^[^@]*@(?s:.+)$') || ` +
      `(${image(c)}.matches('^[^@]*:[^:/@]+(?s:@.*)?$') && !${image(c)}.matches('^[^@]*:latest(?s:@.*)?$')))`,
      `${cp} + '.image'`)),
  });
  if (settings.requireDigest) {
    rules.push({
      id: 'image-digest',
      expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => okOr(ctx,
        `has(${image(c)}) && ${image(c)}.matches('^[^@]*@sha256:[a-f0-9]{64}$')`, `${cp} + '.image'`)),
    });
  }
  if (settings.allowedRegistries.length > 0) {
    const allowed = litList(settings.allowedRegistries.map(a => a.replace(/\/+$/, '')));
    rules.push({
      id: 'image-registry-allowed',
      expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => {
        // image-ref.ts parseImage: drop the digest (from the first '@'), then a tag (after a ':' past the last '/'),
        // then name = registry/repository with docker.io (and library/ for one-part names) as the default.
        const name = `[${image(c)}.indexOf('@') >= 0 ? ${image(c)}.substring(0, ${image(c)}.indexOf('@')) : ${image(c)}].all(r1, ` +
          '[r1.lastIndexOf(\':\') > r1.lastIndexOf(\'/\') ? r1.substring(0, r1.lastIndexOf(\':\')) : r1].all(r, ' +
          '[r.matches(\'^([^/]*[.:][^/]*|localhost)/\') ? (r.matches(\'^docker\\\\.io/[^/]*$\') ? \'docker.io/library/\' + r.substring(10) : r) : ' +
          `(r.indexOf('/') >= 0 ? 'docker.io/' + r : 'docker.io/library/' + r)].all(n, ${allowed}.exists(a, n == a || n.startsWith(a + '/')))))`;
        return okOr(ctx, `has(${image(c)}) && ${image(c)}.matches('${IMAGE_REF_RE}') && ${name}`, `${cp} + '.image'`);
      }),
    });
  }
  rules.push({
    id: 'read-only-root-filesystem',
    expression: ctx => eachContainer(NON_EPHEMERAL, (c, cp) => okOr(ctx,
      `${hasChain(c, ['securityContext', 'readOnlyRootFilesystem'])} && ${c}.securityContext.readOnlyRootFilesystem == true`,
      `${cp} + '.securityContext.readOnlyRootFilesystem'`)),
  });
  rules.push({
    id: 'memory-limit',
    expression: ctx => eachContainer(NON_EPHEMERAL, (c, cp) => okOr(ctx,
      hasChain(c, ['resources', 'limits', 'memory']), `${cp} + '.resources.limits.memory'`)),
  });
  rules.push({
    id: 'resources-requests',
    expression: ctx => eachContainer(NON_EPHEMERAL, (c, cp) => ['cpu', 'memory'].map(r =>
      `(${okOr(ctx, hasChain(c, ['resources', 'requests', r]), `${cp} + '.resources.requests.${r}'`)})`).join(' && ')),
  });
  return rules;
}

/** The image reference grammar (image-ref.ts, distribution/reference): a malformed reference is never allowed. */
const IMAGE_REF_RE = '^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:[.][a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\\\[[0-9a-fA-F:.]+\\\\])(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$';

/**
 * Catalogue rules that are NOT enforced at admission, with the reason: each rule's `admission.notGenerated`, written in
 * the rule's file. Every catalogue rule has CEL (`basePodRules` here, pod-rules-extra.ts, or object-rules.ts) or a reason, never both
 * (test/policy/rule-completeness.test.ts).
 */
export const NOT_AT_ADMISSION: { readonly [ruleId: string]: string } = Object.fromEntries(
  Catalogue.all().filter(r => r.admission !== undefined).map(r => [r.id, r.admission!.notGenerated]));

/** The reason a catalogue rule is not enforced at admission (the generated table). */
export function notAtAdmissionReason(ruleId: string): string {
  return NOT_AT_ADMISSION[ruleId] ?? 'not analysed for admission yet: judged at synth time and by `check` only';
}

/**
 * The messageExpression detail of a rule: the first failing site, as `container "<name>" at <finding path>` or the
 * pod-level finding path, plus how many more sites fail. Built from the sites recorded while the rule's expression is
 * built with the same context, so a waived site is not named.
 */
export function violationDetail(rule: AdmissionRule, ctx: BuildContext): string {
  const collect = (c: BuildContext): Collector => {
    collector = { pod: [], containers: [], suppress: 0 };
    try {
      rule.expression(c);
      return collector;
    } finally {
      collector = undefined;
    }
  };
  const c = collect(ctx);
  // Which field of a failing container to name: the sites built without waivers (same structure, cheaper); the
  // container itself is chosen with the waived check, so a container whose findings are all waived is not named.
  const plain = ctx.waived ? collect({ waived: false }) : c;
  const parts: string[] = c.pod.map(s => `(!${s.ok} ? [${s.path}] : [])`);
  for (const [i, site] of c.containers.entries()) {
    for (const f of site.fields) {
      const cpath = containerPath(f);
      const body = site.body.includes('cpath') ? `[${cpath}].all(cpath, ${site.body})` : site.body;
      const where = plain.containers[i].inner.reduceRight((acc, s) => `(!${s.ok} ? ${s.path} : ${acc})`, 'cpath');
      parts.push(`(has(${S}.${f}) ? ${S}.${f}.filter(c, !(${body})).map(c, [${cpath}].map(cpath, ` +
        `'container "' + (has(c.name) ? string(c.name) : '') + '" at ' + ${where})[0]) : [])`);
    }
  }
  if (parts.length === 0) return "''";
  return `[${parts.join(' + ')}].map(l, size(l) == 0 ? '' : l[0] + (size(l) > 1 ? ' (and ' + string(size(l) - 1) + ' more)' : ''))[0]`;
}

/** Top-level fields of the pod spec and of each container that a rule's expression reads (for UPDATE judging). */
export function readsOf(expression: string): { pod: string[]; container: string[]; podMetadata: boolean } {
  const pod = new Set<string>();
  const container = new Set<string>();
  for (const m of expression.matchAll(/variables\.spec\.(\w+)/g)) pod.add(m[1]);
  for (const m of expression.matchAll(/(?<![\w.])c\.(\w+)/g)) container.add(m[1]);
  return { pod: [...pod].sort(), container: [...container].sort(), podMetadata: expression.includes('variables.meta.') };
}
