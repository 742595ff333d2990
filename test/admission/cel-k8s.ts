/**
 * A Kubernetes-flavoured CEL environment on @bufbuild/cel (a conformant CEL evaluator that runs the cel-spec
 * conformance suite) for the differential test: the standard library, the extended strings library (bufbuild's
 * `strings` ext, the same functions Kubernetes enables) and the Kubernetes list functions the generator uses
 * (`<list>.indexOf(x)`, `<list>.lastIndexOf(x)`: k8s.io/apiserver/pkg/cel/library/lists.go, CEL equality).
 *
 * Admission semantics emulated: the JSON object is decoded as the API server's CEL sees it (integers as int, other
 * numbers as double, objects as maps, no null-valued fields); variables are evaluated in order (a failing variable is
 * left out, so an expression that reads it errors); a validation admits when it evaluates to true and denies when it
 * is false or errors (failurePolicy: Fail).
 */
import { celEnv, celFunc, celMethod, CelScalar, isCelError, listType, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { GeneratedRule } from '../../lib/admission/generate';

const equalsPlan = plan(celEnv(), parse('a == b'));

function celEquals(a: any, b: any): boolean {
  return equalsPlan({ a, b } as any) === true;
}

function listIndex(list: any, x: any, last: boolean): bigint {
  const items = [...list];
  const order = last ? items.map((_, i) => items.length - 1 - i) : items.map((_, i) => i);
  for (const i of order) if (celEquals(items[i], x)) return BigInt(i);
  return -1n;
}

/** The Kubernetes list functions the generator uses. */
export const K8S_LIST_FUNCS = [
  celMethod('indexOf', listType(CelScalar.DYN), [CelScalar.DYN], CelScalar.INT, function (this: any, x: any) { return listIndex(this, x, false); }),
  celMethod('lastIndexOf', listType(CelScalar.DYN), [CelScalar.DYN], CelScalar.INT, function (this: any, x: any) { return listIndex(this, x, true); }),
];
void celFunc;

const env = celEnv({ funcs: [...strings, ...K8S_LIST_FUNCS] });

/** Compile a CEL expression (parse errors throw). */
export function compile(expr: string): (bindings: Record<string, unknown>) => unknown {
  const p = parse(expr);
  const run = plan(env, p);
  return b => run(b as any);
}

/** A JSON value as the API server's CEL sees it. */
export function toCel(v: any): any {
  if (Array.isArray(v)) return v.filter(x => x !== null && x !== undefined).map(toCel);
  if (v === null || v === undefined) return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'object') {
    const m = new Map<string, any>();
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) m.set(k, toCel(x));
    return m;
  }
  return v;
}

/** A compiled policy (one rule). */
export interface CompiledRule {
  readonly ruleId: string;
  /** true: admitted. */
  admits(object: any, namespace: string, username?: string): boolean;
}

export function compileRule(g: GeneratedRule): CompiledRule {
  const vars = g.variables.map(v => ({ name: v.name, run: compile(v.expression) }));
  const validation = compile(g.expression);
  const message = compile(g.messageExpression);
  return {
    ruleId: g.rule.id,
    admits(object, namespace, username = 'alice') {
      const base: Record<string, unknown> = {
        object: toCel(object),
        request: toCel({ namespace, userInfo: { username }, operation: 'CREATE' }),
      };
      const variables = new Map<string, unknown>();
      for (const v of vars) {
        const r = v.run({ ...base, variables });
        if (!isCelError(r)) variables.set(v.name, r);
      }
      const r = validation({ ...base, variables });
      if (r === true) return true;
      // a denial must come with its message
      const m = message({ ...base, variables });
      if (typeof m !== 'string' && !isCelError(r)) throw new Error(`messageExpression of ${g.rule.id} did not evaluate: ${String(m)}`);
      return false;
    },
  };
}
