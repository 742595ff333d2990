import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HardeningError } from './errors';
import { WaiverRecord } from './types';
import { MIN_WAIVER_REASON, WAIVER_ANNOTATION, waiverProblems } from './waiver-record';

/**
 * An explicit, reasoned, expiring exception to one rule on one object.
 */
export interface WaiverProps {
  /** Rule id to waive, e.g. `host-namespaces`. */
  readonly ruleId: string;
  /** Why the exception is acceptable; at least 20 characters. */
  readonly reason: string;
  /** Team or person accountable for the exception. */
  readonly owner: string;
  /** Last day the waiver is valid, `YYYY-MM-DD` (UTC). Expired waivers fail synthesis. */
  readonly expires: string;
  /**
   * JSON path (or prefix) of the one finding waived, e.g. `spec.template.spec.hostNetwork`.
   * @default - every finding of the rule on this object
   */
  readonly path?: string;
  /**
   * Who approved the exception (a person or body other than the owner, e.g. the security team); the threat model lists
   * it with the accepted risk.
   * @default - not recorded (the threat model's accepted risks say "not recorded")
   */
  readonly approver?: string;
}

const applied = new WeakMap<ApiObject, WaiverRecord[]>();

/**
 * Records waivers as the `hardened.cdk8s.io/waivers` annotation on an object, so the synth guard,
 * the `cdk8s-hardened check` CLI and admission policies all honour the same exception.
 * A waiver that matches no finding, or that has expired, fails synthesis.
 */
export class Waiver {
  /** The annotation key that carries waivers. */
  public static readonly ANNOTATION = WAIVER_ANNOTATION;

  /**
   * Waive one rule on one object: an ApiObject (L1 Kube*, raw ApiObject, an Include'd object) or a
   * construct whose default child is one (a cdk8s-plus resource).
   */
  public static apply(scope: IConstruct, props: WaiverProps): void {
    const target = waiverTarget(scope, props.ruleId);
    const record: WaiverRecord = {
      ruleId: props.ruleId,
      reason: props.reason,
      owner: props.owner,
      expires: props.expires,
      ...(props.path ? { path: props.path } : {}),
      ...(props.approver !== undefined ? { approver: props.approver } : {}),
    };
    const problems = waiverProblems(record);
    if (problems.length > 0) {
      throw new HardeningError({
        path: target.node.path,
        field: 'waiver',
        value: record,
        ruleId: 'waiver-invalid',
        message: problems.join('; ') + '.',
        fix: `give a kebab-case ruleId, a reason of at least ${MIN_WAIVER_REASON} characters, an owner and an expiry date YYYY-MM-DD.`,
      });
    }
    let list = applied.get(target);
    if (!list) {
      list = [...existingWaivers(target)];
      applied.set(target, list);
    }
    list.push(record);
    target.metadata.addAnnotation(WAIVER_ANNOTATION, JSON.stringify(list));
  }

  private constructor() {}
}

/** Waivers already present in an object's annotations (e.g. from Include'd YAML). */
function existingWaivers(target: ApiObject): WaiverRecord[] {
  const raw = (target.metadata as any).annotations?.[WAIVER_ANNOTATION];
  if (typeof raw !== 'string') return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The ApiObject a waiver goes on: the scope itself or its default child; otherwise a HardeningError listing the candidates. */
function waiverTarget(scope: IConstruct, ruleId: string): ApiObject {
  if (ApiObject.isApiObject(scope)) return scope;
  const child = scope.node.defaultChild;
  if (child && ApiObject.isApiObject(child)) return child;
  const candidates = scope.node.findAll().filter(c => ApiObject.isApiObject(c)) as ApiObject[];
  throw new HardeningError({
    path: scope.node.path,
    field: 'waiver.scope',
    value: scope.node.id,
    ruleId,
    message: candidates.length > 0
      ? `is not one Kubernetes object but ${candidates.length}; a waiver covers exactly one object.`
      : 'holds no Kubernetes object.',
    fix: candidates.length > 0
      ? `apply it to the object with the finding, e.g. the construct's public property for it (${candidates.map(c => `${c.kind} ${c.node.path}`).join(', ')}).`
      : 'apply it to an ApiObject or a cdk8s-plus resource.',
  });
}
