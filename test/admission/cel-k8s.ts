/**
 * A Kubernetes-flavoured CEL environment on @bufbuild/cel (a conformant CEL evaluator that runs the cel-spec
 * conformance suite) for the differential test: the standard library, the extended strings library (bufbuild's
 * `strings` ext, the same functions Kubernetes enables) and the Kubernetes list functions the generator uses
 * (`<list>.indexOf(x)`, `<list>.lastIndexOf(x)`: k8s.io/apiserver/pkg/cel/library/lists.go, CEL equality) and the
 * IP / CIDR libraries with `<list(int)>.sum()` (cel-k8s-net.ts).
 *
 * Admission semantics emulated: the JSON object is decoded as the API server's CEL sees it (integers as int, other
 * numbers as double, objects as maps, no null-valued fields); variables are evaluated in order (a failing variable is
 * left out, so an expression that reads it errors); a validation admits when it evaluates to true and denies when it
 * is false or errors (failurePolicy: Fail).
 */
import { celEnv, celFunc, celMethod, CelScalar, isCelError, isCelMap, listType, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { RE2JS } from '@bufbuild/re2';
import { admissionKindOf, GeneratedRule } from '../../lib/admission/generate';
import { OBJECT_RULES, objectKindOf } from '../../lib/admission/object-rules';
import { K8S_NET_FUNCS } from './cel-k8s-net';

const equalsPlan = plan(celEnv(), parse('a == b'));

/** CEL `==` as bufbuild evaluates it (the reference for `celEquals`). */
export function celEqualsReference(a: any, b: any): boolean {
  return equalsPlan({ a, b } as any) === true;
}

/**
 * CEL equality of values decoded from JSON (int, double, string, bool, list, map), as cel-go's list `indexOf` uses it:
 * numbers compare across int and double, lists element-wise, maps by key set and values. Checked against
 * `celEqualsReference` in cel-k8s.test.ts; used because it is ~100x faster than a CEL call per comparison.
 */
export function celEquals(a: any, b: any): boolean {
  const num = (x: any) => typeof x === 'bigint' || typeof x === 'number';
  if (num(a) && num(b)) return typeof a === typeof b ? a === b : Number(a) === Number(b) && (typeof a === 'number' ? Number.isInteger(a) : Number.isInteger(b));
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return a === b;
  const isMap = (x: any) => x instanceof Map || isCelMap(x);
  if (isMap(a) || isMap(b)) {
    if (!isMap(a) || !isMap(b) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k as any) || !celEquals(v, b.get(k as any))) return false;
    return true;
  }
  const la = [...a];
  const lb = [...b];
  return la.length === lb.length && la.every((x, i) => celEquals(x, lb[i]));
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

/** RE2 (the same engine bufbuild's `matches` uses), with compiled patterns cached (the expressions' patterns are constants). */
const patterns = new Map<string, { test(text: string): boolean }>();
const re2 = {
  compile(pattern: string) {
    let m = patterns.get(pattern);
    if (!m) {
      const r = RE2JS.compile(pattern);
      m = { test: (text: string) => r.test(text) };
      patterns.set(pattern, m);
    }
    return m;
  },
};

const env = celEnv({ funcs: [...strings, ...K8S_LIST_FUNCS, ...K8S_NET_FUNCS], re2 });

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
  /** An UPDATE from `oldObject` to `object`: true when admitted. */
  admitsUpdate(oldObject: any, object: any, namespace: string, username?: string): boolean;
  /** The message of the first failing validation (undefined: admitted). */
  messageOf(object: any, namespace: string, username?: string, oldObject?: any): string | undefined;
  /** The same with the bindings already converted (see bindingsOf). */
  admitsBound(base: Record<string, unknown>, onMessage?: (message: string) => void): boolean;
}

/** The `object` and `request` bindings of an admission request. */
export function bindingsOf(object: any, namespace: string, username = 'alice', oldObject: any = null, groups?: string[]): Record<string, unknown> {
  const operation = oldObject === null ? 'CREATE' : 'UPDATE';
  const b = {
    object: toCel(object), oldObject: oldObject === null ? null : toCel(oldObject),
    request: toCel({ namespace, userInfo: { username, ...(groups ? { groups } : {}) }, operation }),
  };
  VARIABLE_CACHE.set(b, new Map());
  return b;
}

/** Variables are pure: the same expression on the same bindings is evaluated once (policies share spec/prefix/meta). */
const VARIABLE_CACHE = new WeakMap<object, Map<string, unknown>>();

export function compileRule(g: GeneratedRule): CompiledRule {
  const vars = g.variables.map(v => ({ name: v.name, expression: v.expression, run: compile(v.expression) }));
  const objectRule = OBJECT_RULES.find(r => r.id === g.rule.id);
  const matches = (raw: any) => objectRule ? objectKindOf(objectRule, raw) !== undefined : admissionKindOf(raw) !== undefined;
  const validations = g.validations.map(v => ({ run: compile(v.expression), message: compile(v.messageExpression) }));
  const rule: CompiledRule = {
    ruleId: g.rule.id,
    admits(object, namespace, username = 'alice') {
      return rule.admitsBound(bindingsOf(object, namespace, username));
    },
    admitsUpdate(oldObject, object, namespace, username = 'alice') {
      return rule.admitsBound(bindingsOf(object, namespace, username, oldObject));
    },
    messageOf(object, namespace, username = 'alice', oldObject = null) {
      let m: string | undefined;
      rule.admitsBound(bindingsOf(object, namespace, username, oldObject), x => { m = x; });
      return m;
    },
    admitsBound(base, onMessage?: (m: string) => void) {
      // matchConstraints: a policy is not evaluated on kinds it does not match (admitted)
      const o = base.object as Map<string, unknown> | undefined;
      const raw = o instanceof Map ? { apiVersion: o.get('apiVersion'), kind: o.get('kind') } : {};
      if (!matches(raw)) return true;
      const variables = new Map<string, unknown>();
      const cache = VARIABLE_CACHE.get(base);
      for (const v of vars) {
        // a variable reads `object`, `request` and earlier variables only; the generator emits them in the same order
        const key = `${v.name}\u0000${v.expression}`;
        let r = cache?.get(key);
        if (r === undefined) {
          r = v.run({ ...base, variables });
          cache?.set(key, r);
        }
        if (!isCelError(r)) variables.set(v.name, r);
      }
      for (const v of validations) {
        const r = v.run({ ...base, variables });
        if (r === true) continue;
        // a denial must come with its message
        const m = v.message({ ...base, variables });
        if (typeof m !== 'string' && !isCelError(r)) throw new Error(`messageExpression of ${g.rule.id} did not evaluate: ${String(m)}`);
        onMessage?.(typeof m === 'string' ? m : `error: ${String(r)}`);
        return false;
      }
      return true;
    },
  };
  return rule;
}
