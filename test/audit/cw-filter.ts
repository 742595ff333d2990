/**
 * A test-only evaluator of the CloudWatch Logs JSON filter-pattern subset the audit alarms use, written from the AWS
 * documentation ("Filter pattern syntax", matching terms in JSON log events):
 * - `{ SELECTOR OP VALUE }`, selectors `$.a.b`; `(...)`, `&&` binding tighter than `||`;
 * - strings with `=` / `!=`, quoted or not; `*` is a wildcard only at the start and/or end of the term (`Ev*ent` is
 *   literal), so `= *` / `= "*"` matches any value;
 * - numbers with `=`, `!=`, `<`, `<=`, `>`, `>=` (a string field never satisfies a numeric comparison);
 * - a selector that is missing or points to an object, array or null matches neither `=` nor `!=`.
 * It approximates the service for unit tests; it is not CloudWatch Logs.
 */
export function cwMatches(pattern: string, event: unknown): boolean {
  const tokens = tokenize(pattern.trim());
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expected ${t} in ${pattern}`);
  };
  const or = (): boolean => {
    let v = and();
    while (peek() === '||') { next(); const r = and(); v = v || r; }
    return v;
  };
  const and = (): boolean => {
    let v = primary();
    while (peek() === '&&') { next(); const r = primary(); v = v && r; }
    return v;
  };
  const primary = (): boolean => {
    if (peek() === '(') { next(); const v = or(); expect(')'); return v; }
    const selector = next();
    if (!selector?.startsWith('$.')) throw new Error(`selector expected in ${pattern}, got ${selector}`);
    const op = next();
    const raw = next();
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op) || raw === undefined) throw new Error(`bad comparison in ${pattern}`);
    return compare(lookup(event, selector.slice(2).split('.')), op, raw);
  };
  expect('{');
  const result = or();
  expect('}');
  if (i !== tokens.length) throw new Error(`trailing tokens in ${pattern}`);
  return result;
}

function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) { i++; continue; }
    const two = s.slice(i, i + 2);
    if (['&&', '||', '!=', '<=', '>='].includes(two)) { out.push(two); i += 2; continue; }
    if ('{}()=<>'.includes(c)) { out.push(c); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let str = '';
      while (j < s.length && s[j] !== '"') { if (s[j] === '\\') j++; str += s[j]; j++; }
      out.push(`"${str}`); // marker: quoted, content without escapes
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !/[\s{}()=<>!&|"]/.test(s[j])) j++;
    if (j === i) throw new Error(`unexpected ${c} in ${s}`);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function lookup(obj: unknown, path: string[]): unknown {
  let cur: any = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(p in cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function compare(value: unknown, op: string, raw: string): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const quoted = raw.startsWith('"');
  const term = quoted ? raw.slice(1) : raw;
  if (['<', '<=', '>', '>='].includes(op)) {
    if (quoted || !/^[+-]?\d+(\.\d+)?$/.test(term)) throw new Error(`numeric comparison needs a number, got ${raw}`);
    if (typeof value !== 'number') return false;
    const n = Number(term);
    return op === '<' ? value < n : op === '<=' ? value <= n : op === '>' ? value > n : value >= n;
  }
  const text = String(value);
  let eq: boolean;
  if (term === '*') {
    eq = true;
  } else if (term.length > 1 && (term.startsWith('*') || term.endsWith('*'))) {
    const core = term.replace(/^\*/, '').replace(/\*$/, '');
    eq = term.startsWith('*') && term.endsWith('*') ? text.includes(core) : term.startsWith('*') ? text.endsWith(core) : text.startsWith(core);
  } else if (!quoted && typeof value === 'number' && /^[+-]?\d+(\.\d+)?$/.test(term)) {
    eq = value === Number(term);
  } else {
    eq = text === term;
  }
  return op === '=' ? eq : !eq;
}
