/**
 * Catalogue rules over the pod spec (and, for a few, the workload object around it) beyond the Pod Security Standards
 * and image rules of cel-rules.ts, as CEL for ValidatingAdmissionPolicy. Each mirrors its TypeScript rule
 * (lib/policy/rules/...) check by check: same verdict, same finding paths (so a baked waiver covers exactly what the
 * guard's waiver covers), the container and field named in the message (cel-rules.ts message sites).
 *
 * Where CEL cannot read a value the way the TypeScript rule does, the expression denies (fail-closed) and the place is
 * documented here; the shared type check (types-cel.ts) already denies a field of the wrong type.
 *
 * Rules of this family that are NOT generated, with the reason, are in NOT_GENERATED (merged into NOT_AT_ADMISSION).
 */
import { PolicySettings } from '../policy/types';
import { AdmissionRule, BuildContext, cov, eachContainer, hasChain, lit, litList, okOr, record } from './cel-rules';
import { ADMISSION_KINDS } from './kinds';

const S = 'variables.spec';
const P = 'variables.prefix';
const ALL_CONTAINERS = ['containers', 'initContainers', 'ephemeralContainers'];
const NON_EPHEMERAL = ['containers', 'initContainers'];

/**
 * Every element `x` of `list` satisfies `ok(x)`, or the finding at `<base>[i]<suffix>` is waived. Equal elements share
 * an index in CEL (`indexOf`): an element that occurs more than once must have the whole list covered (its other
 * occurrences have no index CEL can name: fail-closed).
 */
function eachListItem(ctx: BuildContext, list: string, base: string, suffix: string, ok: (x: string) => string, v = 'x'): string {
  const covered = ctx.waived
    ? ` || [${list}.indexOf(${v})].all(i0, ${cov(ctx, `(i0 == ${list}.lastIndexOf(${v}) ? ${base} + '[' + string(i0) + ']${suffix}' : ${base})`)})`
    : '';
  const out = `${list}.all(${v}, (${ok(v)})${covered})`;
  record(`(!(${guardOf(list)}) || ${out})`, base);
  return out;
}

function guardOf(expr: string): string {
  const parts = expr.split('.');
  const start = parts[0] === 'variables' ? 2 : 1;
  return hasChain(parts.slice(0, start).join('.'), parts.slice(start));
}

/** `(!has(list) || every item ok)` for a list field of `base`. */
function optionalList(ctx: BuildContext, base: string, field: string, path: string, suffix: string, ok: (x: string) => string, v = 'x'): string {
  return `(!has(${base}.${field}) || ${eachListItem(ctx, `${base}.${field}`, `${path} + '.${field}'`, suffix, ok, v)})`;
}

/** Groups whose DaemonSet kind runs one pod per node (toleration-any-taint.ts DAEMONSET_GROUPS). */
const DAEMONSET_GROUPS = ['apps', 'extensions', 'apps.kruise.io'];
/** The users the kube-controller-manager's DaemonSet controller creates pods as (with and without --use-service-account-credentials). */
export const DAEMONSET_CONTROLLER_USERS = ['system:serviceaccount:kube-system:daemon-set-controller', 'system:kube-controller-manager'];

/**
 * toleration-any-taint exempts DaemonSets (node agents run on every node). The pods the DaemonSet controller creates
 * from one carry its tolerations: a Pod whose controller ownerReference is an apps/v1 DaemonSet, created by that
 * controller, is the exempt DaemonSet's pod (a user cannot send requests as the controller, and a Pod a user creates
 * with a copied ownerReference is judged).
 */
export function daemonSetPodExempt(ruleId: string, obj: any, username: string): boolean {
  return ruleId === 'toleration-any-taint' && obj?.kind === 'Pod' && DAEMONSET_CONTROLLER_USERS.includes(username) &&
    (obj?.metadata?.ownerReferences ?? []).some((o: any) => o?.kind === 'DaemonSet' && o?.apiVersion === 'apps/v1' && o?.controller === true);
}

/** Object-level finding paths (outside the pod spec) that these rules report, for the impact report and tests. */
export const OBJECT_LEVEL_PATHS = ['spec.selector', 'spec.ttlSecondsAfterFinished', 'spec.replicas'];

