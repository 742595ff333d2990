import { parseJsonOwn } from './own';
import { WaiverRecord } from './types';

/** Annotation that carries waivers on an object (JSON array of WaiverRecord). */
export const WAIVER_ANNOTATION = 'hardened.cdk8s.io/waivers';

/** Minimum length of a waiver reason. */
export const MIN_WAIVER_REASON = 20;

/** Parsed waivers of an object plus the problems found while parsing them. */
export interface ParsedWaivers {
  readonly waivers: WaiverRecord[];
  readonly problems: string[];
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Problems with one waiver record (empty when valid). Does not check expiry against today. */
export function waiverProblems(w: any): string[] {
  const problems: string[] = [];
  if (!w || typeof w !== 'object') return ['waiver must be an object'];
  if (typeof w.ruleId !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(w.ruleId)) problems.push(`ruleId ${JSON.stringify(w.ruleId)} is not a kebab-case rule id`);
  if (typeof w.reason !== 'string' || w.reason.trim().length < MIN_WAIVER_REASON) problems.push(`reason must be at least ${MIN_WAIVER_REASON} characters (got ${JSON.stringify(w.reason)})`);
  if (typeof w.owner !== 'string' || w.owner.trim().length === 0) problems.push('owner must be a non-empty team or person');
  if (!isCalendarDate(w.expires)) problems.push(`expires ${JSON.stringify(w.expires)} must be a YYYY-MM-DD calendar date`);
  if (w.path !== undefined && (typeof w.path !== 'string' || w.path.length === 0)) problems.push('path, when given, must be a non-empty JSON path');
  if (w.approver !== undefined && (typeof w.approver !== 'string' || w.approver.trim().length === 0)) problems.push('approver, when given, must be a non-empty team or person');
  return problems;
}

/** Read the waiver annotation of an object (any JSON object). */
export function parseWaivers(obj: any): ParsedWaivers {
  const raw = obj?.metadata?.annotations?.[WAIVER_ANNOTATION];
  if (raw === undefined) return { waivers: [], problems: [] };
  let parsed: any;
  try {
    parsed = parseJsonOwn(String(raw));
  } catch (e) {
    return { waivers: [], problems: [`annotation ${WAIVER_ANNOTATION} is not valid JSON`] };
  }
  if (!Array.isArray(parsed)) return { waivers: [], problems: [`annotation ${WAIVER_ANNOTATION} must be a JSON array`] };
  const waivers: WaiverRecord[] = [];
  const problems: string[] = [];
  parsed.forEach((w, i) => {
    const p = waiverProblems(w);
    if (p.length > 0) problems.push(...p.map(x => `waiver #${i}: ${x}`));
    else waivers.push({
      ruleId: w.ruleId, reason: w.reason, owner: w.owner, expires: w.expires,
      ...(w.path ? { path: w.path } : {}), ...(w.approver ? { approver: w.approver } : {}),
    });
  });
  return { waivers, problems };
}

/** Days from `today` (YYYY-MM-DD) to `expires` (negative when past). */
export function daysUntil(expires: string, today: string): number {
  return Math.round((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** True if a finding path is covered by a waiver path (exact or prefix at a segment boundary). */
export function pathCovered(findingPath: string, waiverPath: string | undefined): boolean {
  if (!waiverPath) return true;
  return findingPath === waiverPath || findingPath.startsWith(`${waiverPath}.`) || findingPath.startsWith(`${waiverPath}[`);
}

/** Today's date in UTC as YYYY-MM-DD. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A real YYYY-MM-DD date (Date.parse would roll 2026-02-30 over to March 2). */
function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !DATE_RE.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** Annotation that records the profile exceptions governing an object (JSON array of ProfileExceptionRecord). */
export const EXCEPTIONS_ANNOTATION = 'hardened.cdk8s.io/exceptions';

/** A profile exception as read from an object's annotation. */
export interface ParsedException {
  readonly scope: string;
  readonly loosens: string[];
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

/** Read the profile-exceptions annotation of an object: valid records plus the problems of invalid ones. */
export function parseExceptions(obj: any): { readonly exceptions: ParsedException[]; readonly problems: string[] } {
  const raw = obj?.metadata?.annotations?.[EXCEPTIONS_ANNOTATION];
  if (raw === undefined) return { exceptions: [], problems: [] };
  let parsed: any;
  try {
    parsed = parseJsonOwn(String(raw));
  } catch {
    return { exceptions: [], problems: [`annotation ${EXCEPTIONS_ANNOTATION} is not valid JSON`] };
  }
  if (!Array.isArray(parsed)) return { exceptions: [], problems: [`annotation ${EXCEPTIONS_ANNOTATION} must be a JSON array`] };
  const exceptions: ParsedException[] = [];
  const problems: string[] = [];
  parsed.forEach((e, i) => {
    const p = waiverProblems({ ...(e && typeof e === 'object' ? e : {}), ruleId: 'profile-exception' });
    if (!e || typeof e !== 'object') p.unshift('must be an object');
    else if (!Array.isArray(e.loosens) || e.loosens.length === 0 || !e.loosens.every((l: unknown) => typeof l === 'string')) p.push('loosens must be a non-empty list of settings');
    else if (typeof e.scope !== 'string' || e.scope.length === 0) p.push('scope must name the construct path of the profile');
    if (p.length > 0) problems.push(...p.map(x => `exception #${i}: ${x}`));
    else exceptions.push({ scope: e.scope, loosens: [...e.loosens], reason: e.reason, owner: e.owner, expires: e.expires });
  });
  return { exceptions, problems };
}

/** The loosening that lifts every waivable rule on the objects it governs. */
export const AUDIT_MODE_LOOSENING = 'mode=audit';
