import * as path from 'path';
import { Catalogue } from '../policy/catalogue';
import { blocking, evaluate, EvaluatedObject, isWaivable, objectRefOf } from '../policy/engine';
import { DEFAULT_PROFILE } from '../policy/profile';
import { Finding, IRule, PolicySettings, PssLevel } from '../policy/types';
import { todayUtc } from '../policy/waiver-record';
import { LoadedObject, locate, Location } from './input';

/** Options of one check run (the CLI flags, resolved). */
export interface CheckOptions {
  /** Only the Pod Security Standards controls of this level, plus the unwaivable rules (see rulesFor). Default: the whole catalogue. */
  readonly level?: PssLevel;
  /** Default: DEFAULT_PROFILE.allowedRegistries (any registry). */
  readonly allowedRegistries?: string[];
  /** Default: DEFAULT_PROFILE.requireDigest (true). */
  readonly requireDigest?: boolean;
  /** Pod Security Standards version the PSS rules judge by (`v1.28` … `v1.34`, `latest`). Default: DEFAULT_PROFILE (v1.28). */
  readonly podSecurityVersion?: string;
  /** Default: today (UTC). */
  readonly today?: string;
}

/** A finding with where it is in the input. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly location?: Location;
  /** Source name (relative path or `<stdin>`). */
  readonly file: string;
  readonly blocking: boolean;
}

/** An input (file, document) that could not be read; the other inputs are still checked. */
export interface InputErrorEntry {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface CheckResult {
  /** Inputs that could not be read (exit code 2 even when the other inputs are clean). */
  readonly inputErrors?: readonly InputErrorEntry[];
  readonly rules: IRule[];
  readonly settings: PolicySettings;
  readonly level?: PssLevel;
  readonly objects: number;
  readonly findings: LocatedFinding[];
  readonly blockingCount: number;
}

/**
 * The rules of a run: the whole catalogue, or the Pod Security Standards controls of one level plus the rules that
 * cannot be waived (waiver integrity, unresolved tokens), so an expired, unused or invalid waiver is reported at
 * every level.
 */
export function rulesFor(level: PssLevel | undefined): IRule[] {
  if (!level) return Catalogue.all();
  const pss = Catalogue.podSecurityRules(level);
  return [...pss, ...Catalogue.all().filter(r => !isWaivable(r) && !pss.includes(r))];
}

export function settingsFor(options: CheckOptions): PolicySettings {
  return {
    allowedRegistries: options.allowedRegistries && options.allowedRegistries.length > 0 ? options.allowedRegistries : DEFAULT_PROFILE.allowedRegistries,
    requireDigest: options.requireDigest ?? DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: options.podSecurityVersion ?? DEFAULT_PROFILE.podSecurityVersion,
    maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
}

/**
 * Evaluate objects against the catalogue. Objects are evaluated together, so cross-object rules
 * (NetworkPolicy coverage, RBAC references) see all of them; Pod Security rules judge each pod alone.
 */
export function checkObjects(objects: LoadedObject[], options: CheckOptions = {}): CheckResult {
  const rules = rulesFor(options.level);
  const items: EvaluatedObject[] = objects.map(o => ({
    object: o.object,
    ref: objectRefOf(o.object, { file: o.source.name, documentIndex: o.documentIndex }),
  }));
  const settings = settingsFor(options);
  const findings = evaluate(items, { rules, knownRules: Catalogue.all(), settings, today: options.today ?? todayUtc() });
  const blockingSet = new Set(blocking(findings));
  const byRef = new Map<any, number>();
  items.forEach((item, i) => byRef.set(item.ref, i));
  // Positions are computed per document, only for documents with findings: visit findings grouped by document so
  // each document is re-read once.
  const byObject: number[][] = new Array(objects.length);
  findings.forEach((f, i) => {
    const o = byRef.get(f.object);
    if (o !== undefined) (byObject[o] ??= []).push(i);
  });
  const locations: Array<Location | undefined> = new Array(findings.length);
  byObject.forEach((indices, o) => {
    for (const i of indices) locations[i] = locate(objects[o], findings[i].path);
  });
  const located = findings.map((f, i) => ({
    finding: f,
    location: locations[i],
    file: f.object.file ?? '',
    blocking: blockingSet.has(f),
  }));
  return { rules, settings, level: options.level, objects: objects.length, findings: located, blockingCount: blockingSet.size };
}

/** Display name of a file: relative to cwd when inside it, with forward slashes. */
export function displayName(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const name = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return name.split(path.sep).join('/');
}