/** CEL: the object has a pod spec at its carrier's path (generate.ts ADMISSION_KINDS; read at build time, after module load). */
function podSpecPresent(): string {
  const byPath = new Map<string, Set<string>>();
  for (const k of ADMISSION_KINDS) byPath.set(k.spec, new Set([...(byPath.get(k.spec) ?? []), k.kind]));
  return `(${[...byPath].map(([p, kinds]) => `(object.kind in ${litList([...kinds])} && ${hasChain('object', p.split('.'))})`).join(' || ')})`;
}

/** JavaScript truthiness of a CEL value of any type. */
function truthy(e: string): string {
  return `(type(${e}) == map || type(${e}) == list || (type(${e}) == string && ${e} != '') || (type(${e}) == int && ${e} != 0) || ` +
    `(type(${e}) == double && ${e} != 0.0) || (type(${e}) == bool && ${e}))`;
}

/** The rules (settings do not change them). */
export function extraPodRules(_settings: PolicySettings): AdmissionRule[] {
  const rules: AdmissionRule[] = [];

  rules.push({
    id: 'pod-default-service-account',
    expression: ctx => {
      const san = `(has(${S}.serviceAccountName) && ${S}.serviceAccountName != '')`;
      const sa = `(has(${S}.serviceAccount) && ${S}.serviceAccount != '')`;
      // the effective name: serviceAccountName, else serviceAccount, else "default"; the finding names the field that set it
      const ok = `(${san} ? ${S}.serviceAccountName != 'default' : (${sa} && ${S}.serviceAccount != 'default'))`;
      const path = `(!${san} && ${sa} ? ${P} + '.serviceAccount' : ${P} + '.serviceAccountName')`;
      // no pod spec at the carrier's path (variables.spec is then {}): nothing to judge, as the guard finds no pod
      return `(object.kind == 'PodTemplate' || !${podSpecPresent()} || ${okOr(ctx, ok, path)})`;
    },
  });

  rules.push({
    id: 'container-ssh-port',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => optionalList(ctx, c, 'ports', cp, '', x =>
      `!(((!has(${x}.protocol) || ${x}.protocol == 'TCP') && has(${x}.containerPort) && ${x}.containerPort == 22) || ` +
      `(has(${x}.name) && ${x}.name.lowerAscii() == 'ssh'))`)),
  });

  rules.push({
    id: 'container-env-duplicate',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => {
      const env = `${c}.env`;
      const sameName = `${env}.filter(f, has(f.name) && f.name == e.name)`;
      // a violation at every occurrence of a name but the first (env[i].name); an entry that occurs twice verbatim needs
      // the whole env list covered (its copies have no index CEL can name: fail-closed)
      const covered = ctx.waived
        ? ` || ${sameName}[0] == e && ${env}.indexOf(e) == ${env}.lastIndexOf(e) || [${env}.indexOf(e)].all(i0, ` +
          `${cov(ctx, `(i0 == ${env}.lastIndexOf(e) ? ${cp} + '.env[' + string(i0) + '].name' : ${cp} + '.env')`)})`
        : '';
      const out = `(!has(${env}) || ${env}.all(e, !has(e.name) || [${sameName}].all(sn, size(sn) <= 1${covered.replace(sameName, 'sn')})))`;
      record(out, `${cp} + '.env'`);
      return out;
    }),
  });

  rules.push({
    id: 'secret-env-reference',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) =>
      optionalList(ctx, c, 'env', cp, '.valueFrom.secretKeyRef', x => `!(has(${x}.valueFrom) && has(${x}.valueFrom.secretKeyRef))`) + ' && ' +
      optionalList(ctx, c, 'envFrom', cp, '.secretRef', x => `!has(${x}.secretRef)`)),
  });

  rules.push({
    id: 'pod-group-root',
    expression: ctx => {
      const sc = `${S}.securityContext`;
      return [
        okOr(ctx, `!(${hasChain(S, ['securityContext', 'runAsGroup'])}) || ${sc}.runAsGroup != 0`, `${P} + '.securityContext.runAsGroup'`),
        okOr(ctx, `!(${hasChain(S, ['securityContext', 'fsGroup'])}) || ${sc}.fsGroup != 0`, `${P} + '.securityContext.fsGroup'`),
        `(!has(${sc}) || ${optionalList(ctx, sc, 'supplementalGroups', `${P} + '.securityContext'`, '', x => `${x} != 0`)})`,
        eachContainer(ALL_CONTAINERS, (c, cp) => okOr(ctx, `!(${hasChain(c, ['securityContext', 'runAsGroup'])}) || ${c}.securityContext.runAsGroup != 0`,
          `${cp} + '.securityContext.runAsGroup'`)),
      ].join(' && ');
    },
  });

  rules.push({
    id: 'container-interactive',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => ['stdin', 'tty'].map(f =>
      okOr(ctx, `!has(${c}.${f}) || ${c}.${f} != true`, `${cp} + '.${f}'`)).join(' && ')),
  });

  rules.push({
    id: 'pod-host-aliases',
    expression: ctx => okOr(ctx, `!has(${S}.hostAliases) || size(${S}.hostAliases) == 0`, `${P} + '.hostAliases'`),
  });

  rules.push({
    id: 'pod-host-users',
    expression: ctx => {
      const eff = (c: string, f: string) => `(${hasChain(c, ['securityContext', f])} ? ${c}.securityContext.${f} : ` +
        `(${hasChain(S, ['securityContext', f])} ? ${S}.securityContext.${f} : null))`;
      const root = (c: string) => `(${eff(c, 'runAsUser')} == 0 || (${eff(c, 'runAsUser')} == null && ${eff(c, 'runAsNonRoot')} != true))`;
      const anyRoot = ALL_CONTAINERS.map(f => `(has(${S}.${f}) && ${S}.${f}.exists(c, ${root('c')}))`).join(' || ');
      return okOr(ctx, `(${hasChain(S, ['os', 'name'])} && ${S}.os.name == 'windows') || (has(${S}.hostUsers) && ${S}.hostUsers == false) || !(${anyRoot})`,
        `${P} + '.hostUsers'`);
    },
  });

  rules.push({
    id: 'container-ephemeral-storage-limit',
    expression: ctx => eachContainer(NON_EPHEMERAL, (c, cp) => {
      const limits = `${c}.resources.limits`;
      // unset, null or '' fails; an unresolved cdk8s/AWS CDK token (a string holding '${Token[', a number below -1e288) is unevaluable: denied
      return okOr(ctx, `${hasChain(c, ['resources', 'limits'])} && 'ephemeral-storage' in ${limits} && [${limits}['ephemeral-storage']].all(q, ` +
        // the token marker is spelled in two parts: the policy itself must not read as an unresolved token to the guard
        'type(q) == string ? (q != \'\' && !q.contains(\'${\' + \'Token[\')) : (type(q) == double ? q >= -1e288 : type(q) != null_type))',
      `${cp} + '.resources.limits'`);
    }),
  });

  rules.push({
    id: 'probe-port-exposed',
    expression: ctx => eachContainer(ALL_CONTAINERS, (c, cp) => {
      const parts: string[] = [];
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
          const f = [probe, handler, 'port'];
          const port = `${c}.${f.join('.')}`;
          // a name (not all digits) must be a declared port name; a number (or a digit string, read as a number) must be a
          // declared containerPort when the container declares ports. A digit string longer than 18 characters (beyond
          // CEL's int) is denied (fail-closed).
          const isName = `(type(${port}) == string && !${port}.matches('^[0-9]+$'))`;
          const num = `(type(${port}) == string ? int(${port}) : ${port})`;
          const tooLong = `(type(${port}) == string && size(${port}) > 18)`;
          const ok = `${isName} ? (has(${c}.ports) && ${c}.ports.exists(q, has(q.name) && q.name == ${port})) : ` +
            `(!${tooLong} && (!has(${c}.ports) || size(${c}.ports) == 0 || [${num}].all(n, ${c}.ports.exists(q, has(q.containerPort) && q.containerPort == n))))`;
          parts.push(`(!(${hasChain(c, f)}) || ${okOr(ctx, ok, `${cp} + '.${f.join('.')}'`, hasChain(c, f))})`);
        }
      }
      return parts.join(' && ');
    }),
  });

  rules.push({
    id: 'toleration-any-taint',
    expression: ctx => {
      const daemonSet = `(object.kind == 'DaemonSet' && object.apiVersion.matches(${lit(`^(${DAEMONSET_GROUPS.map(g => g.replace(/\./g, '\\.')).join('|')})/[^/]*$`)}))`;
      const daemonSetPod = `(object.kind == 'Pod' && request.userInfo.username in ${litList(DAEMONSET_CONTROLLER_USERS)} && has(object.metadata.ownerReferences) && ` +
        'object.metadata.ownerReferences.exists(o, has(o.kind) && o.kind == \'DaemonSet\' && has(o.apiVersion) && o.apiVersion == \'apps/v1\' && ' +
        'has(o.controller) && o.controller == true))';
      return `(${daemonSet} || ${daemonSetPod} || ` + optionalList(ctx, S, 'tolerations', P, '', t =>
        `!((!has(${t}.key) || ${t}.key == '') && has(${t}.operator) && ${t}.operator == 'Exists')`, 't') + ')';
    },
  });

  rules.push({
    id: 'job-ttl-after-finished',
    objectReads: ['object.spec.ttlSecondsAfterFinished'],
    expression: ctx => {
      const ttl = 'object.spec.ttlSecondsAfterFinished';
      const ok = `has(object.spec) && has(${ttl}) && (type(${ttl}) == int ? ${ttl} >= 0 : (type(${ttl}) == double && ${ttl} >= 0.0))`;
      return '(object.kind != \'Job\' || !object.apiVersion.startsWith(\'batch/\') || (has(object.metadata.ownerReferences) && ' +
        `object.metadata.ownerReferences.exists(o, has(o.kind) && o.kind == 'CronJob')) || ${okOr(ctx, ok, "'spec.ttlSecondsAfterFinished'")})`;
    },
  });

  rules.push({
    id: 'workload-selector-match',
    objectReads: ['object.spec.selector', 'object.spec.manualSelector', 'object.spec.workloadRef', 'object.spec.template.metadata.labels'],
    expression: ctx => {
      const spec = 'object.spec';
      const sel = `${spec}.selector`;
      // the template labels (variables.meta is spec.template.metadata for every kind judged here; typed by the type check)
      const labels = '(has(variables.meta.labels) ? variables.meta.labels : {})';
      const hasSel = `(has(${spec}) && has(${sel}))`;
      const rc = `(!${hasSel} || (type(${sel}) == map && size(${sel}) > 0 && ${sel}.all(k, [${labels}].all(l, k in l && l[k] == ${sel}[k]))))`;
      // fail-closed: matchLabels that is not a map, matchExpressions that is not a list
      const shaped = `type(${sel}) == map && (!has(${sel}.matchLabels) || type(${sel}.matchLabels) == map) && ` +
        `(!has(${sel}.matchExpressions) || type(${sel}.matchExpressions) == list)`;
      const empty = `((!has(${sel}.matchLabels) || size(${sel}.matchLabels) == 0) && (!has(${sel}.matchExpressions) || size(${sel}.matchExpressions) == 0))`;
      const expr = (e: string) => `[${labels}].all(l, [has(${e}.key) && ${e}.key in l].all(h, [has(${e}.values) && type(${e}.values) == list ? ${e}.values : []].all(vs, ` +
        `has(${e}.operator) && (${e}.operator == 'In' ? (h && l[${e}.key] in vs) : ${e}.operator == 'NotIn' ? !(h && l[${e}.key] in vs) : ` +
        `${e}.operator == 'Exists' ? h : ${e}.operator == 'DoesNotExist' ? !h : false))))`;
      const selects = `(!has(${sel}.matchLabels) || ${sel}.matchLabels.all(k, [${labels}].all(l, k in l && l[k] == ${sel}.matchLabels[k]))) && ` +
        `(!has(${sel}.matchExpressions) || ${sel}.matchExpressions.all(e, ${expr('e')}))`;
      const labelSelector = `(${hasSel} && ${shaped} && !${empty} && ${selects})`;
      const judged = 'object.kind == \'Rollout\' && !object.apiVersion.startsWith(\'argoproj.io/\') ? true : ' +
        `object.kind == 'Rollout' && has(${spec}) && has(${spec}.workloadRef) && ${truthy(`${spec}.workloadRef`)} ? true : ` +
        `object.kind == 'Job' && !(has(${spec}) && has(${spec}.manualSelector) && ${spec}.manualSelector == true) ? true : ` +
        `object.kind == 'ReplicationController' ? ${rc} : ` +
        `object.kind in ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout', 'Job'] ? ${labelSelector} : true`;
      // both checks report at spec.selector: one site
      return okOr(ctx, judged, "'spec.selector'");
    },
  });

  return rules;
}
