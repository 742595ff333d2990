/**
 * Worst-case cost estimate of a CEL expression against the API server's budgets (k8s.io/apiserver/pkg/apis/cel:
 * PerCallLimit = 1,000,000 per expression; RuntimeCELCostBudget = 10,000,000 per policy evaluation, all its variables
 * and validations together). The API server meters the runtime cost; this static bound makes sure an ordinary object
 * stays far inside it.
 *
 * Method (modelled on cel-go's checker/cost.go): every AST node costs 1; a comprehension (all, exists, map, filter)
 * costs its range + init + N x (condition + step) + result, with N = LIST_BOUND for every list it iterates (containers
 * of one field, ports, volumes, capabilities, sysctls, annotations, keys of a volume; a list literal: its length; the
 * waivers variable: the most paths baked for one object); string functions cost 1 + 0.1 x L
 * (L = STRING_BOUND characters), `matches` 1 + L; list `indexOf`/`lastIndexOf`/`in` on a list cost N x (1 + an element
 * comparison of ELEMENT_COMPARE). An object beyond the bounds (thousands of containers) may exhaust the runtime budget:
 * the evaluation then errors and failurePolicy Fail denies it (fail-closed).
 */
import { parse } from '@bufbuild/cel';

export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_BUDGET = 10_000_000;
export const LIST_BOUND = 12;
export const STRING_BOUND = 256;
export const ELEMENT_COMPARE = 20;

const STRING_FUNCS = new Set(['startsWith', 'endsWith', 'contains', 'indexOf', 'lastIndexOf', 'substring', '_+_', 'string', '_==_', '_!=_']);

let waiverBound = 1;
let listBound = LIST_BOUND;

function cost(e: any): number {
  if (!e || !e.exprKind) return 0;
  const v = e.exprKind.value;
  switch (e.exprKind.case) {
    case 'constExpr': case 'identExpr': return 1;
    case 'selectExpr': return 1 + cost(v.operand);
    case 'listExpr': return 1 + v.elements.reduce((s: number, x: any) => s + cost(x), 0);
    case 'structExpr': return 1 + v.entries.reduce((s: number, x: any) => s + cost(x.value) + (x.keyKind?.case === 'mapKey' ? cost(x.keyKind.value) : 0), 0);
    case 'comprehensionExpr': {
      // a list literal iterates its elements; the waivers variable at most the paths baked for one object
      const r = v.iterRange;
      const n = r?.exprKind?.case === 'listExpr' ? r.exprKind.value.elements.length
        : r?.exprKind?.case === 'selectExpr' && r.exprKind.value.field === 'waivers' ? waiverBound : listBound;
      return 1 + cost(v.iterRange) + cost(v.accuInit) + n * (cost(v.loopCondition) + cost(v.loopStep)) + cost(v.result);
    }
    case 'callExpr': {
      const children = cost(v.target) + v.args.reduce((s: number, x: any) => s + cost(x), 0);
      const fn: string = v.function;
      let own = 1;
      if (fn === 'matches') own += STRING_BOUND;
      else if ((fn === 'indexOf' || fn === 'lastIndexOf') && v.target?.exprKind?.case === 'selectExpr' && !isStringish(v.target)) own += LIST_BOUND * (1 + ELEMENT_COMPARE);
      else if (fn === '@in') own += 2 * (v.args[1]?.exprKind?.case === 'listExpr' ? v.args[1].exprKind.value.elements.length : listBound);
      else if (STRING_FUNCS.has(fn)) own += Math.ceil(0.1 * STRING_BOUND);
      return own + children;
    }
    default: return 1;
  }
}

/** Targets that are strings in the generated CEL (an image, a variable holding a string). */
function isStringish(target: any): boolean {
  const f = target.exprKind.value.field;
  return f === 'image';
}

/** The estimated worst-case cost of one expression (`lists`: the length assumed for every list that is not a literal). */
export function estimateCost(expression: string, waivers = 1, lists = LIST_BOUND): number {
  waiverBound = waivers;
  listBound = lists;
  try {
    return cost(parse(expression).expr);
  } finally {
    listBound = LIST_BOUND;
  }
}
