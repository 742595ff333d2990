import { checkPods, containersOf, ContainerRef, isUnresolved, isWindowsPod, PodSpecRef } from '../../manifest';
import { IRule, PssLevel, RuleContext, RuleViolation, Severity, Stride } from '../../types';

/** Fields of a PSS rule definition besides its check. */
export interface PssRuleMeta {
  readonly id: string;
  readonly title: string;
  readonly stride: Stride[];
  readonly level: PssLevel;
  readonly control: string;
  readonly description: string;
  readonly remediation: string;
  readonly extraReferences?: string[];
  /** Restricted controls that Kubernetes marks "Linux only" skip pods with spec.os.name: windows. */
  readonly linuxOnly?: boolean;
}

/** Build a PSS rule from a check over each pod spec of an object (manifest.ts `podSpecsOf`: any kind). */
export function pssRule(meta: PssRuleMeta, check: (pod: PodSpecRef, obj: any, ctx: RuleContext) => RuleViolation[]): IRule {
  return {
    id: meta.id,
    title: meta.title,
    stride: meta.stride,
    severity: Severity.ERROR,
    appliesTo: ['*'],
    pssLevel: meta.level,
    description: meta.description,
    remediation: meta.remediation,
    references: [`Pod Security Standards v1.28 ${meta.level}: ${meta.control}`, ...(meta.extraReferences ?? [])],
    check(obj, ctx) {
      return checkPods(obj, pod => (meta.linuxOnly && isWindowsPod(pod) ? [] : check(pod, obj, ctx)));
    },
  };
}

/** Run a per-container check over containers, initContainers and ephemeralContainers. */
export function eachContainer(pod: PodSpecRef, check: (c: ContainerRef) => RuleViolation | RuleViolation[] | undefined): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const c of containersOf(pod)) {
    const r = check(c);
    if (Array.isArray(r)) out.push(...r);
    else if (r) out.push(r);
  }
  return out;
}

/** A violation, or an unevaluable one when the value is a token. */
export function violation(path: string, value: unknown, message: string): RuleViolation {
  return isUnresolved(value) ? { path, message: `value at ${path} is an unresolved token.`, unevaluable: true } : { path, message };
}
