/** A Role/ClusterRole rule with its JSON path. */
export interface RbacRuleRef {
  readonly rule: any;
  readonly path: string;
}

/** Kinds that carry RBAC rules. */
export const RBAC_KINDS = ['Role', 'ClusterRole'];

export function rbacRules(obj: any): RbacRuleRef[] {
  const rules = obj?.rules;
  if (!Array.isArray(rules)) return [];
  return rules.map((rule: any, i: number) => ({ rule: rule ?? {}, path: `rules[${i}]` }));
}

export function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(x => String(x)) : [];
}
