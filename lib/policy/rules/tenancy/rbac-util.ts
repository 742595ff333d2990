import { pathViolations } from '../../../semantics/rbac';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { rbacForm } from './openshift-rbac';

/** A Role/ClusterRole rule with its JSON path. */
export interface RbacRuleRef {
  readonly rule: any;
  readonly path: string;
}

/** Kinds that carry RBAC rules. */
export const RBAC_KINDS = ['Role', 'ClusterRole'];

/** Kinds judged by their effective grants: roles, and bindings of built-in ClusterRoles. */
export const RBAC_GRANT_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** Reference common to the RBAC rules. */
export const RBAC_GOOD_PRACTICES = 'Kubernetes docs: RBAC good practices, https://kubernetes.io/docs/concepts/security/rbac-good-practices/';

/** OpenShift's legacy bindings (openshift-rbac.ts), as the RBAC rules judge them. */
export const OPENSHIFT_BINDINGS_NOTE = 'An OpenShift `authorization.openshift.io` binding is judged in the RBAC form openshift-apiserver ' +
  'stores: its `userNames`, `groupNames` and `SystemUser`/`SystemGroup` subjects bind too, and a `roleRef` without kind is a ' +
  'ClusterRole unless it names a namespace.';

/** How RBAC rules are evaluated; appended to each RBAC rule's description. */
export const EFFECTIVE_NOTE = ' Judged on effective grants, as the API server authorizes them: `*` verbs, resources and apiGroups, ' +
  '`*/subresource`, every API group that serves a resource, resourceNames; a ClusterRole with an aggregationRule by the ' +
  'rules it aggregates (built-in roles included); a binding of a built-in ClusterRole (admin, edit, view, cluster-admin, ' +
  'system:*) by that role\'s Kubernetes v1.28 bootstrap rules plus every ClusterRole of the evaluated objects that aggregates into it. ' +
  OPENSHIFT_BINDINGS_NOTE;

export function rbacRules(obj: any): RbacRuleRef[] {
  const rules = obj?.rules;
  if (!Array.isArray(rules)) return [];
  return rules.map((rule: any, i: number) => ({ rule: rule ?? {}, path: `rules[${i}]` }));
}

export function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(x => String(x)) : [];
}

/** Metadata of an escalation-path rule (see lib/semantics/rbac/paths.ts for the paths of each rule id). */
export interface PathRuleMeta extends Pick<IRule, 'peers' | 'threats' | 'threatEvidence' | 'admission' | 'judgesRbacGrants'> {
  readonly id: string;
  readonly title: string;
  readonly stride: Stride[];
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  readonly references: string[];
  /** Extra text for a finding, e.g. naming affected objects. @default - none */
  readonly extra?: (obj: any, objects: readonly any[]) => string;
}

/** A catalogue rule reporting the escalation paths registered under its id. */
export function pathRule(meta: PathRuleMeta): IRule {
  const { extra, ...rest } = meta;
  return {
    ...rest,
    description: meta.description + EFFECTIVE_NOTE,
    appliesTo: RBAC_GRANT_KINDS,
    check(written, ctx): RuleViolation[] {
      const { obj, pathOf } = rbacForm(written); // an authorization.openshift.io binding in its RBAC form (openshift-rbac.ts)
      const out = pathViolations(obj, ctx.objects, meta.id).map(v => ({ ...v, path: pathOf(v.path) }));
      if (!extra || out.length === 0) return out;
      const more = extra(obj, ctx.objects);
      return more ? out.map(v => ({ ...v, message: `${v.message} ${more}` })) : out;
    },
  };
}
